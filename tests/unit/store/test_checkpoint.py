"""A large save does not wait while SQLite copies its write-ahead log into the file: a thread
of its own does that after the commit, and nothing is lost on the way."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from bvdesk.domain.names import match_key
from bvdesk.store.db import Database
from bvdesk.store.models import Organisation, table_of

PEERS = 50_000  # some 6 MB of pages: past the 4 MB mark


def _add_peers(db: Database) -> None:
    with db.session() as session:
        session.connection().execute(table_of(Organisation).insert(), [
            {"name": f"Peer {n:05d} Housing", "match_key": match_key(f"Peer {n:05d} Housing"),
             "is_self": False} for n in range(PEERS)])


def _peers_in_file_alone(path: Path, tmp_path: Path) -> int:
    """The peers the database file holds without its log (as a copy of it alone shows)."""
    alone = tmp_path / "alone.sqlite"
    shutil.copyfile(path, alone)
    with sqlite3.connect(alone) as connection:
        return int(connection.execute(
            "SELECT count(*) FROM organisation WHERE name LIKE 'Peer %'").fetchone()[0])


def _homes_in_file_alone(path: Path, tmp_path: Path) -> int:
    alone = tmp_path / "alone-homes.sqlite"
    shutil.copyfile(path, alone)
    with sqlite3.connect(alone) as connection:
        return int(connection.execute("SELECT homes FROM organisation WHERE id = 1").fetchone()[0])


@pytest.mark.sqlite_only
def test_a_large_save_is_copied_into_the_file_after_its_commit(tmp_db_path: Path,
                                                               tmp_path: Path) -> None:
    log = tmp_db_path.with_name(tmp_db_path.name + "-wal")
    with Database.open(tmp_db_path, write=True, user="tester") as db:
        _add_peers(db)
        deadline = time.monotonic() + 30
        while _peers_in_file_alone(tmp_db_path, tmp_path) != PEERS:  # while the database is open
            assert time.monotonic() < deadline, "the log was not copied into the file"
            time.sleep(0.05)
        # Once copied, the log starts again small at the next save, which is not worth a copy.
        with db.session() as session:
            session.get(Organisation, 1).homes = 3001  # type: ignore[union-attr]
        assert log.stat().st_size <= 1024 * 1024
        time.sleep(0.2)
        assert _homes_in_file_alone(tmp_db_path, tmp_path) == 3000
        with db.read() as session:
            assert session.query(Organisation).count() == PEERS + 1


@pytest.mark.sqlite_only
def test_small_saves_stay_in_the_log_until_the_file_is_closed(tmp_db_path: Path,
                                                             tmp_path: Path) -> None:
    """No commit copies the log into the file itself (SQLite would, at its mark, inside the
    commit the user waits for); small ones are not worth a copy until the file is closed."""
    with Database.open(tmp_db_path, write=True, user="tester") as db:
        for homes in range(3001, 3006):
            with db.session() as session:
                session.get(Organisation, 1).homes = homes  # type: ignore[union-attr]
        assert _homes_in_file_alone(tmp_db_path, tmp_path) == 3000
        with db.read() as session:
            assert session.get(Organisation, 1).homes == 3005  # type: ignore[union-attr]
    assert _homes_in_file_alone(tmp_db_path, tmp_path) == 3005
    assert not tmp_db_path.with_name(tmp_db_path.name + "-wal").exists()
