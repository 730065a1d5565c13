"""Each defect a person met in the real window, pinned by doing what that person did.

Every test starts from a fresh start (no preferences, ``BVDESK_HOME`` under tmp_path) and uses
only tests/gui/person.py: clicks, typing, keys, the clipboard, and dialogs answered by hand.
"""

from __future__ import annotations

from pathlib import Path

from journey_steps import (
    assert_screen_matches_cli,
    choose_file,
    close_message,
    cost_block,
    go_to_stage,
    messy_workbook,
    open_demo,
    open_review,
    screen_text,
    start_new_review,
    wizard_next,
)
from person import (
    WAIT_MS,
    choose,
    click,
    click_button,
    click_cell,
    click_list_item,
    click_tab,
    field,
    find,
    focused,
    menu,
    messages,
    paste,
    press,
    press_button,
    row_of,
    settle,
    shown,
    type_and_ok,
    type_into,
    when_dialog,
)
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
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


def test_sidebar_reaches_every_section_once_a_database_is_open(qtbot: QtBot,
                                                              fresh: MainWindow) -> None:
    open_demo(qtbot, fresh)
    for section, page in (("Reviews", fresh.reviews), ("Benchmarking", fresh.benchmarking),
                          ("Home", fresh.home)):
        click_list_item(qtbot, fresh.sidebar, section)
        qtbot.waitUntil(lambda p=page: shown(p), timeout=WAIT_MS)


def test_sign_off_and_reopen_with_the_buttons(qtbot: QtBot, fresh: MainWindow) -> None:
    open_demo(qtbot, fresh)
    open_review(qtbot, fresh, "Rent collection")
    go_to_stage(qtbot, fresh, "8. Sign-off")
    asked = when_dialog(type_and_ok("Chair of the Board"), title="Sign Off Review")
    when_dialog(type_and_ok("The board accepts the open items."),
                title="Sign Off With Items Outstanding")
    click_button(qtbot, fresh, "Sign Off Review")
    settle(qtbot, fresh)
    assert asked == ["Sign Off Review: Approved by:"], "no name was asked for"
    assert not messages()
    history = field(fresh, "Sign-off history")
    qtbot.waitUntil(lambda: history.model().rowCount() == 1, timeout=WAIT_MS)
    assert history.model().index(0, 1).data() == "Chair of the Board"
    assert "signed off, read-only" in fresh.workspace.subtitle.text()

    asked = when_dialog(type_and_ok("The board asked for new contract prices"),
                        title="Reopen Review")
    click_button(qtbot, fresh, "Reopen Review")
    settle(qtbot, fresh)
    assert asked, "no reason was asked for"
    qtbot.waitUntil(lambda: "Version 2" in fresh.workspace.subtitle.text(), timeout=3000)
    assert "read-only" not in fresh.workspace.subtitle.text()
    assert "The board asked for new contract prices" in history.model().index(0, 3).data()


def test_compete_on_screen_is_what_bvdesk_appraise_says(qtbot: QtBot, fresh: MainWindow) -> None:
    open_demo(qtbot, fresh)
    open_review(qtbot, fresh, "Responsive repairs")
    go_to_stage(qtbot, fresh, "5. Compete")
    assert_screen_matches_cli(fresh)


def test_a_new_option_without_costs_stops_the_recommendation_and_is_named_after_renaming(
        qtbot: QtBot, fresh: MainWindow) -> None:
    open_demo(qtbot, fresh)
    open_review(qtbot, fresh, "Responsive repairs")
    go_to_stage(qtbot, fresh, "5. Compete")
    headline = field(fresh, "Recommendation", QLabel)
    assert "Recommended: Improved in-house" in screen_text(headline)
    click_button(qtbot, fresh, "Add Option")
    settle(qtbot, fresh)
    assert "Recommended" not in screen_text(headline)
    assert "New option" in screen_text(headline)  # says which option needs its costs
    assert_screen_matches_cli(fresh)

    options = field(fresh, "Options", QTableView)
    row = row_of(options, "New option")
    click_cell(qtbot, options, row, 0, double=True)
    editor = focused(qtbot, fresh)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "Framework contract")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settle(qtbot, fresh)
    caption = find(fresh, QLabel, lambda w: w.text().startswith("Cost &lines of"),
                   "the costs caption")
    assert caption.text() == "Cost &lines of \u201cFramework contract\u201d"


def test_paste_cost_rows_from_excel_into_an_empty_grid(qtbot: QtBot, fresh: MainWindow) -> None:
    open_demo(qtbot, fresh)
    open_review(qtbot, fresh, "Responsive repairs")
    go_to_stage(qtbot, fresh, "5. Compete")
    click_button(qtbot, fresh, "Add Option")
    settle(qtbot, fresh)
    grid = field(fresh, "Cost grid", QTableView)
    assert grid.model().rowCount() == 0
    click(qtbot, grid.viewport())

    paste(qtbot, grid, cost_block(("Contract price", "Irrecoverable", "Framework rates", 2.9e6),
                                  ("Vans", "None", "Fleet", 1e5),
                                  ("Client-side contract management", "None", "Officers",
                                   1.2e5)).replace("120,000", "12o,000", 1))
    problem = close_message(qtbot)
    settle(qtbot, fresh)
    assert "Nothing was pasted" in problem
    assert "Row 2, Category: 'Vans' is not one of" in problem
    assert "Row 3, Year 1:" in problem and "'12o,000'" in problem
    assert grid.model().rowCount() == 0

    paste(qtbot, grid, cost_block(("Contract price", "Irrecoverable", "Framework rates", 2.9e6),
                                  ("Client-side contract management", "None", "Officers",
                                   1.2e5)))
    settle(qtbot, fresh)
    assert not messages()
    model = grid.model()
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        "Contract price", "Client-side contract management", "Total"]
    whole = Qt.ItemDataRole.AccessibleTextRole  # as read aloud (on screen maybe '2.9m')
    assert model.index(0, 4).data(whole) == "2,900,000"
    assert [model.index(2, c).data(whole) for c in (3, 4, 13)] == [
        "0", "3,020,000", "3,020,000"]
    headline = screen_text(field(fresh, "Recommendation", QLabel))
    assert "Recommended:" in headline
    assert_screen_matches_cli(fresh)

    press(qtbot, fresh, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, fresh)
    assert grid.model().rowCount() == 0


def test_paste_into_quality_scores_and_risks(qtbot: QtBot, fresh: MainWindow) -> None:
    open_demo(qtbot, fresh)
    open_review(qtbot, fresh, "Responsive repairs")
    go_to_stage(qtbot, fresh, "5. Compete")
    tabs = field(fresh, "Option details", QTabWidget)
    click_tab(qtbot, tabs, "Quality Scores")
    scores = field(fresh, "Quality scores", QTableView)
    model = scores.model()
    before = [[model.index(r, c).data() for c in range(model.columnCount())]
              for r in range(model.rowCount())]
    click_cell(qtbot, scores, 0, 2)
    paste(qtbot, scores, "7\t11\r\n6\t5\r\n")
    problem = close_message(qtbot)
    assert "Row 1, " in problem and "more than 10" in problem
    assert [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())] == before
    click_cell(qtbot, scores, 0, 2)
    paste(qtbot, scores, "7\t9\r\n6\t5\r\n")
    settle(qtbot, fresh)
    assert not messages()
    assert [model.index(r, c).data() for r in (0, 1) for c in (2, 3)] == ["7", "9", "6", "5"]
    assert_screen_matches_cli(fresh)

    click_tab(qtbot, tabs, "Risks")
    risks = field(fresh, "Risks", QTableView)
    count = risks.model().rowCount()
    click(qtbot, risks.viewport())
    paste(qtbot, risks, "Mobilisation delay\t0.2\t50,000\t1\r\n")
    settle(qtbot, fresh)
    assert not messages()
    assert risks.model().rowCount() == count + 1
    assert risks.model().index(count, 0).data() == "Mobilisation delay"


def test_import_wizard_maps_any_column_and_says_what_it_overwrote(
        qtbot: QtBot, fresh: MainWindow, tmp_path: Path) -> None:
    open_demo(qtbot, fresh)
    book = messy_workbook(tmp_path / "club return 2006-7.xlsx")
    press(qtbot, fresh, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QWizard),
                    timeout=WAIT_MS)
    wizard = QApplication.activeModalWidget()
    chosen = when_dialog(choose_file(book))
    click_button(qtbot, wizard, "Add Files")
    qtbot.waitUntil(lambda: bool(chosen), timeout=WAIT_MS)
    wizard_next(qtbot, wizard, fresh)

    combo = field(wizard, "Read column D as", QComboBox)
    assert combo.findText("SAT-REP", Qt.MatchFlag.MatchStartsWith) >= 0, (
        "every indicator is offered")
    assert combo.width() >= combo.fontMetrics().horizontalAdvance("Organisation code")
    choose(qtbot, combo, "SAT-REP")
    settle(qtbot, fresh)
    wizard_next(qtbot, wizard, fresh)
    summary = field(wizard, "Import summary", QLabel)
    assert "would import 2 new values, 2 updated" in summary.text()
    assert "Northvale Homes, SAT-REP, 2006/07: 71.4 \u2192 70.1" in summary.text()
    click(qtbot, wizard.button(QWizard.WizardButton.CommitButton))
    settle(qtbot, fresh)
    qtbot.waitUntil(lambda: summary.text() != field(wizard, "Import summary", QLabel).text()
                    or "Imported" in field(wizard, "Import summary", QLabel).text(),
                    timeout=WAIT_MS)
    done = field(wizard, "Import summary", QLabel).text()
    assert done.startswith("Imported 2 new values, 2 updated")
    assert "Northvale Homes, BV66a, 2006/07: 98.64 \u2192 97.5" in done
    assert "Correct the file" not in done
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=WAIT_MS)


def test_escape_asks_before_the_import_wizard_is_discarded(
        qtbot: QtBot, fresh: MainWindow, tmp_path: Path) -> None:
    open_demo(qtbot, fresh)
    book = messy_workbook(tmp_path / "return.xlsx")
    menu(qtbot, fresh, "File", "Import Indicator Values")
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QWizard),
                    timeout=WAIT_MS)
    wizard = QApplication.activeModalWidget()
    chosen = when_dialog(choose_file(book))
    click_button(qtbot, wizard, "Add Files")
    qtbot.waitUntil(lambda: bool(chosen), timeout=WAIT_MS)
    asked = when_dialog(press_button("No"), title="Import Indicator Values")
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    assert "Nothing has been imported" in asked[0]
    assert wizard.isVisible()
    asked = when_dialog(press_button("Yes"), title="Import Indicator Values")
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=WAIT_MS)


def test_new_landlord_dialog_file_label_is_a_working_mnemonic(qtbot: QtBot,
                                                              fresh: MainWindow) -> None:
    seen: list[str] = []

    def look(dialog: QWidget) -> None:
        file_label = next(w for w in dialog.findChildren(QLabel) if "File" in w.text())
        # Shown as "File:" with F underlined (no literal "&"), and Alt+F goes to the file.
        seen.append(str(file_label.buddy() is field(dialog, "Database file", QLineEdit)))
        QTest.keyClick(dialog, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
        seen.append(QApplication.focusWidget().accessibleName()
                    if QApplication.focusWidget() else "")
        dialog.reject()

    asked = when_dialog(look, title="New Landlord Database")
    click_button(qtbot, fresh, "New Landlord Database")
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=WAIT_MS)
    assert asked
    assert seen == ["True", "Database file"]


def test_a_new_review_shows_nothing_of_the_last_ones_compete_stage(qtbot: QtBot,
                                                                  fresh: MainWindow) -> None:
    open_demo(qtbot, fresh)
    open_review(qtbot, fresh, "Responsive repairs")
    go_to_stage(qtbot, fresh, "5. Compete")
    assert "Recommended" in screen_text(field(fresh, "Recommendation", QLabel))
    start_new_review(qtbot, fresh, "Estate services review")
    go_to_stage(qtbot, fresh, "5. Compete")
    assert field(fresh, "Appraisal results", QTableView).model().rowCount() == 0
    assert "Recommended" not in screen_text(field(fresh, "Recommendation", QLabel))
    assert "Switching" not in screen_text(field(fresh, "Decision statements and warnings",
                                                QLabel))


def test_setting_up_the_appraisal_moves_no_figure(qtbot: QtBot, fresh: MainWindow) -> None:
    # A new review starting in 2009 has no appraisal settings of its own: it is appraised
    # from its start date (VAT 15% then), until the settings are set up.
    open_demo(qtbot, fresh)
    click_list_item(qtbot, fresh.sidebar, "Reviews")
    settle(qtbot, fresh)
    created = when_dialog(type_and_ok("Estate services review", ok="Create Review"))
    click_button(qtbot, fresh, "New Review")
    qtbot.waitUntil(lambda: bool(created), timeout=WAIT_MS)
    settle(qtbot, fresh)
    go_to_stage(qtbot, fresh, "1. Scope")
    start = field(fresh, "Start date")
    type_into(qtbot, start, "01/06/2009")
    settle(qtbot, fresh)
    go_to_stage(qtbot, fresh, "5. Compete")
    for _ in range(2):
        click_button(qtbot, fresh, "Add Option")
        settle(qtbot, fresh)
    grid = field(fresh, "Cost grid", QTableView)
    click(qtbot, grid.viewport())
    paste(qtbot, grid, cost_block(("Contract price", "Irrecoverable", "Framework", 1e5)))
    settle(qtbot, fresh)
    results = field(fresh, "Appraisal results", QTableView)

    qtbot.waitUntil(lambda: results.model().rowCount() == 2, timeout=WAIT_MS)
    before = [results.model().index(r, 2).data() for r in range(2)]
    click_tab(qtbot, field(fresh, "Option details", QTabWidget), "Appraisal Settings")
    click_button(qtbot, fresh, "Set Up the Appraisal")
    settle(qtbot, fresh)
    base = field(fresh, "Base date")
    qtbot.waitUntil(lambda: base.isVisible(), timeout=WAIT_MS)
    assert "2009" in (base.text() if hasattr(base, "text") else "")
    assert [results.model().index(r, 2).data() for r in range(2)] == before


def test_choosing_sign_off_in_the_stage_box_ticks_only_complete_stages(
        qtbot: QtBot, fresh: MainWindow) -> None:
    open_demo(qtbot, fresh)
    open_review(qtbot, fresh, "Voids and lettings")
    stages = field(fresh, "Review stages", QListWidget)
    # One way to move between stages: the list (the strip that ticked every stage before the
    # one chosen, whatever they held, is gone).
    assert [w for w in fresh.workspace.findChildren(QWidget)
            if w.accessibleName() == "Review stages" and w.isVisible()] == [stages]
    before = [stages.item(r).text() for r in range(stages.count())]
    assert any("to\u00a0do" in text for text in before)
    choose(qtbot, field(fresh, "Stage", QComboBox), "Sign-off")
    settle(qtbot, fresh)
    after = [stages.item(r).text() for r in range(stages.count())]
    # Every stage keeps what it still needs; only the marker of the stage reached moves.
    assert [t.replace("\u25c0", "").strip() for t in after] == [
        t.replace("\u25c0", "").strip() for t in before]
    assert after[7].endswith("\u25c0") and not after[3].endswith("\u25c0")


def test_a_problem_appearing_does_not_move_the_stage(qtbot: QtBot, fresh: MainWindow) -> None:
    open_demo(qtbot, fresh)
    open_review(qtbot, fresh, "Responsive repairs")
    go_to_stage(qtbot, fresh, "5. Compete")
    page = fresh.workspace.pages
    top = page.mapTo(fresh, page.rect().topLeft())
    options = field(fresh, "Options", QTableView)
    click_cell(qtbot, options, 0, 2, double=True)  # optimism bias
    editor = focused(qtbot, fresh)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "lots")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settle(qtbot, fresh)
    problem = field(fresh, "Last problem", QLabel)
    assert "number" in problem.text()
    assert page.mapTo(fresh, page.rect().topLeft()) == top


def test_the_welcome_text_is_whole_on_first_start(qtbot: QtBot, fresh: MainWindow) -> None:
    for size in (fresh.size(), fresh.minimumSize()):
        fresh.resize(size)
        qtbot.wait(50)
        for text in fresh.welcome.findChildren(QLabel):
            if text.isVisible() and text.wordWrap() and text.text():
                assert text.height() >= text.heightForWidth(text.width()), text.text()
                assert fresh.welcome.rect().contains(
                    text.mapTo(fresh.welcome, text.rect().bottomRight()))
