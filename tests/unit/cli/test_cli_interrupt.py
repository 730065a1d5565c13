"""Ctrl+C on a long command, as a person at a terminal presses it: the command is watched
through a real terminal (a pseudo-terminal on its standard error, where the progress shows) and
interrupted once its progress is part-way. It stops saying so, exits 130, and leaves nothing
half-written. Without a terminal, and with --json, no progress is shown."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from engines import raw_sql
from exchange_helpers import database_rows, large_package

from bvdesk.operations.landlord import init_database

pytestmark = pytest.mark.sqlite_only

#: Part-way: a share shown that is neither the start nor the end.
PART_WAY = re.compile(rb": ([1-9][0-9]?)%")


def _at_a_terminal(*argv: str, interrupt: bool = True) -> tuple[int, str, str]:
    """Run ``bvdesk argv`` with a terminal for standard error; with ``interrupt``, press Ctrl+C
    once its progress shows part-way. Returns its exit status, standard output and what the
    terminal showed."""
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "bvdesk", *argv], stdout=subprocess.PIPE,
                               stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    shown = b""
    try:
        deadline = time.monotonic() + 120
        while interrupt and not PART_WAY.search(shown):
            assert process.poll() is None, f"finished before it could be interrupted: {shown!r}"
            assert time.monotonic() < deadline, f"no progress shown: {shown!r}"
            if select.select([master], [], [], 0.05)[0]:
                shown += os.read(master, 4096)
        if interrupt:
            process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=120)
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the terminal's other end is closed: all was read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    return process.returncode, out.decode(), shown.decode()


def _big_database(demo_db_path: Path) -> Path:
    """The demo with another 108,000 indicator values (a few seconds to copy)."""
    connection = sqlite3.connect(demo_db_path)
    with connection:
        organisations = [r[0] for r in connection.execute("SELECT id FROM organisation")]
        indicators = [r[0] for r in connection.execute("SELECT id FROM indicator")]
        connection.executemany(
            "INSERT INTO indicator_value (organisation_id, indicator_id, year, value, "
            "quality_note, row_version) VALUES (?, ?, ?, ?, '', 1)",
            [(o, i, year, 1.5) for o in organisations for i in indicators
             for year in range(1800, 1880)])
    connection.close()
    return demo_db_path


@pytest.mark.parametrize("to_server", [False, True], ids=["to a file", "to a server"])
def test_ctrl_c_stops_a_transfer_and_keeps_nothing(demo_db_path: Path, tmp_path: Path,
                                                   request: pytest.FixtureRequest,
                                                   to_server: bool) -> None:
    source = _big_database(demo_db_path)
    target = request.getfixturevalue("empty_server_db") if to_server else \
        str(tmp_path / "copy" / "landlord.bvdesk")
    code, out, shown = _at_a_terminal("transfer", "--from", str(source), "--to", target)
    assert code == 130, shown
    assert out == ""
    assert "Copying: " in shown and "Copying: stopping..." in shown
    assert "bvdesk: The copy was cancelled; nothing was kept." in shown
    if to_server:
        for table in ("organisation", "indicator_value", "review", "audit_log"):
            assert raw_sql(target, f"SELECT count(*) FROM {table}") == [(0,)]
    else:
        assert not (tmp_path / "copy").exists() or list((tmp_path / "copy").iterdir()) == []


@pytest.fixture
def row_heavy_package(demo_db_path: Path, tmp_path: Path) -> Path:
    return large_package(demo_db_path, 1, tmp_path / "large.bvreview")


def test_ctrl_c_stops_a_package_import_and_changes_nothing(row_heavy_package: Path,
                                                           tmp_path: Path) -> None:
    colleague = tmp_path / "colleague.bvdesk"
    init_database(colleague, "Other Homes").close()
    before = database_rows(colleague)
    code, out, shown = _at_a_terminal("review", "import", str(row_heavy_package),
                                    "--db", str(colleague))
    assert code == 130, shown
    assert out == ""
    assert "Importing the package: stopping..." in shown
    assert "bvdesk: The import was cancelled; nothing was changed." in shown
    assert database_rows(colleague) == before


def test_no_progress_with_json_nor_without_a_terminal(row_heavy_package: Path,
                                                      tmp_path: Path) -> None:
    colleague = tmp_path / "colleague.bvdesk"
    init_database(colleague, "Other Homes").close()
    code, out, shown = _at_a_terminal("review", "import", str(row_heavy_package), "--db",
                                      str(colleague), "--json", interrupt=False)
    assert code == 0 and json.loads(out)["created"] is True
    assert shown == ""
    again = tmp_path / "again.bvdesk"
    init_database(again, "Other Homes").close()
    done = subprocess.run([sys.executable, "-m", "bvdesk", "review", "import",
                           str(row_heavy_package), "--db", str(again)],
                          capture_output=True, text=True, check=True)
    assert done.stdout.startswith("Imported ") and done.stderr == ""


def test_ctrl_c_stops_an_indicator_import_and_changes_nothing(demo_db_path: Path,
                                                              tmp_path: Path) -> None:
    values = tmp_path / "club extract.csv"
    codes = ("BV66a", "BV66b", "BV72", "BV73", "BV184a", "BV212", "BV211a", "APPT")
    with values.open("w", encoding="utf-8") as out:
        out.write("Organisation,Indicator,Year,Value\n")
        for org in range(6000):
            for number, code in enumerate(codes):
                for year in range(2000, 2005):
                    out.write(f"Club member {org:05d},{code},{year}/{(year + 1) % 100:02d},"
                              f"{(org * 7 + number * 13 + year) % 90 + 5}\n")
    before = database_rows(demo_db_path)
    code, out, shown = _at_a_terminal("import", "indicators", str(values), "--db",
                                      str(demo_db_path))
    assert code == 130, shown
    assert out == ""
    assert "Importing: stopping..." in shown
    assert "bvdesk: The import was cancelled; nothing was written." in shown
    assert database_rows(demo_db_path) == before
