"""Searching the indicator catalogue finds an indicator by any name it goes by."""

from __future__ import annotations

from person import key, type_into
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS

from bvdesk.ui.mainwindow import MainWindow
from bvdesk.ui.reviews_page import NewReviewDialog


def test_the_new_review_search_finds_re_let_time_by_void(qtbot: QtBot,
                                                         demo_window: MainWindow) -> None:
    key(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in
                                demo_window.findChildren(NewReviewDialog)), timeout=WAIT_MS)
    dialog = next(d for d in demo_window.findChildren(NewReviewDialog) if d.isVisible())
    picker = dialog.picker
    type_into(qtbot, picker.search, "void")
    assert {"BV212", "VOIDLOSS", "CPP-RR"} <= set(picker.visible_codes())
    type_into(qtbot, picker.search, "relet")
    assert picker.visible_codes() == ["BV212"]
    index = next(n for n in range(picker.list.count())
                 if picker.list.item(n).data(Qt.ItemDataRole.UserRole) == "BV212")
    assert "Also known as: BV68, re-let time" in picker.list.item(index).toolTip()
    dialog.reject()
