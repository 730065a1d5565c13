"""Starting the desktop app: the window first, everything else when it is needed or idle.

Start-up loads only what the window and its first page need; the database layer loads on the
worker that opens the database. A database file closed by the app and unchanged since shows its
home page at once, from the figures kept when it was closed (``operations.home_figures``); the
worker starts opening it once that first frame is painted. Once the window is idle, ``warm_up``
loads the rest (the review workspace, the report editions and their fonts, the spreadsheet
readers) on a background thread and then builds the remaining pages, so the first click on a
stage or a report does not stall.
"""

from __future__ import annotations

import functools
import importlib
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from bvdesk.domain.vocabulary import Stage
from bvdesk.paths import resource
from bvdesk.ui import theme
from bvdesk.ui.mainwindow import MainWindow

log = logging.getLogger(__name__)

#: What ``warm_up`` loads in the background once the window is idle, in this order.
WARM_MODULES = ("bvdesk.ui.workspace", "bvdesk.ui.report_dialog", "bvdesk.operations.reports",
                "bvdesk.ui.import_wizard", "bvdesk.ui.settings_dialog",
                "bvdesk.operations.indicator_import", "openpyxl", "python_calamine")
#: Pages ``warm_up`` builds once their modules are loaded, one per turn of the event loop (the
#: workspace's stage pages too, each in a turn of its own: the Compete stage alone takes a fifth
#: of a second to build, which would otherwise be the first click's).
WARM_PAGES = ("workspace", "benchmarking")


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
    return app


def _register_report_fonts() -> None:
    from bvdesk.operations.reports import prepare_rendering

    prepare_rendering()


class _WarmUp(QObject):
    """Loads ``WARM_MODULES`` on a thread, then builds ``WARM_PAGES`` on the GUI thread.

    Signals:
        finished(): everything is loaded and built.
    """

    finished = Signal()
    _loaded = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._builds: list[Callable[[], object]] = [
            functools.partial(window.page, name) for name in WARM_PAGES]
        self._builds.append(self._queue_stages)
        self._loaded.connect(self._build_next)

    def _queue_stages(self) -> None:
        workspace = self._window.workspace
        self._builds.extend(functools.partial(workspace.page, stage) for stage in Stage)
        self._builds.append(workspace.evidence_page)

    def start(self) -> None:
        threading.Thread(target=self._load, name="bvdesk-warm-up", daemon=True).start()

    def _load(self) -> None:
        steps: list[Callable[[], object]] = [
            functools.partial(importlib.import_module, name) for name in WARM_MODULES]
        steps.append(_register_report_fonts)
        for step in steps:
            try:
                step()
            except Exception:  # noqa: BLE001 - a failure here shows again on first use
                log.warning("warm-up step failed", exc_info=True)
        self._loaded.emit()

    def _build_next(self) -> None:
        window = self._window
        if window.runner.busy:  # the user is waiting on something: build later
            QTimer.singleShot(200, self._build_next)
            return
        if self._builds:
            self._builds.pop(0)()
            QTimer.singleShot(0, self._build_next)
            return
        self.finished.emit()


def warm_up(window: MainWindow) -> QObject:
    """Load what start-up left out, once ``window`` has opened its database and gone idle.

    Returns the warm-up object; its ``finished`` signal tells when all is loaded and built.
    """
    warm = _WarmUp(window)

    def begin() -> None:
        if window.runner.busy:
            window.runner.idle.connect(begin, type=Qt.ConnectionType.SingleShotConnection)
            return
        warm.start()

    window.database_opened.connect(begin, type=Qt.ConnectionType.SingleShotConnection)
    return warm


def make_window(db_path: Path | str | None) -> MainWindow:
    """A styled main window, opening ``db_path`` when that file exists (or a team server's
    database, named by its ``postgresql://`` URL)."""
    application()
    window = MainWindow()
    if isinstance(db_path, str):
        window.open_database(db_path)
    elif db_path is not None:
        if db_path.exists() and db_path.stat().st_size > 0:
            window.open_database(db_path)
        else:
            window.welcome.show_message(
                f"There is no database at {db_path} yet. Create one for your landlord, open "
                "another file, or try the demo.")
    return window


def run(db_path: Path | str | None) -> int:
    """Show the main window and run until it is closed; returns the exit status."""
    app = application()
    window = make_window(db_path)
    warm_up(window)
    window.show()
    return app.exec()
