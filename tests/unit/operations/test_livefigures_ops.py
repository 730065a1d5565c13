"""Figures have one home: plan baselines and live figures in narratives come from the data."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bvdesk.errors import InputRefused
from bvdesk.operations.editing import list_rows, update_field
from bvdesk.operations.livefigures import action_baseline, figure_choices, resolve_text
from bvdesk.operations.signoff import sign_off, signed_off_snapshot
from bvdesk.operations.snapshot import review_snapshot
from bvdesk.store.db import Database
from bvdesk.store.models import Action, Indicator, IndicatorValue, Organisation


@pytest.fixture
def db(demo_db_path: Path):
    database = Database.open(demo_db_path)
    yield database
    database.close()


def _row(snapshot, code):
    return next(r for r in snapshot["compare"]["indicators"] if r["code"] == code)


def test_a_linked_action_takes_its_baseline_from_the_data(db: Database) -> None:
    action = next(row for row in list_rows(db, "action", 1) if row["title"].startswith("Reduce"))
    with db.session() as session:  # typed before the indicator was linked, and wrong
        stored = session.get(Action, action.id)
        stored.baseline_value, stored.baseline_year = 17.4, 2009
    snapshot = review_snapshot(db, 1)
    printed = next(a for a in snapshot["actions"] if a["indicator"] == "BV73")
    compare = _row(snapshot, "BV73")
    assert (printed["baseline_value"], printed["baseline_year"]) == (compare["value"], 2009)
    assert printed["baseline_source"] == "data"
    assert printed["typed_baseline_value"] == 17.4  # kept, for the readiness check


def test_an_action_with_no_indicator_keeps_what_was_typed(db: Database) -> None:
    snapshot = review_snapshot(db, 1)
    materials = next(a for a in snapshot["actions"] if a["indicator"] is None)
    assert materials["baseline_source"] == "typed"


def test_live_figures_in_a_narrative_print_the_current_value(db: Database) -> None:
    answer = list_rows(db, "challenge_item", 1)[4]
    update_field(db, "challenge_item", answer.id, "answer",
                 "Cost per home {{CPP-RR}} ({{CPP-RR:quartile}}, ranked {{CPP-RR:rank}}); "
                 "{{survey:1:satisfied}} satisfied.")
    snapshot = review_snapshot(db, 1)
    cost = _row(snapshot, "CPP-RR")
    quarter = {1: "top", 2: "second", 3: "third", 4: "bottom"}[cost["quartile"]]
    satisfied = snapshot["consult"][0]["satisfaction"]["pct"]
    assert snapshot["challenge"][4]["answer"] == (
        f"Cost per home £{cost['value']:,.0f} ({quarter} quartile, ranked {cost['rank']} of "
        f"{cost['n']}); {satisfied:.1f}% satisfied.")
    assert [f["token"] for f in snapshot["live_figures"]
            if f["where"] == "Challenge question 5"] == [
        "{{CPP-RR}}", "{{CPP-RR:quartile}}", "{{CPP-RR:rank}}", "{{survey:1:satisfied}}"]


def test_an_unknown_token_is_listed_and_not_printed_raw(db: Database) -> None:
    judgement = list_rows(db, "judgement", 1)[0]
    update_field(db, "judgement", judgement.id, "rationale", "Satisfaction is {{SAT-REPP}}.")
    snapshot = review_snapshot(db, 1)
    assert "{{" not in snapshot["judgements"][0]["rationale"]
    [problem] = [f for f in snapshot["live_figures"] if f["problem"]]
    assert problem["problem"] == "there is no indicator SAT-REPP"
    assert problem["where"] == "Self-assessment, Responsive repairs and maintenance"


def test_the_screen_preview_uses_the_same_resolver(db: Database) -> None:
    text, references = resolve_text(db, 1, "{{BV73:2009/10}} now")
    value = _row(review_snapshot(db, 1), "BV73")["value"]
    assert text == f"{value:.1f} days now"
    assert references == [{"token": "{{BV73:2009/10}}", "text": f"{value:.1f} days",
                           "problem": None}]


def test_a_baseline_cannot_be_typed_where_the_data_gives_it(db: Database) -> None:
    action = next(row for row in list_rows(db, "action", 1) if row["title"].startswith("Reduce"))
    value = _row(review_snapshot(db, 1), "BV73")["value"]
    with pytest.raises(InputRefused) as refused:
        update_field(db, "action", action.id, "baseline_value", 17.4)
    assert refused.value.message == (
        f"The baseline of this action comes from the data: BV73 was {value:.1f} days in "
        "2009/10, the review's base year. To type a baseline instead, link no indicator to "
        "the action.")
    assert action_baseline(db, action.id).text == f"{value:.1f} days in 2009/10"
    update_field(db, "action", action.id, "indicator_id", None)
    update_field(db, "action", action.id, "baseline_value", 17.4)  # no indicator: typed
    assert action_baseline(db, action.id) is None


def test_the_picker_offers_every_figure_with_what_it_prints_now(db: Database) -> None:
    choices = {c.token: c for c in figure_choices(db, 1)}
    value = _row(review_snapshot(db, 1), "BV73")["value"]
    bv73 = choices["{{BV73}}"]
    assert (bv73.group, bv73.label, bv73.text) == (
        "BV73 " + _row(review_snapshot(db, 1), "BV73")["name"],
        "value in 2009/10 (the base year)", f"{value:.1f} days")
    assert choices["{{BV73:quartile}}"].text == "bottom quartile"
    assert "{{BV73:2005/06}}" in choices
    assert choices["{{option:2:name}}"].text == "Improved in-house"
    assert choices["{{survey:1:satisfied}}"].text == "75.6%"
    assert "{{survey:2:satisfied}}" not in choices  # a focus group has no satisfaction count
    # Each prints in a document what the picker showed.
    tokens = " | ".join(c.token for c in choices.values())
    assert resolve_text(db, 1, tokens)[0] == " | ".join(c.text for c in choices.values())


def test_sign_off_freezes_the_figures_the_text_printed(db: Database) -> None:
    answer = list_rows(db, "challenge_item", 1)[0]
    update_field(db, "challenge_item", answer.id, "answer", "Repairs take {{BV73}}.")
    before = _row(review_snapshot(db, 1), "BV73")["value"]
    sign_off(db, 1, "Chair of the Board", override_reason="Frozen figures test")
    with db.session() as session:  # the data moves on after sign-off
        value = session.scalars(select(IndicatorValue).join(Indicator).join(Organisation).where(
            Indicator.code == "BV73", IndicatorValue.year == 2009, Organisation.is_self)).one()
        value.value = before - 3.0
    assert signed_off_snapshot(db, 1)["challenge"][0]["answer"] == \
        f"Repairs take {before:.1f} days."
    assert review_snapshot(db, 1)["challenge"][0]["answer"] == \
        f"Repairs take {before - 3.0:.1f} days."
