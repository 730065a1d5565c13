"""The audit log records every change, chained, and the sign-off lock refuses changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from engines import is_server, raw_sql
from sqlalchemy import select

from bvdesk.errors import ReviewLocked
from bvdesk.operations.check import check_database
from bvdesk.operations.reviews import create_review
from bvdesk.store.db import Database
from bvdesk.store.models import AuditEntry, ChallengeItem, Review


def test_every_field_change_is_recorded_with_who_old_and_new(tmp_db_path: Path) -> None:
    with Database.open(tmp_db_path, user="alice") as db:
        review_id = create_review(db, "repairs", "Repairs review")
        with db.session() as session:
            review = session.get(Review, review_id)
            assert review is not None
            review.title = "Repairs review 2010"
        with db.read() as session:
            entries = [(e.action, e.old, e.new, e.user) for e in session.scalars(
                select(AuditEntry).where(AuditEntry.entity == "review",
                                         AuditEntry.field == "title"))]
        # On a server the log records the server login, whatever name the client gives.
        who = raw_sql(tmp_db_path, "SELECT current_user")[0][0] if is_server(tmp_db_path) \
            else "alice"
    assert entries == [
        ("insert", None, "Repairs review", who),
        ("update", "Repairs review", "Repairs review 2010", who)]
    assert check_database(tmp_db_path) == []


def test_an_entry_edited_behind_bvdesks_back_breaks_the_chain(tmp_db_path: Path) -> None:
    with Database.open(tmp_db_path) as db:
        create_review(db, "repairs", "Repairs review")
    target = raw_sql(tmp_db_path, "SELECT id FROM audit_log WHERE field = 'title'")[0][0]
    raw_sql(tmp_db_path, "UPDATE audit_log SET new = 'Something else' WHERE id = ?", (target,))
    problems = check_database(tmp_db_path)
    assert problems[0] == (f"audit: audit entry {target} (review 1, "
                           f"{_at(tmp_db_path, target)}) was changed after it was written")


def _at(path: Path, entry: int) -> str:
    return raw_sql(path, "SELECT at FROM audit_log WHERE id = ?", (entry,))[0][0]


def test_a_signed_off_review_refuses_changes(tmp_db_path: Path) -> None:
    with Database.open(tmp_db_path) as db:
        review_id = create_review(db, "repairs", "Repairs review")
        with db.session() as session:
            session.get(Review, review_id).locked = True  # type: ignore[union-attr]
        with pytest.raises(ReviewLocked, match="signed off and read-only"):
            with db.session() as session:
                item = session.scalars(select(ChallengeItem)).first()
                assert item is not None
                item.answer = "changed"
        with db.read() as session:
            assert all(c.answer == "" for c in session.scalars(select(ChallengeItem)))


def test_check_finds_a_data_row_edited_behind_bvdesks_back(tmp_db_path: Path) -> None:
    with Database.open(tmp_db_path) as db:
        create_review(db, "repairs", "Repairs review")
    raw_sql(tmp_db_path, "UPDATE review SET title = 'Quietly renamed' WHERE id = 1")
    problems = check_database(tmp_db_path)
    assert len(problems) == 1 and "review" in problems[0] and "title" in problems[0]
