"""The import wizard on a real workbook: detect, map, check for problems, import."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, wait_idle

from bvdesk.operations import editing
from bvdesk.operations.indicator_import import write_issues_csv
from bvdesk.ui.import_wizard import ImportWizard
from bvdesk.ui.mainwindow import MainWindow


def _workbook(path: Path, *, bad_row: bool = False) -> Path:
    """A wide sheet: one row per landlord, one column per indicator, a year column."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Indicators 2009-10"
    sheet.append(["Landlord", "Year", "BV66a", "BV72"])
    sheet.append(["Test Homes", "2009/10", 2.1, 91.0])
    for number in range(1, 9):
        sheet.append([f"Peer Housing {number}", "2009/10", 1.5 + number / 10, 85 + number])
    if bad_row:
        sheet.append(["Peer Housing 9", "2009/10", "lots", 90])
    book.save(path)
    return path


def _run_to(qtbot: QtBot, wizard: ImportWizard, page: object) -> None:
    wizard.next()
    assert wizard.currentPage() is page
    qtbot.waitUntil(lambda: not wizard.ctx.runner.busy, timeout=WAIT_MS)


def test_wizard_imports_a_workbook(qtbot: QtBot, empty_window: MainWindow,
                                   tmp_path: Path) -> None:
    wizard = empty_window.import_indicators()
    assert wizard is not None
    wizard.files_page.files.add_paths([_workbook(tmp_path / "values.xlsx")])
    assert wizard.files_page.isComplete()
    _run_to(qtbot, wizard, wizard.mapping_page)
    qtbot.waitUntil(lambda: wizard.mapping_page.preview is not None, timeout=WAIT_MS)
    assert "wide layout" in wizard.mapping_page.detected.text()
    assert wizard.mapping_page.columns.rowCount() == 4

    wizard.mapping_page.save_as("Club returns")
    wait_idle(qtbot, empty_window)
    assert "Club returns" in editing.import_profiles(empty_window.ctx.db)

    _run_to(qtbot, wizard, wizard.check_page)
    qtbot.waitUntil(lambda: wizard.check_page.report is not None, timeout=WAIT_MS)
    assert wizard.check_page.report.dry_run and not wizard.check_page.report.written
    assert wizard.check_page.isComplete()

    _run_to(qtbot, wizard, wizard.import_page)
    qtbot.waitUntil(lambda: wizard.import_page.report is not None, timeout=WAIT_MS)
    report = wizard.import_page.report
    assert report.written and report.imported == 18
    assert wizard.import_page.progress.value() == 1000
    wizard.accept()
    qtbot.waitUntil(lambda: empty_window.home.data is not None
                    and empty_window.home.data.benchmark is not None, timeout=WAIT_MS)
    assert empty_window.home.benchmarked.number.text() == "2"


def test_problems_are_listed_and_block_the_import(qtbot: QtBot, empty_window: MainWindow,
                                                  tmp_path: Path) -> None:
    wizard = empty_window.import_indicators()
    wizard.files_page.files.add_paths([_workbook(tmp_path / "bad.xlsx", bad_row=True)])
    _run_to(qtbot, wizard, wizard.mapping_page)
    _run_to(qtbot, wizard, wizard.check_page)
    qtbot.waitUntil(lambda: wizard.check_page.report is not None, timeout=WAIT_MS)
    page = wizard.check_page
    errors = page.report.errors
    assert errors and errors[0].row == 11 and errors[0].column == "C"
    assert not page.isComplete()
    assert page.issues.total() == len(page.report.issues)
    write_issues_csv(empty_window.ctx.db, tmp_path / "problems.csv", list(page.report.issues))
    assert "C" in (tmp_path / "problems.csv").read_text(encoding="utf-8-sig")
    page.skip_invalid.setChecked(True)
    assert page.isComplete()
    wizard.reject()


def test_changing_a_column_role_reads_the_file_again(qtbot: QtBot, empty_window: MainWindow,
                                                     tmp_path: Path) -> None:
    wizard = empty_window.import_indicators()
    wizard.files_page.files.add_paths([_workbook(tmp_path / "values.xlsx")])
    _run_to(qtbot, wizard, wizard.mapping_page)
    page = wizard.mapping_page
    page.set_role("BV72", "ignore")
    qtbot.waitUntil(lambda: not empty_window.runner.busy, timeout=WAIT_MS)
    roles = {c.header: c.role for s in page.preview.sheets for c in s.columns}
    assert roles["BV72"] is None
    wizard.reject()
