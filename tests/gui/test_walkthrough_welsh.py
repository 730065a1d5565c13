"""Found by a new user at 1024x768 (a Welsh stock-transfer association's first review, of gas
servicing): the distribution chart's title, the evidence table and what it says of a file."""

from __future__ import annotations

from html import unescape

from person import click_list_item, click_row, field, scroll_to, settle
from PySide6.QtCharts import QChartView
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow


def at_1024(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1024, 768)
    qtbot.waitUntil(lambda: window.width() == 1024, timeout=2000)
    settle(qtbot, window)


def test_a_long_indicator_names_distribution_title_wraps_whole_at_1024(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    """'Urgent repairs completed within Government time limits, 2008/09: peers, lowest first'
    was cut to '... peers, lo...' and the quartiles' line went with it."""
    at_1024(qtbot, demo_window)
    click_list_item(qtbot, demo_window.sidebar, "Benchmarking")
    settle(qtbot, demo_window)
    table = field(demo_window, "Indicator benchmark", QTableView)
    model = table.model()
    names = [str(model.index(r, 1).data()) for r in range(model.rowCount())]
    longest = max(names, key=len)
    click_row(qtbot, table, longest, 1)
    settle(qtbot, demo_window)
    view = field(demo_window, "Peer distribution chart", QChartView)
    scroll_to(view)
    qtbot.wait(50)
    title = view.chart().title()
    lines = [unescape(line) for line in title.split("<br>")]
    metrics = QFontMetrics(view.chart().titleFont())
    for line in lines:
        assert metrics.horizontalAdvance(line) < view.width() - 20, line
        assert "\u2026" not in line, line
    said = " ".join(lines)
    assert said.startswith(f"{longest}, "), said
    assert "peers, lowest first" in said and "median" in said, said
    assert view.toolTip().startswith(f"{longest}, "), view.toolTip()
