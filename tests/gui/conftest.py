"""GUI fixtures: a styled main window on a real database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from person import stop_watching
from pytestqt.qtbot import QtBot
from ui_helpers import open_window

from bvdesk.ui.mainwindow import MainWindow


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def demo_window(qtbot: QtBot, demo_db_path: Path) -> Iterator[MainWindow]:
    window = open_window(qtbot, demo_db_path)
    yield window
    stop_watching()  # a dialog one test awaited in vain must not be answered in the next
    window.close()


@pytest.fixture
def empty_window(qtbot: QtBot, tmp_db_path: Path) -> Iterator[MainWindow]:
    window = open_window(qtbot, tmp_db_path)
    yield window
    stop_watching()
    window.close()


@pytest.fixture
def fresh(qtbot: QtBot) -> Iterator[MainWindow]:
    """The window as a person first sees it: no database open, no preferences (BVDESK_HOME is
    under tmp_path), the window active."""
    window = open_window(qtbot, None)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=10_000)
    yield window
    stop_watching()
    window.close()
