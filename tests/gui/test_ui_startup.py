"""Start-up: the pages past the first are built on first use, or by the warm-up once the window
is idle; either way they show the open database."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, wait_idle

from bvdesk.ui.app import application, warm_up
from bvdesk.ui.mainwindow import MainWindow


def test_the_warm_up_builds_the_workspace_and_benchmarking_once_the_app_is_idle(
        qtbot: QtBot, demo_db_path: Path) -> None:
    application()
    window = MainWindow()
    qtbot.addWidget(window)
    warm = warm_up(window)
    window.show()
    assert not window.page_built("workspace") and not window.page_built("benchmarking")
    with qtbot.waitSignal(warm.finished, timeout=WAIT_MS * 3):
        window.open_database(demo_db_path)
    assert window.page_built("workspace") and window.page_built("benchmarking")
    wait_idle(qtbot, window)
    window.show_page("benchmarking")
    qtbot.waitUntil(lambda: window.benchmarking.view.model.rowCount() > 0, timeout=WAIT_MS)
    window.close()


def test_a_page_first_built_after_the_database_opened_shows_it(
        qtbot: QtBot, demo_db_path: Path) -> None:
    application()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS):
        window.open_database(demo_db_path)
    wait_idle(qtbot, window)
    assert not window.page_built("benchmarking")
    window.sidebar.setCurrentRow(2)
    assert window.stack.currentWidget() is window.benchmarking
    qtbot.waitUntil(lambda: window.benchmarking.view.model.rowCount() > 0, timeout=WAIT_MS)
    review_id = window.reviews.model.rows()[0].id
    window.open_review(review_id)
    qtbot.waitUntil(lambda: window.workspace.store.review_id == review_id, timeout=WAIT_MS)
    assert window.stack.currentWidget() is window.workspace
    window.close()
