"""Hostile command-line values get a plain message and exit 2, never a traceback; --json output
is one JSON document whatever happens; a closed pipe ends quietly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

#: Files on disk are what these tests are about (a server has none).
pytestmark = pytest.mark.sqlite_only

HUGE = str(2**63)


@pytest.mark.parametrize("argv, message", [
    (["review", "show", HUGE], "out of range: an ID"),
    (["appraise", HUGE], "out of range: an ID"),
    (["review", "versions", HUGE], "out of range: a review ID"),
    (["report", HUGE, "-o", "r.pdf"], "out of range: a review ID"),
    (["import", "appraisal", "a.xlsx", "--review", HUGE], "out of range: a review ID"),
    (["review", "signoff", HUGE, "--by", "Chair"], "out of range: a review ID"),
    (["init", "--org", "X", "--homes", "99999999999999999999"], "out of range: a number of homes"),
    (["init", "--org", "X", "--homes", "-1"], "out of range: a number of homes"),
    (["template", "appraisal", "-o", "a.xlsx", "--years", "10000"], "out of range"),
    (["init", "--org", "Bad\x07Bell Homes"], "control character (U+0007)"),
    (["init", "--org", "Mangled \udcff\udcfe Homes"], "not valid text"),
    (["init", "--org", "X" * 201], "at most 200 are kept"),
    (["review", "new", "--service", "repairs", "--title", "T" * 201], "at most 200"),
    (["benchmark", "--year", "x\x00y"], "control character"),
])
def test_hostile_values_are_refused_plainly(demo_db_path: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str],
                                            argv: list[str], message: str) -> None:
    os.chdir(tmp_path)
    before = demo_db_path.read_bytes()
    code, out, err = run_cli(capsys, *argv, "--db", str(demo_db_path))
    assert code == 2 and message in err, err
    assert "Traceback" not in err and out == ""
    assert demo_db_path.read_bytes() == before


@pytest.mark.parametrize("db, message", [
    ("", "--db was given an empty name"),
    ("ftp://example.org/landlord.bvdesk", "does not know 'ftp://' addresses"),
    ("file:///tmp/x.bvdesk", "does not know 'file://' addresses"),
    ("/tmp/" + "a" * 300 + "/x.bvdesk", "longer than the file system allows"),
    ("x\udcffy\ud800.bvdesk", "cannot store"),
    ("x\x00y.bvdesk", "NUL character"),
])
@pytest.mark.parametrize("command", [["demo"], ["init", "--org", "Anyone"], ["review", "list"]])
def test_database_names_the_file_system_cannot_hold_get_plain_messages(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], db: str, message: str,
        command: list[str]) -> None:
    os.chdir(tmp_path)
    code, _out, err = run_cli(capsys, *command, "--db", db)
    assert code == 2 and message in err, err
    assert list(tmp_path.iterdir()) == [], "nothing may be written"


def test_a_peer_group_rule_naming_a_region_nobody_is_in_is_refused(
        demo_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "peers", "create", "Atlantis peers", "--region", "Atlantis",
                          "--db", str(demo_db_path))
    assert code == 1 and "No organisation has the region 'Atlantis'" in err, err
    assert "Yorkshire and the Humber" in err
    code, _out, err = run_cli(capsys, "peers", "list", "--db", str(demo_db_path))
    assert "Atlantis" not in _out


def test_usage_errors_and_refusals_are_one_json_document(
        demo_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["review", "show", "x"], ["review", "show", HUGE], ["review", "show", "99"],
                 ["review", "list", "--db", "ftp://x/y"]):
        _code, out, _err = run_cli(capsys, "--json", "--db", str(demo_db_path), *argv)
        assert set(json.loads(out)) == {"error"}, (argv, out)


def test_a_closed_pipe_ends_quietly(demo_db_path: Path) -> None:
    command = (f"'{sys.executable}' -m bvdesk benchmark --json --db '{demo_db_path}' | head -1")
    result = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "{"
    assert result.stderr == "", result.stderr


#: Commands and the arguments hypothesis fills in; outputs go to the current (scratch) folder.
FUZZED = [
    (["review", "show"], ["ID"]),
    (["appraise"], ["ID"]),
    (["review", "versions"], ["ID"]),
    (["report"], ["ID", "-o", "OUT"]),
    (["export"], ["ID", "-o", "OUT"]),
    (["review", "export"], ["ID", "-o", "OUT"]),
    (["review", "submission"], ["ID", "--version", "INT", "-o", "OUT"]),
    (["template", "appraisal"], ["-o", "OUT", "--years", "INT", "--base-date", "TEXT"]),
    (["template", "indicators"], ["-o", "OUT"]),
    (["benchmark"], ["--year", "TEXT", "--org", "TEXT", "--peer-group", "TEXT",
                     "--indicators", "TEXT"]),
    (["review", "new"], ["--service", "TEXT", "--title", "TEXT", "--indicators", "TEXT"]),
    (["review", "signoff"], ["ID", "--by", "TEXT", "--note", "TEXT"]),
    (["review", "reopen"], ["ID", "--by", "TEXT", "--reason", "TEXT"]),
    (["peers", "create"], ["TEXT", "--members", "TEXT"]),
    (["peers", "create"], ["TEXT", "--region", "TEXT"]),
    (["peers", "delete"], ["TEXT"]),
    (["import", "indicators"], ["OUT", "--year", "TEXT", "--mapping", "TEXT", "--dry-run"]),
    (["import", "appraisal"], ["OUT", "--review", "ID"]),
    (["review", "import"], ["OUT", "--choose", "TEXT"]),
    (["init"], ["--org", "TEXT", "--code", "TEXT", "--homes", "INT"]),
    (["review", "rows"], ["ID", "TEXT", "--option", "INT"]),
    (["review", "add"], ["ID", "TEXT", "TEXT", "--option", "INT"]),
    (["review", "add"], ["ID", "consultation", "TEXT", "TEXT"]),
    (["review", "edit"], ["TEXT", "INT", "TEXT"]),
    (["review", "edit"], ["action", "INT", "TEXT"]),
    (["review", "delete"], ["TEXT", "INT"]),
]

_text = st.text(st.characters(codec=None), max_size=40)
_int = st.one_of(st.integers(), st.integers(-3, 5), st.just(2**63), st.just(-(2**63) - 1))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_text_and_integers_give_a_message_never_a_traceback(
        demo_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        data: st.DataObject) -> None:
    os.chdir(tmp_path)
    command, shape = data.draw(st.sampled_from(FUZZED))
    argv = list(command)
    for slot in shape:
        if slot == "ID" or slot == "INT":
            argv.append(str(data.draw(_int)))
        elif slot == "TEXT":
            argv.append(data.draw(_text))
        elif slot == "OUT":
            argv.append(data.draw(_text).replace(os.sep, "_").lstrip(".") or "out")
        else:
            argv.append(slot)
    if command == ["init"]:
        argv += ["--db", str(tmp_path / "new.bvdesk")]
    else:
        argv += ["--db", str(demo_db_path)]
    code, out, err = run_cli(capsys, *argv)  # anything but SystemExit and our errors escapes here
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err
    for leftover in tmp_path.glob("new.bvdesk*"):
        leftover.unlink()
