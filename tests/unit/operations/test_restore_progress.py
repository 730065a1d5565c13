"""Restoring a backup reports its progress through the copy and can be cancelled part-way,
leaving the database exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from bvdesk.errors import Cancelled
from bvdesk.operations.restore import restore
from bvdesk.store.db import Database, integrity_problems
from bvdesk.store.models import Review

#: Restoring replaces a database file; a server is restored by its own tools.
pytestmark = pytest.mark.sqlite_only


def _title(path: Path) -> str:
    with Database.open(path, write=False) as db, db.read() as session:
        return session.get(Review, 1).title


def _prepared(demo_db_path: Path, tmp_path: Path) -> Path:
    with Database.open(demo_db_path, write=False) as db:
        backup = db.backup(tmp_path / "friday.sqlite")
    with Database.open(demo_db_path) as db, db.session() as session:
        session.get(Review, 1).title = "Changed after the backup"
    return backup


def test_progress_runs_through_the_copy_to_one(demo_db_path: Path, tmp_path: Path) -> None:
    backup = _prepared(demo_db_path, tmp_path)
    seen: list[float] = []
    restore(demo_db_path, backup, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert len([f for f in seen if 0.5 < f < 1.0]) >= 2, "no progress while copying"
    assert _title(demo_db_path) != "Changed after the backup"


def test_cancel_during_the_copy_leaves_the_database_as_it_was(
        demo_db_path: Path, tmp_path: Path) -> None:
    backup = _prepared(demo_db_path, tmp_path)
    seen: list[float] = []
    with pytest.raises(Cancelled, match="as it was"):
        restore(demo_db_path, backup, progress=seen.append,
                cancelled=lambda: bool(seen) and seen[-1] > 0.6)
    assert seen[-1] < 1.0
    assert _title(demo_db_path) == "Changed after the backup"
    assert integrity_problems(demo_db_path) == []
