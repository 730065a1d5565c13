"""bvdesk check finds the first audit entry edited or removed behind bvdesk's back."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from bvdesk.cli import main
from bvdesk.store.audit import Change, entry_hash


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
