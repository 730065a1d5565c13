"""Creating a database is all or nothing; stubs, empty files and devices get one plain message."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cli_helpers import on_full_disk

from bvdesk.cli import main
from bvdesk.store.sqlite_file import APPLICATION_ID

#: Files on disk are what these tests are about (a server has none).
pytestmark = pytest.mark.sqlite_only

UNFINISHED = "is an unfinished bvdesk database"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def old_stub(path: Path) -> Path:
    """What an older bvdesk left when killed early in ``init``: a 4 KB file whose application id
    is only in the write-ahead log beside it."""
    scratch = path.with_name("scratch.sqlite")
    connection = sqlite3.connect(scratch, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    # Copy while the connection is open: the log is not yet folded into the file, as after a kill.
    shutil.copyfile(scratch, path)
    shutil.copyfile(scratch.with_name(scratch.name + "-wal"), path.with_name(path.name + "-wal"))
    connection.close()
    scratch.unlink()
    with open(path, "rb") as handle:
        header = handle.read(100)
    assert int.from_bytes(header[68:72], "big") == 0 and path.stat().st_size == 4096
    return path


@pytest.mark.parametrize("make", [old_stub, lambda p: (p.write_bytes(b""), p)[1]],
                         ids=["stub-with-log", "zero-bytes"])
def test_an_unfinished_database_gets_one_message_everywhere_and_init_replaces_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object) -> None:
    db = make(tmp_path / "landlord.bvdesk")  # type: ignore[operator]
    for argv in (["review", "list"], ["check"], ["benchmark"],
                 ["review", "new", "--service", "repairs", "--title", "T"]):
        code, _out, err = run(capsys, *argv, "--db", str(db))
        assert code == 2, argv
        assert f"landlord.bvdesk {UNFINISHED}" in err, (argv, err)
    code, out, err = run(capsys, "init", "--org", "Ŵyl Homes", "--db", str(db))
    assert code == 0, err
    assert run(capsys, "check", "--db", str(db))[0] == 0
    assert run(capsys, "review", "list", "--db", str(db))[0] == 0


def test_demo_replaces_an_unfinished_database(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    db = old_stub(tmp_path / "demo.bvdesk")
    code, out, err = run(capsys, "demo", "--db", str(db))
    assert code == 0, err
    assert out.startswith("Created the demo database")
    assert run(capsys, "check", "--db", str(db))[0] == 0


_KILLED_INIT = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from bvdesk.operations import landlord

    def fill(db):
        landlord.add_landlord(db, "Killed Homes")
        assert not Path(sys.argv[1]).exists(), "the target appeared before the file was complete"
        os.kill(os.getpid(), signal.SIGKILL)

    landlord.build_database(Path(sys.argv[1]), fill)
""")


def test_a_killed_creation_leaves_no_database_and_init_then_works(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "landlord.bvdesk"
    result = subprocess.run([sys.executable, "-c", _KILLED_INIT, str(db)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert not db.exists()
    code, _out, err = run(capsys, "init", "--org", "Next Try Homes", "--db", str(db))
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_refused_creation_leaves_nothing(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from bvdesk.errors import InputRefused
    from bvdesk.operations.landlord import build_database

    def fill(_db: object) -> None:
        raise InputRefused("no")

    with pytest.raises(InputRefused):
        build_database(tmp_path / "x.bvdesk", fill)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv", [["init", "--org", "Devices Ltd"], ["demo"], ["review", "list"],
                                  ["check"], ["backup", "-o", "copy.bvdesk"]])
def test_a_device_as_the_database_gets_a_plain_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    os.chdir(tmp_path)
    code, _out, err = run(capsys, *argv, "--db", os.devnull)
    assert code == 2
    assert err.startswith(f"bvdesk: {os.devnull} is not a file bvdesk can keep a database in")
    assert not Path(os.devnull + ".lock").exists()


def test_init_on_a_full_disk_says_so_and_leaves_nothing(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    result = on_full_disk(disk, f"'{sys.executable}' -m bvdesk init --org 'Full Homes' "
                          f"--db '{disk}/landlord.bvdesk'; echo exit=$?; ls -A '{disk}'")
    assert "Traceback" not in result.stderr, result.stderr
    assert "The disk is full" in result.stderr, result.stderr
    lines = result.stdout.split()
    assert lines == ["exit=2"], f"left behind: {lines[1:]}"
