"""Team-server commands: moving a landlord's database between a file and a PostgreSQL server, and
who may do what on a server."""

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
    group = ("server", "A team server: who may do what")
    for name, handler, verb in (("grant", _grant, "Give a server login a role"),
                                ("revoke", _revoke, "Take a role away from a server login")):
        command = commands.add(name, handler, f"{verb} (reader, officer, approver, "
                               "administrator)", group=group[0], group_help=group[1])
        command.add_argument("login", metavar="LOGIN", help="the login on the server")
        command.add_argument("role", choices=("reader", "officer", "approver", "administrator"),
                             help="what the login may do: read, edit, sign off or administer")
    commands.add("roles", _roles, "List the logins that hold a role", group=group[0],
                 group_help=group[1])


def _transfer(ctx: Context) -> int:
    from bvdesk.operations.transfer import report_json, shown, transfer

    with ctx.long_task("Copying") as task:
        report = transfer(ctx.args.source, ctx.args.target, progress=task,
                          cancelled=task.cancelled)
    data = report_json(ctx.args.source, ctx.args.target, report)
    ctx.emit(data, f"Copied {report.total:,} rows ({data['audit_entries']:,} audit entries, "
                   f"{report.evidence_files} evidence files) from {shown(ctx.args.source)} to "
                   f"{shown(ctx.args.target)}; counts, audit chain and evidence hashes checked.")
    return 0


def _grant(ctx: Context) -> int:
    from bvdesk.operations.team import grant_role

    with ctx.open_db(write=True) as db:
        grant_role(db, ctx.args.login, ctx.args.role)
    ctx.emit({"login": ctx.args.login, "role": ctx.args.role},
             f"{ctx.args.login} is now {_article(ctx.args.role)} {ctx.args.role}.")
    return 0


def _revoke(ctx: Context) -> int:
    from bvdesk.operations.team import revoke_role

    with ctx.open_db(write=True) as db:
        revoke_role(db, ctx.args.login, ctx.args.role)
    ctx.emit({"login": ctx.args.login, "revoked": ctx.args.role},
             f"{ctx.args.login} is no longer {_article(ctx.args.role)} {ctx.args.role}.")
    return 0


def _roles(ctx: Context) -> int:
    from bvdesk.operations.team import role_holders

    with ctx.open_db(write=False) as db:
        holders = role_holders(db)
    ctx.emit(holders, lambda: "\n".join(f"{login:<24} {role}" for login, role in
                                         sorted(holders.items())) or "Nobody holds a role yet.")
    return 0


def _article(role: str) -> str:
    return "an" if role[0] in "aeiou" else "a"
