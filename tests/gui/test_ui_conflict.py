"""A colleague saved the field the user is editing: the user is asked whose value to keep."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from journey_steps import assert_screen_matches_cli, go_to_stage, open_demo, open_review
from person import click_cell, click_tab, field, press_button, settle, when_dialog
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTableView, QTabWidget, QWidget
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, wait_idle

from bvdesk.domain.vocabulary import Stage
from bvdesk.operations import editing
from bvdesk.ui.mainwindow import MainWindow
from bvdesk.ui.workspace import ReviewWorkspace

COLLEAGUE = "BD/2010/09"
MINE = "BD/2010/14"


@pytest.fixture
def signoff_field(qtbot: QtBot, demo_window: MainWindow) -> Iterator[QLineEdit]:
    review = next(r for r in demo_window.reviews.model.rows() if r.service_code == "voids")
    demo_window.open_review(review.id)
    workspace: ReviewWorkspace = demo_window.workspace
    qtbot.waitUntil(lambda: workspace.store.review is not None, timeout=WAIT_MS)
    wait_idle(qtbot, demo_window)
    workspace.show_stage(Stage.SIGN_OFF)
    editor = workspace.page(Stage.SIGN_OFF).form.editor("board_minute_ref")
    assert isinstance(editor, QLineEdit) and editor.text() == ""
    yield editor


def _colleague_saves(demo_db_path: Path, review_id: int) -> None:
    """Another desktop's save, as it lands in the shared database."""
    with sqlite3.connect(demo_db_path) as connection:
        connection.execute("UPDATE review SET board_minute_ref = ?, row_version = row_version + 1 "
                           "WHERE id = ?", (COLLEAGUE, review_id))
    connection.close()


def _type(qtbot: QtBot, editor: QLineEdit, text: str) -> None:
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


@pytest.mark.parametrize("choice, kept", [("Keep Mine", MINE), ("Keep Theirs", COLLEAGUE)])
def test_the_user_keeps_either_value_and_nothing_is_lost_silently(
        qtbot: QtBot, demo_window: MainWindow, demo_db_path: Path, signoff_field: QLineEdit,
        choice: str, kept: str) -> None:
    review_id = demo_window.workspace.store.review_id
    _colleague_saves(demo_db_path, review_id)
    shown: list[str] = []

    def answer(dialog: QWidget) -> None:
        shown.extend(box.toPlainText() for box in dialog.findChildren(QPlainTextEdit))
        press_button(choice)(dialog)

    answered = when_dialog(answer, title="Changed by a Colleague")
    _type(qtbot, signoff_field, MINE)
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert shown == [COLLEAGUE, MINE]
    assert "while you were editing it" in answered[0]
    wait_idle(qtbot, demo_window)
    assert editing.get_row(demo_window.ctx.db, "review", review_id)["board_minute_ref"] == kept
    qtbot.waitUntil(lambda: signoff_field.text() == kept, timeout=WAIT_MS)


@pytest.mark.parametrize("choice, kept", [("Keep Mine", 6), ("Keep Theirs", 9)])
def test_a_quality_score_a_colleague_changed_is_asked_about(
        qtbot: QtBot, fresh: MainWindow, choice: str, kept: int) -> None:
    """A score cell: the colleague's score and the one typed are both shown, as the grid shows
    them, and the one the user keeps is what the results on screen then use."""
    open_demo(qtbot, fresh)
    open_review(qtbot, fresh, "Responsive repairs")
    go_to_stage(qtbot, fresh, "5. Compete")
    click_tab(qtbot, field(fresh, "Option details", QTabWidget), "Quality Scores")
    scores = field(fresh, "Quality scores", QTableView)
    assert scores.model().index(0, 2).data() == "5"
    with sqlite3.connect(fresh.ctx.db.path) as connection:  # another desk saves a 9
        connection.execute("UPDATE quality_score SET score = 9, row_version = row_version + 1 "
                           "WHERE criterion_id = 1 AND option_id = 1")
    connection.close()
    shown: list[str] = []

    def answer(dialog: QWidget) -> None:
        shown.extend(box.toPlainText() for box in dialog.findChildren(QPlainTextEdit))
        press_button(choice)(dialog)

    when_dialog(answer, title="Changed by a Colleague")
    click_cell(qtbot, scores, 0, 2)
    qtbot.keyClicks(scores, "6")
    qtbot.keyClick(scores.focusWidget() or scores, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert shown == ["9", "6"]
    settle(qtbot, fresh)
    assert editing.list_scores(fresh.ctx.db, fresh.workspace.store.review_id)[(1, 1)] == kept
    qtbot.waitUntil(lambda: scores.model().index(0, 2).data() == str(kept), timeout=WAIT_MS)
    settle(qtbot, fresh)
    assert_screen_matches_cli(fresh)
