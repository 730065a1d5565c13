"""A large sheet is loaded in bands of rows while the rows before are read: what the reader
sees is what a whole-sheet read gives, row for row, and its problems are where they are."""

from __future__ import annotations

import datetime as dt
import threading
import zipfile
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from bvdesk.errors import FileProblem
from bvdesk.excel.indicator_reader import parse
from bvdesk.excel.sources import open_workbook
from bvdesk.operations.indicator_import import shipped_catalogue

SHEET = "xl/worksheets/sheet1.xml"
PERCENT, DATE = 1, 2  # the template's cell styles, in the order its cells use them


def _cell(ref: str, value: Any, style: int = 0) -> str:
    styled = f' s="{style}"' if style else ""
    if isinstance(value, str):
        return f'<c r="{ref}"{styled} t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"{styled}><v>{value}</v></c>'


def _row(number: int, cells: list[tuple[str, Any, int]]) -> str:
    return (f'<row r="{number}">'
            + "".join(_cell(f"{column}{number}", value, style) for column, value, style in cells)
            + "</row>")


def _data(number: int, columns: str = "ABCDE") -> str:
    percent = number % 3 == 0
    cells = [("A", f"Peer Housing {number % 700:04d}", 0),
             ("B", "BV66a" if percent else "BV212", 0), ("C", "2005/06", 0),
             ("D", round(0.5 + number % 50 / 100, 2) if percent else number % 900, PERCENT
              if percent else 0), ("E", 38000 + number % 400, DATE)]
    return _row(number, [cell for cell in cells if cell[0] in columns])


def _large_book(path: Path, rows: str, merged: str = "") -> Path:
    """A real workbook (styles from openpyxl) whose sheet 'Data' holds ``rows``."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet["A1"] = 0.5
    sheet["A1"].number_format = "0.0%"
    sheet["A2"] = dt.date(2005, 4, 1)
    sheet["A2"].number_format = "yyyy-mm-dd"
    template = path.with_suffix(".template.xlsx")
    book.save(template)
    xml = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<dimension ref="A1:E2"/><sheetData>' + rows + "</sheetData>" + merged
           + "</worksheet>")
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w",
                                                              zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, xml.encode() if item.filename == SHEET else
                         source.read(item.filename))
    return path


def _header() -> str:
    return _row(2, [(c, text, 0) for c, text in zip(
        "ABCDE", ("Organisation", "Indicator", "Year", "Value", "Returned"), strict=True)])


def _whole_rows(path: Path) -> list[list[Any]]:
    return [_trimmed(row) for row in
            CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data").iter_rows()]


def _trimmed(row: Any) -> list[Any]:
    row = list(row)
    while row and row[-1] == "":
        row.pop()
    return row


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Some 16 MB of sheet XML: data rows, then 100,000 rows with no cells (more than a band,
    so bands start and end among them), rows with nothing in column A (a band that starts at
    column B), and more data with a bad value; a merged title over the header."""
    rows = [_row(1, [("A", "Club returns", 0)]), _header()]
    rows += [_data(n) for n in range(3, 20_003)]
    rows += [f'<row r="{n}" ht="20" customHeight="1"/>' for n in range(20_003, 120_003)]
    rows += [_data(n, "BCD") for n in range(120_003, 145_003)]
    odd = {150_001: '<c r="D150001" t="inlineStr"><is><t>n/q</t></is></c>',
           150_002: '<c r="D150002"><f>SUM(1,2)</f></c>',  # a formula with no saved value
           150_003: f'<c r="D150003" t="n" s="{PERCENT}"><v>0.25</v></c>'}  # s after t
    rows += [_data(n) if n not in odd else
             _row(n, [("A", "Peer Housing 0001", 0), ("B", "BV66a", 0), ("C", "2006/07", 0)]
                  ).replace("</row>", odd[n] + "</row>")
             for n in range(145_003, 155_003)]
    path = _large_book(tmp_path_factory.mktemp("large") / "large.xlsx", "".join(rows),
                       '<mergeCells count="1"><mergeCell ref="A1:E1"/></mergeCells>')
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(SHEET).file_size > 12 * 1024 * 1024  # more than three bands
    return path


def test_a_sheet_read_in_bands_gives_the_whole_sheet_row_for_row(large: Path) -> None:
    sheet = open_workbook(large)[0]
    whole = CalamineWorkbook.from_path(str(large)).get_sheet_by_name("Data")
    assert [_trimmed(row) for row in sheet.rows()] == _whole_rows(large)
    assert sheet.col_offset == 0 and sheet.height == whole.total_height
    assert sheet.merged() == [(0, 0, 0, 4)]
    # Asked again (the wizard's sample rows), it gives the same rows from the start.
    again = sheet.rows()
    assert [_trimmed(next(again)) for _ in range(3)] == _whole_rows(large)[:3]


def test_values_and_problems_of_a_sheet_read_in_bands_keep_their_places(large: Path) -> None:
    result = parse([large], shipped_catalogue())
    assert [(i.row, i.message) for i in result.errors if i.column != "A"] == [
        (150_001, "'n/q' is not a number; expected a number for BV66a."),
        (150_002, "This formula has no saved result. Open the file in Excel, save it, and "
                  "import it again.")]
    assert len(result.rows) == 20_000 + 10_000 - 2
    first, last = result.rows[0], result.rows[-1]
    assert (first.row, first.column, first.indicator, first.value) == (3, "D", "BV66a", 53.0)
    assert (last.row, last.value) == (155_002, 155_002 % 900)
    percent = [value for value in result.rows if value.row in (150_000, 150_003)]
    assert [(value.indicator, value.value) for value in percent] == [("BV66a", 50.0),
                                                                      ("BV66a", 25.0)]
    # Rows with no organisation are reported, 25,000 of them, each in its own row.
    assert [issue.row for issue in result.errors if issue.column == "A"] == list(
        range(120_003, 145_003))


def test_a_sheet_starting_at_column_b_is_read_whole(tmp_path: Path) -> None:
    rows = "".join([_header().replace('r="A2"', 'r="F2"'),
                    *(_data(n, "BCDE") for n in range(3, 60_003))])
    path = _large_book(tmp_path / "from-b.xlsx", rows)
    sheet = open_workbook(path)[0]
    assert sheet.col_offset == 1
    assert [_trimmed(row) for row in sheet.rows()] == _whole_rows(path)


def test_rows_out_of_order_across_bands_are_refused(tmp_path: Path) -> None:
    """Excel writes rows in order (and refuses files that are not); one written after a
    later one cannot be put back in its place once the rows before have been read."""
    rows = [_header(), *(_data(n) for n in range(3, 50_003)), _data(10)]
    path = _large_book(tmp_path / "disorder.xlsx", "".join(rows))
    with pytest.raises(FileProblem, match="disorder.xlsx is damaged .*sheet 'Data'.*row 10 "
                                          "comes after row 50002"):
        list(open_workbook(path)[0].rows())


def _band_loaders() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "calamine-bands"]


def _ended(threads: list[threading.Thread]) -> bool:
    for thread in threads:
        thread.join(timeout=5)
    return not any(thread.is_alive() for thread in threads)


def test_a_sheet_too_large_at_its_end_is_refused_though_its_first_bands_were_loaded(
        tmp_path: Path) -> None:
    """The first bands are loaded while the guard checks the rest; a cell far out at the end
    still refuses the file, and the bands loaded are let go."""
    rows = [_header(), *(_data(n) for n in range(3, 60_003)),
            '<row r="999999"><c r="XFD999999"><v>1</v></c></row>']
    path = _large_book(tmp_path / "far.xlsx", "".join(rows))
    before = set(_band_loaders())
    with pytest.raises(FileProblem, match=r"far.xlsx was refused: sheet 'Data' has cells as "
                                          r"far as A1:XFD999999"):
        open_workbook(path)
    assert _ended([thread for thread in _band_loaders() if thread not in before])


def test_a_sheet_with_cells_without_references_late_on_is_read_whole(tmp_path: Path) -> None:
    """Bands are loaded before the guard reaches a part that cannot be cut into bands (a
    cell placed only by the ones before it); the sheet is then read whole, row for row."""
    rows = [_header(), *(_data(n) for n in range(3, 60_003)),
            '<row r="60003"><c t="inlineStr"><is><t>Peer Housing 0001</t></is></c></row>']
    path = _large_book(tmp_path / "unplaced.xlsx", "".join(rows))
    sheet = open_workbook(path)[0]
    assert [_trimmed(row) for row in sheet.rows()] == _whole_rows(path)
    assert _ended(_band_loaders())


def test_two_large_sheets_are_each_read_in_full(large: Path, tmp_path: Path) -> None:
    """Only the first large sheet's bands are loaded while the guard goes on; the second's
    when it is read: both give what a whole-sheet read gives."""
    path = tmp_path / "two.xlsx"
    with zipfile.ZipFile(large) as source, zipfile.ZipFile(path, "w",
                                                           zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b"</sheets>", b'<sheet name="Again" sheetId="2" '
                                    b'r:id="rIdAgain"/></sheets>')
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdAgain" Type="'
                                    b'http://schemas.openxmlformats.org/officeDocument/2006/'
                                    b'relationships/worksheet" Target="worksheets/sheet2.xml"/>'
                                    b"</Relationships>")
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/worksheets/'
                                    b'sheet2.xml" ContentType="application/vnd.openxmlformats-'
                                    b'officedocument.spreadsheetml.worksheet+xml"/></Types>')
            out.writestr(item, data)
        out.writestr("xl/worksheets/sheet2.xml", source.read(SHEET))
    first, second = open_workbook(path)
    whole = _whole_rows(large)
    assert [_trimmed(row) for row in second.rows()] == whole
    assert [_trimmed(row) for row in first.rows()] == whole
    assert first.merged() == second.merged() == [(0, 0, 0, 4)]


def test_a_sheet_read_in_bands_knows_each_rows_percentages_when_it_gives_the_row(
        large: Path) -> None:
    """The cell facts of a sheet read in bands are found a band at a time as its rows are given
    out (the import starts writing without waiting for the whole sheet's): each percent-styled
    value cell is known by the time its row is given, and asked again, the sheet knows all."""
    styled = {n - 1 for n in [*range(3, 20_003), *range(120_003, 155_003), 150_003]
              if n % 3 == 0 or n == 150_003}
    styled -= {150_000, 150_001}  # rows 150,001 and 150,002 hold other cells in column D
    sheet = open_workbook(large)[0]
    rows = sheet.rows()
    top = [next(rows) for _ in range(40)]  # the reader's search for the header
    facts = sheet.cell_facts([3])
    percent = facts.percent[3]
    assert styled & set(range(40)) <= percent
    missed = [r for r, _row in enumerate(rows, start=len(top)) if r in styled and r not in percent]
    assert missed == [] and percent == styled
    again = open_workbook(large)[0]
    assert len(list(islice(again.rows(), 1000))) == 1000  # a preview's worth, then the facts
    assert again.cell_facts([3]).percent[3] >= styled & set(range(1000))
    assert sum(1 for _ in again.rows()) == sheet.height + 1
    assert again.cell_facts([3]).percent[3] == styled
