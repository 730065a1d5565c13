"""Backups as a person meets them: File > Back Up Now writes a bvdesk file; opening it (File >
Open) says plainly whose backup it is and when it was taken, keeps it read-only, and restores it
into the database it was taken of at one click; File > Restore still finds the backups earlier
versions named ``.sqlite``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from journey_steps import choose_file
from person import (
    WAIT_MS,
    click_button,
    menu,
    messages,
    press_button,
    settle,
    when_dialog,
)
from PySide6.QtWidgets import QApplication, QListView, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from bvdesk.operations import editing
from bvdesk.paths import backup_dir
from bvdesk.store.backup import list_backups, rotating_backup
from bvdesk.ui.app import make_window
from bvdesk.ui.mainwindow import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.sqlite_only]

CHANGED = "Changed after the backup"


def _title(window: MainWindow) -> str:
    return str(editing.get_row(window.ctx.db, "review", 1)["title"])


def _notice() -> QMessageBox:
    return next(b for b in QApplication.topLevelWidgets()
                if isinstance(b, QMessageBox) and b.isVisible())


def test_a_backup_opened_says_what_it_is_and_restores_at_one_click(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    window = demo_window
    database = window.ctx.db.path
    original = _title(window)
    menu(qtbot, window, "File", "Back Up Now")
    settle(qtbot, window)
    backup = Path(window.statusBar().currentMessage().removeprefix("Backed up to "))
    assert backup.suffix == ".bvdesk" and backup.parent == backup_dir(database)
    assert backup.name.startswith(f"{database.stem} backup ") and "manual" in backup.name
    editing.update_field(window.ctx.db, "review", 1, "title", CHANGED)

    # Opened as a database, as a double-click or File > Open would.
    with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS):
        when_dialog(choose_file(backup))
        menu(qtbot, window, "File", "Open Database")
    settle(qtbot, window)
    qtbot.waitUntil(lambda: bool(messages()), timeout=WAIT_MS)
    notice = _notice()
    assert notice.text().startswith(f"{backup.name} is a backup of Northvale Homes's database "
                                    f"{database.name}, taken on ")
    assert "read-only" in notice.informativeText()
    assert f"restore it into {database.name}" in notice.informativeText()
    assert window.windowTitle() == "Northvale Homes (backup, read-only) - bvdesk"
    assert _title(window) == original
    assert not window.action_backup.isEnabled()
    before = backup.read_bytes()

    with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS):
        click_button(qtbot, notice, f"Restore into {database.name}")
    settle(qtbot, window)
    assert window.ctx.db.path == database and window.ctx.db.backup_of is None
    assert window.windowTitle() == "Northvale Homes - bvdesk"
    assert _title(window) == original
    assert window.statusBar().currentMessage().startswith(f"Restored from {backup.name}")
    assert backup.read_bytes() == before, "the backup was changed"
    kept = [b for b in list_backups(database) if "before restore" in b.name]
    assert len(kept) == 1
    with sqlite3.connect(kept[0]) as connection:
        assert connection.execute("SELECT title FROM review WHERE id = 1").fetchone() == (CHANGED,)
    connection.close()


def test_a_backup_named_as_earlier_versions_named_them_is_found_and_restored(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    window = demo_window
    database = window.ctx.db.path
    original = _title(window)
    earlier = backup_dir(database) / f"{database.stem}-20261201-090000-daily.sqlite"
    earlier.parent.mkdir(exist_ok=True)
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as source, \
            sqlite3.connect(earlier) as target:
        source.backup(target)
    source.close()
    target.close()
    editing.update_field(window.ctx.db, "review", 1, "title", CHANGED)
    there = {b.name for b in list_backups(database)}
    assert earlier.name in there and any(name.endswith(".bvdesk") for name in there)

    listed: list[set[str]] = []

    def pick(dialog: QWidget) -> None:
        view = dialog.findChild(QListView, "listView")  # the folder's files (not its sidebar)
        model, root = view.model(), view.rootIndex()
        listed.append({model.index(row, 0, root).data() for row in range(model.rowCount(root))})
        when_dialog(press_button("Yes"), title="Restore from a Backup")
        choose_file(earlier)(dialog)

    with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS):
        when_dialog(pick, title="Restore from a Backup")
        menu(qtbot, window, "File", "Restore from a Backup")
    settle(qtbot, window)
    assert there <= listed[0]
    assert _title(window) == original
    assert window.statusBar().currentMessage().startswith(f"Restored from {earlier.name}")


def test_a_backup_double_clicked_opens_saying_so_and_is_only_looked_at(
        qtbot: QtBot, demo_db_path: Path) -> None:
    backup = rotating_backup(demo_db_path, reason="daily", force=True)
    before = backup.read_bytes()
    window = make_window(backup)  # what 'bvdesk --db FILE' (a double-click) opens
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(messages()), timeout=WAIT_MS)
    notice = _notice()
    assert notice.windowTitle() == "This Is a Backup"
    assert notice.text().startswith(f"{backup.name} is a backup of Northvale Homes's database "
                                    f"{demo_db_path.name}")
    click_button(qtbot, notice, "Just Look")
    settle(qtbot, window)
    assert not messages()
    assert window.windowTitle() == "Northvale Homes (backup, read-only) - bvdesk"
    assert "read-only" in window.status_db.text()
    assert window.ctx.db.path == backup
    window.close()
    assert backup.read_bytes() == before
