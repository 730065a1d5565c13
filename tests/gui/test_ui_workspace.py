"""The review workspace driven through its real widgets: edits save as made, undo, live NPC."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, wait_idle

from bvdesk.domain.vocabulary import Stage
from bvdesk.operations import editing
from bvdesk.ui.mainwindow import MainWindow
from bvdesk.ui.report_dialog import ReportDialog
from bvdesk.ui.workspace import ReviewWorkspace
from bvdesk.ui.workspace.compete import CompetePage
from bvdesk.ui.workspace.stages import ConsultPage, ScopePage, SignOffPage


def _open_demo_review(qtbot: QtBot, window: MainWindow, service: str) -> ReviewWorkspace:
    review = next(r for r in window.reviews.model.rows() if r.service_code == service)
    window.open_review(review.id)
    workspace = window.workspace
    qtbot.waitUntil(lambda: workspace.store.review is not None
                    and workspace.store.review.id == review.id, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    return workspace


@pytest.fixture
def repairs(qtbot: QtBot, demo_window: MainWindow) -> Iterator[ReviewWorkspace]:
    yield _open_demo_review(qtbot, demo_window, "repairs")


def _type_line(qtbot: QtBot, editor: QLineEdit, text: str) -> None:
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_opens_at_the_review_stage_with_what_is_missing(repairs: ReviewWorkspace) -> None:
    assert repairs.stages.currentRow() == Stage.COMPETE.position
    plan = repairs.stages.item(Stage.IMPROVEMENT_PLAN.position).text()
    assert "to\u00a0do" in plan
    page = repairs.page(Stage.IMPROVEMENT_PLAN)
    assert any("bottom quartile" in item for item in page.needs.items)


def test_text_saves_as_typed_and_undo_spans_the_workspace(
        qtbot: QtBot, demo_window: MainWindow, repairs: ReviewWorkspace) -> None:
    repairs.show_stage(Stage.SCOPE)
    scope = repairs.page(Stage.SCOPE)
    assert isinstance(scope, ScopePage)
    box = scope.form.editor("scope")
    assert isinstance(box, QPlainTextEdit)
    original = box.toPlainText()
    box.setPlainText("Responsive repairs only.")
    scope.form.flush()
    repairs.show_stage(Stage.SIGN_OFF)
    signoff = repairs.page(Stage.SIGN_OFF)
    assert isinstance(signoff, SignOffPage)
    _type_line(qtbot, signoff.form.editor("board_minute_ref"), "BD/2010/14")
    wait_idle(qtbot, demo_window)
    db = demo_window.ctx.db
    review_id = repairs.store.review_id
    assert editing.get_row(db, "review", review_id)["scope"] == "Responsive repairs only."
    assert editing.get_row(db, "review", review_id)["board_minute_ref"] == "BD/2010/14"

    demo_window.action_undo.trigger()
    demo_window.action_undo.trigger()
    wait_idle(qtbot, demo_window)
    assert box.toPlainText() == original
    assert editing.get_row(db, "review", review_id)["scope"] == original
    assert editing.get_row(db, "review", review_id)["board_minute_ref"] == ""
    demo_window.action_redo.trigger()
    wait_idle(qtbot, demo_window)
    assert editing.get_row(db, "review", review_id)["scope"] == "Responsive repairs only."


def test_a_refused_value_stays_in_its_box(qtbot: QtBot, demo_window: MainWindow,
                                          repairs: ReviewWorkspace) -> None:
    repairs.show_stage(Stage.CONSULT)
    page = repairs.page(Stage.CONSULT)
    assert isinstance(page, ConsultPage)
    form = page.panel.form
    editor = form.editor("issued")
    _type_line(qtbot, editor, "lots")
    assert editor.text() == "lots"
    assert "must be a number" in form.error_text("issued")


def test_consult_statistics_follow_the_typing(qtbot: QtBot, repairs: ReviewWorkspace) -> None:
    repairs.show_stage(Stage.CONSULT)
    page = repairs.page(Stage.CONSULT)
    assert isinstance(page, ConsultPage)
    form = page.panel.form
    for name, value in (("population", ""), ("issued", "500"), ("responses", "200"),
                        ("valid_answers", "200"), ("satisfied", "150")):
        editor = form.editor(name)
        editor.setText(value)
    assert "Response rate 40.0%" in page.stats.text()
    assert "75.0% (95% CI 69.0% to 81.0%, n = 200) satisfied" in page.stats.text()


def test_npc_updates_when_a_cost_changes(qtbot: QtBot, demo_window: MainWindow,
                                         repairs: ReviewWorkspace) -> None:
    page = repairs.page(Stage.COMPETE)
    assert isinstance(page, CompetePage)
    repairs.show_stage(Stage.COMPETE)
    qtbot.waitUntil(lambda: page.result is not None, timeout=WAIT_MS)
    page.options.table.selectRow(0)
    option_id = page.options.selected_id()
    before = next(o.npc for o in page.result.options if o.id == option_id)
    year_1 = page.cost_model.index(0, 4)
    old = float(page.cost_model.data(year_1, Qt.ItemDataRole.EditRole) or 0)
    assert page.cost_model.setData(year_1, str(old + 100_000))
    # Appraised again by the database worker once the change is saved.
    qtbot.waitUntil(lambda: next(o.npc for o in page.result.options if o.id == option_id)
                    > before + 50_000, timeout=WAIT_MS)
    assert page.results_model.find(lambda o: o.id == option_id) >= 0
    wait_idle(qtbot, demo_window)
    line = page.cost_model.row_at(0)
    saved = editing.get_row(demo_window.ctx.db, "cost_line", line.id)
    assert saved["amounts"][1] == old + 100_000


def test_paste_from_excel_is_one_undo_step(qtbot: QtBot, demo_window: MainWindow,
                                            repairs: ReviewWorkspace) -> None:
    page = repairs.page(Stage.COMPETE)
    assert isinstance(page, CompetePage)
    repairs.show_stage(Stage.COMPETE)
    page.options.table.selectRow(1)
    rows_before = page.cost_model.lines
    page.grid.setCurrentIndex(page.cost_model.index(0, 3))
    saved = page.grid.paste_text("1,000\t2000\t3000\r\n10\t20\t30\r\n"
                                 if rows_before > 1 else "1,000\t2000\t3000\r\n")
    assert saved >= 3
    line_id = page.cost_model.row_at(0).id
    wait_idle(qtbot, demo_window)
    assert editing.get_row(demo_window.ctx.db, "cost_line", line_id)["amounts"][:3] == [
        1000.0, 2000.0, 3000.0]
    demo_window.action_undo.trigger()
    wait_idle(qtbot, demo_window)
    assert editing.get_row(demo_window.ctx.db, "cost_line", line_id)["amounts"][:3] != [
        1000.0, 2000.0, 3000.0]


def test_sign_off_makes_the_review_read_only(qtbot: QtBot, demo_window: MainWindow,
                                             repairs: ReviewWorkspace) -> None:
    repairs.show_stage(Stage.SIGN_OFF)
    page = repairs.page(Stage.SIGN_OFF)
    assert isinstance(page, SignOffPage)
    page.sign_off("Chair of the Board", "Interim sign-off: the plan is still being written")
    qtbot.waitUntil(lambda: repairs.store.locked, timeout=WAIT_MS)
    wait_idle(qtbot, demo_window)
    assert repairs.banner.isVisible()
    assert page.reopen_button.isEnabled() and not page.sign_button.isEnabled()
    assert page.form.editor("board_minute_ref").isReadOnly()
    scope = repairs.page(Stage.SCOPE)
    assert isinstance(scope, ScopePage)
    assert scope.form.editor("scope").isReadOnly()
    assert not scope.team.add_button.isEnabled()
    assert "read-only" in repairs.store.edit("review", repairs.store.review_id, "scope", "x")
    compete = repairs.page(Stage.COMPETE)
    assert isinstance(compete, CompetePage)
    assert not (compete.cost_model.flags(compete.cost_model.index(0, 3))
                & Qt.ItemFlag.ItemIsEditable)
    assert page.history.total() == 1

    page.reopen("Board asked for a fourth option")
    qtbot.waitUntil(lambda: not repairs.store.locked, timeout=WAIT_MS)
    wait_idle(qtbot, demo_window)
    assert repairs.store.review["version"] == 2
    assert not scope.form.editor("scope").isReadOnly()


def test_models_pass_the_model_tester(qtbot: QtBot, qtmodeltester: object,
                                     repairs: ReviewWorkspace) -> None:
    compete = repairs.page(Stage.COMPETE)
    assert isinstance(compete, CompetePage)
    compete.options.table.selectRow(0)
    qtbot.waitUntil(lambda: compete.result is not None, timeout=WAIT_MS)  # appraised
    for model in (compete.options.model, compete.cost_model, compete.quality_model,
                  compete.results_model):
        assert model.rowCount(QModelIndex()) > 0
        qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_report_preview_save_and_print_to_pdf(qtbot: QtBot, demo_window: MainWindow,
                                              repairs: ReviewWorkspace, tmp_path) -> None:
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    with qtbot.waitSignal(repairs.report_requested, timeout=WAIT_MS):
        repairs.report_button.click()
    dialog = demo_window.findChild(ReportDialog)
    qtbot.waitUntil(lambda: dialog.document.pageCount() > 0, timeout=WAIT_MS)
    pages = dialog.document.pageCount()
    assert dialog.status.text() == f"{pages} pages"

    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as saved:
        dialog.save_to(tmp_path / "regulator.pdf")
    assert saved.args[0].pages == pages
    assert len(PdfReader(tmp_path / "regulator.pdf").pages) == pages

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_to(printer) == pages
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == pages

    with qtbot.waitSignal(dialog.rendered, timeout=WAIT_MS):
        dialog.edition.setCurrentIndex(2)
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as exported:
        dialog.export_to(tmp_path / "review.xlsx")
    assert exported.args[0].path.exists()
    dialog.close()


def test_evidence_is_attached_with_its_hash(qtbot: QtBot, demo_window: MainWindow,
                                            repairs: ReviewWorkspace, tmp_path) -> None:
    import datetime as dt
    import hashlib

    from bvdesk.operations.editing import Row
    from bvdesk.ui.workspace.evidence import copy_out, describe

    source = tmp_path / "panel-minutes.txt"
    source.write_text("Tenant panel, 3 March 2010", encoding="utf-8")
    repairs.stages.setCurrentRow(len(Stage))
    page = repairs.evidence_page()
    before = page.panel.model.rowCount()
    page.attach([source])
    qtbot.waitUntil(lambda: page.panel.model.rowCount() == before + 1, timeout=WAIT_MS)
    row = next(r for r in repairs.store.rows_of("evidence") if r["file_name"] == source.name)
    page.panel.select_id(row.id)
    assert page.details.text().startswith("panel-minutes.txt (26 bytes), added ")
    assert hashlib.sha256(source.read_bytes()).hexdigest() in page.details.toolTip()
    opened = copy_out(editing.evidence_content(demo_window.ctx.db, row.id))
    assert opened.read_bytes() == source.read_bytes()
    expired = Row("evidence", 1, {**row.values, "expires": dt.date(2001, 1, 1)})
    assert "EXPIRED on 01 Jan 2001" in describe(expired, dt.date(2010, 1, 1))


def test_action_trajectory_follows_baseline_and_target(qtbot: QtBot,
                                                       repairs: ReviewWorkspace) -> None:
    from bvdesk.ui.workspace.stages import ImprovementPage, trajectory_text

    repairs.show_stage(Stage.IMPROVEMENT_PLAN)
    page = repairs.page(Stage.IMPROVEMENT_PLAN)
    assert isinstance(page, ImprovementPage)
    form = page.panel.form
    for name, value in (("baseline_year", "2009"), ("baseline_value", "17.4"),
                        ("target_year", "2014"), ("target_value", "9")):
        _type_line(qtbot, form.editor(name), value)
    assert page.trajectory.text().startswith("2009/10: 17.4  \u2192  2010/11: 15.7")
    assert page.trajectory.text().endswith("2014/15: 9.0")
    assert "Give a baseline" in trajectory_text({"baseline_year": None})


def test_an_actions_years_read_as_financial_years_and_are_typed_so(
        qtbot: QtBot, demo_window: MainWindow, repairs: ReviewWorkspace) -> None:
    from bvdesk.ui.workspace.stages import ImprovementPage

    repairs.show_stage(Stage.IMPROVEMENT_PLAN)
    page = repairs.page(Stage.IMPROVEMENT_PLAN)
    assert isinstance(page, ImprovementPage)
    form = page.panel.form
    _type_line(qtbot, form.editor("target_year"), "2013/14")
    wait_idle(qtbot, demo_window)
    saved = repairs.store.rows_of("action")
    chosen = next(row for row in saved if row["target_year"] == 2013)
    page.panel.select_id(chosen.id)
    assert form.editor("target_year").text() == "2013/14"


def test_text_that_cannot_be_saved_stays_on_screen(qtbot: QtBot, demo_window: MainWindow,
                                                   repairs: ReviewWorkspace) -> None:
    from bvdesk.store.models import Review

    repairs.show_stage(Stage.SCOPE)
    scope = repairs.page(Stage.SCOPE)
    assert isinstance(scope, ScopePage)
    # Another program signs the review off behind the app's back.
    with demo_window.ctx.db.session(allow_locked=True) as session:
        session.get(Review, repairs.store.review_id).locked = True
    box = scope.form.editor("objectives")
    box.setPlainText("Three paragraphs of careful drafting.")
    with qtbot.waitSignal(repairs.store.problem, timeout=WAIT_MS) as problem:
        scope.form.flush()
    assert "was not saved" in problem.args[0] and "still on screen" in problem.args[0]
    wait_idle(qtbot, demo_window)
    assert box.toPlainText() == "Three paragraphs of careful drafting."
    assert repairs.message.isVisible()
