"""Sign-off, reopening, restore and review packages on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bvdesk.cli._checks import check_suffix
from bvdesk.cli._framework import REVIEW_ID, Commands, Context, said_at
from bvdesk.domain.wording import count
from bvdesk.errors import InputRefused
from bvdesk.paths import backup_dir

if TYPE_CHECKING:
    from bvdesk.operations import packages

REVIEW_HELP = "Service reviews"


def register(commands: Commands) -> None:
    for parser in (commands.add("signoff", _signoff, "Sign a review off: it becomes read-only"),
                   commands.add("signoff", _signoff, "Sign a review off: it becomes read-only",
                                group="review", group_help=REVIEW_HELP)):
        parser.add_argument("review", type=int, metavar="ID", help=REVIEW_ID)
        parser.add_argument("--by", required=True, metavar="NAME",
                            help="who signs it off (recorded with the sign-off)")
        parser.add_argument("--note", default="", help="a note kept with the sign-off")
        parser.add_argument("--override-reason", default="", metavar="TEXT",
                            help="sign off although the readiness check lists items "
                                 "outstanding, for this reason (kept in the audit log and "
                                 "printed in the submission)")

    p = commands.add("reopen", _reopen, "Reopen a signed-off review as a new version",
                     group="review", group_help=REVIEW_HELP)
    p.add_argument("review", type=int, metavar="ID", help=REVIEW_ID)
    p.add_argument("--by", required=True, metavar="NAME",
                   help="who reopens it (recorded with the new version)")
    p.add_argument("--reason", required=True, metavar="TEXT",
                   help="why it is reopened, kept in the audit log")

    p = commands.add("versions", _versions, "List the signed-off versions of a review",
                     group="review", group_help=REVIEW_HELP)
    p.add_argument("review", type=int, metavar="ID", help=REVIEW_ID)

    p = commands.add("submission", _submission, "Write the PDF of a signed-off version (the "
                     "same bytes every time, also after reopening)", group="review",
                     group_help=REVIEW_HELP)
    p.add_argument("review", type=int, metavar="ID", help=REVIEW_ID)
    p.add_argument("--version", type=int, metavar="N", help="default: the latest sign-off")
    p.add_argument("--edition", default="regulator", choices=("regulator", "board", "tenant"),
                   help="which document (default: regulator)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf",
                   help="the PDF file to write")

    p = commands.add("export", _export, "Write a review to a .bvreview package for a colleague",
                     group="review", group_help=REVIEW_HELP)
    p.add_argument("review", type=int, metavar="ID", help=REVIEW_ID)
    p.add_argument("-o", "--output", required=True, metavar="FILE.bvreview",
                   help="the package file to write")

    p = commands.add("import", _import, "Bring in a .bvreview package (new review, or merge "
                     "into the same review)", group="review", group_help=REVIEW_HELP)
    p.add_argument("file", metavar="FILE.bvreview", help="the package a colleague sent")
    p.add_argument("--keep", choices=("mine", "theirs"),
                   help="settle every conflict this way")
    p.add_argument("--choose", action="append", default=[], metavar="FIELD=mine|theirs",
                   help="settle one conflicting field (repeatable)")

    p = commands.add("restore", _restore, "Replace the database with a backup (the current "
                     "file is backed up first); without FILE, list the backups bvdesk took")
    p.add_argument("file", metavar="FILE", nargs="?", help="the backup to restore")
    p.add_argument("--keep", type=int, metavar="N",
                   help="automatic backups to keep (default: the backups_kept setting)")


def _signoff(ctx: Context) -> int:
    from bvdesk.operations import signoff as signoff_ops
    from bvdesk.operations.readiness import NotReady

    with ctx.open_db(write=True) as db:
        try:
            record = signoff_ops.sign_off(db, ctx.args.review, ctx.args.by, ctx.args.note,
                                          override_reason=ctx.args.override_reason)
        except signoff_ops.MissingValue as exc:
            raise _with_flag(exc) from exc
        except NotReady as exc:
            raise InputRefused(f"{exc.listed}\nPut them right ('bvdesk check --review "
                               f"{ctx.args.review}' lists them), or sign off anyway giving the "
                               "reason with --override-reason TEXT.") from exc
        except signoff_ops.AlreadySignedOff as exc:
            raise InputRefused(f"{exc.message} ('bvdesk review reopen {ctx.args.review} --by "
                               "NAME --reason TEXT')") from exc

    def text() -> str:
        done = (f"Review {record.review_id} version {record.version} signed off by "
                f"{record.by}. It is now read-only.")
        if not record.outstanding:
            return done
        items = "1 item" if len(record.outstanding) == 1 else \
            f"{len(record.outstanding)} items"
        return (f"{done}\nSigned off overriding {items} outstanding, because: "
                f"{record.override_reason}")

    ctx.emit(record.to_json(), text)
    return 0


def _with_flag(exc: InputRefused) -> InputRefused:
    """The operation's words with the flag that gives the missing value here."""
    flag = {"by": "--by NAME", "reason": "--reason TEXT"}.get(getattr(exc, "field", ""), "")
    return InputRefused(f"{exc.message.rstrip('.')} with {flag}." if flag else exc.message)


def _reopen(ctx: Context) -> int:
    from bvdesk.operations import signoff as signoff_ops

    with ctx.open_db(write=True) as db:
        try:
            record = signoff_ops.reopen(db, ctx.args.review, ctx.args.by, ctx.args.reason)
        except signoff_ops.MissingValue as exc:
            raise _with_flag(exc) from exc
    ctx.emit(record.to_json(), lambda: f"Review {record.review_id} reopened as version "
             f"{record.version + 1}. Signed-off version {record.version} is kept.")
    return 0


def _versions(ctx: Context) -> int:
    from bvdesk.operations import signoff as signoff_ops

    with ctx.open_db(write=False) as db:
        records = signoff_ops.signoffs(db, ctx.args.review)

    def text() -> str:
        if not records:
            return f"Review {ctx.args.review} has not been signed off."
        lines = []
        for r in records:
            line = f"Version {r.version}: signed off by {r.by} on {said_at(r.at)}"
            if r.reopened_at is not None:
                line += (f"; reopened by {r.reopened_by} on {said_at(r.reopened_at)} "
                         f"({r.reopen_reason})")
            lines.append(line)
        return "\n".join(lines)

    ctx.emit([r.to_json() for r in records], text)
    return 0


def _submission(ctx: Context) -> int:
    from bvdesk.operations.reports import render_signed_off

    check_suffix(ctx.args.output, ".pdf", f"the {ctx.args.edition} edition")
    with ctx.open_db(write=False) as db:
        result = render_signed_off(db, ctx.args.review, ctx.args.version, ctx.args.edition,
                                   ctx.args.output)
    ctx.emit(result.to_json(), f"Wrote {result.path} ({result.pages} pages, SHA-256 "
             f"{result.sha256}).")
    return 0


def _value(shown: str | None) -> str:
    return "(not there)" if shown is None else shown


def _restore(ctx: Context) -> int:
    from bvdesk.operations import restore as restore_ops

    if ctx.args.file is None:
        database = ctx.db_path
        found = restore_ops.backups_of(database)
        folder = backup_dir(database)
        ctx.emit([b.to_json() for b in found], lambda: (
            f"Backups of {database.name}, newest first, in {folder}:\n"
            + "".join(f"  {b.path.name}\n" for b in found)
            + f"Restore one with 'bvdesk restore FILE --db \"{database}\"'; what the database "
              "holds now is kept as a backup first." if found else
            f"There are no backups of {database.name} in {folder} yet."))
        return 0
    with ctx.long_task("Restoring") as task:
        result = restore_ops.restore(ctx.db_path, Path(ctx.args.file), keep=ctx.args.keep,
                                     progress=task, cancelled=task.cancelled)
    ctx.emit(result.to_json(), lambda: (
        f"Restored {result.database} from {result.restored_from}."
        + (f"\nThe file it replaced is kept as {result.previous}." if result.previous else "")))
    return 0


def _export(ctx: Context) -> int:
    from bvdesk.operations import opening, packages

    # Read-only where the user may only read the file: the package is written all the same.
    opened = opening.open_database(ctx.db_target, user=getattr(ctx.args, "user", None)
                                   or opening.default_user())
    with opened.db as db, ctx.long_task("Exporting the review") as task:
        result = packages.export_review(db, ctx.args.review, Path(ctx.args.output),
                                        progress=task, cancelled=task.cancelled)
    ctx.emit(result.to_json(), lambda: f"Review {result.review_id} written to {result.file} "
             f"({count(result.evidence_files, 'evidence file')}).")
    return 0


def _import(ctx: Context) -> int:
    from bvdesk.operations import packages

    choices = {}
    for item in ctx.args.choose:
        field, _, side = item.rpartition("=")
        if not field:
            raise InputRefused(f"--choose takes FIELD=mine or FIELD=theirs, not {item!r}.")
        choices[field] = side
    with ctx.open_db(write=True) as db, ctx.long_task("Importing the package") as task:
        result = packages.import_review(db, Path(ctx.args.file), keep=ctx.args.keep,
                                        choices=choices, progress=task,
                                        cancelled=task.cancelled)
    ctx.emit(result.to_json(), lambda: _import_text(result))
    return 0 if result.applied else 1


def _import_text(result: packages.ImportResult) -> str:
    if result.created:
        return f"Imported '{result.title}' as review {result.review_id}."
    if not result.applied:
        lines = [f"'{result.title}' (review {result.review_id}) was also changed here since it "
                 f"was last exchanged; nothing was imported. "
                 f"{count(len(result.conflicts), 'conflict')}:"]
        for c in result.conflicts:
            mine, theirs = (_value(v) for v in (c.to_json()["mine"], c.to_json()["theirs"]))
            lines.append(f"  {c.path}\n    mine:   {mine}\n    theirs: {theirs}")
        lines.append("Choose with --keep mine|theirs, or --choose FIELD=mine|theirs per field.")
        return "\n".join(lines)
    if not result.taken:
        return f"Review {result.review_id} already has everything in the package."
    return (f"Updated review {result.review_id} from the package: "
            + ", ".join(result.taken) + ".")
