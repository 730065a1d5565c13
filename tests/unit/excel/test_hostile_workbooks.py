"""Workbooks that used to take the machine's memory, escape as tracebacks or be refused wrongly.

Files that could exhaust memory run through ``tests/corpus/foreign_worker.py``: each in a forked
child under an address-space limit, so a regression fails the test instead of the test process.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xlwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference
from python_calamine import CalamineWorkbook

from bvdesk.errors import FileProblem
from bvdesk.excel.appraisal_workbook import (
    read_appraisal_workbook,
    starter_data,
    write_appraisal_workbook,
)
from bvdesk.excel.indicator_reader import parse
from bvdesk.excel.safety import Extent, column_letter, sheet_extent
from bvdesk.excel.sources import open_workbook
from bvdesk.operations.indicator_import import shipped_catalogue

WORKER = Path(__file__).parents[2] / "corpus" / "foreign_worker.py"
CORPUS = Path(__file__).parents[3].parent / "shared" / "corpus"
PEAK_MB = 400
HEADER = ["Landlord", "Indicator", "Year", "Value"]
SHEET = "xl/worksheets/sheet1.xml"


def _isolated(paths: list[Path]) -> dict[tuple[str, str], dict[str, Any]]:
    """Each file through both importers, each run in its own limited child process."""
    jobs = [{"path": str(path), "importers": ["indicators", "appraisal"]} for path in paths]
    done = subprocess.run([sys.executable, str(WORKER)], input=json.dumps(jobs),
                          capture_output=True, text=True, check=True, timeout=600)
    results = [json.loads(line) for line in done.stdout.splitlines()]
    return {(Path(r["path"]).name, r["importer"]): r for r in results}


def _with_sheet(path: Path, sheet_data: str, dimension: str | None, before: str = "") -> Path:
    """A real workbook (sheet 'Data') whose sheet XML is replaced by ``sheet_data`` (with
    ``before`` ahead of its dimension)."""
    book = Workbook()
    book.active.title = "Data"
    template = path.with_suffix(".template.xlsx")
    book.save(template)
    head = before + (f'<dimension ref="{dimension}"/>' if dimension else "")
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://'
           f'schemas.openxmlformats.org/spreadsheetml/2006/main">{head}<sheetData>{sheet_data}'
           '</sheetData></worksheet>')
    with zipfile.ZipFile(template) as old, zipfile.ZipFile(path, "w",
                                                           zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, xml if item.filename == SHEET else
                         old.read(item.filename))
    template.unlink()
    return path


def _cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


# --- memory: extents checked before any reader allocates ----------------------------------------


def test_far_cells_and_false_dimensions_are_refused_in_bounded_memory(tmp_path: Path) -> None:
    """A1 and XFD100000 made calamine ask for 52 GB; a dimension of A1:XFD1048576 took
    openpyxl (the appraisal importer) to 7.4 GB."""
    far = f'<row r="1">{_cell("A1", "Landlord")}</row><row r="100000">' \
          f'{_cell("XFD100000", "x")}</row>'
    near = f'<row r="1">{_cell("A1", "Landlord")}</row><row r="5000">{_cell("XFD5000", "x")}</row>'
    two_cells = f'<row r="1">{_cell("A1", "Landlord")}{_cell("B1", "BV212")}</row>'
    # Cells without a reference follow the one before: 16 of them on row 1,000,000.
    unreferenced = f'<row r="1">{_cell("A1", "Landlord")}</row><row r="1000000">' \
                   + "<c><v>1</v></c>" * 16 + "</row>"
    files = {
        _with_sheet(tmp_path / "far.xlsx", far, "A1"): "has cells as far as A1:XFD100000",
        _with_sheet(tmp_path / "near.xlsx", near, None): "has cells as far as A1:XFD5000",
        _with_sheet(tmp_path / "declared.xlsx", two_cells, "A1:XFD1048576"):
            "declares the range A1:XFD1048576",
        _with_sheet(tmp_path / "wide.xlsx", two_cells, "A1:XFD5000"):
            "declares the range A1:XFD5000",
        # A long sheet property ahead of the dimension (readers look until the sheet's data).
        _with_sheet(tmp_path / "late.xlsx", two_cells, "A1:XFD1048576",
                    before=f'<sheetPr codeName="{"x" * 70_000}"/>'):
            "declares the range A1:XFD1048576",
        _with_sheet(tmp_path / "unreferenced.xlsx", unreferenced, None):
            "has cells as far as A1:Q1000000",
    }
    # Just inside the limit (8,192,000 cells): read, and still within the memory bound.
    inside = _with_sheet(tmp_path / "inside.xlsx", f'<row r="1">{_cell("A1", "Landlord")}</row>'
                         f'<row r="500">{_cell("XFD500", "x")}</row>', None)
    assert all(path.stat().st_size < 10_000 for path in files)
    results = _isolated([*files, inside])
    for path, extent in files.items():
        for importer in ("indicators", "appraisal"):
            result = results[(path.name, importer)]
            assert result["outcome"] == "refused", result
            assert f"sheet 'Data' {extent}" in result["message"]
            assert result["peak_mb"] < PEAK_MB
            assert result["seconds"] < 10
    read = results[("inside.xlsx", "indicators")]
    assert (read["outcome"], read["message"]) == ("read", "0 values, 1 errors")
    assert read["peak_mb"] < PEAK_MB


def test_csv_rows_of_millions_of_columns_are_refused_in_bounded_memory(tmp_path: Path) -> None:
    """A 60 MB CSV of commas: 40 header-search rows of 1.5 million fields took 500 MB."""
    wide = tmp_path / "commas.csv"
    with open(wide, "w", encoding="utf-8") as handle:
        handle.write(",".join(HEADER) + "\n")
        for _ in range(40):
            handle.write("x" + "," * 1_500_000 + "\n")
    long_line = tmp_path / "long-line.csv"
    long_line.write_text(",".join(HEADER) + "\n" + "x" * 5_000_000 + "\n", "utf-8")
    results = _isolated([wide, long_line])
    for path, words in ((wide, "line 2 has more than 16,384 columns"),
                        (long_line, "line 2 is longer than 4,194,304 characters")):
        result = results[(path.name, "indicators")]
        assert result["outcome"] == "refused", result
        assert result["message"].startswith(f"{path.name} was refused: {words}")
        assert result["peak_mb"] < PEAK_MB


def test_thousands_of_overlapping_merged_ranges_are_read_quickly(tmp_path: Path) -> None:
    """3,000 merged ranges over the 40 header-search rows, each to the last column: filling
    them cell by cell took minutes for a 12 KB file."""
    rows = f'<row r="1">{_cell("A1", "Landlord")}{_cell("XFD1", "x")}</row>' + "".join(
        f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(2, 41))
    merges = "".join(f'<mergeCell ref="A1:{column_letter(16383 - i)}40"/>' for i in range(3000))
    path = _with_sheet(tmp_path / "merges.xlsx", rows, None).with_name("merges.xlsx")
    with zipfile.ZipFile(path) as archive:
        parts = {item.filename: archive.read(item.filename) for item in archive.infolist()}
    parts[SHEET] = parts[SHEET].replace(b"</sheetData>", b"</sheetData><mergeCells count=\"3000\">"
                                        + merges.encode() + b"</mergeCells>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = _isolated([path])[("merges.xlsx", "indicators")]
    assert (result["outcome"], result["message"]) == ("read", "0 values, 1 errors"), result
    assert result["seconds"] < 10


def test_a_workbook_of_thousands_of_sheets_is_read_quickly(tmp_path: Path) -> None:
    """1,900 small sheets (the zip may hold 2,000 parts): reopening the zip for each sheet
    read its whole directory each time, some 50 seconds in all."""
    count = 1900
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    path = tmp_path / "sheets.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"))
        archive.writestr("xl/workbook.xml", (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>' + "".join(
                f'<sheet name="S{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, count + 1))
            + "</sheets></workbook>"))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{n}" Type="{rel}/worksheet" '
                      f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, count + 1))
            + "</Relationships>"))
        for n in range(1, count + 1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", (
                f'<worksheet xmlns="{main}"><sheetData><row r="1">{_cell("A1", "Landlord")}'
                "</row></sheetData></worksheet>"))
    result = _isolated([path])[("sheets.xlsx", "indicators")]
    assert result["outcome"] == "read", result
    assert result["seconds"] < 15


def test_appraisal_sheets_are_held_to_a_smaller_extent(tmp_path: Path) -> None:
    """openpyxl, which reads appraisal workbooks, takes about a minute over a million cells."""
    path = _with_sheet(tmp_path / "tall.xlsx", f'<row r="1">{_cell("A1", "Option")}</row>',
                       "A1:Z30000")
    with pytest.raises(FileProblem, match=r"sheet 'Data' declares the range A1:Z30000, "
                                          r"780,000 cells, more than the 500,000"):
        read_appraisal_workbook(path)
    assert parse([path], shipped_catalogue()).rows == []  # indicator sheets may be larger


def test_sheet_extent_reads_references_in_any_form() -> None:
    def extent(xml: bytes) -> Extent:
        return sheet_extent(lambda: io.BytesIO(xml), max_cells=1)  # always the exact last row

    # Within the limit, the last row is only bounded by its number of digits.
    assert sheet_extent(lambda: io.BytesIO(b'<row r="12"><c r="B12"/></row>')) == Extent(99, 2)
    assert extent(b'<row r="3"><c r="B3"><v>1</v></c></row>') == Extent(3, 2)
    # Attribute order, quotes and spacing differ between writers.
    assert extent(b"<row r='7'><c s=\"1\" r = 'AA7'><v>1</v></c></row>") == Extent(7, 27)
    # Rows out of order, a long row number among short ones.
    assert extent(b'<row r="12"><c r="A12"/></row><row r="2"><c r="C2"/></row>'
                  b'<row r="1048576"><c r="A1048576"/></row>') == Extent(1_048_576, 3)
    # A cell with no reference follows the one before it, near one that widens the extent
    # (found by the property test below).
    assert extent(b'<row r="1"><c r="A1"><v>1</v></c><c><v>1</v></c></row>') == Extent(1, 2)
    # A row with no reference follows the last one.
    assert extent(b'<row r="4"><c r="A4"/></row><row><c><v>1</v></c><c><v>2</v></c></row>'
                  ) == Extent(5, 3)
    # So do namespace-prefixed ones, past 4 MB of plain rows with no colon in them.
    plain = b'<row r="1"><c r="A1"><v>1</v></c></row>' * 120_000
    assert extent(plain + b'<x:row r="4"><x:c r="A4"/></x:row>'
                  b'<x:row><x:c><x:v>1</x:v></x:c><x:c><x:v>2</x:v></x:c></x:row>'
                  ) == Extent(5, 3)
    # A reference split between two 4 MB chunks is still read whole.
    padding = b'<row r="1"><c r="A1"><v>1</v></c></row>' * 120_000
    assert extent(padding + b'<row r="9"><c r="ZZ9"><v>1</v></c></row>') == Extent(9, 702)


def test_sheet_extent_finds_what_widens_it_in_any_chunk() -> None:
    """After its first 4 MB a sheet is passed over a chunk at a time, unless the chunk holds a
    reference beyond the extent found so far: a later column of as many letters, in either
    case, more letters, or a row number of more digits, in any chunk."""
    def extent(tail: bytes) -> Extent:
        return sheet_extent(lambda: io.BytesIO(rows + tail), max_cells=1)

    rows = b"".join(b'<row r="%d"><c r="A%d"/><c r="AD%d"/></row>' % (n, n, n)
                    for n in range(1, 300_000))  # about 12 MB: three chunks and more
    assert extent(b"") == Extent(299_999, 30)
    assert extent(b'<row r="7"><c r="AE7"/></row>') == Extent(299_999, 31)
    assert extent(b'<row r="7"><c r="be7"/></row>') == Extent(299_999, 57)
    assert extent(b'<row r="7"><c r="ABC7"/></row>') == Extent(299_999, 731)
    assert extent(b'<row r="1000000"><c r="A1000000"/></row>') == Extent(1_000_000, 30)
    assert extent(b'<row r="7"><c r="AC7"/><c r="Z7"/></row>') == Extent(299_999, 30)
    # A cell with no reference next to one that widens it is counted too.
    assert extent(b'<row r="7"><c r="AE7"/><c><v>1</v></c></row>') == Extent(299_999, 32)


@pytest.mark.parametrize("farthest", ["D", "Z", "AZ", "BA", "ZZ", "XFC"])
def test_sheet_extent_sees_the_next_column_whatever_the_farthest_so_far(farthest: str) -> None:
    """A later chunk's column one past the farthest of the first chunks widens the extent, in
    either case; the farthest itself, and every column before it, does not."""
    width = next(n for n in range(1, 16_385) if column_letter(n - 1) == farthest)
    rows = b"".join(b'<row r="%d"><c r="A%d"/><c r="%s%d"/></row>' % (n, n, farthest.encode(), n)
                    for n in range(1, 150_000))  # past the first 4 MB chunk

    def extent(tail: str) -> Extent:
        return sheet_extent(lambda: io.BytesIO(rows + tail.encode()), max_cells=1)

    after = column_letter(width)
    assert extent("") == Extent(149_999, width)
    assert extent(f'<row r="7"><c r="{after}7"/></row>') == Extent(149_999, width + 1)
    assert extent(f'<row r="7"><c r="{after.lower()}7"/></row>') == Extent(149_999, width + 1)
    before = [column_letter(n) for n in range(max(0, width - 30), width)]
    assert extent("".join(f'<row r="8"><c r="{c}8"/><c r="{c.lower()}8"/></row>'
                          for c in before)) == Extent(149_999, width)


_FORMS = ('<c r="{ref}"><v>1</v></c>', "<c r='{ref}'><v>1</v></c>", '<c r = "{ref}"><v>1</v></c>',
          '<c s="0" r="{ref}"><v>1</v></c>', '<c\tr="{ref}"><v>1</v></c>',
          '<c r="{lower}"><v>1</v></c>', "<c><v>1</v></c>")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(
    st.one_of(st.none(), st.integers(1, 3000)),
    st.lists(st.tuples(st.sampled_from(_FORMS), st.integers(0, 800), st.integers(1, 3000)),
             max_size=4)), min_size=1, max_size=5))
def test_calamine_never_holds_more_than_the_extent_scan_says(
        tmp_path: Path, rows: list[tuple[int | None, list[tuple[str, int, int]]]]) -> None:
    """Whatever form the references take (quotes, spacing, order, case, none at all), the
    rectangle calamine allocates, and the rows openpyxl yields, are inside the extent the
    guard measured."""
    xml = "".join(
        ("<row>" if number is None else f'<row r="{number}">') + "".join(
            form.format(ref=f"{column_letter(col)}{row}", lower=f"{column_letter(col)}{row}"
                        .lower()) for form, col, row in cells) + "</row>"
        for number, cells in rows)
    path = _with_sheet(tmp_path / "forms.xlsx", xml, None)
    with zipfile.ZipFile(path) as archive:
        extent = sheet_extent(lambda: archive.open(SHEET), max_cells=1)
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data")
    if sheet.end is not None:
        last_row, last_column = sheet.end
        assert last_row + 1 <= extent.rows and last_column + 1 <= extent.columns
    book = load_workbook(path, read_only=True)  # as the appraisal importer reads
    held = list(book["Data"].iter_rows(values_only=True))
    book.close()
    assert len(held) <= extent.rows and max(map(len, held), default=0) <= extent.columns


# --- damaged files: one located message, never a traceback ---------------------------------------


def _good_xls(path: Path) -> Path:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Data")
    for row, values in enumerate([HEADER, ["North HA", "BV212", "2008/09", 25]]):
        for column, value in enumerate(values):
            sheet.write(row, column, value)
    book.save(str(path))
    return path


@pytest.mark.parametrize(("offset", "byte"), [(48, 0x00), (48, 0xFF), (80, 0x00), (544, 0xFF),
                                              (1408, 0x00)],
                         ids=["UnicodeDecodeError", "AssertionError", "CompDocError",
                              "struct.error", "IndexError"])
def test_damaged_xls_is_refused_with_a_located_message(tmp_path: Path, offset: int,
                                                       byte: int) -> None:
    """Four bytes overwritten at ``offset``: xlrd raised each of these past the importer."""
    data = bytearray(_good_xls(tmp_path / "good.xls").read_bytes())
    data[offset:offset + 4] = bytes([byte]) * 4
    path = tmp_path / "damaged.xls"
    path.write_bytes(bytes(data))
    with pytest.raises(FileProblem) as refused:
        parse([path], shipped_catalogue())
    assert refused.value.message.startswith("damaged.xls is damaged (the reader stopped ")
    assert refused.value.message.endswith("Open it in Excel, save it again, and import the "
                                          "saved file.")


@pytest.mark.parametrize(("field", "value"), [(6, 0xFF), (10, 99)],
                         ids=["zip version 25.5", "compression method 99"])
def test_zip_features_python_cannot_read_are_a_damaged_file(tmp_path: Path, field: int,
                                                            value: int) -> None:
    """zipfile raised NotImplementedError for these central directory fields."""
    source = _with_sheet(tmp_path / "good.xlsx", f'<row r="1">{_cell("A1", "x")}</row>', None)
    data = bytearray(source.read_bytes())
    entry = data.find(b"PK\x01\x02")
    while entry >= 0:  # every entry of the central directory
        struct.pack_into("<H", data, entry + field, value)
        entry = data.find(b"PK\x01\x02", entry + 4)
    path = tmp_path / "odd.xlsx"
    path.write_bytes(bytes(data))
    for read in (lambda: parse([path], shipped_catalogue()),
                 lambda: read_appraisal_workbook(path)):
        with pytest.raises(FileProblem, match=r"^odd.xlsx is damaged"):
            read()


def test_style_ids_that_are_not_numbers_leave_values_unscaled(tmp_path: Path) -> None:
    """A damaged styles part ('numFmtId="14>"', found by fuzzing) gave a ValueError from
    bvdesk's own percent lookup; an id that is not a number names no percent format."""
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["North HA", "BV66a", "2008/09", 0.25])
    book.active["D2"].number_format = "0.0%"  # the percentage still reads as 25
    source = tmp_path / "good.xlsx"
    book.save(source)
    path = tmp_path / "odd-styles.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/styles.xml":
                data = data.replace(b'numFmtId="0"', b'numFmtId="0>"')
                assert b'numFmtId="0>"' in data
            new.writestr(item.filename, data)
    result = parse([path], shipped_catalogue())
    assert [(row.organisation, row.value) for row in result.rows] == [("North HA", 25.0)]


def _replaced(source: Path, target: Path, member: str, old: bytes, new: bytes) -> Path:
    with zipfile.ZipFile(source) as old_zip, zipfile.ZipFile(target, "w") as new_zip:
        for item in old_zip.infolist():
            data = old_zip.read(item.filename)
            if item.filename == member:
                assert old in data
                data = data.replace(old, new)
            new_zip.writestr(item.filename, data)
    return target


@pytest.mark.parametrize(("member", "old", "new"), [
    (SHEET, b'<c r="A1" t="inlineStr"><is><t>Landlord</t></is></c>',
     b'<c r="A1" t="s"><v>999</v></c>'),
    ("xl/workbook.xml", b"<workbook ", b'<?xml version="1.0" encoding="UT-1F-8"?><workbook '),
    ("docProps/core.xml", b"<cp:coreProperties ",
     b'<?xml version="1.0" encoding="UT-1F-8"?><cp:coreProperties '),
], ids=["shared string out of range", "unknown encoding", "unknown encoding in properties"])
def test_damaged_parts_found_by_fuzzing_are_refused(tmp_path: Path, member: str, old: bytes,
                                                    new: bytes) -> None:
    """openpyxl raised IndexError and LookupError for these (the appraisal importer), and the
    indicator importer's own XML reading the LookupError."""
    rows = "".join(f'<row r="{n}">' + "".join(_cell(f"{c}{n}", v) for c, v in zip(
        "ABCD", values, strict=True)) + "</row>" for n, values in enumerate(
        [HEADER, ["North HA", "BV212", "2008/09", "25"]], start=1))
    good = _with_sheet(tmp_path / "good.xlsx", rows, "A1:D2")
    path = _replaced(good, tmp_path / "odd.xlsx", member, old, new)
    for read in (lambda: parse([path], shipped_catalogue()),
                 lambda: read_appraisal_workbook(path)):
        try:
            read()
        except FileProblem as refused:
            assert refused.message.startswith("odd.xlsx ")
    if member == SHEET:  # the refusal says where the reader stopped
        with pytest.raises(FileProblem, match=r"odd.xlsx is damaged \(the reader stopped in "
                                              r"sheet 'Data': list index out of range\)"):
            read_appraisal_workbook(path)


def test_corrupt_xls_from_xlrd_tests_is_refused() -> None:
    path = CORPUS / "python-excel+xlrd" / "tests__samples__corrupted_error.xls"
    if not path.exists():
        pytest.skip(f"the foreign corpus is not at {CORPUS}")
    with pytest.raises(FileProblem, match=r"is damaged \(the reader stopped .*seen\[2\] == 4"):
        parse([path], shipped_catalogue())


def test_openpyxl_type_errors_are_a_damaged_file(tmp_path: Path) -> None:
    source = write_appraisal_workbook(tmp_path / "appraisal.xlsx", starter_data(
        dt.date(2025, 4, 1)))
    path = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b'sheetId="1"', b'sheetId="first"')
            new.writestr(item.filename, data)
    with pytest.raises(FileProblem, match=r"odd.xlsx is damaged \(the reader stopped"):
        read_appraisal_workbook(path)


def test_appraisal_workbook_with_a_chart_sheet_is_read(tmp_path: Path) -> None:
    path = write_appraisal_workbook(tmp_path / "appraisal.xlsx",
                                    starter_data(dt.date(2025, 4, 1)))
    book = load_workbook(path)
    chart = BarChart()
    chart.add_data(Reference(book["Costs"], min_col=4, min_row=1, max_row=5), titles_from_data=True)
    book.create_chartsheet("Chart").add_chart(chart)
    book.save(path)
    result = read_appraisal_workbook(path)
    assert result.issues == ()
    assert result.data is not None


# --- quiet readers and good files ----------------------------------------------------------------


def test_xlrd_warnings_never_reach_standard_output(tmp_path: Path) -> None:
    """A file size that is not a whole number of sectors made xlrd print a WARNING line (on the
    process's standard output, so it is watched in a child process)."""
    path = tmp_path / "padded.xls"
    path.write_bytes(_good_xls(tmp_path / "good.xls").read_bytes() + b"\x00" * 100)
    result = _isolated([path])[("padded.xls", "indicators")]
    assert (result["outcome"], result["message"]) == ("read", "1 values, 0 errors")
    assert result["stdout"] == ""


@pytest.mark.parametrize("stream", ["WORKBOOK", "BOOK", "Book"])
def test_xls_with_any_workbook_stream_name_is_read(tmp_path: Path, stream: str) -> None:
    data = bytearray(_good_xls(tmp_path / "good.xls").read_bytes())
    entry = data.find("Workbook".encode("utf-16-le"))
    name = (stream + "\x00").encode("utf-16-le")
    data[entry:entry + 64] = name.ljust(64, b"\x00")
    struct.pack_into("<H", data, entry + 64, len(name))
    path = tmp_path / "old.xls"
    path.write_bytes(bytes(data))
    result = parse([path], shipped_catalogue())
    assert [(row.organisation, row.indicator, row.value) for row in result.rows] == [
        ("North HA", "BV212", 25.0)]


def test_excel_4_worksheet_is_read() -> None:
    """Excel 2.x-4.0 wrote a bare stream of records (no compound file); xlrd reads them."""
    path = CORPUS / "python-excel+xlrd" / "tests__samples__biff4_no_format_no_window2.xls"
    if not path.exists():
        pytest.skip(f"the foreign corpus is not at {CORPUS}")
    result = parse([path], shipped_catalogue())
    assert [sheet.name for sheet in result.sheets] == ["Sheet 1"]


@pytest.mark.parametrize(("name", "separator", "encoding"), [
    ("values.csv", ",", "utf-16"), ("values.csv", "\t", "utf-16-be"),
    ("Unicode Text.txt", "\t", "utf-16")])
def test_utf16_text_is_read(tmp_path: Path, name: str, separator: str, encoding: str) -> None:
    """Excel's Save As "Unicode Text" writes UTF-16 with a byte-order mark, tab-separated."""
    lines = [HEADER, ["Northvale Homes – Trust", "BV212", "2008/09", "25"]]
    text = "\r\n".join(separator.join(line) for line in lines) + "\r\n"
    bom = "\ufeff" if encoding == "utf-16-be" else ""
    path = tmp_path / name
    path.write_bytes((bom + text).encode(encoding))
    result = parse([path], shipped_catalogue())
    assert [(row.organisation, row.indicator, row.year, row.value) for row in result.rows] == [
        ("Northvale Homes – Trust", "BV212", 2008, 25.0)]


def test_a_deeply_nested_mapping_is_refused_plainly(tmp_path: Path) -> None:
    """A mapping value nested 60,000 deep gave RecursionError when it was turned into text."""
    nested: list[Any] = []
    for _ in range(60_000):
        nested = [nested]
    book = Workbook()
    book.active.append(HEADER)
    path = tmp_path / "values.xlsx"
    book.save(path)
    with pytest.raises(ValueError, match="the mapping for 'Landlord' must name a column role "
                                         "or an indicator, not a list"):
        parse([path], shipped_catalogue(), mapping={"Landlord": nested})


@pytest.mark.parametrize("name", ["values.xlsx", "values.csv"])
def test_a_file_that_goes_away_while_it_is_read_is_a_plain_refusal(tmp_path: Path,
                                                                   name: str) -> None:
    """A network share that drops mid-import: the reader's OSError becomes the message."""
    path = tmp_path / name  # (xlrd holds a whole .xls file once it has opened it)
    if name.endswith(".csv"):
        path.write_text(",".join(HEADER) + "\nNorth HA,BV212,2008/09,25\n", "utf-8")
    else:
        book = Workbook()
        book.active.append(HEADER)
        book.active.append(["North HA", "BV212", "2008/09", 25])
        book.save(path)
    sheets = open_workbook(path)
    path.unlink()
    with pytest.raises(FileProblem, match=f"^Cannot read {name}: No such file or directory"):
        for sheet in sheets:
            list(sheet.rows())
            sheet.cell_facts([3])
