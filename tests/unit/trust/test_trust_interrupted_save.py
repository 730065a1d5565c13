"""A save cut off by a crash (a kill, a power cut) leaves its rollback journal beside the file.

The file then holds half-written pages until the next writer plays the journal back. bvdesk's
read-only looks at the file (``bvdesk check``, the backup test when it opens) must read the
last saved state without writing anything, rather than call a sound file unreadable.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from bvdesk.cli import main
from bvdesk.operations.check import check_database
from bvdesk.operations.landlord import init_database
from bvdesk.store.db import Database
from bvdesk.store.models import Organisation


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _interrupted_save(path: Path) -> Path:
    """Rename the landlord and add a large table in one save that a crash cuts off after some of
    its pages reached the file itself (a one-page cache spills them there)."""
    script = textwrap.dedent(f"""
        import os, sqlite3
        connection = sqlite3.connect({str(path)!r}, isolation_level=None)
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("PRAGMA cache_size = 1")
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE organisation SET name = 'Half-saved' WHERE is_self")
        connection.execute("CREATE TABLE spill (x)")
        connection.executemany("INSERT INTO spill VALUES (randomblob(500))",
                               [()] * 2000)
        os._exit(0)  # no commit, no rollback: as a kill leaves it
    """)
    subprocess.run([sys.executable, "-c", script], check=True)
    journal = path.with_name(path.name + "-journal")
    assert journal.read_bytes()[:8] == b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7", "no hot journal"
    return journal


@pytest.fixture
def crashed(tmp_path: Path) -> Path:
    path = tmp_path / "landlord.bvdesk"
    init_database(path, "Test Homes", "TST", homes=3000).close()
    _interrupted_save(path)
    return path


def test_check_reads_the_last_saved_state_and_writes_nothing(
        crashed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journal = crashed.with_name(crashed.name + "-journal")
    before = _digest(crashed), _digest(journal)

    assert check_database(crashed) == []
    assert main(["check", "--db", str(crashed)]) == 0
    assert "No problems found." in capsys.readouterr().out

    assert (_digest(crashed), _digest(journal)) == before  # looked at, not changed


def test_opening_it_puts_back_the_last_saved_state(crashed: Path) -> None:
    with Database.open(crashed) as db, db.read() as session:
        names = session.scalars(select(Organisation.name).where(Organisation.is_self)).all()
    assert names == ["Test Homes"]
    assert not crashed.with_name(crashed.name + "-journal").exists()
    assert check_database(crashed) == []
