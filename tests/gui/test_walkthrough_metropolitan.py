"""Found as a new officer of a London association of 12,400 homes, importing the London club's
wide workbook (one column per indicator, years written '2022-23') and taking a review through
its stages at 1024x768."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from journey_steps import (
    choose_file,
    cost_block,
    go_to_stage,
    open_import_wizard,
    open_review,
    screen_text,
    start_new_review,
    wizard_next,
)
from openpyxl import Workbook
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
    focused,
    key,
    menu,
    messages,
    paste,
    press,
    row_of,
    scroll_to,
    settle,
    type_and_ok,
    type_into,
    when_dialog,
)
from PySide6.QtCharts import QChartView
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow


def _new_review(qtbot: QtBot, window: MainWindow, stage: str | None = None) -> None:
    """At 1024x768, a new review of estate services, open at ``stage``."""
    window.resize(1024, 768)
    start_new_review(qtbot, window, "Estate services review 2022/23")
    if stage is not None:
        go_to_stage(qtbot, window, stage)


def _press_and_wait(qtbot: QtBot, window: MainWindow, caption: str) -> None:
    click_button(qtbot, window, caption)
    settle(qtbot, window)


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


def test_re_let_times_written_in_days_are_imported(
        qtbot: QtBot, empty_window: MainWindow, tmp_path: Path) -> None:
    """'26.7 days' was refused as 'not a number', and with it every other figure of the row
    (the landlord's own among them) unless the file was edited; '99.1%' and '£612' were read."""
    empty_window.resize(1024, 768)
    wizard = open_import_wizard(qtbot, empty_window, _london_club(tmp_path / "london club.xlsx"))
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
    # (Its last page's Export Problems button took the page's whole width, as a bar.)
    export = button(wizard, "Export Problems")
    assert export.width() < export.sizeHint().width() + 40, export.width()
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


def _below_last_row(view: QTableView) -> QPoint:
    model = view.model()
    last = view.visualRect(model.index(model.rowCount() - 1, 0))
    point = QPoint(view.viewport().width() // 2, last.bottom() + 20)
    assert not view.indexAt(point).isValid() and point.y() < view.viewport().height()
    return point


def test_rows_pasted_after_a_click_below_the_team_are_added_to_it(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    """With one member typed in, a click on the blank space below them and Ctrl+V of two
    people copied from a spreadsheet wrote the first over the member already there (the
    grid kept its first row as the current cell whatever was clicked)."""
    _new_review(qtbot, empty_window)
    _press_and_wait(qtbot, empty_window, "Add Team Member")
    team = field(empty_window, "Team members", QTableView)
    click_cell(qtbot, team, 0, 0, double=True)
    type_into(qtbot, QApplication.focusWidget(), "Priya Natarajan")
    key(qtbot, Qt.Key.Key_Return)
    settle(qtbot, empty_window)

    qtbot.mouseClick(team.viewport(), Qt.MouseButton.LeftButton, pos=_below_last_row(team))
    paste(qtbot, team, "Name\tRole\tTenant member\r\n"
                       "Delroy Mensah\tTenant representative\tYes\r\n"
                       "Joanna Kowalczyk\tProcurement Manager\tNo\r\n")
    settle(qtbot, empty_window)
    names = [team.model().index(r, 0).data() for r in range(team.model().rowCount())]
    assert names == ["Priya Natarajan", "Delroy Mensah", "Joanna Kowalczyk"]

    # A click on a member's row still pastes there, over what it holds.
    click_row(qtbot, team, "Joanna Kowalczyk")
    paste(qtbot, team, "Joanna Kowalska\r\n")
    settle(qtbot, empty_window)
    assert team.model().index(2, 0).data() == "Joanna Kowalska"
    assert team.model().rowCount() == 3


def test_cost_lines_pasted_after_a_click_below_the_grid_are_added(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    """The same in the Compete stage's cost grid: after a click on a line, a click below the
    Total row, then Ctrl+V, wrote the new line over the one clicked."""
    _new_review(qtbot, empty_window, "5. Compete")
    _press_and_wait(qtbot, empty_window, "Add Option")
    grid = field(empty_window, "Cost grid", QTableView)
    click(qtbot, grid.viewport())
    paste(qtbot, grid, cost_block(("Contract price", "Irrecoverable", "Cleaning contract",
                                   1.2e6)))
    settle(qtbot, empty_window)
    assert grid.model().rowCount() == 2  # the line and the total

    click_cell(qtbot, grid, 0, 2)  # a look at the line, then a click below the grid
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=_below_last_row(grid))
    paste(qtbot, grid, cost_block(("Client-side", "None", "Contract monitoring", 6e4)))
    settle(qtbot, empty_window)
    assert not messages(), messages()
    described = [grid.model().index(r, 2).data() for r in range(grid.model().rowCount() - 1)]
    assert described == ["Cleaning contract", "Contract monitoring"]


ANSWERS = [
    "Yes: estate cleaning and grounds are in every tenancy agreement and service charges are "
    "levied for them (evidence: tenancy agreement clause 4.2).",
    "Clean, safe communal areas; the tenants' panel priorities for 2022 put litter and bulky "
    "waste first. The objectives are now measurable (see the scope).",
]


def test_challenge_answers_pasted_in_leave_the_questions_in_sight(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    """Answers pasted from a spreadsheet into the Challenge questions went into a column
    squeezed to its longest word beside the questions, each a tower of words: at 1024x768 the
    first question's row filled the whole table and the others were out of sight."""
    _new_review(qtbot, empty_window, "2. Challenge")
    table = field(empty_window, "Challenge questions", QTableView)
    click_cell(qtbot, table, 0, 1)
    paste(qtbot, table, "\r\n".join(ANSWERS) + "\r\n")
    settle(qtbot, empty_window)
    assert table.model().index(1, 1).data() == ANSWERS[1]
    width = table.viewport().width()
    assert table.columnWidth(1) >= width // 3, (table.columnWidth(0), table.columnWidth(1))
    # The first two questions can be read together.
    assert table.rowHeight(0) + table.rowHeight(1) <= table.viewport().height()


def test_tab_from_an_actions_owner_reaches_its_linked_indicator(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    """Filling in an improvement action with the keyboard, Tab from Owner went to Start: the
    Linked indicator drop-down between them, added to the form last, came last in the Tab
    order, after the action's finding at the bottom of the page."""
    _new_review(qtbot, empty_window, "6. Improvement plan")
    _press_and_wait(qtbot, empty_window, "Add Improvement Action")
    click(qtbot, field(empty_window, "Owner", QLineEdit))
    type_into(qtbot, focused(qtbot, empty_window), "Priya Natarajan")  # and Tab
    assert focused(qtbot, empty_window).accessibleName() == "Linked indicator"
    key(qtbot, Qt.Key.Key_Tab)
    assert focused(qtbot, empty_window).accessibleName() == "Start"


def test_the_standard_lines_of_enquiry_leave_their_table_in_sight(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    """Add Standard Lines of Enquiry listed all 22 things then needed, stars and evidence for
    each, above the table: at 1024x768 the list filled the stage and the lines of enquiry to
    judge were below the window's edge."""
    _new_review(qtbot, empty_window, "7. Self-assessment")
    _press_and_wait(qtbot, empty_window, "Add Standard Lines of Enquiry")
    needs = field(empty_window, "What this stage still needs", QLabel)
    count = len(needs.items)  # type: ignore[attr-defined]
    assert count > 12
    table = field(empty_window, "Judgements", QTableView)
    assert table.model().rowCount() > 0
    top = table.mapTo(empty_window, QPoint(0, 0)).y()
    assert top + 100 < empty_window.height(), top
    shown = screen_text(needs)
    assert f"Still needed ({count}):" in shown
    assert f"... and {count - 5} more: the Stage Guide (F1) lists them all." in shown


def _choose_figure(*keys: str | Qt.Key) -> Callable[[QWidget], None]:
    """An answer to Insert Live Figure by keyboard alone: type in the filter, press keys."""

    def answer(dialog: QWidget) -> None:
        typed = QApplication.focusWidget()
        assert isinstance(typed, QLineEdit) and dialog.isAncestorOf(typed)
        for pressed in keys:
            if isinstance(pressed, str):
                QTest.keyClicks(typed, pressed)
            else:
                QTest.keyClick(typed, pressed)
        if dialog.isVisible():  # not inserted: close it, or the test would wait for good
            assert isinstance(dialog, QDialog)
            dialog.reject()

    return answer


def test_a_live_figure_is_chosen_and_inserted_from_the_keyboard(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    """In Insert Live Figure (Ctrl+Shift+L), typing 'BV212 median' in the filter and pressing
    Enter did nothing: no figure was chosen until one was clicked, and Down in the filter did
    not move to the list, so the dialog stayed open and the typing went on into the filter."""
    open_review(qtbot, demo_window, "Voids")
    go_to_stage(qtbot, demo_window, "8. Sign-off")
    statement = field(demo_window, "Value for money statement", QPlainTextEdit)
    click(qtbot, statement)
    before = statement.toPlainText()

    chosen = when_dialog(_choose_figure("BV212 median", Qt.Key.Key_Return))
    press(qtbot, demo_window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
          | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: bool(chosen) and QApplication.activeModalWidget() is None,
                    timeout=WAIT_MS)
    assert statement.toPlainText() == before + "{{BV212:median}}"

    # The first match, then Down to the next one: its quartile position.
    chosen = when_dialog(_choose_figure("BV212", Qt.Key.Key_Down, Qt.Key.Key_Return))
    press(qtbot, demo_window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
          | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: bool(chosen) and QApplication.activeModalWidget() is None,
                    timeout=WAIT_MS)
    assert statement.toPlainText() == before + "{{BV212:median}}{{BV212:quartile}}"


def _still_needed(readiness: QLabel) -> int:
    words = screen_text(readiness).split(" items still needed")[0].split()
    return int(words[-1])


def test_the_sign_off_check_follows_what_is_typed_on_the_sign_off_stage(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    """The readiness check on the Sign-off stage was worked out when the stage was shown and
    not again: after the value for money statement was written (or the review moved on to
    Sign-off) it still asked for it, until another stage was visited and this one again."""
    _new_review(qtbot, empty_window, "8. Sign-off")
    readiness = field(empty_window, "Readiness check", QLabel)
    qtbot.waitUntil(lambda: "items still needed" in screen_text(readiness), timeout=WAIT_MS)
    before = _still_needed(readiness)
    statement = field(empty_window, "Value for money statement", QPlainTextEdit)
    type_into(qtbot, statement, "Estate services cost £231 a home against a club median of "
                                "£205; the improved in-house team is the best value.")
    key(qtbot, Qt.Key.Key_Tab)
    settle(qtbot, empty_window)
    assert _still_needed(readiness) == before - 1, screen_text(readiness)


def test_signing_off_with_items_outstanding_fits_a_1024_pixel_screen(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    """Signing off a review whose lines of enquiry are judged on no evidence yet, the dialog
    asking why listed each outstanding item on one long line: it was far wider than a
    1024x768 screen, the items cut off at its edge, and OK and Cancel off the screen. (Ten
    items, wrapped, then made it too tall for the screen: it lists six, as the stages do.)"""
    _new_review(qtbot, empty_window, "7. Self-assessment")
    _press_and_wait(qtbot, empty_window, "Add Standard Lines of Enquiry")
    judgements = field(empty_window, "Judgements", QTableView)
    click_cell(qtbot, judgements, 0, 1)
    paste(qtbot, judgements, "2\tPromising\r\n" * judgements.model().rowCount())
    settle(qtbot, empty_window)
    go_to_stage(qtbot, empty_window, "8. Sign-off")
    seen: list[tuple[int, int, bool]] = []

    def look_and_cancel(dialog: QWidget) -> None:
        ok = button(dialog, "OK")
        right = ok.mapToGlobal(QPoint(ok.width(), 0)).x() - dialog.mapToGlobal(QPoint(0, 0)).x()
        bottom = ok.mapToGlobal(QPoint(0, ok.height())).y() - dialog.mapToGlobal(QPoint()).y()
        seen.append((dialog.width(), right, dialog.height(), bottom, all(
            label.wordWrap() for label in dialog.findChildren(QLabel) if label.text())))
        click_button(qtbot, dialog, "Cancel")

    when_dialog(type_and_ok("Chair of the Board"), title="Sign Off Review")
    asked = when_dialog(look_and_cancel, title="Sign Off With Items Outstanding")
    click_button(qtbot, empty_window, "Sign Off Review")
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    settle(qtbot, empty_window)
    width, right, height, bottom, wrapped = seen[0]
    assert "the judgement rests on no evidence" in asked[0]
    assert width <= 1000 and right <= width and wrapped, seen[0]
    assert height <= 740 and bottom <= height, seen[0]


def test_appraisal_settings_left_blank_say_what_is_used(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    """Set Up the Appraisal left the discount rate, VAT rate and homes served as empty boxes,
    while the results were worked out at 3.5% and 20% VAT for the landlord's homes: nothing
    said a blank was not nought."""
    _new_review(qtbot, empty_window, "5. Compete")
    click_tab(qtbot, field(empty_window, "Option details", QTabWidget), "Appraisal Settings")
    _press_and_wait(qtbot, empty_window, "Set Up the Appraisal")
    for name, says in (("Discount rate (%)", "the rates in Settings"),
                       ("VAT rate (%)", "the rate on the base date"),
                       ("Homes served", "the landlord's homes")):
        box = field(empty_window, name, QLineEdit)
        assert box.text() == ""
        assert box.placeholderText() == f"Blank: {says}", name
        assert "Left blank" in box.toolTip()



def test_home_shows_a_review_started_since_it_was_last_shown(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    """Home heard of every change but a review's: a review started (or moved on, or signed
    off) was missing from its Reviews by stage, and its count of reviews in progress was
    wrong, until the database was opened again."""
    _new_review(qtbot, empty_window)
    click_list_item(qtbot, empty_window.sidebar, "Home")
    settle(qtbot, empty_window)
    table = field(empty_window, "Reviews by stage", QTableView)
    qtbot.waitUntil(lambda: table.model().rowCount() == 1, timeout=WAIT_MS)
    assert table.model().index(0, 1).data() == "1. Scope"


def test_a_review_signed_off_with_items_outstanding_asks_nothing_more_on_home(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    """A review signed off with a reason while items were outstanding showed, on Home, 'Next:
    Scope: Describe the scope...', work that its read-only pages no longer allow."""
    _new_review(qtbot, empty_window, "8. Sign-off")
    when_dialog(type_and_ok("Chair of the Board"), title="Sign Off Review")
    signed = when_dialog(type_and_ok("Board approved the review as it stands."),
                         title="Sign Off With Items Outstanding")
    click_button(qtbot, empty_window, "Sign Off Review")
    qtbot.waitUntil(lambda: bool(signed), timeout=WAIT_MS)
    settle(qtbot, empty_window)
    click_list_item(qtbot, empty_window.sidebar, "Home")
    settle(qtbot, empty_window)
    table = field(empty_window, "Reviews by stage", QTableView)
    qtbot.waitUntil(lambda: table.model().rowCount() > 0, timeout=WAIT_MS)
    row = row_of(table, "Estate services review")
    assert table.model().index(row, 2).data() == "Signed off"
    assert table.model().index(row, 3).data() == "Nothing: signed off and read-only"


def test_an_evidence_files_supports_box_says_what_to_write(
        qtbot: QtBot, empty_window: MainWindow, tmp_path: Path) -> None:
    """The readiness check asks for 'an evidence file that supports it (Supports: "judgement
    1")', but the Evidence page's Supports box was an empty line with nothing to say what it
    takes."""
    report = tmp_path / "tenant survey 2023.txt"
    report.write_text("Estate services survey, September 2023", encoding="utf-8")
    _new_review(qtbot, empty_window, "Evidence files")
    chosen = when_dialog(choose_file(report))
    click_button(qtbot, empty_window, "Attach Files")
    qtbot.waitUntil(lambda: bool(chosen), timeout=WAIT_MS)
    settle(qtbot, empty_window)
    supports = field(empty_window, "Supports", QLineEdit)
    assert supports.isEnabled() and supports.text() == ""
    assert supports.placeholderText() == "e.g. judgement 3, or its key line of enquiry"


def _report_shown() -> bool:
    return any(isinstance(w, QDialog) and w.isVisible() and w.windowTitle().startswith("Report")
               for w in QApplication.topLevelWidgets())


def test_the_open_reviews_report_is_in_the_review_menu_and_on_ctrl_p(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    """Looking for how to print the submission, the Review menu held only New Review, and
    Ctrl+P did nothing: the preview was reached only by the Report button in the workspace."""
    press(qtbot, demo_window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert "Open a review first" in demo_window.statusBar().currentMessage()
    open_review(qtbot, demo_window, "Voids")
    menu(qtbot, demo_window, "Review", "Report...")
    qtbot.waitUntil(_report_shown, timeout=WAIT_MS)
    report = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, QDialog) and w.isVisible())
    assert "Voids and lettings review" in report.windowTitle(), report.windowTitle()
    report.close()
    qtbot.waitUntil(lambda: not _report_shown(), timeout=WAIT_MS)
    press(qtbot, demo_window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(_report_shown, timeout=WAIT_MS)
    next(w for w in QApplication.topLevelWidgets()
         if isinstance(w, QDialog) and w.isVisible()).close()
