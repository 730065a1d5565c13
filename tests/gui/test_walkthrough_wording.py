"""Found walking through the app as a new user: the Evidence page told an officer that files
are kept 'with their SHA-256'."""

from __future__ import annotations

from journey_steps import go_to_stage, open_review
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow


def test_evidence_page_speaks_plainly(qtbot: QtBot, demo_window: MainWindow) -> None:
    open_review(qtbot, demo_window, "Responsive repairs")
    go_to_stage(qtbot, demo_window, "Evidence files")

    page = demo_window.workspace.pages.currentWidget()
    words = " ".join(label.text() for label in page.findChildren(QLabel) if label.isVisible())
    assert "kept inside the database" in words
    assert "SHA" not in words and "hash" not in words.lower(), words
