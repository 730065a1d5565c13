"""The appraisal workbook: written, filled in as a user would, and read back strictly."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from bvdesk.domain.appraisal import (
    AppraisalParameters,
    CostLineInput,
    Criterion,
    OptionInput,
    RiskInput,
)
from bvdesk.domain.vocabulary import CostCategory, OptionKind, PriceMethod, VatTreatment
from bvdesk.errors import FileProblem
from bvdesk.excel.appraisal_workbook import (
    AppraisalData,
    read_appraisal_workbook,
    starter_data,
    write_appraisal_workbook,
)

DATA = AppraisalData(
    parameters=AppraisalParameters(base_date=dt.date(2010, 4, 1), period_years=2,
                                   discount_rate_pct=None, vat_rate_pct=17.5, price_weight=30,
                                   price_method=PriceMethod.LINEAR, quality_threshold_pct=60,
                                   homes_served=5120),
    options=(
        OptionInput("In-house", OptionKind.IN_HOUSE,
                    (CostLineInput(CostCategory.STAFF, (100.0, 105.0, 110.0)),),
                    scores={"Service": 6.0, "Risk": 9.0}),
        OptionInput("Contract", OptionKind.EXTERNAL,
                    (CostLineInput(CostCategory.CONTRACT_PRICE, (90.0, 90.0, 90.0),
                                   VatTreatment.IRRECOVERABLE, "Schedule of rates"),
                     CostLineInput(CostCategory.PROCUREMENT, (25.0, 0.0, 0.0))),
                    risks=(RiskInput("Contractor fails", 0.1, 200.0, 2),),
                    scores={"Service": 7.5, "Risk": 5.0}, optimism_bias_pct=41.0,
                    description="Five-year term contract"),
        OptionInput("Half out", OptionKind.PARTIAL_MARKET_TEST, market_tested_share_pct=30.0,
                    scores={"Service": 6.0}),
    ),
    criteria=(Criterion("Service", 3.0), Criterion("Risk", 1.0)),
)


@pytest.fixture
def workbook(tmp_path):
    return write_appraisal_workbook(tmp_path / "appraisal.xlsx", DATA)


def edit(path, changes):
    """Change cells as a user would in Excel: {("Sheet", "B3"): value}."""
    book = load_workbook(path)
    for (sheet, cell), value in changes.items():
        book[sheet][cell] = value
    book.save(path)


def messages(result):
    return [str(issue) for issue in result.issues]


def test_round_trip(workbook):
    result = read_appraisal_workbook(workbook)
    assert result.issues == ()
    assert result.data == DATA


def test_template_has_sheets_instructions_and_drop_downs(tmp_path):
    path = write_appraisal_workbook(tmp_path / "new.xlsx", starter_data(dt.date(2026, 4, 1)))
    book = load_workbook(path)
    assert book.sheetnames == ["Instructions", "Settings", "Options", "Costs", "Quality",
                               "Risks", "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    assert "bvdesk import appraisal" in book["Instructions"]["A3"].value
    assert [c.value for c in book["Costs"][1]][:4] == ["Option", "Category", "VAT", "Year 0"]
    assert book["Costs"].cell(row=1, column=14).value == "Year 10"
    assert [c.value for c in book["Quality"][1]] == [
        "Criterion", "Weight", "In-house (status quo)", "Improved in-house", "External contract"]
    lists = {str(v.sqref): v.formula1 for v in book["Options"].data_validations.dataValidation}
    assert lists == {"B2:B500": "=Lists!$A$2:$A$8"}
    assert book["Lists"]["A3"].value == "Improved in-house"
    # The starter template imports as it is: three options, no costs yet.
    data = read_appraisal_workbook(path).data
    assert data is not None and len(data.options) == 3


def test_labels_values_and_text_dates_are_accepted(workbook):
    edit(workbook, {("Options", "B3"): "external", ("Costs", "B2"): "Staff",
                    ("Costs", "C3"): "IRRECOVERABLE", ("Settings", "B2"): "01/04/2010",
                    ("Settings", "B7"): "linear", ("Costs", "D2"): "£1,000"})
    data = read_appraisal_workbook(workbook).data
    assert data is not None
    assert data.parameters.base_date == dt.date(2010, 4, 1)
    assert data.options[0].cost_lines[0].amounts[0] == 1000.0


def test_every_problem_is_located_and_nothing_is_returned(workbook):
    edit(workbook, {
        ("Settings", "B3"): "ten",            # period
        ("Options", "B3"): "Outsourced",      # kind
        ("Costs", "A3"): "Contractor",        # no such option
        ("Costs", "E2"): "lots",              # amount
        ("Quality", "C2"): 11,                # score
        ("Risks", "C2"): 1.5,                 # probability
    })
    result = read_appraisal_workbook(workbook)
    assert result.data is None
    found = messages(result)
    assert "Settings!B3: Appraisal period (years) must be a number, not 'ten'" in found
    assert any(m.startswith("Options!B3: 'Outsourced' is not one of: In-house (status quo), ")
               for m in found)
    assert "Costs!A3: 'Contractor' is not an option on the Options sheet" in found
    assert "Costs!E2: the Year 1 amount must be a number, not 'lots'" in found
    assert "Quality!C2: the score must be from 0 to 10, not 11" in found
    assert "Risks!C2: the probability must be from 0 to 1, not 1.5" in found
    assert result.issues[0].to_json() == {"sheet": "Settings", "row": 3, "column": "B",
                                          "message": found[0].split(": ", 1)[1]}


def test_amounts_after_the_period_are_refused(workbook):
    edit(workbook, {("Costs", "G1"): "Year 3", ("Costs", "G2"): 50, ("Costs", "H1"): None})
    found = messages(read_appraisal_workbook(workbook))
    assert ("Costs!G2: Year 3 is after the appraisal period of 2 years; extend the period or "
            "remove it") in found


def test_year_columns_must_run_in_order(workbook):
    edit(workbook, {("Costs", "E1"): "Year 2"})
    assert ("Costs!E1: expected the heading 'Year 1' here; the year columns must run 0, 1, "
            "2... in order") in messages(read_appraisal_workbook(workbook))


def test_duplicate_and_missing_names(workbook):
    edit(workbook, {("Options", "A4"): "In-house", ("Quality", "A3"): None,
                    ("Risks", "B2"): None})
    found = messages(read_appraisal_workbook(workbook))
    assert "Options!A4: there is already an option called 'In-house'" in found
    assert "Quality!A3: the criterion has no name" in found
    assert "Risks!B2: the risk has no description" in found


def test_score_columns_must_name_options(workbook):
    edit(workbook, {("Quality", "E1"): "Half-out"})
    found = messages(read_appraisal_workbook(workbook))
    assert ("Quality!E1: 'Half-out' is not an option on the Options sheet; head each score "
            "column with an option's name") in found
    assert "Quality row 1: there is no score column for the option 'Half out'" in found


def test_missing_base_date_and_sheet(tmp_path, workbook):
    edit(workbook, {("Settings", "A2"): None, ("Settings", "B2"): None,
                    ("Settings", "C2"): None})
    assert "Settings: there is no 'Base date' row" in messages(read_appraisal_workbook(workbook))
    book = load_workbook(workbook)
    del book["Risks"]
    book.save(workbook)
    assert messages(read_appraisal_workbook(workbook)) == [
        "Risks: the workbook has no 'Risks' sheet (start from 'bvdesk template appraisal')"]


def test_unknown_setting_is_refused(workbook):
    edit(workbook, {("Settings", "A10"): "Inflation %", ("Settings", "B10"): 2.5})
    found = messages(read_appraisal_workbook(workbook))
    assert found[0].startswith("Settings!A10: 'Inflation %' is not a setting; the settings are: "
                               "Base date, ")


def test_not_a_workbook(tmp_path):
    fake = tmp_path / "costs.xlsx"
    fake.write_bytes(b"%PDF-1.4 not a workbook")
    with pytest.raises(FileProblem, match="costs.xlsx is not an Excel workbook"):
        read_appraisal_workbook(fake)
    csv = tmp_path / "costs.csv"
    csv.write_text("Option,Category\n")
    with pytest.raises(FileProblem, match="costs.csv is not an .xlsx workbook"):
        read_appraisal_workbook(csv)
    with pytest.raises(FileProblem, match="does not exist"):
        read_appraisal_workbook(tmp_path / "missing.xlsx")


def test_blank_price_weight_means_40_and_blank_quality_threshold_means_50(workbook):
    # The method's defaults (docs/methodology.md): a blank is not a missing value.
    edit(workbook, {("Settings", "B6"): None, ("Settings", "B8"): None})
    book = load_workbook(workbook)
    assert book["Settings"]["A6"].value == "Price weight %"
    assert book["Settings"]["A8"].value == "Quality threshold %"
    result = read_appraisal_workbook(workbook)
    assert result.issues == ()
    assert result.data.parameters.price_weight == 40.0
    assert result.data.parameters.quality_threshold_pct == 50.0
