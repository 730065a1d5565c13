"""Found walking through the app as a new user on a 1024x768 screen: the first window, title
bar and borders included, fits the screen's height, status bar and all."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from bvdesk.ui.app import application
from bvdesk.ui.mainwindow import MainWindow


def test_first_start_window_is_wholly_on_the_screen(qtbot: QtBot) -> None:
    application()
    window = MainWindow()  # no preferences yet: the first start
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(50)

    # Offscreen, the screen is 800 wide, narrower than the window can be; its height is the
    # one a 1024x768 screen runs short of.
    room = window.screen().availableGeometry()
    frame = window.frameGeometry()
    assert room.top() <= frame.top() and frame.bottom() <= room.bottom(), (frame, room)
    status = window.statusBar()
    bottom = status.mapToGlobal(QPoint(0, status.height() - 1)).y()
    assert bottom <= room.bottom(), (bottom, room)
    window.close()
