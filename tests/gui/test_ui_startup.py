"""Start-up: the pages past the first are built on first use, or by the warm-up once the window
is idle; either way they show the open database. The home page of a file closed unchanged since
shows at once."""

from __future__ import annotations

from pathlib import Path

from person import click_cell
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, wait_idle

from bvdesk.domain.vocabulary import Stage
from bvdesk.operations.reviews import create_review
from bvdesk.store.db import Database
from bvdesk.ui.app import application, make_window, warm_up
from bvdesk.ui.mainwindow import MainWindow


def test_the_warm_up_builds_the_workspace_and_benchmarking_once_the_app_is_idle(
        qtbot: QtBot, demo_db_path: Path) -> None:
    """Every stage page too, before any review is open: a review then opens on a page that
    was built while the app was idle, and shows that review."""
    application()
    window = MainWindow()
    qtbot.addWidget(window)
    warm = warm_up(window)
    window.show()
    assert not window.page_built("workspace") and not window.page_built("benchmarking")
    with qtbot.waitSignal(warm.finished, timeout=WAIT_MS * 3):
        window.open_database(demo_db_path)
    assert window.page_built("workspace") and window.page_built("benchmarking")
    workspace = window.workspace
    assert set(workspace.page_for) == set(Stage) and workspace.evidence is not None
    built = dict(workspace.page_for)
    wait_idle(qtbot, window)
    window.show_page("benchmarking")
    qtbot.waitUntil(lambda: window.benchmarking.view.model.rowCount() > 0, timeout=WAIT_MS)
    review = next(r for r in window.reviews.model.rows() if r.service_code == "repairs")
    window.open_review(review.id)
    qtbot.waitUntil(lambda: workspace.store.review is not None, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert workspace.pages.currentWidget() is built[Stage(workspace.store.review["stage"])]
    assert workspace.title.text() == review.title
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


def _figures(window: MainWindow) -> tuple[str, ...]:
    home = window.home
    return (window.windowTitle(), home.benchmarked.number.text(), home.bottom.number.text(),
            home.open_reviews.number.text(), str(home.review_model.rowCount()),
            str(home.indicator_model.rowCount()))


def test_the_next_start_shows_the_home_page_at_once_while_the_file_is_unchanged(
        qtbot: QtBot, demo_db_path: Path) -> None:
    """Closing the window keeps the home page's figures; the next start shows them before the
    database is open (inert until it is), then the figures read from the database; a file
    changed in between shows nothing old."""
    first = make_window(demo_db_path)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitUntil(lambda: first.ctx.db is not None, timeout=WAIT_MS)
    wait_idle(qtbot, first)
    read = _figures(first)
    assert read[0] == "Northvale Homes - bvdesk" and read[4] == "3"
    first.close()

    again = make_window(demo_db_path)
    qtbot.addWidget(again)
    assert again.ctx.db is None
    assert again.stack.currentWidget() is again.home
    assert _figures(again) == read
    assert not again.sidebar.isEnabled()
    assert again.sidebar.currentItem().text() == "Home"
    assert again.statusBar().currentMessage() == "Opening demo.sqlite..."
    again.show()
    qtbot.waitExposed(again)
    if again.ctx.db is None:  # a double-click before the database is open does nothing yet
        click_cell(qtbot, again.home.review_table, 0, double=True)
        assert again.stack.currentWidget() is again.home
    qtbot.waitUntil(lambda: again.ctx.db is not None, timeout=WAIT_MS)
    wait_idle(qtbot, again)
    assert _figures(again) == read and again.sidebar.isEnabled()
    assert again.statusBar().currentMessage() == ""
    again.close()

    colleague = Database.open(demo_db_path, write=True, user="Colleague")
    create_review(colleague, "repairs", "Responsive repairs: a second look")
    colleague.close()
    changed = make_window(demo_db_path)
    qtbot.addWidget(changed)
    assert changed.stack.currentWidget() is changed.welcome  # nothing old is shown
    changed.show()
    qtbot.waitUntil(lambda: changed.ctx.db is not None, timeout=WAIT_MS)
    wait_idle(qtbot, changed)
    now = _figures(changed)
    assert now[4] == "4" and now[3] == str(int(read[3]) + 1)
    changed.close()
