"""Commands that only read work on a database the user may only read: a read-only file in a
read-only folder, with and without a write-ahead log beside it.

The tests run as root in CI, where permission bits do not bite: there the commands run as the
unprivileged user nobody (setpriv), as a board member's desktop would.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

#: Files on disk are what these tests are about (a server has none).
pytestmark = pytest.mark.sqlite_only

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder everyone may enter (tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="bvdesk-ro-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(folder)


def _as_reader() -> list[str] | None:
    """How to run a command that may write nothing it does not own: as itself when not root,
    else as nobody; None where that cannot run bvdesk."""
    probe = [sys.executable, "-c", "import bvdesk.cli"]
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") and subprocess.run(
            [*NOBODY, *probe], capture_output=True, timeout=60).returncode == 0:
        return NOBODY
    return None


def _read_only_copy(demo: Path, shared: Path, *, with_log: bool) -> Path:
    folder = shared / "board"
    folder.mkdir()
    db = folder / "landlord.bvdesk"
    if with_log:
        scratch = shared / "scratch.bvdesk"
        shutil.copyfile(demo, scratch)
        writer = sqlite3.connect(scratch, isolation_level=None)
        writer.execute("PRAGMA journal_mode = WAL")
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("UPDATE review SET title = 'Only in the log' WHERE id = 1")
        # Copy the file and its log while the writer holds them: the change is only in the log.
        shutil.copyfile(scratch, db)
        shutil.copyfile(scratch.with_name(scratch.name + "-wal"),
                        db.with_name(db.name + "-wal"))
        writer.close()
        for leftover in shared.glob("scratch.bvdesk*"):
            leftover.unlink()
    else:
        shutil.copyfile(demo, db)
    for path in folder.iterdir():
        path.chmod(0o444)
    folder.chmod(0o555)
    return db


@pytest.mark.slow
@pytest.mark.parametrize("with_log", [False, True], ids=["no-log", "write-ahead-log"])
def test_reading_commands_work_on_a_read_only_file_in_a_read_only_folder(
        demo_db_path: Path, shared: Path, with_log: bool) -> None:
    prefix = _as_reader()
    if prefix is None:
        pytest.skip("no way to run a command without write access here")
    db = _read_only_copy(demo_db_path, shared, with_log=with_log)
    before = {p.name: p.read_bytes() for p in db.parent.iterdir()}
    out = shared / "out"
    out.mkdir()
    out.chmod(0o777)

    def bvdesk(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*prefix, sys.executable, "-m", "bvdesk", *argv, "--db", str(db)],
                              capture_output=True, text=True, timeout=180,
                              env={**os.environ, "BVDESK_HOME": str(out / "home")})

    for argv in (["benchmark"], ["appraise", "1"], ["report", "1", "-o", f"{out}/r.pdf"],
                 ["export", "1", "-o", f"{out}/e.xlsx"], ["backup", "-o", f"{out}/b.bvdesk"],
                 ["template", "indicators", "-o", f"{out}/t.xlsx"],
                 ["template", "appraisal", "--review", "1", "-o", f"{out}/a.xlsx"],
                 ["review", "export", "1", "-o", f"{out}/p.bvreview"], ["review", "list"]):
        result = bvdesk(*argv)
        assert result.returncode == 0, (argv, result.stderr)
    shown = json.loads(bvdesk("review", "show", "1", "--json").stdout)
    expected = "Only in the log" if with_log else "Responsive repairs: Best Value review 2009/10"
    assert shown["title"] == expected
    # The backup is a complete database of its own, log included.
    with sqlite3.connect(out / "b.bvdesk") as copy:
        assert copy.execute("SELECT title FROM review WHERE id = 1").fetchone()[0] == expected
    assert {p.name: p.read_bytes() for p in db.parent.iterdir()} == before
    writing = bvdesk("review", "new", "--service", "repairs", "--title", "T")
    assert writing.returncode == 2 and "Traceback" not in writing.stderr
