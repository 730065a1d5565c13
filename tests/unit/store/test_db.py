"""Opening, migrating, locking, backing up and checking a landlord's database."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, select

from bvdesk.errors import DatabaseProblem
from bvdesk.operations.check import check_database
from bvdesk.store.backup import list_backups
from bvdesk.store.db import APPLICATION_ID, Database, alembic_config, head_revision
from bvdesk.store.models import Base, Review


def _revision(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def test_new_database_is_migrated_to_head_and_matches_the_models(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    with Database.open(path, create=True) as db:
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == [], "the models and the migrations disagree: write a migration"
    assert _revision(path) == head_revision()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.sqlite_only
def test_reopening_an_up_to_date_file_changes_nothing(tmp_db_path: Path) -> None:
    before = tmp_db_path.read_bytes()
    Database.open(tmp_db_path, write=False).close()
    assert tmp_db_path.read_bytes() == before
    assert list_backups(tmp_db_path) == []  # no migration, so no pre-upgrade backup


def test_older_schema_is_backed_up_then_upgraded_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql("INSERT INTO service (code, name, description) "
                                   "VALUES ('repairs', 'Repairs', '')")
        connection.exec_driver_sql("INSERT INTO review (service_id, title, scope, objectives, "
                                   "stage, context, board_minute_ref, vfm_statement, version, "
                                   "locked, created_at) VALUES (1, 'Old review', '', '', "
                                   "'scope', '{}', '', '', 1, 0, '2009-01-01 00:00:00')")
    engine.dispose()
    with Database.open(path, write=False) as db, db.read() as session:
        assert session.scalar(select(Review.title)) == "Old review"
    assert _revision(path) == head_revision()
    backups = list_backups(path)
    assert [b.name.split(" ", 4)[-1] for b in backups] == ["before upgrade.bvdesk"]
    assert check_database(path) == []
    # The backup stays at the old schema, and is read through an upgraded private copy.
    with Database.open(backups[0], write=False) as old, old.read() as session:
        assert session.scalar(select(Review.title)) == "Old review"
        assert old.read_only and old.backup_of is not None
        assert old.backup_of.reason == "before-upgrade-0001"
        assert old.backup_of.source == path.resolve()
    assert _revision(backups[0]) == "0001"


@pytest.mark.sqlite_only
def test_a_newer_schema_is_refused_and_the_file_left_alone(tmp_db_path: Path) -> None:
    with sqlite3.connect(tmp_db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'from_the_future'")
    before = tmp_db_path.read_bytes()
    with pytest.raises(DatabaseProblem, match="newer version of bvdesk"):
        Database.open(tmp_db_path)
    assert tmp_db_path.read_bytes() == before


@pytest.mark.parametrize("content, message", [
    (b"Hello, this is a text file\n" * 10, "not an SQLite file"),
    (b"", "an unfinished bvdesk database"),
])
def test_files_that_are_not_bvdesk_databases_are_refused(tmp_path: Path, content: bytes,
                                                         message: str) -> None:
    path = tmp_path / "other.sqlite"
    path.write_bytes(content)
    with pytest.raises(DatabaseProblem, match=message):
        Database.open(path)


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "firefox.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE moz_places (id INTEGER)")
    with pytest.raises(DatabaseProblem, match="not a bvdesk database"):
        Database.open(path)


_HOLD_OPEN = textwrap.dedent("""
    import sys, time
    from bvdesk.store.db import Database
    db = Database.open(sys.argv[1], write=True)
    print("open", flush=True)
    sys.stdin.readline()
    db.close()
""")


def _hold_open(path: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", _HOLD_OPEN, str(path)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "open"
    return process


@pytest.mark.sqlite_only
def test_a_second_writer_gets_a_clear_message(tmp_db_path: Path) -> None:
    holder = _hold_open(tmp_db_path)
    try:
        with pytest.raises(DatabaseProblem, match=r"already open for writing by .* \(process"):
            Database.open(tmp_db_path, write=True)
        # Readers are still welcome while the app has the file open.
        Database.open(tmp_db_path, write=False).close()
    finally:
        holder.communicate("\n", timeout=30)
    Database.open(tmp_db_path, write=True).close()  # released when the holder closed


@pytest.mark.sqlite_only
def test_backup_while_another_process_has_the_database_open(demo_db_path: Path,
                                                            tmp_path: Path) -> None:
    holder = _hold_open(demo_db_path)
    try:
        with Database.open(demo_db_path, write=False) as db:
            target = db.backup(tmp_path / "copies" / "backup.sqlite")
    finally:
        holder.communicate("\n", timeout=30)
    assert check_database(target) == []
    with sqlite3.connect(target) as copy, sqlite3.connect(demo_db_path) as original:
        count = "SELECT count(*) FROM indicator_value"
        assert copy.execute(count).fetchone() == original.execute(count).fetchone()


@pytest.mark.sqlite_only
def test_check_finds_a_deliberately_corrupted_file(demo_db_path: Path) -> None:
    assert check_database(demo_db_path) == []
    with sqlite3.connect(demo_db_path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'indicator_value'").fetchone()[0]
    with open(demo_db_path, "r+b") as handle:
        handle.seek((root - 1) * page_size + 8)  # past the page header: the cell pointers
        handle.write(b"\xff" * 64)
    problems = check_database(demo_db_path)
    assert problems and all(isinstance(p, str) for p in problems)


@pytest.mark.sqlite_only
def test_check_finds_rows_pointing_at_missing_rows(tmp_db_path: Path) -> None:
    with sqlite3.connect(tmp_db_path) as connection:
        connection.execute("INSERT INTO indicator_value (organisation_id, indicator_id, year, "
                           "value, quality_note) VALUES (999, 1, 2005, 1.0, '')")
    problems = check_database(tmp_db_path)
    assert any("foreign key: indicator_value" in p for p in problems)
