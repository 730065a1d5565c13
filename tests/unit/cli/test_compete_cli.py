"""The Compete commands as a user runs them: appraise, template appraisal, import appraisal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bvdesk.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_appraise_demo_repairs_review_as_json(demo_db_path: Path) -> None:
    # A real process, as a script would call it.
    result = subprocess.run([sys.executable, "-m", "bvdesk", "appraise", "1", "--json",
                             "--db", str(demo_db_path)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"options", "recommended", "switching_value_pct", "switching_between",
                         "switching", "weight_flip_price_weight", "fragile",
                         "compulsory_competition", "decision", "warnings"}
    assert set(data["options"][0]) == {"name", "kind", "npc", "eac", "cost_per_home",
                                       "quality_score", "price_score", "total_score",
                                       "eligible", "rank"}
    assert sorted(o["rank"] for o in data["options"]) == [1, 2, 3, 4, 5]
    top = next(o for o in data["options"] if o["rank"] == 1)
    assert data["recommended"] == top["name"]
    assert data["compulsory_competition"]["required"] is True
    assert data["compulsory_competition"]["satisfied"] is True
    assert data["decision"].startswith(f"Recommended: {top['name']}")
    external, in_house = data["switching_between"]
    assert data["switching"].startswith(f"Switching value: {external} would score as well as "
                                        f"{in_house} if its contract price")


@pytest.mark.parametrize("review", ["2", "3"])
def test_appraise_works_on_every_demo_review(capsys, demo_db_path: Path, review: str) -> None:
    code, out, _err = run(capsys, "appraise", review, "--db", str(demo_db_path))
    assert code == 0
    assert "Decision:" in out and "Recommended:" in out


def test_appraise_text_report(capsys, demo_db_path: Path) -> None:
    code, out, _err = run(capsys, "appraise", "1", "--db", str(demo_db_path))
    assert code == 0
    assert out.splitlines()[0].startswith("Base date ")  # the settings, then the table
    assert out.splitlines()[2].split()[:3] == ["Rank", "Option", "NPC"]
    assert "Switching value:" in out and "Compulsory competition applies" in out


def test_appraise_unknown_review(capsys, demo_db_path: Path) -> None:
    code, _out, err = run(capsys, "appraise", "42", "--db", str(demo_db_path))
    assert code == 1 and "There is no review 42" in err


def test_template_then_import_round_trip(capsys, demo_db_path: Path, tmp_path: Path) -> None:
    db = str(demo_db_path)
    book = tmp_path / "repairs.xlsx"
    code, _out, _err = run(capsys, "template", "appraisal", "-o", str(book), "--review", "1",
                           "--db", db)
    assert code == 0 and book.exists()
    code, out, err = run(capsys, "import", "appraisal", str(book), "--review", "2", "--db", db,
                         "--json")
    assert code == 0, err
    assert json.loads(out) == {"imported": True, "review": 2, "options": 5, "cost_lines": 28,
                               "risks": 4, "criteria": 5}
    _code, first, _ = run(capsys, "appraise", "1", "--db", db, "--json")
    _code, second, _ = run(capsys, "appraise", "2", "--db", db, "--json")
    assert json.loads(first)["options"] == json.loads(second)["options"]


def test_new_template_without_a_database(capsys, tmp_path: Path) -> None:
    book = tmp_path / "new.xlsx"
    code, out, _err = run(capsys, "template", "appraisal", "-o", str(book), "--years", "5",
                          "--base-date", "2010-04-01")
    assert code == 0 and f"bvdesk import appraisal {book} --review ID" in out
    sheet = load_workbook(book)["Costs"]
    assert sheet.cell(row=1, column=9).value == "Year 5"


def test_bad_workbook_is_refused_with_located_issues(capsys, demo_db_path: Path,
                                                     tmp_path: Path) -> None:
    db = str(demo_db_path)
    book = tmp_path / "repairs.xlsx"
    run(capsys, "template", "appraisal", "-o", str(book), "--review", "1", "--db", db)
    workbook = load_workbook(book)
    workbook["Options"]["B3"] = "Privatised"
    workbook["Risks"]["C2"] = 2
    workbook.save(book)
    _code, before, _ = run(capsys, "appraise", "2", "--db", db, "--json")
    code, out, err = run(capsys, "import", "appraisal", str(book), "--review", "2", "--db", db,
                         "--json")
    assert code == 1
    issues = json.loads(out)["issues"]
    assert [(i["sheet"], i["column"], i["row"]) for i in issues] == [
        ("Options", "B", 3), ("Risks", "C", 2)]
    assert "2 problems to fix, and nothing was changed" in err
    assert "Risks!C2: the probability must be from 0 to 1, not 2" in err
    _code, after, _ = run(capsys, "appraise", "2", "--db", db, "--json")
    assert after == before


def test_bad_template_arguments(capsys, tmp_path: Path) -> None:
    code, _out, err = run(capsys, "template", "appraisal", "-o", str(tmp_path / "x.xlsx"),
                          "--base-date", "April 2010")
    assert code == 1 and "is not a date" in err


def test_a_new_reviews_template_takes_the_base_date_given(capsys, tmp_path: Path) -> None:
    # A review with no appraisal yet: --base-date was silently dropped for today's date, so
    # a 2010 appraisal came back priced at today's VAT and discount schedule.
    db = str(tmp_path / "new.db")
    assert main(["--db", db, "init", "--org", "Tai Teifi", "--homes", "800"]) == 0
    assert main(["--db", db, "review", "new", "--service", "voids", "--title", "Voids"]) == 0
    book = tmp_path / "a.xlsx"
    code, _out, _err = run(capsys, "--db", db, "template", "appraisal", "-o", str(book),
                           "--review", "1", "--years", "5", "--base-date", "2010-04-01")
    assert code == 0
    settings = {row[0]: row[1] for row in load_workbook(book)["Settings"].iter_rows(
        min_row=2, values_only=True)}
    assert settings["Base date"].date().isoformat() == "2010-04-01"
    assert settings["Appraisal period (years)"] == 5


def test_import_refuses_a_workbook_older_than_the_review_unless_told(
        capsys, demo_db_path: Path, tmp_path: Path) -> None:
    db = str(demo_db_path)
    book = tmp_path / "repairs.xlsx"
    run(capsys, "template", "appraisal", "-o", str(book), "--review", "1", "--db", db)
    code, _out, err = run(capsys, "import", "appraisal", str(book), "--review", "1", "--db", db)
    assert code == 0, err
    # The import replaced review 1's appraisal, so the workbook is now older than the review.
    _code, before, _ = run(capsys, "appraise", "1", "--db", db, "--json")
    code, out, err = run(capsys, "import", "appraisal", str(book), "--review", "1", "--db", db)
    assert code == 1 and out == ""
    assert "has changed since repairs.xlsx was made from it" in err
    assert "nothing was changed" in err and "add --replace-changes" in err
    _code, after, _ = run(capsys, "appraise", "1", "--db", db, "--json")
    assert after == before
    code, out, err = run(capsys, "import", "appraisal", str(book), "--review", "1", "--db", db,
                         "--replace-changes")
    assert code == 0 and "Imported into review 1" in out, err
