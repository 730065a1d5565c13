"""Found importing a benchmarking club's wide workbook at 1024x768 as a new user: the club's
'Median' and 'Upper quartile' rows are rightly skipped, but the warning saying so was cut to
"Row skipped: 'Median' is an aggregate, not a ..." in a Problem column squeezed by the row,
column and severity columns, with nothing to read the rest in; and its row number there did
not match the sample rows above, numbered 1, 2, 3 from under the heading."""

from __future__ import annotations

from pathlib import Path

from journey_steps import open_import_wizard, wizard_next
from openpyxl import Workbook
from person import WAIT_MS, click, field, press_button, when_dialog
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableView, QTableWidget, QWizard
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow


def _club(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "2024-25"
    sheet.append(["Rural Housing Benchmarking Club: key indicators 2024-25"])
    sheet.append([])
    sheet.append(["Member", "Re-let time", "Void rent loss"])
    sheet.append(["Test Homes", 59.4, "2.6%"])
    sheet.append(["Fellside Homes", 29.6, "0.9%"])
    sheet.append(["Median", 35.7, "2.5%"])
    sheet.append(["Wolds Rural HA", "n/a", "-"])
    book.save(path)
    return path


def test_the_clubs_median_row_warning_can_be_read_whole(
        qtbot: QtBot, empty_window: MainWindow, tmp_path: Path) -> None:
    empty_window.resize(1024, 768)
    wizard = open_import_wizard(qtbot, empty_window, _club(tmp_path / "club.xlsx"))
    # The first rows are numbered as in the spreadsheet (they were 1, 2, 3 under a heading on
    # row 3), so the 'Median' row is row 6 here as in the problems below.
    sample = field(wizard, "Sample rows", QTableWidget)
    qtbot.waitUntil(lambda: sample.rowCount() > 0, timeout=WAIT_MS)
    median = next(r for r in range(sample.rowCount()) if sample.item(r, 0).text() == "Median")
    assert sample.verticalHeaderItem(median).text() == "6"
    assert sample.verticalHeaderItem(0).text() == "4"
    wizard_next(qtbot, wizard, empty_window)
    table = field(wizard, "Problems found", QTableView)
    model = table.model()
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=WAIT_MS)
    # The organisations new to the database are named, so the landlord itself spelt another
    # way would be seen before it became its own peer (only a count was given).
    summary = field(wizard, "Import summary", QLabel).text()
    # (Wolds Rural HA gave no figure, so it is not added.)
    assert "New organisations, which would be added as peers: Fellside Homes." in summary, \
        summary

    problem = next(model.index(row, 4) for row in range(model.rowCount())
                   if "'Median'" in model.index(row, 4).data())
    assert model.index(problem.row(), 2).data() == "6"
    message = problem.data()
    assert message.startswith("Row skipped: 'Median' is an aggregate")
    # The whole message is there to read where the cell cuts it.
    assert problem.data(Qt.ItemDataRole.ToolTipRole) == message
    # Sheet, row, column and severity take what they need; the problem gets the rest.
    header = table.horizontalHeader()
    for short in (1, 2, 3, 5):
        assert header.sectionSize(short) <= 90, model.headerData(short, Qt.Orientation.Horizontal)
    assert header.sectionSize(4) >= 0.55 * table.viewport().width()
    stopped = when_dialog(press_button("Yes"))
    click(qtbot, wizard.button(QWizard.WizardButton.CancelButton))
    qtbot.waitUntil(lambda: bool(stopped) and not wizard.isVisible(), timeout=WAIT_MS)
