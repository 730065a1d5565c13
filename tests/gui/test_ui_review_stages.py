"""A new review filled in stage by stage through the workspace's own widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, wait_idle

from bvdesk.domain.review_content import CHALLENGE_QUESTIONS, KLOES
from bvdesk.domain.vocabulary import Stage
from bvdesk.operations import reviews
from bvdesk.ui.mainwindow import MainWindow
from bvdesk.ui.workspace import ReviewWorkspace
from bvdesk.ui.workspace.editors import FieldForm, RecordPanel


def _set(form: FieldForm, name: str, value: object) -> None:
    """Type into a form field the way a user would, and let it save."""
    editor = form.editor(name)
    if isinstance(editor, QPlainTextEdit):
        editor.setPlainText(str(value))
        form.flush()
    elif isinstance(editor, QLineEdit):
        editor.setText(str(value))
        editor.editingFinished.emit()
    elif isinstance(editor, QComboBox):
        editor.setCurrentIndex(editor.findData(value))
        editor.activated.emit(editor.currentIndex())
    elif isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
        editor.clicked.emit(bool(value))
    assert form.error_text(name) == "", form.error_text(name)


def _add(qtbot: QtBot, window: MainWindow, panel: RecordPanel) -> None:
    before = panel.model.rowCount()
    panel.add_button.click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == before + 1, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    panel.select_id(panel.model.row_at(before).id)


def _complete(qtbot: QtBot, workspace: ReviewWorkspace, stage: Stage) -> None:
    """Wait for the (debounced) needs check to find nothing missing at ``stage``."""
    store = workspace.store

    def done() -> None:
        assert store.needs.missing(stage) == ()

    qtbot.waitUntil(done, timeout=WAIT_MS)


def test_fill_every_stage_of_a_new_review(qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    review_id = reviews.create_review(window.ctx.db, "repairs", "Repairs review 2026/27")
    window.open_review(review_id)
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.store.review is not None, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert len(ws.store.needs.missing(Stage.CHALLENGE)) == len(CHALLENGE_QUESTIONS)

    scope = ws.page(Stage.SCOPE)
    ws.show_stage(Stage.SCOPE)
    _set(scope.form, "scope", "Responsive repairs to 3,000 homes.")
    _set(scope.form, "objectives", "Right first time.")
    _set(scope.form, "start_date", "01/04/2026")
    _set(scope.form, "end_date", "31/03/2027")
    _add(qtbot, window, scope.team)
    scope.team.model.setData(scope.team.model.index(0, 0), "Margaret Lewis")
    scope.team.model.setData(scope.team.model.index(0, 2), True)
    picker = scope.indicators.picker
    qtbot.waitUntil(lambda: picker.list.count() > 0, timeout=WAIT_MS)
    picker.search.setText("BV72")
    picker.list.setCurrentItem(picker.list.item(picker.list.row(
        picker.list.findItems("BV72", Qt.MatchFlag.MatchStartsWith)[0])))
    scope.indicators.link_button.click()
    qtbot.waitUntil(lambda: scope.indicators.linked.count() == 1, timeout=WAIT_MS)
    _complete(qtbot, ws, Stage.SCOPE)

    challenge = ws.page(Stage.CHALLENGE)
    ws.show_stage(Stage.CHALLENGE)
    for row in range(challenge.panel.model.rowCount()):
        challenge.panel.table.selectRow(row)
        challenge.panel.table.setCurrentIndex(challenge.panel.model.index(row, 0))
        _set(challenge.panel.form, "answer", f"Evidence for question {row + 1}.")
    _complete(qtbot, ws, Stage.CHALLENGE)

    consult = ws.page(Stage.CONSULT)
    ws.show_stage(Stage.CONSULT)
    _add(qtbot, window, consult.panel)
    form = consult.panel.form
    for name, value in (("method", "postal_survey"), ("held_on", "12/05/2026"),
                        ("issued", "400"), ("responses", "180"), ("satisfied", "120"),
                        ("valid_answers", "170"), ("findings", "Too many return visits."),
                        ("changes", "Vans stocked for first-time fixes.")):
        _set(form, name, value)
    assert "Response rate 45.0%" in consult.stats.text()
    _complete(qtbot, ws, Stage.CONSULT)

    compete = ws.page(Stage.COMPETE)
    ws.show_stage(Stage.COMPETE)
    for kind in ("in_house", "improved_in_house", "external"):
        _add(qtbot, window, compete.options)
        row = compete.options.model.rowCount() - 1
        compete.options.model.setData(compete.options.model.index(row, 0), kind.replace(
            "_", " ").capitalize())
        compete.options.model.setData(compete.options.model.index(row, 1), kind)
    compete.setup_button.click()
    qtbot.waitUntil(lambda: compete.settings_form.isVisible() or
                    bool(ws.store.rows_of("appraisal_settings")), timeout=WAIT_MS)
    compete.quality_model.store.add("quality_criterion", review_id)
    qtbot.waitUntil(lambda: compete.quality_model.rowCount() == 1, timeout=WAIT_MS)
    for row in range(3):
        compete.options.table.selectRow(row)
        compete.options.table.setCurrentIndex(compete.options.model.index(row, 0))
        compete.add_line.click()
        qtbot.waitUntil(lambda: compete.cost_model.lines == 1, timeout=WAIT_MS)
        compete.grid.setCurrentIndex(compete.cost_model.index(0, 3))
        compete.grid.paste_text("\t".join(str(100_000 + 1000 * row) for _ in range(11)))
        compete.quality_model.setData(compete.quality_model.index(0, 2 + row), str(6 + row))
    wait_idle(qtbot, window)
    # Appraised again on the database worker once the edits are saved.
    qtbot.waitUntil(lambda: compete.result is not None and bool(compete.result.recommended),
                    timeout=WAIT_MS)
    _complete(qtbot, ws, Stage.COMPETE)

    plan = ws.page(Stage.IMPROVEMENT_PLAN)
    ws.show_stage(Stage.IMPROVEMENT_PLAN)
    _add(qtbot, window, plan.panel)
    for name, value in (("title", "Stock vans for first-time fixes"), ("owner", "Tom Okafor"),
                        ("due_date", "31/12/2026"), ("target_value", "95")):
        _set(plan.panel.form, name, value)
    _complete(qtbot, ws, Stage.IMPROVEMENT_PLAN)

    judgements = ws.page(Stage.SELF_ASSESSMENT)
    ws.show_stage(Stage.SELF_ASSESSMENT)
    judgements.add_standard()
    qtbot.waitUntil(lambda: judgements.panel.model.rowCount() == len(KLOES), timeout=WAIT_MS)
    wait_idle(qtbot, window)
    for row in range(len(KLOES)):
        judgements.panel.table.setCurrentIndex(judgements.panel.model.index(row, 0))
        kloe = judgements.panel.model.row_at(row)["kloe"]
        if kloe == KLOES[-1]:
            _set(judgements.panel.form, "prospects", "promising")
        else:
            _set(judgements.panel.form, "stars", 2)
        _set(judgements.panel.form, "rationale", "See the evidence file.")
    _complete(qtbot, ws, Stage.SELF_ASSESSMENT)

    signoff = ws.page(Stage.SIGN_OFF)
    ws.show_stage(Stage.SIGN_OFF)
    _set(signoff.form, "board_approval_date", "20/03/2027")
    _set(signoff.form, "board_minute_ref", "BD/27/3")
    _set(signoff.form, "vfm_statement", "The in-house service is good value.")
    _complete(qtbot, ws, Stage.SIGN_OFF)
    assert "\u2713" in ws.stages.item(Stage.SIGN_OFF.position).text()
    signoff.sign_off("Chair", "No evidence files attached in this test")
    qtbot.waitUntil(lambda: ws.store.locked, timeout=WAIT_MS)
    assert "signed off, read-only" in ws.subtitle.text()
    assert not (compete.cost_model.flags(compete.cost_model.index(0, 3))
                & Qt.ItemFlag.ItemIsEditable)
