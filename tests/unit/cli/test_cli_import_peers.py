"""An import that meets many new peers names the first few and counts the rest, as it does its
problems; --json lists them all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run_cli
from openpyxl import Workbook

from bvdesk.excel.indicator_reader import Role

PEERS = 45


def _club(path: Path) -> Path:
    book = Workbook()
    book.active.append(["Organisation", "Indicator", "Year", "Value"])
    for n in range(PEERS):
        book.active.append([f"Peer Housing {n:02d}", "BV212", "2005/06", 20 + n])
    book.save(path)
    return path


def test_many_new_peers_are_named_then_counted(capsys: pytest.CaptureFixture[str],
                                               tmp_db_path: Path | str, tmp_path: Path) -> None:
    club = _club(tmp_path / "club.xlsx")
    code, out, _err = run_cli(capsys, "--db", str(tmp_db_path), "import", "indicators",
                              "--dry-run", str(club))
    assert code == 0, out
    line = next(line for line in out.splitlines() if line.startswith("New peer organisations"))
    assert line.startswith("New peer organisations: Peer Housing 00; Peer Housing 01; ")
    assert line.endswith("Peer Housing 19; and 25 more (use --json for the full list)."), line
    code, out, _err = run_cli(capsys, "--db", str(tmp_db_path), "--json", "import",
                              "indicators", "--dry-run", str(club))
    assert len(json.loads(out)["new_organisations"]) == PEERS


def test_a_peers_details_column_can_be_named_by_mapping(capsys: pytest.CaptureFixture[str],
                                                        tmp_db_path: Path | str,
                                                        tmp_path: Path) -> None:
    """A heading bvdesk does not know ('Properties at 31 March') is read as the homes when the
    mapping says so; the help lists every way a column can be read."""
    code, out, _err = run_cli(capsys, "import", "indicators", "--help")
    assert code == 0
    said = " ".join(out.split())
    assert all(role.value in said for role in Role), said
    book = Workbook()
    book.active.append(["Landlord", "Properties at 31 March", "Year", "BV212"])
    book.active.append(["Riverside Homes", 5120, "2005/06", 21])
    book.save(tmp_path / "club.xlsx")
    code, out, _err = run_cli(capsys, "--db", str(tmp_db_path), "--json", "import",
                              "indicators", "--mapping", '{"Properties at 31 March": "homes"}',
                              str(tmp_path / "club.xlsx"))
    assert code == 0, out
    assert json.loads(out)["peer_details"] == 1
