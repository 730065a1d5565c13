"""The board paper's meeting date, agenda item and author, typed in the Sign-off stage, are saved
and printed at the head of the board paper."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, open_window, wait_idle

from bvdesk.domain.vocabulary import Stage
from bvdesk.operations import editing, reports
from bvdesk.store.db import Database

pytestmark = pytest.mark.gui


def _saved(db_path: Path, review_id: int) -> dict[str, object]:
    with Database.open(db_path, write=False) as db:
        row = editing.get_row(db, "review", review_id)
    return {name: row[name] for name in
            ("board_meeting_date", "board_agenda_ref", "board_paper_author")}


def test_board_paper_details_typed_in_sign_off_are_saved_and_printed(
        qtbot: QtBot, demo_db_path: Path) -> None:
    window = open_window(qtbot, demo_db_path)
    review = next(r for r in window.reviews.model.rows() if r.service_code == "repairs")
    window.open_review(review.id)
    qtbot.waitUntil(lambda: window.workspace.store.review is not None
                    and window.workspace.store.review.id == review.id, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    window.workspace.show_stage(Stage.SIGN_OFF)
    form = window.workspace.page(Stage.SIGN_OFF).form
    meeting = form.editor("board_meeting_date")
    qtbot.mouseClick(meeting, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(meeting.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(meeting, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(meeting, "21/09/2010")
    qtbot.keyClick(meeting, Qt.Key.Key_Tab)
    agenda = QApplication.focusWidget()
    assert agenda is form.editor("board_agenda_ref")
    qtbot.keyClick(agenda, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(agenda, "Item 9")
    qtbot.keyClick(agenda, Qt.Key.Key_Tab)
    author = QApplication.focusWidget()
    assert author is form.editor("board_paper_author")
    qtbot.keyClick(author, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(author, "Grace Okafor, Repairs Manager")
    qtbot.keyClick(author, Qt.Key.Key_Tab)
    expected = {"board_meeting_date": "2010-09-21", "board_agenda_ref": "Item 9",
                "board_paper_author": "Grace Okafor, Repairs Manager"}

    def saved() -> bool:
        values = _saved(demo_db_path, review.id)
        values["board_meeting_date"] = str(values["board_meeting_date"])
        return values == expected

    qtbot.waitUntil(saved, timeout=WAIT_MS)
    for name in expected:
        assert form.error_text(name) == ""
    wait_idle(qtbot, window)
    window.close()

    with Database.open(demo_db_path, write=False) as db:
        pdf, _pages = reports.render_bytes(db, review.id, "board")
    text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "21 September 2010" in text
    assert "Item 9" in text
    assert "Grace Okafor, Repairs Manager" in text
