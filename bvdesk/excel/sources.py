"""Workbook sources: the rows of each sheet, plus what the values alone do not say.

python-calamine reads .xlsx/.xlsm values about ten times faster than openpyxl but drops number
formats, so the few facts the importer needs beyond values come from a streaming pass over the
sheet's XML: which cells of the value columns are formatted as percentages (looked up in
``xl/styles.xml``), and which formula cells have no cached value. .xls files are read with xlrd
(with formatting, for the same percent facts), .csv files with the csv module.

Every source is only opened after ``safety.inspect_file`` has passed it.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import queue
import re
import struct
import threading
import weakref
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, count, groupby, islice, repeat
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, Protocol
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from bvdesk.errors import FileProblem
from bvdesk.excel.safety import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_LINE,
    MAX_ROWS,
    UTF16_BOMS,
    ZIP_ERRORS,
    Extent,
    FileKind,
    Regions,
    check_extent,
    column_letter,
    declared_extent,
    inspect_file,
    sheet_extent,
)

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: Built-in number formats that are percentages (ECMA-376 18.8.30).
_BUILTIN_PERCENT = frozenset({9, 10})
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_CHUNK = 4 * 1024 * 1024
#: Sheets whose XML takes at least this many bytes are loaded in bands of rows (``_Bands``).
_BANDS_FROM = 2 * _CHUNK
#: The most sheet XML kept for bands, over all the sheets of a workbook.
_KEEP_AT_MOST = 160 * 1024 * 1024
#: The most the parts every band repeats (workbook, styles, shared strings...) may take, as
#: each band's load reads them again.
_COMMON_AT_MOST = 1024 * 1024
_DIMENSION_TAG = re.compile(rb"<dimension\b[^>]*>")
#: The XML of a large sheet's first band, about (the rest are a guard's region, 4 MB).
_FIRST_BAND = 256 * 1024
#: The most bands loaded ahead of the reader (a few MB each).
_BANDS_AHEAD = 8
#: The most columns whose percentages are searched for one by one (see ``cell_facts``).
_FEW_COLUMNS = 3
#: A formula's start (a search is several times quicker than ``b"<f" in data``).
_FORMULA = re.compile(rb"<f\b")
_FORMULA_WITHOUT_VALUE = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"[^>]*>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?'
    rb'\s*</c>')


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
    def height(self) -> int:
        """The number of rows, for progress (a CSV file gives its line count, which line
        breaks inside quoted values can exceed)."""

    def merged(self) -> list[tuple[int, int, int, int]]:
        """Merged ranges as (first row, first col, last row, last col), 0-based, inclusive."""

    def cell_facts(self, columns: Sequence[int]) -> CellFacts:
        """Percent-formatted cells in ``columns`` (absolute 0-based; a source may report more)
        and formulas without a cached value anywhere in the sheet: each row's by the time
        ``rows`` gives it (a sheet read in bands finds a band's as its rows are read)."""


@dataclass
class CellFacts:
    #: Column -> rows, 0-based, of the cells formatted as percentages.
    percent: dict[int, set[int]] = field(default_factory=dict)
    #: (row, col), 0-based, of formula cells with no cached value.
    uncached_formulas: set[tuple[int, int]] = field(default_factory=set)


@contextmanager
def reader_stopped(path: Path, errors: tuple[type[BaseException], ...],
                   where: str = "in the workbook's structure") -> Iterator[None]:
    """Turn what a reader library raises on a damaged file into the plain, located refusal.

    Wrap only calls into the library: an exception from bvdesk's own code is a bug and must
    still escape (and fail the tests).
    """
    try:
        yield
    except errors as exc:
        raise FileProblem(damaged(path, exc, where)) from exc


def damaged(path: Path, exc: BaseException, where: str) -> str:
    """The refusal for a file a reader library could not get through (or could not read at
    all: gone, or a network share that dropped)."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"Cannot read {path.name}: {exc.strerror}."
    text = str(exc).strip()
    detail = text.splitlines()[0][:120] if text else exc.__class__.__name__
    return (f"{path.name} is damaged (the reader stopped {where}: {detail}). Open it in Excel, "
            "save it again, and import the saved file.")


def _xlrd_errors() -> tuple[type[BaseException], ...]:
    """What xlrd raises on a damaged .xls: its own errors, and the asserts, unpacking and
    indexing it checks the file with."""
    from xlrd import XLRDError
    from xlrd.compdoc import CompDocError
    from xlrd.formula import FormulaError

    return (XLRDError, CompDocError, FormulaError, struct.error, AssertionError, IndexError,
            KeyError, ValueError, TypeError, OverflowError, ZeroDivisionError, EOFError, OSError)


def _calamine_errors() -> tuple[type[BaseException], ...]:
    from python_calamine import CalamineError

    return (CalamineError, ValueError, OverflowError, OSError)


def openpyxl_errors() -> tuple[type[BaseException], ...]:
    """What openpyxl raises on a damaged or oddly written .xlsx: its own error, the zip and XML
    layers' errors (LookupError: an unknown encoding), the type checks of its descriptors, and
    its indexing (a shared string that is not there)."""
    from openpyxl.utils.exceptions import InvalidFileException

    return (InvalidFileException, *ZIP_ERRORS, ValueError, TypeError, IndexError,
            LookupError, ParseError, DefusedXmlException,
            AttributeError)  # e.g. a chart sheet with no chart: "'list' has no attribute 'find'"


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
    except (DefusedXmlException, ParseError, ValueError, LookupError) as exc:
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
    # Ids compared as text: one that is not a number (a damaged part) names no percent format.
    percent_ids = {str(builtin) for builtin in _BUILTIN_PERCENT}
    for fmt in styles.iter(f"{_MAIN_NS}numFmt"):
        if is_percent_format(fmt.get("formatCode", "")):
            percent_ids.add(fmt.get("numFmtId", "").strip())
    cell_xfs = styles.find(f"{_MAIN_NS}cellXfs")
    if cell_xfs is None:
        return frozenset()
    return frozenset(index for index, xf in enumerate(cell_xfs.iter(f"{_MAIN_NS}xf"))
                     if xf.get("numFmtId", "0").strip() in percent_ids)


def xlsx_sheet_parts(path: Path, members: dict[str, int], *, max_cells: int = MAX_CELLS,
                     kept: Callable[[str, str], Regions] | None = None) -> dict[str, str]:
    """Sheet name -> XML part of an .xlsx or .xlsm, after the checks that need no reader: no
    part declares XML entities, and no sheet declares or has cells beyond ``max_cells``.

    With ``kept``, the XML of each sheet large enough to load in bands (see ``_Bands``), up to
    ``_KEEP_AT_MOST`` bytes in all, is handed region by region as it is checked to what
    ``kept(name, part)`` gives for the sheet.

    Raises:
        FileProblem: damaged, unsafe, or a sheet too large (named, with its extent).
    """
    room = _KEEP_AT_MOST
    try:
        with zipfile.ZipFile(path) as archive:
            for member in members:
                if member.endswith((".xml", ".rels")):
                    _refuse_doctype(archive, member, path)
            parts = _sheet_parts(archive, path)
            for name, part in parts.items():
                declared = declared_extent(functools.partial(archive.open, part))
                if declared is not None:
                    check_extent(path.name, name, declared, declared=True,
                                 max_cells=max_cells)
                size = members.get(part, 0)
                regions: Regions | None = None
                if kept is not None and _BANDS_FROM <= size <= room:
                    regions = kept(name, part)
                    room -= size
                extent = sheet_extent(functools.partial(archive.open, part), max_cells,
                                      regions)
                check_extent(path.name, name, extent, declared=False, max_cells=max_cells)
    except ZIP_ERRORS as exc:
        raise FileProblem(damaged(path, exc, "unpacking it")) from exc
    return parts


def _common_part(member: str) -> bool:
    """A part calamine may read for any sheet: the package's and the workbook's own parts
    (not other sheets', drawings or media)."""
    if member in ("[Content_Types].xml", "_rels/.rels"):
        return True
    inner = member.removeprefix("xl/")
    return inner != member and ("/" not in inner or inner.startswith("_rels/"))


def _xlsx_sheets(path: Path, members: dict[str, int]) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    common = [member for member in members if _common_part(member)]
    sources: dict[str, _BandSource] = {}
    keep: Callable[[str, str], Regions] | None = None
    if sum(members[member] for member in common) <= _COMMON_AT_MOST:
        try:
            with zipfile.ZipFile(path) as archive:
                commons = {member: archive.read(member) for member in common}
        except ZIP_ERRORS as exc:
            raise FileProblem(damaged(path, exc, "unpacking it")) from exc

        def keep(name: str, part: str) -> Regions:
            # The first large sheet's bands are loaded while the guard checks the rest.
            source = sources[name] = _BandSource(name, part, commons, early=not sources)
            return source

    try:
        parts = xlsx_sheet_parts(path, members, kept=keep)
        try:
            with zipfile.ZipFile(path) as archive:
                percent_styles = _percent_styles(archive, path)
        except ZIP_ERRORS as exc:
            raise FileProblem(damaged(path, exc, "unpacking it")) from exc
        with reader_stopped(path, _calamine_errors()):
            book = CalamineWorkbook.from_path(str(path))
            names = list(book.sheet_names)
    except BaseException:
        for source in sources.values():
            source.close()
        raise
    shared = _SharedArchive(path)
    for name in sources.keys() - set(names):  # not a sheet calamine reads: nothing to load
        sources[name].close()
    return [_CalamineSheet(book, name, path, parts.get(name), percent_styles, shared,
                           sources.get(name)) for name in names]


class _SharedArchive:
    """One open zip for every sheet of a workbook: opening it again for each sheet re-reads
    the central directory, which takes time in proportion to sheets x parts (minutes for a
    workbook of 2,000 sheets). It is closed when the last sheet is let go."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._archive: zipfile.ZipFile | None = None

    def open(self, member: str) -> IO[bytes]:
        if self._archive is None:
            self._archive = zipfile.ZipFile(self._path)
            weakref.finalize(self, self._archive.close)
        return self._archive.open(member)


class _CalamineSheet:
    def __init__(self, book: Any, name: str, path: Path, part: str | None,
                 percent_styles: frozenset[int], archive: _SharedArchive,
                 bands: _BandSource | None = None) -> None:
        self.name = name
        self._archive = archive
        self._book = book
        self._path = path
        self._part = part
        self._percent_styles = percent_styles
        self._band_source = bands
        if bands is not None:  # bands loaded ahead for a sheet let go unread are dropped
            weakref.finalize(self, bands.close)
        self._sheet: Any = None
        #: The bands after the first while they are still to be read (see ``rows``).
        self._bands: _Bands | None = None
        self._banded = False
        #: A sheet read in bands: its head and tail (merged ranges...) as a workbook.
        self._tail: io.BytesIO | None = None
        self._merged: list[tuple[int, int, int, int]] | None = None
        self._whole: Any = None
        self._height = 0
        self._facts: CellFacts | None = None
        #: A sheet read in bands: its XML, each region until its cell facts are found; the
        #: region each band is cut from; the last region whose rows were given out.
        self._kept: list[tuple[bytes, int]] = []
        self._band_regions: list[int] = []
        self._reached = -1
        self._finder: _FactFinder | None = None
        self._scanned = 0

    def _loaded(self) -> Any:
        """Load the sheet with calamine (a large sheet's first band of rows, see ``_Bands``)
        and, at the same time, scan its XML for cell facts.

        calamine releases the GIL while it loads, so the scan (zlib and regex, in this thread)
        costs little extra wall time.
        """
        if self._sheet is None and self._band_source is not None:
            self._sheet = self._first_band(self._band_source)
            self._band_source = None
        if self._sheet is None:
            self._sheet = self._whole_sheet()
            if self._sheet.total_height > MAX_ROWS:
                raise FileProblem(f"{self._path.name}: sheet '{self.name}' has "
                                  f"{self._sheet.total_height:,} rows, more than the "
                                  f"{MAX_ROWS:,} bvdesk imports.")
        return self._sheet

    def _whole_sheet(self) -> Any:
        """The whole sheet, loaded on a thread while its cell facts are found (unless they
        were found already)."""
        if self._whole is None:
            outcome: dict[str, Any] = {}

            errors = _calamine_errors()

            def load() -> None:
                try:
                    outcome["sheet"] = self._book.get_sheet_by_name(self.name)
                except errors as exc:
                    outcome["error"] = exc

            loader = threading.Thread(target=load, name="calamine-load", daemon=True)
            loader.start()
            try:
                if self._facts is None:
                    with reader_stopped(self._path, ZIP_ERRORS, f"in sheet '{self.name}'"):
                        self._facts = self._scan()
            finally:
                loader.join()
            if "error" in outcome:
                raise FileProblem(damaged(self._path, outcome["error"],
                                          f"in sheet '{self.name}'")) from outcome["error"]
            self._whole = outcome["sheet"]
        return self._whole

    def _first_band(self, source: _BandSource) -> Any:
        """The first band of a large sheet (its XML kept for ``cell_facts``); None (with the
        bands let go) when the sheet is better loaded whole: its XML cannot be cut into bands,
        or the first band does not start at column A (the columns of every band must line
        up), or calamine stops in it."""
        bands = source.finish()
        if bands is None:
            return None
        try:
            first = bands.next()
        except _calamine_errors():
            first = None
        if first is None or first.start is None or first.start[1] != 0:
            source.close()
            return None
        # The XML is kept here only until the cell facts are found.
        self._bands, self._banded, self._kept, source.regions = bands, True, source.regions, []
        self._band_regions = source.band_regions
        self._tail, source.tail_book = source.tail_book, None
        # calamine's total height is the last row's 0-based number (it counts for progress).
        self._height = source.last_row - 1 if source.last_row else first.total_height
        return first

    @property
    def col_offset(self) -> int:
        start = self._loaded().start
        return start[1] if start else 0

    @property
    def height(self) -> int:
        return int(self._height or self._loaded().total_height)

    def rows(self) -> Iterator[Sequence[Any]]:
        first = self._loaded()
        if not self._banded:
            return iter(first.iter_rows())
        if self._bands is None:
            return self._again(first)
        bands, self._bands = self._bands, None
        return chain.from_iterable(self._in_bands(first, bands))

    def _in_bands(self, first: Any, bands: _Bands) -> Iterator[Iterable[Sequence[Any]]]:
        """The rows of every band in turn, a band at a time, as the whole sheet would give
        them: the empty rows between bands put back, each row starting at column A."""
        where = f"in sheet '{self.name}'"
        try:
            self._reach(self._band_regions[0])
            yield first.iter_rows()
            end = first.end[0]
            for band in count(1):
                with reader_stopped(self._path, _calamine_errors(), where):
                    sheet = bands.next()
                if sheet is None:
                    return
                self._reach(self._band_regions[band])
                start = sheet.start
                if start is None:
                    continue
                if start[0] <= end:
                    raise FileProblem(damaged(self._path, ValueError(
                        f"row {start[0] + 1} comes after row {end + 1}"), where))
                yield repeat([], start[0] - end - 1)
                rows = sheet.to_python()
                if start[1]:
                    before = [""] * start[1]
                    rows = [before + row for row in rows]
                yield rows
                end = sheet.end[0]
        finally:
            bands.close()

    def _again(self, first: Any) -> Iterator[Sequence[Any]]:
        """The rows of a sheet read in bands once already: the first band's, then the rest
        of the whole sheet (loaded only if they are asked for)."""
        self._reach(len(self._kept) - 1)
        done = 0
        for row in first.iter_rows():
            done += 1
            yield row
        yield from islice(self._whole_sheet().iter_rows(), done, None)

    def merged(self) -> list[tuple[int, int, int, int]]:
        if self._merged is None:
            sheet = self._loaded()
            if self._tail is not None:  # read in bands: the merged ranges are in its tail
                from python_calamine import CalamineWorkbook

                with reader_stopped(self._path, _calamine_errors(), f"in sheet '{self.name}'"):
                    sheet = CalamineWorkbook.from_filelike(self._tail).get_sheet_by_name(
                        self.name)
                self._tail = None
            self._merged = [(r1, c1, r2, c2)
                            for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or []]
        return self._merged

    def cell_facts(self, columns: Sequence[int]) -> CellFacts:
        """Facts for the whole sheet (a superset of ``columns``), found while loading; for a
        sheet read in bands, found in its XML a region at a time, each as the rows of its bands
        are given out (percentages in ``columns`` only, when they are few), so the rows are read
        and written without waiting for the whole sheet's facts."""
        self._loaded()
        if self._facts is None:
            self._finder = _FactFinder(self._percent_styles,
                                       columns if len(columns) <= _FEW_COLUMNS else None)
            self._facts = self._finder.facts
            self._scan_to(self._reached)
        return self._facts

    def _reach(self, region: int) -> None:
        """The rows of ``region`` (and those before) are about to be given out."""
        self._reached = max(self._reached, region)
        self._scan_to(self._reached)

    def _scan_to(self, region: int) -> None:
        """Find the cell facts up to ``region`` (once the cell facts are asked for), letting
        the XML go as it is done with."""
        if self._finder is None:
            return
        while self._scanned <= region and self._scanned < len(self._kept):
            data, cut = self._kept[self._scanned]
            self._kept[self._scanned] = (b"", 0)
            self._finder.scan(data, cut)
            self._scanned += 1

    def _scan(self) -> CellFacts:
        if self._part is None:
            return CellFacts()
        finder = _FactFinder(self._percent_styles, None)
        with self._archive.open(self._part) as handle:
            for data, cut in _cell_chunks(handle):
                finder.scan(data, cut)
        return finder.facts


class _FactFinder:
    """Finds a sheet's cell facts in its XML, given a part at a time as (data, end) with no
    cell cut by an end; with ``columns``, the percentages in those columns only (a search for
    each column's cells is quicker than one for every cell)."""

    def __init__(self, styles: frozenset[int], columns: Sequence[int] | None) -> None:
        self.facts = CellFacts()
        self._percent = _percent_pattern(styles)
        #: Column -> its percent cells' pattern; None for every column.
        self._columns: dict[int, re.Pattern[bytes]] | None = None
        if columns is not None:
            self._columns = ({column: _column_percent(styles, column) for column in columns}
                             if self._percent is not None else {})
            for column in self._columns:  # the sets the reader holds on to, filled as it reads
                self.facts.percent[column] = set()
        self._letters: dict[bytes, int] = {}

    def scan(self, data: bytes, cut: int) -> None:
        percent = self.facts.percent
        if self._columns is not None:
            for column, pattern in self._columns.items():
                percent[column].update([int(row) - 1 for row in pattern.findall(data, 0, cut)])
        elif self._percent is not None:
            fast, counter, general = self._percent
            found = fast.findall(data, 0, cut)
            if len(found) != len(counter.findall(data, 0, cut)):
                # Attributes in an unusual order (or styled rows): use the general form.
                found = general.findall(data, 0, cut)
            found.sort()
            for letters, group in groupby(found, key=itemgetter(0)):
                percent.setdefault(_col(letters, self._letters), set()).update(
                    int(row) - 1 for _letters, row in group)
        if _FORMULA.search(data, 0, cut):
            for letters, row in _FORMULA_WITHOUT_VALUE.findall(data, 0, cut):
                self.facts.uncached_formulas.add((int(row) - 1, _col(letters, self._letters)))


def _cell_chunks(handle: IO[bytes]) -> Iterator[tuple[bytes, int]]:
    """A part in chunks as (data, end), each ending before a cell (``<c ``) cut by the read."""
    tail = b""
    while True:
        chunk = handle.read(_CHUNK)
        data = tail + chunk
        cut = len(data) if not chunk else data.rfind(b"<c ")
        if cut < 0:
            tail = data
            continue
        yield data, cut
        tail = data[cut:]
        if not chunk:
            return


_ROW_START = re.compile(rb"\s*<row\s")
_LAST_ROW = re.compile(rb'<row r="(\d+)"')
#: An element's start (not a declaration, comment or instruction), with its name.
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")


class _BandSource:
    """A large sheet's XML, taken region by region as the guard checks it (``safety.Regions``)
    and cut as it comes into bands of whole rows for ``_Bands``: the sheet's head (to
    ``<sheetData>``, without the declared dimension, which calamine would reserve room for in
    every band), the rows of each region (the first region's in two, a small first band so the
    reader, which finds the header in it, waits little for it), and its tail (from
    ``</sheetData>``: merged ranges...).

    An ``early`` source's bands are loaded while the guard is still checking the rest of the
    workbook, each once the extent checked so far is within ``max_cells`` (so calamine never
    holds more for a band than the guard allows a sheet); the rest once ``finish`` is called,
    when the whole workbook has passed.

    A sheet that cannot be cut so (no plain ``<sheetData>`` in its first region or none closed
    after it, a region that does not start with a row, a cell or row without a reference) is
    loaded whole.
    """

    def __init__(self, name: str, part: str, commons: dict[str, bytes], *, early: bool,
                 max_cells: int = MAX_CELLS) -> None:
        self.name = name
        self.part = part
        self.commons = commons
        #: The sheet's XML as (data, end) (for its cell facts); emptied if it cannot be cut.
        self.regions: list[tuple[bytes, int]] = []
        #: Once ``finish`` is called: the last row's number (0 when not written plainly), and
        #: the sheet's head and tail without its rows, as a workbook (for its merged ranges).
        self.last_row = 0
        self.tail_book: io.BytesIO | None = None
        self._early = early
        self._max_cells = max_cells
        self._bands: _Bands | None = None
        self._held: list[tuple[bytes, int, int]] = []  # cut, not yet handed to ``_bands``
        #: The region (index in ``regions``) each band is cut from.
        self.band_regions: list[int] = []
        self._last: tuple[bytes, int, int] | None = None  # the last band with rows
        self._tail: list[bytes] | None = None  # once ``</sheetData>`` is found
        self._usable = True

    def checked(self, data: bytes, end: int, bound: Extent) -> None:
        if not self._usable:
            return
        self.regions.append((data, end))
        if self._tail is not None:
            self._tail.append(data[:end])
            return
        # Rows close before the sheet's data does: look for its end after the last row's.
        closing = data.find(b"</sheetData>", max(data.rfind(b"</row>", 0, end), 0), end)
        if self._bands is None:
            opening = data.find(b"<sheetData>", 0, end)
            root = _ROOT.search(data, 0, end)  # the XML declaration is passed over
            if opening < 0 or closing >= 0 or root is None:  # no rows, or all in one region
                self.unusable()
                return
            begin = opening + len(b"<sheetData>")
            head = _DIMENSION_TAG.sub(b"", data[:begin])
            ending = b"</sheetData></" + root.group(1) + b">"
            self._bands = _Bands(self.name, self.part, self.commons, head, ending)
            split = data.find(b"<row", begin + _FIRST_BAND, end)
            pieces = [(begin, split), (split, end)] if split > 0 else [(begin, end)]
        else:
            pieces = [(0, closing if closing >= 0 else end)]
        for start, stop in pieces:
            if stop > start:
                if self.band_regions and not _ROW_START.match(data, start, stop):
                    self.unusable()
                    return
                self._last = (data, start, stop)
            self._held.append((data, start, stop))
            self.band_regions.append(len(self.regions) - 1)
        if closing >= 0:
            self._tail = [data[closing:end]]
        if self._early and bound.cells <= self._max_cells:
            self._hand_over()

    def unusable(self) -> None:
        self._usable = False
        self.close()

    def finish(self) -> _Bands | None:
        """The bands, every one handed to the loader now that the whole workbook has passed
        the guard; None when the sheet is to be loaded whole."""
        if not self._usable or self._bands is None or self._tail is None:
            self.unusable()
            return None
        self._hand_over()
        self._bands.end()
        if self._last is not None:
            data, start, stop = self._last
            row = _LAST_ROW.match(data, max(data.rfind(b'<row r="', start, stop), 0), stop)
            self.last_row = int(row.group(1)) if row else 0
        self.tail_book = self._bands.book(b"".join(self._tail))
        self._last = self._tail = None
        return self._bands

    def close(self) -> None:
        """Stop loading bands (if it started) and let them and the XML go."""
        if self._bands is not None:
            self._bands.close()
        self._held = []
        self.regions = []

    def _hand_over(self) -> None:
        assert self._bands is not None
        for band in self._held:
            self._bands.add(band)
        self._held = []


class _Bands:
    """A large sheet loaded by calamine a band of rows at a time, each band one region of
    whole rows between the sheet's own head and its end, in a small stored workbook with the
    same styles, strings and settings. A thread loads the bands in turn as they are added
    (calamine lets other threads run while it parses), at most ``_BANDS_AHEAD`` ahead of the
    reader, while the rows of the bands before are read and written: the import waits for
    calamine little, if at all. Each band is let go once loaded.
    """

    def __init__(self, name: str, part: str, commons: dict[str, bytes], head: bytes,
                 ending: bytes) -> None:
        self._name = name
        self._part = part
        self._commons = commons
        self._head = head
        self._ending = ending
        self._incoming: queue.SimpleQueue[tuple[bytes, int, int] | None] = queue.SimpleQueue()
        self._ready: queue.Queue[Any] = queue.Queue(maxsize=_BANDS_AHEAD)
        self._stop = threading.Event()
        self._loader: threading.Thread | None = None

    def add(self, band: tuple[bytes, int, int]) -> None:
        """Load ``band`` (data, start, end) after the ones before."""
        if self._loader is None:
            self._loader = threading.Thread(target=self._load, name="calamine-bands",
                                            daemon=True)
            self._loader.start()
        self._incoming.put(band)

    def end(self) -> None:
        """No more bands: ``next`` gives None after the last."""
        self._incoming.put(None)

    def next(self) -> Any:
        """The next band's sheet, None after the last.

        Raises:
            what calamine raised on it.
        """
        item = self._ready.get()
        if isinstance(item, BaseException):
            raise item
        return item

    def close(self) -> None:
        """Stop loading (the thread ends after the band it is on)."""
        self._stop.set()
        self._incoming.put(None)
        while not self._ready.empty():
            self._ready.get_nowait()

    def book(self, rows: bytes) -> io.BytesIO:
        """The sheet with only ``rows`` (XML from its head on) as a workbook of its own
        (stored, not compressed)."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as book:
            for member, content in self._commons.items():
                book.writestr(member, content)
            book.writestr(self._part, self._head + rows)
        buffer.seek(0)
        return buffer

    def _load(self) -> None:
        from python_calamine import CalamineWorkbook

        errors = _calamine_errors()
        try:
            while (band := self._incoming.get()) is not None and not self._stop.is_set():
                data, start, end = band
                book = CalamineWorkbook.from_filelike(self.book(b"".join(
                    (memoryview(data)[start:end], self._ending))))
                del band, data
                if not self._put(book.get_sheet_by_name(self._name)):
                    return
        except errors as exc:
            self._put(exc)
            return
        if not self._stop.is_set():
            self._put(None)

    def _put(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False


def _col(letters: bytes, cache: dict[bytes, int]) -> int:
    index = cache.get(letters)
    if index is None:
        index = 0
        for char in letters:
            index = index * 26 + char - 64
        index -= 1
        cache[letters] = index
    return index


def _column_percent(styles: frozenset[int], column: int) -> re.Pattern[bytes]:
    """The row numbers of percent-styled cells of one column (0-based), in any attribute
    order after ``r``."""
    ids = b"|".join(str(s).encode() for s in sorted(styles))
    return re.compile(rb'<c r="%s(\d+)"[^>]*? s="(?:%s)"' % (column_letter(column).encode(),
                                                            ids))


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


class _Quiet:
    """A log for xlrd, which otherwise prints its warnings about odd files on standard output
    (where they would break ``--json``)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        """Nothing is kept, so nothing to flush."""


def _xls_sheets(path: Path) -> list[Sheet]:
    import xlrd

    try:
        with reader_stopped(path, _xlrd_errors()):
            # Ragged rows: a sheet holds only the cells it has, not a rectangle to its last cell.
            book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True,
                                      ragged_rows=True, logfile=_Quiet())
            sheets: list[Sheet] = [_XlsSheet(path, book, index)
                                   for index in range(book.nsheets)]
    except FileProblem as problem:
        if "encrypt" in str(problem.__cause__).lower():
            raise FileProblem(f"{path.name} is password-protected. Remove the password in Excel "
                              "and import again.") from problem.__cause__
        raise
    return sheets


class _XlsSheet:
    col_offset = 0

    def __init__(self, path: Path, book: Any, index: int) -> None:
        self._book = book
        names = book.sheet_names()
        where = f"in sheet '{names[index]}'" if index < len(names) else f"in sheet {index + 1}"
        with reader_stopped(path, _xlrd_errors(), where):
            self._sheet = book.sheet_by_index(index)
        self.name = self._sheet.name
        if self._sheet.nrows > MAX_ROWS:
            raise FileProblem(f"{path.name} was refused: sheet '{self.name}' has "
                              f"{self._sheet.nrows:,} rows, more than the {MAX_ROWS:,} bvdesk "
                              "imports.")

    @property
    def height(self) -> int:
        return int(self._sheet.nrows)

    def rows(self) -> Iterator[Sequence[Any]]:
        import xlrd

        for r in range(self._sheet.nrows):
            out: list[Any] = []
            for cell in self._sheet.row(r):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    out.append(self._date(cell.value))
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    out.append(bool(cell.value))
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    out.append(xlrd.error_text_from_code.get(cell.value, "#ERROR"))
                else:
                    out.append(cell.value)
            yield out

    def _date(self, serial: float) -> Any:
        """The date a date-formatted cell shows; a serial no calendar holds stays as text."""
        import xlrd

        try:
            return xlrd.xldate_as_datetime(serial, self._book.datemode)
        except (ValueError, OverflowError):  # XLDateError is a ValueError
            return f"date serial {serial:g}"

    def merged(self) -> list[tuple[int, int, int, int]]:
        return [(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in self._sheet.merged_cells]

    def cell_facts(self, columns: Sequence[int]) -> CellFacts:
        facts = CellFacts()
        formats = self._book.format_map
        xfs = self._book.xf_list
        for r in range(self._sheet.nrows):
            width = self._sheet.row_len(r)
            for c in columns:
                if c >= width:
                    continue
                xf = xfs[self._sheet.cell_xf_index(r, c)]
                fmt = formats.get(xf.format_key)
                if fmt is not None and is_percent_format(fmt.format_str):
                    facts.percent.setdefault(c, set()).add(r)
        return facts


# --- .csv ------------------------------------------------------------------------------------


def _text_encoding(path: Path) -> str:
    """UTF-16 with a byte-order mark (Excel's "Unicode Text"), UTF-8 when every byte is valid
    UTF-8, Windows-1252 otherwise; checked in a streaming pass."""
    with open(path, "rb") as handle:
        if handle.read(2).startswith(UTF16_BOMS):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


class _CsvSheet:
    """A CSV (or tab-separated text) file, read a row at a time whenever rows are asked for."""

    col_offset = 0

    def __init__(self, path: Path) -> None:
        self._path = path
        self.name = path.stem
        with reader_stopped(path, (OSError,)):
            self._encoding = _text_encoding(path)
            with self._open() as handle:
                sample = handle.read(8192)
            self._lines = _line_breaks(path)
        try:
            self._dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        except csv.Error:
            self._dialect = csv.excel
        if self._lines > MAX_ROWS:  # only then can there be too many rows: count them
            self._lines = sum(1 for _row in self.rows())

    def _open(self) -> Any:
        return open(self._path, encoding=self._encoding, errors="replace", newline="")

    @property
    def height(self) -> int:
        return self._lines

    def rows(self) -> Iterator[Sequence[Any]]:
        with reader_stopped(self._path, (OSError,)), self._open() as handle:
            reader = csv.reader(self._checked(handle), self._dialect)
            try:
                for count, row in enumerate(reader, start=1):
                    if count > MAX_ROWS:
                        raise FileProblem(f"{self._path.name} has more than {MAX_ROWS:,} rows, "
                                          "the most bvdesk imports.")
                    yield row
            except csv.Error as exc:
                raise FileProblem(f"{self._path.name} cannot be read as CSV at line "
                                  f"{reader.line_num} ({exc}).") from exc

    def _checked(self, handle: Any) -> Iterator[str]:
        """The file's lines, each checked for length and columns before the csv module
        splits it into fields."""
        delimiter = self._dialect.delimiter
        number = 0
        while line := handle.readline(MAX_LINE + 1):
            number += 1
            if len(line) > MAX_LINE:
                raise FileProblem(f"{self._path.name} was refused: line {number:,} is longer "
                                  f"than {MAX_LINE:,} characters.")
            if line.count(delimiter) >= MAX_COLUMNS:
                raise FileProblem(f"{self._path.name} was refused: line {number:,} has more "
                                  f"than {MAX_COLUMNS:,} columns, more than Excel allows.")
            yield line

    def merged(self) -> list[tuple[int, int, int, int]]:
        return []

    def cell_facts(self, columns: Sequence[int]) -> CellFacts:
        return CellFacts()


def _line_breaks(path: Path) -> int:
    count = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            count += chunk.count(b"\n")
    return count
