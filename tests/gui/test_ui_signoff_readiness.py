"""Sign-off in the workspace runs the readiness check and asks for a reason to override it;
the plan shows baselines from the data and Compete records where each price came from."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QInputDialog,
    QLineEdit,
    QPlainTextEdit,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from ui_helpers import WAIT_MS, wait_idle

from bvdesk.domain.vocabulary import Stage
from bvdesk.operations import editing, livefigures, readiness
from bvdesk.store.models import AuditEntry
from bvdesk.ui.livefigure_dialog import LiveFigureDialog
from bvdesk.ui.mainwindow import MainWindow
from bvdesk.ui.workspace import ReviewWorkspace
from bvdesk.ui.workspace.compete import CompetePage
from bvdesk.ui.workspace.stages import ImprovementPage, SignOffPage


def _open(qtbot: QtBot, window: MainWindow, service: str) -> ReviewWorkspace:
    review = next(r for r in window.reviews.model.rows() if r.service_code == service)
    window.open_review(review.id)
    qtbot.waitUntil(lambda: window.workspace.store.review is not None
                    and window.workspace.store.review.id == review.id, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    window.workspace.show_stage(Stage.SIGN_OFF)
    return window.workspace


def _answer_reason(reason: str | None) -> list[str]:
    """Answer the next reason dialog (its modal loop blocks the caller, so from a timer):
    type ``reason`` and press OK, or press Cancel for None. Returns [the dialog's text]."""
    seen: list[str] = []
    timer = QTimer()
    timer.setInterval(20)

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog) or not dialog.isVisible():
            return
        timer.stop()
        seen.append(f"{dialog.windowTitle()}\n{dialog.labelText()}")
        box = dialog.findChild(QDialogButtonBox)
        assert box is not None
        which = QDialogButtonBox.StandardButton.Cancel
        if reason is not None:
            editor = dialog.findChild(QPlainTextEdit)
            assert editor is not None
            QTest.keyClicks(editor, reason)
            which = QDialogButtonBox.StandardButton.Ok
        QTest.mouseClick(box.button(which), Qt.MouseButton.LeftButton)

    timer.timeout.connect(look)
    timer.start()
    _timers.append(timer)
    return seen


_timers: list[QTimer] = []


@pytest.fixture(autouse=True)
def _no_answer_left_waiting() -> Iterator[None]:
    yield
    for timer in _timers:
        timer.stop()
    _timers.clear()


def test_outstanding_items_are_listed_and_a_reason_signs_off(qtbot: QtBot,
                                                             demo_window: MainWindow) -> None:
    ws = _open(qtbot, demo_window, "repairs")
    page = ws.page(Stage.SIGN_OFF)
    assert isinstance(page, SignOffPage)
    outstanding = readiness.check_review(demo_window.ctx.db, ws.store.review_id).outstanding
    seen = _answer_reason("Board approved the market test before the plan was finished")
    page.sign_off("Chair of the Board")
    qtbot.waitUntil(lambda: ws.store.locked, timeout=WAIT_MS)
    assert seen[0].startswith("Sign Off With Items Outstanding\n")
    assert outstanding[0] in seen[0]
    wait_idle(qtbot, demo_window)
    with demo_window.ctx.db.read() as session:
        logged = session.scalars(select(AuditEntry.new).where(
            AuditEntry.entity == "signoff", AuditEntry.field == "override_reason")).all()
    assert logged == ["Board approved the market test before the plan was finished"]


def test_cancelling_the_reason_leaves_the_review_open(qtbot: QtBot,
                                                      demo_window: MainWindow) -> None:
    ws = _open(qtbot, demo_window, "repairs")
    page = ws.page(Stage.SIGN_OFF)
    assert isinstance(page, SignOffPage)
    seen = _answer_reason(None)
    page.sign_off("Chair of the Board")
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    wait_idle(qtbot, demo_window)
    assert not ws.store.locked
    assert page.history.total() == 0


def test_a_ready_review_signs_off_without_a_reason(qtbot: QtBot,
                                                   demo_window: MainWindow) -> None:
    ws = _open(qtbot, demo_window, "rent")
    page = ws.page(Stage.SIGN_OFF)
    assert isinstance(page, SignOffPage)
    seen = _answer_reason(None)
    page.sign_off("Chair of the Board")
    qtbot.waitUntil(lambda: ws.store.locked, timeout=WAIT_MS)
    wait_idle(qtbot, demo_window)
    assert seen == []
    with demo_window.ctx.db.read() as session:
        assert not session.scalars(select(AuditEntry.new).where(
            AuditEntry.field == "override_reason", AuditEntry.new.is_not(None))).all()


def test_an_options_price_source_is_chosen_in_the_options_table(qtbot: QtBot,
                                                                demo_window: MainWindow) -> None:
    ws = _open(qtbot, demo_window, "voids")
    page = ws.page(Stage.COMPETE)
    assert isinstance(page, CompetePage)
    ws.show_stage(Stage.COMPETE)
    model = page.options.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = headers.index("Where the price comes from")
    assert model.setData(model.index(1, column), "Soft market test")
    wait_idle(qtbot, demo_window)
    option = page.options.model.row_at(1).id
    assert editing.get_row(demo_window.ctx.db, "option", option)["price_source"] == \
        "soft_market_test"


def test_the_plan_shows_the_baseline_from_the_data(qtbot: QtBot,
                                                   demo_window: MainWindow) -> None:
    ws = _open(qtbot, demo_window, "repairs")
    page = ws.page(Stage.IMPROVEMENT_PLAN)
    assert isinstance(page, ImprovementPage)
    ws.show_stage(Stage.IMPROVEMENT_PLAN)
    row = next(r for r in range(page.panel.model.rowCount())
               if page.panel.model.row_at(r)["title"].startswith("Reduce average time"))
    page.panel.table.selectRow(row)
    qtbot.waitUntil(lambda: "from the data" in page.trajectory.text(), timeout=WAIT_MS)
    baseline = livefigures.action_baseline(demo_window.ctx.db, page.panel.model.row_at(row).id)
    assert baseline is not None
    assert page.trajectory.text().startswith(
        f"Baseline from the data: BV73 {baseline.value:.1f} days in 2009/10.\n2009/10: "
        f"{baseline.value:.1f}")
    shown = page.panel.form.editor("baseline_value")
    assert isinstance(shown, QLineEdit) and shown.text() == ""
    assert shown.placeholderText() == f"From the data: {baseline.value:.1f} days in 2009/10"


def test_insert_live_figure_from_a_narrative_box(qtbot: QtBot, demo_window: MainWindow) -> None:
    ws = _open(qtbot, demo_window, "voids")
    ws.show_stage(Stage.CHALLENGE)
    page = ws.page(Stage.CHALLENGE)
    page.panel.table.selectRow(0)
    wait_idle(qtbot, demo_window)
    editor = page.panel.form.editor("answer")
    assert isinstance(editor, QPlainTextEdit)
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    before = editor.toPlainText()
    shown: list[str] = []
    timer = QTimer()
    timer.setInterval(20)
    _timers.append(timer)

    def choose() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LiveFigureDialog) or not dialog.isVisible():
            return
        timer.stop()
        QTest.keyClicks(dialog.filter, "VOIDLOSS quartile position")
        group = next(dialog.tree.topLevelItem(g) for g in range(dialog.tree.topLevelItemCount())
                     if not dialog.tree.topLevelItem(g).isHidden())
        item = next(group.child(i) for i in range(group.childCount())
                    if not group.child(i).isHidden())
        dialog.tree.setCurrentItem(item)
        shown.append(item.text(1))
        QTest.mouseClick(dialog.insert, Qt.MouseButton.LeftButton)

    timer.timeout.connect(choose)
    timer.start()
    QTest.keyClick(editor, Qt.Key.Key_L,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: "{{VOIDLOSS:quartile}}" in editor.toPlainText(), timeout=WAIT_MS)
    assert editor.toPlainText() == before + "{{VOIDLOSS:quartile}}"
    page.panel.form.flush()
    wait_idle(qtbot, demo_window)
    row = page.panel.model.row_at(0)
    saved = editing.get_row(demo_window.ctx.db, "challenge_item", row.id)["answer"]
    assert saved.endswith("{{VOIDLOSS:quartile}}")
    printed = livefigures.resolve_text(demo_window.ctx.db, ws.store.review_id, saved)[0]
    assert printed.endswith(shown[0]) and shown[0].endswith("quartile")


def test_the_sign_off_stage_shows_the_readiness_check(qtbot: QtBot,
                                                      demo_window: MainWindow) -> None:
    ws = _open(qtbot, demo_window, "rent")
    page = ws.page(Stage.SIGN_OFF)
    assert isinstance(page, SignOffPage)
    qtbot.waitUntil(lambda: "Ready to sign off" in page.readiness.text(), timeout=WAIT_MS)
    ws = _open(qtbot, demo_window, "repairs")
    page = ws.page(Stage.SIGN_OFF)
    assert isinstance(page, SignOffPage)
    missing = len(readiness.check_review(demo_window.ctx.db, ws.store.review_id).missing)
    qtbot.waitUntil(lambda: "Not ready" in page.readiness.text(), timeout=WAIT_MS)
    assert f"{missing} items still needed" in page.readiness.text()
    assert "contradict" not in page.readiness.text()
