"""The done-when list of a team server, through the command line: init, demo, review list,
appraise, report, signoff, check, transfer both ways and backup, all with --db postgresql://."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest
from engines import raw_sql
from pypdf import PdfReader

from bvdesk.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


def test_every_command_works_on_a_server_and_the_copies_check_out(
        empty_server_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = empty_server_db
    code, out = _run(capsys, "demo", "--db", url)
    assert code == 0 and "Created the demo database" in out
    code, out = _run(capsys, "review", "list", "--json", "--db", url)
    reviews = json.loads(out)
    assert code == 0 and [r["id"] for r in reviews] == [1, 2, 3]
    code, out = _run(capsys, "appraise", "1", "--db", url)
    assert code == 0 and "Recommended" in out
    pdf = tmp_path / "submission.pdf"
    code, out = _run(capsys, "report", "1", "-o", str(pdf), "--db", url)
    assert code == 0 and len(PdfReader(pdf).pages) > 3
    code, out = _run(capsys, "signoff", "1", "--by", "Jo Smith", "--override-reason",
                     "test", "--db", url)
    assert code == 0, out
    assert raw_sql(url, "SELECT locked FROM review WHERE id = 1") == [(True,)]
    code, out = _run(capsys, "check", "--db", url)
    assert (code, out.strip()) == (0, "No problems found.")

    code, out = _run(capsys, "review", "list", "--json", "--db", url)
    signed = json.loads(out)
    assert signed[0]["signed_off"] and signed[1:] == reviews[1:]

    snapshot = tmp_path / "snapshot.bvdesk"
    code, out = _run(capsys, "backup", "-o", str(snapshot), "--db", url)
    assert code == 0, out
    back = tmp_path / "back.bvdesk"
    code, out = _run(capsys, "transfer", "--from", url, "--to", str(back), "--json")
    assert code == 0, out
    copied = json.loads(out)
    assert copied["rows"]["review"] == 3 and copied["audit_entries"] > 1000
    for copy in (snapshot, back):
        code, out = _run(capsys, "check", "--db", str(copy))
        assert (code, out.strip()) == (0, "No problems found.")
        code, out = _run(capsys, "review", "list", "--json", "--db", str(copy))
        assert json.loads(out) == signed

    # And back to another, empty, database on the server.
    parts = urllib.parse.urlsplit(url)
    again = urllib.parse.urlunsplit(parts._replace(path=parts.path + "_again"))
    raw_sql(url, f'CREATE DATABASE "{parts.path[1:]}_again"')
    try:
        code, out = _run(capsys, "transfer", "--from", str(back), "--to", again, "--json")
        assert code == 0, out
        assert json.loads(out)["chain_head"] == copied["chain_head"]
        code, out = _run(capsys, "check", "--db", again)
        assert (code, out.strip()) == (0, "No problems found.")
        code, out = _run(capsys, "transfer", "--from", str(back), "--to", again)
        assert code != 0 and "already holds data" in out
    finally:
        raw_sql(url, f'DROP DATABASE "{parts.path[1:]}_again" WITH (FORCE)')


def test_a_file_only_command_says_so_on_a_server(empty_server_db: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, "restore", str(tmp_path / "x.bvdesk"), "--db", empty_server_db)
    assert code != 0 and "not on a server" in out


def test_review_packages_travel_between_a_server_and_a_laptop(
        empty_server_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = empty_server_db
    assert _run(capsys, "demo", "--db", url)[0] == 0
    laptop = tmp_path / "laptop.bvdesk"
    code, out = _run(capsys, "transfer", "--from", url, "--to", str(laptop))
    assert code == 0, out
    # Work on the laptop, offline, then bring it back to the server as a package.
    code, out = _run(capsys, "review", "show", "2", "--json", "--db", str(laptop))
    assert code == 0, out
    package = tmp_path / "voids.bvreview"
    code, out = _run(capsys, "review", "export", "2", "-o", str(package), "--db", str(laptop))
    assert code == 0, out
    code, out = _run(capsys, "review", "import", str(package), "--db", url)
    assert code == 0, out
    code, out = _run(capsys, "check", "--db", url)
    assert (code, out.strip()) == (0, "No problems found.")
    # And the other way: a package from the server into a new laptop database.
    other = tmp_path / "other.bvdesk"
    assert _run(capsys, "init", "--org", "Another Landlord", "--db", str(other))[0] == 0
    package2 = tmp_path / "repairs.bvreview"
    assert _run(capsys, "review", "export", "1", "-o", str(package2), "--db", url)[0] == 0
    code, out = _run(capsys, "review", "import", str(package2), "--db", str(other))
    assert code == 0, out
    code, out = _run(capsys, "review", "list", "--json", "--db", str(other))
    assert [r["title"] for r in json.loads(out)] == [
        "Responsive repairs: Best Value review 2009/10"]
