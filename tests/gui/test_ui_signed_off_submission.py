"""Signed off in the window (the PDF is rendered on the database worker as it signs off), the
review's report is the submission kept at sign-off: Save PDF writes those bytes, whatever the
report code would print now."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from journey_steps import choose_file, go_to_stage, open_demo, open_review, sign_off_as
from person import click_button, settle, when_dialog
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS

from bvdesk.operations.reports import render_bytes
from bvdesk.store.db import Database
from bvdesk.ui.mainwindow import MainWindow


def _report_dialog() -> QDialog | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog)
                 and w.isVisible() and w.windowTitle().startswith("Report")), None)


def _save_enabled(dialog: QWidget) -> bool:
    return any(b.isVisible() and b.isEnabled() for b in dialog.findChildren(QWidget)
               if callable(getattr(b, "text", None)) and isinstance(b.text(), str)
               and b.text().replace("&", "").startswith("Save PDF"))


def test_the_report_of_a_signed_off_review_is_the_kept_submission(
        qtbot: QtBot, fresh: MainWindow, tmp_path: Path) -> None:
    open_demo(qtbot, fresh)
    open_review(qtbot, fresh, "Responsive repairs")
    go_to_stage(qtbot, fresh, "8. Sign-off")
    sign_off_as(qtbot, fresh, "Chair of the Board", "Interim sign-off")

    database = fresh.ctx.db.path
    review_id = fresh.workspace.store.review_id
    assert database is not None and review_id is not None
    # What this version printed when it was signed off, should the report code change after:
    # another document stands for it, put in place behind the app's back.
    with Database.open(database, write=False) as reader:
        earlier, pages = render_bytes(reader, review_id, "board")
    connection = sqlite3.connect(database)
    with connection:
        connection.execute("UPDATE signoff SET submission = ?, submission_pages = ? "
                           "WHERE review_id = ?", (earlier, pages, review_id))
    connection.close()

    click_button(qtbot, fresh, "Report")
    qtbot.waitUntil(lambda: _report_dialog() is not None, timeout=WAIT_MS)
    report = _report_dialog()
    assert report is not None
    qtbot.waitUntil(lambda: _save_enabled(report), timeout=60_000)
    saved = tmp_path / "submission.pdf"
    when_dialog(choose_file(saved))
    click_button(qtbot, report, "Save PDF")
    qtbot.waitUntil(saved.exists, timeout=60_000)
    settle(qtbot, fresh)
    assert saved.read_bytes() == earlier
    report.close()
    settle(qtbot, fresh)
