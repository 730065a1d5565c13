"""Compete commands: appraise a review's options, and move an appraisal in and out of Excel."""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from bvdesk.cli._framework import REVIEW_ID, Commands, Context
from bvdesk.errors import InputRefused

if TYPE_CHECKING:
    from bvdesk.domain.appraisal import AppraisalInputs, AppraisalResult


def register(commands: Commands) -> None:
    appraise = commands.add("appraise", _appraise, "Appraise a review's options: whole-life "
                            "cost, price and quality scores, sensitivity and the decision")
    appraise.add_argument("id", type=int, metavar="ID", help=REVIEW_ID)

    template = commands.add("appraisal", _template, "Write an appraisal workbook to fill in",
                            group="template", group_help="Write workbooks to fill in")
    template.add_argument("-o", "--output", required=True, metavar="FILE",
                          help="the .xlsx file to write")
    template.add_argument("--review", type=int, metavar="ID",
                          help="fill it with this review's current appraisal")
    template.add_argument("--years", type=int, metavar="N",
                          help="appraisal period: cost columns for years 0 to N (default 10, "
                               "or the review's)")
    template.add_argument("--base-date", metavar="DATE",
                          help="base date of a new appraisal, e.g. 01/04/2010 (default: today)")

    imported = commands.add("appraisal", _import, "Load an appraisal workbook into a review "
                            "(replaces its options, costs, risks and scores; all or nothing)",
                            group="import", group_help="Import data from workbooks")
    imported.add_argument("file", metavar="FILE", help="the appraisal workbook (.xlsx)")
    imported.add_argument("--review", type=int, required=True, metavar="ID", help=REVIEW_ID)
    imported.add_argument("--replace-changes", action="store_true",
                          help="import even though the review's appraisal changed after the "
                               "workbook was made from it (those changes are lost)")


def _appraise(ctx: Context) -> int:
    from bvdesk.operations.appraisal import appraise_inputs, load_inputs

    with ctx.open_db(write=False) as db:
        inputs = load_inputs(db, ctx.args.id)
    result = appraise_inputs(inputs)
    ctx.emit(result.as_dict(), lambda: "\n".join([_settings(inputs, result), "",
                                                  _report(result)]))
    return 0


def _settings(inputs: AppraisalInputs, result: AppraisalResult) -> str:
    """What the figures below were worked out with, as the submission's Compete section
    states it: base date and period, discount rate, VAT, weighting and threshold."""
    from bvdesk.domain.discounting import yearly_rates
    from bvdesk.domain.livefigures import fixed, trimmed
    from bvdesk.domain.wording import count

    p = inputs.parameters
    if p.discount_rate_pct is not None:
        discount = f"discount rate {fixed(p.discount_rate_pct, 2)}%"
    else:
        rates = yearly_rates(p.period_years, p.base_date, schedule=inputs.discount_schedule)
        shown = sorted(set(rates), reverse=True) or [0.0]
        discount = ("discount rate " + ", then ".join(f"{fixed(r, 2)}%" for r in shown)
                    + " (the Treasury schedule for the base date)")
    homes = f"; {p.homes_served:,} homes served" if p.homes_served else ""
    return (f"Base date {p.base_date.day} {p.base_date:%B %Y}, {count(p.period_years, 'year')}; "
            f"{discount}; VAT {fixed(result.vat_rate_pct, 1)}%; price : quality "
            f"{trimmed(p.price_weight, 2)} : {trimmed(p.quality_weight, 2)}; quality threshold "
            f"{trimmed(p.quality_threshold_pct, 2)}% of the quality marks{homes}.")


def _base_date(text: str) -> dt.date:
    """A date as typed on screen (01/04/2010), or as ISO writes it (2010-04-01)."""
    for form in ("%d/%m/%Y", "%Y-%m-%d"):
        with suppress(ValueError):
            return dt.datetime.strptime(text.strip(), form).date()
    raise InputRefused(f"--base-date '{text}' is not a date: write it as 01/04/2010 (or "
                       "2010-04-01).")


def _template(ctx: Context) -> int:
    from bvdesk.operations.appraisal import write_template

    args = ctx.args
    if args.years is not None and not 0 <= args.years <= 400:
        raise InputRefused("--years must be from 0 to 400.")
    base = None
    if args.base_date:
        base = _base_date(args.base_date)
    output = Path(args.output)
    if args.review is not None:
        with ctx.open_db(write=False) as db:
            path = write_template(output, db=db, review_id=args.review, base_date=base,
                                  period_years=args.years)
    else:
        path = write_template(output, base_date=base, period_years=args.years)
    ctx.emit({"file": str(path), "review": args.review},
             f"Wrote {path}. Fill it in, then: bvdesk import appraisal {args.output} --review "
             f"{'ID' if args.review is None else args.review}")
    return 0


def _import(ctx: Context) -> int:
    from bvdesk.domain.wording import count
    from bvdesk.operations.appraisal import (
        AppraisalChangedSinceWorkbook,
        AppraisalImportRefused,
        import_appraisal,
    )

    with ctx.open_db(write=True) as db:
        try:
            summary = import_appraisal(db, ctx.args.review, Path(ctx.args.file),
                                       replace_changes=ctx.args.replace_changes)
        except AppraisalChangedSinceWorkbook as changed:
            raise InputRefused(
                f"{changed.what_changed} Write a new workbook from the review (bvdesk template "
                f"appraisal --review {ctx.args.review} -o FILE) and copy your figures into it, "
                "or add --replace-changes to import this one anyway.") from changed
        except AppraisalImportRefused as refused:
            ctx.emit({"imported": False, "issues": [i.to_json() for i in refused.issues]}, "")
            ctx.warn(f"bvdesk: {refused.message}")
            return refused.exit_code
    ctx.emit({"imported": True, **summary.to_json()},
             f"Imported into review {summary.review_id}: {count(summary.options, 'option')}, "
             f"{count(summary.cost_lines, 'cost line')}, {count(summary.risks, 'risk')}, "
             f"{count(summary.criteria, 'quality criterion', 'quality criteria')}. "
             "Run 'bvdesk appraise "
             f"{summary.review_id}' to see the result.")
    return 0


def _report(result: AppraisalResult) -> str:
    from bvdesk.domain.appraisal import switching_sentence, weight_flip_sentence
    from bvdesk.domain.livefigures import fixed

    wide = max([len("Option"), *(len(o.name) for o in result.options)])  # names whole
    lines = [f"{'Rank':>4}  {'Option':<{wide}} {'NPC £':>13} {'EAC £':>12} {'£/home':>8} "
             f"{'Quality':>7} {'Price':>6} {'Total':>6}  Eligible"] if result.options else \
        ["No options have been appraised."]
    for o in sorted(result.options, key=lambda o: o.rank):
        per_home = fixed(o.cost_per_home, 0) if o.cost_per_home is not None else "-"
        lines.append(f"{o.rank:>4}  {o.name:<{wide}} {fixed(o.npc, 0):>13} "
                     f"{fixed(o.eac, 0):>12} {per_home:>8} {fixed(o.quality_score, 2):>7} "
                     f"{fixed(o.price_score, 2):>6} {fixed(o.total_score, 2):>6}  "
                     f"{'yes' if o.eligible else 'no'}")
    switching = switching_sentence(result.switching_value_pct, result.switching_between)
    sensitivity = [*([switching] if switching else []),
                   weight_flip_sentence(result.weight_flip_price_weight, result.price_weight)]
    lines += ["", *sensitivity, "", "Decision:", *(f"  {s}" for s in result.decision)]
    if result.warnings:
        lines += ["", "Warnings:", *(f"  {w}" for w in result.warnings)]
    return "\n".join(lines)
