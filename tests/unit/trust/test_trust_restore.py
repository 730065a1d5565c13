"""bvdesk restore: back to a backup, keeping the file it replaces; rotation; refusals."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest

from bvdesk.cli import main
from bvdesk.errors import BvdeskError, FileProblem
from bvdesk.operations.restore import restore
from bvdesk.operations.settings import set_setting
from bvdesk.store.backup import list_backups
from bvdesk.store.db import Database, integrity_problems
from bvdesk.store.models import Review


def _title(path: Path) -> str:
    with Database.open(path, write=False) as db, db.read() as session:
        return session.get(Review, 1).title


def _backup(path: Path, folder: Path) -> Path:
    with Database.open(path, write=False) as db:
        return db.backup(folder / "b.sqlite")


def _retitle(path: Path, title: str) -> None:
    with Database.open(path) as db, db.session() as session:
        session.get(Review, 1).title = title


def test_restore_brings_the_backup_back_and_keeps_the_replaced_file(
        demo_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    backup = tmp_path / "friday.sqlite"
    assert main(["backup", "-o", str(backup), "--db", str(demo_db_path)]) == 0
    original = _title(demo_db_path)
    _retitle(demo_db_path, "Changed after the backup")

    assert main(["restore", str(backup), "--db", str(demo_db_path)]) == 0
    out = capsys.readouterr().out
    assert "Restored" in out and "before restore.bvdesk" in out

    assert _title(demo_db_path) == original
    assert integrity_problems(demo_db_path) == []
    kept = [b for b in list_backups(demo_db_path) if "before restore" in b.name]
    assert len(kept) == 1 and _title(kept[0]) == "Changed after the backup"


@pytest.mark.parametrize("content", [b"just some text\n", b""])
def test_restore_refuses_a_file_that_is_not_a_bvdesk_database(
        demo_db_path: Path, tmp_path: Path, content: bytes,
        capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "notes.sqlite"
    bogus.write_bytes(content)
    before = hashlib.sha256(demo_db_path.read_bytes()).hexdigest()
    assert main(["restore", str(bogus), "--db", str(demo_db_path)]) == 2
    assert "not a bvdesk database" in capsys.readouterr().err
    assert hashlib.sha256(demo_db_path.read_bytes()).hexdigest() == before
    assert list_backups(demo_db_path) == []


def test_restore_refuses_another_programs_sqlite_file(demo_db_path: Path,
                                                      tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    connection.close()
    with pytest.raises(FileProblem, match=r"other\.sqlite is not a bvdesk database"):
        restore(demo_db_path, other)


def test_restore_refuses_while_the_database_is_open_for_writing(demo_db_path: Path,
                                                                tmp_path: Path) -> None:
    backup = _backup(demo_db_path, tmp_path)
    with Database.open(demo_db_path), pytest.raises(BvdeskError, match="already open for "
                                                                        "writing"):
        restore(demo_db_path, backup)


def test_restore_over_a_damaged_file_keeps_a_copy_of_it(demo_db_path: Path,
                                                             tmp_path: Path) -> None:
    backup = _backup(demo_db_path, tmp_path)
    data = bytearray(demo_db_path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # wreck the second page, keep the header
    demo_db_path.write_bytes(bytes(data))
    result = restore(demo_db_path, backup)
    assert integrity_problems(demo_db_path) == []
    assert result.previous is not None
    assert result.previous.read_bytes()[4096:8192] == b"\xff" * 4096
    assert integrity_problems(result.previous) != []


def test_rotation_keeps_the_configured_number(demo_db_path: Path, tmp_path: Path) -> None:
    backup = tmp_path / "b.sqlite"
    with Database.open(demo_db_path) as db:
        set_setting(db, "backups_kept", 2)
        db.backup(backup)
    for day in range(1, 5):
        restore(demo_db_path, backup, now=dt.datetime(2030, 1, day, 9, 0))
    kept = list_backups(demo_db_path)
    assert [b.name for b in kept] == ["demo backup 2030-01-04 0900 before restore.bvdesk",
                                      "demo backup 2030-01-03 0900 before restore.bvdesk"]
    restore(demo_db_path, backup, keep=1, now=dt.datetime(2030, 1, 9, 9, 0))
    assert len(list_backups(demo_db_path)) == 1
