"""Backups on the command line: 'bvdesk backup' writes a backup that says what it is when a
command opens it (read: a note; write: refused, naming the restore that would go back to it),
and 'bvdesk restore' without a file lists the backups bvdesk took, old names and new."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from cli_helpers import run_cli

from bvdesk.paths import backup_dir

#: Backups are of database files; a server is backed up by its own tools.
pytestmark = pytest.mark.sqlite_only


def test_a_backup_is_read_with_a_note_and_never_written(
        demo_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    backup = tmp_path / "friday.bvdesk"
    assert run_cli(capsys, "backup", "-o", str(backup), "--db", str(demo_db_path))[0] == 0
    digest = hashlib.sha256(backup.read_bytes()).hexdigest()

    code, out, err = run_cli(capsys, "review", "list", "--json", "--db", str(backup))
    assert code == 0 and len(json.loads(out)) == 3
    assert err.startswith(f"bvdesk: friday.bvdesk is a backup of Northvale Homes's database "
                          f"{demo_db_path.name}, taken on ")
    assert "read as it was taken, and not changed" in err

    code, out, err = run_cli(capsys, "landlord", "set", "--homes", "6000", "--db", str(backup))
    assert code == 1 and out == ""
    assert "A backup stays as it was taken, so nothing is changed in it" in err
    assert f"'bvdesk restore \"{backup}\" --db \"{demo_db_path.resolve()}\"' does that." in err
    assert hashlib.sha256(backup.read_bytes()).hexdigest() == digest

    code, out, err = run_cli(capsys, "restore", str(backup), "--db", str(demo_db_path))
    assert code == 0, err
    code, out, err = run_cli(capsys, "landlord", "set", "--homes", "6000", "--db",
                          str(demo_db_path))
    assert code == 0 and err == "", "the restored database is not a backup"


def test_restore_without_a_file_lists_the_backups(demo_db_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    folder = backup_dir(demo_db_path)
    code, out, _err = run_cli(capsys, "restore", "--db", str(demo_db_path))
    assert code == 0 and out == f"There are no backups of {demo_db_path.name} in {folder} yet.\n"

    folder.mkdir()
    earlier = folder / f"{demo_db_path.stem}-20251130-090000-daily.sqlite"
    earlier.write_bytes(demo_db_path.read_bytes())
    os.utime(earlier, (1_764_493_200, 1_764_493_200))  # written then: 30 November 2025
    assert run_cli(capsys, "landlord", "set", "--homes", "6000", "--db", str(demo_db_path))[0] == 0
    code, out, _err = run_cli(capsys, "restore", "--db", str(demo_db_path))
    lines = out.splitlines()
    assert lines[0] == f"Backups of {demo_db_path.name}, newest first, in {folder}:"
    assert lines[1].startswith(f"  {demo_db_path.stem} backup ")
    assert lines[1].endswith(" daily.bvdesk")  # taken on opening it for writing
    assert lines[2] == f"  {earlier.name}"
    assert lines[3].startswith("Restore one with 'bvdesk restore FILE")
    code, out, _err = run_cli(capsys, "restore", "--json", "--db", str(demo_db_path))
    listed = json.loads(out)
    assert [b["reason"] for b in listed] == ["daily", None]
    assert listed[1]["file"] == str(earlier)
