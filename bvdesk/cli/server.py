"""Team-server commands: moving a landlord's database between a file and a PostgreSQL server."""

from __future__ import annotations

from bvdesk.cli._framework import Commands, Context


def register(commands: Commands) -> None:
    transfer = commands.add(
        "transfer", _transfer, "Copy a landlord's whole database from a file to a server or "
        "back, checked before it is kept")
    transfer.add_argument("--from", dest="source", required=True, metavar="SOURCE",
                          help="a database file or a postgresql:// URL")
    transfer.add_argument("--to", dest="target", required=True, metavar="TARGET",
                          help="a new database file, or an empty database on a server")


def _transfer(ctx: Context) -> int:
    from bvdesk.operations.transfer import report_json, shown, transfer

    report = transfer(ctx.args.source, ctx.args.target)
    data = report_json(ctx.args.source, ctx.args.target, report)
    ctx.emit(data, f"Copied {report.total:,} rows ({data['audit_entries']:,} audit entries, "
                   f"{report.evidence_files} evidence files) from {shown(ctx.args.source)} to "
                   f"{shown(ctx.args.target)}; counts, audit chain and evidence hashes checked.")
    return 0
