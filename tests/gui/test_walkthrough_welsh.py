"""Found by a new user at 1024x768 (a Welsh stock-transfer association's first review, of gas
servicing): the distribution chart's title, the evidence table and what it says of a file, the
reason to sign off that Tab could not leave, and the cost grid's eleven years."""

from __future__ import annotations

from html import unescape
from pathlib import Path

from journey_steps import choose_file, go_to_stage, open_review, start_new_review
from person import (
    WAIT_MS,
    button,
    choose,
    click,
    click_button,
    click_cell,
    click_list_item,
    click_row,
    click_tab,
    field,
    hover,
    press,
    row_of,
    scroll_to,
    settle,
    type_and_ok,
    type_into,
    when_dialog,
)
from PySide6.QtCharts import QChartView
from PySide6.QtCore import QDir, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot
from test_walkthrough_wheel import turn_wheel_over

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


def test_the_cost_grid_shows_all_eleven_years_at_1024(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    """Eleven years of seven-figure amounts: the grid scrolled sideways to see years 5 to 10.
    Now the stages run across above the stage, the amounts are in three figures (whole on
    hover and when edited), and the chosen line's VAT and description are in a form below."""
    at_1024(qtbot, demo_window)
    open_review(qtbot, demo_window, "Responsive repairs")
    go_to_stage(qtbot, demo_window, "5. Compete")
    stages = field(demo_window, "Review stages", QListWidget)  # across, above the stage
    page = demo_window.workspace.pages
    assert stages.mapTo(demo_window, stages.rect().bottomLeft()).y() \
        < page.mapTo(demo_window, page.rect().topLeft()).y()
    for row in range(stages.count()):  # in short rows, to leave the stage its height
        assert stages.visualItemRect(stages.item(row)).height() <= 28
    assert stages.verticalScrollBar().maximum() == 0  # every stage in sight
    click_tab(qtbot, field(demo_window, "Option details", QTabWidget), "Costs")
    grid = field(demo_window, "Cost grid", QTableView)
    scroll_to(grid)
    settle(qtbot, demo_window)
    model = grid.model()
    assert not grid.horizontalScrollBar().isVisible(), "the cost grid scrolls sideways"
    years = [c for c in range(model.columnCount())
             if str(model.headerData(c, Qt.Orientation.Horizontal)).startswith("Year")]
    assert len(years) == 11
    right = max(grid.columnViewportPosition(c) + grid.columnWidth(c) for c in years)
    assert right <= grid.viewport().width()
    for column in years:  # every figure whole in its column, the bold total too
        for row in range(model.rowCount()):
            text = str(model.index(row, column).data() or "")
            assert grid.fontMetrics().horizontalAdvance(text) * 1.1 + 6 \
                < grid.columnWidth(column), text
    materials = row_of(grid, "Materials")
    assert model.index(materials, 4).data() == "1.05m"
    tip = hover(qtbot, grid, materials, 4)  # the amount whole, and what stepped aside
    assert tip.splitlines()[0] == "\u00a31,050,000", tip
    assert "Description: Materials from merchants" in tip and "VAT: Irrecoverable" in tip
    total = model.rowCount() - 1
    assert model.index(total, 4).data() == "4.15m"
    click_cell(qtbot, grid, materials, 4)
    settle(qtbot, demo_window)
    assert field(demo_window, "Description", QLineEdit).text() == "Materials from merchants"
    assert field(demo_window, "VAT", QComboBox).currentText() == "Irrecoverable"
    press(qtbot, demo_window, Qt.Key.Key_F2)  # edited, the amount is whole
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "1050000", editor
    press(qtbot, demo_window, Qt.Key.Key_Escape)


def test_the_wheel_over_the_option_tabs_scrolls_the_page_not_the_tabs(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    """Scrolling down the Compete page with the wheel, the tabs passed under the pointer and the
    wheel switched them: the Costs tab chosen became Quality Scores."""
    at_1024(qtbot, demo_window)
    open_review(qtbot, demo_window, "Responsive repairs")
    go_to_stage(qtbot, demo_window, "5. Compete")
    tabs = field(demo_window, "Option details", QTabWidget)
    click_tab(qtbot, tabs, "Costs")
    page = next(p for p in demo_window.findChildren(QScrollArea)
                if p.isAncestorOf(tabs) and p.verticalScrollBar().maximum() > 0)
    before = page.verticalScrollBar().value()
    turn_wheel_over(tabs.tabBar())
    settle(qtbot, demo_window)
    assert tabs.tabText(tabs.currentIndex()).replace("&", "") == "Costs"
    assert page.verticalScrollBar().value() > before


def test_a_peer_group_made_by_list_with_the_keyboard_is_listed_whole(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    """Typing the members, Tab typed a tab into the list instead of going on to Save Group;
    the saved group's entry, 'Welsh stock transfers (3 organisations, by list)', ran off the
    side of the list."""
    at_1024(qtbot, demo_window)
    click_list_item(qtbot, demo_window.sidebar, "Benchmarking")
    settle(qtbot, demo_window)
    click_button(qtbot, demo_window, "Peer Groups")
    qtbot.waitUntil(lambda: any(w.isVisible() and w.windowTitle() == "Peer Groups"
                                for w in QApplication.topLevelWidgets()), timeout=WAIT_MS)
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if w.isVisible() and w.windowTitle() == "Peer Groups")
    dialog.activateWindow()  # as a desktop gives a new dialog the keyboard (offscreen may not)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    type_into(qtbot, field(dialog, "Group name", QLineEdit), "Welsh stock transfers")
    click(qtbot, button(dialog, "By list"))
    members = field(dialog, "Members", QPlainTextEdit)
    peers = field(demo_window, "Peer distribution data", QTableView).model()
    names = [str(peers.index(r, 0).data()).removeprefix("\u25b6 ") for r in range(3)]
    click(qtbot, members)
    for name in names:  # one a line
        qtbot.keyClicks(members, name)
        qtbot.keyClick(members, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is members
    qtbot.keyClick(members, Qt.Key.Key_Tab)
    assert "\t" not in members.toPlainText()
    now = QApplication.focusWidget()
    assert isinstance(now, QPushButton) and dialog.isAncestorOf(now), (now, now.window())
    click_button(qtbot, dialog, "Save Group")
    settle(qtbot, demo_window)
    groups = field(dialog, "Peer groups", QListWidget)
    qtbot.waitUntil(lambda: any(groups.item(r).text().startswith("Welsh stock transfers")
                                for r in range(groups.count())), timeout=WAIT_MS)
    assert groups.horizontalScrollBar().maximum() == 0, "an entry runs off the list's side"
    row = next(r for r in range(groups.count())
               if groups.item(r).text().startswith("Welsh stock transfers"))
    rect = groups.visualItemRect(groups.item(row))
    assert rect.right() <= groups.viewport().width()
    click_button(qtbot, dialog, "Close")


def test_a_cost_line_added_is_the_chosen_line_with_its_vat_in_sight(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    """At 1024x768 a new line's VAT stepped aside, and with no line chosen after Add Cost Line
    the form under the grid that shows it stayed hidden: the VAT could not be set."""
    at_1024(qtbot, empty_window)
    start_new_review(qtbot, empty_window, "Gas servicing Best Value review 2009/10")
    go_to_stage(qtbot, empty_window, "5. Compete")
    click_button(qtbot, empty_window, "Add Option")
    settle(qtbot, empty_window)
    click_tab(qtbot, field(empty_window, "Option details", QTabWidget), "Costs")
    click_button(qtbot, empty_window, "Add Cost Line")
    settle(qtbot, empty_window)
    grid = field(empty_window, "Cost grid", QTableView)
    assert grid.currentIndex().isValid() and grid.currentIndex().row() == 0
    vat = next(c for c in range(grid.model().columnCount())
               if grid.model().headerData(c, Qt.Orientation.Horizontal) == "VAT")
    if grid.isColumnHidden(vat):
        choose(qtbot, field(empty_window, "VAT", QComboBox), "Irrecoverable")
        settle(qtbot, empty_window)
        assert grid.model().index(0, vat).data() == "Irrecoverable"
    assert not grid.horizontalScrollBar().isVisible()
    click_cell(qtbot, grid, 0, vat + 3)  # year 1: typed, it reads whole while it has room
    typed = ("185000", "190550")  # years 1 and 2
    for amount in typed:
        for figure in amount:  # the first opens the cell's editor, the rest go into it
            qtbot.keyClicks(QApplication.focusWidget(), figure)
        press(qtbot, empty_window, Qt.Key.Key_Tab)
        settle(qtbot, empty_window)
    assert [grid.model().index(0, vat + 3 + n).data() for n in range(len(typed))] == [
        f"{int(amount):,}" for amount in typed]
    assert not grid.horizontalScrollBar().isVisible()


def test_the_peers_bars_of_a_percentage_near_100_show_their_differences(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    """Rent collected runs from about 96% to 99.9%: drawn from nought, every peer's bar was the
    same height and the chart said nothing the table did not."""
    click_list_item(qtbot, demo_window.sidebar, "Benchmarking")
    settle(qtbot, demo_window)
    click_row(qtbot, field(demo_window, "Indicator benchmark", QTableView), "BV66a")
    settle(qtbot, demo_window)
    view = field(demo_window, "Peer distribution chart", QChartView)
    peers = field(demo_window, "Peer distribution data", QTableView).model()
    values = [float(str(peers.index(r, 1).data()).rstrip("%")) for r in range(peers.rowCount())]
    axis = view.chart().axes(Qt.Orientation.Vertical)[0]
    assert axis.min() <= min(values) and axis.max() >= max(values)
    assert (max(values) - min(values)) / (axis.max() - axis.min()) > 0.4, \
        (axis.min(), axis.max(), min(values), max(values))


def test_attach_and_import_files_start_in_the_home_folder(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    """Attach Files and the import wizard's Add Files opened in whatever folder bvdesk was
    started from (the program's own)."""
    seen: list[str] = []

    def look_and_cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        seen.append(dialog.directory().absolutePath())
        dialog.reject()

    # The wizard first: a file dialog told no folder opens in the last one a dialog showed.
    press(qtbot, demo_window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QWizard),
                    timeout=WAIT_MS)
    wizard = QApplication.activeModalWidget()
    answered = when_dialog(look_and_cancel)
    click_button(qtbot, wizard, "Add Files")
    qtbot.waitUntil(lambda: bool(answered), timeout=WAIT_MS)
    click_button(qtbot, wizard, "Cancel")

    open_review(qtbot, demo_window, "Voids and lettings")
    go_to_stage(qtbot, demo_window, "Evidence files")
    answered = when_dialog(look_and_cancel)
    click_button(qtbot, demo_window, "Attach Files")
    qtbot.waitUntil(lambda: bool(answered), timeout=WAIT_MS)
    assert seen == [QDir.homePath()] * 2, seen
