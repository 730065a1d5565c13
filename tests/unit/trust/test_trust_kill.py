"""Crash safety: SIGKILL at random moments during large imports, a restore and a migration.

After every kill the database opens, ``PRAGMA integrity_check`` is clean, and the work is wholly
there or wholly absent. A fork server (``kill_worker.py``) starts each victim in milliseconds, so
the many kill points fit in seconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from openpyxl import Workbook
from sqlalchemy import func, select, text

from bvdesk.operations.packages import import_review, read_package, review_document
from bvdesk.store.db import Database, alembic_config, head_revision, integrity_problems
from bvdesk.store.models import ImportRun, IndicatorValue, Organisation, Review

pytestmark = pytest.mark.slow

WORKER = Path(__file__).with_name("kill_worker.py")
#: Kill points per scenario: 64 in all.
KILLS = {"package": 14, "indicators": 20, "migration": 20, "restore": 10}
SEED = 20261126


class ForkServer:
    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, str(WORKER)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, bufsize=1)

    def run(self, job: dict[str, str], kill_after: float | None) -> tuple[int, float]:
        """Run a job, SIGKILLing it after ``kill_after`` seconds; (exit code, seconds)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(job) + "\n")
        pid = int(self.process.stdout.readline())
        if kill_after is not None:
            time.sleep(kill_after)
            with contextlib.suppress(ProcessLookupError):  # it may have finished already
                os.kill(pid, signal.SIGKILL)
        code, seconds = self.process.stdout.readline().split()
        return int(code), float(seconds)

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


@pytest.fixture(scope="module")
def server() -> Iterator[ForkServer]:
    fork_server = ForkServer()
    yield fork_server
    fork_server.close()


def _kill_points(server: ForkServer, job_for: Callable[[Path], dict[str, str]],
                 check: Callable[..., None], tmp_path: Path, kills: int) -> dict[str, int]:
    """Calibrate on one full run, then kill ``kills`` runs at random moments."""
    rng = random.Random(SEED)
    job = job_for(tmp_path / "calibrate")
    code, duration = server.run(job, kill_after=None)
    print(f"calibration run: {duration:.2f} s")
    assert code == 0, "the job fails even when it is not killed"
    check(Path(job["db"]), finished=True)
    outcomes = {"killed": 0, "finished": 0}
    for n in range(kills):
        job = job_for(tmp_path / f"kill{n}")
        code, _ = server.run(job, kill_after=rng.uniform(0, duration))
        assert code in (0, -signal.SIGKILL)
        outcomes["finished" if code == 0 else "killed"] += 1
        check(Path(job["db"]), finished=code == 0)
    assert outcomes["killed"] >= kills // 2
    return outcomes


def _copy_into(database: Path, folder: Path) -> str:
    """A fresh copy of ``database`` for one victim."""
    folder.mkdir()
    shutil.copyfile(database, folder / "db.sqlite")
    return str(folder / "db.sqlite")


def _reopened(path: Path) -> Database:
    """The database after a kill: sound, and it opens for writing as the app opens it (the
    killed writer's lock is gone; any unfinished migration is done again)."""
    assert integrity_problems(path) == []
    return Database.open(path, write=True)


# --- a large import ----------------------------------------------------------------------------


def test_kill_during_a_large_import_leaves_it_wholly_there_or_wholly_absent(
        server: ForkServer, large_package: Path, _template_db: Path, tmp_path: Path) -> None:
    expected = read_package(large_package).review

    def job_for(folder: Path) -> dict[str, str]:
        return {"op": "import_package", "db": _copy_into(_template_db, folder),
                "package": str(large_package)}

    def check(path: Path, finished: bool) -> None:
        with _reopened(path) as db, db.read() as session:
            reviews = session.scalars(select(Review)).all()
            if finished:
                assert len(reviews) == 1
            for review in reviews:
                assert review_document(review) == expected

    outcomes = _kill_points(server, job_for, check, tmp_path, KILLS["package"])
    print(f"import kill points: {outcomes}")


@pytest.fixture(scope="module")
def large_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A long-layout workbook of 9,000 indicator values from 300 landlords."""
    path = tmp_path_factory.mktemp("workbook") / "club-extract.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Extract")
    sheet.append(["Landlord", "Indicator", "Year", "Value"])
    codes = ["BV66a", "BV66b", "BV212", "BV184a", "BV184b", "HC-ARR", "VOIDLOSS", "BV72",
             "BV73", "APPT"]
    for org in range(300):
        for code in codes:
            for year in ("2006/07", "2007/08", "2008/09"):
                sheet.append([f"Landlord {org:03d} Housing Association", code, year,
                              round(50 + (org * 7 + len(code)) % 45 + 0.25, 2)])
    workbook.save(path)
    return path


def test_kill_during_a_large_indicator_import_leaves_it_wholly_there_or_absent(
        server: ForkServer, large_workbook: Path, _template_db: Path, tmp_path: Path) -> None:
    def job_for(folder: Path) -> dict[str, str]:
        return {"op": "import_indicators", "db": _copy_into(_template_db, folder),
                "workbook": str(large_workbook)}

    def check(path: Path, finished: bool) -> None:
        with _reopened(path) as db, db.read() as session:
            runs = session.scalar(select(func.count(ImportRun.id)))
            values = session.scalar(select(func.count(IndicatorValue.id)))
            peers = session.scalar(select(func.count(Organisation.id)).where(
                Organisation.is_self.is_(False)))
        assert (runs, values, peers) in ((0, 0, 0), (1, 9_000, 300))
        if finished:
            assert runs == 1

    outcomes = _kill_points(server, job_for, check, tmp_path, KILLS["indicators"])
    print(f"indicator import kill points: {outcomes}")


def test_kill_during_a_restore_leaves_the_old_database_or_the_backup(
        server: ForkServer, demo_db_path: Path, large_package: Path, _template_db: Path,
        tmp_path: Path) -> None:
    backup = tmp_path / "backup.sqlite"
    backup.write_bytes(_template_db.read_bytes())
    with Database.open(backup) as db:  # the backup: one large review, the current file: three
        import_review(db, large_package)

    def job_for(folder: Path) -> dict[str, str]:
        return {"op": "restore", "db": _copy_into(demo_db_path, folder), "backup": str(backup)}

    def check(path: Path, finished: bool) -> None:
        with _reopened(path) as db, db.read() as session:
            titles = session.scalars(select(Review.title).order_by(Review.id)).all()
        assert len(titles) == 1 if finished else len(titles) in (1, 3)
        assert (titles == ["A very large review"]) == (len(titles) == 1)

    outcomes = _kill_points(server, job_for, check, tmp_path, KILLS["restore"])
    print(f"restore kill points: {outcomes}")


# --- a migration ---------------------------------------------------------------------------------

REVIEWS_AT_0001 = 3_000


@pytest.fixture(scope="module")
def old_schema_db(tmp_path_factory: pytest.TempPathFactory, _template_db: Path) -> Path:
    """A database at revision 0001 (before Review.uid) holding many reviews."""
    path = tmp_path_factory.mktemp("old") / "old.sqlite"
    shutil.copyfile(_template_db, path)
    with Database.open(path) as db, db.engine.connect() as connection:
        raw = connection.connection.driver_connection
        raw.execute("PRAGMA foreign_keys = OFF")  # outside a transaction, or SQLite ignores it
        with connection.begin():
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
            service = connection.execute(text("SELECT id FROM service LIMIT 1")).scalar()
            connection.execute(text(
                "INSERT INTO review (service_id, title, scope, objectives, stage, context, "
                "board_minute_ref, vfm_statement, version, locked, created_at) VALUES "
                "(:s, :t, '', '', 'scope', '{}', '', '', 1, 0, '2026-01-01 00:00:00')"),
                [{"s": service, "t": f"Review {i}"} for i in range(REVIEWS_AT_0001)])
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _revision(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        connection.close()


def test_kill_during_a_migration_leaves_it_wholly_done_or_not_started(
        server: ForkServer, old_schema_db: Path, tmp_path: Path) -> None:
    assert _revision(old_schema_db) == "0001"

    def job_for(folder: Path) -> dict[str, str]:
        return {"op": "migrate", "db": _copy_into(old_schema_db, folder)}

    def check(path: Path, finished: bool) -> None:
        revision = _revision(path)
        # All migrations run in one transaction: a kill leaves the old schema or the newest.
        assert revision == head_revision() if finished else revision in ("0001", head_revision())
        connection = sqlite3.connect(path)
        try:
            columns = {row[1] for row in connection.execute("PRAGMA table_info(review)")}
            assert ("uid" in columns) == (revision != "0001")
            assert connection.execute("SELECT count(*) FROM review").fetchone()[0] == \
                REVIEWS_AT_0001
        finally:
            connection.close()
        with _reopened(path) as db, db.read() as session:
            uids = session.scalars(select(Review.uid)).all()
        assert len(set(uids)) == REVIEWS_AT_0001 and None not in uids

    outcomes = _kill_points(server, job_for, check, tmp_path, KILLS["migration"])
    print(f"migration kill points: {outcomes}")
