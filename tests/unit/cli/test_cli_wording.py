"""What the command line says agrees in number: '1 activity', never '1 activities'."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from bvdesk.operations import editing
from bvdesk.operations.reviews import create_review
from bvdesk.store.db import Database


def test_review_show_says_1_activity_1_option_1_action_1_file(tmp_db_path: Path,
                                                              tmp_path: Path) -> None:
    db = Database.open(tmp_db_path, write=True, user="tester")
    review_id = create_review(db, "repairs", "Repairs review")
    for entity in ("consultation", "option", "action"):
        editing.add_row(db, entity, review_id)
    (tmp_path / "minutes.txt").write_text("Board minutes", encoding="utf-8")
    editing.attach_evidence(db, review_id, tmp_path / "minutes.txt")
    db.close()
    shown = subprocess.run([sys.executable, "-m", "bvdesk", "review", "show", str(review_id),
                            "--db", str(tmp_db_path)], capture_output=True, text=True,
                           timeout=120)
    assert shown.returncode == 0, shown.stderr
    for noun in ("activity", "option", "action", "file"):
        assert re.search(rf"\b1 {noun}$", shown.stdout, re.MULTILINE), shown.stdout
    assert not re.search(r"\b1 \w+s$", shown.stdout, re.MULTILINE), shown.stdout


CONTRACT = "Voids contract with Dales Property Services Ltd"


def _bvdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bvdesk", *args], capture_output=True,
                          text=True, timeout=120)


def test_a_one_page_report_a_one_risk_workbook_and_a_sentence_ending_in_a_full_stop(
        tmp_db_path: Path, tmp_path: Path) -> None:
    db = str(tmp_db_path)
    assert _bvdesk("review", "new", "--db", db, "--service", "voids", "--title",
                   "Lettings").returncode == 0
    scope = _bvdesk("review", "set", "1", "scope", "Void repairs. Excludes sheltered schemes.",
                    "--db", db)
    assert scope.stdout == ("Review 1: Scope changed from (empty) to Void repairs. Excludes "
                            "sheltered schemes.\n"), scope.stderr

    book = tmp_path / "voids appraisal.xlsx"
    template = _bvdesk("template", "appraisal", "-o", str(book), "--review", "1", "--db", db)
    assert f"bvdesk import appraisal {book} --review 1\n" in template.stdout, template.stderr
    workbook = load_workbook(book)
    options = workbook["Options"]
    for row, (name, kind) in enumerate([("Keep in-house", "In-house (status quo)"),
                                        (CONTRACT, "External contract")], start=2):
        options.cell(row, 1, name)
        options.cell(row, 2, kind)
    workbook["Costs"].append([CONTRACT, "Contract price", "Irrecoverable", 1000])
    workbook["Quality"]["C1"], workbook["Quality"]["D1"] = "Keep in-house", CONTRACT
    workbook["Quality"].append(["Re-let time", 1, 5, 7])
    workbook["Risks"].append([CONTRACT, "Contractor fails", 0.1, 5000, 2])
    workbook.save(book)
    imported = _bvdesk("import", "appraisal", str(book), "--review", "1", "--db", db)
    assert imported.stdout.startswith("Imported into review 1: 2 options, 1 cost line, 1 risk, "
                                      "1 quality criterion. "), imported.stderr

    # A long option name is printed whole in the results (it was cut at 38 characters).
    appraised = _bvdesk("appraise", "1", "--db", db)
    assert re.search(rf"^\s+\d  {re.escape(CONTRACT)} ", appraised.stdout, re.MULTILINE), \
        appraised.stdout

    pdf = tmp_path / "tenant.pdf"
    report = _bvdesk("report", "1", "--edition", "tenant", "-o", str(pdf), "--db", db)
    assert len(PdfReader(pdf).pages) == 1
    assert f"Wrote {pdf} (tenant, 1 page, draft, version 1)." in report.stdout, report.stderr


def test_an_import_of_one_value_says_1_new_value_and_1_new_peer_organisation(
        tmp_db_path: Path, tmp_path: Path, capsys) -> None:
    from bvdesk.cli import main

    returns = tmp_path / "one.csv"
    returns.write_text("Organisation,Indicator,Year,Value\nDales Housing,BV66a,2008/09,97.1\n",
                       encoding="utf-8")
    assert main(["import", "indicators", str(returns), "--db", str(tmp_db_path)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Imported 1 new value, 0 updated, 0 unchanged; 0 missing cells "
                           "skipped; 1 new peer organisation"), said
