"""The core commands, run as a user runs them: a real process, real files, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bvdesk import __version__


def bvdesk(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bvdesk", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd)


def test_version() -> None:
    result = bvdesk("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"bvdesk {__version__}"


def test_demo_then_review_list_lists_the_three_demo_reviews(tmp_path: Path) -> None:
    db = str(tmp_path / "d.sqlite")
    assert bvdesk("demo", "--db", db).returncode == 0
    result = bvdesk("review", "list", "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    reviews = json.loads(result.stdout)
    assert [(r["id"], r["service_code"], r["stage"]) for r in reviews] == [
        (1, "repairs", "compete"), (2, "voids", "consult"), (3, "rent", "self_assessment")]


def test_init_new_show_and_the_exit_codes(tmp_path: Path) -> None:
    db = str(tmp_path / "landlord.sqlite")
    assert bvdesk("init", "--db", db, "--org", "Ŵyl Housing Co-operative").returncode == 0
    again = bvdesk("init", "--db", db, "--org", "Other")
    assert again.returncode == 1 and "already holds a landlord" in again.stderr
    new = bvdesk("review", "new", "--db", db, "--service", "Responsive repairs",
                 "--title", "Repairs", "--indicators", "BV73,GNPI20")
    assert new.returncode == 0 and new.stdout.strip() == "1"
    bad = bvdesk("review", "new", "--db", db, "--service", "repairs", "--title", "X",
                 "--indicators", "NOPE")
    assert bad.returncode == 1 and "Unknown indicator code(s): NOPE" in bad.stderr
    show = bvdesk("review", "show", "1", "--db", db, "--json")
    detail = json.loads(show.stdout)
    assert detail["title"] == "Repairs" and detail["challenge"] == {"answered": 0, "questions": 6}
    assert [i["code"] for i in detail["indicators"]] == ["BV73", "GNPI20"]
    missing = bvdesk("review", "show", "7", "--db", db)
    assert missing.returncode == 1
    assert missing.stderr == ("bvdesk: There is no review 7. 'bvdesk review list' shows the "
                              "reviews.\n")


def test_usage_errors_and_unreadable_files_exit_2(tmp_path: Path) -> None:
    assert bvdesk("review", "show", "--db", str(tmp_path / "x.sqlite")).returncode == 2
    text_file = tmp_path / "notes.sqlite"
    text_file.write_text("not a database")
    result = bvdesk("review", "list", "--db", str(text_file))
    assert result.returncode == 2 and "not a bvdesk database" in result.stderr
    assert "Traceback" not in result.stderr


def test_backup_and_check(demo_db_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "backup.sqlite"
    result = bvdesk("backup", "--db", str(demo_db_path), "-o", str(target))
    assert result.returncode == 0 and target.exists()
    check = bvdesk("check", "--db", str(target), "--json")
    assert check.returncode == 0 and json.loads(check.stdout)["ok"] is True
