"""The core commands, run as a user runs them: a real process, real files, exit codes."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bvdesk import __version__
from bvdesk.operations.editing import get_row
from bvdesk.store.db import Database


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
    assert bad.returncode == 1 and "Unknown indicator code: NOPE" in bad.stderr
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


@pytest.mark.slow
def test_review_set_changes_one_field_with_its_checks_and_not_once_signed_off(
        tmp_path: Path) -> None:
    db = str(tmp_path / "d.sqlite")
    assert bvdesk("demo", "--db", db).returncode == 0
    date = bvdesk("review", "set", "1", "board_meeting_date", "21/09/2010", "--db", db)
    assert date.returncode == 0, date.stderr
    assert date.stdout == ("Review 1: Board meeting date changed from 15/06/2010 to "
                           "21/09/2010.\n")
    author = bvdesk("review", "set", "1", "board_paper_author", "Grace Okafor", "--db", db,
                    "--json")
    assert author.returncode == 0, author.stderr
    assert json.loads(author.stdout) == {
        "review": 1, "field": "board_paper_author", "label": "Board paper author",
        "old": "Helen Ashworth, Director of Property Services", "new": "Grace Okafor",
        "changed": True}
    assert bvdesk("review", "set", "1", "board_agenda_ref", "Item 9", "--db", db).returncode == 0
    detail = json.loads(bvdesk("review", "set", "1", "board_agenda_ref", "Item 9", "--db", db,
                               "--json").stdout)
    assert detail["changed"] is False
    bad_date = bvdesk("review", "set", "1", "board_meeting_date", "31/02/2010", "--db", db)
    assert bad_date.returncode == 1 and "Board meeting date" in bad_date.stderr
    unknown = bvdesk("review", "set", "1", "colour", "red", "--db", db)
    assert unknown.returncode == 1
    assert "no field 'colour'" in unknown.stderr and "board_agenda_ref" in unknown.stderr
    missing = bvdesk("review", "set", "9", "title", "X", "--db", db)
    assert missing.returncode == 1 and "There is no review 9" in missing.stderr

    signed = bvdesk("review", "signoff", "1", "--by", "Chair", "--override-reason",
                    "Test of the lock", "--db", db)
    assert signed.returncode == 0, signed.stderr
    locked = bvdesk("review", "set", "1", "board_agenda_ref", "Item 10", "--db", db)
    assert locked.returncode == 1
    assert "signed off and read-only" in locked.stderr and "review reopen" in locked.stderr
    with Database.open(Path(db), write=False) as database:
        saved = get_row(database, "review", 1)
    assert (saved["board_meeting_date"], saved["board_paper_author"],
            saved["board_agenda_ref"]) == (dt.date(2010, 9, 21), "Grace Okafor", "Item 9")
