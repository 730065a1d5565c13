"""What contradicts itself in a review document, worked by hand on small documents.

Base year 2009/10. BV66a (rent collected, higher is better, 2 decimals) is 99.71% now;
BV73 (days to a non-urgent repair, lower is better, 1 decimal) is 15.6 days.
"""

from __future__ import annotations

from typing import Any

import pytest

from bvdesk.domain.readiness import contradictions, seeks_decision, supports_judgement
from bvdesk.domain.vocabulary import Stage


def _row(code: str, value: float, polarity: str, unit: str, decimals: int,
         target: float | None = None) -> dict[str, Any]:
    return {"code": code, "value": value, "polarity": polarity, "unit": unit,
            "decimals": decimals, "target": target, "linked": True}


def _action(title: str, code: str | None, baseline: float | None, target: float | None,
            target_year: int | None, *, typed: float | None = None,
            typed_year: int | None = None, source: str = "data") -> dict[str, Any]:
    rows = {"BV66a": ("higher", "percent", 2), "BV73": ("lower", "days", 1)}
    polarity, unit, decimals = rows.get(code, (None, None, None)) if code else (None, None, None)
    return {"title": title, "indicator": code, "polarity": polarity, "unit": unit,
            "decimals": decimals, "baseline_value": baseline,
            "baseline_year": 2009 if baseline is not None else None, "target_value": target,
            "target_year": target_year, "baseline_source": source,
            "typed_baseline_value": typed, "typed_baseline_year": typed_year}


def _document(**parts: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "review": {"stage": "improvement_plan"},
        "compare": {"year": 2009, "indicators": [
            _row("BV66a", 99.71, "higher", "percent", 2),
            _row("BV73", 15.6, "lower", "days", 1)]},
        "actions": [], "judgements": [], "evidence": [], "live_figures": [], "compete": None,
    }
    document.update(parts)
    return document


def _texts(document: dict[str, Any], compete_missing: int = 0) -> list[str]:
    return [f.text for f in contradictions(document, compete_missing=compete_missing)]


def test_a_consistent_document_has_no_contradiction() -> None:
    document = _document(actions=[_action("Collect more rent", "BV66a", 99.71, 99.85, 2011),
                                  _action("Faster repairs", "BV73", 15.6, 9.0, 2014)])
    assert _texts(document) == []


def test_a_higher_is_better_target_below_the_current_value_is_flagged() -> None:
    # Review 3 of the demo: a 2010/11 target of 99.20% when collection is already 99.71%.
    document = _document(actions=[_action("Direct debit by default", "BV66a", 99.71, 99.2,
                                           2010)])
    assert _texts(document) == [
        "Action 1 “Direct debit by default”: the target of 99.20% for 2010/11 is below the "
        "current value, 99.71% in 2009/10 (higher is better). Set a target that improves on it."]


def test_a_lower_is_better_target_already_met_is_flagged() -> None:
    document = _document(actions=[_action("Faster repairs", "BV73", 15.6, 15.6, 2014)])
    assert _texts(document) == [
        "Action 1 “Faster repairs”: the target of 15.6 days for 2014/15 is already met: the "
        "current value is 15.6 days in 2009/10. Set a target that improves on it."]


def test_a_target_year_not_after_the_base_year_is_flagged() -> None:
    document = _document(actions=[_action("Faster repairs", "BV73", 15.6, 12.0, 2009)])
    assert _texts(document) == [
        "Action 1 “Faster repairs”: the target year 2009/10 is not after the baseline year "
        "2009/10, so there is no trajectory towards it."]


def test_a_typed_baseline_that_differs_from_the_data_is_flagged() -> None:
    # Review 1 of the demo: the plan said 17.4 days where the data says 15.6.
    document = _document(actions=[_action("Faster repairs", "BV73", 15.6, 9.0, 2014,
                                          typed=17.4, typed_year=2009)])
    assert _texts(document) == [
        "Action 1 “Faster repairs”: the baseline typed, 17.4 days in 2009/10, differs from the "
        "data, 15.6 days in 2009/10; the documents print the data. Clear the typed baseline."]
    same = _document(actions=[_action("Faster repairs", "BV73", 15.6, 9.0, 2014,
                                      typed=15.62, typed_year=2009)])
    assert _texts(same) == []  # the same figure to the indicator's decimals


def test_a_compare_target_is_checked_too() -> None:
    document = _document()
    document["compare"]["indicators"][1]["target"] = 16.0
    assert _texts(document) == [
        "Compare, BV73: the target of 16.0 days is above the current value, 15.6 days in "
        "2009/10 (lower is better). Set a target that improves on it."]


def test_a_live_figure_that_cannot_be_read_is_flagged() -> None:
    document = _document(live_figures=[
        {"where": "Challenge question 5", "token": "{{CPP-RRR}}", "text": None,
         "problem": "there is no indicator CPP-RRR", "stage": "challenge"},
        {"where": "Challenge question 5", "token": "{{CPP-RR}}", "text": "£1,203",
         "problem": None, "stage": "challenge"}])
    found = contradictions(document, compete_missing=0)
    assert [(f.stage, f.text) for f in found] == [
        (Stage.CHALLENGE, "Challenge question 5: the live figure {{CPP-RRR}} cannot be read: "
                          "there is no indicator CPP-RRR.")]


def test_a_judgement_needs_evidence_or_a_live_figure() -> None:
    judgements = [{"kloe": "Value for money", "stars": 1, "rationale": "Costs are high."},
                  {"kloe": "Access and customer care", "stars": 2, "rationale": "Good."},
                  {"kloe": "Diversity", "stars": 2, "rationale": "Costs {{CPP-RR:quartile}}."}]
    evidence = [{"title": "Survey", "supports": "Judgement 2"}]
    figures = [{"where": "Self-assessment, Diversity", "token": "{{CPP-RR:quartile}}",
                "text": "bottom quartile", "problem": None, "stage": "self_assessment"}]
    document = _document(judgements=judgements, evidence=evidence, live_figures=figures)
    assert _texts(document) == [
        "Value for money: the judgement rests on no evidence. Attach an "
        "evidence file that supports it (Supports: “judgement 1”) or cite a live figure in "
        "the rationale."]


@pytest.mark.parametrize(("stage", "compete_missing", "seeks", "flagged"), [
    ("consult", 2, False, False),         # a progress report: no decision sought yet
    ("compete", 2, True, True),           # a decision sought on an unfinished appraisal
    ("self_assessment", 0, True, False),  # Compete done: the decision can be taken
])
def test_a_board_paper_seeks_a_decision_only_when_compete_is_done(
        stage: str, compete_missing: int, seeks: bool, flagged: bool) -> None:
    document = _document(review={"stage": stage},
                         compete={"options": [], "recommended": "Improved in-house"})
    assert seeks_decision(document) is seeks
    expected = ["The board paper asks the board to decide on “Improved in-house”, but Compete "
                "is not finished (2 items still needed)."] if flagged else []
    assert _texts(document, compete_missing) == expected


@pytest.mark.parametrize(("supports", "expected"), [
    ("Judgement 2", True), ("judgement:2", True), ("  JUDGEMENT   2 ", True),
    ("access and customer care", True), ("judgement 3", False), ("", False), (None, False)])
def test_what_an_evidence_file_supports(supports: str | None, expected: bool) -> None:
    assert supports_judgement(supports, 2, "Access and customer care") is expected


def test_a_target_that_stays_in_the_bottom_quartile_is_flagged() -> None:
    # BV73 is in the bottom quartile (lower is better: worse than p75 = 13.4 days); a target of
    # 14.0 days would still be there.
    document = _document(actions=[_action("Faster repairs", "BV73", 15.6, 14.0, 2011)])
    document["compare"]["indicators"][1].update({"quartile": 4, "p25": 8.6, "p75": 13.4})
    assert _texts(document) == [
        "Action 1 “Faster repairs”: the target of 14.0 days for 2011/12 stays in the bottom "
        "quartile, which starts at 13.4 days today. Set a target that leaves it."]
    document["actions"][0]["target_value"] = 13.4  # at the boundary: out of the bottom quartile
    assert _texts(document) == []


@pytest.mark.parametrize(("stage", "compete_missing", "flagged"), [
    ("scope", 0, True),       # finished appraisal, review never moved on: a false board paper
    ("consult", 0, True),
    ("consult", 2, False),    # appraisal unfinished: the progress report is true
    ("compete", 0, False),    # the board paper asks the decision
])
def test_a_finished_appraisal_in_a_review_before_compete_is_flagged(
        stage: str, compete_missing: int, flagged: bool) -> None:
    document = _document(review={"stage": stage},
                         compete={"options": [], "recommended": "Improved in-house"})
    label = Stage(stage).label
    expected = [f"The options appraisal is finished and recommends “Improved in-house”, but the "
                f"review is still at the {label} stage, so the board paper asks no decision and "
                "says the options have not been tested through Compete. Move the review on to "
                "the Compete stage or a later one."] if flagged else []
    assert _texts(document, compete_missing) == expected


def test_a_word_typed_after_a_live_figure_that_prints_it_already_is_flagged() -> None:
    figures = [{"where": "Value for money statement", "token": "{{BV73}}", "text": "15.6 days",
                "problem": None, "stage": "sign_off"},
               {"where": "Value for money statement", "token": "{{BV73:quartile}}",
                "text": "bottom quartile", "problem": None, "stage": "sign_off"},
               {"where": "Value for money statement", "token": "{{BV66a}}", "text": "99.71%",
                "problem": None, "stage": "sign_off"}]
    document = _document(review={"stage": "sign_off", "vfm_statement":
                                 "Repairs take 15.6 days, days that put us in the bottom "
                                 "quartile Quartile; we collect 99.71% of the rent."},
                         live_figures=figures)
    assert _texts(document) == [
        "Value for money statement: the live figure {{BV73:quartile}} prints “bottom quartile”, "
        "so the “quartile” typed after it is printed twice. Remove it."]
