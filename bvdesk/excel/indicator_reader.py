"""Reading indicator values out of the spreadsheets landlords really get.

``parse`` is pure: files in, ``ParseResult(rows, issues)`` out, nothing written. It finds the
header row (title rows, notes and blanks above it are skipped; merged header cells are read),
recognises *long* sheets (organisation, indicator, year, value) and *wide* sheets (one column per
indicator), matches column names and indicators case-, space- and punctuation-insensitively, and
reports every problem with its file, sheet, 1-based row and column letter.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from bvdesk.domain.names import Heading, read_heading, squash
from bvdesk.domain.values import MISSING, parse_number, shown
from bvdesk.domain.vocabulary import OrganisationType
from bvdesk.domain.years import FinancialYear
from bvdesk.errors import Cancelled
from bvdesk.excel.safety import column_letter
from bvdesk.excel.sources import CellFacts, Sheet, open_workbook

#: How many rows from the top are searched for the header.
HEADER_SCAN_ROWS = 40
#: Longest organisation name and code kept (the database's column sizes).
MAX_NAME, MAX_CODE = 200, 40
#: Rows read between checks for cancel and progress reports (an importer writes what was read
#: at each report).
_BLOCK = 5_000


class Role(StrEnum):
    ORGANISATION = "organisation"
    ORG_CODE = "organisation_code"
    INDICATOR = "indicator"
    YEAR = "year"
    VALUE = "value"
    #: An organisation's details, read from the first row that names it (see ``_describe``).
    HOMES = "homes"
    REGION = "region"
    ORG_TYPE = "organisation_type"


class Layout(StrEnum):
    LONG = "long"
    WIDE = "wide"


SYNONYMS: dict[Role, frozenset[str]] = {
    Role.ORGANISATION: frozenset({
        "organisation", "organization", "org", "orgname", "organisationname",
        "organizationname", "landlord", "landlordname", "provider", "providername", "rsl",
        "rslname", "name", "registeredprovider", "registeredsociallandlord",
        "housingassociation", "association", "authority", "council", "member"}),
    Role.ORG_CODE: frozenset({
        "organisationcode", "organizationcode", "orgcode", "landlordcode", "providercode",
        "rslcode", "rpcode", "registrationnumber", "regno", "orgid", "providerid",
        "landlordid", "rslnumber"}),
    Role.INDICATOR: frozenset({
        "indicator", "indicatorcode", "indicatorname", "pi", "picode", "piname", "code",
        "measure", "measurecode", "measurename", "kpi", "performanceindicator", "metric"}),
    Role.YEAR: frozenset({
        "year", "period", "financialyear", "fy", "reportingyear", "reportingperiod",
        "yearending", "yearend"}),
    Role.VALUE: frozenset({
        "value", "result", "outturn", "actual", "actualvalue", "score", "figure",
        "performance", "data", "amount"}),
    Role.HOMES: frozenset({
        "homes", "stock", "units", "dwellings", "numberofhomes", "homesowned", "homesmanaged",
        "stocksize", "totalstock", "totalhomes", "unitsowned", "unitsmanaged", "size",
        "housingstock", "numberofunits", "numberofdwellings"}),
    Role.REGION: frozenset({"region", "area", "location", "governmentofficeregion", "gor"}),
    Role.ORG_TYPE: frozenset({
        "type", "landlordtype", "typeoflandlord", "organisationtype", "organizationtype",
        "orgtype", "providertype", "kindoflandlord", "category"}),
}
#: The details of an organisation a row may give: its ``OrganisationFacts`` field, and what a
#: person calls it.
_DETAILS = {Role.HOMES: ("homes", "homes"), Role.REGION: ("region", "region"),
            Role.ORG_TYPE: ("org_type", "kind of landlord")}
#: The longest region the database keeps.
MAX_REGION = 60
_ROLE_OF = {word: role for role, words in SYNONYMS.items() for word in words}
_AGGREGATE_WORDS = frozenset({"average", "averages", "mean", "median", "total", "totals",
                              "subtotal", "quartile", "quartiles", "sector"})
_AGGREGATE_PHRASE = re.compile(r"^\s*all\s+(landlords|providers|rsls|organisations|members|"
                               r"associations|councils|respondents)\b", re.IGNORECASE)
_YEAR_IN_NAME = re.compile(r"(?:FY\s*)?(\d{2,4}\s*[/\-–_]\s*\d{2,4}|(?:19|20)\d{2})",
                           re.IGNORECASE)
_PAREN = re.compile(r"\([^)]*\)")
_WORDS = re.compile(r"[a-z]+")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem found in a file, located by sheet, 1-based row and column letter."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    severity: Severity = Severity.ERROR

    @property
    def where(self) -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None and self.column is not None:
            parts.append(f"cell {self.column}{self.row}")
        elif self.row is not None:
            parts.append(f"row {self.row}")
        elif self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column,
                "severity": self.severity.value, "message": self.message}


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    code: str
    name: str
    aliases: tuple[str, ...]
    unit: str
    #: For a percentage that is a share of a whole (satisfied respondents, repairs on time):
    #: its largest value, 100; a value outside 0 to it is an error. None for one that may pass
    #: 100 (rent collected, a change) or go below 0.
    at_most: float | None = None


class Catalogue:
    """Indicator codes looked up by code, name or alias, ignoring case, space and punctuation,
    and by column headings as landlords write them (``bvdesk.domain.names.read_heading``)."""

    def __init__(self, specs: Iterable[IndicatorSpec]) -> None:
        self.specs = {spec.code: spec for spec in specs}
        self._keys: dict[str, str] = {}
        self._headings: dict[str, set[str]] = {}
        self._words: list[tuple[frozenset[str], str]] = []
        for spec in self.specs.values():
            for text in (spec.name, *spec.aliases):
                self._keys.setdefault(squash(text), spec.code)
                heading = read_heading(text)
                self._headings.setdefault(heading.key, set()).add(spec.code)
                self._words.append((heading.words, spec.code))
        self._codes = {squash(spec.code): spec.code for spec in self.specs.values()}
        self._keys.update(self._codes)  # codes win over names and aliases
        #: Code -> the largest value of a percentage that is a share of a whole.
        self.ceilings = {spec.code: spec.at_most for spec in self.specs.values()
                         if spec.at_most is not None and spec.unit == "percent"}

    def match(self, text: object) -> str | None:
        """The indicator ``text`` names, or None when it names none, or its unit ("%", "(£)",
        "days") is not the indicator's, or it could be more than one indicator."""
        raw = str(text).strip()
        if not raw:
            return None
        heading = read_heading(raw)
        found = self._keys.get(squash(raw)) or self._keys.get(squash(_PAREN.sub("", raw))) \
            or self._heading(heading)
        if found is None:
            first = re.split(r"[\s:–-]+", raw, maxsplit=1)[0]
            found = self._codes.get(squash(first)) if first != raw else None
        if found is not None and heading.unit not in (None, self.specs[found].unit):
            return None
        return found

    def _heading(self, heading: Heading) -> str | None:
        """The one indicator whose name or alias reads as ``heading`` does, with or without
        its qualifier; None when none does or two could be meant."""
        codes = self._fitting(self._headings.get(heading.key, ()), heading.unit)
        if not codes and heading.stem is not None:
            codes = self._fitting(self._headings.get(heading.stem, ()), heading.unit)
            if codes:  # the qualifier may name another indicator: "Arrears - former tenants"
                codes |= self._fitting((code for words, code in self._words
                                        if heading.words <= words), heading.unit)
        return next(iter(codes)) if len(codes) == 1 else None

    def _fitting(self, codes: Iterable[str], unit: str | None) -> set[str]:
        return {code for code in codes if unit is None or self.specs[code].unit == unit}

    def unit(self, code: str) -> str:
        return self.specs[code].unit


class ParsedValue(NamedTuple):
    """One value ready to store, with where it came from (a named tuple: an import makes one
    for every value, and a tuple is made several times faster than a frozen dataclass)."""

    organisation: str
    org_code: str | None
    indicator: str
    year: int
    value: float
    file: str
    sheet: str
    row: int
    column: str

    @property
    def cell(self) -> str:
        return f"{self.column}{self.row}"

    @property
    def where(self) -> str:
        return f"{self.file}, sheet '{self.sheet}', cell {self.cell}"


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    letter: str
    header: str
    #: A ``Role`` value, "indicator:<code>" for a wide indicator column, or None (ignored).
    role: str | None


@dataclass(frozen=True, slots=True)
class SheetInfo:
    """What the reader made of one sheet (for the import wizard and the report)."""

    file: str
    name: str
    layout: Layout | None
    header_row: int | None
    columns: tuple[ColumnInfo, ...]
    skipped: str | None
    year: int | None = None


@dataclass(frozen=True, slots=True)
class OrganisationFacts:
    """What a workbook says of an organisation besides its values: its homes, region and kind
    of landlord (an ``OrganisationType`` value), each None when it does not say."""

    homes: int | None = None
    region: str | None = None
    org_type: str | None = None


@dataclass
class ParseResult:
    rows: list[ParsedValue] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    sheets: list[SheetInfo] = field(default_factory=list)
    missing: int = 0
    aggregates: int = 0
    #: (file, sheet) -> its first data rows as written, when ``parse`` was asked for samples.
    samples: dict[tuple[str, str], list[list[Any]]] = field(default_factory=dict)
    #: (organisation, code) as in ``ParsedValue`` -> its details, for those a sheet gives:
    #: from the first row naming it in a sheet; a later sheet's replace an earlier one's.
    organisations: dict[tuple[str, str | None], OrganisationFacts] = field(
        default_factory=dict)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.WARNING]


class ImportCancelled(Cancelled):
    """The import was cancelled; nothing was written."""


# --- header detection ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Header:
    row: int  # 0-based
    layout: Layout
    columns: dict[int, str]  # absolute column -> role value or "indicator:<code>"
    texts: dict[int, str]

    def first(self, role: Role) -> int | None:
        for column, value in self.columns.items():
            if value == role.value:
                return column
        return None

    def indicators(self) -> dict[int, str]:
        return {c: v.split(":", 1)[1] for c, v in self.columns.items()
                if v.startswith("indicator:")}


def _role(text: str, catalogue: Catalogue, mapping: Mapping[str, str]) -> str | None:
    key = squash(text)
    if not key:
        return None
    if key in mapping:
        return mapping[key]
    role = _ROLE_OF.get(key) or _ROLE_OF.get(squash(_PAREN.sub("", text)))
    if role is not None:
        return role.value
    code = catalogue.match(text)
    return f"indicator:{code}" if code else None


def _normalise_mapping(mapping: Mapping[str, str] | None,
                       catalogue: Catalogue) -> dict[str, str]:
    """Wizard overrides: header text -> a role name or an indicator code."""
    out: dict[str, str] = {}
    for header, target in (mapping or {}).items():
        if not isinstance(target, str | int | float | None):  # JSON lists and objects
            raise ValueError(f"the mapping for {shown(header)} must name a column role or an "
                             f"indicator, not a {type(target).__name__}")
        target_text = str(target).strip()
        roles = {role.value: role.value for role in Role}
        if target_text in roles:
            out[squash(header)] = target_text
        elif target_text.lower() in ("", "ignore", "none"):
            out[squash(header)] = ""
        else:
            code = catalogue.match(target_text)
            if code is None:
                raise ValueError(f"the mapping names {shown(target_text)}, which is neither a "
                                 "column role nor a known indicator")
            out[squash(header)] = f"indicator:{code}"
    return out


def _find_header(top: list[Sequence[Any]], offset: int,
                 merged: list[tuple[int, int, int, int]], catalogue: Catalogue,
                 mapping: Mapping[str, str]) -> _Header | None:
    filled = _fill_merged(top, offset, merged)
    known: dict[str, str | None] = {}  # a merged heading repeats its text across many cells
    for r, row in enumerate(filled):
        texts = {offset + c: text for c, v in enumerate(row)
                 if v is not None and (text := str(v).strip())}
        columns: dict[int, str] = {}
        roles: set[str] = set()
        for column, text in texts.items():
            role = known[text] if text in known else known.setdefault(
                text, _role(text, catalogue, mapping))
            if role and (role.startswith("indicator:") or role not in roles):
                columns[column] = role
                roles.add(role)
        if Role.ORGANISATION.value not in roles and Role.ORG_CODE.value not in roles:
            continue
        if {Role.INDICATOR.value, Role.VALUE.value} <= roles:
            return _Header(r, Layout.LONG, columns, texts)
        if any(role.startswith("indicator:") for role in roles):
            return _Header(r, Layout.WIDE, columns, texts)
    return None


def _fill_merged(top: list[Sequence[Any]], offset: int,
                 merged: list[tuple[int, int, int, int]]) -> list[list[Any]]:
    """The top rows with every merged range's value copied into all of its empty cells.

    Each cell is visited once, however many ranges cover it (a file may hold thousands of
    overlapping ranges across all 16,384 columns): per row, visited cells point on to the next
    unvisited one. A visited cell is never empty again, so later ranges could not change it.
    """
    filled = [list(row) for row in top]
    onward: list[dict[int, int]] = [{} for _ in filled]
    for r1, c1, r2, c2 in merged:
        if r1 >= len(filled):
            continue
        anchor_row = filled[r1]
        value = anchor_row[c1 - offset] if 0 <= c1 - offset < len(anchor_row) else None
        if value is None or value == "":
            continue
        needed = c2 - offset + 1
        for r in range(r1, min(r2, len(filled) - 1) + 1):
            row, jumps = filled[r], onward[r]
            if len(row) < needed:
                row.extend([""] * (needed - len(row)))
            c = _unvisited(jumps, max(c1 - offset, 0))
            while c < needed:
                if row[c] is None or row[c] == "":
                    row[c] = value
                jumps[c] = c + 1
                c = _unvisited(jumps, c + 1)
    return filled


def _unvisited(jumps: dict[int, int], column: int) -> int:
    """The first column from ``column`` not yet visited, shortening the path it followed."""
    path = []
    while column in jumps:
        path.append(column)
        column = jumps[column]
    for visited in path:
        jumps[visited] = column
    return column


def sheet_year(name: str) -> int | None:
    """The financial year a sheet's name gives, e.g. '2003-04', 'FY2003/04', 'Data 2003'."""
    for match in _YEAR_IN_NAME.finditer(name):
        try:
            return FinancialYear.parse(match.group(1).replace("_", "/")).start
        except ValueError:
            continue
    return None


def is_aggregate(name: str) -> bool:
    """Rows such as 'Average', 'Sector median', 'Upper quartile', 'All landlords', 'Total'."""
    if _AGGREGATE_PHRASE.match(name):
        return True
    return not _AGGREGATE_WORDS.isdisjoint(_WORDS.findall(name.lower()))


# --- the sheet pass --------------------------------------------------------------------------


@dataclass
class _FractionStats:
    """Running figures per (sheet, indicator) for the "0.95 among whole percentages" check."""

    whole: int = 0
    fractions: int = 0
    low: float = math.inf
    high: float = -math.inf
    candidates: list[ParsedValue] = field(default_factory=list)


class _SheetReader:
    def __init__(self, file: str, sheet: Sheet, catalogue: Catalogue, default_year: int | None,
                 mapping: Mapping[str, str], result: ParseResult) -> None:
        self.file = file
        self.sheet = sheet
        self.catalogue = catalogue
        self.default_year = default_year
        self.mapping = mapping
        self.result = result
        self.fractions: dict[str, _FractionStats] = {}
        self._org_cache: dict[tuple[Any, Any], tuple[tuple[str, str | None], bool]] = {}
        self._year_cache: dict[Any, int | str] = {}
        self._indicator_cache: dict[Any, str | None] = {}
        self._uncached: set[tuple[int, int]] = set()
        self._progress: Callable[[float], None] | None = None
        #: The detail columns (role, absolute column) of the sheet, and the organisations
        #: whose details it has given.
        self._details: list[tuple[Role, int]] = []
        self._described: set[tuple[str, str | None]] = set()
        #: Details that could not be read, by (role, text as written): why, where first,
        #: whose, and for how many organisations (one warning each, see ``_detail_warnings``).
        self._unread: dict[tuple[Role, str], list[Any]] = {}

    def issue(self, row: int | None, column: int | None, message: str,
              severity: Severity = Severity.ERROR) -> None:
        self.result.issues.append(Issue(
            self.file, self.sheet.name, None if row is None else row + 1,
            None if column is None else column_letter(column), message, severity))

    def read(self, limit: int | None = None,
             cancelled: Callable[[], bool] | None = None,
             progress: Callable[[float], None] | None = None) -> SheetInfo:
        """Read the sheet; ``progress`` hears the share of its rows read so far."""
        self._progress = progress
        rows = self.sheet.rows()
        offset = self.sheet.col_offset
        top = [row for _, row in zip(range(HEADER_SCAN_ROWS), rows, strict=False)]
        header = _find_header(top, offset, self.sheet.merged(), self.catalogue, self.mapping)
        if header is None:
            reason = ("it is empty" if not any(_has_value(r) for r in top) else
                      "no header row with an organisation column and indicator columns (or "
                      "indicator and value columns) was found in the first "
                      f"{HEADER_SCAN_ROWS} rows")
            return SheetInfo(self.file, self.sheet.name, None, None, (), reason)
        info = self._info(header)
        if info.skipped:
            return info
        value_columns = ([header.first(Role.VALUE)] if header.layout is Layout.LONG
                         else list(header.indicators()))
        facts = self.sheet.cell_facts([c for c in value_columns if c is not None])
        self._uncached = facts.uncached_formulas
        self._details = [(role, column) for role in _DETAILS
                         if (column := header.first(role)) is not None]
        data = chain(top[header.row + 1:], rows)
        first = header.row + 1
        if header.layout is Layout.LONG:
            self._long(header, facts, data, first, limit, cancelled)
        else:
            self._wide(header, facts, data, first, limit, cancelled)
        self._fraction_warnings()
        self._detail_warnings()
        return info

    def _detail_warnings(self) -> None:
        """One warning for each detail that could not be read, at its first cell, however many
        organisations it was given for (a Type column of 'General needs' and 'Supported' is
        two warnings, not one for every landlord)."""
        for (role, _text), (why, r, column, first, count) in self._unread.items():
            whose = first if count == 1 else (
                f"{first} and {count - 1:,} other organisation{'s' if count > 2 else ''} "
                "given it")
            self.issue(r, column, f"{why}, so this file does not set the {_DETAILS[role][1]} "
                                  f"of {whose}.", Severity.WARNING)

    def _info(self, header: _Header) -> SheetInfo:
        columns = tuple(ColumnInfo(column_letter(c), text, header.columns.get(c))
                        for c, text in sorted(header.texts.items()))
        year = None
        skipped = None
        if header.first(Role.YEAR) is None:
            year = sheet_year(self.sheet.name) or self.default_year
            if year is None:
                skipped = ("it has no year column, its name gives no year, and no year was "
                           "given")
                self.issue(header.row, None, f"Sheet not read: {skipped}. Give the year the "
                                             "values are for (for example 2004/05) or put it "
                                             "in the sheet's name.")
        return SheetInfo(self.file, self.sheet.name, header.layout, header.row + 1, columns,
                         skipped, year)

    # --- cells ---------------------------------------------------------------------------

    def _organisation(self, raw_name: Any, raw_code: Any, r: int,
                      name_col: int | None) -> tuple[str, str | None] | None:
        """(name, code) of a data row, or None when it is an aggregate (warned about)."""
        key = (raw_name, raw_code)
        cached = self._org_cache.get(key)
        if cached is None:
            name, code = _text(raw_name), _text(raw_code)
            if len(name) > MAX_NAME or len(code) > MAX_CODE:
                self.issue(r, name_col, f"The organisation {shown(name or code)} is too long a "
                                        f"name (at most {MAX_NAME} characters, codes "
                                        f"{MAX_CODE}).")
                return None
            cached = ((name or code, code or None), bool(name) and is_aggregate(name))
            self._org_cache[key] = cached
        if cached[1]:
            self.result.aggregates += 1
            self.issue(r, name_col, f"Row skipped: '{cached[0][0]}' is an aggregate, not a "
                                    "landlord (it would distort the quartiles).",
                       Severity.WARNING)
            return None
        return cached[0]

    def _year(self, raw: Any, r: int, column: int | None) -> int | None:
        cached = self._year_cache.get(raw)
        if cached is None:
            try:
                if _blank(raw):
                    raise ValueError("the year is blank")
                if isinstance(raw, str) and len(raw) > 40:
                    raise ValueError(f"{shown(raw)} is not a financial year")
                cached = FinancialYear.parse(raw).start
            except ValueError as exc:
                cached = str(exc)
            self._year_cache[raw] = cached
        if isinstance(cached, str):
            self.issue(r, column, cached[:1].upper() + cached[1:] + ".")
            return None
        return cached

    def _value(self, raw: Any, code: str, unit: str, r: int, column: int,
               formatted: bool) -> float | None:
        """The value to store, or None (missing, or an error that was reported)."""
        if type(raw) is float and math.isfinite(raw):
            number: float = raw
        elif raw == "" or raw is None:
            if (r, column) in self._uncached:
                self.issue(r, column, "This formula has no saved result. Open the file in "
                                      "Excel, save it, and import it again.")
                return None
            self.result.missing += 1
            return None
        else:
            try:
                parsed = parse_number(raw, yes_no=unit == "yes_no")
            except ValueError as exc:
                self.issue(r, column, f"{exc}; expected a number for {code}.")
                return None
            if parsed is MISSING:
                self.result.missing += 1
                return None
            number = float(parsed)  # type: ignore[arg-type]
            if isinstance(raw, str):
                return None if self._share_refused(number, code, r, column) else number
        if unit == "percent" and formatted:
            number = _hundredfold(number)
        return None if self._share_refused(number, code, r, column) else number

    def _share_refused(self, value: float, code: str, r: int, column: int) -> bool:
        """Whether ``value`` cannot be ``code``'s, as a share of a whole outside 0 to its
        ceiling; an error then says where."""
        ceiling = self.catalogue.ceilings.get(code)
        if ceiling is None or 0 <= value <= ceiling:
            return False
        self.issue(r, column, f"{value:g}% cannot be right for {code}, a share of a whole "
                              f"(from 0 to {ceiling:g}%); check the cell.")
        return True

    def _keep(self, value: ParsedValue, unit: str, formatted: bool) -> None:
        self.result.rows.append(value)
        if unit == "percent":
            self._percent(value, formatted)

    def _percent(self, value: ParsedValue, formatted: bool) -> None:
        """Count a percentage towards its indicator's fraction check."""
        stats = self.fractions.get(value.indicator)
        if stats is None:
            stats = self.fractions[value.indicator] = _FractionStats()
        magnitude = abs(value.value)
        if magnitude > 1:
            stats.whole += 1
            if magnitude < stats.low:
                stats.low = magnitude
            if magnitude > stats.high:
                stats.high = magnitude
        elif magnitude > 0 and not formatted:
            stats.fractions += 1
            stats.candidates.append(value)

    def _formatted_percentages(self, values: dict[str, list[float]]) -> None:
        """Count percent-formatted percentages (by indicator) towards the fraction check at
        once: of them only the whole ones count (``_percent``), so a large sheet's need not
        be counted one by one as they are read."""
        for code, numbers in values.items():
            stats = self.fractions.get(code)
            if stats is None:
                stats = self.fractions[code] = _FractionStats()
            whole = [magnitude for magnitude in map(abs, numbers) if magnitude > 1]
            if whole:
                stats.whole += len(whole)
                stats.low = min(stats.low, min(whole))
                stats.high = max(stats.high, max(whole))

    def _fraction_warnings(self) -> None:
        for code, stats in self.fractions.items():
            if stats.whole <= stats.fractions:
                continue
            for value in stats.candidates:
                if stats.low <= abs(value.value) * 100 <= stats.high:
                    self.result.issues.append(Issue(
                        self.file, self.sheet.name, value.row, value.column,
                        f"{value.value:g} looks like a fraction among whole percentages for "
                        f"{code}; it was read as {value.value:g}%, not "
                        f"{value.value * 100:g}%. Check the cell.", Severity.WARNING))

    # --- layouts -------------------------------------------------------------------------

    def _rows(self, data: Iterator[Sequence[Any]], first: int, limit: int | None,
              cancelled: Callable[[], bool] | None) -> Iterator[tuple[int, Sequence[Any]]]:
        """Data rows with their 0-based numbers (rows may be shorter than the header)."""
        return chain.from_iterable(self._blocks(data, first, limit, cancelled))

    def _blocks(self, data: Iterator[Sequence[Any]], first: int, limit: int | None,
                cancelled: Callable[[], bool] | None
                ) -> Iterator[Iterator[tuple[int, Sequence[Any]]]]:
        """The numbered data rows, ``_BLOCK`` at a time: cancel is checked, and progress
        reported, before each block, not for each of a large sheet's many rows. Each block is
        read as it is used, so a row is let go as soon as it is done with."""
        progress = self._progress
        height = max(1, self.sheet.height) if progress is not None else 1
        rows = iter(data if limit is None else islice(data, limit))
        for head in rows:
            if cancelled is not None and cancelled():
                raise ImportCancelled("The import was cancelled; nothing was written.")
            if progress is not None:
                progress(first / height)
            yield enumerate(chain((head,), islice(rows, _BLOCK - 1)), first)
            first += _BLOCK

    def _row_org(self, row: Sequence[Any], name_col: int | None, r: int,
                 name_index: int | None, code_index: int | None
                 ) -> tuple[str, str | None] | None:
        org = self._organisation(row[name_index] if name_index is not None else None,
                                 row[code_index] if code_index is not None else None, r,
                                 name_col)
        if org is not None and not org[0]:
            self.issue(r, name_col, "This row has values but no organisation.")
            return None
        if org is not None and self._details and org not in self._described:
            self._describe(org, row, r)
        return org

    def _describe(self, org: tuple[str, str | None], row: Sequence[Any], r: int) -> None:
        """Keep what the first row naming ``org`` in this sheet says of its homes, region and
        kind of landlord; a detail that cannot be read is warned about and left out (its
        values are still read)."""
        self._described.add(org)
        offset = self.sheet.col_offset
        found: dict[str, Any] = {}
        for role, column in self._details:
            index = column - offset
            raw = row[index] if 0 <= index < len(row) else None
            if _blank(raw):
                continue
            try:
                detail = _detail(role, raw)
            except ValueError as exc:
                unread = self._unread.setdefault((role, str(raw)), [str(exc), r, column,
                                                                     org[0], 0])
                unread[-1] += 1
                continue
            if detail is not None:
                found[_DETAILS[role][0]] = detail
        if found:
            before = self.result.organisations.get(org)
            self.result.organisations[org] = (OrganisationFacts(**found) if before is None
                                              else replace(before, **found))

    def _long(self, header: _Header, facts: CellFacts, data: Iterator[Sequence[Any]],
              first: int, limit: int | None, cancelled: Callable[[], bool] | None) -> None:
        offset = self.sheet.col_offset
        ind_col, val_col = header.first(Role.INDICATOR), header.first(Role.VALUE)
        year_col = header.first(Role.YEAR)
        assert ind_col is not None and val_col is not None
        ind_i, val_i = ind_col - offset, val_col - offset
        year_i = None if year_col is None else year_col - offset
        name_i, code_i = _index(header.first(Role.ORGANISATION), offset), _index(
            header.first(Role.ORG_CODE), offset)
        org_col = _org_column(header)
        width = 1 + max(i for i in (ind_i, val_i, year_i, name_i, code_i) if i is not None)
        val_letter = column_letter(val_col)
        fixed_year = None if year_col is not None else (sheet_year(self.sheet.name)
                                                        or self.default_year)
        percent = facts.percent.get(val_col, set())
        isfinite = math.isfinite
        units = {code: spec.unit for code, spec in self.catalogue.specs.items()}
        ceilings = self.catalogue.ceilings
        file, sheet_name = self.file, self.sheet.name
        indicator_cache = self._indicator_cache
        # The cells naming a row's organisation, as one key (a cell or a tuple of two).
        org_key_of = itemgetter(*(i for i in (name_i, code_i) if i is not None))
        orgs_seen: dict[Any, tuple[str, str | None]] = {}
        years_seen: dict[Any, int] = {}
        hundredfold: dict[float, float] = {}  # a club's percentages repeat
        append = self.result.rows.append
        uncached, fractions_of = self._uncached, self._percent
        formatted_percentages: defaultdict[str, list[float]] = defaultdict(list)
        make = tuple.__new__  # a ParsedValue without the Python call of its constructor
        for r, row in self._rows(data, first, limit, cancelled):
            if len(row) < width:
                row = _padded(row, width)
            raw_ind, raw_val = row[ind_i], row[val_i]
            if type(raw_val) is not float and _blank(raw_ind) and _blank(raw_val) \
                    and (r, val_col) not in uncached:
                continue  # a blank row, or a note under the table
            org_key = org_key_of(row)
            org = orgs_seen.get(org_key)
            if org is None:
                org = self._row_org(row, org_col, r, name_i, code_i)
                if org is None:
                    continue
                orgs_seen[org_key] = org
            code = indicator_cache.get(raw_ind, "")
            if code == "":
                code = self.catalogue.match(raw_ind) if not _blank(raw_ind) else None
                indicator_cache[raw_ind] = code
            if code is None:
                self.issue(r, ind_col, f"{shown(_text(raw_ind))} is not a known indicator code, "
                                       "name or alias." if not _blank(raw_ind) else
                           "The indicator is blank.")
                continue
            if year_i is None:
                year = fixed_year
                if year is None:
                    continue  # not reached: read() skips a sheet that gives no year
            else:
                raw_year = row[year_i]
                year = years_seen.get(raw_year)
                if year is None:
                    year = self._year(raw_year, r, year_col)
                    if year is None:
                        continue
                    years_seen[raw_year] = year
            unit = units[code]
            formatted = r in percent
            value: float | None
            if type(raw_val) is float and isfinite(raw_val):
                value = raw_val
                if unit == "percent":
                    if formatted:
                        value = hundredfold.get(raw_val) if raw_val else None
                        if value is None:
                            value = hundredfold[raw_val] = _hundredfold(raw_val)
                    ceiling = ceilings.get(code)  # the range first: most are within it
                    if ceiling is not None and not 0 <= value <= ceiling \
                            and self._share_refused(value, code, r, val_col):
                        continue
            else:
                value = self._value(raw_val, code, unit, r, val_col, formatted)
                if value is None:
                    continue
            parsed = make(ParsedValue, (org[0], org[1], code, year, value, file, sheet_name,
                                        r + 1, val_letter))
            append(parsed)
            if unit == "percent":
                if formatted:
                    formatted_percentages[code].append(value)
                else:
                    fractions_of(parsed, formatted)
        self._formatted_percentages(formatted_percentages)

    def _wide(self, header: _Header, facts: CellFacts, data: Iterator[Sequence[Any]],
              first: int, limit: int | None, cancelled: Callable[[], bool] | None) -> None:
        offset = self.sheet.col_offset
        year_col = header.first(Role.YEAR)
        year_i = None if year_col is None else year_col - offset
        name_i, code_i = _index(header.first(Role.ORGANISATION), offset), _index(
            header.first(Role.ORG_CODE), offset)
        org_col = _org_column(header)
        fixed_year = None if year_col is not None else (sheet_year(self.sheet.name)
                                                        or self.default_year)
        indicators = [(c, c - offset, code, column_letter(c), self.catalogue.unit(code))
                      for c, code in header.indicators().items()]
        width = 1 + max([i for i in (year_i, name_i, code_i) if i is not None]
                        + [i for _c, i, *_rest in indicators])
        for r, row in self._rows(data, first, limit, cancelled):
            if len(row) < width:
                row = _padded(row, width)
            if all(_blank(row[i]) and (r, c) not in self._uncached
                   for c, i, *_rest in indicators):
                continue
            org = self._row_org(row, org_col, r, name_i, code_i)
            if org is None:
                continue
            year = fixed_year if year_i is None else self._year(row[year_i], r, year_col)
            if year is None:
                continue
            for c, i, code, letter, unit in indicators:
                formatted = r in facts.percent.get(c, ())
                value = self._value(row[i], code, unit, r, c, formatted)
                if value is not None:
                    self._keep(ParsedValue(org[0], org[1], code, year, value, self.file,
                                           self.sheet.name, r + 1, letter), unit, formatted)


def _hundredfold(number: float) -> float:
    """``number`` x 100 exactly as written (0.95 -> 95.0, not 95.00000000000001).

    The shortest decimal that reads back as ``number`` is shifted by two places and read again,
    so the result is the float nearest the decimal value the cell shows.
    """
    written = repr(number)
    if "e" in written:
        return float(Decimal(written).scaleb(2))
    return float(written + "e2")


def _detail(role: Role, raw: Any) -> Any:
    """An organisation's detail from its cell (not blank).

    Raises:
        ValueError: it cannot be read, in words.
    """
    if role is Role.HOMES:
        try:
            number = parse_number(raw)
        except ValueError:
            number = math.nan
        if number is MISSING:  # 'n/a', '-': not given
            return None
        if isinstance(number, float) and number.is_integer() and 0 <= number <= 10**7:
            return int(number)
        raise ValueError(f"{shown(raw)} is not a number of homes")
    text = _text(raw)
    if role is Role.REGION:
        if len(text) > MAX_REGION:
            raise ValueError(f"The region {shown(text)} is too long (at most {MAX_REGION} "
                             "characters)")
        return text
    try:
        return OrganisationType.from_text(text).value
    except ValueError:
        kinds = ", ".join(kind.label for kind in OrganisationType)
        raise ValueError(f"{shown(text)} is not a kind of landlord bvdesk knows ({kinds})"
                         ) from None


def _padded(row: Sequence[Any], width: int) -> list[Any]:
    """``row`` with empty cells added to make it ``width`` long."""
    return [*row, *([""] * (width - len(row)))]


def _index(column: int | None, offset: int) -> int | None:
    return None if column is None else column - offset


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _has_value(row: Sequence[Any]) -> bool:
    return any(not _blank(v) for v in row)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- entry points ----------------------------------------------------------------------------


def parse(paths: Sequence[Path], catalogue: Catalogue, *, year: int | None = None,
          mapping: Mapping[str, str] | None = None,
          progress: Callable[[float], None] | None = None,
          cancelled: Callable[[], bool] | None = None, samples: int = 0,
          rows: list[ParsedValue] | None = None) -> ParseResult:
    """Read every sheet of every file; nothing is written.

    With ``samples``, each sheet's first ``samples`` data rows are kept in ``result.samples``
    (the import wizard's preview, from the same read as the import). ``rows`` is the list the
    values are appended to, in file order; an importer may pass one that stores them as they
    come (its truth value must say whether any value was found).

    Raises:
        FileProblem: a file is unsafe or unreadable (the whole parse stops: nothing is written).
        ValueError: ``mapping`` names an unknown role or indicator.
    """
    result = ParseResult(rows=[] if rows is None else rows)
    normalised = _normalise_mapping(mapping, catalogue)
    for number, path in enumerate(paths):
        sheets = open_workbook(Path(path))
        for index, sheet in enumerate(sheets):
            reader = _SheetReader(Path(path).name, sheet, catalogue, year, normalised, result)

            def within(fraction: float, n: int = number, i: int = index,
                       count: int = len(sheets)) -> None:
                if progress is not None:
                    progress((n + (i + min(fraction, 1.0)) / count) / len(paths))

            info = reader.read(cancelled=cancelled, progress=within)
            result.sheets.append(info)
            if samples:
                result.samples[info.file, info.name] = _sample_rows(sheet, info, samples)
            within(1.0)
    if not result.rows and not result.errors:
        names = ", ".join(Path(p).name for p in paths)
        if any(sheet.layout and not sheet.skipped for sheet in result.sheets):
            result.issues.append(Issue(names, None, None, None, "No indicator values were "
                                       "found: the data sheets have no rows with values.",
                                       Severity.WARNING))
        else:
            result.issues.append(Issue(names, None, None, None, "No indicator values were "
                                       "found: no sheet has a recognisable header (an "
                                       "organisation column, and indicator columns or "
                                       "indicator and value columns).", Severity.ERROR))
    return result


def _sample_rows(sheet: Sheet, info: SheetInfo, rows: int) -> list[list[Any]]:
    """The first ``rows`` rows under the sheet's header (from the top without one)."""
    start = info.header_row or 0
    return [list(row) for _, row in zip(range(start + rows), sheet.rows(), strict=False)][start:]


def _org_column(header: _Header) -> int | None:
    column = header.first(Role.ORGANISATION)
    return column if column is not None else header.first(Role.ORG_CODE)
