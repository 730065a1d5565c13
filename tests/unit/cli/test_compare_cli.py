"""Compare commands as a user runs them: template, import, benchmark, peer groups.

The commands run in-process through the same entry point as ``python -m bvdesk`` (a process per
command would cost seconds each on a busy CI machine).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from bvdesk.cli import main


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def bvdesk(capsys: pytest.CaptureFixture[str]):
    def run(*args: str) -> Result:
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def _fill_template(template: Path, target: Path, rows: list[tuple]) -> Path:
    book = load_workbook(template)
    data = book["Data"]
    for index, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            data.cell(row=index, column=column, value=value)
    book.save(target)
    return target


def test_template_import_then_benchmark_on_the_demo_database(bvdesk, demo_db_path: Path,
                                                            tmp_path: Path) -> None:
    db = str(demo_db_path)
    template = tmp_path / "blank.xlsx"
    made = bvdesk("template", "indicators", "-o", str(template), "--db", db)
    assert made.returncode == 0, made.stderr
    book = load_workbook(template)
    assert book.sheetnames == ["Instructions", "Data", "Indicators"]
    assert book["Data"].data_validations.dataValidation[0].formula1.startswith("=Indicators!")

    filled = _fill_template(template, tmp_path / "2010.xlsx", [
        ("Northvale Homes", None, "BV212", "2010/11", 20),
        ("Brand New Homes", None, "BV212", "2010/11", 30),
        ("Another New HA", None, "BV212", "2010/11", 40),
        ("Third New Housing Association", None, "BV212", "2010/11", "50"),
        ("Peer average", None, "BV212", "2010/11", 35),
    ])
    dry = bvdesk("import", "indicators", str(filled), "--db", db, "--dry-run")
    assert dry.returncode == 0 and "Dry run, nothing written" in dry.stdout
    imported = bvdesk("import", "indicators", str(filled), "--db", db, "--json")
    assert imported.returncode == 0, imported.stderr
    report = json.loads(imported.stdout)
    assert (report["imported"], report["updated"], report["unchanged"]) == (4, 0, 0)
    assert len(report["new_organisations"]) == 3 and report["aggregates"] == 1
    again = bvdesk("import", "indicators", str(filled), "--db", db)
    assert again.returncode == 0 and "Nothing changed" in again.stdout

    result = bvdesk("benchmark", "--db", db, "--year", "2010/11", "--json")
    assert result.returncode == 0, result.stderr
    table = json.loads(result.stdout)
    (row,) = table["rows"]
    # Days 20, 30, 40, 50 (lower is better): p25 = 20 + 0.75 * 10 = 27.5, median 35,
    # p75 = 40 + 0.25 * 10 = 42.5; 20 <= 27.5 -> quartile 1, rank 1, gap 0, n 4 (small).
    assert (row["indicator"], row["polarity"], row["n"], row["p25"], row["median"],
            row["p75"]) == ("BV212", "lower", 4, 27.5, 35, 42.5)
    assert (row["quartile"], row["rank"], row["gap_to_top_quartile"]) == (1, 1, 0)
    assert row["small_sample"] and not row["bottom_quartile"]
    assert table["compete_trigger"]["indicators"] == []

    latest = bvdesk("benchmark", "--db", db, "--year", "2009/10")
    assert latest.returncode == 0
    assert "Competition trigger: bottom quartile in" in latest.stdout
    assert "Responsive repairs" in latest.stdout


def test_errors_exit_1_and_list_every_cell(bvdesk, tmp_db_path: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Organisation", "Indicator", "Year", "Value"])
    book.active.append(["North HA", "BV212", "2003/04", "many"])
    book.active.append(["North HA", "NOPE", "2003/04", 5])
    book.active.append(["South HA", "BV212", "2003/04", 5])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    result = bvdesk("import", "indicators", str(path), "--db", str(tmp_db_path))
    assert result.returncode == 1
    assert "cell D2: 'many' is not a number" in result.stdout
    assert "cell B3: 'NOPE' is not a known indicator" in result.stdout
    skipped = bvdesk("import", "indicators", str(path), "--db", str(tmp_db_path),
                     "--skip-invalid", "--json")
    assert skipped.returncode == 0
    assert json.loads(skipped.stdout)["imported"] == 1

    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"%PDF-1.7 not a workbook")
    refused = bvdesk("import", "indicators", str(fake), "--db", str(tmp_db_path))
    assert refused.returncode == 2 and "is not an Excel workbook (it is a PDF" in refused.stderr


def test_skip_invalid_with_nothing_valid_says_so_and_fails(bvdesk, tmp_db_path: Path,
                                                           tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["Organisation", "Indicator", "Year", "Value"])
    book.active.append(["North HA", "BV212", "2003/04", "many"])
    book.active.append(["South HA", "NOPE", "2003/04", 5])
    path = tmp_path / "all-bad.xlsx"
    book.save(path)
    result = bvdesk("import", "indicators", str(path), "--db", str(tmp_db_path),
                    "--skip-invalid")
    assert result.returncode == 1
    assert result.stdout.startswith("Nothing to import: no valid values were found")
    assert "cell D2: 'many' is not a number" in result.stdout
    as_json = bvdesk("import", "indicators", str(path), "--db", str(tmp_db_path),
                     "--skip-invalid", "--json")
    assert as_json.returncode == 1
    assert json.loads(as_json.stdout)["written"] is False


def test_peer_groups_from_the_command_line(bvdesk, demo_db_path: Path) -> None:
    db = str(demo_db_path)
    made = bvdesk("peers", "create", "Small group", "--members", "Northvale Homes",
                  "--db", db, "--json")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["size"] == 1
    listed = bvdesk("peers", "list", "--db", db)
    assert "Small group: 1 organisations (list)" in listed.stdout
    alone = bvdesk("benchmark", "--db", db, "--peer-group", "Small group", "--json")
    # The landlord alone has nobody to stand among (it was top quartile of 1 on everything).
    assert alone.returncode == 1 and "rows" not in json.loads(alone.stdout)
    assert ("no other landlord in the peer group 'Small group' has a value for the same "
            "indicators") in alone.stderr
    # Commas, as --indicators takes them, were refused as one name with no hint.
    commas = bvdesk("peers", "create", "Two", "--members", "Northvale Homes,Small group",
                    "--db", db)
    assert commas.returncode == 1
    assert "no organisation called 'Northvale Homes,Small group'" in commas.stderr
    assert "Separate the members' names with semicolons" in commas.stderr
    missing = bvdesk("benchmark", "--db", db, "--peer-group", "Nobody")
    assert missing.returncode == 1 and "no peer group called 'Nobody'" in missing.stderr


def test_a_peer_group_member_named_twice_is_refused(bvdesk, demo_db_path: Path) -> None:
    """A member typed once by its code and once by its name was dropped without a word (the
    group had one member fewer than typed)."""
    db = str(demo_db_path)
    for members, said in (("L001;Ashdown Homes;L002",
                           "'L001' and 'Ashdown Homes' are the same organisation: "
                           "Ashdown Homes (L001). Name each member once."),
                          ("L002;l002", "'L002' is named twice: Brackenfield Housing Trust "
                                        "(L002).")):
        twice = bvdesk("peers", "create", "Twice", "--members", members, "--db", db)
        assert (twice.returncode, twice.stdout) == (1, ""), twice.stdout
        assert said in twice.stderr, twice.stderr
    assert "Twice" not in bvdesk("peers", "list", "--db", db).stdout
    once = bvdesk("peers", "create", "Twice", "--members", "L001;L002", "--db", db, "--json")
    assert json.loads(once.stdout)["size"] == 2


def test_a_mapping_nested_too_deeply_is_refused_plainly(tmp_db_path: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    book = Workbook()
    book.active.append(["Landlord", "Year", "BV66a"])
    book.active.append(["Test Homes", "2009/10", 2.1])
    book.save(tmp_path / "values.xlsx")
    nested = "[" * 45_000 + "]" * 45_000  # under the 100,000-character cap
    code = main(["import", "indicators", str(tmp_path / "values.xlsx"), "--mapping", nested,
                 "--db", str(tmp_db_path)])
    assert code == 1
    assert "--mapping is nested too deeply" in capsys.readouterr().err


def test_benchmark_prints_each_figure_to_its_indicators_decimals(bvdesk, tmp_db_path: Path,
                                                                 tmp_path: Path) -> None:
    # Re-let days (one decimal): the upper quartile of 21.3, 27.7, 43.1 and 54.6 is 45.975,
    # which the board paper prints 46.0 and the command line printed 45.98.
    book = Workbook()
    book.active.append(["Landlord", "Year", "BV212"])
    for name, days in (("Test Homes", 54.6), ("Fellside Homes", 21.3), ("Wolds Rural HA", 27.7),
                       ("Eden Vale Housing", 43.1)):
        book.active.append([name, "2024/25", days])
    book.save(tmp_path / "club.xlsx")
    # The organisations new to the database are named, not only counted.
    assert bvdesk("import", "indicators", str(tmp_path / "club.xlsx"), "--db",
                  str(tmp_db_path)).stdout.splitlines()[1] == (
        "New peer organisations: Eden Vale Housing; Fellside Homes; Wolds Rural HA.")
    shown = bvdesk("benchmark", "--db", str(tmp_db_path))
    row = next(line for line in shown.stdout.splitlines() if line.startswith("BV212"))
    # Value, n, P25 (21.3 + 0.75 x 6.4 = 26.1), median 35.4, P75, quartile, rank, gap to 26.1.
    assert row.split()[:8] == ["BV212", "54.6", "4", "26.1", "35.4", "46.0", "4", "4"]
    assert row.split()[8] == "28.5"
