"""Appraising a stored review: loading its inputs, compulsory competition, replacing them."""

import datetime as dt

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bvdesk.domain.appraisal import (
    AppraisalParameters,
    CostLineInput,
    Criterion,
    OptionInput,
    RiskInput,
)
from bvdesk.domain.vocabulary import CostCategory, OptionKind, PriceMethod, VatTreatment
from bvdesk.errors import InputRefused, ReviewLocked
from bvdesk.operations.appraisal import (
    AppraisalImportRefused,
    appraise_review,
    import_appraisal,
    load_inputs,
    replace_appraisal,
    write_template,
)
from bvdesk.operations.reviews import create_review
from bvdesk.operations.settings import set_setting
from bvdesk.store.db import Database
from bvdesk.store.models import ImportRun, Option, Review, ServiceArea


@pytest.fixture
def demo(demo_db_path):
    with Database.open(demo_db_path, write=True, user="tester") as db:
        yield db


def review_id(db: Database, service: str) -> int:
    with db.read() as session:
        return session.scalar(select(Review.id).join(ServiceArea).where(
            ServiceArea.code == service))


PARAMS = AppraisalParameters(base_date=dt.date(2011, 4, 1), period_years=1, price_weight=40,
                             price_method=PriceMethod.LINEAR, quality_threshold_pct=50,
                             homes_served=1000)
CRITERIA = (Criterion("Service", 2.0), Criterion("Risk", 1.0))


def in_house_only():
    return [OptionInput("Keep", OptionKind.IN_HOUSE,
                        (CostLineInput(CostCategory.STAFF, (100_000.0, 100_000.0)),),
                        scores={"Service": 6, "Risk": 9}),
            OptionInput("Improve", OptionKind.IMPROVED_IN_HOUSE,
                        (CostLineInput(CostCategory.STAFF, (90_000.0, 90_000.0)),
                         CostLineInput(CostCategory.IMPROVEMENT_INVESTMENT, (20_000.0, 0.0),
                                       VatTreatment.IRRECOVERABLE, "New IT")),
                        risks=(RiskInput("IT late", 0.5, 10_000.0, 1),),
                        scores={"Service": 8, "Risk": 6}, optimism_bias_pct=5.0)]


def test_demo_repairs_review_is_appraised(demo):
    result = appraise_review(demo, review_id(demo, "repairs"))
    assert len(result.options) == 5
    assert result.recommended is not None
    assert result.option(result.recommended).rank == 1
    # Every repairs indicator of the demo landlord is bottom quartile in 2009/10, and the
    # appraisal market-tests, so competition is required and satisfied.
    competition = result.compulsory_competition
    assert competition.required and competition.satisfied
    assert "BV73" in competition.indicators
    assert result.vat_rate_pct == 17.5  # base date 1 April 2010
    assert result.switching_value_pct is not None


def test_review_without_settings_uses_defaults_and_says_so(demo):
    fresh = create_review(demo, "voids", "A review with no appraisal yet")
    with demo.session() as session:
        session.get(Review, fresh).options = [  # options named, but not yet costed
            Option(name="In-house", kind=OptionKind.IN_HOUSE.value),
            Option(name="Contract", kind=OptionKind.EXTERNAL.value, position=1)]
    inputs = load_inputs(demo, fresh)
    assert inputs.parameters.period_years == 10
    assert inputs.parameters.homes_served == 5120  # the landlord's homes
    assert any("have not been set; the defaults are used" in note for note in inputs.notes)
    result = appraise_review(demo, fresh)
    assert result.recommended is None
    assert result.decision[0] == "No option can be recommended: no option has any costs yet."


def test_unknown_review_is_refused(demo):
    with pytest.raises(InputRefused, match="There is no review 999"):
        appraise_review(demo, 999)


def test_replace_appraisal_round_trips(demo):
    rid = review_id(demo, "voids")
    summary = replace_appraisal(demo, rid, PARAMS, in_house_only(), CRITERIA)
    assert (summary.options, summary.cost_lines, summary.risks, summary.criteria) == (2, 3, 1, 2)
    inputs = load_inputs(demo, rid)
    assert inputs.parameters == PARAMS
    assert [o.name for o in inputs.options] == ["Keep", "Improve"]
    improve = inputs.options[1]
    assert improve.scores == {"Service": 8, "Risk": 6}
    assert improve.cost_lines[1].vat is VatTreatment.IRRECOVERABLE
    assert improve.cost_lines[1].description == "New IT"
    assert improve.risks == (RiskInput("IT late", 0.5, 10_000.0, 1),)
    assert inputs.criteria == CRITERIA


def test_compulsory_competition_not_met_without_a_market_test(demo):
    rid = review_id(demo, "repairs")
    replace_appraisal(demo, rid, PARAMS, in_house_only(), CRITERIA)
    result = appraise_review(demo, rid)
    competition = result.compulsory_competition
    assert competition.required and not competition.satisfied
    assert any("not compliant" in statement for statement in result.decision)


def test_edited_vat_table_is_used(demo):
    rid = review_id(demo, "repairs")
    set_setting(demo, "vat_table", [["1990-01-01", 10.0]])
    assert appraise_review(demo, rid).vat_rate_pct == 10.0


def test_unusable_discount_schedule_is_refused(demo):
    set_setting(demo, "discount_schedule", [["2003-01-01", [[2, 3.5]]]])
    with pytest.raises(InputRefused, match="must start in year 1"):
        load_inputs(demo, review_id(demo, "repairs"))


def test_signed_off_review_cannot_be_replaced(demo):
    rid = review_id(demo, "rent")
    with demo.session() as session:
        session.get(Review, rid).locked = True
    with pytest.raises(ReviewLocked):
        replace_appraisal(demo, rid, PARAMS, in_house_only(), CRITERIA)
    assert [o.name for o in load_inputs(demo, rid).options] == [
        "In-house (status quo)", "Improved in-house", "Money advice bought in"]


def test_workbook_import_is_recorded_and_refusal_changes_nothing(demo, tmp_path):
    source, target = review_id(demo, "repairs"), review_id(demo, "voids")
    book = write_template(tmp_path / "repairs.xlsx", db=demo, review_id=source)
    summary = import_appraisal(demo, target, book)
    assert (summary.options, summary.criteria) == (5, 5)
    with demo.read() as session:
        run = session.scalar(select(ImportRun).where(ImportRun.kind == "appraisal"))
        assert (run.file_name, run.by, run.counts["options"]) == ("repairs.xlsx", demo.user, 5)
    empty = write_template(tmp_path / "empty.xlsx", base_date=dt.date(2010, 4, 1))
    workbook = load_workbook(empty)
    workbook["Options"]["B2"] = "Outsourced"
    workbook.save(empty)
    with pytest.raises(AppraisalImportRefused) as refused:
        import_appraisal(demo, target, empty)
    assert [str(issue) for issue in refused.value.issues][0].startswith(
        "Options!B2: 'Outsourced' is not one of")
    assert "1 problem to fix, and nothing was changed" in refused.value.message
    assert len(load_inputs(demo, target).options) == 5


def test_without_indicator_values_competition_is_not_checked(tmp_db_path):
    with Database.open(tmp_db_path, write=True) as db:
        rid = create_review(db, "repairs", "Repairs", ["BV73"])
        result = appraise_review(db, rid)
    assert not result.compulsory_competition.required
    assert result.options == () and result.recommended is None
    assert any(s.startswith("Whether compulsory competition applies could not be checked: "
                            "Test Homes has no value for") for s in result.decision)
    assert not any("does not apply" in s for s in result.decision)
