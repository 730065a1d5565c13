"""Found by a new user at 1024x768 (a Welsh stock-transfer association's first review, of gas
servicing): the distribution chart's title, the evidence table and what it says of a file."""

from __future__ import annotations

from html import unescape
from pathlib import Path

from journey_steps import choose_file, go_to_stage, open_review
from person import (
    WAIT_MS,
    button,
    click,
    click_button,
    click_list_item,
    click_row,
    field,
    scroll_to,
    settle,
    type_and_ok,
    when_dialog,
)
from PySide6.QtCharts import QChartView
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QToolTip,
    QWidget,
)
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow


def at_1024(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1024, 768)
    qtbot.waitUntil(lambda: window.width() == 1024, timeout=2000)
    settle(qtbot, window)


def test_a_long_indicator_names_distribution_title_wraps_whole_at_1024(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    """'Urgent repairs completed within Government time limits, 2008/09: peers, lowest first'
    was cut to '... peers, lo...' and the quartiles' line went with it."""
    at_1024(qtbot, demo_window)
    click_list_item(qtbot, demo_window.sidebar, "Benchmarking")
    settle(qtbot, demo_window)
    table = field(demo_window, "Indicator benchmark", QTableView)
    model = table.model()
    names = [str(model.index(r, 1).data()) for r in range(model.rowCount())]
    longest = max(names, key=len)
    click_row(qtbot, table, longest, 1)
    settle(qtbot, demo_window)
    view = field(demo_window, "Peer distribution chart", QChartView)
    scroll_to(view)
    qtbot.wait(50)
    title = view.chart().title()
    lines = [unescape(line) for line in title.split("<br>")]
    metrics = QFontMetrics(view.chart().titleFont())
    for line in lines:
        assert metrics.horizontalAdvance(line) < view.width() - 20, line
        assert "\u2026" not in line, line
    said = " ".join(lines)
    assert said.startswith(f"{longest}, "), said
    assert "peers, lowest first" in said and "median" in said, said
    assert view.toolTip().startswith(f"{longest}, "), view.toolTip()


def hover(qtbot: QtBot, table: QTableView, row: int, column: int) -> str:
    """The tooltip a person sees resting the mouse on a cell."""
    spot = table.visualRect(table.model().index(row, column)).center()
    QApplication.sendEvent(table.viewport(), QHelpEvent(
        QEvent.Type.ToolTip, spot, table.viewport().mapToGlobal(spot)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    return QToolTip.text()


def test_the_evidence_table_fits_at_1024_with_long_file_names(
        qtbot: QtBot, demo_window: MainWindow, tmp_path: Path) -> None:
    """Two files attached, one with a long name and one of a single byte: the table scrolled
    sideways to its Expires column, and the byte was '1 bytes'."""
    audit = tmp_path / ("Gas safety compliance audit report by Corgi-registered auditor "
                        "March 2009.txt")
    audit.write_text("Independent audit of gas safety records, March 2009", encoding="utf-8")
    survey = tmp_path / "tenant-satisfaction-survey-results-2008.csv"
    survey.write_text("x", encoding="utf-8")
    at_1024(qtbot, demo_window)
    open_review(qtbot, demo_window, "Voids and lettings")
    go_to_stage(qtbot, demo_window, "Evidence files")
    for path in (audit, survey):
        chosen = when_dialog(choose_file(path))
        click_button(qtbot, demo_window, "Attach Files")
        qtbot.waitUntil(lambda chosen=chosen: bool(chosen), timeout=WAIT_MS)
        settle(qtbot, demo_window)
    table = field(demo_window, "Evidence files", QTableView)
    scroll_to(table)
    qtbot.wait(50)
    model = table.model()
    headings = [model.headerData(c, Qt.Orientation.Horizontal)
                for c in range(model.columnCount())]
    assert not table.horizontalScrollBar().isVisible(), "the evidence table scrolls sideways"
    shown = [c for c in range(model.columnCount()) if not table.isColumnHidden(c)]
    assert "Expires" in [headings[c] for c in shown]
    right = max(table.columnViewportPosition(c) + table.columnWidth(c) for c in shown)
    assert right <= table.viewport().width()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == survey.name)
    assert table.rowHeight(row) >= table.sizeHintForRow(row)  # the long name wrapped, whole
    tip = hover(qtbot, table, row, 0)
    for heading in headings:  # what stepped aside is on hover
        if heading not in [headings[c] for c in shown]:
            assert f"{heading}: " in tip, tip
    click_row(qtbot, table, survey.name)
    settle(qtbot, demo_window)
    details = field(demo_window, "File details", QLabel).text()
    assert "(1 byte)" in details, details


def test_the_reason_to_sign_off_with_items_outstanding_tabs_on_to_ok(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    """The reason box took Tab as a character: a keyboard user typed the reason and could not
    reach OK. Typed, Tab, Space: signed off; then reopened with the buttons."""
    pressed: list[str] = []

    def reason_then_tab_to_ok(dialog: QWidget) -> None:
        box = next(b for b in dialog.findChildren(QPlainTextEdit) if b.isVisible())
        QTest.keyClicks(box, "The board took the gas contract decision in March")
        QTest.keyClick(box, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        pressed.append(now.text() if isinstance(now, QPushButton) else repr(now))
        QTest.keyClick(now, Qt.Key.Key_Space)
        if dialog.isVisible():  # Tab never left the box: nothing else would close it
            QTest.mouseClick(button(dialog, "Cancel"), Qt.MouseButton.LeftButton)

    open_review(qtbot, demo_window, "Voids and lettings")
    go_to_stage(qtbot, demo_window, "8. Sign-off")
    approver = when_dialog(type_and_ok("Sian Pritchard"), title="Sign Off Review")
    reason = when_dialog(reason_then_tab_to_ok, title="Sign Off With Items Outstanding")
    click_button(qtbot, demo_window, "Sign Off Review")
    qtbot.waitUntil(lambda: bool(approver) and bool(reason), timeout=WAIT_MS)
    settle(qtbot, demo_window)
    assert pressed and pressed[0].replace("&", "") == "OK", pressed
    assert "signed off, read-only" in demo_window.workspace.subtitle.text()
    reopened = when_dialog(type_and_ok("Contract award needs the new tender prices"),
                           title="Reopen Review")
    click(qtbot, button(demo_window, "Reopen Review"))
    qtbot.waitUntil(lambda: bool(reopened), timeout=WAIT_MS)
    settle(qtbot, demo_window)
    assert "read-only" not in demo_window.workspace.subtitle.text()
