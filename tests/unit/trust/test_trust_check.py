"""bvdesk check finds the first audit entry edited or removed behind bvdesk's back, and the
data replayed against the log finds rows edited behind its back."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from bvdesk.cli import main
from bvdesk.operations import editing
from bvdesk.operations.audit_replay import row_problems
from bvdesk.operations.packages import export_review, import_review
from bvdesk.operations.signoff import reopen, sign_off
from bvdesk.store.audit import Change, entry_hash
from bvdesk.store.db import Database

#: Demo reviews are not complete: sign-off needs a reason to override the readiness check.
INTERIM = "Interim sign-off for the test"


def _sql(path: Path, statement: str) -> None:
    """What someone with the sqlite3 shell could do, bypassing bvdesk."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute(statement)
        connection.commit()


def _check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "--db", str(path)])
    return code, capsys.readouterr().out


def test_the_demo_database_is_clean(demo_db_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert _check(demo_db_path, capsys) == (0, "No problems found.\n")


def test_an_edited_audit_entry_is_reported_as_the_first_broken_one(
        demo_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _sql(demo_db_path, "UPDATE audit_log SET new = 'Quietly changed' WHERE id = 120")
    _sql(demo_db_path, "UPDATE audit_log SET user = 'someone else' WHERE id = 300")
    code, out = _check(demo_db_path, capsys)
    assert code == 1
    assert "audit entry 120 " in out and "was changed after it was written" in out
    assert "audit entry 300" not in out  # the first broken entry is the one reported


def test_a_removed_audit_entry_is_reported(demo_db_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    _sql(demo_db_path, "DELETE FROM audit_log WHERE id = 50")
    code, out = _check(demo_db_path, capsys)
    assert code == 1
    assert "audit entry 51 does not follow the entry before it" in out


def test_a_rehashed_entry_still_breaks_the_chain_after_it(
        demo_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Recomputing one entry's hash is not enough to hide an edit: the next one no longer
    follows it."""
    with contextlib.closing(sqlite3.connect(demo_db_path)) as connection:
        row = connection.execute("SELECT prev_hash, at, user, action, entity, entity_id, field, "
                                 "old FROM audit_log WHERE id = 200").fetchone()
        prev, at, user, action, entity, entity_id, field, old = row
        digest = entry_hash(prev, at, user, Change(action, entity, entity_id, field, old,
                                                   "Quietly changed"))
        connection.execute("UPDATE audit_log SET new = 'Quietly changed', hash = ? "
                           "WHERE id = 200", (digest,))
        connection.commit()
    code, out = _check(demo_db_path, capsys)
    assert code == 1
    assert "audit entry 201 does not follow the entry before it" in out


# --- the data against the audit log (bvdesk.operations.audit_replay) -----------------------------


def _last_entry(path: Path, entity: str, entity_id: str, field: str) -> int:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return connection.execute(
            "SELECT max(id) FROM audit_log WHERE entity = ? AND entity_id = ? AND field = ?",
            (entity, entity_id, field)).fetchone()[0]


def test_everyday_work_leaves_the_data_matching_the_audit_log(
        demo_db_path: Path, tmp_path: Path, large_package: Path) -> None:
    with Database.open(demo_db_path) as db:
        sign_off(db, 1, "Jo Chair", override_reason=INTERIM)
        reopen(db, 1, "Jo Chair", "More options")
        editing.update_field(db, "review", 1, "title", "Repairs review, version 2")
        editing.add_row(db, "action", 1, {"title": "Appointments for all repairs"})
        option = editing.add_row(db, "option", 1, {"name": "Partnership"})
        editing.add_row(db, "cost_line", option.id, {"description": "Partner's price"})
        removed = editing.delete_row(db, "option", option.id)
        editing.restore_row(db, removed)
        export_review(db, 2, tmp_path / "voids.bvreview")
        import_review(db, large_package)
    assert row_problems(demo_db_path) == []


def test_a_data_row_edited_with_sqlite3_is_reported_with_the_entry_it_contradicts(
        demo_db_path: Path) -> None:
    entry = _last_entry(demo_db_path, "review", "1", "title")
    _sql(demo_db_path, "UPDATE review SET title = 'Quietly changed' WHERE id = 1")
    [problem] = row_problems(demo_db_path)
    assert problem.startswith("data: review 1 title is 'Quietly changed' in the database, but "
                              f"audit entry {entry} recorded")
    assert "changed behind bvdesk's back" in problem


def test_a_deleted_row_put_back_with_sqlite3_is_reported(demo_db_path: Path) -> None:
    with Database.open(demo_db_path) as db:
        action = editing.add_row(db, "action", 1, {"title": "Short-lived"})
        editing.delete_row(db, "action", action.id)
    _sql(demo_db_path, f"INSERT INTO action (id, review_id, title, owner, deliverable, "
                       f"milestones, status, finding, position) VALUES ({action.id}, 1, "
                       "'Back again', '', '', '', 'green', '', 99)")
    [problem] = row_problems(demo_db_path)
    assert f"action {action.id} exists, but audit entry" in problem
    assert "recorded its deletion" in problem
