"""The main window: opening databases, listing services and reviews, a review's summary."""

from __future__ import annotations

from pathlib import Path

from person import click_list_item, click_row, row_of
from PySide6.QtGui import QFontDatabase
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, open_window, wait_idle

from bvdesk.ui.mainwindow import MainWindow
from bvdesk.ui.reviews_page import NewReviewDialog
from bvdesk.ui.theme import FONT_FAMILY


def test_bundled_font_is_present(qapp: object) -> None:
    from bvdesk.ui.app import application

    application()
    assert FONT_FAMILY in QFontDatabase.families()


def test_demo_lists_services_reviews_and_summary(demo_window: MainWindow) -> None:
    page = demo_window.reviews
    assert demo_window.windowTitle() == "Northvale Homes - bvdesk"
    titles = [r.title for r in page.model.rows()]
    assert len(titles) == 3
    services = [page.services.item(i).text() for i in range(page.services.count())]
    assert services[0] == "All services (3)"
    assert "Responsive repairs (1)" in services


def test_selecting_a_review_shows_its_summary(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = demo_window.reviews
    row = page.model.find(lambda r: r.title.startswith("Responsive repairs"))
    page.table.selectRow(row)
    qtbot.waitUntil(lambda: page.summary.card.title_label.text().startswith("Responsive"),
                    timeout=WAIT_MS)
    assert "stage 5 of 8, Compete" in page.summary.status.text()


def test_service_filter_narrows_the_list(qtbot: QtBot, demo_window: MainWindow) -> None:
    page = demo_window.reviews
    for row in range(page.services.count()):
        if page.services.item(row).text().startswith("Voids"):
            page.services.setCurrentRow(row)
    assert [r.service for r in page.model.rows()] == ["Voids and lettings"]


def test_missing_database_shows_welcome(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, None)
    with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS) as blocker:
        window.open_database(tmp_path / "nothing.sqlite")
    assert blocker.args[0] is None
    assert window.stack.currentWidget() is window.welcome
    assert "There is no database" in window.welcome.message.text()


def test_second_window_gets_the_lock_message(qtbot: QtBot, demo_window: MainWindow) -> None:
    other = open_window(qtbot, None)
    with qtbot.waitSignal(other.database_opened, timeout=WAIT_MS):
        other.open_database(demo_window.ctx.db.path)
    assert "already open for writing" in other.welcome.message.text()


def test_create_review_opens_it(qtbot: QtBot, empty_window: MainWindow) -> None:
    page = empty_window.reviews
    page.new_review()
    qtbot.waitUntil(lambda: page.findChild(NewReviewDialog) is not None, timeout=WAIT_MS)
    dialog = page.findChild(NewReviewDialog)
    dialog.title.setText("Gas servicing review")
    with qtbot.waitSignal(page.open_review, timeout=WAIT_MS) as blocker:
        dialog._accept()
    wait_idle(qtbot, empty_window)
    assert [r.title for r in page.model.rows()] == ["Gas servicing review"]
    assert blocker.args[0] == page.model.rows()[0].id


def test_benchmarking_page_charts_the_chosen_indicator(qtbot: QtBot,
                                                        demo_window: MainWindow) -> None:
    demo_window.show_page("benchmarking")
    view = demo_window.benchmarking.view
    qtbot.waitUntil(lambda: view.model.rowCount() > 20, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: view.distribution.model.rowCount() > 0, timeout=WAIT_MS)
    first = view.model.row_at(0)
    assert view.distribution.chart.title().startswith(first.name)
    own = [p for p in view.distribution.model.rows() if p.is_self]
    assert len(own) == 1 and own[0].value == first.value
    assert view.history.model.rowCount() == 5


def test_peer_group_editor_and_benchmarking_against_a_group(qtbot: QtBot,
                                                            demo_window: MainWindow) -> None:
    from PySide6.QtCore import Qt as QtNs

    page = demo_window.benchmarking
    demo_window.show_page("benchmarking")
    qtbot.waitUntil(lambda: page.view.model.rowCount() > 0 and page.group.count() > 0,
                    timeout=WAIT_MS)
    all_n = page.view.model.row_at(0).n
    dialog = page.edit_groups()
    wait_idle(qtbot, demo_window)
    before = len(dialog.groups)
    dialog.list.setCurrentRow(-1)
    dialog.name.setText("Big housing associations")
    dialog.types.item(0).setCheckState(QtNs.CheckState.Checked)
    for row in range(dialog.bands.count()):
        if dialog.bands.item(row).data(QtNs.ItemDataRole.UserRole) in ("5000_9999",
                                                                      "10000_plus"):
            dialog.bands.item(row).setCheckState(QtNs.CheckState.Checked)
    with qtbot.waitSignal(dialog.changed, timeout=WAIT_MS):
        dialog.save()
    wait_idle(qtbot, demo_window)
    assert len(dialog.groups) == before + 1
    assert dialog.list.currentItem().text().startswith("Big housing associations (")
    dialog.save()
    wait_idle(qtbot, demo_window)
    assert dialog.problem.text() == ""  # saving the selected group again edits it
    dialog.close()

    index = page.group.findData("Big housing associations")
    page.group.setCurrentIndex(index)
    page.group.activated.emit(index)
    qtbot.waitUntil(lambda: page.view.report is not None
                    and page.view.report.peer_group == "Big housing associations",
                    timeout=WAIT_MS)
    assert page.view.model.row_at(0).n < all_n


def test_the_charts_tables_print_an_indicators_figures_as_the_benchmark_table_does(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    """A percentage kept to two decimals (current tenants' arrears, 3.69%) was 3.7% in the
    distribution's and the trend's tables beside a benchmark table saying 3.69%."""
    click_list_item(qtbot, demo_window.sidebar, "Benchmarking")
    view = demo_window.benchmarking.view
    qtbot.waitUntil(lambda: view.model.rowCount() > 20, timeout=WAIT_MS)
    click_row(qtbot, view.table, "HC-ARR")
    qtbot.waitUntil(lambda: view.distribution.chart.title().startswith(
        view.model.row_at(row_of(view.table, "HC-ARR")).name), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: view.history.model.rowCount() > 0, timeout=WAIT_MS)
    ours = view.model.index(row_of(view.table, "HC-ARR"), 2).data()
    assert ours.endswith("%") and len(ours.split(".")[1]) == 3, ours  # two decimals and a %
    own = next(r for r in range(view.distribution.model.rowCount())
               if view.distribution.model.index(r, 0).data().startswith("\u25b6 "))
    assert view.distribution.model.index(own, 1).data() == ours
    latest = view.history.model.rowCount() - 1
    assert view.history.model.index(latest, 1).data() == ours
