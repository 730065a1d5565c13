"""The appraisal workbook: a template to fill in, and a strict reader for it.

Sheets: Instructions; Settings (Key, Value); Options (Option, Kind, Optimism bias %,
Description, Market-tested share %); Costs (Option, Category, VAT, Year 0 .. Year N,
Description); Quality (Criterion, Weight, then one score column per option headed with its name);
Risks (Option, Risk, Probability, Impact, Year). A hidden Lists sheet feeds the drop-downs.

``read_appraisal_workbook`` returns the data only when the whole workbook is right; otherwise it
returns every problem found, each located by sheet, row and column, so nothing half-imports.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bvdesk.domain.appraisal import (
    AppraisalParameters,
    CostLineInput,
    Criterion,
    OptionInput,
    RiskInput,
)
from bvdesk.domain.names import squash
from bvdesk.domain.vocabulary import CostCategory, OptionKind, PriceMethod, VatTreatment
from bvdesk.errors import FileProblem
from bvdesk.excel.safety import FileKind, inspect_file
from bvdesk.excel.sources import openpyxl_errors, reader_stopped, xlsx_sheet_parts

SETTINGS, OPTIONS, COSTS, QUALITY, RISKS, LISTS = (
    "Settings", "Options", "Costs", "Quality", "Risks", "Lists")
OPTION_HEADERS = ("Option", "Kind", "Optimism bias %", "Description", "Market-tested share %")
RISK_HEADERS = ("Option", "Risk", "Probability", "Impact", "Year")
#: Rows given drop-downs and formats below the headings.
ROWS = 500
#: The most cells a sheet of an appraisal workbook may span (its rows are held in memory, and
#: openpyxl reads some 20,000 cells a second): twice the template's largest, 500 rows by 400
#: years and the line's own columns.
MAX_CELLS = 500_000
MAX_PERIOD = 400
#: The custom document property recording what a workbook was made from.
MADE_FROM = "bvdesk made from"

_KEYS = {
    "base_date": "Base date",
    "period_years": "Appraisal period (years)",
    "discount_rate_pct": "Discount rate %",
    "vat_rate_pct": "VAT rate %",
    "price_weight": "Price weight %",
    "price_method": "Price method",
    "quality_threshold_pct": "Quality threshold %",
    "homes_served": "Homes served",
}
_NOTES = {
    "base_date": "The date the prices are at (e.g. 2010-04-01). Sets the default VAT rate and "
                 "discount schedule.",
    "period_years": "Years after year 0; costs are given for years 0 to N.",
    "discount_rate_pct": "Blank: 6% before 2003, then the Green Book declining schedule "
                         "(3.5% for years 1-30...). A figure applies to every year.",
    "vat_rate_pct": "Blank: the standard rate in force on the base date.",
    "price_weight": "0-100; the quality weight is 100 minus this. Blank: 40.",
    "price_method": "Relative (weight x lowest / price) or Linear (weight x (1 - excess over "
                    "lowest)).",
    "quality_threshold_pct": "Options scoring below this % of the quality marks are not "
                             "eligible. Blank: 50.",
    "homes_served": "For the cost per home per year.",
}
_YEAR = re.compile(r"^year\s*(\d+)$", re.IGNORECASE)
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")

INSTRUCTIONS = (
    "bvdesk options appraisal workbook",
    "",
    "Fill in the Settings, Options, Costs, Quality and Risks sheets, then load the workbook "
    "with Import from Excel in the review's Compete stage in bvdesk (or from the command "
    "line: bvdesk import appraisal FILE --review ID).",
    "Importing replaces the review's options, costs, risks, quality criteria and scores, and "
    "its appraisal settings. If anything in the workbook is wrong, nothing is imported and "
    "every problem is listed with its sheet, row and column.",
    "",
    "Options: one row per option, with a unique name. Kind is chosen from the list. Appraise "
    "at least three options, including retaining and improving the in-house service.",
    "Costs: one row per cost line. Amounts are in base-year prices EXCLUDING VAT; choose VAT "
    "'Irrecoverable' where the landlord pays VAT it cannot reclaim (e.g. a contract price). "
    "Year 0 is the base year; add Year columns up to the appraisal period.",
    "Quality: one row per criterion with its weight (any positive numbers; they are "
    "normalised), and a score from 0 to 10 for each option, under the option's name.",
    "Risks: expected cost = probability (0 to 1) x impact (pounds), added in its year.",
    "Optimism bias % uplifts every cost line of the option (Green Book supplementary "
    "guidance).",
    "",
    "The method and its formulas are set out in the bvdesk methodology (docs/methodology.md).",
)


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem at one place in the workbook (row and column as Excel shows them)."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.sheet
        if self.column and self.row:
            where += f"!{self.column}{self.row}"
        elif self.row:
            where += f" row {self.row}"
        return f"{where}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column,
                "message": self.message}


@dataclass(frozen=True, slots=True)
class AppraisalData:
    """The contents of an appraisal workbook, in the domain's terms."""

    parameters: AppraisalParameters
    options: tuple[OptionInput, ...]
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True)
class ReadResult:
    """``data`` when the workbook is wholly right, else ``None`` and the ``issues``."""

    data: AppraisalData | None
    issues: tuple[Issue, ...] = field(default=())
    #: What the workbook was made from, as recorded when it was written (``None``: not recorded).
    made_from: str | None = None


# --- writing -----------------------------------------------------------------------------------


def starter_data(base_date: dt.date, period_years: int = 10) -> AppraisalData:
    """A new appraisal: default settings and the three options every appraisal should have."""
    return AppraisalData(
        parameters=AppraisalParameters(base_date=base_date, period_years=period_years),
        options=(OptionInput("In-house (status quo)", OptionKind.IN_HOUSE),
                 OptionInput("Improved in-house", OptionKind.IMPROVED_IN_HOUSE),
                 OptionInput("External contract", OptionKind.EXTERNAL)),
        criteria=())


def write_appraisal_workbook(path: Path | str | IO[bytes], data: AppraisalData, *,
                             made_from: str | None = None) -> Path | IO[bytes]:
    """Write ``data`` as an appraisal workbook (with instructions and drop-down lists) to a file
    or a binary stream (what the one output writer passes, so no half-written file is left).
    ``made_from`` (what the data was read from) is kept in the workbook's custom properties,
    which Excel keeps when the file is saved, and read back as ``ReadResult.made_from``.

    Raises:
        FileProblem: the file cannot be written.
    """
    target = Path(path) if isinstance(path, (str, Path)) else path
    book = Workbook()
    instructions = book.active
    assert instructions is not None
    instructions.title = "Instructions"
    for row, text in enumerate(INSTRUCTIONS, start=1):
        cell = instructions.cell(row=row, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.column_dimensions["A"].width = 110
    _write_lists(book.create_sheet(LISTS))
    _write_settings(book.create_sheet(SETTINGS, 1), data.parameters)
    _write_options(book.create_sheet(OPTIONS, 2), data.options)
    _write_costs(book.create_sheet(COSTS, 3), data)
    _write_quality(book.create_sheet(QUALITY, 4), data)
    _write_risks(book.create_sheet(RISKS, 5), data.options)
    if made_from is not None:
        book.custom_doc_props.append(StringProperty(name=MADE_FROM, value=made_from))
    try:
        book.save(target)
    except OSError as exc:
        raise FileProblem(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    return target


def _headings(sheet: Worksheet, headings: Sequence[str], widths: Sequence[int]) -> None:
    for column, text in enumerate(headings, start=1):
        cell = sheet.cell(row=1, column=column, value=text)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        width = widths[column - 1] if column <= len(widths) else 12
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def _drop_down(sheet: Worksheet, source: str, cells: str, what: str) -> None:
    validation = DataValidation(type="list", formula1=source, allow_blank=True,
                                showErrorMessage=True, errorTitle=f"Not a {what}",
                                error=f"Choose a {what} from the list.")
    sheet.add_data_validation(validation)
    validation.add(cells)


_LIST_COLUMNS: tuple[tuple[str, tuple[Any, ...]], ...] = (
    ("Kind", tuple(OptionKind)), ("Category", tuple(CostCategory)),
    ("VAT", tuple(VatTreatment)), ("Price method", tuple(PriceMethod)),
)


def _list_range(name: str) -> str:
    for column, (heading, members) in enumerate(_LIST_COLUMNS, start=1):
        if heading == name:
            letter = get_column_letter(column)
            return f"={LISTS}!${letter}$2:${letter}${len(members) + 1}"
    raise KeyError(name)


def _option_names_range() -> str:
    return f"={OPTIONS}!$A$2:$A${ROWS}"


def _write_lists(sheet: Worksheet) -> None:
    for column, (heading, members) in enumerate(_LIST_COLUMNS, start=1):
        sheet.cell(row=1, column=column, value=heading)
        for row, member in enumerate(members, start=2):
            sheet.cell(row=row, column=column, value=member.label)
    sheet.sheet_state = "hidden"


def _write_settings(sheet: Worksheet, params: AppraisalParameters) -> None:
    _headings(sheet, ("Key", "Value", "Note"), (28, 16, 90))
    values: dict[str, Any] = {
        "base_date": params.base_date, "period_years": params.period_years,
        "discount_rate_pct": params.discount_rate_pct, "vat_rate_pct": params.vat_rate_pct,
        "price_weight": params.price_weight, "price_method": params.price_method.label,
        "quality_threshold_pct": params.quality_threshold_pct,
        "homes_served": params.homes_served,
    }
    for row, (key, label) in enumerate(_KEYS.items(), start=2):
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
        cell = sheet.cell(row=row, column=2, value=values[key])
        if key == "base_date":
            cell.number_format = "yyyy-mm-dd"
        sheet.cell(row=row, column=3, value=_NOTES[key])
        if key == "price_method":
            _drop_down(sheet, _list_range("Price method"), f"B{row}", "price method")


def _write_options(sheet: Worksheet, options: Sequence[OptionInput]) -> None:
    _headings(sheet, OPTION_HEADERS, (40, 40, 16, 60, 22))
    for row, option in enumerate(options, start=2):
        for column, value in enumerate((option.name, option.kind.label, option.optimism_bias_pct,
                                        option.description or None,
                                        option.market_tested_share_pct), start=1):
            sheet.cell(row=row, column=column, value=value)
    _drop_down(sheet, _list_range("Kind"), f"B2:B{ROWS}", "kind of option")


def _write_costs(sheet: Worksheet, data: AppraisalData) -> None:
    years = data.parameters.period_years
    headings = ("Option", "Category", "VAT", *(f"Year {t}" for t in range(years + 1)),
                "Description")
    _headings(sheet, headings, (40, 32, 14))
    description = len(headings)
    sheet.column_dimensions[get_column_letter(description)].width = 40
    row = 2
    for option in data.options:
        for line in option.cost_lines:
            sheet.cell(row=row, column=1, value=option.name)
            sheet.cell(row=row, column=2, value=line.category.label)
            sheet.cell(row=row, column=3, value=line.vat.label)
            for year, amount in enumerate(line.amounts[:years + 1]):
                sheet.cell(row=row, column=4 + year, value=amount)
            sheet.cell(row=row, column=description, value=line.description or None)
            row += 1
    for column in range(4, 5 + years):
        for cells in sheet.iter_rows(min_row=2, max_row=ROWS, min_col=column, max_col=column):
            cells[0].number_format = "#,##0"
    _drop_down(sheet, _option_names_range(), f"A2:A{ROWS}", "option")
    _drop_down(sheet, _list_range("Category"), f"B2:B{ROWS}", "cost category")
    _drop_down(sheet, _list_range("VAT"), f"C2:C{ROWS}", "VAT treatment")


def _write_quality(sheet: Worksheet, data: AppraisalData) -> None:
    names = [option.name for option in data.options]
    _headings(sheet, ("Criterion", "Weight", *names), (50, 10, *(18 for _ in names)))
    for row, criterion in enumerate(data.criteria, start=2):
        sheet.cell(row=row, column=1, value=criterion.name)
        sheet.cell(row=row, column=2, value=criterion.weight)
        for column, option in enumerate(data.options, start=3):
            sheet.cell(row=row, column=column, value=option.scores.get(criterion.name))
    if names:
        last = get_column_letter(2 + len(names))
        validation = DataValidation(type="decimal", operator="between", formula1="0",
                                    formula2="10", allow_blank=True, showErrorMessage=True,
                                    errorTitle="Not a score", error="Scores are from 0 to 10.")
        sheet.add_data_validation(validation)
        validation.add(f"C2:{last}{ROWS}")


def _write_risks(sheet: Worksheet, options: Sequence[OptionInput]) -> None:
    _headings(sheet, RISK_HEADERS, (40, 60, 12, 14, 8))
    row = 2
    for option in options:
        for risk in option.risks:
            for column, value in enumerate((option.name, risk.description, risk.probability,
                                            risk.impact, risk.year), start=1):
                sheet.cell(row=row, column=column, value=value)
            row += 1
    _drop_down(sheet, _option_names_range(), f"A2:A{ROWS}", "option")
    validation = DataValidation(type="decimal", operator="between", formula1="0", formula2="1",
                                allow_blank=True, showErrorMessage=True,
                                errorTitle="Not a probability",
                                error="A probability is from 0 to 1 (e.g. 0.25 or 25%).")
    sheet.add_data_validation(validation)
    validation.add(f"C2:C{ROWS}")


# --- reading -----------------------------------------------------------------------------------


def read_appraisal_workbook(path: Path | str) -> ReadResult:
    """Read an appraisal workbook; all of it, or none of it with every problem located.

    Raises:
        FileProblem: the file is missing, or not an Excel workbook.
    """
    path = Path(path)
    inspection = inspect_file(path)
    if inspection.kind is not FileKind.XLSX:
        raise FileProblem(f"{path.name} is not an .xlsx workbook. Start from one made with "
                          "Export to Excel in the Compete stage (or 'bvdesk template "
                          "appraisal'), or save the file from Excel as .xlsx.")
    xlsx_sheet_parts(path, inspection.members, max_cells=MAX_CELLS)
    errors = openpyxl_errors()
    raw: dict[str, list[tuple[Any, ...]]] = {}
    # openpyxl warns (on standard error) about features it skips; a reader stays quiet.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with reader_stopped(path, errors):
            book = load_workbook(path, read_only=True, data_only=True)
        made_from = next((str(p.value) for p in book.custom_doc_props
                          if p.name == MADE_FROM and p.value), None)
        try:  # chart sheets hold no cells: only worksheets are read
            for sheet in book.worksheets:
                with reader_stopped(path, errors, f"in sheet '{sheet.title}'"):
                    raw[sheet.title] = list(sheet.iter_rows(values_only=True))
        finally:
            book.close()
    reader = _Reader({name: _rows(rows) for name, rows in raw.items()})
    data = reader.read()
    return ReadResult(data if not reader.issues else None, tuple(reader.issues), made_from)


Row = tuple[int, tuple[Any, ...]]


def _rows(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [tuple(_clean(value) for value in row) for row in rows]


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


class _Reader:
    """Reads the sheets in order, collecting every issue instead of stopping at the first."""

    def __init__(self, sheets: dict[str, list[tuple[Any, ...]]]) -> None:
        self.sheets = sheets
        self.issues: list[Issue] = []

    def problem(self, sheet: str, row: int | None, column: int | None, message: str) -> None:
        letter = get_column_letter(column) if column else None
        self.issues.append(Issue(sheet, row, letter, message))

    def read(self) -> AppraisalData | None:
        missing = [name for name in (SETTINGS, OPTIONS, COSTS, QUALITY, RISKS)
                   if name not in self.sheets]
        for name in missing:
            self.problem(name, None, None, f"the workbook has no '{name}' sheet (start from "
                                           "'bvdesk template appraisal')")
        if missing:
            return None
        params = self._settings()
        period = params.period_years if params else None
        names, options = self._options()
        lines = self._costs(names, period)
        risks = self._risks(names, period)
        criteria, scores = self._quality(names)
        if params is None or self.issues:
            return None
        built = tuple(OptionInput(
            name=option.name, kind=option.kind, description=option.description,
            optimism_bias_pct=option.optimism_bias_pct,
            market_tested_share_pct=option.market_tested_share_pct,
            cost_lines=tuple(lines.get(option.name, ())), risks=tuple(risks.get(option.name, ())),
            scores=scores.get(option.name, {})) for option in options)
        return AppraisalData(params, built, tuple(criteria))

    # --- sheets ---------------------------------------------------------------------------

    def _body(self, sheet: str) -> Iterator[Row]:
        """The non-blank rows below the headings, with their Excel row numbers."""
        for number, row in enumerate(self.sheets[sheet][1:], start=2):
            if any(value is not None for value in row):
                yield number, row

    def _headers(self, sheet: str, expected: Sequence[str]) -> dict[str, int] | None:
        """Column index (1-based) of each expected heading, reporting the missing ones."""
        found = self._optional(sheet, expected)
        missing = [heading for heading in expected if heading not in found]
        for heading in missing:
            self.problem(sheet, 1, None, f"there is no '{heading}' column")
        return None if missing else found

    def _settings(self) -> AppraisalParameters | None:
        labels = {squash(label): key for key, label in _KEYS.items()}
        seen: set[str] = set()
        values: dict[str, Any] = {}
        for number, row in self._body(SETTINGS):
            key = labels.get(squash(str(row[0]))) if row[0] is not None else None
            if key is None:
                self.problem(SETTINGS, number, 1, f"'{row[0] or ''}' is not a setting; the "
                             f"settings are: {', '.join(_KEYS.values())}")
                continue
            seen.add(key)
            parsed = self._setting(key, _at(row, 2), number)
            if parsed is not _BAD and parsed is not None:
                values[key] = parsed
        if "base_date" not in seen:
            self.problem(SETTINGS, None, None, "there is no 'Base date' row")
        if "base_date" not in values:
            return None
        return AppraisalParameters(**values)

    def _setting(self, key: str, value: Any, row: int) -> Any:
        sheet, column = SETTINGS, 2
        if key == "base_date":
            day = _as_date(value)
            if day is None:
                self.problem(sheet, row, column, "the base date must be a date, e.g. 2010-04-01")
                return _BAD
            return day
        if key == "price_method":
            if value is None:
                return None
            return self._choice(PriceMethod, value, sheet, row, column, "price method")
        if value is None:
            if key in ("discount_rate_pct", "vat_rate_pct", "homes_served", "price_weight",
                       "quality_threshold_pct"):
                return None  # the method's default (AppraisalParameters): 40% and 50%
            self.problem(sheet, row, column, f"{_KEYS[key]} needs a value")
            return _BAD
        limits = {"period_years": (0, MAX_PERIOD), "vat_rate_pct": (0, 100),
                  "price_weight": (0, 100), "quality_threshold_pct": (0, 100),
                  "homes_served": (0, None), "discount_rate_pct": (-99.99, 100)}
        whole = key in ("period_years", "homes_served")
        return self._number(value, sheet, row, column, _KEYS[key], limits[key], whole=whole)

    def _options(self) -> tuple[set[str], list[OptionInput]]:
        columns = self._headers(OPTIONS, OPTION_HEADERS[:2])
        if columns is None:
            return set(), []
        headers = self._optional(OPTIONS, OPTION_HEADERS[2:])
        options: list[OptionInput] = []
        names: set[str] = set()
        for number, row in self._body(OPTIONS):
            name = _text(_at(row, columns["Option"]))
            if name is None:
                self.problem(OPTIONS, number, columns["Option"], "the option has no name")
                continue
            if name in names:
                self.problem(OPTIONS, number, columns["Option"],
                             f"there is already an option called '{name}'")
                continue
            names.add(name)
            kind = self._choice(OptionKind, _at(row, columns["Kind"]), OPTIONS, number,
                                columns["Kind"], "kind of option")
            bias = self._optional_number(row, headers, "Optimism bias %", OPTIONS, number,
                                         (-100, 1000))
            share = self._optional_number(row, headers, "Market-tested share %", OPTIONS,
                                          number, (0, 100))
            description = _text(_at(row, headers.get("Description"))) or ""
            if kind is _BAD or bias is _BAD or share is _BAD:
                continue
            options.append(OptionInput(name=name, kind=kind, optimism_bias_pct=bias or 0.0,
                                       market_tested_share_pct=share, description=description))
        if not names:
            self.problem(OPTIONS, None, None, "there are no options")
        return names, options

    def _costs(self, names: set[str], period: int | None) -> dict[str, list[CostLineInput]]:
        columns = self._headers(COSTS, ("Option", "Category", "VAT"))
        rows = self.sheets[COSTS]
        years = self._year_columns(rows[0] if rows else ())
        if columns is None or years is None:
            return {}
        description = self._optional(COSTS, ("Description",)).get("Description")
        lines: dict[str, list[CostLineInput]] = {}
        for number, row in self._body(COSTS):
            name = self._option_ref(row, columns["Option"], COSTS, number, names)
            category = self._choice(CostCategory, _at(row, columns["Category"]), COSTS, number,
                                    columns["Category"], "cost category")
            vat_cell = _at(row, columns["VAT"])
            vat = (VatTreatment.NONE if vat_cell is None else
                   self._choice(VatTreatment, vat_cell, COSTS, number, columns["VAT"],
                                "VAT treatment"))
            amounts = self._amounts(row, years, number, period)
            if _BAD in (name, category, vat) or amounts is None:
                continue
            lines.setdefault(name, []).append(CostLineInput(
                category=category, vat=vat, amounts=amounts,
                description=_text(_at(row, description)) or ""))
        return lines

    def _year_columns(self, headings: tuple[Any, ...]) -> list[tuple[int, int]] | None:
        """(year, column) for each 'Year t' heading; the years must run 0, 1, 2... in order."""
        years = []
        for column, value in enumerate(headings, start=1):
            match = _YEAR.match(str(value)) if value is not None else None
            if match:
                years.append((int(match.group(1)), column))
        if not years:
            self.problem(COSTS, 1, None, "there are no 'Year 0', 'Year 1'... columns")
            return None
        for expected, (year, column) in enumerate(years):
            if year != expected:
                self.problem(COSTS, 1, column, f"expected the heading 'Year {expected}' here; "
                                               "the year columns must run 0, 1, 2... in order")
                return None
        return years

    def _amounts(self, row: tuple[Any, ...], years: list[tuple[int, int]], number: int,
                 period: int | None) -> tuple[float, ...] | None:
        amounts: list[float] = []
        ok = True
        for year, column in years:
            value = _at(row, column)
            if value is None:
                amounts.append(0.0)
                continue
            amount = self._number(value, COSTS, number, column, f"the Year {year} amount",
                                  (None, None))
            if amount is _BAD:
                ok = False
                continue
            if period is not None and year > period and amount != 0:
                self.problem(COSTS, number, column, f"Year {year} is after the appraisal "
                             f"period of {period} years; extend the period or remove it")
                ok = False
            amounts.append(float(amount))
        if period is not None:
            amounts = amounts[:period + 1]
        return tuple(amounts) if ok else None

    def _quality(self, names: set[str]) -> tuple[list[Criterion], dict[str, dict[str, float]]]:
        columns = self._headers(QUALITY, ("Criterion", "Weight"))
        if columns is None:
            return [], {}
        headings = self.sheets[QUALITY][0]
        option_columns: dict[str, int] = {}
        for column, value in enumerate(headings, start=1):
            if column in columns.values() or value is None:
                continue
            if str(value).strip() not in names:
                self.problem(QUALITY, 1, column, f"'{value}' is not an option on the Options "
                                                 "sheet; head each score column with an "
                                                 "option's name")
                continue
            option_columns[str(value).strip()] = column
        criteria: list[Criterion] = []
        scores: dict[str, dict[str, float]] = {}
        for number, row in self._body(QUALITY):
            name = _text(_at(row, columns["Criterion"]))
            if name is None:
                self.problem(QUALITY, number, columns["Criterion"], "the criterion has no name")
                continue
            if any(c.name == name for c in criteria):
                self.problem(QUALITY, number, columns["Criterion"],
                             f"there is already a criterion called '{name}'")
                continue
            weight = self._number(_at(row, columns["Weight"]), QUALITY, number,
                                  columns["Weight"], "the weight", (0, None))
            if weight is not _BAD:
                criteria.append(Criterion(name, float(weight)))
            for option, column in option_columns.items():
                value = _at(row, column)
                if value is None:
                    continue
                score = self._number(value, QUALITY, number, column, "the score", (0, 10))
                if score is not _BAD:
                    scores.setdefault(option, {})[name] = float(score)
        if criteria and sum(c.weight for c in criteria) <= 0:
            self.problem(QUALITY, None, None, "the criteria's weights add up to zero")
        if criteria:
            for name in sorted(names - set(option_columns)):
                self.problem(QUALITY, 1, None, f"there is no score column for the option "
                                               f"'{name}'")
        return criteria, scores

    def _risks(self, names: set[str], period: int | None) -> dict[str, list[RiskInput]]:
        columns = self._headers(RISKS, RISK_HEADERS)
        if columns is None:
            return {}
        risks: dict[str, list[RiskInput]] = {}
        for number, row in self._body(RISKS):
            name = self._option_ref(row, columns["Option"], RISKS, number, names)
            text = _text(_at(row, columns["Risk"]))
            if text is None:
                self.problem(RISKS, number, columns["Risk"], "the risk has no description")
            probability = self._number(_at(row, columns["Probability"]), RISKS, number,
                                       columns["Probability"], "the probability", (0, 1))
            impact = self._number(_at(row, columns["Impact"]), RISKS, number, columns["Impact"],
                                  "the impact", (None, None))
            year_cell = _at(row, columns["Year"])
            year = 0 if year_cell is None else self._number(
                year_cell, RISKS, number, columns["Year"], "the year",
                (0, period if period is not None else MAX_PERIOD), whole=True)
            if _BAD in (name, probability, impact, year) or text is None:
                continue
            risks.setdefault(name, []).append(
                RiskInput(text, float(probability), float(impact), int(year)))
        return risks

    # --- cells ----------------------------------------------------------------------------

    def _optional(self, sheet: str, headings: Sequence[str]) -> dict[str, int]:
        rows = self.sheets[sheet]
        found = {squash(str(value)): column for column, value in
                 enumerate(rows[0] if rows else (), start=1) if value is not None}
        return {h: found[squash(h)] for h in headings if squash(h) in found}

    def _optional_number(self, row: tuple[Any, ...], headers: dict[str, int], heading: str,
                         sheet: str, number: int, limits: tuple[float | None, float | None]
                         ) -> Any:
        column = headers.get(heading)
        value = _at(row, column)
        if value is None or column is None:
            return None
        return self._number(value, sheet, number, column, heading, limits)

    def _option_ref(self, row: tuple[Any, ...], column: int, sheet: str, number: int,
                    names: set[str]) -> Any:
        name = _text(_at(row, column))
        if name is None:
            self.problem(sheet, number, column, "say which option this row belongs to")
            return _BAD
        if name not in names:
            self.problem(sheet, number, column, f"'{name}' is not an option on the Options "
                                                "sheet")
            return _BAD
        return name

    def _choice(self, enum: Any, value: Any, sheet: str, row: int, column: int,
                what: str) -> Any:
        if value is None:
            self.problem(sheet, row, column, f"choose a {what}")
            return _BAD
        try:
            return enum.parse(str(value))
        except ValueError as exc:
            self.problem(sheet, row, column, str(exc))
            return _BAD

    def _number(self, value: Any, sheet: str, row: int, column: int, what: str,
                limits: tuple[float | None, float | None], *, whole: bool = False) -> Any:
        number = _as_number(value)
        low, high = limits
        if number is None:
            self.problem(sheet, row, column, f"{what} must be a number, not '{value or ''}'")
            return _BAD
        if whole and not float(number).is_integer():
            self.problem(sheet, row, column, f"{what} must be a whole number")
            return _BAD
        if (low is not None and number < low) or (high is not None and number > high):
            span = (f"from {low:g} to {high:g}" if low is not None and high is not None
                    else f"at least {low:g}" if low is not None else f"at most {high:g}")
            self.problem(sheet, row, column, f"{what} must be {span}, not {number:g}")
            return _BAD
        return int(number) if whole else float(number)


class _Bad:
    """Marks a cell that was reported as a problem."""

    def __repr__(self) -> str:
        return "<bad cell>"


_BAD: Any = _Bad()


def _at(row: tuple[Any, ...], column: int | None) -> Any:
    if column is None or column > len(row):
        return None
    return row[column - 1]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None



def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.replace(",", "").replace("£", "").strip()
        try:
            return float(text)
        except ValueError:
            return None
    return None


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"):
            try:
                return dt.datetime.strptime(value, pattern).date()
            except ValueError:
                continue
    return None
