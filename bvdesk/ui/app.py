"""Starting the desktop app."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from bvdesk.paths import resource
from bvdesk.ui import theme
from bvdesk.ui.mainwindow import MainWindow

_settled = False


def settle_heap() -> None:
    """Move everything loaded so far out of the garbage collector's sight.

    A full collection scans every object; with Qt, SQLAlchemy, reportlab and openpyxl loaded
    that took about 200 ms, and when a worker thread triggered it the GUI froze for as long.
    Frozen objects (modules, classes, functions: what start-up creates) are never scanned again,
    so collections only look at what the app makes while it runs.
    """
    gc.collect()
    gc.freeze()


def application() -> QApplication:
    """The one QApplication, created on first use and styled."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        QCoreApplication.setOrganizationName("bvdesk")
        QCoreApplication.setApplicationName("bvdesk")
        app = QApplication(sys.argv[:1])
    theme.apply(app)
    icon = resource("icons", "bvdesk.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    global _settled
    if not _settled:
        settle_heap()
        _settled = True
    return app


def make_window(db_path: Path | None) -> MainWindow:
    """A styled main window, opening ``db_path`` when that file exists."""
    application()
    window = MainWindow()
    if db_path is not None:
        if db_path.exists() and db_path.stat().st_size > 0:
            window.open_database(db_path)
        else:
            window.welcome.show_message(
                f"There is no database at {db_path} yet. Create one for your landlord, open "
                "another file, or try the demo.")
    return window


def run(db_path: Path | None) -> int:
    """Show the main window and run until it is closed; returns the exit status."""
    app = application()
    window = make_window(db_path)
    window.show()
    return app.exec()
