"""Reopened in the real window, a signed-off review's new version shows no board approval: the
Sign-off stage's approval date and minute are blank and it asks for them, as bvdesk check does."""

from __future__ import annotations

import subprocess
import sys

from journey_steps import go_to_stage, open_demo, open_review
from person import (
    WAIT_MS,
    click_button,
    field,
    messages,
    settle,
    shown,
    type_and_ok,
    when_dialog,
)
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow

ASK = "Record the board approval date and minute reference."


def test_reopening_clears_the_approval_on_screen_as_check_says(
        qtbot: QtBot, fresh: MainWindow) -> None:
    open_demo(qtbot, fresh)
    open_review(qtbot, fresh, "Rent collection")
    go_to_stage(qtbot, fresh, "8. Sign-off")
    assert field(fresh, "Board approval date", QLineEdit).text() == "18/02/2010"
    when_dialog(type_and_ok("Chair of the Board"), title="Sign Off Review")
    click_button(qtbot, fresh, "Sign Off Review")
    settle(qtbot, fresh)
    qtbot.waitUntil(lambda: "signed off, read-only" in fresh.workspace.subtitle.text(),
                    timeout=WAIT_MS)

    when_dialog(type_and_ok("The panel's survey was recounted"), title="Reopen Review")
    click_button(qtbot, fresh, "Reopen Review")
    settle(qtbot, fresh)
    qtbot.waitUntil(lambda: "Version 2" in fresh.workspace.subtitle.text(), timeout=WAIT_MS)
    assert not messages()
    qtbot.waitUntil(lambda: field(fresh, "Board approval date", QLineEdit).text() == "",
                    timeout=WAIT_MS)
    assert field(fresh, "Board minute reference", QLineEdit).text() == ""
    qtbot.waitUntil(lambda: any(ASK in label.text() and shown(label)
                                for label in fresh.findChildren(QLabel)), timeout=WAIT_MS)

    assert fresh.ctx.db is not None
    check = subprocess.run([sys.executable, "-m", "bvdesk", "check", "--review", "3", "--db",
                            str(fresh.ctx.db.path)], capture_output=True, text=True, timeout=60)
    assert check.returncode == 1 and f"- Sign-off: {ASK}" in check.stdout
