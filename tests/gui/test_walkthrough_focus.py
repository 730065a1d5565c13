"""Found walking through the app with the keyboard alone: Tab went into the first table on Home
and never came out (it went round its cells), and the sidebar showed no sign of having the
focus, so a keyboard user could neither leave Home nor see where they were."""

from __future__ import annotations

from person import WAIT_MS, field, focused, tab_to
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow


def test_tab_leaves_a_table_and_shows_the_focus_on_the_sidebar(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    demo_window.activateWindow()
    qtbot.waitUntil(demo_window.isActiveWindow, timeout=WAIT_MS)
    sidebar = demo_window.sidebar
    table = field(demo_window, "Services that must be market-tested", QTableView)
    tab_to(qtbot, demo_window, table)
    away = sidebar.grab().toImage()

    for _ in range(30):  # Tab, as a person does, until the sidebar has the focus
        qtbot.keyClick(focused(qtbot, demo_window), Qt.Key.Key_Tab)
        if sidebar.hasFocus():
            break
    assert sidebar.hasFocus(), f"Tab is stuck on {focused(qtbot, demo_window)}"
    assert sidebar.grab().toImage() != away, "the focus on the sidebar cannot be seen"

    qtbot.keyClick(sidebar, Qt.Key.Key_Down)
    assert demo_window.stack.currentWidget() is demo_window.reviews
