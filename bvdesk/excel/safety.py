"""Checks that run before any parser touches a file a user picked.

A parser must never meet a hostile file: python-calamine aborts the whole process on a
decompression bomb, and openpyxl can spend minutes or gigabytes on one. ``inspect_file`` reads
only the first bytes and, for a zip, its central directory, so it answers in milliseconds and
refuses password-protected workbooks, renamed non-workbooks and zip bombs with a plain message.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

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
MAX_CSV_BYTES = 200 * 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]{1,3}\d+(?::[A-Z]{1,3}(\d+))?"')

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
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
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
    if "Workbook".encode("utf-16-le") in sample or "Book".encode("utf-16-le") in sample:
        return FileKind.XLS
    raise FileProblem(f"{path.name} is an Office file but not an Excel workbook (perhaps a "
                      "Word .doc).")


def _check_text(path: Path, size: int) -> None:
    if size > MAX_CSV_BYTES:
        raise FileProblem(f"{path.name} is {size:,} bytes, larger than bvdesk imports; split it.")
    with open(path, "rb") as handle:
        sample = handle.read(64 * 1024)
    if b"\x00" in sample:
        raise FileProblem(f"{path.name} is not a text CSV file (it contains binary data).")


def declared_rows(sheet_xml_head: bytes) -> int | None:
    """The last row a sheet's ``<dimension>`` element declares, if it has one."""
    match = _DIMENSION.search(sheet_xml_head)
    if not match:
        return None
    return int(match.group(1)) if match.group(1) else 1
