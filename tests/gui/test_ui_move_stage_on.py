"""A stage that has everything it needs offers to move the review on: a new review's Scope filled
in by typing, "Move the Review to 2. Challenge" clicked, and Home and the Reviews page's stage
strip then say Challenge; Edit > Undo puts it back at Scope. A signed-off review offers no move.
Where the readiness check says the review must move on, it says where in the window.
"""

from __future__ import annotations

from journey_steps import go_to_stage, open_review, screen_text, start_new_review
from person import (
    WAIT_MS,
    button,
    choose,
    click,
    click_button,
    click_cell,
    click_list_item,
    click_row,
    field,
    menu,
    press,
    row_of,
    settle,
    tab_to,
    type_and_ok,
    type_into,
    when_dialog,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow

TITLE = "Repairs review 2026/27"
MOVE = "Move the Review to 2. Challenge"


def moves_offered(window: MainWindow) -> list[str]:
    """The captions of the move-on buttons on screen."""
    return [b.text() for b in window.findChildren(QPushButton)
            if b.isVisible() and b.text().startswith("Move the Review")]


def in_scope(window: MainWindow, name: str) -> QWidget:
    """The Scope page's field called ``name``."""
    return field(window.workspace.pages.currentWidget(), name)


def fill_scope(qtbot: QtBot, window: MainWindow) -> None:
    """Scope's needs, typed: scope, objectives, dates, a tenant on the team, an indicator."""
    for name, text in (("Scope", "Responsive repairs to 3,000 homes."),
                       ("Objectives", "Right first time."),
                       ("Start date", "01/04/2026"), ("End date", "31/03/2027")):
        type_into(qtbot, in_scope(window, name), text)
        if name in ("Scope", "Objectives"):  # a multi-line box: Tab leaves it, saving it
            qtbot.keyClick(in_scope(window, name), Qt.Key.Key_Tab)
        settle(qtbot, window)
    click_button(qtbot, window, "Add Team Member")
    settle(qtbot, window)
    team = field(window, "Team members", QTableView)
    for column, typed in ((0, "Margaret Lewis"), (2, "Yes")):  # the tenant column: a drop-down
        click_cell(qtbot, team, 0, column, double=True)
        editor = QApplication.focusWidget()
        if column == 0:
            qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(editor, typed)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        settle(qtbot, window)
    search = field(window, "Search indicators")
    type_into(qtbot, search, "BV72")
    choices = field(window, "Indicators to choose from", QListWidget)
    click_row(qtbot, choices, "BV72", double=True)
    settle(qtbot, window)


def home_stage(qtbot: QtBot, window: MainWindow) -> str:
    click_list_item(qtbot, window.sidebar, "Home")
    settle(qtbot, window)
    table = field(window, "Reviews by stage", QTableView)
    return str(table.model().index(row_of(table, TITLE), 1).data())


def strip_says(qtbot: QtBot, window: MainWindow) -> str:
    click_list_item(qtbot, window.sidebar, "Reviews")
    settle(qtbot, window)
    click_row(qtbot, field(window, "Reviews", QTableView), TITLE)
    settle(qtbot, window)
    return field(window, "Review stages").accessibleDescription()


def back_to_review(qtbot: QtBot, window: MainWindow) -> None:
    click_row(qtbot, field(window, "Reviews", QTableView), TITLE, double=True)
    settle(qtbot, window)


def test_a_complete_scope_moves_the_review_on_with_a_button_and_undo_puts_it_back(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    start_new_review(qtbot, window, TITLE)
    go_to_stage(qtbot, window, "1. Scope")
    assert moves_offered(window) == []  # Scope still needs things: no offer to move on
    fill_scope(qtbot, window)
    qtbot.waitUntil(lambda: "Complete" in screen_text(
        field(window.workspace.pages.currentWidget(), "What this stage still needs", QLabel)),
        timeout=WAIT_MS)
    qtbot.waitUntil(lambda: moves_offered(window) == [MOVE], timeout=WAIT_MS)
    assert home_stage(qtbot, window) == "1. Scope"  # offered, not done behind the person's back
    assert "at stage 1 of 8: Scope" in strip_says(qtbot, window)

    back_to_review(qtbot, window)
    go_to_stage(qtbot, window, "1. Scope")
    click(qtbot, button(window, MOVE))
    settle(qtbot, window)
    assert window.workspace.stages.currentItem().text().startswith("2. Challenge")
    assert "\u25c0" in window.workspace.stages.currentItem().text()  # the stage reached
    assert home_stage(qtbot, window) == "2. Challenge"
    assert "at stage 2 of 8: Challenge" in strip_says(qtbot, window)

    menu(qtbot, window, "Edit", "Undo")
    settle(qtbot, window)
    assert home_stage(qtbot, window) == "1. Scope"
    assert "at stage 1 of 8: Scope" in strip_says(qtbot, window)
    back_to_review(qtbot, window)
    go_to_stage(qtbot, window, "1. Scope")
    assert moves_offered(window) == [MOVE]

    # The same with the keyboard: Tab to the button, Space; Ctrl+Z undoes it.
    stages = window.workspace.stages
    tab_to(qtbot, window, button(window, MOVE))
    press(qtbot, window, Qt.Key.Key_Space)
    settle(qtbot, window)
    assert stages.currentItem().text().startswith("2. Challenge")
    assert "\u25c0" in stages.currentItem().text()
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert "\u25c0" in stages.item(0).text() and "\u25c0" not in stages.item(1).text()

    # Signed off (with Challenge's questions outstanding): read-only, so no move is offered.
    go_to_stage(qtbot, window, "8. Sign-off")
    named = when_dialog(type_and_ok("Chair of the Board"), title="Sign Off Review")
    when_dialog(type_and_ok("The board accepted the open items."),
                title="Sign Off With Items Outstanding")
    click_button(qtbot, window, "Sign Off Review")
    qtbot.waitUntil(lambda: bool(named), timeout=WAIT_MS)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "signed off" in window.workspace.subtitle.text(), timeout=WAIT_MS)
    go_to_stage(qtbot, window, "1. Scope")
    assert moves_offered(window) == []


def test_the_readiness_check_says_where_in_the_window_to_move_the_review_on(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    """A finished appraisal in a review recorded at Scope: the Sign-off stage's check says to
    move it on with the Stage drop-down or the button, not with a command."""
    window = demo_window
    open_review(qtbot, window, "Responsive repairs")
    choose(qtbot, field(window, "Stage", QComboBox), "Scope")
    settle(qtbot, window)
    go_to_stage(qtbot, window, "8. Sign-off")
    check = field(window, "Readiness check", QLabel)
    qtbot.waitUntil(lambda: "still at the Scope stage" in screen_text(check), timeout=WAIT_MS)
    said = " ".join(screen_text(check).split())
    assert ("Move the review on to the Compete stage or a later one. In this window: choose "
            "Compete or a later stage in the Stage drop-down at the top of the review, or move "
            "it on a stage at a time with the \u201cMove the Review to 2. Challenge\u201d button "
            "on the Scope page, which appears once Scope has everything it needs.") in said
    assert "bvdesk" not in said
