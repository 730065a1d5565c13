"""Found as a new officer of a London association of 12,400 homes, importing the London club's
wide workbook (one column per indicator, years written '2022-23') and taking a review through
its stages at 1024x768."""

from __future__ import annotations

from pathlib import Path

from journey_steps import choose_file, wizard_next
from openpyxl import Workbook
from person import (
    WAIT_MS,
    choose,
    click,
    click_button,
    click_list_item,
    click_row,
    field,
    press,
    scroll_to,
    settle,
    when_dialog,
)
from PySide6.QtCharts import QChartView
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QTableView, QWidget, QWizard
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow


def _london_club(path: Path) -> Path:
    """The club's returns: re-let times typed as '26.7 days' by some members."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Club returns"
    sheet.append(["London Metropolitan Benchmarking Club - annual returns"])
    sheet.append([])
    sheet.append(["Organisation", "Year", "Av. re-let time", "Rent collected %"])
    sheet.append(["Thameside Metropolitan Housing", "2022-23", "26.7 days", 97.5])
    sheet.append(["Northbank Homes", "2022-23", 28.7, "99.1%"])
    sheet.append(["Camden Square HA", "2022-23", "31 Days", 98.4])
    book.save(path)
    return path


def _open_wizard(qtbot: QtBot, window: MainWindow, book: Path) -> QWizard:
    chosen = when_dialog(choose_file(book))
    press(qtbot, window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QWizard),
                    timeout=WAIT_MS)
    wizard = QApplication.activeModalWidget()
    assert isinstance(wizard, QWizard)
    click_button(qtbot, wizard, "Add Files")
    qtbot.waitUntil(lambda: bool(chosen), timeout=WAIT_MS)
    wizard_next(qtbot, wizard, window)
    return wizard


def test_re_let_times_written_in_days_are_imported(
        qtbot: QtBot, empty_window: MainWindow, tmp_path: Path) -> None:
    """'26.7 days' was refused as 'not a number', and with it every other figure of the row
    (the landlord's own among them) unless the file was edited; '99.1%' and '£612' were read."""
    empty_window.resize(1024, 768)
    wizard = _open_wizard(qtbot, empty_window, _london_club(tmp_path / "london club.xlsx"))
    choose(qtbot, field(wizard, "Read column C as", QComboBox), "BV212")
    wizard_next(qtbot, wizard, empty_window)
    problems = field(wizard, "Problems found", QTableView).model()
    summary = field(wizard, "Import summary", QLabel)
    qtbot.waitUntil(lambda: summary.text().startswith("Dry run"), timeout=WAIT_MS)
    assert [problems.index(r, 4).data() for r in range(problems.rowCount())] == []
    assert "would import 6 new values" in summary.text(), summary.text()
    click(qtbot, wizard.button(QWizard.WizardButton.CommitButton))
    qtbot.waitUntil(lambda: field(wizard, "Import summary", QLabel).text().startswith(
        "Imported 6 new values"), timeout=WAIT_MS)
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))


def test_the_benchmarking_trend_can_be_seen_whole_on_a_768_pixel_screen(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    """At 1024x768 the Benchmarking page was taller than the window: the trend chart was cut
    off below its middle, its years never in sight, with nothing to scroll."""
    demo_window.resize(1024, 768)
    click_list_item(qtbot, demo_window.sidebar, "Benchmarking")
    table = field(demo_window, "Indicator benchmark", QTableView)
    qtbot.waitUntil(lambda: table.model().rowCount() > 0, timeout=WAIT_MS)
    click_row(qtbot, table, "BV212")
    settle(qtbot, demo_window)
    for name in ("Peer distribution chart", "Trend chart"):
        chart = field(demo_window, name, QChartView)
        # (To a graphics view, Qt's scrolling-to-a-widget goes only as far as its top.)
        scroll_to(chart.parentWidget())
        qtbot.wait(50)
        assert _in_sight(chart) == chart.rect(), name


def _in_sight(widget: QWidget) -> QRect:
    """The part of ``widget`` its parents do not clip, in its own coordinates."""
    seen = QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None:
        seen &= QRect(parent.mapToGlobal(QPoint(0, 0)), parent.size())
        parent = parent.parentWidget()
    return seen.translated(-widget.mapToGlobal(QPoint(0, 0)))
