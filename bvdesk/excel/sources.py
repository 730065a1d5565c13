"""Workbook sources: the rows of each sheet, plus what the values alone do not say.

python-calamine reads .xlsx/.xlsm values about ten times faster than openpyxl but drops number
formats, so the few facts the importer needs beyond values come from a streaming pass over the
sheet's XML: which cells of the value columns are formatted as percentages (looked up in
``xl/styles.xml``), and which formula cells have no cached value. .xls files are read with xlrd
(with formatting, for the same percent facts), .csv files with the csv module.

Every source is only opened after ``safety.inspect_file`` has passed it.
"""

from __future__ import annotations

import csv
import io
import re
import threading
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any, Protocol
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from bvdesk.errors import FileProblem
from bvdesk.excel.safety import MAX_ROWS, FileKind, declared_rows, inspect_file

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: Built-in number formats that are percentages (ECMA-376 18.8.30).
_BUILTIN_PERCENT = frozenset({9, 10})
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_CHUNK = 4 * 1024 * 1024
_FORMULA_WITHOUT_VALUE = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"[^>]*>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?'
    rb'\s*</c>')


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def is_percent_format(code: str) -> bool:
    """True when an Excel number format shows values as percentages."""
    return "%" in _QUOTED.sub("", code)


class Sheet(Protocol):
    """One sheet: 0-based rows of values, with merged ranges and format facts."""

    name: str

    def rows(self) -> Iterator[Sequence[Any]]:
        """Every row from the sheet's first row, each starting at column ``col_offset``."""

    @property
    def col_offset(self) -> int: ...

    @property
    def height(self) -> int: ...

    def merged(self) -> list[tuple[int, int, int, int]]:
        """Merged ranges as (first row, first col, last row, last col), 0-based, inclusive."""

    def cell_facts(self, columns: Sequence[int]) -> CellFacts:
        """Percent-formatted cells in ``columns`` (absolute 0-based; a source may report more)
        and formulas without a cached value anywhere in the sheet."""


@dataclass
class CellFacts:
    #: Column -> rows, 0-based, of the cells formatted as percentages.
    percent: dict[int, set[int]] = field(default_factory=dict)
    #: (row, col), 0-based, of formula cells with no cached value.
    uncached_formulas: set[tuple[int, int]] = field(default_factory=set)


def open_workbook(path: Path) -> list[Sheet]:
    """The sheets of a workbook, after the safety checks.

    Raises:
        FileProblem: unsafe, unreadable, or not a workbook.
    """
    inspection = inspect_file(path)
    if inspection.kind is FileKind.CSV:
        return [_CsvSheet(path)]
    if inspection.kind is FileKind.XLS:
        return _xls_sheets(path)
    return _xlsx_sheets(path, inspection.members)


# --- .xlsx / .xlsm ---------------------------------------------------------------------------


def _xml(archive: zipfile.ZipFile, member: str, path: Path) -> Any:
    try:
        return fromstring(archive.read(member))
    except (DefusedXmlException, ParseError, ValueError) as exc:
        raise FileProblem(f"{path.name} was refused: its part {member} is not safe, well-formed "
                          f"XML ({exc.__class__.__name__}).") from exc


def _refuse_doctype(archive: zipfile.ZipFile, member: str, path: Path) -> None:
    """No legitimate workbook part has a DOCTYPE: entity tricks would hide behind one."""
    with archive.open(member) as handle:
        head = handle.read(4096)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise FileProblem(f"{path.name} was refused: its part {member} declares XML entities, "
                          "which workbooks never need (a possible XML attack).")


def _sheet_parts(archive: zipfile.ZipFile, path: Path) -> dict[str, str]:
    """Sheet name -> XML part name, from the workbook and its relationships."""
    workbook = _xml(archive, "xl/workbook.xml", path)
    targets: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in archive.namelist():
        for rel in _xml(archive, "xl/_rels/workbook.xml.rels", path).iter(f"{_PKG_REL_NS}"
                                                                           "Relationship"):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[rel.get("Id", "")] = target
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        part = targets.get(sheet.get(f"{_REL_NS}id", ""))
        if part:
            parts[sheet.get("name", "")] = part
    return parts


def _percent_styles(archive: zipfile.ZipFile, path: Path) -> frozenset[int]:
    """Indexes into ``cellXfs`` whose number format is a percentage."""
    if "xl/styles.xml" not in archive.namelist():
        return frozenset()
    styles = _xml(archive, "xl/styles.xml", path)
    percent_ids = set(_BUILTIN_PERCENT)
    for fmt in styles.iter(f"{_MAIN_NS}numFmt"):
        if is_percent_format(fmt.get("formatCode", "")):
            percent_ids.add(int(fmt.get("numFmtId", "-1")))
    cell_xfs = styles.find(f"{_MAIN_NS}cellXfs")
    if cell_xfs is None:
        return frozenset()
    return frozenset(index for index, xf in enumerate(cell_xfs.iter(f"{_MAIN_NS}xf"))
                     if int(xf.get("numFmtId", "0")) in percent_ids)


def _xlsx_sheets(path: Path, members: dict[str, int]) -> list[Sheet]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with zipfile.ZipFile(path) as archive:
            for member in members:
                if member.endswith((".xml", ".rels")):
                    _refuse_doctype(archive, member, path)
            parts = _sheet_parts(archive, path)
            percent_styles = _percent_styles(archive, path)
            for name, part in parts.items():
                with archive.open(part) as handle:
                    rows = declared_rows(handle.read(2048))
                if rows is not None and rows > MAX_ROWS:
                    raise FileProblem(f"{path.name} was refused: a sheet declares {rows:,} rows, "
                                      f"more than the {MAX_ROWS:,} bvdesk imports.")
                if members.get(part, 0) > ROW_COUNT_FROM_BYTES:
                    _refuse_too_many_rows(archive, part, path, name)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise FileProblem(f"{path.name} is damaged and cannot be read ({exc}).") from exc
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, ValueError, OSError) as exc:
        raise FileProblem(f"{path.name} cannot be read as a workbook ({exc}).") from exc
    return [_CalamineSheet(book, name, path, parts.get(name), percent_styles)
            for name in book.sheet_names]


#: Sheets larger than this are counted row by row before calamine loads them: a million rows
#: of data take at least ~35 bytes each, and calamine holds a whole sheet in memory.
ROW_COUNT_FROM_BYTES = 30 * 1024 * 1024


def _refuse_too_many_rows(archive: zipfile.ZipFile, part: str, path: Path, sheet: str) -> None:
    """Count ``<row`` tags in a streaming pass (a dimension may be missing or wrong)."""
    rows = 0
    tail = b""
    with archive.open(part) as handle:
        while chunk := handle.read(_CHUNK):
            data = tail + chunk
            rows += data.count(b"<row")
            tail = data[-3:]  # a tag split across chunks is counted with the next one
            if rows > MAX_ROWS:
                raise FileProblem(f"{path.name} was refused: sheet '{sheet}' has more than "
                                  f"{MAX_ROWS:,} rows, the most bvdesk imports.")


class _CalamineSheet:
    def __init__(self, book: Any, name: str, path: Path, part: str | None,
                 percent_styles: frozenset[int]) -> None:
        self.name = name
        self._book = book
        self._path = path
        self._part = part
        self._percent_styles = percent_styles
        self._sheet: Any = None
        self._facts = CellFacts()

    def _loaded(self) -> Any:
        """Load the sheet with calamine and, at the same time, scan its XML for cell facts.

        calamine releases the GIL while it loads, so the scan (zlib and regex, in this thread)
        costs little extra wall time.
        """
        if self._sheet is None:
            outcome: dict[str, Any] = {}

            def load() -> None:
                try:
                    outcome["sheet"] = self._book.get_sheet_by_name(self.name)
                except Exception as exc:  # calamine raises its own error types per version
                    outcome["error"] = exc

            loader = threading.Thread(target=load, name="calamine-load", daemon=True)
            loader.start()
            try:
                self._facts = self._scan()
            finally:
                loader.join()
            if "error" in outcome:
                raise FileProblem(f"{self._path.name}: sheet '{self.name}' cannot be read "
                                  f"({outcome['error']}).") from outcome["error"]
            self._sheet = outcome["sheet"]
            if self._sheet.total_height > MAX_ROWS:
                raise FileProblem(f"{self._path.name}: sheet '{self.name}' has "
                                  f"{self._sheet.total_height:,} rows, more than the "
                                  f"{MAX_ROWS:,} bvdesk imports.")
        return self._sheet

    @property
    def col_offset(self) -> int:
        start = self._loaded().start
        return start[1] if start else 0

    @property
    def height(self) -> int:
        return int(self._loaded().total_height)

    def rows(self) -> Iterator[Sequence[Any]]:
        return iter(self._loaded().iter_rows())

    def merged(self) -> list[tuple[int, int, int, int]]:
        ranges = self._loaded().merged_cell_ranges or []
        return [(r1, c1, r2, c2) for (r1, c1), (r2, c2) in ranges]

    def cell_facts(self, columns: Sequence[int]) -> CellFacts:
        """Facts for the whole sheet (a superset of ``columns``), found while loading."""
        self._loaded()
        return self._facts

    def _scan(self) -> CellFacts:
        facts = CellFacts()
        if self._part is None:
            return facts
        percent = _percent_pattern(self._percent_styles)
        letters_to_col: dict[bytes, int] = {}
        styled: list[tuple[bytes, bytes]] = []
        with zipfile.ZipFile(self._path) as archive, archive.open(self._part) as handle:
            tail = b""
            while True:
                chunk = handle.read(_CHUNK)
                data = tail + chunk
                cut = len(data) if not chunk else data.rfind(b"<c ")
                if cut < 0:
                    tail = data
                    continue
                if percent is not None:
                    fast, counter, general = percent
                    found = fast.findall(data, 0, cut)
                    if len(found) != len(counter.findall(data, 0, cut)):
                        # Attributes in an unusual order (or styled rows): use the general form.
                        found = general.findall(data, 0, cut)
                    styled.extend(found)
                if b"<f" in data:
                    for letters, row in _FORMULA_WITHOUT_VALUE.findall(data, 0, cut):
                        facts.uncached_formulas.add((int(row) - 1, _col(letters,
                                                                        letters_to_col)))
                tail = data[cut:]
                if not chunk:
                    break
        styled.sort()
        for letters, group in groupby(styled, key=itemgetter(0)):
            facts.percent[_col(letters, letters_to_col)] = {int(row) - 1 for _l, row in group}
        return facts


def _col(letters: bytes, cache: dict[bytes, int]) -> int:
    index = cache.get(letters)
    if index is None:
        index = 0
        for char in letters:
            index = index * 26 + char - 64
        index -= 1
        cache[letters] = index
    return index


def _percent_pattern(styles: frozenset[int]
                     ) -> tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]] | None:
    """Patterns for percent-styled cells: the usual attribute order (r then s), a counter of
    every percent style attribute, and the general form for any attribute order."""
    if not styles:
        return None
    ids = b"(?:" + b"|".join(str(s).encode() for s in sorted(styles)) + b')"'
    return (re.compile(rb'<c r="([A-Z]{1,3})(\d+)" s="' + ids),
            re.compile(rb' s="' + ids),
            re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*? s="' + ids))


# --- .xls ------------------------------------------------------------------------------------


def _xls_sheets(path: Path) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise FileProblem(f"{path.name} is password-protected. Remove the password in Excel "
                              "and import again.") from exc
        raise FileProblem(f"{path.name} cannot be read as an Excel 97-2003 workbook "
                          f"({exc}).") from exc
    except (OSError, ValueError, AssertionError, IndexError, KeyError) as exc:
        raise FileProblem(f"{path.name} is damaged and cannot be read ({exc}).") from exc
    return [_XlsSheet(book, index) for index in range(book.nsheets)]


class _XlsSheet:
    col_offset = 0

    def __init__(self, book: Any, index: int) -> None:
        self._book = book
        self._sheet = book.sheet_by_index(index)
        self.name = self._sheet.name
        if self._sheet.nrows > MAX_ROWS:
            raise FileProblem(f"Sheet '{self.name}' has {self._sheet.nrows:,} rows, more than "
                              f"the {MAX_ROWS:,} bvdesk imports.")

    @property
    def height(self) -> int:
        return int(self._sheet.nrows)

    def rows(self) -> Iterator[Sequence[Any]]:
        import xlrd

        for r in range(self._sheet.nrows):
            out: list[Any] = []
            for cell in self._sheet.row(r):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    out.append(xlrd.xldate_as_datetime(cell.value, self._book.datemode))
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    out.append(bool(cell.value))
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    out.append(xlrd.error_text_from_code.get(cell.value, "#ERROR"))
                else:
                    out.append(cell.value)
            yield out

    def merged(self) -> list[tuple[int, int, int, int]]:
        return [(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in self._sheet.merged_cells]

    def cell_facts(self, columns: Sequence[int]) -> CellFacts:
        facts = CellFacts()
        formats = self._book.format_map
        xfs = self._book.xf_list
        for r in range(self._sheet.nrows):
            for c in columns:
                if c >= self._sheet.ncols:
                    continue
                xf = xfs[self._sheet.cell_xf_index(r, c)]
                fmt = formats.get(xf.format_key)
                if fmt is not None and is_percent_format(fmt.format_str):
                    facts.percent.setdefault(c, set()).add(r)
        return facts


# --- .csv ------------------------------------------------------------------------------------


class _CsvSheet:
    col_offset = 0

    def __init__(self, path: Path) -> None:
        self._path = path
        self.name = path.stem
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        try:
            dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(io.StringIO(text, newline=None), dialect)
        try:
            self._rows = list(reader)
        except csv.Error as exc:
            raise FileProblem(f"{path.name} cannot be read as CSV at line {reader.line_num} "
                              f"({exc}).") from exc
        if len(self._rows) > MAX_ROWS:
            raise FileProblem(f"{path.name} has {len(self._rows):,} rows, more than the "
                              f"{MAX_ROWS:,} bvdesk imports.")

    @property
    def height(self) -> int:
        return len(self._rows)

    def rows(self) -> Iterator[Sequence[Any]]:
        return iter(self._rows)

    def merged(self) -> list[tuple[int, int, int, int]]:
        return []

    def cell_facts(self, columns: Sequence[int]) -> CellFacts:
        return CellFacts()
