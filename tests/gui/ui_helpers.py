"""Helpers for GUI tests: open a styled main window and wait for its background work."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from bvdesk.ui.app import application
from bvdesk.ui.mainwindow import MainWindow

WAIT_MS = 20_000


def wait_idle(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until every background task of ``window`` has finished and delivered."""
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=WAIT_MS)


def open_window(qtbot: QtBot, path: Path | None) -> MainWindow:
    application()
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    if path is not None:
        with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS) as blocker:
            window.open_database(path)
        assert blocker.args[0] is not None, window.welcome.message.text()
        wait_idle(qtbot, window)
    return window
