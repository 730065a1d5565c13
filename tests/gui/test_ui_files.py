"""The File and Edit menus: a new landlord, backup and restore, recent files, settings."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, open_window, wait_idle

from bvdesk.operations import editing, settings
from bvdesk.store.backup import list_backups
from bvdesk.ui.mainwindow import MainWindow
from bvdesk.ui.newdb import NewDatabaseDialog
from bvdesk.ui.settings_dialog import parse_schedule_lines, parse_vat_lines


def test_create_a_landlord_from_the_welcome_screen(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, None)
    assert window.stack.currentWidget() is window.welcome
    window.welcome.new_button.click()
    dialog = window.findChild(NewDatabaseDialog)
    dialog._accept()
    assert "landlord's name" in dialog.problem.text()
    dialog.name.setText("Riverside Homes")
    dialog.code.setText("L0123")
    dialog.path.setText(str(tmp_path / "riverside.sqlite"))
    with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS) as opened:
        dialog._accept()
    assert opened.args[0].name == "Riverside Homes"
    wait_idle(qtbot, window)
    assert window.windowTitle() == "Riverside Homes - bvdesk"
    assert window.stack.currentWidget() is window.home
    assert "No indicator values yet" in window.home.header.subtitle.text()
    assert window.prefs.recent_files()[0] == (tmp_path / "riverside.sqlite").resolve()
    window.close()


def test_an_existing_file_is_not_overwritten(qtbot: QtBot, tmp_db_path: Path) -> None:
    window = open_window(qtbot, None)
    window.new_database()
    dialog = window.findChild(NewDatabaseDialog)
    dialog.name.setText("Someone Else")
    dialog.path.setText(str(tmp_db_path))
    dialog._accept()
    assert "already exists" in dialog.problem.text()
    window.close()


def test_backup_now_then_restore(qtbot: QtBot, demo_window: MainWindow) -> None:
    db_path = demo_window.ctx.db.path
    demo_window.backup_now()
    wait_idle(qtbot, demo_window)
    backup = next(b for b in list_backups(db_path) if "manual" in b.name)
    review_id = demo_window.reviews.model.rows()[0].id
    editing.update_field(demo_window.ctx.db, "review", review_id, "title", "Changed after")
    with qtbot.waitSignal(demo_window.database_opened, timeout=WAIT_MS):
        demo_window.restore_from(backup)
    wait_idle(qtbot, demo_window)
    assert editing.get_row(demo_window.ctx.db, "review", review_id)["title"] != "Changed after"
    assert "Restored from" in demo_window.statusBar().currentMessage()


def test_settings_are_checked_and_saved(qtbot: QtBot, demo_window: MainWindow) -> None:
    dialog = demo_window.show_settings()
    wait_idle(qtbot, demo_window)
    assert "2011-01-04  20" in dialog.fields["vat_table"].toPlainText()
    dialog.fields["default_price_weight"].setText("lots")
    dialog.save()
    assert "is not a number" in dialog.problem.text()
    dialog.fields["default_price_weight"].setText("30")
    dialog.user.setText("Helen Ashworth")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save()
    assert settings.all_settings(demo_window.ctx.db)["default_price_weight"] == 30.0
    assert demo_window.prefs.user_name == "Helen Ashworth"
    assert demo_window.ctx.db.user == "Helen Ashworth"


def test_table_settings_read_as_plain_lines() -> None:
    assert parse_vat_lines("2008-12-01 15\n2010-01-01, 17.5\n") == [
        ["2008-12-01", 15.0], ["2010-01-01", 17.5]]
    assert parse_vat_lines("  ") is None
    assert parse_schedule_lines("2003-01-01: 1=3.5, 31=3") == [
        ["2003-01-01", [[1, 3.5], [31, 3.0]]]]


def test_open_the_demo_from_the_welcome_screen(qtbot: QtBot) -> None:
    window = open_window(qtbot, None)
    with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS) as opened:
        window.welcome.demo_button.click()
    assert opened.args[0].name == "Northvale Homes"
    assert window.ctx.db.path.name == "demo.bvdesk"
    wait_idle(qtbot, window)
    window.close()
