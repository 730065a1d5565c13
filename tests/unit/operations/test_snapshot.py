"""The review snapshot of the demo's repairs review: complete, JSON-only, figures traceable."""

from __future__ import annotations

import hashlib
import json

import pytest

from bvdesk.errors import InputRefused
from bvdesk.operations.snapshot import review_snapshot
from bvdesk.store.db import Database
from bvdesk.store.models import Evidence


@pytest.fixture
def db(demo_db_path):
    database = Database.open(demo_db_path, write=False)
    yield database
    database.close()


def test_snapshot_is_plain_json_and_round_trips(db):
    snapshot = review_snapshot(db, 1)
    assert json.loads(json.dumps(snapshot)) == snapshot


def test_snapshot_holds_every_part_a_report_prints(db):
    snapshot = review_snapshot(db, 1)
    assert snapshot["landlord"]["name"] == "Northvale Homes"
    assert snapshot["service"]["code"] == "repairs"
    assert snapshot["review"]["title"] == "Responsive repairs: Best Value review 2009/10"
    assert [m["is_tenant"] for m in snapshot["team"]].count(True) == 2
    assert snapshot["context"]["unit_cost"] == 861
    assert len(snapshot["challenge"]) == 6
    assert snapshot["judgements"][0]["stars"] == 1
    assert snapshot["signoff"] is None


def test_compare_has_linked_indicators_with_history_and_peers(db):
    compare = review_snapshot(db, 1)["compare"]
    linked = [row for row in compare["indicators"] if row["linked"]]
    assert sorted(row["code"] for row in linked) == [
        "APPT", "BV72", "BV73", "CPP-RR", "GNPI20", "SAT-REP"]
    assert compare["year"] == 2009
    for row in linked:
        assert len(row["history"]) == 5
        own = [p for p in row["peers"] if p["is_self"]]
        assert len(own) == 1 and own[0]["value"] == row["value"]
        assert len(row["peers"]) == row["n"]
        assert row["history"][-1]["value"] == row["value"]


def test_consult_statistics_match_the_survey_worked_by_hand(db):
    survey = review_snapshot(db, 1)["consult"][0]
    # 412 responses to 1,200 questionnaires; 301 of 398 answers satisfied, from 3,400 tenants.
    assert survey["response_rate"] == pytest.approx(34.333, abs=0.001)
    assert survey["satisfaction"]["pct"] == pytest.approx(75.628, abs=0.001)
    margin = 1.96 * (0.75628 * 0.24372 / 398) ** 0.5 * ((3400 - 398) / 3399) ** 0.5 * 100
    assert survey["satisfaction"]["margin"] == pytest.approx(margin, abs=0.001)


def test_compete_carries_the_appraisal_and_its_inputs(db):
    compete = review_snapshot(db, 1)["compete"]
    assert compete["recommended"] == "Improved in-house"
    assert len(compete["options"]) == 5
    improved = next(o for o in compete["options"] if o["name"] == "Improved in-house")
    assert improved["rank"] == 1
    assert len(improved["yearly_costs"]) == 11
    assert {c["name"] for c in compete["criteria"]} >= {"Appointments kept and right first time"}
    assert compete["compulsory_competition"]["required"] is True
    assert compete["tornado"] and compete["decision"]


def test_actions_have_a_trajectory_towards_the_top_quartile(db):
    snapshot = review_snapshot(db, 1)
    action = next(a for a in snapshot["actions"] if a["indicator"] == "BV73")
    row = next(r for r in snapshot["compare"]["indicators"] if r["code"] == "BV73")
    # From the data's 2009/10 value (the baseline) to 9.0 days in 2014/15, a fifth a year.
    start = row["value"]
    assert [round(p["value"], 2) for p in action["trajectory"]] == [
        round(start + (9.0 - start) * k / 5, 2) for k in range(6)]
    assert action["trajectory"][0]["value"] == start
    assert action["top_quartile"] == row["p25"]  # lower is better: the top quartile is p25


def test_evidence_is_indexed_by_hash_not_copied(db):
    evidence = review_snapshot(db, 1)["evidence"]
    with db.read() as session:
        stored = session.query(Evidence).filter_by(review_id=1).all()
        assert sorted(e["sha256"] for e in evidence) == sorted(
            hashlib.sha256(s.content).hexdigest() for s in stored)
    assert all("content" not in e for e in evidence)


def test_a_review_at_an_early_stage_still_snapshots(db):
    snapshot = review_snapshot(db, 2)
    assert snapshot["review"]["stage"] == "consult"
    assert snapshot["judgements"] == []
    # A telephone survey without satisfaction counts: a response rate but no satisfaction.
    assert snapshot["consult"][0]["response_rate"] == pytest.approx(43.0)
    assert snapshot["consult"][0]["satisfaction"] is None


def test_unknown_review_is_refused(db):
    with pytest.raises(InputRefused, match="no review 99"):
        review_snapshot(db, 99)


def test_landlord_contact_and_board_meeting_reach_the_snapshot(demo_db_path):
    from sqlalchemy import select

    from bvdesk.operations.editing import update_field
    from bvdesk.store.models import Organisation

    database = Database.open(demo_db_path, write=True)
    try:
        with database.read() as session:
            own = session.scalar(select(Organisation.id).where(Organisation.is_self))
        update_field(database, "landlord", own, "contact_phone", "0113 496 0000")
        update_field(database, "landlord", own, "get_involved", "Join the repairs panel.")
        update_field(database, "review", 2, "board_meeting_date", "2010-07-20")
        update_field(database, "review", 2, "board_agenda_ref", "Item 7")
        snapshot = review_snapshot(database, 2)
    finally:
        database.close()
    assert snapshot["landlord"]["phone"] == "0113 496 0000"
    assert snapshot["landlord"]["get_involved"] == "Join the repairs panel."
    assert snapshot["review"]["board_meeting_date"] == "2010-07-20"
    assert snapshot["review"]["board_agenda_ref"] == "Item 7"
