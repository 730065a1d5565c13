"""``bvdesk report`` and ``bvdesk export`` as a user runs them."""

from __future__ import annotations

import json
import re

from openpyxl import load_workbook
from pypdf import PdfReader

from bvdesk.cli import main


def test_report_writes_each_edition(demo_db_path, tmp_path, capsys):
    for edition in ("regulator", "board", "tenant"):
        out = tmp_path / f"{edition}.pdf"
        assert main(["--db", str(demo_db_path), "report", "1", "--edition", edition,
                     "-o", str(out)]) == 0
        assert len(PdfReader(out).pages) >= 1
    printed = capsys.readouterr().out
    assert re.search(r"Wrote \S+tenant\.pdf \(tenant, \d+ pages, draft, version 1\)", printed)
    assert "SHA-256" in printed


def test_report_json_output(demo_db_path, tmp_path, capsys):
    out = tmp_path / "board.pdf"
    assert main(["--db", str(demo_db_path), "--json", "report", "3", "--edition", "board",
                 "-o", str(out)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["edition"] == "board" and result["review"] == 3
    assert result["pages"] == len(PdfReader(out).pages)
    assert result["signed_off"] is False


def test_unknown_review_exits_1_and_writes_nothing(demo_db_path, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    assert main(["--db", str(demo_db_path), "report", "77", "-o", str(out)]) == 1
    assert "no review 77" in capsys.readouterr().err
    assert not out.exists()


def test_unknown_edition_is_a_usage_error(demo_db_path, tmp_path):
    try:
        code = main(["--db", str(demo_db_path), "report", "1", "--edition", "press",
                     "-o", str(tmp_path / "x.pdf")])
    except SystemExit as exc:
        code = exc.code
    assert code == 2


def test_export_writes_the_workbook(demo_db_path, tmp_path, capsys):
    out = tmp_path / "review.xlsx"
    assert main(["--db", str(demo_db_path), "export", "1", "-o", str(out)]) == 0
    assert "Indicators" in load_workbook(out).sheetnames
    assert str(out) in capsys.readouterr().out


def test_unwritable_output_exits_2_with_the_reason(demo_db_path, tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    assert main(["--db", str(demo_db_path), "report", "1", "--edition", "board",
                 "-o", str(blocker / "board.pdf")]) == 2
    assert "Cannot write" in capsys.readouterr().err
