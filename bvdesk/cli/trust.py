"""Sign-off, reopening, restore and review packages on the command line."""

from __future__ import annotations

from pathlib import Path

from bvdesk.cli._framework import Commands, Context
from bvdesk.operations import restore as restore_ops
from bvdesk.operations import signoff as signoff_ops

REVIEW_HELP = "Service reviews"


def register(commands: Commands) -> None:
    for parser in (commands.add("signoff", _signoff, "Sign a review off: it becomes read-only"),
                   commands.add("signoff", _signoff, "Sign a review off: it becomes read-only",
                                group="review", group_help=REVIEW_HELP)):
        parser.add_argument("review", type=int, metavar="ID")
        parser.add_argument("--by", required=True, metavar="NAME",
                            help="who signs it off (recorded with the sign-off)")
        parser.add_argument("--note", default="", help="a note kept with the sign-off")

    p = commands.add("reopen", _reopen, "Reopen a signed-off review as a new version",
                     group="review", group_help=REVIEW_HELP)
    p.add_argument("review", type=int, metavar="ID")
    p.add_argument("--by", required=True, metavar="NAME")
    p.add_argument("--reason", required=True, metavar="TEXT")

    p = commands.add("versions", _versions, "List the signed-off versions of a review",
                     group="review", group_help=REVIEW_HELP)
    p.add_argument("review", type=int, metavar="ID")

    p = commands.add("restore", _restore, "Replace the database with a backup (the current "
                     "file is backed up first)")
    p.add_argument("file", metavar="FILE", help="the backup to restore")
    p.add_argument("--keep", type=int, metavar="N",
                   help="automatic backups to keep (default: the backups_kept setting)")


def _signoff(ctx: Context) -> int:
    with ctx.open_db(write=True) as db:
        record = signoff_ops.sign_off(db, ctx.args.review, ctx.args.by, ctx.args.note)
    ctx.emit(record.to_json(), lambda: f"Review {record.review_id} version {record.version} "
             f"signed off by {record.by}. It is now read-only.")
    return 0


def _reopen(ctx: Context) -> int:
    with ctx.open_db(write=True) as db:
        record = signoff_ops.reopen(db, ctx.args.review, ctx.args.by, ctx.args.reason)
    ctx.emit(record.to_json(), lambda: f"Review {record.review_id} reopened as version "
             f"{record.version + 1}. Signed-off version {record.version} is kept.")
    return 0


def _versions(ctx: Context) -> int:
    with ctx.open_db(write=False) as db:
        records = signoff_ops.signoffs(db, ctx.args.review)

    def text() -> str:
        if not records:
            return f"Review {ctx.args.review} has not been signed off."
        lines = []
        for r in records:
            line = f"version {r.version}: signed off by {r.by} on {r.at:%Y-%m-%d %H:%M}"
            if r.reopened_at is not None:
                line += (f"; reopened by {r.reopened_by} on {r.reopened_at:%Y-%m-%d %H:%M} "
                         f"({r.reopen_reason})")
            lines.append(line)
        return "\n".join(lines)

    ctx.emit([r.to_json() for r in records], text)
    return 0


def _restore(ctx: Context) -> int:
    result = restore_ops.restore(ctx.db_path, Path(ctx.args.file), keep=ctx.args.keep)
    ctx.emit(result.to_json(), lambda: (
        f"Restored {result.database} from {result.restored_from}."
        + (f"\nThe file it replaced is kept as {result.previous}." if result.previous else "")))
    return 0
