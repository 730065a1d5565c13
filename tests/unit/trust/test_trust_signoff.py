"""Sign-off freezes a review through every path; reopening starts a new version, keeps the old."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from bvdesk.cli import main
from bvdesk.errors import InputRefused, ReviewLocked
from bvdesk.operations.signoff import reopen, sign_off, signed_off_snapshot, signoffs
from bvdesk.operations.snapshot import review_snapshot
from bvdesk.store.db import Database
from bvdesk.store.models import AuditEntry, ChallengeItem, CostLine, Option, Review, SignOff

#: Demo reviews are not complete: sign-off needs a reason to override the readiness check.
INTERIM = "Interim sign-off for the test"

REVIEW = 1


@pytest.fixture
def db(demo_db_path: Path):
    with Database.open(demo_db_path, user="tester") as database:
        yield database


def test_sign_off_stores_the_snapshot_and_locks_the_review(db: Database) -> None:
    expected = review_snapshot(db, REVIEW)
    record = sign_off(db, REVIEW, "Jo Chair", note="Board 12 March", override_reason=INTERIM)
    assert (record.version, record.by, record.note) == (1, "Jo Chair", "Board 12 March")
    frozen = signed_off_snapshot(db, REVIEW)
    assert frozen["signoff"]["by"] == "Jo Chair"
    assert {**frozen, "signoff": None} == expected
    with db.read() as session:
        assert session.get(Review, REVIEW).locked
        who = session.scalars(select(AuditEntry.user).where(
            AuditEntry.entity == "signoff")).all()
    assert set(who) == {"tester"}


def test_the_stored_snapshot_does_not_follow_later_changes(db: Database) -> None:
    sign_off(db, REVIEW, "Jo Chair", override_reason=INTERIM)
    frozen = signed_off_snapshot(db, REVIEW)
    reopen(db, REVIEW, "Jo Chair", "Board asked for a fourth option")
    with db.session() as session:
        session.get(Review, REVIEW).title = "Retitled after reopening"
    assert signed_off_snapshot(db, REVIEW, version=1) == frozen
    assert frozen["review"]["title"] != "Retitled after reopening"


@pytest.mark.parametrize("edit", ["title", "challenge answer", "cost line", "new option",
                                  "delete challenge"])
def test_every_orm_change_under_a_signed_off_review_is_refused(db: Database, edit: str) -> None:
    sign_off(db, REVIEW, "Jo Chair", override_reason=INTERIM)
    before = review_snapshot(db, REVIEW)
    with pytest.raises(ReviewLocked, match="Review 1 is signed off and read-only"), \
            db.session() as session:
        review = session.get(Review, REVIEW)
        if edit == "title":
            review.title = "Quietly changed"
        elif edit == "challenge answer":
            review.challenges[0].answer = "Quietly changed"
        elif edit == "cost line":
            line = session.scalars(select(CostLine).join(Option).where(
                Option.review_id == REVIEW)).first()
            line.amounts = [0.0 for _ in line.amounts]
        elif edit == "new option":
            session.add(Option(review_id=REVIEW, name="Sneaked in", kind="in_house"))
        else:
            session.delete(session.scalars(select(ChallengeItem).where(
                ChallengeItem.review_id == REVIEW)).first())
    assert review_snapshot(db, REVIEW) == before


def test_reopen_starts_a_new_version_and_keeps_the_signed_off_one(db: Database) -> None:
    sign_off(db, REVIEW, "Jo Chair", override_reason=INTERIM)
    reopened = reopen(db, REVIEW, "Sam Lead", "Tenants' panel asked for a re-score")
    assert (reopened.version, reopened.reopened_by) == (1, "Sam Lead")
    with db.session() as session:  # editable again
        session.get(Review, REVIEW).challenges[0].answer = "Re-scored with the panel"
    second = sign_off(db, REVIEW, "Jo Chair", override_reason=INTERIM)
    assert second.version == 2
    history = signoffs(db, REVIEW)
    assert [(r.version, r.reopen_reason) for r in history] == [
        (1, "Tenants' panel asked for a re-score"), (2, None)]
    assert signed_off_snapshot(db, REVIEW, 1)["review"]["version"] == 1
    assert signed_off_snapshot(db, REVIEW, 2)["review"]["version"] == 2
    with db.read() as session:
        assert session.scalar(select(SignOff.id).where(SignOff.version == 1)) is not None


def test_refusals_say_what_to_do(db: Database) -> None:
    with pytest.raises(InputRefused, match="not signed off"):
        reopen(db, REVIEW, "Sam", "why")
    db.clock = lambda: dt.datetime(2010, 3, 5, 10, 30)
    sign_off(db, REVIEW, "Jo Chair", override_reason=INTERIM)
    with pytest.raises(InputRefused, match="already signed off by Jo Chair on 5 March 2010") \
            as signed:
        sign_off(db, REVIEW, "Someone Else", override_reason=INTERIM)
    assert signed.value.message.endswith("Reopen it first to sign off a new version.")
    with pytest.raises(InputRefused) as no_reason:
        reopen(db, REVIEW, "Sam", "  ")
    assert no_reason.value.message == "Give the reason for reopening it."
    with pytest.raises(InputRefused) as nobody:
        sign_off(db, 2, "")
    assert nobody.value.message == "Give the name of the person signing off."
    with pytest.raises(InputRefused, match="no review 99"):
        sign_off(db, 99, "Jo")


def test_cli_signoff_reopen_and_versions(demo_db_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(demo_db_path)]
    assert main(["signoff", "2", "--by", "Jo Chair", "--override-reason", INTERIM, *db]) == 0
    assert "signed off by Jo Chair" in capsys.readouterr().out
    assert main(["review", "signoff", "2", "--by", "Jo Chair", "--override-reason", INTERIM,
                 *db]) == 1
    err = capsys.readouterr().err
    assert "already signed off" in err and "'bvdesk review reopen 2 --by NAME" in err
    assert main(["review", "reopen", "2", "--by", "Sam", "--reason", "Typo in scope", *db]) == 0
    assert "reopened as version 2" in capsys.readouterr().out
    assert main(["review", "versions", "2", "--json", *db]) == 0
    [version] = json.loads(capsys.readouterr().out)
    assert (version["version"], version["reopen_reason"]) == (1, "Typo in scope")


def test_the_cli_records_who_signed_off_and_reopened_in_the_audit_log(
        demo_db_path: Path) -> None:
    db = ["--db", str(demo_db_path)]
    assert main(["signoff", "3", "--by", "Jo Chair", "--override-reason", INTERIM, "--user",
                 "jo.chair", *db]) == 0
    assert main(["review", "reopen", "3", "--by", "Sam Lead", "--reason", "Typo",
                 "--user", "sam.lead", *db]) == 0
    with Database.open(demo_db_path, write=False) as database, database.read() as session:
        entries = session.execute(select(AuditEntry.user, AuditEntry.field, AuditEntry.new)
                                  .where(AuditEntry.action == "update",
                                         AuditEntry.entity == "review",
                                         AuditEntry.entity_id == "3",
                                         AuditEntry.user != "demo")).all()
    # Reopening also clears the board's approval of version 1 (kept in its snapshot).
    assert sorted(tuple(e) for e in entries) == [("jo.chair", "locked", "true"),
                                                 ("sam.lead", "board_approval_date", None),
                                                 ("sam.lead", "board_minute_ref", ""),
                                                 ("sam.lead", "locked", "false"),
                                                 ("sam.lead", "version", "2")]
