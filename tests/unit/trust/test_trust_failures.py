"""Disk full, read-only file or folder, a lock held by another program, a file that is not a
bvdesk database: each gives a clear message, and nothing is half-written."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from bvdesk.cli import main
from bvdesk.errors import DatabaseProblem
from bvdesk.operations.check import check_database
from bvdesk.operations.packages import import_review
from bvdesk.store.db import Database
from bvdesk.store.models import Review

#: Demo reviews are not complete: sign-off needs a reason to override the readiness check.
INTERIM = "Interim sign-off for the test"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _reviews(path: Path) -> int:
    with Database.open(path, write=False) as db, db.read() as session:
        return session.scalar(select(func.count(Review.id)))


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


@contextlib.contextmanager
def _tmpfs(folder: Path, size: int) -> Iterator[Path]:
    """A real, small file system (needs root, as in CI); skips where mounting is not allowed."""
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                            capture_output=True, check=False)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


# --- disk full -----------------------------------------------------------------------------------


def test_disk_full_during_an_import_is_a_clear_message_and_writes_nothing(
        tmp_db_path: Path, large_package: Path) -> None:
    """SQLite's page limit stands in for a full disk, on every platform."""
    with Database.open(tmp_db_path) as db:
        pages = db.engine.connect().exec_driver_sql("PRAGMA page_count").scalar()
        db.engine.dispose()
        event.listen(db.engine, "connect", lambda connection, _record: connection.execute(
            f"PRAGMA max_page_count = {pages + 4}"))
        with pytest.raises(DatabaseProblem, match="The disk is full. Free some space and try "
                                                  "again; nothing was changed."):
            import_review(db, large_package)
    assert _reviews(tmp_db_path) == 0
    assert check_database(tmp_db_path) == []


def test_a_really_full_disk_is_a_clear_message_and_writes_nothing(
        tmp_db_path: Path, large_package: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    size = tmp_db_path.stat().st_size
    with _tmpfs(tmp_path / "small", 2 * size + 300_000) as folder:
        db = folder / "landlord.sqlite"
        shutil.copyfile(tmp_db_path, db)
        code, err = _cli(capsys, "review", "import", str(large_package), "--db", str(db))
        assert code == 2
        assert "disk is full" in err and "nothing was changed" in err
        assert _reviews(db) == 0
        assert check_database(db) == []
        assert not list(folder.glob("*.partial*")) and not list(folder.glob("*/*.partial*"))


def _fill(path: Path) -> None:
    """Write zeros to ``path`` until the disk is full."""
    with path.open("wb", buffering=0) as filler, contextlib.suppress(OSError):
        while True:
            filler.write(b"\0" * 4096)


@pytest.mark.sqlite_only
def test_check_on_a_full_disk_reads_a_sound_database_and_calls_it_sound(
        tmp_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """SQLite wants room for a shared-memory file beside a database it reads; with none, the
    check read the sound file as 'cannot be read as a database: disk I/O error'."""
    size = tmp_db_path.stat().st_size
    with _tmpfs(tmp_path / "full", size + 64 * 1024) as folder:
        db = folder / "landlord.sqlite"
        shutil.copyfile(tmp_db_path, db)
        _fill(folder / "filler")
        assert shutil.disk_usage(folder).free < 4096
        code, err = _cli(capsys, "check", "--db", str(db))
        assert (code, err) == (0, "")
        assert check_database(db) == []
        # A log waiting to be replayed cannot be read without room: said so, plainly.
        (folder / "filler").unlink()
        connection = sqlite3.connect(db)
        connection.execute("PRAGMA wal_autocheckpoint = 0")
        with connection:
            connection.execute("UPDATE organisation SET homes = homes + 1")
        shutil.copyfile(folder / "landlord.sqlite-wal", tmp_path / "kept-wal")
        connection.close()  # checkpoints and removes the log and its index
        shutil.copyfile(tmp_path / "kept-wal", folder / "landlord.sqlite-wal")
        (folder / "landlord.sqlite-shm").unlink(missing_ok=True)
        _fill(folder / "filler")
        code, err = _cli(capsys, "check", "--db", str(db))
        assert code == 2
        assert "disk holding landlord.sqlite is full" in err and "nothing was changed" in err


# --- read-only -----------------------------------------------------------------------------------


@contextlib.contextmanager
def _read_only_file(path: Path) -> Iterator[None]:
    """Make ``path`` unwritable: chmod for a user, the immutable flag for root."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        yield
        path.chmod(0o644)
        return
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True,
                      check=False).returncode != 0:
        pytest.skip("this file system has no immutable flag, and root ignores permissions")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_database_file_is_a_clear_message(
        demo_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _digest(demo_db_path)
    with _read_only_file(demo_db_path):
        code, err = _cli(capsys, "signoff", "1", "--by", "Jo", "--override-reason", INTERIM,
                         "--db", str(demo_db_path))
    assert code == 2
    assert "demo.sqlite is read-only" in err and "nothing was changed" in err
    assert _digest(demo_db_path) == before


def test_a_read_only_folder_is_a_clear_message(demo_db_path: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    with _tmpfs(tmp_path / "ro", 16 * 1024 * 1024) as folder:
        db = folder / "demo.sqlite"
        shutil.copyfile(demo_db_path, db)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        before = _digest(db)
        code, err = _cli(capsys, "signoff", "1", "--by", "Jo", "--override-reason", INTERIM,
                         "--db", str(db))
        assert code == 2
        assert "Read-only file system" in err and "folder you can write to" in err
        assert _digest(db) == before


# --- locked by another program -------------------------------------------------------------------


def test_a_database_locked_by_another_program_is_a_clear_message(
        demo_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = sqlite3.connect(demo_db_path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        code, err = _cli(capsys, "signoff", "1", "--by", "Jo", "--override-reason", INTERIM,
                         "--db", str(demo_db_path))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 2
    assert "demo.sqlite is locked by another program" in err and "nothing was changed" in err
    with Database.open(demo_db_path, write=False) as db, db.read() as session:
        assert not session.get(Review, 1).locked
    assert check_database(demo_db_path) == []


# --- not a bvdesk database -----------------------------------------------------------------------


def _text(path: Path) -> None:
    path.write_text("Name,Value\nNorthvale,1\n")


def _other_sqlite(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE contacts (name TEXT)")
        connection.commit()


def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


@pytest.mark.parametrize(("make", "message"), [
    (_text, "is not a bvdesk database (it is not an SQLite file)"),
    (_other_sqlite, "is an SQLite database, but not a bvdesk database"),
    (_random_bytes, "is not a bvdesk database"),
])
def test_a_file_that_is_not_a_bvdesk_database_is_refused_untouched(
        tmp_path: Path, make, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "something.sqlite"
    make(path)
    before = _digest(path)
    for argv in (["review", "list"],
                 ["signoff", "1", "--by", "Jo", "--override-reason", INTERIM]):
        code, err = _cli(capsys, *argv, "--db", str(path))
        assert code == 2, argv
        assert message in err, argv
    assert _digest(path) == before
    assert [p.name for p in tmp_path.iterdir() if p.name != "bvdesk-home"] == [path.name]
