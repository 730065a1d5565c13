"""One readiness check before sign-off: what is missing and what contradicts itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from bvdesk.cli import main
from bvdesk.domain.readiness import Finding
from bvdesk.domain.vocabulary import Stage
from bvdesk.operations.dashboard import review_needs
from bvdesk.operations.editing import list_rows, update_field
from bvdesk.operations.readiness import NotReady, check_review
from bvdesk.operations.signoff import sign_off, signed_off_snapshot
from bvdesk.store.db import Database
from bvdesk.store.models import Action, AuditEntry

VOIDS = 2


@pytest.fixture
def db(demo_db_path: Path):
    database = Database.open(demo_db_path)
    yield database
    database.close()


def test_missing_items_are_the_stages_still_needed(db: Database) -> None:
    ready = check_review(db, VOIDS)
    assert not ready.clean
    texts = [f.text for f in ready.missing]
    assert "Appraise at least three options (2 so far)." in texts
    assert "Write the value for money statement." in texts
    assert not any(t.startswith("Complete the earlier stages") for t in texts)
    assert {f.stage for f in ready.missing} >= {Stage.COMPETE, Stage.SIGN_OFF}


def test_a_wrong_typed_baseline_and_an_unreadable_figure_are_contradictions(
        db: Database) -> None:
    action = next(row for row in list_rows(db, "action", 1) if row["indicator_id"])
    with db.session() as session:  # typed before the indicator was linked
        stored = session.get(Action, action.id)
        stored.baseline_value, stored.baseline_year = 1.0, 2009
    answer = list_rows(db, "challenge_item", 1)[0]
    update_field(db, "challenge_item", answer.id, "answer", "Repairs cost {{CPP-R}}.")
    texts = [f.text for f in check_review(db, 1).contradictions]
    assert any(t.startswith(f"Action 1 “{action['title']}”: the baseline typed, 1.0")
               for t in texts), texts
    assert ("Challenge question 1: the live figure {{CPP-R}} cannot be read: there is no "
            "indicator CPP-R.") in texts


def test_an_external_price_without_a_source_is_still_needed_at_compete_until_given(
        db: Database) -> None:
    # It was listed only as a contradiction, so the Compete stage showed "Complete" (and its
    # tick) while sign-off was refused for a Compete item.
    option = next(row for row in list_rows(db, "option", 1) if row["kind"] == "external")
    update_field(db, "option", option.id, "price_source", None)
    needed = f"Option 3 “{option['name']}”: say where its contract price comes from (a " \
             "quotation, a tender, a soft market test or our own estimate)."
    ready = check_review(db, 1)
    assert Finding(Stage.COMPETE, needed) in ready.missing
    assert not any("say where" in f.text for f in ready.contradictions)
    assert needed in review_needs(db, 1).missing(Stage.COMPETE)
    update_field(db, "option", option.id, "price_source", "tender")
    assert not any("say where" in f.text for f in check_review(db, 1).missing)
    # An option of our own, or one with no contract price yet, has no price to source.
    in_house = next(row for row in list_rows(db, "option", 1) if row["kind"] == "in_house")
    update_field(db, "option", in_house.id, "price_source", None)
    assert not any("say where" in f.text for f in check_review(db, 1).missing)


def test_sign_off_refuses_while_anything_is_outstanding(db: Database) -> None:
    ready = check_review(db, VOIDS)
    with pytest.raises(NotReady) as refused:
        sign_off(db, VOIDS, "Jo Chair")
    assert refused.value.outstanding == ready.outstanding
    assert "cannot be signed off yet" in refused.value.message
    assert ready.outstanding[0] in refused.value.message
    with db.read() as session:
        assert not session.scalars(select(AuditEntry).where(
            AuditEntry.entity == "signoff")).all()


def test_an_override_reason_signs_off_and_is_kept_in_the_audit_and_the_document(
        db: Database) -> None:
    outstanding = check_review(db, VOIDS).outstanding
    sign_off(db, VOIDS, "Jo Chair", override_reason="Board asked for an interim sign-off")
    with db.read() as session:
        logged = session.scalars(select(AuditEntry.new).where(
            AuditEntry.entity == "signoff", AuditEntry.field == "override_reason")).all()
    assert logged == ["Board asked for an interim sign-off"]
    signoff = signed_off_snapshot(db, VOIDS)["signoff"]
    assert signoff["override_reason"] == "Board asked for an interim sign-off"
    assert signoff["outstanding"] == list(outstanding)


def test_cli_check_review_prints_the_findings(demo_db_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--review", str(VOIDS), "--db", str(demo_db_path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"Review {VOIDS} is not ready to sign off:")
    assert "Appraise at least three options (2 so far)." in out
    assert main(["check", "--review", str(VOIDS), "--json", "--db", str(demo_db_path)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["review"] == VOIDS and data["ready"] is False
    assert {"stage": "compete", "stage_label": "Compete",
            "text": "Appraise at least three options (2 so far)."} in data["missing"]
    assert data["contradictions"] == []


def test_cli_signoff_exits_1_listing_what_is_outstanding_then_takes_an_override(
        demo_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(demo_db_path)]
    assert main(["signoff", str(VOIDS), "--by", "Jo Chair", *db]) == 1
    err = capsys.readouterr().err
    assert "Appraise at least three options (2 so far)." in err
    assert "--override-reason" in err
    assert main(["signoff", str(VOIDS), "--by", "Jo Chair", "--override-reason",
                 "Interim sign-off for the board", *db]) == 0
    assert "overriding" in capsys.readouterr().out
