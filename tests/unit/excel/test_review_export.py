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
        "Consultation", "Actions"]
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
    assert survey["Response rate"].value == pytest.approx(412 / 1200)
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
    assert "<f>" not in xml
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
