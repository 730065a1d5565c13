"""The options appraisal out to Excel and back, from the Compete stage, in the real window by
clicks alone (see person.py): the demo's repairs review exported, a cost changed in Excel and
imported (the results move, and equal ``bvdesk appraise``); a workbook with a bad cell names the
sheet and cell and changes nothing; a workbook older than a change made meanwhile asks, and the
answer is honoured; a cancelled import leaves the review as it was; a signed-off review says why
it cannot be imported into; with no options, a sentence stands where the chart will be."""

from __future__ import annotations

from pathlib import Path

from journey_steps import (
    appraise_json,
    assert_screen_matches_cli,
    choose_file,
    close_message,
    go_to_stage,
    open_demo,
    open_review,
    results_on_screen,
    start_new_review,
)
from openpyxl import load_workbook
from person import (
    WAIT_MS,
    button,
    click,
    click_button,
    field,
    messages,
    press_button,
    settle,
    shown,
    type_and_ok,
    when_dialog,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QWidget,
)
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow

REPAIRS = "Responsive repairs"
IN_HOUSE = "In-house (status quo)"
EXPORT = "Export to Excel"
IMPORT = "Import from Excel"
CHANGED = "Appraisal Changed Since the Workbook"


def _export(qtbot: QtBot, window: MainWindow, path: Path) -> tuple[str, str]:
    """Export to Excel, saved as ``path``: the name the dialog suggested, and what is said."""
    suggested: list[str] = []

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        suggested.extend(Path(name).name for name in dialog.selectedFiles())
        choose_file(path)(dialog)

    asked = when_dialog(answer, title="Export to Excel")
    click_button(qtbot, window, EXPORT)
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    told = close_message(qtbot)
    settle(qtbot, window)
    return suggested[0], told


def _import(qtbot: QtBot, window: MainWindow, path: Path) -> None:
    when_dialog(choose_file(path), title="Import from Excel")
    click_button(qtbot, window, IMPORT)


def _answered(qtbot: QtBot, window: MainWindow, asked: list[str]) -> None:
    """Wait until the question was read and answered (it has gone from the screen)."""
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not any(isinstance(w, QMessageBox) and w.isVisible()
                                    and w.windowTitle() == CHANGED
                                    for w in QApplication.topLevelWidgets()),
                    timeout=WAIT_MS)
    settle(qtbot, window)


def _staff_costs(source: Path, target: Path, yearly: object) -> Path:
    """The workbook with the in-house option's staff line (Costs row 2) at ``yearly`` in years
    1 to 10, as a person types it in Excel."""
    book = load_workbook(source)
    costs = book["Costs"]
    assert (costs["A2"].value, costs["B2"].value) == (IN_HOUSE, "Staff")
    for column in "EFGHIJKLMN":
        costs[f"{column}2"] = yearly
    book.save(target)
    return target


def _review_id(window: MainWindow) -> int:
    review_id = window.workspace.store.review_id
    assert review_id is not None, "no review is open"
    return review_id


def _open_compete(qtbot: QtBot, window: MainWindow) -> None:
    open_demo(qtbot, window)
    open_review(qtbot, window, REPAIRS)
    go_to_stage(qtbot, window, "5. Compete")


def test_export_change_a_cost_in_excel_and_import(qtbot: QtBot, fresh: MainWindow,
                                                  tmp_path: Path) -> None:
    _open_compete(qtbot, fresh)
    before = results_on_screen(fresh)[IN_HOUSE]

    exported = tmp_path / "repairs appraisal.xlsx"
    suggested, told = _export(qtbot, fresh, exported)
    assert suggested == ("Northvale Homes - Responsive repairs review 2009-10 - options "
                         "appraisal.xlsx")
    assert "repairs appraisal.xlsx" in told and "Import from Excel" in told
    book = load_workbook(exported)
    assert book["Costs"]["E2"].value == 2_300_000
    # The workbook tells its reader where to bring it back: the button beside Export.
    told_in_book = book["Instructions"]["A3"].value
    assert "with Import from Excel in the review's Compete stage" in told_in_book

    changed = _staff_costs(exported, tmp_path / "changed.xlsx", 2_900_000)
    _import(qtbot, fresh, changed)
    told = close_message(qtbot)
    settle(qtbot, fresh)
    assert told.startswith("This review's appraisal now comes from changed.xlsx: 5 options, "
                           "28 cost lines, 5 quality criteria with 25 scores, 4 risks"), told
    after = results_on_screen(fresh)[IN_HOUSE]
    assert after[2] != before[2]  # the in-house option's net present cost moved
    assert_screen_matches_cli(fresh)
    cli = appraise_json(fresh, _review_id(fresh))
    npc = next(o["npc"] for o in cli["options"] if o["name"] == IN_HOUSE)
    assert after[2] == f"\u00a3{npc:,.0f}"

    # The stage's guide says the same.
    click_button(qtbot, fresh, "Stage Guide")
    guide = field(fresh, "Guide text", QTextBrowser)
    assert "Import from Excel brings it back" in " ".join(guide.toPlainText().split())


def test_a_bad_cell_is_named_and_nothing_changes(qtbot: QtBot, fresh: MainWindow,
                                                  tmp_path: Path) -> None:
    _open_compete(qtbot, fresh)
    exported = tmp_path / "appraisal.xlsx"
    _export(qtbot, fresh, exported)
    review_id = _review_id(fresh)
    cli_before = appraise_json(fresh, review_id)
    shown_before = results_on_screen(fresh)

    bad = _staff_costs(exported, tmp_path / "bad.xlsx", "lots")
    _import(qtbot, fresh, bad)
    told = close_message(qtbot)
    settle(qtbot, fresh)
    assert "bad.xlsx was not imported: 10 problems to fix, and nothing was changed." in told
    for column, year in zip("EFGHIJKLMN", range(1, 11), strict=True):
        assert f"Costs!{column}2: the Year {year} amount must be a number, not 'lots'" in told
    assert appraise_json(fresh, review_id) == cli_before
    assert results_on_screen(fresh) == shown_before


def test_a_workbook_older_than_a_change_asks_and_the_answer_is_kept(
        qtbot: QtBot, fresh: MainWindow, tmp_path: Path) -> None:
    _open_compete(qtbot, fresh)
    exported = tmp_path / "appraisal.xlsx"
    _export(qtbot, fresh, exported)
    changed = _staff_costs(exported, tmp_path / "changed.xlsx", 2_900_000)
    # Meanwhile, an option is added in the app.
    click_button(qtbot, fresh, "Add Option")
    settle(qtbot, fresh)
    assert "New option" in results_on_screen(fresh)
    review_id = _review_id(fresh)
    with_new_option = appraise_json(fresh, review_id)

    # Keep the changes: nothing is imported.
    asked = when_dialog(press_button("Keep the Changes"), title=CHANGED)
    _import(qtbot, fresh, changed)
    _answered(qtbot, fresh, asked)
    assert "has changed since changed.xlsx was made from it" in asked[0]
    assert "Replace those changes with the workbook's figures, or keep them?" in asked[0]
    assert fresh.statusBar().currentMessage() == (
        "Nothing was imported from changed.xlsx; the review's appraisal is as it was.")
    assert appraise_json(fresh, review_id) == with_new_option
    assert "New option" in results_on_screen(fresh)

    # Replace them: the workbook's appraisal, without the option added since.
    asked = when_dialog(press_button("Replace the Changes"), title=CHANGED)
    _import(qtbot, fresh, changed)
    _answered(qtbot, fresh, asked)
    told = close_message(qtbot)
    settle(qtbot, fresh)
    assert told.startswith("This review's appraisal now comes from changed.xlsx: 5 options")
    assert "New option" not in results_on_screen(fresh)
    assert_screen_matches_cli(fresh)


def test_a_cancelled_import_leaves_the_review_as_it_was(qtbot: QtBot, fresh: MainWindow,
                                                        tmp_path: Path) -> None:
    _open_compete(qtbot, fresh)
    exported = tmp_path / "appraisal.xlsx"
    _export(qtbot, fresh, exported)
    # A long workbook (thousands of cost lines) takes seconds to read: time to press Cancel.
    book = load_workbook(exported)
    costs = book["Costs"]
    line = [cell.value for cell in costs[2]]
    for _ in range(8000):
        costs.append(line)
    large = tmp_path / "large.xlsx"
    book.save(large)
    review_id = _review_id(fresh)
    before = appraise_json(fresh, review_id)
    shown_before = results_on_screen(fresh)

    _import(qtbot, fresh, large)
    dialog = fresh.runner.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    assert dialog.labelText() == "Importing the appraisal from Excel..."
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None
    click(qtbot, cancel)
    settle(qtbot, fresh)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert fresh.statusBar().currentMessage() == ("The import was cancelled; nothing was "
                                                  "changed.")
    assert not messages()
    assert appraise_json(fresh, review_id) == before
    assert results_on_screen(fresh) == shown_before


def test_a_signed_off_review_says_why_it_cannot_be_imported_into(
        qtbot: QtBot, fresh: MainWindow, tmp_path: Path) -> None:
    open_demo(qtbot, fresh)
    open_review(qtbot, fresh, "Rent collection")
    go_to_stage(qtbot, fresh, "5. Compete")
    assert button(fresh, IMPORT).isEnabled()
    go_to_stage(qtbot, fresh, "8. Sign-off")
    when_dialog(type_and_ok("Chair of the Board"), title="Sign Off Review")
    when_dialog(type_and_ok("The board accepts the open items."),
                title="Sign Off With Items Outstanding")
    click_button(qtbot, fresh, "Sign Off Review")
    settle(qtbot, fresh)
    go_to_stage(qtbot, fresh, "5. Compete")
    imported = button(fresh, IMPORT)
    assert not imported.isEnabled()
    assert "signed off and read-only" in imported.toolTip()
    # Its appraisal can still be taken out to Excel.
    _export(qtbot, fresh, tmp_path / "signed off.xlsx")
    assert (tmp_path / "signed off.xlsx").exists()


def _on_screen(window: MainWindow, name: str) -> bool:
    return any(w.accessibleName() == name and shown(w)
               for w in window.workspace.findChildren(QWidget))


def test_with_no_options_a_sentence_stands_where_the_chart_will_be(
        qtbot: QtBot, fresh: MainWindow) -> None:
    _open_compete(qtbot, fresh)
    assert _on_screen(fresh, "Sensitivity chart")  # the demo's options are costed and scored
    assert not _on_screen(fresh, "Sensitivity")

    start_new_review(qtbot, fresh, "Estate services review")
    go_to_stage(qtbot, fresh, "5. Compete")
    assert not _on_screen(fresh, "Sensitivity chart")
    assert "a chart here shows how far its lead moves" in field(fresh, "Sensitivity",
                                                                QLabel).text()
