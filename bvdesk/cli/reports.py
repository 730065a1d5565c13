"""``bvdesk report`` (PDF editions of a review) and ``bvdesk export`` (its Excel workbook)."""

from __future__ import annotations

from bvdesk.cli._checks import check_suffix
from bvdesk.cli._framework import REVIEW_ID, Commands, Context
from bvdesk.domain.vocabulary import Edition


def register(commands: Commands) -> None:
    p = commands.add("report", _report, "Render a review as a PDF: the regulator submission, "
                     "the board paper or the tenant summary")
    p.add_argument("review", type=int, metavar="ID", help=REVIEW_ID)
    p.add_argument("--edition", choices=sorted(e.value for e in Edition), default="regulator",
                   help="which document (default: regulator)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf",
                   help="the PDF file to write")

    p = commands.add("export", _export, "Write a review's figures to an Excel workbook")
    p.add_argument("review", type=int, metavar="ID", help=REVIEW_ID)
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx",
                   help="the workbook to write")


def _report(ctx: Context) -> int:
    from bvdesk.domain.wording import count
    from bvdesk.operations.reports import render_report

    check_suffix(ctx.args.output, ".pdf", f"the {ctx.args.edition} edition")
    with ctx.open_db(write=False) as db, ctx.long_task("Writing the report") as task:
        result = render_report(db, ctx.args.review, ctx.args.edition, ctx.args.output,
                               progress=task, cancelled=task.cancelled)
    state = "signed off" if result.signed_off else "draft"
    ctx.emit(result.to_json(), lambda: (
        f"Wrote {result.path} ({result.edition}, {count(result.pages, 'page')}, {state}, "
        f"version {result.version}).\nSHA-256 {result.sha256}"))
    return 0


def _export(ctx: Context) -> int:
    from bvdesk.operations.reports import export_workbook

    check_suffix(ctx.args.output, ".xlsx", "the review's workbook")
    with ctx.open_db(write=False) as db, ctx.long_task("Writing the workbook") as task:
        result = export_workbook(db, ctx.args.review, ctx.args.output, progress=task,
                                 cancelled=task.cancelled)
    ctx.emit(result.to_json(), lambda: (
        f"Wrote {result.path} ({', '.join(result.sheets)}).\nSHA-256 {result.sha256}"))
    return 0
