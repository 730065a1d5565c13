"""Found walking through the app as a new user on a small screen: the report preview fits the
screen when it opens, and stays on it after saving under a long file name."""

from __future__ import annotations

from pathlib import Path

import pytest
from journey_steps import choose_file, open_review
from person import WAIT_MS, click_button, settle, when_dialog
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow

pytestmark = pytest.mark.slow


def report_dialog() -> QDialog:
    return next(w for w in QApplication.topLevelWidgets()
                if isinstance(w, QDialog) and w.isVisible()
                and w.windowTitle().startswith("Report"))


def save_enabled(dialog: QWidget) -> bool:
    return any(b.isVisible() and b.isEnabled() for b in dialog.findChildren(QWidget)
               if callable(getattr(b, "text", None)) and isinstance(b.text(), str)
               and b.text().replace("&", "").startswith("Save PDF"))


def on_screen(dialog: QWidget) -> bool:
    return dialog.screen().availableGeometry().contains(dialog.frameGeometry())


def test_report_preview_fits_the_screen_before_and_after_saving(
        qtbot: QtBot, demo_window: MainWindow, tmp_path: Path) -> None:
    open_review(qtbot, demo_window, "Responsive repairs")
    click_button(qtbot, demo_window, "Report")
    qtbot.waitUntil(lambda: any(isinstance(w, QDialog) and w.isVisible()
                                and w.windowTitle().startswith("Report")
                                for w in QApplication.topLevelWidgets()), timeout=WAIT_MS)
    report = report_dialog()
    assert on_screen(report), (report.frameGeometry(), report.screen().availableGeometry())
    qtbot.waitUntil(lambda: save_enabled(report), timeout=60_000)

    saved = tmp_path / ("Northvale Homes - Responsive repairs: Best Value review 2009-10 - "
                        "regulator submission for the board meeting.pdf").replace(":", "")
    when_dialog(choose_file(saved))
    click_button(qtbot, report, "Save PDF")
    qtbot.waitUntil(saved.exists, timeout=60_000)
    settle(qtbot, demo_window)
    assert on_screen(report), (report.frameGeometry(), report.screen().availableGeometry())
    report.close()
