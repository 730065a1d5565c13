"""One review's figures as an Excel workbook, built from its snapshot.

Sheets: Review, Indicators, Indicator history, Options, Cost lines, Quality scores,
Discounting, Consultation, Actions. Numbers are rounded to the decimals they are shown with and
keep real number formats (percentages as fractions shown with ``%``, pounds as currency); each
option's net present cost, equivalent annual cost and total score are also live formulas beside
the values (over the cost lines and the discount factors), so a reader can trace them. Header
rows are frozen, bold and filtered; sheets print landscape on A4, one page wide, with the header
row repeated; column widths fit their contents.
Text that starts with ``=``, ``+``, ``-`` or ``@`` is stored as text with Excel's quote prefix,
so it is never run as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bvdesk.domain.livefigures import half_up
from bvdesk.domain.review_document import (
    CompetePart,
    ReviewDocument,
    Satisfaction,
)
from bvdesk.domain.vocabulary import CostCategory, VatTreatment
from bvdesk.domain.years import FinancialYear

POUNDS = '£#,##0;-£#,##0'
POUNDS_PENCE = '£#,##0.00;-£#,##0.00'
DATE = "dd/mm/yyyy"
PERCENT_1 = "0.0%"
FORMULA_STARTS = ("=", "+", "-", "@")
MAX_WIDTH = 60
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")


@dataclass(frozen=True, slots=True)
class Cell:
    """A value with its number format (``None``: General)."""

    value: Any
    number_format: str | None = None


@dataclass(frozen=True, slots=True)
class Formula:
    """A live Excel formula (``=...``) beside the value bvdesk computed, with its format."""

    text: str
    number_format: str | None = None


def rounded(value: float | None, decimals: int) -> float | None:
    """``value`` to ``decimals`` places, so a cell holds 83.2 and not 83.19999999999999."""
    return None if value is None else half_up(value, decimals)


def decimals_format(decimals: int, suffix: str = "") -> str:
    """``#,##0.00`` for two decimals, with an optional quoted suffix such as ``" days"``."""
    digits = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return f'{digits}"{suffix}"' if suffix else digits


def indicator_cell(value: float | None, unit: str, decimals: int) -> Cell:
    """An indicator figure with a format for its unit: percentages become real percentages."""
    if value is None:
        return Cell(None)
    if unit == "percent":
        return Cell(round(half_up(value, decimals) / 100, decimals + 2),
                    "0." + "0" * decimals + "%" if decimals > 0 else "0%")
    value = half_up(value, decimals)
    if unit == "pounds":
        return Cell(value, POUNDS_PENCE if decimals > 0 else POUNDS)
    if unit == "days":
        return Cell(value, decimals_format(decimals, " days"))
    return Cell(value, decimals_format(decimals))


def gap_cell(value: float | None, unit: str, decimals: int) -> Cell:
    """A gap: percentage points for percentages, otherwise the indicator's own unit."""
    if value is None:
        return Cell(None)
    if unit == "percent":
        return Cell(half_up(value, decimals), decimals_format(decimals, " pts"))
    return indicator_cell(value, unit, decimals)


def _date(value: str | None) -> Cell:
    return Cell(dt.date.fromisoformat(value[:10]) if value else None, DATE)


def _year(start: int | None) -> str:
    return str(FinancialYear(start)) if start is not None else ""


def _pct(value: float | None) -> Cell:
    return Cell(None if value is None else round(half_up(value, 1) / 100, 3), PERCENT_1)


def _money(value: float | None) -> Cell:
    return Cell(rounded(value, 2), POUNDS)


def _score(value: float | None) -> Cell:
    return Cell(rounded(value, 2), "0.00")


class _Sheet:
    """Rows gathered in memory so column widths can be set before the write-only sheet."""

    def __init__(self, title: str, header: Sequence[str]) -> None:
        self.title = title
        self.header = list(header)
        self.rows: list[list[Any]] = []

    def add(self, *values: Any) -> int:
        """Append a row; returns its row number in the sheet (the header is row 1)."""
        self.rows.append(list(values))
        return len(self.rows) + 1

    def write(self, book: Workbook) -> None:
        sheet = book.create_sheet(self.title[:31])
        sheet.freeze_panes = "A2"
        last = get_column_letter(max(1, len(self.header), *(len(r) for r in self.rows)))
        sheet.auto_filter.ref = f"A1:{last}{len(self.rows) + 1}"
        sheet.print_title_rows = "1:1"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = "9"  # A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_options.gridLines = True
        sheet.oddHeader.center.text = self.title
        sheet.oddFooter.center.text = "Page &P of &N"
        for index, width in enumerate(self._widths(), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        header = []
        for text in self.header:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            header.append(cell)
        sheet.append(header)
        for row in self.rows:
            sheet.append([_cell(sheet, value) for value in row])

    def _widths(self) -> list[float]:
        widths = [len(text) + 2 for text in self.header]
        for row in self.rows:
            for i, value in enumerate(row):
                widths[i] = max(widths[i], len(_shown(value)) + 2)
        return [min(MAX_WIDTH, max(8, w)) for w in widths]


def _shown(value: Any) -> str:
    """Roughly what Excel shows, for sizing the column."""
    if isinstance(value, Formula):
        return "0" * 14
    if isinstance(value, Cell):
        if value.value is None:
            return ""
        if value.number_format == DATE:
            return "00/00/0000"
        if isinstance(value.value, float):
            return f"{value.value:,.2f}" + ("%" if "%" in (value.number_format or "") else "") \
                + ("   " if '"' in (value.number_format or "") else "")
        value = value.value
    if value is None:
        return ""
    return str(value)


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> WriteOnlyCell:
    number_format = None
    if isinstance(value, Formula):
        cell = WriteOnlyCell(sheet, value=value.text)
        if value.number_format:
            cell.number_format = value.number_format
        return cell
    if isinstance(value, Cell):
        value, number_format = value.value, value.number_format
    if isinstance(value, str):
        return _text(sheet, value)
    cell = WriteOnlyCell(sheet, value=value)
    if number_format:
        cell.number_format = number_format
    return cell


def _text(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    """Text as text: illegal XML characters removed and formula-like text quoted."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell = WriteOnlyCell(sheet, value=text)
    if text.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


# --- the sheets ------------------------------------------------------------------------------


def review_workbook(snapshot: ReviewDocument) -> tuple[bytes, list[str]]:
    """The workbook as bytes and its sheet names."""
    sheets = [_review_sheet(snapshot), *_indicator_sheets(snapshot), *_compete_sheets(snapshot),
              _consult_sheet(snapshot), _actions_sheet(snapshot)]
    book = Workbook(write_only=True)
    stamp = dt.datetime.fromisoformat(snapshot["generated_on"])
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = "bvdesk"
    book.properties.title = snapshot["review"]["title"]
    for sheet in sheets:
        sheet.write(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), [s.title for s in sheets]


def _review_sheet(s: ReviewDocument) -> _Sheet:
    review = s["review"]
    sheet = _Sheet("Review", ["Item", "Value"])
    signoff = s.get("signoff")
    for label, value in (
        ("Landlord", s["landlord"]["name"]), ("Service", s["service"]["name"]),
        ("Review", review["title"]), ("Review id", review["id"]),
        ("Version", review.get("version")), ("Start", _date(review.get("start_date"))),
        ("End", _date(review.get("end_date"))),
        ("Board approval", _date(review.get("board_approval_date"))),
        ("Board minute", review.get("board_minute_ref") or ""),
        ("Board meeting", _date(review.get("board_meeting_date"))),
        ("Board paper author", review.get("board_paper_author") or ""),
        ("Board agenda item", review.get("board_agenda_ref") or ""),
        ("Signed off by", signoff["by"] if signoff else "Not signed off"),
        ("Signed off on", _date(signoff["at"]) if signoff else Cell(None)),
        ("Generated", _date(s.get("generated_on"))),
    ):
        sheet.add(label, value)
    return sheet


def _indicator_sheets(s: ReviewDocument) -> list[_Sheet]:
    compare = s["compare"]
    table = _Sheet("Indicators", [
        "Code", "Indicator", "Unit", "Polarity", "Year", "Value", "Peers (n)", "Lower quartile",
        "Median", "Upper quartile", "Quartile (1 = best)", "Rank", "Gap to top quartile",
        "Years in bottom quartile", "Persistent", "Target", "Linked to review",
        "Data-quality notes"])
    history = _Sheet("Indicator history", ["Code", "Year", "Value", "Peers (n)",
                                           "Lower quartile", "Median", "Upper quartile",
                                           "Quartile (1 = best)"])
    year = str(FinancialYear(compare["year"])) if compare["year"] is not None else ""
    for r in compare["indicators"]:
        unit, dp = r["unit"], r.get("decimals", 1)
        table.add(r["code"], r["name"], unit, r["polarity"], year,
                  indicator_cell(r["value"], unit, dp), r["n"], indicator_cell(r["p25"], unit, dp),
                  indicator_cell(r["median"], unit, dp), indicator_cell(r["p75"], unit, dp),
                  r["quartile"], r["rank"], gap_cell(r["gap_to_top_quartile"], unit, dp),
                  r["years_in_bottom_quartile"], "Yes" if r["persistent"] else "No",
                  indicator_cell(r.get("target"), unit, dp), "Yes" if r["linked"] else "No",
                  " ".join(x for x in (r.get("quality_note"), r.get("note")) if x))
        for p in r.get("history", []):
            history.add(r["code"], str(FinancialYear(p["year"])),
                        indicator_cell(p.get("value"), unit, dp), p.get("n"),
                        indicator_cell(p.get("p25"), unit, dp),
                        indicator_cell(p.get("median"), unit, dp),
                        indicator_cell(p.get("p75"), unit, dp), p.get("quartile"))
    return [table, history]


def _compete_sheets(s: ReviewDocument) -> list[_Sheet]:
    """Options, their cost lines, quality scores and the discount factors; the net present
    cost, equivalent annual cost and total score also as live formulas beside the values."""
    compete: CompetePart = s.get("compete") or {"options": [], "message": ""}
    options = compete["options"]
    factors = compete.get("discount_factors") or []
    years = max([len(o["yearly_costs"]) for o in options] + [len(factors)], default=0)
    lines = _Sheet("Cost lines", ["Option", "Category", "VAT", "Description",
                                  *[f"Year {t}" for t in range(years)], "Net present cost"])
    first, last = get_column_letter(5), get_column_letter(4 + max(1, years))
    df_last = get_column_letter(1 + max(1, len(factors)))
    npc_col = get_column_letter(5 + years)
    totals: dict[str, int] = {}
    for o in options:
        for line in o.get("cost_lines", []):
            amounts = [_money(a) for a in line["amounts"]][:years]
            lines.add(o["name"], CostCategory(line["category"]).label,
                      VatTreatment(line["vat"]).label, line["description"], *amounts,
                      *[Cell(None)] * (years - len(amounts)), Cell(None))
        yearly = [_money(a) for a in o["yearly_costs"]]
        npc = (Formula(f"=SUMPRODUCT({first}{{row}}:{last}{{row}},"
                       f"Discounting!B2:{df_last}2)", POUNDS) if factors else _money(o["npc"]))
        row = len(lines.rows) + 2
        totals[o["name"]] = row
        lines.add(o["name"], "Total (with VAT, optimism bias and risk)", "", "", *yearly,
                  *[Cell(None)] * (years - len(yearly)),
                  Formula(npc.text.format(row=row), POUNDS) if isinstance(npc, Formula)
                  else npc)
    results = _Sheet("Options", ["Option", "Kind", "Net present cost", "NPC (formula)",
                                 "Equivalent annual cost", "EAC (formula)", "Cost per home",
                                 "Irrecoverable VAT (NPC)", "Optimism bias (NPC)", "Risk (NPC)",
                                 "Quality score", "Price score", "Total score",
                                 "Total (formula)", "Eligible", "Rank", "Recommended"])
    service_dfs = f"Discounting!C2:{df_last}2" if len(factors) > 1 else ""
    for o in options:
        row = len(results.rows) + 2
        npc_ref = f"'Cost lines'!{npc_col}{totals[o['name']]}"
        eac = f"=D{row}/SUM({service_dfs})" if service_dfs else f"=D{row}"
        results.add(o["name"], o["kind_label"], _money(o["npc"]), Formula(f"={npc_ref}", POUNDS),
                    _money(o["eac"]), Formula(eac, POUNDS), _money(o.get("cost_per_home")),
                    _money(o["vat_npc"]), _money(o["optimism_bias_npc"]),
                    _money(o["risk_npc"]), _score(o["quality_score"]), _score(o["price_score"]),
                    _score(o["total_score"]), Formula(f"=K{row}+L{row}", "0.00"),
                    "Yes" if o["eligible"] else "No", o["rank"],
                    "Yes" if o["name"] == compete.get("recommended") else "")
    discounting = _Sheet("Discounting", ["", *[f"Year {t}" for t in range(len(factors))]])
    discounting.add("Discount factor", *[Cell(round(f, 6), "0.000000") for f in factors])
    scores = _Sheet("Quality scores", ["Criterion", "Weight", *[o["name"] for o in options]])
    criteria = compete.get("criteria", [])
    for c in criteria:
        scores.add(c["name"], Cell(rounded(c["weight"], 2), "0.0"),
                   *[Cell(c["scores"].get(o["name"]), "General") for o in options])
    parameters = compete.get("parameters")
    if criteria and parameters is not None:
        # The weighted quality score: share of the marks (a missing score counts 0) times the
        # quality weight, beside the value bvdesk computed on the Options sheet.
        last = len(criteria) + 1
        quality_weight = 100 - parameters["price_weight"]
        scores.add("Quality score (weighted)", "",
                   *[Formula(f"=SUMPRODUCT($B$2:$B${last},{col}2:{col}{last})"
                             f"/(10*SUM($B$2:$B${last}))*{quality_weight:g}", "0.00")
                     for col in (get_column_letter(3 + i) for i in range(len(options)))])
    return [results, lines, scores, discounting]


def _consult_sheet(s: ReviewDocument) -> _Sheet:
    sheet = _Sheet("Consultation", [
        "Method", "Held", "Sample frame", "Population", "Issued", "Responses", "Response rate",
        "Satisfied", "95% CI low", "95% CI high", "Answers (n)", "Representativeness",
        "Findings", "What changed"])
    for a in s["consult"]:
        sat: Satisfaction | dict[str, None] = a.get("satisfaction") or {}
        sheet.add(a["method_label"], _date(a.get("held_on")), a.get("sample_frame", ""),
                  Cell(a.get("population"), "#,##0"), Cell(a.get("issued"), "#,##0"),
                  Cell(a.get("responses"), "#,##0"), _pct(a.get("response_rate")),
                  _pct(sat.get("pct")), _pct(sat.get("low")), _pct(sat.get("high")),
                  sat.get("n"), a.get("representativeness", ""), a.get("findings", ""),
                  a.get("changes", ""))
    return sheet


def _actions_sheet(s: ReviewDocument) -> _Sheet:
    sheet = _Sheet("Actions", [
        "Action", "Owner", "Start", "Due", "Resources (£)", "Resources (FTE)", "Indicator",
        "Baseline", "Baseline year", "Target", "Target year", "Top quartile now",
        "Target reaches top quartile", "Status", "Deliverable", "Milestones", "Finding"])
    for a in s["actions"]:
        unit, dp = a.get("unit") or "count", a.get("decimals") or 1
        reaches = {True: "Yes", False: "No", None: ""}[a.get("reaches_top_quartile")]
        sheet.add(a["title"], a.get("owner", ""), _date(a.get("start_date")),
                  _date(a.get("due_date")), _money(a.get("resources_gbp")),
                  Cell(rounded(a.get("resources_fte"), 1), "0.0"), a.get("indicator") or "",
                  indicator_cell(a.get("baseline_value"), unit, dp),
                  _year(a["baseline_year"]),
                  indicator_cell(a.get("target_value"), unit, dp),
                  _year(a["target_year"]),
                  indicator_cell(a.get("top_quartile"), unit, dp), reaches,
                  (a.get("status") or "").capitalize(), a.get("deliverable", ""),
                  a.get("milestones", ""), a.get("finding", ""))
    return sheet
