"""What a polished desktop product has, tried as a person would: clicks, keys and the clipboard.

Each test drives visible widgets only (mouse and key clicks on buttons, list items, fields and
table cells; the clipboard for copy and paste) and reads what is on screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from ui_helpers import WAIT_MS, open_window, wait_idle

from bvdesk.domain.vocabulary import Stage
from bvdesk.operations import editing, signoff
from bvdesk.operations.reviews import create_review
from bvdesk.store.db import Database
from bvdesk.store.models import AuditEntry
from bvdesk.ui.help import HelpDialog
from bvdesk.ui.import_wizard import ImportWizard
from bvdesk.ui.mainwindow import MainWindow
from bvdesk.ui.report_dialog import ReportDialog
from bvdesk.ui.reviews_page import NewReviewDialog
from bvdesk.ui.workspace import ReviewWorkspace

# --- what a person does --------------------------------------------------------------------------


def click(qtbot: QtBot, widget: QWidget, pos: QPoint | None = None,
          button: Qt.MouseButton = Qt.MouseButton.LeftButton) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.accessibleName()
    qtbot.mouseClick(widget, button, pos=pos if pos is not None else widget.rect().center())


def activate(qtbot: QtBot, window: QWidget) -> None:
    """Bring the window to the front, as a person does by clicking it (keys go to it)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)


def type_into(qtbot: QtBot, editor: QWidget, text: str, *, enter: bool = True) -> None:
    """Click into a box, select what is there, type over it and press Enter."""
    click(qtbot, editor)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(editor, text)
    else:
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
    if enter:
        qtbot.keyClick(editor, Qt.Key.Key_Return)


def paste_into(qtbot: QtBot, editor: QWidget, text: str) -> None:
    """Copy ``text`` to the clipboard (as from another program), then paste it over a box."""
    QApplication.clipboard().setText(text)
    click(qtbot, editor)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def click_row(qtbot: QtBot, view: QAbstractItemView, row: int, column: int = 0, *,
              double: bool = False) -> None:
    index = view.model().index(row, column)
    view.scrollTo(index)
    pos = view.visualRect(index).center()
    if double:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    else:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def go_to_stage(qtbot: QtBot, ws: ReviewWorkspace, stage: Stage) -> QWidget:
    item = ws.stages.item(stage.position)
    qtbot.mouseClick(ws.stages.viewport(), Qt.MouseButton.LeftButton,
                     pos=ws.stages.visualItemRect(item).center())
    page = ws.page(stage)
    qtbot.waitUntil(lambda: ws.pages.currentWidget() is page, timeout=WAIT_MS)
    return page


def new_review(qtbot: QtBot, window: MainWindow, title: str) -> ReviewWorkspace:
    """Review > New Review (Ctrl+Shift+N), type a title, press Enter: the workspace opens."""
    qtbot.keyClick(window, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(NewReviewDialog)),
                    timeout=WAIT_MS)
    dialog = next(d for d in window.findChildren(NewReviewDialog) if d.isVisible())
    qtbot.keyClicks(dialog.title, title)
    qtbot.keyClick(dialog.title, Qt.Key.Key_Return)
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.store.review is not None and ws.store.review["title"] == title
                    and ws.isVisible(), timeout=WAIT_MS)
    wait_idle(qtbot, window)
    return ws


def needs(ws: ReviewWorkspace, stage: Stage) -> str:
    return " ".join(ws.store.needs.missing(stage)) if ws.store.needs else ""


# --- 1. validation -------------------------------------------------------------------------------


def test_an_end_date_before_the_start_date_is_refused_until_corrected(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    ws = new_review(qtbot, window, "Repairs review 2009/10")
    scope = go_to_stage(qtbot, ws, Stage.SCOPE)
    start, end = scope.form.editor("start_date"), scope.form.editor("end_date")
    type_into(qtbot, start, "01/04/2009")
    type_into(qtbot, end, "31/03/2009")
    error = scope.form.error_text("end_date")
    assert "before the start date (01/04/2009)" in error, error
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "start and end dates" in needs(ws, Stage.SCOPE), timeout=WAIT_MS)

    type_into(qtbot, end, "31/03/2010")
    assert scope.form.error_text("end_date") == ""
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "dates" not in needs(ws, Stage.SCOPE), timeout=WAIT_MS)


def test_a_huge_title_is_refused_and_the_message_goes_once_it_is_fixed(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    ws = new_review(qtbot, window, "Repairs review")
    scope = go_to_stage(qtbot, ws, Stage.SCOPE)
    title = scope.form.editor("title")
    paste_into(qtbot, title, "Responsive repairs " * 10_527)  # 200,013 characters
    assert "at most 200 characters" in scope.form.error_text("title")
    wait_idle(qtbot, window)
    assert ws.store.review["title"] == "Repairs review"
    assert ws.title.text() == "Repairs review"

    type_into(qtbot, title, "Responsive repairs review 2009/10")
    assert scope.form.error_text("title") == ""
    qtbot.waitUntil(lambda: ws.title.text() == "Responsive repairs review 2009/10",
                    timeout=WAIT_MS)


def test_a_refused_table_edit_is_shown_until_a_good_value_is_saved(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    ws = new_review(qtbot, window, "Repairs review")
    scope = go_to_stage(qtbot, ws, Stage.SCOPE)
    click(qtbot, scope.team.add_button)
    qtbot.waitUntil(lambda: scope.team.model.rowCount() == 1, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    table = scope.team.table
    click_row(qtbot, table, 0, 0)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ws.message.isVisible(), timeout=WAIT_MS)
    assert "Name cannot be empty" in ws.message.text()

    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.focusWidget()
    qtbot.keyClicks(editor, "Margaret Lewis")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not ws.message.isVisible(), timeout=WAIT_MS)
    assert scope.team.model.row_at(0)["name"] == "Margaret Lewis"


def test_impossible_survey_counts_are_refused_and_shown_as_an_error(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    ws = new_review(qtbot, window, "Repairs review")
    consult = go_to_stage(qtbot, ws, Stage.CONSULT)
    click(qtbot, consult.panel.add_button)
    qtbot.waitUntil(lambda: consult.panel.model.rowCount() == 1, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    form = consult.panel.form
    for name, typed in (("issued", "1000"), ("responses", "500"), ("satisfied", "400")):
        type_into(qtbot, form.editor(name), typed)
        assert form.error_text(name) == ""
    type_into(qtbot, form.editor("valid_answers"), "600")
    assert "Valid answers (600) cannot be more than responses (500)" in \
        form.error_text("valid_answers")
    assert "CI" not in consult.stats.text()
    assert consult.stats.objectName() == "fieldError"
    wait_idle(qtbot, window)
    assert consult.panel.model.row_at(0)["valid_answers"] is None

    type_into(qtbot, form.editor("valid_answers"), "450")
    assert form.error_text("valid_answers") == ""
    assert "Response rate 50.0%" in consult.stats.text()
    assert "88.9% (95% CI" in consult.stats.text()
    assert consult.stats.objectName() == "complete"


# --- 2. evidence ---------------------------------------------------------------------------------


def _message_box(qtbot: QtBot, window: MainWindow, text: str) -> QMessageBox:
    found: list[QMessageBox] = []

    def shown() -> None:
        found[:] = [b for b in window.findChildren(QMessageBox)
                    if b.isVisible() and text in b.text()]
        assert found

    qtbot.waitUntil(shown, timeout=WAIT_MS)
    return found[0]


def _open_first_review_from_home(qtbot: QtBot, window: MainWindow) -> ReviewWorkspace:
    table = window.home.review_table
    qtbot.waitUntil(lambda: table.model().rowCount() > 0, timeout=WAIT_MS)
    click_row(qtbot, table, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.isVisible() and ws.store.review is not None, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    return ws


def test_evidence_is_listed_by_name_and_removed_unless_signed_off(
        qtbot: QtBot, tmp_db_path: Path, tmp_path: Path) -> None:
    db = Database.open(tmp_db_path, write=True, user="Officer")
    review_id = create_review(db, "repairs", "Repairs review")
    for name in ("board-minutes.pdf",):
        (tmp_path / name).write_bytes(b"%PDF" + b"x" * 3000)
        editing.attach_evidence(db, review_id, tmp_path / name)
    signoff.sign_off(db, review_id, "Chair of the Board",
                     override_reason="Only the evidence matters here")
    signoff.reopen(db, review_id, "Officer", "New survey results")
    (tmp_path / "survey.xlsx").write_bytes(b"x" * 1_500_000)
    editing.attach_evidence(db, review_id, tmp_path / "survey.xlsx")
    db.close()
    window = open_window(qtbot, tmp_db_path)
    ws = _open_first_review_from_home(qtbot, window)
    evidence_item = ws.stages.item(len(Stage))
    qtbot.mouseClick(ws.stages.viewport(), Qt.MouseButton.LeftButton,
                     pos=ws.stages.visualItemRect(evidence_item).center())
    page = ws.evidence_page()
    qtbot.waitUntil(lambda: page.isVisible() and page.panel.model.rowCount() == 2,
                    timeout=WAIT_MS)
    table = page.panel.table
    shown = [[table.model().index(r, c).data() for c in range(3)] for r in range(2)]
    assert [row[:2] for row in shown] == [["board-minutes.pdf", "3 KB"],
                                          ["survey.xlsx", "1.5 MB"]]
    assert all(len(row[2]) == 10 for row in shown)  # the date it was added, dd/mm/yyyy

    click_row(qtbot, table, 0)
    click(qtbot, page.remove_button)
    confirm = _message_box(qtbot, window, "Remove board-minutes.pdf")
    click(qtbot, next(b for b in confirm.buttons() if b.text() == "Remove"))
    refused = _message_box(qtbot, window, "part of version 1, signed off on")
    click(qtbot, refused.buttons()[0])
    wait_idle(qtbot, window)
    assert page.panel.model.rowCount() == 2

    click_row(qtbot, table, 1)
    click(qtbot, page.remove_button)
    confirm = _message_box(qtbot, window, "Remove survey.xlsx")
    click(qtbot, next(b for b in confirm.buttons() if b.text() == "Remove"))
    qtbot.waitUntil(lambda: page.panel.model.rowCount() == 1, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    db = Database.open(tmp_db_path, write=False)
    with db.read() as session:
        removed = session.scalars(select(AuditEntry.old).where(
            AuditEntry.entity == "evidence", AuditEntry.action == "delete",
            AuditEntry.field == "file_name")).all()
    db.close()
    assert removed == ["survey.xlsx"]
    window.close()


# --- 3. pickers ----------------------------------------------------------------------------------


def test_indicators_are_linked_from_a_searchable_list_that_hides_linked_ones(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    ws = new_review(qtbot, window, "Repairs review")
    scope = go_to_stage(qtbot, ws, Stage.SCOPE)
    picker = scope.indicators.picker
    qtbot.waitUntil(lambda: picker.list.count() > 20, timeout=WAIT_MS)
    type_into(qtbot, picker.search, "repairs", enter=False)
    matches = picker.visible_codes()
    assert "BV72" in matches and "BV66a" not in matches
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    row = next(n for n in range(picker.list.count()) if picker.list.item(n).data(
        Qt.ItemDataRole.UserRole) == "BV72")
    click_row(qtbot, picker.list, row, double=True)
    qtbot.waitUntil(lambda: scope.indicators.linked.count() == 1, timeout=WAIT_MS)
    assert scope.indicators.linked.item(0).text().startswith("BV72")
    assert "BV72" not in picker.visible_codes()

    click_row(qtbot, scope.indicators.linked, 0)
    click(qtbot, scope.indicators.unlink_button)
    qtbot.waitUntil(lambda: scope.indicators.linked.count() == 0, timeout=WAIT_MS)
    assert "BV72" in picker.visible_codes()


def test_new_review_ticks_indicators_from_the_searchable_list(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    qtbot.keyClick(window, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(NewReviewDialog)),
                    timeout=WAIT_MS)
    dialog = next(d for d in window.findChildren(NewReviewDialog) if d.isVisible())
    qtbot.keyClicks(dialog.title, "Rent collection review")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier)
    picker = dialog.picker
    for search in ("BV66a", "arrears"):
        type_into(qtbot, picker.search, search)  # Enter goes to the list, not Create
        assert dialog.isVisible()
        qtbot.keyClick(picker.list, Qt.Key.Key_Space)
    assert picker.checked_codes() == ["BV66a", "BV66b"]
    click(qtbot, next(b for b in dialog.findChildren(QPushButton)
                      if b.text() == "Create Review"))
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.store.review is not None
                    and [i.code for i in ws.store.indicators] == ["BV66a", "BV66b"],
                    timeout=WAIT_MS)


def test_dates_are_picked_from_a_calendar(qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    ws = new_review(qtbot, window, "Repairs review")
    scope = go_to_stage(qtbot, ws, Stage.SCOPE)
    end = scope.form.editor("end_date")
    type_into(qtbot, end, "15/03/2027")
    qtbot.keyClick(end, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = end.calendar
    qtbot.waitUntil(calendar.isVisible, timeout=WAIT_MS)
    assert calendar.selectedDate().toString("dd/MM/yyyy") == "15/03/2027"
    table = calendar.findChild(QTableView)
    qtbot.keyClick(table, Qt.Key.Key_Right)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not calendar.isVisible(), timeout=WAIT_MS)
    assert end.text() == "16/03/2027"
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: str(ws.store.review["end_date"]) == "2027-03-16", timeout=WAIT_MS)


def test_stars_and_prospects_are_chosen_from_lists(qtbot: QtBot,
                                                   empty_window: MainWindow) -> None:
    window = empty_window
    ws = new_review(qtbot, window, "Repairs review")
    page = go_to_stage(qtbot, ws, Stage.SELF_ASSESSMENT)
    click(qtbot, page.panel.add_button)
    qtbot.waitUntil(lambda: page.panel.model.rowCount() == 1, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    stars = page.panel.form.editor("stars")
    assert isinstance(stars, QComboBox)
    assert [stars.itemText(n) for n in range(stars.count())] == [
        "Not set", "0 stars: poor", "1 star: fair", "2 stars: good", "3 stars: excellent"]
    prospects = page.panel.form.editor("prospects")
    assert isinstance(prospects, QComboBox)
    for combo, wanted in ((stars, "2 stars: good"), (prospects, "Promising")):
        click(qtbot, combo)
        view = combo.view()
        qtbot.waitUntil(view.isVisible, timeout=WAIT_MS)
        qtbot.keyClick(view, Qt.Key.Key_Home)
        while view.currentIndex().data() != wanted:
            qtbot.keyClick(view, Qt.Key.Key_Down)
        qtbot.keyClick(view, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    row = page.panel.model.row_at(0)
    assert (row["stars"], row["prospects"]) == (2, "promising")
    assert page.panel.model.index(0, 1).data() == "2 stars: good"


def test_disabled_and_read_only_fields_look_different(qtbot: QtBot,
                                                      empty_window: MainWindow) -> None:
    window = empty_window
    ws = new_review(qtbot, window, "Repairs review")
    page = go_to_stage(qtbot, ws, Stage.CONSULT)
    form = page.panel.form  # no activity yet: the form is disabled
    assert not form.isEnabled()
    disabled = form.editor("issued").grab().toImage()
    click(qtbot, page.panel.add_button)
    qtbot.waitUntil(lambda: form.isEnabled(), timeout=WAIT_MS)
    enabled = form.editor("issued").grab().toImage()
    middle = (enabled.width() // 2, enabled.height() // 2)
    assert disabled.pixelColor(*middle).lightness() < enabled.pixelColor(*middle).lightness()


# --- 4. tables like Excel ------------------------------------------------------------------------


def _sidebar(qtbot: QtBot, window: MainWindow, title: str) -> None:
    bar = window.sidebar
    item = next(bar.item(n) for n in range(bar.count()) if bar.item(n).text() == title)
    qtbot.mouseClick(bar.viewport(), Qt.MouseButton.LeftButton,
                     pos=bar.visualItemRect(item).center())


def _row_text(view: QAbstractItemView, row: int) -> str:
    model = view.model()
    return "\t".join(str(model.index(row, c).data() or "") for c in range(model.columnCount()))


def _copy(qtbot: QtBot, view: QAbstractItemView) -> str:
    QApplication.clipboard().clear()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    return QApplication.clipboard().text()


def test_the_review_list_sorts_filters_and_copies(qtbot: QtBot,
                                                  demo_window: MainWindow) -> None:
    window = demo_window
    _sidebar(qtbot, window, "Reviews")
    page = window.reviews
    table = page.table
    qtbot.waitUntil(lambda: table.isVisible() and table.model().rowCount() == 3,
                    timeout=WAIT_MS)
    type_into(qtbot, page.filter, "repairs", enter=False)
    titles = [table.model().index(r, 0).data() for r in range(table.model().rowCount())]
    assert titles and all("repairs" in t.lower() for t in titles)
    type_into(qtbot, page.filter, "", enter=False)
    assert table.model().rowCount() == 3

    header = table.horizontalHeader()
    stage = [table.model().headerData(c, Qt.Orientation.Horizontal)
             for c in range(table.model().columnCount())].index("Stage")
    for _ascending_then_descending in range(2):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(header.sectionViewportPosition(stage) + 10,
                                    header.height() // 2))
        shown = [int(table.model().index(r, stage).data().split(".")[0]) for r in range(3)]
        wanted = sorted(shown, reverse=header.sortIndicatorOrder()
                        == Qt.SortOrder.DescendingOrder)
        assert shown == wanted

    click_row(qtbot, table, 1)
    assert _copy(qtbot, table) == _row_text(table, 1)
    # The summary follows the row chosen in the sorted list.
    chosen = table.model().index(1, 0).data()
    qtbot.waitUntil(lambda: page.summary.card.title_label.text() == chosen, timeout=WAIT_MS)


def test_every_table_on_home_copies_and_figures_carry_units(qtbot: QtBot,
                                                            demo_window: MainWindow) -> None:
    window = demo_window
    home = window.home
    qtbot.waitUntil(lambda: home.data is not None, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    tables = [t for t in home.findChildren(QTableView) if t.model().rowCount()]
    assert len(tables) == 3
    for table in tables:
        click_row(qtbot, table, 0)
        assert _copy(qtbot, table) == _row_text(table, 0), table.accessibleName()

    indicators = home.indicator_table.model()
    headers = [indicators.headerData(c, Qt.Orientation.Horizontal)
               for c in range(indicators.columnCount())]
    for row in range(indicators.rowCount()):
        for name in ("Value", "Median"):
            text = indicators.index(row, headers.index(name)).data()
            assert text == "-" or text.endswith(("%", " days")) or text.startswith("£") \
                or text in ("Yes", "No") or text.replace(",", "").replace(".", "").isdigit(), \
                text
        trend = indicators.index(row, headers.index("Trend")).data()
        assert "yrs" not in trend and not trend.startswith("1 years")
    units = {indicators.index(r, headers.index("Value")).data()[-1]
             for r in range(indicators.rowCount())}
    assert "%" in units and "s" in units  # percentages and days


def test_an_editable_table_copies_its_cells(qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    ws = new_review(qtbot, window, "Repairs review")
    page = go_to_stage(qtbot, ws, Stage.CHALLENGE)
    table = page.panel.table
    qtbot.waitUntil(lambda: table.model().rowCount() > 2, timeout=WAIT_MS)
    click_row(qtbot, table, 2)
    assert _copy(qtbot, table) == _row_text(table, 2)
    assert _row_text(table, 2).startswith(page.panel.model.row_at(2)["question"][:20])


# --- 5. home leads somewhere ---------------------------------------------------------------------


def test_an_empty_home_offers_to_import_indicators(qtbot: QtBot,
                                                   empty_window: MainWindow) -> None:
    window = empty_window
    home = window.home
    qtbot.waitUntil(lambda: home.data is not None and home.import_button.isVisible(),
                    timeout=WAIT_MS)
    click(qtbot, home.import_button)
    qtbot.waitUntil(lambda: any(w.isVisible() for w in window.findChildren(ImportWizard)),
                    timeout=WAIT_MS)
    next(w for w in window.findChildren(ImportWizard) if w.isVisible()).reject()


def test_double_clicking_a_service_to_market_test_opens_or_starts_its_review(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    window = demo_window
    home = window.home
    table = home.trigger_table
    qtbot.waitUntil(lambda: home.data is not None and table.model().rowCount() == 3,
                    timeout=WAIT_MS)
    assert not home.import_button.isVisible()
    services = [table.model().index(r, 0).data() for r in range(3)]

    click_row(qtbot, table, services.index("Responsive repairs"), double=True)
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.isVisible() and ws.store.review is not None, timeout=WAIT_MS)
    assert ws.store.review["title"] == "Responsive repairs: Best Value review 2009/10"

    _sidebar(qtbot, window, "Home")
    qtbot.waitUntil(table.isVisible, timeout=WAIT_MS)
    click_row(qtbot, table, services.index("Gas servicing"), double=True)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(NewReviewDialog)),
                    timeout=WAIT_MS)
    dialog = next(d for d in window.findChildren(NewReviewDialog) if d.isVisible())
    assert dialog.service.currentText() == "Gas servicing"
    assert dialog.title.text() == "Gas servicing: Best Value review 2009/10"
    assert dialog.picker.checked_codes() == ["GAS"]
    assert dialog.picker.chosen_note.text() == "Chosen: GAS"
    qtbot.keyClick(dialog.title, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ws.isVisible() and ws.store.review is not None
                    and ws.store.review["title"].startswith("Gas servicing")
                    and [i.code for i in ws.store.indicators] == ["GAS"], timeout=WAIT_MS)


# --- 6. help -------------------------------------------------------------------------------------


def _guide(qtbot: QtBot, window: MainWindow) -> HelpDialog:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(HelpDialog)),
                    timeout=WAIT_MS)
    return next(d for d in window.findChildren(HelpDialog) if d.isVisible())


def test_f1_on_a_stage_explains_it_and_lists_what_this_review_still_needs(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    ws = new_review(qtbot, window, "Repairs review")
    page = go_to_stage(qtbot, ws, Stage.CONSULT)
    qtbot.waitUntil(lambda: bool(needs(ws, Stage.CONSULT)), timeout=WAIT_MS)
    activate(qtbot, window)
    click(qtbot, page.panel.table)
    qtbot.keyClick(page.panel.table, Qt.Key.Key_F1)
    guide = _guide(qtbot, window)
    text = guide.text.toPlainText()
    assert text.startswith("4. Consult")
    assert "What the regulator expects" in text
    assert "Still needed for Repairs review" in text
    for item in ws.store.needs.missing(Stage.CONSULT):
        assert item in text
    guide.close()

    page = go_to_stage(qtbot, ws, Stage.SCOPE)
    click(qtbot, page.guide_button)
    guide = _guide(qtbot, window)
    assert guide.text.toPlainText().startswith("1. Scope")
    overview = guide.topics.item(0)
    qtbot.mouseClick(guide.topics.viewport(), Qt.MouseButton.LeftButton,
                     pos=guide.topics.visualItemRect(overview).center())
    assert "Getting started" in guide.text.toPlainText()
    assert "Still needed" not in guide.text.toPlainText()


def test_the_help_menu_opens_the_user_guide(qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    guide_action = next(a for a in help_menu.actions() if a.text() == "&User Guide")
    assert guide_action.shortcut().toString() == "F1"
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = _guide(qtbot, window)
    assert guide.text.toPlainText().startswith("bvdesk user guide")


def test_the_import_wizard_gives_a_blank_template(qtbot: QtBot, empty_window: MainWindow,
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    window = empty_window
    monkeypatch.setenv("HOME", str(tmp_path))  # the save dialog starts in the home folder
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(w.isVisible() for w in window.findChildren(ImportWizard)),
                    timeout=WAIT_MS)
    wizard = next(w for w in window.findChildren(ImportWizard) if w.isVisible())
    click(qtbot, next(b for b in wizard.files_page.findChildren(QPushButton)
                      if b.text() == "Get a Blank &Template..."))
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QFileDialog)),
                    timeout=WAIT_MS)
    dialog = next(d for d in window.findChildren(QFileDialog) if d.isVisible())
    assert dialog.directory().absolutePath() == str(Path.home())
    name = dialog.findChild(QLineEdit, "fileNameEdit")
    type_into(qtbot, name, "our values.xlsx", enter=False)
    click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save))
    target = Path.home() / "our values.xlsx"
    qtbot.waitUntil(lambda: "Saved our values.xlsx" in wizard.files_page.template_note.text(),
                    timeout=WAIT_MS)
    book = load_workbook(target, read_only=True)  # holds the file open until closed
    try:
        codes = [row[0] for row in book["Indicators"].iter_rows(values_only=True)]
    finally:
        book.close()
    assert "BV66a" in codes
    wizard.reject()


# --- 7. the report preview -----------------------------------------------------------------------


def test_the_report_preview_zooms_turns_pages_and_names_the_file(
        qtbot: QtBot, demo_window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    window = demo_window
    ws = _open_first_review_from_home(qtbot, window)
    assert ws.store.review["title"].startswith("Responsive repairs")
    click(qtbot, ws.report_button)
    qtbot.waitUntil(lambda: any(d.isVisible() and d.document.pageCount() > 2
                                for d in window.findChildren(ReportDialog)), timeout=WAIT_MS)
    dialog = next(d for d in window.findChildren(ReportDialog) if d.isVisible())
    pages = dialog.document.pageCount()
    assert dialog.page_count.text() == f"of {pages}"
    assert not dialog.previous_button.isEnabled()

    click(qtbot, dialog.next_button)
    assert (dialog.current_page(), dialog.page_box.value()) == (1, 2)
    type_into(qtbot, dialog.page_box, "3")
    qtbot.waitUntil(lambda: dialog.current_page() == 2, timeout=WAIT_MS)
    click(qtbot, dialog.previous_button)
    assert dialog.page_box.value() == 2

    assert dialog.zoom_label.text() == "Fit width"
    fitted = dialog.zoom_factor()
    click(qtbot, dialog.zoom_in_button)
    assert dialog.view.zoomFactor() == pytest.approx(fitted * 1.25)
    assert dialog.zoom_label.text() == f"{fitted * 1.25:.0%}"
    click(qtbot, dialog.zoom_out_button)
    click(qtbot, dialog.zoom_out_button)
    assert dialog.view.zoomFactor() == pytest.approx(fitted / 1.25)
    click(qtbot, dialog.fit_button)
    assert dialog.zoom_label.text() == "Fit width"

    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in dialog.findChildren(QFileDialog)),
                    timeout=WAIT_MS)
    save = next(d for d in dialog.findChildren(QFileDialog) if d.isVisible())
    name = "Northvale Homes - Responsive repairs review 2009-10 - regulator submission.pdf"
    assert save.findChild(QLineEdit, "fileNameEdit").text() == name
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        click(qtbot, save.findChild(QDialogButtonBox).button(
            QDialogButtonBox.StandardButton.Save))
    assert (tmp_path / name).read_bytes().startswith(b"%PDF")
    click(qtbot, dialog.close_button)  # as Escape and the title bar do
    assert not dialog.isVisible()


# --- 8. small screens ----------------------------------------------------------------------------


def test_every_stage_fits_1024_by_768_without_sideways_scrolling(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    window = demo_window
    window.resize(1024, 768)
    ws = _open_first_review_from_home(qtbot, window)
    too_wide = {}
    for stage in Stage:
        page = go_to_stage(qtbot, ws, stage)
        wait_idle(qtbot, window)
        qtbot.wait(50)  # let the layout settle
        bar = page.horizontalScrollBar()
        if bar.maximum() > 0 or window.width() > 1024:
            too_wide[stage.label] = (bar.maximum(), window.width())
    evidence = ws.stages.item(len(Stage))
    qtbot.mouseClick(ws.stages.viewport(), Qt.MouseButton.LeftButton,
                     pos=ws.stages.visualItemRect(evidence).center())
    qtbot.waitUntil(lambda: ws.evidence_page().isVisible(), timeout=WAIT_MS)
    qtbot.wait(50)
    if ws.evidence_page().horizontalScrollBar().maximum() > 0:
        too_wide["Evidence"] = (ws.evidence_page().horizontalScrollBar().maximum(), 0)
    assert too_wide == {}


def test_a_first_window_is_never_larger_than_the_screen(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    screen = window.screen().availableGeometry()
    assert window.width() <= max(screen.width(), window.minimumWidth())
    assert window.height() <= max(screen.height(), window.minimumHeight())


def test_a_cut_short_indicator_name_is_shown_whole_on_hover(qtbot: QtBot,
                                                            demo_window: MainWindow) -> None:
    home = demo_window.home
    qtbot.waitUntil(lambda: home.data is not None, timeout=WAIT_MS)
    model = home.indicator_table.model()
    name = [model.headerData(c, Qt.Orientation.Horizontal)
            for c in range(model.columnCount())].index("Name")
    for row in range(model.rowCount()):
        shown = model.index(row, name)
        assert shown.data(Qt.ItemDataRole.ToolTipRole).endswith(shown.data())
