"""The review workbook read back with openpyxl: formats, frozen headers, widths, safe text."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from bvdesk.excel.review_export import review_workbook
from bvdesk.operations.reports import export_workbook
from bvdesk.operations.snapshot import review_snapshot
from bvdesk.store.db import Database


@pytest.fixture
def snapshot(demo_db_path):
    with Database.open(demo_db_path, write=False) as db:
        return review_snapshot(db, 1)


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def _rows(sheet) -> list[dict]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


def test_workbook_has_a_sheet_for_each_part_with_frozen_bold_headers(snapshot):
    data, sheets = review_workbook(snapshot)
    book = _book(data)
    assert book.sheetnames == sheets == [
        "Review", "Indicators", "Indicator history", "Options", "Cost lines", "Quality scores",
        "Discounting", "Consultation", "Actions"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.b
        assert sheet.column_dimensions["A"].width >= 8


def test_indicators_keep_real_percent_and_currency_formats(snapshot):
    rows = {r["Code"].value: r for r in _rows(_book(review_workbook(snapshot)[0])["Indicators"])}
    bv72 = rows["BV72"]
    source = next(r for r in snapshot["compare"]["indicators"] if r["code"] == "BV72")
    assert bv72["Value"].value == pytest.approx(source["value"] / 100)
    assert bv72["Value"].number_format == "0.0%"
    assert bv72["Quartile (1 = best)"].value == source["quartile"]
    cost = rows["CPP-RR"]
    cost_source = next(r for r in snapshot["compare"]["indicators"] if r["code"] == "CPP-RR")
    assert cost["Value"].value == pytest.approx(cost_source["value"])
    assert cost["Value"].number_format.startswith("£#,##0")
    assert rows["BV73"]["Value"].number_format == '#,##0.0" days"'


def test_options_costs_and_consultation_are_numbers_with_formats(snapshot):
    book = _book(review_workbook(snapshot)[0])
    options = {r["Option"].value: r for r in _rows(book["Options"])}
    improved = options["Improved in-house"]
    assert improved["Net present cost"].value == pytest.approx(
        next(o["npc"] for o in snapshot["compete"]["options"] if o["name"] == "Improved in-house"))
    assert improved["Net present cost"].number_format == "£#,##0;-£#,##0"
    assert improved["Recommended"].value == "Yes"
    lines = _rows(book["Cost lines"])
    assert lines[0]["Year 1"].value == 2_300_000
    survey = _rows(book["Consultation"])[0]
    assert survey["Response rate"].value == 0.343  # 412 / 1,200 = 34.3% to one decimal
    assert survey["Response rate"].number_format == "0.0%"
    assert survey["Held"].is_date
    assert _rows(book["Actions"])[0]["Due"].is_date


def test_text_that_looks_like_a_formula_is_stored_as_text(snapshot):
    snapshot["actions"][0]["title"] = "=HYPERLINK(\"http://evil\",\"click\")"
    snapshot["actions"][1]["title"] = "+44 1234 567890"
    snapshot["actions"][2]["title"] = "-5 days on average"
    snapshot["actions"][3]["title"] = "@SUM(A1)"
    snapshot["consult"][0]["findings"] = "bad\x00char\x1b here"
    data, _ = review_workbook(snapshot)
    actions = _rows(_book(data)["Actions"])
    for row, text in zip(actions, ("=HYPERLINK(\"http://evil\",\"click\")", "+44 1234 567890",
                                   "-5 days on average", "@SUM(A1)"), strict=True):
        assert row["Action"].value == text
        assert row["Action"].data_type == "s"
        assert row["Action"].quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = "".join(archive.read(name).decode() for name in archive.namelist()
                      if name.startswith("xl/worksheets/"))
    # The only formulas are bvdesk's own (NPC, EAC and total score beside their values).
    import re

    formulas = re.findall(r"<f>(.*?)</f>", xml)
    assert formulas and all(re.match(r"SUMPRODUCT\(|'Cost lines'!|D\d+(/SUM\(|$)|K\d+\+L\d+$", f)
                            for f in formulas), formulas
    assert _rows(_book(data)["Consultation"])[0]["Findings"].value == "badchar here"


def test_column_widths_fit_the_longest_text(snapshot):
    sheet = _book(review_workbook(snapshot)[0])["Actions"]
    longest = max(len(a["title"]) for a in snapshot["actions"])
    assert sheet.column_dimensions["A"].width == pytest.approx(min(60, longest + 2))


def test_export_writes_the_file_and_audits_it(demo_db_path, tmp_path):
    with Database.open(demo_db_path, write=False) as db:
        result = export_workbook(db, 3, tmp_path / "rent.xlsx")
    book = load_workbook(result.path)
    assert book["Review"]["B4"].value == "Rent collection and arrears recovery review"


def test_review_without_options_or_indicators_still_exports(snapshot):
    snapshot["compete"] = None
    snapshot["compare"]["indicators"] = []
    snapshot["actions"] = []
    data, sheets = review_workbook(snapshot)
    book = _book(data)
    assert book.sheetnames == sheets
    assert book["Options"].max_row == 1
    assert book["Indicators"].max_row == 1


def test_npc_eac_and_total_score_are_live_formulas_that_agree_with_the_values(snapshot):
    import re

    book = _book(review_workbook(snapshot)[0])
    factors = [c.value for c in book["Discounting"][2][1:]]
    lines = book["Cost lines"]
    header = [c.value for c in lines[1]]
    for row in _rows(book["Options"]):
        npc = row["Net present cost"].value
        reference = re.fullmatch(r"='Cost lines'!([A-Z]+)(\d+)", row["NPC (formula)"].value)
        assert reference, row["NPC (formula)"].value
        total = lines[f"{reference.group(1)}{reference.group(2)}"]
        assert total.value.startswith("=SUMPRODUCT(") and "Discounting!B2:" in total.value
        yearly = [lines.cell(int(reference.group(2)), header.index(f"Year {t}") + 1).value
                  for t in range(len(factors))]
        assert sum(a * f for a, f in zip(yearly, factors, strict=True)) == pytest.approx(
            npc, rel=1e-6)
        assert row["EAC (formula)"].value.startswith("=D")
        assert npc / sum(factors[1:]) == pytest.approx(row["Equivalent annual cost"].value,
                                                       rel=1e-6)
        r = row["Total (formula)"].row
        assert row["Total (formula)"].value == f"=K{r}+L{r}"
        assert row["Quality score"].value + row["Price score"].value == pytest.approx(
            row["Total score"].value, abs=0.011)


def test_figures_are_rounded_to_their_decimals_with_filters_and_print_set_up(snapshot):
    book = _book(review_workbook(snapshot)[0])
    for sheet in book.worksheets:
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, float):
                    assert round(cell.value, 6) == cell.value, (sheet.title, cell.coordinate)
    indicators = {r["Code"].value: r for r in _rows(book["Indicators"])}
    value = indicators["SAT-REP"]["Value"]
    assert value.number_format == "0.0%" and round(value.value, 3) == value.value


def test_review_sheet_names_the_board_meeting(snapshot):
    snapshot["review"].update({"board_meeting_date": "2010-06-15", "board_agenda_ref": "6",
                               "board_paper_author": "Helen Ashworth"})
    sheet = _book(review_workbook(snapshot)[0])["Review"]
    rows = {r["Item"].value: r["Value"] for r in _rows(sheet)}
    assert rows["Board meeting"].is_date and rows["Board agenda item"].value == "6"
    assert rows["Board paper author"].value == "Helen Ashworth"


def test_weighted_quality_scores_are_live_formulas_matching_the_values(snapshot):
    import re

    book = _book(review_workbook(snapshot)[0])
    sheet = book["Quality scores"]
    rows = list(sheet.iter_rows(values_only=True))
    header, criteria, formula_row = rows[0], rows[1:-1], rows[-1]
    assert formula_row[0] == "Quality score (weighted)"
    quality = {r["Option"].value: r["Quality score"].value for r in _rows(book["Options"])}
    for column, name in enumerate(header[2:], start=2):
        weight = float(re.search(r"\*(\d+(?:\.\d+)?)$", formula_row[column]).group(1))
        weights = [row[1] for row in criteria]
        marks = [row[column] or 0 for row in criteria]
        share = sum(w * m for w, m in zip(weights, marks, strict=True)) / (10 * sum(weights))
        assert share * weight == pytest.approx(quality[name], abs=0.01), name


def test_quality_marks_show_as_given(snapshot):
    """A mark of 6.5 shows 6.5, as the submission prints it (it showed 7), and 8 shows 8."""
    criterion = snapshot["compete"]["criteria"][0]
    first, second = list(criterion["scores"])[:2]
    criterion["scores"] = {**criterion["scores"], first: 6.5, second: 8}
    sheet = _book(review_workbook(snapshot)[0])["Quality scores"]
    header = [cell.value for cell in sheet[1]]
    marks = {name: sheet.cell(row=2, column=header.index(name) + 1) for name in (first, second)}
    assert {name: (cell.value, cell.number_format) for name, cell in marks.items()} == {
        first: (6.5, "General"), second: (8, "General")}
