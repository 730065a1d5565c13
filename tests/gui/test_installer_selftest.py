"""``bvdesk --self-test``: passes on a working install, and names the problem when one fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bvdesk.cli import main
from bvdesk.operations.reports import render_report
from bvdesk.store.db import Database
from bvdesk.ui import selftest


@pytest.mark.slow
def test_self_test_passes_and_leaves_the_users_settings_alone(
        qapp: object, capsys: pytest.CaptureFixture[str]) -> None:
    home = Path(os.environ["BVDESK_HOME"])

    assert main(["--self-test"]) == 0

    out = capsys.readouterr().out
    assert "self-test passed" in out and "Northvale Homes" in out
    assert os.environ["BVDESK_HOME"] == str(home)
    assert not home.exists()  # no preferences, recent files or geometry written for the user


def test_a_good_report_passes_the_pdf_check(qapp: object, demo_db_path: Path,
                                            tmp_path: Path) -> None:
    with Database.open(demo_db_path, write=False) as db:
        rendered = render_report(db, 1, "regulator", tmp_path / "report.pdf")

    assert selftest.pdf_problem(rendered.path, rendered.pages) is None
    assert "pages" in (selftest.pdf_problem(rendered.path, rendered.pages + 1) or "")


def test_a_truncated_report_is_named_as_the_reason(qapp: object, demo_db_path: Path,
                                                   tmp_path: Path) -> None:
    with Database.open(demo_db_path, write=False) as db:
        rendered = render_report(db, 1, "regulator", tmp_path / "report.pdf")
    data = rendered.path.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 3])
    not_pdf = tmp_path / "not.pdf"
    not_pdf.write_bytes(b"<html>error</html>")

    assert selftest.pdf_problem(cut, rendered.pages) is not None
    assert "not a PDF" in (selftest.pdf_problem(not_pdf, 1) or "")
