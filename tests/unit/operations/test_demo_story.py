"""The demo agrees with itself: baselines from the data, narratives with live figures, and a
readiness check that finds no contradiction in any demo review."""

from __future__ import annotations

from pathlib import Path

import pytest

from bvdesk.operations.readiness import check_review
from bvdesk.operations.snapshot import review_snapshot
from bvdesk.store.db import Database

REVIEWS = (1, 2, 3)


@pytest.fixture(scope="module")
def db(_demo_template: Path):
    database = Database.open(_demo_template, write=False)
    yield database
    database.close()


@pytest.mark.parametrize("review_id", REVIEWS)
def test_no_demo_review_contradicts_itself_or_the_data(db: Database, review_id: int) -> None:
    assert [f.text for f in check_review(db, review_id).contradictions] == []


def test_the_rent_review_is_ready_to_sign_off(db: Database) -> None:
    ready = check_review(db, 3)
    assert ready.clean, ready.text()


@pytest.mark.parametrize("review_id", REVIEWS)
def test_plan_baselines_come_from_the_data(db: Database, review_id: int) -> None:
    snapshot = review_snapshot(db, review_id)
    rows = {r["code"]: r for r in snapshot["compare"]["indicators"]}
    for action in snapshot["actions"]:
        if action["indicator"]:
            assert action["baseline_source"] == "data"
            assert action["typed_baseline_value"] is None
            assert action["baseline_value"] == rows[action["indicator"]]["value"]


@pytest.mark.parametrize("review_id", (1, 3))
def test_narratives_quote_live_figures(db: Database, review_id: int) -> None:
    snapshot = review_snapshot(db, review_id)
    figures = snapshot["live_figures"]
    assert len(figures) >= 5
    assert all(f["problem"] is None for f in figures)
    cited = {f["where"] for f in figures}
    assert {f"Self-assessment, {j['kloe']}" for j in snapshot["judgements"]} <= cited


def test_the_repairs_costs_agree_with_the_options_appraisal(db: Database) -> None:
    # The cost per home in the data is the status quo's cost per home in Compete (and the
    # unit cost in Context): £4,407,250 a year over 5,120 homes is £861.
    snapshot = review_snapshot(db, 1)
    cost = next(r for r in snapshot["compare"]["indicators"] if r["code"] == "CPP-RR")
    status_quo = snapshot["compete"]["options"][0]
    assert round(cost["value"]) == round(status_quo["cost_per_home"]) == \
        snapshot["context"]["unit_cost"] == 861


@pytest.mark.parametrize("review_id", (1, 3))
def test_every_demo_judgement_names_the_evidence_it_rests_on(db: Database,
                                                            review_id: int) -> None:
    judgements = review_snapshot(db, review_id)["judgements"]
    assert judgements and all(j["evidence"] for j in judgements)
