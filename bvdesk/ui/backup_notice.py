"""What the window says when the file it opened is a backup: whose, taken when, and how to go
back to it (the backup itself opens read-only and is never changed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from bvdesk.operations.opening import BackupOrigin

TITLE = "This Is a Backup"


def tell_backup_opened(parent: QWidget, backup: Path, origin: BackupOrigin,
                       restore: Callable[[Path], None]) -> QMessageBox:
    """Say that ``backup`` is a backup and how to restore it; ``restore(backup)`` is called
    when the person chooses to restore it into the database it was taken of (offered while
    that database's folder is there)."""
    source = origin.source
    reachable = source.parent.is_dir()
    box = QMessageBox(QMessageBox.Icon.Information, TITLE, origin.described(backup),
                      parent=parent)
    if reachable:
        how = (f"To go back to it, restore it into {source.name}; what that holds now is kept "
               "as another backup first.")
    else:
        how = (f"To go back to it, open the landlord's database and choose File > Restore "
               f"from a Backup, then this file ({source.name} was in {source.parent}, which "
               "this computer does not have).")
    box.setInformativeText("It is open read-only, so that it stays as it was taken: you can "
                           "look through it, print its documents and export from it, but "
                           "nothing you change is saved.\n\n" + how)
    if reachable:
        restore_button = box.addButton(f"Restore into {source.name}",
                                       QMessageBox.ButtonRole.AcceptRole)
        restore_button.clicked.connect(lambda: restore(backup))
    box.setDefaultButton(box.addButton("Just Look", QMessageBox.ButtonRole.RejectRole))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
