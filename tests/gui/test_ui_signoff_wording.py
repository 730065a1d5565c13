"""The Sign-off stage and the dialog for signing off anyway count what is outstanding in the same
words (the walkthrough at 1024x768 read 'Contradicts itself (2)' and '5 items are still needed'
on the stage, then '7 items are outstanding' in the dialog; issue 11)."""

from __future__ import annotations

import re

import pytest
from journey_steps import go_to_stage, open_review
from person import WAIT_MS, click_button, dialog_text, settle, type_and_ok, when_dialog
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow

COUNTS = re.compile(r"\d+ contradictions? and \d+ items? still needed|\d+ items? still needed|"
                    r"\d+ contradictions?")


@pytest.mark.slow
def test_stage_and_dialog_count_what_is_outstanding_alike(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    demo_window.resize(1024, 768)
    open_review(qtbot, demo_window, "Responsive repairs")
    go_to_stage(qtbot, demo_window, "8. Sign-off")
    readiness = next(w for w in demo_window.workspace.findChildren(QLabel)
                     if w.isVisible() and w.accessibleName() == "Readiness check")
    qtbot.waitUntil(lambda: "Not ready to sign off" in readiness.text(), timeout=WAIT_MS)
    on_stage = COUNTS.findall(re.sub(r"<[^>]+>", "", readiness.text()))
    assert on_stage, readiness.text()

    said: list[str] = []

    def read_and_cancel(dialog: QWidget) -> None:
        said.append(dialog_text(dialog))
        click_button(qtbot, dialog, "Cancel")

    when_dialog(type_and_ok("Chair of the Board"), title="Sign Off Review")
    when_dialog(read_and_cancel, title="Sign Off With Items Outstanding")
    click_button(qtbot, demo_window, "Sign Off Review")
    qtbot.waitUntil(lambda: bool(said), timeout=WAIT_MS)
    settle(qtbot, demo_window)
    assert COUNTS.findall(said[0])[:1] == on_stage[:1], (readiness.text(), said[0])
