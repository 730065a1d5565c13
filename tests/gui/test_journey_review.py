"""Whole journeys through the real window, from a fresh start, by clicks, typing, keys and the
clipboard alone (see person.py): what an officer does to finish a review.

(a) first start -> a new landlord -> a messy workbook through the import wizard, one column
    mapped by hand -> Benchmarking -> a review started from Home's "must be market-tested" list;
(b) the demo: every section, every review, every stage; Compete by paste and a changed score
    (the screen agreeing with 'bvdesk appraise --json'); the submission previewed, saved and
    printed; signed off, refused an edit, reopened with a reason, editable again;
(c) undo and redo across stages;
(d) (b)'s path with the keyboard alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from journey_steps import (
    assert_screen_matches_cli,
    choose_file,
    cost_block,
    go_to_stage,
    messy_workbook,
    open_demo,
    open_review,
    sign_off_as,
    wizard_next,
)
from person import (
    WAIT_MS,
    choose,
    click,
    click_button,
    click_cell,
    click_list_item,
    click_row,
    click_tab,
    field,
    focused,
    menu,
    messages,
    paste,
    press,
    press_button,
    row_of,
    settle,
    shown,
    tab_to,
    type_and_ok,
    type_into,
    when_dialog,
)
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableView,
    QTabWidget,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow

pytestmark = pytest.mark.slow

STAGES = ("1. Scope", "2. Challenge", "3. Compare", "4. Consult", "5. Compete",
          "6. Improvement plan", "7. Self-assessment", "8. Sign-off", "Evidence files")
NEW_COSTS = cost_block(("Contract price", "Irrecoverable", "Framework rates", 2.9e6),
                       ("Client-side contract management", "None", "Officers", 1.2e5))


def stage_list(window: MainWindow) -> QListWidget:
    return field(window, "Review stages", QListWidget)


def visit_every_stage(qtbot: QtBot, window: MainWindow) -> None:
    for stage in STAGES:
        go_to_stage(qtbot, window, stage)
        heading = stage.split(". ", 1)[-1]
        qtbot.waitUntil(lambda h=heading: any(
            label.text().endswith(h) or label.text() == h for label in
            window.workspace.pages.currentWidget().findChildren(QLabel) if label.isVisible()),
            timeout=WAIT_MS)
        assert not messages(), messages()


def print_to_file(path: Path):  # noqa: ANN201 - a dialog answer
    def answer(dialog: QWidget) -> None:
        name = next(e for e in dialog.findChildren(QLineEdit)
                    if e.objectName() == "filename" and e.isVisible())
        name.selectAll()
        from PySide6.QtTest import QTest

        QTest.keyClicks(name, str(path))
        QTest.mouseClick(next(b for b in dialog.findChildren(QWidget)
                              if getattr(b, "text", None) and callable(b.text)
                              and b.text().replace("&", "") == "Print" and b.isVisible()),
                         Qt.MouseButton.LeftButton)

    return answer


def report_dialog() -> QDialog:
    return next(w for w in QApplication.topLevelWidgets()
                if isinstance(w, QDialog) and w.isVisible()
                and w.windowTitle().startswith("Report"))


# --- (a) ---------------------------------------------------------------------------------------


def test_a_first_start_new_landlord_import_benchmark_and_start_a_review(
        qtbot: QtBot, fresh: MainWindow, tmp_path: Path) -> None:
    welcome = fresh.welcome
    assert shown(welcome)
    assert not field(fresh, "Sections", QListWidget).isEnabled()

    def create(dialog: QWidget) -> None:
        from PySide6.QtTest import QTest

        name = field(dialog, "Landlord name", QLineEdit)
        QTest.keyClicks(name, "Northvale Homes")
        path = field(dialog, "Database file", QLineEdit)
        path.selectAll()
        QTest.keyClicks(path, str(tmp_path / "northvale.bvdesk"))
        QTest.mouseClick(next(b for b in dialog.findChildren(QWidget)
                              if getattr(b, "text", None) and callable(b.text)
                              and b.text().replace("&", "") == "Create Database"),
                         Qt.MouseButton.LeftButton)

    with qtbot.waitSignal(fresh.database_opened, timeout=WAIT_MS):
        when_dialog(create, title="New Landlord Database")
        click_button(qtbot, fresh, "New Landlord Database")
    settle(qtbot, fresh)
    assert fresh.windowTitle() == "Northvale Homes - bvdesk"
    assert (tmp_path / "northvale.bvdesk").exists()

    # A club return with a heading no catalogue knows: mapped by hand.
    book = messy_workbook(tmp_path / "club return 2006-7.xlsx")
    menu_import = when_dialog(choose_file(book))
    press(qtbot, fresh, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QWizard),
                    timeout=WAIT_MS)
    wizard = QApplication.activeModalWidget()
    click_button(qtbot, wizard, "Add Files")
    qtbot.waitUntil(lambda: bool(menu_import), timeout=WAIT_MS)
    wizard_next(qtbot, wizard, fresh)
    choose(qtbot, field(wizard, "Read column D as", QComboBox), "SAT-REP")
    settle(qtbot, fresh)
    wizard_next(qtbot, wizard, fresh)
    summary = field(wizard, "Import summary", QLabel)
    assert "would import 4 new values" in summary.text(), summary.text()
    click(qtbot, wizard.button(QWizard.WizardButton.CommitButton))
    qtbot.waitUntil(lambda: field(wizard, "Import summary", QLabel).text().startswith(
        "Imported"), timeout=WAIT_MS)
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    settle(qtbot, fresh)

    click_list_item(qtbot, fresh.sidebar, "Benchmarking")
    settle(qtbot, fresh)
    assert shown(fresh.benchmarking)

    # Home's "must be market-tested" list starts a review of a flagged service.
    click_list_item(qtbot, fresh.sidebar, "Home")
    settle(qtbot, fresh)
    flagged = field(fresh, "Services that must be market-tested", QTableView)
    if flagged.model().rowCount():
        started = when_dialog(press_button("Create Review"))
        click_cell(qtbot, flagged, 0, 0, double=True)
        qtbot.waitUntil(lambda: bool(started), timeout=WAIT_MS)
    else:
        started = when_dialog(type_and_ok("Repairs review 2006/07", ok="Create Review"))
        click_list_item(qtbot, fresh.sidebar, "Reviews")
        click_button(qtbot, fresh, "New Review")
        qtbot.waitUntil(lambda: bool(started), timeout=WAIT_MS)
    settle(qtbot, fresh)
    qtbot.waitUntil(lambda: shown(fresh.workspace), timeout=WAIT_MS)
    assert "Version 1" in fresh.workspace.subtitle.text()


# --- (b) ---------------------------------------------------------------------------------------


def test_b_the_demo_review_from_start_to_sign_off(qtbot: QtBot, fresh: MainWindow,
                                                  tmp_path: Path) -> None:
    open_demo(qtbot, fresh)
    sections = field(fresh, "Sections", QListWidget)
    for section, page in (("Reviews", "reviews"), ("Benchmarking", "benchmarking"),
                          ("Home", "home")):
        click_list_item(qtbot, sections, section)
        settle(qtbot, fresh)
        assert shown(fresh.page(page))
    click_list_item(qtbot, sections, "Review Workspace")  # no review yet: the list instead
    settle(qtbot, fresh)
    assert shown(fresh.reviews)

    for title in ("Voids and lettings", "Rent collection", "Responsive repairs"):
        open_review(qtbot, fresh, title)
        assert fresh.workspace.title.text().startswith(title)
        visit_every_stage(qtbot, fresh)

    # Compete: a new option costed by pasting from a spreadsheet, then a score changed.
    go_to_stage(qtbot, fresh, "5. Compete")
    click_button(qtbot, fresh, "Add Option")
    settle(qtbot, fresh)
    grid = field(fresh, "Cost grid", QTableView)
    click(qtbot, grid.viewport())
    paste(qtbot, grid, NEW_COSTS)
    settle(qtbot, fresh)
    assert not messages(), messages()
    assert grid.model().rowCount() == 3  # two lines and the total
    assert_screen_matches_cli(fresh)
    results = field(fresh, "Appraisal results", QTableView)
    before = results.model().index(row_of(results, "New option", 1), 8).data()

    click_tab(qtbot, field(fresh, "Option details", QTabWidget), "Quality Scores")
    scores = field(fresh, "Quality scores", QTableView)
    new_column = scores.model().columnCount() - 1
    click_cell(qtbot, scores, 0, new_column, double=True)
    editor = focused(qtbot, fresh)
    qtbot.keyClicks(editor, "9")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settle(qtbot, fresh)
    qtbot.waitUntil(lambda: results.model().index(row_of(results, "New option", 1), 8).data()
                    != before, timeout=WAIT_MS)
    assert_screen_matches_cli(fresh)

    # The submission: preview, save, print.
    click_button(qtbot, fresh, "Report")
    qtbot.waitUntil(lambda: any(isinstance(w, QDialog) and w.isVisible()
                                and w.windowTitle().startswith("Report")
                                for w in QApplication.topLevelWidgets()), timeout=WAIT_MS)
    report = report_dialog()
    qtbot.waitUntil(lambda: button_enabled(report, "Save PDF"), timeout=60_000)
    saved = tmp_path / "submission.pdf"
    when_dialog(choose_file(saved))
    click_button(qtbot, report, "Save PDF")
    qtbot.waitUntil(saved.exists, timeout=60_000)
    settle(qtbot, fresh)
    assert len(PdfReader(saved).pages) > 3
    printed = tmp_path / "printed.pdf"
    when_dialog(print_to_file(printed))
    click_button(qtbot, report, "Print")
    qtbot.waitUntil(lambda: printed.exists() and printed.stat().st_size > 0, timeout=60_000)
    report.close()
    settle(qtbot, fresh)

    # Sign off, try to edit (refused, and said why), reopen with a reason, edit again.
    go_to_stage(qtbot, fresh, "8. Sign-off")
    sign_off_as(qtbot, fresh, "Chair of the Board", "The board accepted the open items.")
    assert "read-only" in field(fresh, "Read-only notice", QLabel).text()
    go_to_stage(qtbot, fresh, "1. Scope")
    title = field(fresh, "Title", QLineEdit) if _has(fresh, "Title") else None
    if title is not None:
        assert title.isReadOnly() or not title.isEnabled()
    go_to_stage(qtbot, fresh, "5. Compete")
    click_tab(qtbot, field(fresh, "Option details", QTabWidget), "Costs")
    grid = field(fresh, "Cost grid", QTableView)
    click_cell(qtbot, grid, 0, 4)
    paste(qtbot, grid, "1\r\n")
    from journey_steps import close_message

    assert "signed off and read-only" in close_message(qtbot)

    go_to_stage(qtbot, fresh, "8. Sign-off")
    reopened = when_dialog(type_and_ok("The board asked for new contract prices."),
                           title="Reopen Review")
    click_button(qtbot, fresh, "Reopen Review")
    qtbot.waitUntil(lambda: bool(reopened), timeout=WAIT_MS)
    settle(qtbot, fresh)
    qtbot.waitUntil(lambda: "Version 2" in fresh.workspace.subtitle.text(), timeout=WAIT_MS)
    go_to_stage(qtbot, fresh, "5. Compete")
    grid = field(fresh, "Cost grid", QTableView)
    click_cell(qtbot, grid, 0, 4)
    paste(qtbot, grid, "123456\r\n")
    settle(qtbot, fresh)
    assert not messages(), messages()
    # As read aloud: on screen it may be in three figures ('123k'), whole on hover.
    assert grid.model().index(0, 4).data(Qt.ItemDataRole.AccessibleTextRole) == "123,456"


def button_enabled(root: QWidget, caption: str) -> bool:
    return any(b.isVisible() and b.isEnabled() for b in root.findChildren(QWidget)
               if getattr(b, "text", None) and callable(b.text)
               and isinstance(b.text(), str) and b.text().replace("&", "").startswith(caption))


def _has(window: MainWindow, name: str) -> bool:
    return any(w.isVisible() and w.accessibleName() == name
               for w in window.findChildren(QLineEdit))


# --- (c) ---------------------------------------------------------------------------------------


def test_c_undo_and_redo_across_stages(qtbot: QtBot, fresh: MainWindow) -> None:
    open_demo(qtbot, fresh)
    open_review(qtbot, fresh, "Voids and lettings")
    go_to_stage(qtbot, fresh, "1. Scope")
    scope = fresh.workspace.pages.currentWidget()
    objectives = next(w for w in scope.findChildren(QWidget)
                      if w.accessibleName().startswith("Objectives") and w.isVisible())
    type_into(qtbot, objectives, "Let empty homes within 20 days.")
    click_row(qtbot, stage_list(fresh), "5. Compete")
    settle(qtbot, fresh)
    click_button(qtbot, fresh, "Add Option")
    settle(qtbot, fresh)
    options = field(fresh, "Options", QTableView)
    count = options.model().rowCount()

    menu(qtbot, fresh, "Edit", "Undo")  # the option goes
    settle(qtbot, fresh)
    assert options.model().rowCount() == count - 1
    menu(qtbot, fresh, "Edit", "Undo")  # and the typing, on another stage
    settle(qtbot, fresh)
    go_to_stage(qtbot, fresh, "1. Scope")
    assert "Let empty homes within 20 days." not in _text_of(objectives)
    menu(qtbot, fresh, "Edit", "Redo")
    settle(qtbot, fresh)
    assert "Let empty homes within 20 days." in _text_of(objectives)
    press(qtbot, fresh, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)  # as on Windows
    settle(qtbot, fresh)
    go_to_stage(qtbot, fresh, "5. Compete")
    assert field(fresh, "Options", QTableView).model().rowCount() == count


def _text_of(widget: QWidget) -> str:
    for reader in ("toPlainText", "text"):
        if hasattr(widget, reader):
            return str(getattr(widget, reader)())
    raise AssertionError(f"{widget} holds no text")


# --- (d) ---------------------------------------------------------------------------------------


def test_d_the_same_with_the_keyboard_alone(qtbot: QtBot, fresh: MainWindow) -> None:
    # Alt+D on the welcome page opens the demo (the button's mnemonic).
    with qtbot.waitSignal(fresh.database_opened, timeout=WAIT_MS):
        press(qtbot, fresh, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    settle(qtbot, fresh)
    sections = field(fresh, "Sections", QListWidget)
    tab_to(qtbot, fresh, sections)
    press(qtbot, fresh, Qt.Key.Key_Down)  # Reviews
    settle(qtbot, fresh)
    assert shown(fresh.reviews)
    press(qtbot, fresh, Qt.Key.Key_Down)  # Benchmarking
    settle(qtbot, fresh)
    assert shown(fresh.benchmarking)
    press(qtbot, fresh, Qt.Key.Key_Up)
    press(qtbot, fresh, Qt.Key.Key_Up)  # Home
    settle(qtbot, fresh)
    assert shown(fresh.home)

    press(qtbot, fresh, Qt.Key.Key_Down)  # Reviews, then into the list of reviews
    settle(qtbot, fresh)
    reviews = field(fresh, "Reviews", QTableView)
    tab_to(qtbot, fresh, reviews)
    row = row_of(reviews, "Responsive repairs")
    for _ in range(reviews.model().rowCount() + 1):
        if reviews.currentIndex().row() == row:
            break
        press(qtbot, fresh, Qt.Key.Key_Down if reviews.currentIndex().row() < row
              else Qt.Key.Key_Up)
    assert reviews.currentIndex().row() == row
    press(qtbot, fresh, Qt.Key.Key_Return)
    settle(qtbot, fresh)
    qtbot.waitUntil(lambda: shown(fresh.workspace), timeout=WAIT_MS)

    for number in range(1, 9):  # Alt+1 .. Alt+8: every stage
        press(qtbot, fresh, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.AltModifier)
        settle(qtbot, fresh)
        assert stage_list(fresh).currentRow() == number - 1
        assert not messages(), messages()

    press(qtbot, fresh, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)  # Compete
    settle(qtbot, fresh)
    grid = field(fresh, "Cost grid", QTableView)
    press(qtbot, fresh, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # Cost &lines
    qtbot.waitUntil(grid.hasFocus, timeout=WAIT_MS)
    # Ctrl+End, Home: the first cell of the Total row, below the last line.
    press(qtbot, fresh, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, fresh, Qt.Key.Key_Home)
    lines = grid.model().rowCount()
    paste(qtbot, grid, cost_block(("Procurement", "Irrecoverable", "Tender costs", 1e4)))
    settle(qtbot, fresh)
    assert not messages(), messages()
    assert grid.model().rowCount() == lines + 1
    assert_screen_matches_cli(fresh)

    press(qtbot, fresh, Qt.Key.Key_8, Qt.KeyboardModifier.AltModifier)  # Sign-off
    settle(qtbot, fresh)
    named = when_dialog(type_and_ok("Chair of the Board"), title="Sign Off Review")
    when_dialog(type_and_ok("Accepted by the board."), title="Sign Off With Items Outstanding")
    press(qtbot, fresh, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # &Sign Off Review...
    qtbot.waitUntil(lambda: bool(named), timeout=WAIT_MS)
    settle(qtbot, fresh)
    qtbot.waitUntil(lambda: "signed off" in fresh.workspace.subtitle.text(), timeout=WAIT_MS)
    reopened = when_dialog(type_and_ok("New prices."), title="Reopen Review")
    press(qtbot, fresh, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # Re&open Review...
    qtbot.waitUntil(lambda: bool(reopened), timeout=WAIT_MS)
    settle(qtbot, fresh)
    qtbot.waitUntil(lambda: "Version 2" in fresh.workspace.subtitle.text(), timeout=WAIT_MS)
