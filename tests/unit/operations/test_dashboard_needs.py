"""The review checklist: what each stage still needs, in plain English."""

from __future__ import annotations

from pathlib import Path

from bvdesk.domain.vocabulary import Stage
from bvdesk.operations.dashboard import (
    ActionFacts,
    ActivityFacts,
    JudgementFacts,
    OptionFacts,
    ReviewFacts,
    dashboard,
    review_needs,
    stage_needs,
)
from bvdesk.store.db import Database

COMPLETE = ReviewFacts(
    scope="All repairs", objectives="Right first time", dates=True, team=3, tenants=1,
    indicators=("BV72",),
    activities=(ActivityFacts("postal_survey", 500, 210, 160, 200, "Slow", "Faster"),),
    options=(OptionFacts("In-house", "in_house", True, 2),
             OptionFacts("Improved", "improved_in_house", True, 2),
             OptionFacts("Contract", "external", True, 2)),
    criteria=2, appraisal_settings=True,
    actions=(ActionFacts("Cut waits", "Ann", True, True, False, "BV72"),),
    judgements=(JudgementFacts("Responsive repairs and maintenance", 2, None, "Good"),
                JudgementFacts("Prospects for improvement", None, "promising", "Plan")),
    board_approval=True, vfm_statement="Good value", bottom_quartile=("BV72",))


def test_complete_review_needs_nothing() -> None:
    assert stage_needs(COMPLETE) == {stage: () for stage in Stage}


def test_one_gap_is_named_at_its_stage_and_holds_back_sign_off() -> None:
    facts = ReviewFacts(**{**_fields(COMPLETE), "scope": ""})
    needs = stage_needs(facts)
    assert needs[Stage.SCOPE] != ()
    assert needs[Stage.SIGN_OFF] == ("Complete the earlier stages first: Scope.",)
    assert all(needs[stage] == () for stage in Stage if stage not in (Stage.SCOPE,
                                                                      Stage.SIGN_OFF))


def test_bottom_quartile_service_without_external_option() -> None:
    facts = ReviewFacts(**{**_fields(COMPLETE), "options": COMPLETE.options[:2]})
    compete = stage_needs(facts)[Stage.COMPETE]
    assert any("externally tested option" in item for item in compete)
    assert any("at least three options (2 so far)" in item for item in compete)
    assert "Compete" in stage_needs(facts)[Stage.SIGN_OFF][-1]


def test_survey_without_response_rate_and_action_without_target() -> None:
    facts = ReviewFacts(**{
        **_fields(COMPLETE),
        "activities": (ActivityFacts("postal_survey", None, None, 10, 20, "x", "y"),),
        "actions": (ActionFacts("Be better", "", True, False, False, None),)})
    needs = stage_needs(facts)
    assert needs[Stage.CONSULT] == ("Activity 1 (postal survey): give the number issued and "
                                    "responses, for the response rate.",)
    assert "\u201cBe better\u201d: give a measurable target or a deliverable." in needs[
        Stage.IMPROVEMENT_PLAN]
    assert "Add an action for BV72, which is in the bottom quartile." in needs[
        Stage.IMPROVEMENT_PLAN]


def test_demo_reviews_report_their_gaps(demo_db_path: Path) -> None:
    with Database.open(demo_db_path, write=False) as db:
        board = dashboard(db)
        assert board.landlord == "Northvale Homes"
        repairs = next(r for r in board.reviews if r.summary.service_code == "repairs")
        needs = review_needs(db, repairs.summary.id)
    assert needs.missing(Stage.SCOPE) == ()
    assert needs.total == repairs.needs.total > 0


def _fields(facts: ReviewFacts) -> dict[str, object]:
    return {name: getattr(facts, name) for name in facts.__dataclass_fields__}
