"""A backup opened in the app: read-only, saying what it is a backup of; restoring it from there
replaces the database it was taken of, and leaves the backup as it was."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from bvdesk.errors import BackupNotChanged
from bvdesk.operations import editing
from bvdesk.operations.opening import open_database, restore_backup
from bvdesk.operations.restore import RestoreResult, backups_of, restore
from bvdesk.store.backup import rotating_backup

#: Backups are of database files; a server is backed up by its own tools.
pytestmark = pytest.mark.sqlite_only


def _title(path: Path) -> str:
    opened = open_database(path, user="test")
    with opened.db as db:
        return str(editing.get_row(db, "review", 1)["title"])


def test_a_backup_opens_read_only_and_restores_into_its_database(demo_db_path: Path) -> None:
    original = _title(demo_db_path)
    backup = rotating_backup(demo_db_path, reason="manual", force=True)
    with open_database(demo_db_path, user="test").db as db:
        editing.update_field(db, "review", 1, "title", "Changed after the backup")
    digest = hashlib.sha256(backup.read_bytes()).hexdigest()

    opened = open_database(backup, user="test")
    assert opened.db.read_only and opened.landlord.name == "Northvale Homes"
    assert opened.db.backup_of is not None
    assert opened.db.backup_of.source == demo_db_path.resolve()
    with pytest.raises(BackupNotChanged, match="A backup stays as it was taken, so nothing is "
                                               "changed in it: to go back to it, restore it "
                                               f"into {demo_db_path.name}"):
        editing.update_field(opened.db, "review", 1, "title", "Typed into the backup")
    reopened, outcome = restore_backup(opened.db, backup, user="test")
    with reopened.db as db:
        assert isinstance(outcome, RestoreResult)
        assert (outcome.database, db.path) == (demo_db_path.resolve(), demo_db_path.resolve())
        assert db.backup_of is None and not db.read_only
        assert editing.get_row(db, "review", 1)["title"] == original
    assert hashlib.sha256(backup.read_bytes()).hexdigest() == digest


def test_a_refused_restore_from_an_open_backup_leaves_the_backup_open(
        demo_db_path: Path) -> None:
    backup = rotating_backup(demo_db_path, reason="manual", force=True)
    writer = open_database(demo_db_path, user="someone else")  # the database is in use
    try:
        reopened, outcome = restore_backup(open_database(backup, user="test").db, backup,
                                           user="test")
    finally:
        writer.db.close()
    with reopened.db as db:
        assert db.path == backup and db.backup_of is not None
    assert not isinstance(outcome, RestoreResult)
    assert "open for writing" in outcome.message


def test_nothing_is_restored_into_a_backup(demo_db_path: Path) -> None:
    first = rotating_backup(demo_db_path, reason="manual", force=True,
                            now=dt.datetime(2026, 12, 1, 9))
    second = rotating_backup(demo_db_path, reason="manual", force=True,
                             now=dt.datetime(2026, 12, 2, 9))
    digest = hashlib.sha256(second.read_bytes()).hexdigest()
    with pytest.raises(BackupNotChanged, match=f"restore {first.name} into "
                                               f"{demo_db_path.name} instead"):
        restore(second, first)
    assert hashlib.sha256(second.read_bytes()).hexdigest() == digest


def test_the_backups_listed_say_when_and_why_they_were_taken(demo_db_path: Path) -> None:
    for taken_on_opening in backups_of(demo_db_path):
        taken_on_opening.path.unlink()
    rotating_backup(demo_db_path, reason="before-restore", force=True,
                    now=dt.datetime(2026, 12, 2, 14, 5, 9))
    earlier = demo_db_path.parent / "demo-backups" / "demo-20261130-090000-daily.sqlite"
    earlier.write_bytes(demo_db_path.read_bytes())
    assert [b.to_json() for b in backups_of(demo_db_path)] == [
        {"file": str(demo_db_path.parent / "demo-backups" /
                     "demo backup 2026-12-02 1405 before restore.bvdesk"),
         "taken_at": "2026-12-02T14:05:09", "reason": "before-restore"},
        {"file": str(earlier), "taken_at": None, "reason": None}]
