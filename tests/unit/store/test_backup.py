"""Automatic backups: kept in rotation, tidy after interruptions, never blocking quietly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bvdesk.errors import FileProblem
from bvdesk.operations.settings import set_setting
from bvdesk.paths import backup_dir
from bvdesk.store.backup import list_backups, rotating_backup
from bvdesk.store.db import Database

#: Rotating file backups beside the database: a server is backed up by its own tools.
pytestmark = pytest.mark.sqlite_only


def test_rotation_keeps_the_number_the_landlord_set(tmp_db_path: Path) -> None:
    with Database.open(tmp_db_path) as db:
        set_setting(db, "backups_kept", 3)
    for taken_on_opening in list_backups(tmp_db_path):
        taken_on_opening.unlink()
    for day in range(1, 7):
        rotating_backup(tmp_db_path, reason="daily", force=True, now=dt.datetime(2010, 1, day, 9))
    names = [b.name for b in list_backups(tmp_db_path)]
    assert names == [f"landlord-2010010{d}-090000-daily.sqlite" for d in (6, 5, 4)]


def test_a_daily_backup_is_taken_once_a_day_on_opening_for_writing(tmp_db_path: Path) -> None:
    for _ in range(3):
        Database.open(tmp_db_path, write=True).close()
    assert len(list_backups(tmp_db_path)) == 1
    Database.open(tmp_db_path, write=False).close()
    assert len(list_backups(tmp_db_path)) == 1


def test_leftovers_of_an_interrupted_backup_are_cleared(tmp_db_path: Path) -> None:
    folder = backup_dir(tmp_db_path)
    folder.mkdir()
    stale = folder / "landlord-20100101-090000-daily.sqlite.partial"
    stale.write_bytes(b"half a backup")
    (folder / (stale.name + "-journal")).write_bytes(b"journal")
    rotating_backup(tmp_db_path, reason="daily", force=True)
    assert sorted(p.suffix for p in folder.iterdir()) == [".sqlite"]


def test_a_failed_daily_backup_says_why_and_releases_the_file(tmp_db_path: Path) -> None:
    backup_dir(tmp_db_path).write_text("a file where the backup folder should be")
    for _ in range(2):  # the second attempt must not find the file still locked
        with pytest.raises(FileProblem, match="Cannot create"):
            Database.open(tmp_db_path, write=True)
