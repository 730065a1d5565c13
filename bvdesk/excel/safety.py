"""Checks that run before any parser touches a file a user picked.

A parser must never meet a hostile file: python-calamine aborts the whole process on a
decompression bomb, and openpyxl can spend minutes or gigabytes on one. ``inspect_file`` reads
only the first bytes and, for a zip, its central directory, so it answers in milliseconds and
refuses password-protected workbooks, renamed non-workbooks and zip bombs with a plain message.
"""

from __future__ import annotations

import functools
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator
from contextlib import closing
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Protocol

from bvdesk.errors import FileProblem

#: Limits on what a zip may declare, checked before decompressing anything.
MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 400 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
#: Compression ratio above which a large member is treated as a bomb (XML rarely exceeds 30).
MAX_RATIO = 200
RATIO_APPLIES_FROM = 1024 * 1024
#: The largest sheet the importer reads; beyond it the file is refused, not truncated.
MAX_ROWS = 1_000_000
#: The most columns a row may have (Excel's own limit); checked on each line of a text file
#: before the csv module splits it, as a line of commas would otherwise be millions of fields.
MAX_COLUMNS = 16_384
#: The longest line of a text file read (characters).
MAX_LINE = 4 * 1024 * 1024
#: The most cells a sheet may span, counted as rows x columns from A1 to its farthest cell: a
#: reader holds that whole rectangle, empty cells included (calamine takes 32 bytes a cell), so
#: one far cell in a small file would otherwise take gigabytes.
MAX_CELLS = 8 * 1024 * 1024
MAX_CSV_BYTES = 200 * 1024 * 1024

#: What Python's zipfile raises on a damaged or unusual zip: its own error, inflating errors,
#: a short file, a missing member, and features it does not implement (newer zip versions,
#: other compression methods).
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, NotImplementedError)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The record a worksheet of Excel 2.x, 3.0 and 4.0 starts with (BOF), before compound files.
_OLD_EXCEL_BOF = (b"\x09\x00", b"\x09\x02", b"\x09\x04")
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref\s*=\s*["\']\$?([A-Za-z]*)\$?(\d*)'
                        rb'(?::\$?([A-Za-z]*)\$?(\d*))?')
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData[\s>/]")
#: The column letters of a cell reference (``r="XFD100000"``), in any attribute order, quotes
#: or spacing calamine accepts. Patterns start with a literal ("r", "<c"), which Python's re
#: finds quickly; a wider match (``header="A1"``) only makes a bound more cautious.
_REF_LETTERS = re.compile(rb'r\s*=\s*["\']([A-Za-z]+)\d')
_CHUNK = 4 * 1024 * 1024
#: How far on from a reference that widens a sheet's extent the references are all taken.
_WINDOW = 64 * 1024

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"SQLite format 3", "an SQLite database"),
    (b"Rar!", "a RAR archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
)


class FileKind(StrEnum):
    XLSX = "xlsx"
    XLS = "xls"
    CSV = "csv"


@dataclass(frozen=True, slots=True)
class Inspection:
    kind: FileKind
    #: For a zip workbook: declared uncompressed size of each member.
    members: dict[str, int]


def inspect_file(path: Path) -> Inspection:
    """What kind of workbook ``path`` is, refusing anything unsafe or unreadable.

    Raises:
        FileProblem: missing, empty, not a workbook, password-protected, or a zip bomb.
    """
    name = path.name
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(8)
    except FileNotFoundError as exc:
        raise FileProblem(f"{path} does not exist.") from exc
    except OSError as exc:
        raise FileProblem(f"Cannot read {path}: {exc.strerror}.") from exc
    if size == 0:
        raise FileProblem(f"{name} is empty.")
    if head.startswith(ZIP_MAGICS):
        return Inspection(FileKind.XLSX, _check_zip(path))
    if head.startswith(OLE_MAGIC):
        return Inspection(_check_ole(path), {})
    if head[:2] in _OLD_EXCEL_BOF and 4 <= int.from_bytes(head[2:4], "little") <= 16:
        return Inspection(FileKind.XLS, {})  # an Excel 2.x-4.0 worksheet: xlrd reads these
    if path.suffix.lower() in (".csv", ".txt"):
        _check_text(path, size)
        return Inspection(FileKind.CSV, {})
    raise FileProblem(f"{name} is not an Excel workbook{_described(path, head)}. "
                      "Save it from Excel as .xlsx (or as .csv) and import that.")


def _described(path: Path, head: bytes) -> str:
    for magic, what in _SIGNATURES:
        if head.startswith(magic):
            return f" (it is {what})"
    try:
        with open(path, "rb") as handle:
            sample = handle.read(512).lstrip().lower()
    except OSError:
        return ""
    if sample.startswith((b"<!doctype html", b"<html")):
        return " (it is a web page)"
    if b"\x00" not in sample and sample:
        return " (it looks like plain text; if it is a CSV file, name it .csv)"
    return ""


def _check_zip(path: Path) -> dict[str, int]:
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except ZIP_ERRORS + (ValueError,) as exc:
        raise FileProblem(f"{name} is damaged: it is not a readable zip file ({exc}).") from exc
    if len(infos) > MAX_MEMBERS:
        raise FileProblem(f"{name} holds {len(infos):,} parts, more than any real workbook; "
                          "it was refused unread.")
    total = 0
    members: dict[str, int] = {}
    for info in infos:
        if info.flag_bits & 0x1:
            raise FileProblem(f"{name} is encrypted. Remove the password in Excel "
                              "(File > Info > Protect Workbook) and import again.")
        if info.file_size > MAX_MEMBER_BYTES or (
                info.file_size > RATIO_APPLIES_FROM
                and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            raise FileProblem(
                f"{name} was refused unread: its part {info.filename} would expand from "
                f"{info.compress_size:,} to {info.file_size:,} bytes (a decompression bomb, "
                "or far larger than bvdesk imports).")
        total += info.file_size
        members[info.filename] = info.file_size
    if total > MAX_TOTAL_BYTES:
        raise FileProblem(f"{name} was refused unread: it would expand to {total:,} bytes, "
                          "far larger than bvdesk imports.")
    if "xl/workbook.xml" not in members and "xl/workbook.bin" not in members:
        what = ("a Word document" if "word/document.xml" in members else
                "a PowerPoint presentation" if "ppt/presentation.xml" in members else
                "an OpenDocument file; save it from LibreOffice as .xlsx"
                if "content.xml" in members else "a zip archive")
        raise FileProblem(f"{name} is not an Excel workbook (it is {what}).")
    if "xl/workbook.bin" in members:
        raise FileProblem(f"{name} is an Excel binary workbook (.xlsb). Save it from Excel as "
                          ".xlsx and import that.")
    return members


def _check_ole(path: Path) -> FileKind:
    """Old .xls files and password-protected .xlsx files are both OLE compound files."""
    with open(path, "rb") as handle:
        # Directory entries are usually near the start, but may be anywhere: read a bounded slice.
        sample = handle.read(4 * 1024 * 1024)
    if _ENCRYPTED_STREAM in sample:
        raise FileProblem(f"{path.name} is password-protected. Remove the password in Excel "
                          "(File > Info > Protect Workbook > Encrypt with Password) and import "
                          "again.")
    if _has_workbook_stream(sample):
        return FileKind.XLS
    raise FileProblem(f"{path.name} is an Office file but not an Excel workbook (perhaps a "
                      "Word .doc).")


#: A directory entry (MS-CFB 2.6) naming a stream "Workbook" or "Book", in any case: Excel
#: 97-2003 writes "Workbook", Excel 5 "Book", and other writers "WORKBOOK" or "BOOK".
_WORKBOOK_ENTRY = re.compile(b"(?:%s)?%s" % ("work".encode("utf-16-le"),
                                             "book\x00".encode("utf-16-le")), re.IGNORECASE)
_STREAM = 2


def _has_workbook_stream(sample: bytes) -> bool:
    """True when a directory entry in ``sample`` is a stream named Workbook or Book.

    Entries are 128 bytes long and 128-byte aligned in the file, with the name's byte length
    at offset 64 and the object type at 66, so a name in ordinary text is not mistaken for one.
    """
    for match in _WORKBOOK_ENTRY.finditer(sample):
        start = match.start()
        if start % 128 == 0 and len(sample) >= start + 67:
            length, kind = struct.unpack_from("<HB", sample, start + 64)
            if length == match.end() - start and kind == _STREAM:
                return True
    return False


#: Byte-order marks of the UTF-16 text Excel saves as "Unicode Text" (.txt) or CSV UTF-16.
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _check_text(path: Path, size: int) -> None:
    if size > MAX_CSV_BYTES:
        raise FileProblem(f"{path.name} is {size:,} bytes, larger than bvdesk imports; split it.")
    with open(path, "rb") as handle:
        sample = handle.read(64 * 1024)
    if sample.startswith(UTF16_BOMS):
        return
    if b"\x00" in sample:
        raise FileProblem(f"{path.name} is not a text CSV file (it contains binary data).")


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_number(letters: bytes) -> int:
    """b"A" -> 1, b"XFD" -> 16384 (any case, any length)."""
    number = 0
    for char in letters.upper():
        number = number * 26 + char - 64
    return number


@dataclass(frozen=True, slots=True)
class Extent:
    """The rectangle from A1 to a sheet's farthest row and column (1-based, inclusive)."""

    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    def __str__(self) -> str:
        return f"A1:{column_letter(self.columns - 1)}{self.rows}"


def check_extent(file: str, sheet: str, extent: Extent, *, declared: bool,
                 max_cells: int = MAX_CELLS) -> None:
    """Refuse a sheet whose extent is beyond what bvdesk reads, naming the sheet and extent.

    Raises:
        FileProblem: more than ``MAX_ROWS`` rows, or more than ``max_cells`` cells.
    """
    what = (f"sheet '{sheet}' declares the range {extent}" if declared else
            f"sheet '{sheet}' has cells as far as {extent}")
    if extent.rows > MAX_ROWS:
        raise FileProblem(f"{file} was refused: {what}, {extent.rows:,} rows, more than the "
                          f"{MAX_ROWS:,} rows bvdesk imports.")
    if extent.cells > max_cells:
        raise FileProblem(f"{file} was refused: {what}, {extent.cells:,} cells, more than the "
                          f"{max_cells:,} bvdesk reads in one sheet. Delete the unused rows "
                          "and columns in Excel, save it, and import again.")


def declared_extent(open_part: Callable[[], IO[bytes]]) -> Extent | None:
    """The range a sheet's ``<dimension>`` element declares, from A1, if it has one.

    Readers take the dimension from anywhere ahead of the sheet's data, so the part is read
    (in chunks) as far as ``<sheetData``.
    """
    match = None
    with open_part() as handle:
        tail = b""
        while chunk := handle.read(64 * 1024):
            data = tail + chunk
            match = _DIMENSION.search(data)
            if match or _SHEET_DATA.search(data):
                break
            tail = data[-256:]
    if not match:
        return None
    first_letters, first_row, last_letters, last_row = match.groups()
    letters = last_letters if last_letters else first_letters
    row = last_row if last_row else first_row
    return Extent(int(row) if row else 1, _column_number(letters) if letters else 1)


#: Cell and row tags without a plainly quoted reference as their first attribute, and
#: namespace-prefixed ones (``<x:c>``, searched for only where there is a colon at all): the
#: tags the usual writers' scan cannot pass over.
_UNUSUAL = tuple(re.compile(start + rb'(?!\sr=["\'])[\s>/]') for start in (b"<c", b"<row"))
_PREFIXED_TAG = re.compile(rb':(?:c|row)[\s>/]')


class Regions(Protocol):
    """Where ``sheet_extent`` hands a sheet's XML, region by region as it checks it, for a
    reader to load the sheet in bands of rows without inflating it again."""

    def checked(self, data: bytes, end: int, bound: Extent) -> None:
        """A region checked, as (data, end) like ``_regions`` gives it: no reference up to its
        end reaches beyond ``bound`` (its rows the largest number with as many digits as the
        longest row number so far)."""

    def unusable(self) -> None:
        """The sheet cannot be loaded in bands: a cell or row has no reference, or not as its
        first attribute, or a namespace prefix (an unusual writer, whose sheet is checked tag
        by tag). No more regions follow."""


def sheet_extent(open_part: Callable[[], IO[bytes]], max_cells: int = MAX_CELLS,
                 kept: Regions | None = None) -> Extent:
    """The rectangle a reader will hold for a sheet: from A1 to the farthest row and column
    that any cell or row of its XML refers to, found in a streaming pass.

    With ``kept``, each region is handed to it once checked (see ``Regions``).

    The usual writers (Excel, LibreOffice, openpyxl...) give every cell and row its reference
    as its first attribute; their sheets are checked by ``_usual_extent``. A sheet with any
    other tag (no reference, another attribute first, a namespace prefix) is checked again tag
    by tag by ``_extent_by_tags``.

    Only the number of digits of the row numbers is tracked (a search, not a conversion of
    every number), so the rows returned are the largest number with that many digits (99 for a
    last row of 12); when that bound would exceed ``max_cells``, a second pass finds the exact
    last row, so a refusal states the real extent.
    """
    found = _usual_extent(open_part, kept)
    if found is None:
        if kept is not None:
            kept.unusable()
        found = _extent_by_tags(open_part)
    digits, last_long_row, columns, unreferenced_rows = found
    last_row = last_long_row if digits >= 7 else 10**digits - 1 if digits else 1
    if digits < 7 and ((last_row + unreferenced_rows) * columns > max_cells):
        exact = _ref_rows(digits)
        last_row = int(max((max(exact.findall(data, 0, cut), default=b"1")
                            for data, cut in _regions(open_part)), default=b"1"))
    return Extent(last_row + unreferenced_rows, columns)


#: What a scan of a sheet's references found: the most digits of any row number, the last row
#: when that is seven digits or more, the columns, and the rows with no reference.
_Found = tuple[int, int, int, int]


class _Widest:
    """The farthest column and the longest row number of the references found so far."""

    def __init__(self) -> None:
        self.column = 0  # 1-based; 0 before any
        self.digits = 0
        self.last_long_row = 0  # exact, for row numbers of seven digits or more

    def take(self, data: bytes, start: int, cut: int) -> int:
        """Take every reference from ``start`` to a tag ``_WINDOW`` bytes on (a wide first
        row, or the first rows with one more digit, at once); where the next search starts."""
        at = data.find(b"<", start + _WINDOW, cut)  # a tag's start splits no reference
        if at < 0:
            at = cut
        letters = set(_REF_LETTERS.findall(data, start, at))
        if letters:
            self.column = max(self.column, *map(_column_number, letters))
        more = _ref_rows(min(self.digits + 1, 7)).findall(data, start, at)
        if more:
            self.digits = max(self.digits, *map(len, more))
            self.last_long_row = max([self.last_long_row,
                                      *(int(n) for n in more if len(n) >= 7)])
        return at

    def beyond(self, cells: bool) -> re.Pattern[bytes]:
        """The search for the cell (or row) tags not plainly within the extent so far."""
        return (_cells_beyond(self.column, self.digits) if cells
                else _rows_beyond(self.digits))

    def bound(self) -> Extent:
        return Extent(self.last_long_row if self.digits >= 7 else 10**self.digits - 1,
                      max(self.column, 1))


def _usual_extent(open_part: Callable[[], IO[bytes]], kept: Regions | None) -> _Found | None:
    """A sheet's extent when every cell and row tag has its reference first, or None at the
    first that does not.

    Two searches a region, for cell tags and for row tags that are not plainly within the
    extent found so far (a column of as many letters or fewer, no later in the alphabet, and a
    row number of as many digits or fewer); each such tag is either unusual (None) or widens
    the extent, and the references around it are taken (``_Widest.take``), their tags looked
    at for unusual ones. A region with none (the usual case after the first) is passed over
    after the two searches.
    """
    widest = _Widest()
    for data, cut in _regions(open_part):
        if _prefixed(data, cut):
            return None
        for cells in (True, False):
            at = 0
            while found := widest.beyond(cells).search(data, at, cut):
                start = found.start()
                at = widest.take(data, start, cut)
                # The tags taken at once are looked at too: the search goes on after them.
                if any(tag.search(data, start, at) for tag in _UNUSUAL):
                    return None
        if kept is not None:
            kept.checked(data, cut, widest.bound())
    return widest.digits, widest.last_long_row, max(widest.column, 1), 0


def _extent_by_tags(open_part: Callable[[], IO[bytes]]) -> _Found:
    """A sheet's extent whatever form its tags take: references in any attribute order,
    quotes or spacing, namespace prefixes, and cells and rows with no reference, which follow
    the one before them and so are counted as extending their row or the sheet.

    A search finds the next reference beyond the extent found so far (``_beyond``); the tags of
    a region with an unusual one are each looked at (those with a reference are not counted).
    """
    widest = _Widest()
    unreferenced_rows = widest_unreferenced = 0
    for data, cut in _regions(open_part):
        at = 0
        while found := _beyond(widest.column, min(widest.digits + 1, 7)).search(data, at, cut):
            at = widest.take(data, found.start(), cut)
        if any(tag.search(data, 0, cut) for tag in _UNUSUAL) or _prefixed(data, cut):
            unreferenced_rows += _unreferenced(_ROW_TAG.findall(data, 0, cut))
            widest_unreferenced = max(widest_unreferenced, *(
                _unreferenced(_CELL_TAG.findall(row)) for row in data[:cut].split(b"<row")))
    return (widest.digits, widest.last_long_row, max(widest.column, 1) + widest_unreferenced,
            unreferenced_rows)


def _prefixed(data: bytes, cut: int) -> bool:
    """Whether ``data`` has a namespace-prefixed cell or row tag before ``cut``."""
    return data.find(b":", 0, cut) >= 0 and _PREFIXED_TAG.search(data, 0, cut) is not None


_ROW_TAG = re.compile(rb"<(?:\w+:)?row(?:\s[^>]*)?>")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c(?:\s[^>]*)?>")
_HAS_REF = re.compile(rb"\sr\s*=")


def _unreferenced(tags: list[bytes]) -> int:
    return sum(1 for tag in tags if not _HAS_REF.search(tag))


def _regions(open_part: Callable[[], IO[bytes]]) -> Iterator[tuple[bytes, int]]:
    """The part in chunks, each as (data, end): a row or tag cut by the chunk's end is left
    for the next one, so no reference is split."""
    tail = b""
    with open_part() as handle, closing(_read_ahead(handle)) as chunks:
        for chunk in chunks:
            data = tail + chunk
            cut = len(data)
            if chunk:
                floor = max(len(data) - _CHUNK, 0)
                cut = data.rfind(b"<row", floor)
                if cut <= 0:
                    cut = data.rfind(b"<", floor)
                if cut <= 0:
                    cut = len(data)
            yield data, cut
            tail = data[cut:]
            if not chunk:
                return


def _read_ahead(handle: IO[bytes]) -> Generator[bytes, None, None]:
    """``handle``'s chunks and then b"", each next one read on a thread while the caller
    searches the one before (zlib lets other threads run while it inflates)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1, thread_name_prefix="inflate") as pool:
        ahead = pool.submit(handle.read, _CHUNK)
        while chunk := ahead.result():
            ahead = pool.submit(handle.read, _CHUNK)
            yield chunk
    yield b""


@functools.cache
def _ref_rows(at_least: int) -> re.Pattern[bytes]:
    """References whose row number has at least ``at_least`` digits."""
    return re.compile(rb'r\s*=\s*["\'][A-Za-z]*(\d{%d,})' % at_least)


@functools.cache
def _cells_beyond(column: int, digits: int) -> re.Pattern[bytes]:
    """Cell tags not plainly within an extent of ``column`` (1-based, 0 for none yet) and row
    numbers of ``digits`` digits: their first attribute is not a plainly quoted reference
    within it (one of seven digits or more is always taken, for the exact last row)."""
    if not (column and digits):
        return re.compile(rb"<c[\s>/]")
    return re.compile(rb'<c(?!\sr=["\'](?:%s)\d{1,%d}["\'])[\s>/]'
                      % (_letters_within(column_letter(column - 1)), min(digits, 6)))


@functools.cache
def _rows_beyond(digits: int) -> re.Pattern[bytes]:
    """Row tags whose first attribute is not a plainly quoted row number of at most
    ``digits`` digits (see ``_cells_beyond``)."""
    if not digits:
        return re.compile(rb"<row[\s>/]")
    return re.compile(rb'<row(?!\sr=["\']\d{1,%d}["\'])[\s>/]' % min(digits, 6))


def _letters_within(farthest: str) -> bytes:
    """A pattern for the column letters up to ``farthest``, in either case: fewer letters, or
    as many, the same up to one that is earlier in the alphabet (or ``farthest`` itself)."""
    shorter = [rb"[A-Za-z]{1,%d}" % (len(farthest) - 1)] if len(farthest) > 1 else []
    same = b""
    alternatives = []
    for at, letter in enumerate(farthest):
        last = at == len(farthest) - 1
        upto = letter if last else chr(ord(letter) - 1)
        if upto >= "A":
            alternatives.append(same + b"[A-%s%s-%s]" % (upto.encode(), b"a",
                                                          upto.lower().encode())
                                + b"[A-Za-z]" * (len(farthest) - at - 1))
        same += b"[%s%s]" % (letter.encode(), letter.lower().encode())
    return b"|".join(alternatives[::-1] + shorter)


@functools.cache
def _beyond(column: int, at_least: int) -> re.Pattern[bytes]:
    """References that would widen an extent: a column past ``column`` (1-based, 0 for none
    yet), in either case, or a row number of at least ``at_least`` digits."""
    farthest = column_letter(column - 1) if column else ""
    wider = [rb"[A-Za-z]{%d,}" % (len(farthest) + 1)]
    for at, letter in enumerate(farthest):  # as long, but later in the alphabet at ``at``
        if letter != "Z":
            later = chr(ord(letter) + 1)
            same = b"".join(b"[%s%s]" % (c.encode(), c.lower().encode())
                            for c in farthest[:at])
            wider.append(same + b"[%s-Z%s-z]" % (later.encode(), later.lower().encode())
                         + b"[A-Za-z]" * (len(farthest) - at - 1))
    return re.compile(rb'r\s*=\s*["\'](?:[A-Za-z]*\d{%d,}|(?:%s)\d)'
                      % (at_least, b"|".join(wider)))
