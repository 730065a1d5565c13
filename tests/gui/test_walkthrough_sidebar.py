"""Found walking through the app as a new user: the sidebar's highlight agrees with the page
shown, whichever way a person got there."""

from __future__ import annotations

from person import click_list_item, settle, shown
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow


def highlighted(window: MainWindow) -> list[str]:
    return [item.text() for item in window.sidebar.selectedItems()]


def test_review_workspace_with_no_review_open_highlights_reviews_which_it_shows(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    click_list_item(qtbot, demo_window.sidebar, "Review Workspace")
    settle(qtbot, demo_window)

    assert shown(demo_window.reviews)
    assert highlighted(demo_window) == ["Reviews"]
    assert demo_window.sidebar.currentItem().text() == "Reviews"
    assert "Choose a review to open first." in demo_window.statusBar().currentMessage()
