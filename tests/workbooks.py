"""Workbooks the tests write: one sheet of rows, as a landlord or a club would send them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from openpyxl import Workbook


def one_sheet(path: Path, rows: Iterable[Iterable[object]], *, title: str = "2023-24",
              formats: Mapping[str, str] | None = None) -> Path:
    """Save ``rows`` as the only sheet, ``title``, of a workbook at ``path``; ``formats`` gives
    cells (or a column's letter: every cell under its heading) a number format."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for where, number_format in (formats or {}).items():
        cells = sheet[where][1:] if where.isalpha() else (sheet[where],)
        for cell in cells:
            cell.number_format = number_format
    book.save(path)
    return path
