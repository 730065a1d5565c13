"""Automatic backups: kept in rotation, tidy after interruptions, never blocking quietly; named
as bvdesk files, and opened only to be looked at, saying whose backup they are and when."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from bvdesk.errors import BackupNotChanged, FileProblem
from bvdesk.operations.settings import set_setting
from bvdesk.paths import backup_dir
from bvdesk.store.backup import backup_origin, list_backups, rotating_backup
from bvdesk.store.db import Database
from bvdesk.store.models import Organisation

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
    assert names == [f"landlord backup 2010-01-0{d} 0900 daily.bvdesk" for d in (6, 5, 4)]


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
    assert sorted(p.suffix for p in folder.iterdir()) == [".bvdesk"]


def test_a_failed_daily_backup_says_why_and_releases_the_file(tmp_db_path: Path) -> None:
    backup_dir(tmp_db_path).write_text("a file where the backup folder should be")
    for _ in range(2):  # the second attempt must not find the file still locked
        with pytest.raises(FileProblem, match="Cannot create"):
            Database.open(tmp_db_path, write=True)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_is_a_bvdesk_file_that_says_whose_it_is_and_when(tmp_db_path: Path) -> None:
    taken = rotating_backup(tmp_db_path, reason="manual", force=True,
                            now=dt.datetime(2026, 12, 2, 14, 5, 31))
    assert taken == backup_dir(tmp_db_path) / "landlord backup 2026-12-02 1405 manual.bvdesk"
    origin = backup_origin(taken)
    assert origin is not None
    assert (origin.source, origin.taken_at, origin.reason, origin.landlord) == (
        tmp_db_path.resolve(), dt.datetime(2026, 12, 2, 14, 5, 31), "manual", "Test Homes")
    assert origin.described(taken) == ("landlord backup 2026-12-02 1405 manual.bvdesk is a "
                                       "backup of Test Homes's database landlord.sqlite, taken "
                                       "on 2 December 2026 at 14:05.")
    assert backup_origin(tmp_db_path) is None
    # A second in the same minute gets a name of its own; a copy of a backup is the same backup.
    again = rotating_backup(tmp_db_path, reason="manual", force=True,
                            now=dt.datetime(2026, 12, 2, 14, 5, 50))
    assert again.name == "landlord backup 2026-12-02 1405 manual (2).bvdesk"
    with Database.open(taken, write=False) as backup:
        copy = backup.backup(tmp_db_path.parent / "on a stick.bvdesk")
    assert backup_origin(copy) == origin


def test_backups_earlier_versions_named_are_listed_with_the_new_newest_first(
        tmp_db_path: Path) -> None:
    for leftover in list_backups(tmp_db_path):
        leftover.unlink()
    folder = backup_dir(tmp_db_path)
    folder.mkdir(exist_ok=True)
    for name in ("landlord-20261130-090000-daily.sqlite", "landlord-20261202-093000-daily.sqlite"):
        shutil.copyfile(tmp_db_path, folder / name)
    (folder / "notes.txt").write_text("not a backup")
    (folder / "landlord backup 2026-13-45 0900 daily.bvdesk").write_text("no such day")
    (folder / "other backup 2026-12-03 0900 daily.bvdesk").write_bytes(b"another's")
    rotating_backup(tmp_db_path, reason="daily", force=True, now=dt.datetime(2026, 12, 1, 9))
    rotating_backup(tmp_db_path, reason="before-upgrade-0007", force=True,
                    now=dt.datetime(2026, 12, 3, 9))
    assert [b.name for b in list_backups(tmp_db_path)] == [
        "landlord backup 2026-12-03 0900 before upgrade.bvdesk",
        "landlord-20261202-093000-daily.sqlite",
        "landlord backup 2026-12-01 0900 daily.bvdesk",
        "landlord-20261130-090000-daily.sqlite"]
    rotating_backup(tmp_db_path, reason="daily", force=True, keep=2,
                    now=dt.datetime(2026, 12, 4, 9))
    assert [b.name for b in list_backups(tmp_db_path)] == [
        "landlord backup 2026-12-04 0900 daily.bvdesk",
        "landlord backup 2026-12-03 0900 before upgrade.bvdesk"]


def test_a_backup_opens_to_be_looked_at_and_is_never_changed(tmp_db_path: Path) -> None:
    backup = rotating_backup(tmp_db_path, reason="daily", force=True,
                             now=dt.datetime(2026, 12, 2, 9))
    before = _digest(backup)
    with pytest.raises(BackupNotChanged) as refused:
        Database.open(backup, write=True)
    assert refused.value.message == (
        "landlord backup 2026-12-02 0900 daily.bvdesk is a backup of Test Homes's database "
        "landlord.sqlite, taken on 2 December 2026 at 09:00. A backup stays as it was taken, so "
        "nothing is changed in it: to go back to it, restore it into landlord.sqlite.")
    assert (refused.value.backup, refused.value.source) == (backup, tmp_db_path.resolve())
    with Database.open(backup, write=False) as db:
        assert db.read_only and db.backup_of == backup_origin(backup)
        with db.read() as session:
            assert session.query(Organisation).filter(Organisation.is_self).one().name == \
                "Test Homes"
    assert _digest(backup) == before
    assert sorted(os.listdir(backup.parent)) == [backup.name], "a backup of the backup, or a lock"


def test_restoring_makes_the_backup_an_ordinary_database_again(tmp_db_path: Path,
                                                               tmp_path: Path) -> None:
    from bvdesk.operations.restore import restore

    backup = rotating_backup(tmp_db_path, reason="daily", force=True)
    (tmp_path / "elsewhere").mkdir()
    for target in (tmp_db_path, tmp_path / "elsewhere" / "new.bvdesk"):
        restore(target, backup)
        assert backup_origin(target) is None
        with Database.open(target, write=True), sqlite3.connect(target) as raw:
            assert raw.execute("SELECT count(*) FROM sqlite_master WHERE name = "
                               "'bvdesk_backup'").fetchone() == (0,)
        raw.close()
    assert backup_origin(backup) is not None
    assert not list(tmp_path.glob("**/.*restoring*")), "the ordinary copy was left behind"


def test_a_backup_copied_back_over_its_database_by_hand_is_the_database_again(
        tmp_db_path: Path) -> None:
    backup = rotating_backup(tmp_db_path, reason="daily", force=True,
                             now=dt.datetime(2026, 12, 1, 9))
    for companion in tmp_db_path.parent.glob(f"{tmp_db_path.name}-*"):
        companion.unlink()  # as a file manager's copy over the closed database leaves it
    shutil.copyfile(backup, tmp_db_path)
    assert backup_origin(tmp_db_path) is None
    with Database.open(tmp_db_path, write=True) as db:
        assert not db.read_only and db.backup_of is None
    with sqlite3.connect(tmp_db_path) as raw:
        assert raw.execute("SELECT count(*) FROM sqlite_master WHERE name = "
                           "'bvdesk_backup'").fetchone() == (0,)
    raw.close()
    later = rotating_backup(tmp_db_path, reason="manual", force=True,
                            now=dt.datetime(2026, 12, 3, 9))
    origin = backup_origin(later)
    assert origin is not None and origin.taken_at == dt.datetime(2026, 12, 3, 9)
