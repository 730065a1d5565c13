"""Property: whatever cells and headers a workbook holds, the import parser accepts or reports.

It returns values and issues, or refuses the file with a ``BvdeskError``; it never raises anything
else, and every value it accepts is a finite number.
"""

from __future__ import annotations

import datetime as dt
import math
import string
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from bvdesk.errors import BvdeskError
from bvdesk.excel.indicator_reader import parse
from bvdesk.operations.indicator_import import shipped_catalogue

CATALOGUE = shipped_catalogue()
HEADINGS = ["Landlord", "Organisation", "RSL code", "Indicator", "PI", "Year", "Financial year",
            "Value", "Outturn", "BV212", "BV66a", "Rent collected", "HC-ARR", "Notes", "",
            "Average", "FY2008/09"]
LOOKS_LIKE = ["£1,234", "(123)", "95%", "0.95", "−5", "n/a", "-", "–", "*", "2008/09",
              "2008-09", "FY2000/01", "00/01", "North HA", "Northvale Homes Ltd", "median",
              "#DIV/0!", "=SUM(A1:A3)", "1e400", "NaN", "Infinity", "  12 ", "1 234,5"]

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40).map(
    lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))
cells: st.SearchStrategy[Any] = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True), text, st.sampled_from(LOOKS_LIKE),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 12, 31)))
headings = st.one_of(st.sampled_from(HEADINGS), text)
sheets = st.tuples(
    st.lists(headings, min_size=1, max_size=6),
    st.lists(st.lists(cells, max_size=6), max_size=12),
    st.sampled_from(["Sheet", "2008-09", "FY2007-08", "Notes", "Data 2009"]),
    st.integers(min_value=0, max_value=3))


def _write(folder: Path, header: list[str], rows: list[list[Any]], title: str,
           blank_rows_above: int) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for _ in range(blank_rows_above):
        sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append([float("nan") if isinstance(v, float) and math.isnan(v) else v
                      for v in row])
    path = folder / "arbitrary.xlsx"
    book.save(path)
    return path


def _check(path: Path) -> None:
    try:
        result = parse([path], CATALOGUE)
    except BvdeskError as refused:
        assert refused.message.strip()
        return
    for value in result.rows:
        assert isinstance(value.value, float)
    for issue in result.issues:
        assert str(issue)


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets)
def test_any_workbook_is_accepted_or_reported(sheet: tuple[Any, ...]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _check(_write(Path(folder), *sheet))


def _csv(folder: str, rows: list[list[str]], separator: str) -> Path:
    path = Path(folder) / "arbitrary.csv"
    path.write_text("\n".join(separator.join(row) for row in rows), encoding="utf-8")
    return path


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.one_of(text, st.sampled_from(LOOKS_LIKE + HEADINGS)),
                         max_size=6), min_size=1, max_size=12),
       st.sampled_from([",", ";", "\t"]))
def test_any_csv_is_accepted_or_reported(rows: list[list[str]], separator: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _check(_csv(folder, rows, separator))


def test_a_lone_carriage_return_ends_a_line() -> None:
    """Found by the property above: files from old Mac systems end lines with a bare CR, so a
    bare CR inside a value splits it into two lines (the stray "0" is a landlord with no
    values, which is not data)."""
    with tempfile.TemporaryDirectory() as folder:
        mixed = parse([_csv(folder, [["Landlord", "Indicator", "Year", "Value"],
                                     ["North HA", "BV212", "2008/09", "5\r0"]], ",")],
                      CATALOGUE)
        old_mac = Path(folder) / "old-mac.csv"
        old_mac.write_bytes(b"Landlord,Indicator,Year,Value\rNorth HA,BV212,2008/09,5\r"
                            b"South HA,BV212,2008/09,7\r")
        whole = parse([old_mac], CATALOGUE)
    assert [(v.organisation, v.value, v.row) for v in mixed.rows] == [("North HA", 5.0, 2)]
    assert [(v.organisation, v.value, v.row) for v in whole.rows] == [("North HA", 5.0, 2),
                                                                      ("South HA", 7.0, 3)]
    assert mixed.issues == [] and whole.issues == []


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["NaN", "1e400", "-1e400", "Infinity"]))
def test_accepted_values_are_finite(raw: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "values.csv"
        path.write_text(f"Landlord,Indicator,Year,Value\nNorth HA,BV212,2008/09,{raw}\n",
                        encoding="utf-8")
        result = parse([path], CATALOGUE)
        assert all(math.isfinite(v.value) for v in result.rows)


def test_the_alphabet_reaches_the_parser() -> None:
    """A guard for the strategies: printable text survives the illegal-character filter."""
    assert ILLEGAL_CHARACTERS_RE.sub("", string.printable.strip()) != ""
