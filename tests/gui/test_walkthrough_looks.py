"""Found walking through the app as a new user at 1024x768: what cannot be used looks so, and
the read-only notice of a signed-off review can be read without scrolling it."""

from __future__ import annotations

import pytest
from journey_steps import go_to_stage, open_demo, open_review
from person import WAIT_MS, click_button, settle, type_and_ok, when_dialog
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractButton, QListWidget, QScrollArea, QTableView, QWidget
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow
from bvdesk.ui.theme import ACCENT


def item_image(sidebar: QListWidget, text: str) -> QImage:
    item = next(sidebar.item(r) for r in range(sidebar.count())
                if sidebar.item(r).text() == text)
    return sidebar.viewport().grab(sidebar.visualItemRect(item)).toImage()


def test_sidebar_looks_disabled_until_a_database_is_open(
        qtbot: QtBot, fresh: MainWindow) -> None:
    before = item_image(fresh.sidebar, "Reviews")
    assert not fresh.sidebar.isEnabled()
    open_demo(qtbot, fresh)
    assert fresh.sidebar.isEnabled()
    assert item_image(fresh.sidebar, "Reviews") != before


def button_on_screen(root: QWidget, caption: str) -> QAbstractButton:
    return next(b for b in root.findChildren(QAbstractButton)
                if b.isVisible() and b.text().replace("&", "").startswith(caption))


@pytest.mark.slow
def test_signed_off_review_greys_sign_off_and_shows_its_whole_notice(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    demo_window.resize(1024, 768)
    open_review(qtbot, demo_window, "Rent collection")
    go_to_stage(qtbot, demo_window, "8. Sign-off")
    named = when_dialog(type_and_ok("Chair of the Board"), title="Sign Off Review")
    when_dialog(type_and_ok("Accepted by the board."), title="Sign Off With Items Outstanding")
    click_button(qtbot, demo_window, "Sign Off Review")
    qtbot.waitUntil(lambda: bool(named), timeout=WAIT_MS)
    settle(qtbot, demo_window)
    qtbot.waitUntil(lambda: "signed off" in demo_window.workspace.subtitle.text(),
                    timeout=WAIT_MS)

    sign = button_on_screen(demo_window, "Sign Off Review")
    assert not sign.isEnabled()
    picture = sign.grab().toImage()
    middle = QColor(picture.pixel(6, picture.height() // 2))
    assert middle != QColor(ACCENT), "a button that cannot be clicked looks clickable"

    notices = next(w for w in demo_window.findChildren(QScrollArea)
                   if w.accessibleName() == "Notices")
    qtbot.wait(100)
    assert notices.verticalScrollBar().maximum() == 0, "the read-only notice is cut off"

    # Who signed off and when can be read whole in the history.
    history = next(w for w in demo_window.findChildren(QTableView)
                   if w.isVisible() and w.accessibleName() == "Sign-off history")
    for column in (1, 2):  # as wide as the cells need, so not cut short with '...'
        assert history.columnWidth(column) >= history.sizeHintForColumn(column), \
            history.model().index(0, column).data()
