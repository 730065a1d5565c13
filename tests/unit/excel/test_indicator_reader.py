"""The indicator reader on real workbooks written by openpyxl (and xlwt, and csv)."""

import datetime as dt
import zipfile

import pytest
import xlwt
from openpyxl import Workbook

from bvdesk.excel.indicator_reader import Layout, Severity, is_aggregate, parse, sheet_year
from bvdesk.operations.indicator_import import shipped_catalogue

CATALOGUE = shipped_catalogue()


def _save(tmp_path, rows, name="data.xlsx", title="Data", formats=None, merges=()):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cell, fmt in (formats or {}).items():
        sheet[cell].number_format = fmt
    for cells in merges:
        sheet.merge_cells(cells)
    path = tmp_path / name
    book.save(path)
    return path


def _edit_sheet_xml(path, target, old, new):
    """A copy of the workbook with ``old`` replaced by ``new`` in the first sheet's XML."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert old in data
                data = data.replace(old, new)
            copy.writestr(item, data)
    return target


def _values(result):
    return {(r.organisation, r.indicator, r.year): r.value for r in result.rows}


def _messages(result, severity=None):
    return [str(i) for i in result.issues if severity is None or i.severity is severity]


def test_long_layout_found_under_title_rows_with_synonym_headings(tmp_path):
    path = _save(tmp_path, [
        ["Benchmarking club extract"],
        ["Figures supplied by members; provisional"],
        [],
        ["Provider", "PI", "Period", "Outturn"],
        ["Test Homes", "BV66a", "2003/04", 98.5],
        ["Test Homes", "Average re-let time", "2003-04", 31],       # by name
        ["Test Homes", "relet time", "2003/2004", 30],               # alias; duplicate equal
        ["Peer HA", "BV 66a", "FY2003/04", 97],                      # alias with a space
        ["Peer HA", "BV212", "03/04", 28],
        ["Other Peer", "BV66a", 2003, 96],                           # integer year
        ["Other Peer", "BV212", dt.date(2004, 2, 1), 27],            # a date in 2003/04
        [],
        ["Note: re-let times exclude major works voids"],
    ])
    result = parse([path], CATALOGUE)
    assert result.sheets[0].layout is Layout.LONG and result.sheets[0].header_row == 4
    values = _values(result)
    assert values[("Test Homes", "BV66a", 2003)] == 98.5
    assert values[("Peer HA", "BV212", 2003)] == 28
    assert values[("Other Peer", "BV212", 2003)] == 27
    assert {r.year for r in result.rows} == {2003}
    assert result.errors == []


def test_values_written_as_text_and_missing_markers(tmp_path):
    path = _save(tmp_path, [
        ["Landlord", "Management cost per dwelling", "Change in non-decent homes",
         "Overall tenant satisfaction"],
        ["A HA", "£1,234.50", "(0.5)", " 85 % "],
        ["B HA", "\u221212", "n/a", "-"],
        ["C HA", None, "–", "*"],
        ["D HA", "12..5", 1.5, 80],
    ], title="2004-05")
    result = parse([path], CATALOGUE)
    values = _values(result)
    assert values[("A HA", "MGMT-CPD", 2004)] == 1234.5
    assert values[("A HA", "BV184b", 2004)] == -0.5  # a change may be negative
    assert values[("A HA", "BV74", 2004)] == 85
    assert values[("B HA", "MGMT-CPD", 2004)] == -12
    # n/a, -, blank, – and * are missing: counted, never zero.
    assert ("B HA", "BV184b", 2004) not in values and ("C HA", "BV74", 2004) not in values
    assert result.missing == 5
    assert _messages(result, Severity.ERROR) == [
        "data.xlsx, sheet '2004-05', cell B5: '12..5' is not a number; expected a number "
        "for MGMT-CPD."]


def test_percent_formatted_cells_become_whole_percentages(tmp_path):
    path = _save(tmp_path, [
        ["Organisation", "Indicator", "Year", "Value"],
        ["A", "BV66a", "2005/06", 0.95],
        ["B", "BV66a", "2005/06", 0.987],
        ["C", "BV66a", "2005/06", 96.5],
        ["D", "BV66a", "2005/06", 0.97],    # a plain fraction among whole percentages
        ["E", "BV66a", "2005/06", 97],
        ["A", "BV212", "2005/06", 0.5],     # days: a percent format does not scale it
        ["A", "BV66d", "2005/06", 0.2],     # evictions: small real percentages, no warning
        ["B", "BV66d", "2005/06", 0.3],
    ], formats={"D2": "0%", "D3": "0.0%", "D7": "0%"})
    result = parse([path], CATALOGUE)
    values = _values(result)
    assert values[("A", "BV66a", 2005)] == 95.0       # exactly, not 95.00000000000001
    assert values[("B", "BV66a", 2005)] == 98.7
    assert values[("D", "BV66a", 2005)] == 0.97
    assert values[("A", "BV212", 2005)] == 0.5
    assert values[("A", "BV66d", 2005)] == 0.2
    assert _messages(result, Severity.WARNING) == [
        "data.xlsx, sheet 'Data', cell D5: 0.97 looks like a fraction among whole percentages "
        "for BV66a; it was read as 0.97%, not 97%. Check the cell."]


def test_wide_layout_with_merged_header_and_year_from_sheet_name(tmp_path):
    # Row 3 holds group headings; the landlord heading is merged down A3:A4, so the real
    # header row 4 has its first cell empty until the merge is read.
    path = _save(tmp_path, [
        ["Performance indicators 2002/03"],
        [],
        ["Landlord", "Rent", None, "Voids"],
        [None, "BV66a", "Tenants more than 7 weeks in arrears", "BV212"],
        ["North HA", 97.2, 4.1, 25],
        ["South HA", 98.0, "3.5", None],
    ], title="PIs 2002-03", merges=("A3:A4", "B3:C3"))
    result = parse([path], CATALOGUE)
    info = result.sheets[0]
    assert (info.layout, info.header_row, info.year) == (Layout.WIDE, 4, 2002)
    assert _values(result) == {
        ("North HA", "BV66a", 2002): 97.2, ("North HA", "BV66b", 2002): 4.1,
        ("North HA", "BV212", 2002): 25, ("South HA", "BV66a", 2002): 98.0,
        ("South HA", "BV66b", 2002): 3.5}
    assert result.missing == 1


def test_every_sheet_read_others_skipped_with_a_reason(tmp_path):
    book = Workbook()
    first = book.active
    first.title = "2001-02"
    first.append(["Name", "BV66a"])
    first.append(["North HA", 97])
    second = book.create_sheet("2002-03")
    second.append(["Name", "BV66a"])
    second.append(["North HA", 98])
    notes = book.create_sheet("Notes")
    notes.append(["These figures are unaudited."])
    undated = book.create_sheet("Extra")
    undated.append(["Name", "BV66a"])
    undated.append(["North HA", 99])
    path = tmp_path / "years.xlsx"
    book.save(path)
    result = parse([path], CATALOGUE)
    assert _values(result) == {("North HA", "BV66a", 2001): 97, ("North HA", "BV66a", 2002): 98}
    skipped = {s.name: s.skipped for s in result.sheets if s.skipped}
    assert set(skipped) == {"Notes", "Extra"}
    assert "no year" in skipped["Extra"]
    # With --year, the undated sheet is read too.
    assert _values(parse([path], CATALOGUE, year=2005))[("North HA", "BV66a", 2005)] == 99


def test_aggregate_rows_are_skipped_with_a_warning(tmp_path):
    path = _save(tmp_path, [
        ["RSL", "BV212"],
        ["North HA", 25],
        ["Average", 30],
        ["Sector median", 28],
        ["Upper quartile", 20],
        ["All landlords", 29],
        ["Total", 300],
    ], title="2003")
    result = parse([path], CATALOGUE)
    assert _values(result) == {("North HA", "BV212", 2003): 25}
    assert result.aggregates == 5
    assert len(result.warnings) == 5 and "aggregate" in result.warnings[0].message


def test_formula_cells_use_cached_values_and_uncached_is_an_error(tmp_path):
    path = _save(tmp_path, [["Organisation", "BV212"], ["North HA", "=20+5"],
                            ["South HA", "=10+20"]], title="2003-04")
    # Excel saves a formula's result beside it; openpyxl does not, so add one for B2 as Excel
    # would. B3 keeps no cached value, like a file generated by a script.
    cached = _edit_sheet_xml(path, tmp_path / "cached.xlsx", b"<f>20+5</f><v />",
                             b"<f>20+5</f><v>25</v>")
    result = parse([cached], CATALOGUE)
    assert _values(result) == {("North HA", "BV212", 2003): 25}
    assert _messages(result, Severity.ERROR) == [
        "cached.xlsx, sheet '2003-04', cell B3: This formula has no saved result. Open the file "
        "in Excel, save it, and import it again."]


def test_unknown_indicator_and_missing_organisation_are_located(tmp_path):
    path = _save(tmp_path, [
        ["Organisation", "Indicator", "Year", "Value"],
        ["North HA", "XYZ99", "2003/04", 5],
        [None, "BV212", "2003/04", 5],
        ["North HA", "BV212", "13/14/15", 5],
        ["South HA", "BV212", None, 7],
    ])
    result = parse([path], CATALOGUE)
    assert _messages(result, Severity.ERROR) == [
        "data.xlsx, sheet 'Data', cell B2: 'XYZ99' is not a known indicator code, name or alias.",
        "data.xlsx, sheet 'Data', cell A3: This row has values but no organisation.",
        "data.xlsx, sheet 'Data', cell C4: '13/14/15' is not a financial year (expected e.g. "
        "2000/01).",
        "data.xlsx, sheet 'Data', cell C5: The year is blank."]


def test_csv_and_old_xls_files(tmp_path):
    csv_path = tmp_path / "club.csv"
    csv_path.write_text("Landlord;Measure;Year;Result\nNorth HA;BV212;2003/04;25\n"
                        "South HA;BV66a;2003/04;97,5%\n", encoding="utf-8")
    result = parse([csv_path], CATALOGUE)
    # Semicolon-separated; "97,5%" has a comma that is not a thousands separator: an error.
    assert _values(result) == {("North HA", "BV212", 2003): 25}
    assert result.errors[0].row == 3 and result.errors[0].column == "D"

    book = xlwt.Workbook()
    sheet = book.add_sheet("2004-05")
    sheet.write(0, 0, "Old club return")
    for col, text in enumerate(["Organisation", "BV66a", "BV212"]):
        sheet.write(2, col, text)
    sheet.write(3, 0, "North HA")
    sheet.write(3, 1, 0.975, xlwt.easyxf(num_format_str="0.0%"))
    sheet.write(3, 2, 25)
    xls_path = tmp_path / "old.xls"
    book.save(str(xls_path))
    result = parse([xls_path], CATALOGUE)
    assert _values(result) == {("North HA", "BV66a", 2004): 97.5,
                               ("North HA", "BV212", 2004): 25}


def test_macro_enabled_workbooks_are_read_like_xlsx(tmp_path):
    xlsm = _save(tmp_path, [["Organisation", "BV212"], ["North HA", 25]], name="macros.xlsm",
                 title="2004-05")
    assert _values(parse([xlsm], CATALOGUE)) == {("North HA", "BV212", 2004): 25}


def test_mapping_overrides_detection(tmp_path):
    path = _save(tmp_path, [["Club member", "Col 1"], ["North HA", 25]], title="2003-04")
    assert not parse([path], CATALOGUE).rows
    result = parse([path], CATALOGUE, mapping={"Club member": "organisation", "Col 1": "BV212"})
    assert _values(result) == {("North HA", "BV212", 2003): 25}


@pytest.mark.parametrize(("name", "year"), [("2003-04", 2003), ("FY2003/04", 2003),
                                            ("Data 2005", 2005), ("PIs 05_06", 2005),
                                            ("Sheet1", None)])
def test_sheet_names_give_years(name, year):
    assert sheet_year(name) == year


@pytest.mark.parametrize(("name", "aggregate"), [
    ("Average", True), ("Sector median", True), ("Lower quartile", True), ("TOTAL", True),
    ("All providers", True), ("Mean", True), ("Northvale Homes", False),
    ("Allsorts Housing", False)])
def test_aggregate_names(name, aggregate):
    assert is_aggregate(name) is aggregate


def test_percent_cells_found_whatever_the_attribute_order(tmp_path):
    path = _save(tmp_path, [["Organisation", "Indicator", "Year", "Value"],
                            ["A", "BV66a", "2005/06", 0.95], ["B", "BV66a", "2005/06", 0.96]],
                 formats={"D2": "0%", "D3": "0%"})
    # Some writers put the type before the style: <c r="D2" t="n" s="1">.
    reordered = _edit_sheet_xml(path, tmp_path / "reordered.xlsx", b'<c r="D2" s="1" t="n">',
                                b'<c r="D2" t="n" s="1">')
    values = _values(parse([reordered], CATALOGUE))
    assert values == {("A", "BV66a", 2005): 95.0, ("B", "BV66a", 2005): 96.0}


def test_non_finite_and_enormous_cells_are_errors_with_short_messages(tmp_path):
    path = tmp_path / "odd.csv"
    long_word = "x" * 100_000
    path.write_text("Landlord,Indicator,Year,Value\n"
                    "North HA,BV212,2008/09,1e400\n"
                    "North HA,BV66a,2008/09,NaN\n"
                    f"North HA,{long_word},2008/09,5\n"
                    f"North HA,BV73,{long_word},5\n"
                    f"{'Homes' * 100},BV73,2008/09,5\n", encoding="utf-8")
    result = parse([path], CATALOGUE)
    assert result.rows == []
    messages = [i.message for i in result.errors]
    assert messages[0] == "'1e400' is too large a number; expected a number for BV212."
    assert messages[1] == "'NaN' is not a number; expected a number for BV66a."
    assert all(len(m) < 200 for m in messages) and len(messages) == 5
    assert "(100,000 characters)" in messages[2] and "too long a name" in messages[4]


def test_old_mac_line_endings_in_csv(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(b"Landlord,Indicator,Year,Value\rNorth HA,BV212,2008/09,25\r")
    assert _values(parse([path], CATALOGUE)) == {("North HA", "BV212", 2008): 25}


def test_a_sheet_with_no_year_says_what_to_give_in_words_anyone_can_act_on(tmp_path) -> None:
    book = Workbook()
    book.active.title = "Values"
    book.active.append(["Landlord", "BV66a"])
    book.active.append(["North HA", 2.1])
    book.save(tmp_path / "no-year.xlsx")
    result = parse([tmp_path / "no-year.xlsx"], CATALOGUE)
    message, = [issue.message for issue in result.issues]
    assert message.startswith("Sheet not read: it has no year column")
    assert "Give the year the values are for (for example 2004/05)" in message
    assert "--" not in message
