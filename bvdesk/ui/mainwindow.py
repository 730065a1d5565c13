"""The main window: sidebar, pages, menus, and opening and closing databases."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bvdesk import __version__
from bvdesk.errors import BvdeskError
from bvdesk.operations import home_figures
from bvdesk.paths import DATABASE_SUFFIX, backup_dir, data_dir
from bvdesk.ui.context import AppContext
from bvdesk.ui.heap import settle_heap
from bvdesk.ui.packages_ui import package_actions
from bvdesk.ui.prefs import Preferences, WindowState
from bvdesk.ui.screen_fit import fit_to_screen
from bvdesk.ui.tab_out import install_tab_out
from bvdesk.ui.tasks import TaskRunner
from bvdesk.ui.welcome_page import WelcomePage
from bvdesk.ui.wheel_guard import install_wheel_guard
from bvdesk.ui.widgets import label, show_error

if TYPE_CHECKING:
    # The window shows before any of these load: the database layer loads on the worker that
    # opens the database, each page when it is first needed, and the rest once the app is idle.
    from types import ModuleType

    from bvdesk.operations.home_figures import Dashboard
    from bvdesk.operations.landlord import Landlord
    from bvdesk.operations.opening import Database, OpenedDatabase
    from bvdesk.operations.restore import RestoreResult
    from bvdesk.ui.benchmarking_page import BenchmarkingPage
    from bvdesk.ui.dashboard_page import DashboardPage
    from bvdesk.ui.import_wizard import ImportWizard
    from bvdesk.ui.report_dialog import ReportDialog
    from bvdesk.ui.reviews_page import ReviewsPage
    from bvdesk.ui.settings_dialog import SettingsDialog
    from bvdesk.ui.workspace import ReviewWorkspace

_WORKSPACE = "bvdesk.ui.workspace"
DB_FILTER = f"bvdesk databases (*{DATABASE_SUFFIX} *.sqlite);;All files (*)"


def _opening() -> ModuleType:
    """The database life-cycle operations; first called on the worker that opens a database,
    which loads the database layer and what the first pages read off the GUI thread."""
    from bvdesk.operations import dashboard, opening, reviews  # noqa: F401 - the home page's

    return opening


class _AfterFirstPaint(QObject):
    """Calls ``action`` once, when ``widget`` has been painted (or after ``wait_ms`` if it is not
    painted by then: a window never shown still gets on)."""

    def __init__(self, widget: QWidget, action: Callable[[], None], wait_ms: int = 500) -> None:
        super().__init__(widget)
        self._action: Callable[[], None] | None = action
        widget.installEventFilter(self)
        QTimer.singleShot(wait_ms, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._action is not None:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._fire)  # once this paint is on the screen
        return False

    def _fire(self) -> None:
        action, self._action = self._action, None
        if action is not None:
            action()


class MainWindow(QMainWindow):
    """The bvdesk window.

    Signals:
        database_opened(object): a ``Landlord`` after a database opened, or None if it failed.
    """

    database_opened = Signal(object)

    def __init__(self, prefs: Preferences | None = None) -> None:
        super().__init__()
        self.prefs = prefs or Preferences()
        self.runner = TaskRunner(self)
        self.runner.error.connect(lambda exc: show_error(self, exc))
        self.ctx = AppContext(self.runner, self.prefs, self)
        self.landlord: Landlord | None = None
        self._pages: dict[str, QWidget] = {}
        self._builders: dict[str, Callable[[], QWidget]] = {}
        self._setup_ui()
        self._setup_menus()
        self._restore_geometry()
        self._painted = False
        self._waiting_for_paint: list[Callable[[], None]] = []
        _AfterFirstPaint(self, self._first_paint_done)
        self._show_welcome()

    # --- set-up -------------------------------------------------------------------------

    def _first_paint_done(self) -> None:
        """What can wait until the first frame is on the screen: the app-wide keyboard and wheel
        guards (every event passes through them: building the first page took twice as long),
        freezing what start-up loaded, and a database open waiting for the kept home page."""
        app = QApplication.instance()
        install_wheel_guard(app)  # type: ignore[arg-type]
        install_tab_out(app)  # type: ignore[arg-type]
        settle_heap()
        self._painted = True
        waiting, self._waiting_for_paint = self._waiting_for_paint, []
        for action in waiting:
            action()

    def _when_painted(self, action: Callable[[], None]) -> None:
        if self._painted:
            action()
        else:
            self._waiting_for_paint.append(action)

    def _setup_ui(self) -> None:
        self.setWindowTitle("bvdesk")
        self.setMinimumSize(960, 620)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        side = QWidget()
        side.setObjectName("sidebarPanel")
        side.setFixedWidth(230)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        side_layout.addWidget(label("bvdesk", name="brand"))
        self.org_label = label("Best Value reviews", name="brandSub", wrap=True)
        side_layout.addWidget(self.org_label)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Sections")
        self.sidebar.currentRowChanged.connect(self._on_section)
        side_layout.addWidget(self.sidebar, 1)
        layout.addWidget(side)

        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.welcome = WelcomePage()
        self.welcome.new_button.clicked.connect(self.new_database)
        self.welcome.open_button.clicked.connect(self.open_database_dialog)
        self.welcome.demo_button.clicked.connect(self.open_demo)
        self.stack.addWidget(self.welcome)

        self.add_page("home", "Home", self._build_home)
        self.add_page("reviews", "Reviews", self._build_reviews)
        self.add_page("benchmarking", "Benchmarking", self._build_benchmarking)
        self.add_page("workspace", "Review Workspace", self._build_workspace)

        self.status_db = QLabel("")
        self.status_db.setAccessibleName("Open database")
        self.statusBar().addPermanentWidget(self.status_db)

    def _build_home(self) -> DashboardPage:
        from bvdesk.ui.dashboard_page import DashboardPage

        home = DashboardPage(self.ctx)
        home.open_review.connect(self.open_review)
        home.import_requested.connect(self.import_indicators)
        home.start_review.connect(self._start_review)
        return home

    def _build_reviews(self) -> ReviewsPage:
        from bvdesk.ui.reviews_page import ReviewsPage

        reviews = ReviewsPage(self.ctx)
        reviews.open_review.connect(self.open_review)
        return reviews

    def _build_benchmarking(self) -> BenchmarkingPage:
        from bvdesk.ui.benchmarking_page import BenchmarkingPage

        return BenchmarkingPage(self.ctx)

    def _build_workspace(self) -> ReviewWorkspace:
        from bvdesk.ui.workspace import ReviewWorkspace

        workspace = ReviewWorkspace(self.ctx)
        workspace.back.connect(lambda: self.show_page("reviews"))
        workspace.report_requested.connect(self.show_report)
        return workspace

    def add_page(self, key: str, title: str, page: QWidget | Callable[[], QWidget]) -> None:
        """Add a section to the sidebar, in order; a page given as a function that builds it is
        built the first time it is needed, so start-up loads only what the first page needs."""
        if isinstance(page, QWidget):
            self._pages[key] = page
            self.stack.addWidget(page)
        else:
            self._builders[key] = page
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
        self.sidebar.addItem(item)

    def show_page(self, key: str) -> None:
        for row in range(self.sidebar.count()):
            if self.sidebar.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.sidebar.setCurrentRow(row)
                return

    def page(self, key: str) -> QWidget:
        """The page of section ``key``, built now if it has not been yet."""
        if key not in self._pages:
            page = self._builders.pop(key)()
            self._pages[key] = page
            self.stack.addWidget(page)
        return self._pages[key]

    def page_built(self, key: str) -> bool:
        return key in self._pages

    @property
    def home(self) -> DashboardPage:
        return self.page("home")  # type: ignore[return-value]

    @property
    def reviews(self) -> ReviewsPage:
        return self.page("reviews")  # type: ignore[return-value]

    @property
    def benchmarking(self) -> BenchmarkingPage:
        return self.page("benchmarking")  # type: ignore[return-value]

    @property
    def workspace(self) -> ReviewWorkspace:
        return self.page("workspace")  # type: ignore[return-value]

    def _start_review(self, service: str, title: str, codes: list[str]) -> None:
        if self.ctx.db is not None:  # not while the home page shows the kept figures
            self.reviews.new_review(service, title, codes)

    def open_review(self, review_id: int) -> None:
        """Show the workspace of review ``review_id``.

        Clicked before the idle warm-up has loaded the workspace, its modules load on a worker
        (a second's import would freeze the window) and the review opens when they are in.
        Clicked on the kept home page before the database is open, nothing happens yet.
        """
        if self.ctx.db is None:
            return
        if not self.page_built("workspace") and _WORKSPACE not in sys.modules:
            self.statusBar().showMessage("Opening the review...", 5000)
            self.runner.run(lambda _state: importlib.import_module(_WORKSPACE),
                            on_done=lambda _module: self.open_review(review_id),
                            label="Opening the review", pool="cpu")
            return
        self.workspace.open_review(review_id)
        self.show_page("workspace")

    def show_report(self, review_id: int) -> ReportDialog:
        """Open the report preview of review ``review_id``."""
        title = ""
        if self.workspace.store.review is not None and self.workspace.store.review_id == \
                review_id:
            title = self.workspace.store.review["title"]
        from bvdesk.ui.report_dialog import ReportDialog

        dialog = ReportDialog(self.ctx, review_id, title or f"review {review_id}", self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        dialog.render_edition()
        return dialog

    def _on_section(self, row: int) -> None:
        if row < 0 or self.ctx.db is None:
            return
        key = self.sidebar.item(row).data(Qt.ItemDataRole.UserRole)
        if key == "workspace" and (not self.page_built("workspace")
                                   or self.workspace.store.review_id is None):
            self.statusBar().showMessage("Choose a review to open first.", 5000)
            self.stack.setCurrentWidget(self.reviews)
            # After the click has selected the row it landed on, so the highlight moves too.
            QTimer.singleShot(0, lambda: self.show_page("reviews"))
            return
        self.stack.setCurrentWidget(self.page(key))

    def _setup_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.action_new = self._action(file_menu, "&New Landlord Database...",
                                       self.new_database, QKeySequence.StandardKey.New)
        self.action_open = self._action(file_menu, "&Open Database...",
                                        self.open_database_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(file_menu, "Open the &Demo Database", self.open_demo)
        self._action(file_menu, "Connect to a &Team Server...", self.connect_server)
        file_menu.addSeparator()
        self.action_import = self._action(file_menu, "&Import Indicator Values...",
                                          self.import_indicators, QKeySequence("Ctrl+I"))
        self.package_actions = package_actions(self, file_menu)
        file_menu.addSeparator()
        self.action_backup = self._action(file_menu, "&Back Up Now", self.backup_now,
                                          QKeySequence("Ctrl+B"))
        self.action_restore = self._action(file_menu, "Restore from a Bac&kup...",
                                           self.restore_dialog)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit_menu = bar.addMenu("&Edit")
        undo = self.ctx.undo.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.ctx.undo.createRedoAction(self, "&Redo")
        # Ctrl+Y redoes everywhere, as on Windows; most platforms' Redo keys have it already,
        # and a key given twice does nothing at all (Qt: "Ambiguous shortcut overload").
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        ctrl_y = QKeySequence("Ctrl+Y")
        redo.setShortcuts(redo_keys if ctrl_y in redo_keys else [*redo_keys, ctrl_y])
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        self.action_undo, self.action_redo = undo, redo
        edit_menu.addSeparator()
        self.action_settings = self._action(edit_menu, "&Settings...", self.show_settings,
                                            QKeySequence("Ctrl+,"))

        self.review_menu = bar.addMenu("&Review")
        self._action(self.review_menu, "&New Review...", lambda: self.reviews.new_review(),
                     QKeySequence("Ctrl+Shift+N"))
        # The open review's report, found where a person looks for printing (Ctrl+P).
        self.action_report = self._action(self.review_menu, "&Report...",
                                          self._report_of_open_review,
                                          QKeySequence.StandardKey.Print)

        help_menu = bar.addMenu("&Help")
        self.action_guide = self._action(help_menu, "&User Guide", self.show_guide,
                                         QKeySequence.StandardKey.HelpContents)
        self._action(help_menu, "&About bvdesk", self._about)
        self._db_actions = [self.action_backup, self.action_import, self.action_restore,
                            self.action_settings, self.action_report]

    def _report_of_open_review(self) -> None:
        review_id = self.workspace.store.review_id if self.page_built("workspace") else None
        if review_id is None:
            self.statusBar().showMessage("Open a review first: Review > Report previews the "
                                         "review that is open.", 5000)
            self.show_page("reviews")
            return
        self.show_report(review_id)

    def _action(self, menu: QMenu, text: str, slot: Any,
                shortcut: QKeySequence | QKeySequence.StandardKey | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    # --- databases ---------------------------------------------------------------------

    def open_database(self, path: Path | str) -> None:
        """Open ``path`` for writing (closing the current database first); a team server's
        database is named by its ``postgresql://`` URL."""
        server = isinstance(path, str) and path.lower().startswith(("postgresql://",
                                                                     "postgres://"))
        path = path if server else Path(path)
        shown = "the team server's database" if server else Path(path).name
        user = self.prefs.chosen_user_name
        old = self._detach_db()

        def work(_state: Any) -> OpenedDatabase:
            opened: OpenedDatabase = _opening().open_database(path, user=user, replacing=old)
            return opened

        def start() -> None:
            self.runner.run(work, on_done=self._opened, on_error=self._open_failed,
                            label=f"Opening {shown}")

        kept = None if server else home_figures.recall(Path(path))
        if kept is None:
            start()
            return
        self._show_kept_figures(kept, shown)
        # Loading the database layer would hold up the first paint: it waits for it.
        self._when_painted(start)

    def _show_kept_figures(self, figures: Dashboard, name: str) -> None:
        """The home page as its database was last closed (the file unchanged since), shown while
        the database opens; the figures read from it replace these once it is open."""
        self.setWindowTitle(f"{figures.landlord} - bvdesk")
        self.org_label.setText(figures.landlord)
        self.home.show_figures(figures)
        self.stack.setCurrentWidget(self.home)
        self.show_page("home")
        self.statusBar().showMessage(f"Opening {name}...")

    def _detach_db(self) -> Database | None:
        """Forget the current database on the GUI thread; the worker closes it in turn.

        Whatever is being typed is saved first: the focused editor is asked to let go.
        """
        focused = QApplication.focusWidget()
        if focused is not None:
            focused.clearFocus()
        db, self.ctx.db = self.ctx.db, None
        if db is not None:
            self.ctx.database_changed.emit()
        self._show_welcome()
        return db

    def _opened(self, result: OpenedDatabase) -> None:
        db, owner = result.db, result.landlord
        self.statusBar().clearMessage()
        self.ctx.db = db
        self.landlord = owner
        self.ctx.undo.clear()
        if db.path is not None:
            self.prefs.add_recent(db.path)
        elif db.url is not None:
            self.prefs.add_recent_server(db.url)
        read_only = " (backup, read-only)" if db.backup_of else (
            " (read-only)" if db.read_only else "")
        self.setWindowTitle(f"{owner.name}{read_only} - bvdesk")
        self.org_label.setText(owner.name)
        self.status_db.setText(f"{db.location}  ·  {db.user}" + (
            "  ·  read-only: changes cannot be saved" if db.read_only else ""))
        self.sidebar.setEnabled(True)
        for action in self._db_actions:
            action.setEnabled(True)
        self.action_backup.setEnabled(db.backup_of is None)  # a backup of a backup: no
        self.page("home")  # built now, so that they load the database they are told of
        self.page("reviews")
        self.ctx.database_changed.emit()
        self.show_page("home")
        self.stack.setCurrentWidget(self._pages["home"])
        self.database_opened.emit(owner)
        if db.backup_of is not None and db.path is not None:
            from bvdesk.ui.backup_notice import tell_backup_opened

            tell_backup_opened(self, db.path, db.backup_of, self.restore_from)

    def _open_failed(self, exc: BaseException) -> None:
        self.statusBar().clearMessage()
        self._show_welcome()
        message = exc.message if isinstance(exc, BvdeskError) else str(exc)
        self.welcome.show_message(message)
        self.database_opened.emit(None)

    def _show_welcome(self) -> None:
        self.stack.setCurrentWidget(self.welcome)
        self.sidebar.setEnabled(self.ctx.db is not None)
        for action in getattr(self, "_db_actions", []):
            action.setEnabled(self.ctx.db is not None)

    def open_database_dialog(self) -> None:
        db = self.ctx.db
        start = str(db.path.parent) if db is not None and db.path is not None else str(data_dir())
        path, _filter = QFileDialog.getOpenFileName(self, "Open Database", start, DB_FILTER)
        if path:
            self.open_database(path)

    def connect_server(self) -> None:
        """File > Connect to a Team Server: the landlord's database on a PostgreSQL server."""
        from bvdesk.ui.server_dialog import ask_server

        url = ask_server(self)
        if url:
            self.open_database(url)

    def open_demo(self) -> None:
        target = data_dir() / f"demo{DATABASE_SUFFIX}"
        old = self._detach_db()
        user = self.prefs.chosen_user_name

        def work(_state: Any) -> OpenedDatabase:
            opened: OpenedDatabase = _opening().open_demo(target, user=user, replacing=old)
            return opened

        self.runner.run(work, on_done=self._opened, on_error=self._open_failed,
                        label="Preparing the demo database")

    def new_database(self) -> None:
        from bvdesk.ui.newdb import NewDatabaseDialog

        dialog = NewDatabaseDialog(self)
        dialog.create_requested.connect(lambda values: self._create_database(dialog, values))
        dialog.open()

    def _create_database(self, dialog: Any,
                         values: tuple[Path, str, str | None, int | None, str | None]) -> None:
        path, name, code, homes, region = values
        user = self.prefs.chosen_user_name

        def work(_state: Any) -> OpenedDatabase:
            opened: OpenedDatabase = _opening().create_database(path, name, code, user=user,
                                                                homes=homes, region=region)
            return opened

        def done(result: OpenedDatabase) -> None:
            dialog.accept()
            old = self._detach_db()
            if old is not None:
                self.runner.run(lambda _s: _opening().close_database(old), progress=False)
            self._opened(result)

        self.runner.run(work, on_done=done, on_error=dialog.show_problem,
                        label=f"Creating {path.name}")

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in self.prefs.recent_files() if p.exists()]
        servers = self.prefs.recent_servers()
        if not recent and not servers:
            empty = self.recent_menu.addAction("No recent databases")
            empty.setEnabled(False)
            return
        for number, path in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{number} {path.name}  ({path.parent})")
            action.triggered.connect(lambda _c=False, p=path: self.open_database(p))
        for number, url in enumerate(servers, start=len(recent) + 1):
            # Opened as remembered: libpq finds the password in the pgpass file.
            action = self.recent_menu.addAction(f"&{number} {url}")
            action.triggered.connect(lambda _c=False, u=url: self.open_database(u))

    def import_indicators(self) -> ImportWizard | None:
        """Open the import wizard."""
        if self.ctx.db is None:
            return None
        from bvdesk.ui.import_wizard import ImportWizard

        wizard = ImportWizard(self.ctx, self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.open()
        return wizard

    def backup_now(self) -> None:
        if self.ctx.db is None:
            return

        self.ctx.run_db(_opening().backup_now, on_done=lambda p: self.statusBar().showMessage(
            f"Backed up to {p}", 10000), label="Backing up", progress=True)

    def restore_dialog(self) -> None:
        if self.ctx.db is None:
            return
        if self.ctx.db.path is None:
            QMessageBox.information(
                self, "Restore from a Backup", "A team server's database is restored on the "
                "server, from its own backups: ask your IT team (see docs/team-server.md).")
            return
        # With a backup open, what is restored is the database it was taken of.
        origin = self.ctx.db.backup_of
        database = origin.source if origin is not None else self.ctx.db.path
        start = str(backup_dir(database))
        path, _f = QFileDialog.getOpenFileName(self, "Restore from a Backup", start, DB_FILTER)
        if not path:
            return
        replaced = database.name if origin is not None else "the open database"
        answer = QMessageBox.question(
            self, "Restore from a Backup",
            f"Replace {replaced} with {Path(path).name}? A copy of the database as it "
            "is now is kept in the backups folder first.")
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_from(Path(path))

    def restore_from(self, backup: Path) -> None:
        """Replace the open database with ``backup`` (keeping a copy), then reopen it."""
        old = self._detach_db()
        if old is None:
            return
        user = self.prefs.chosen_user_name

        def work(state: Any) -> tuple[OpenedDatabase, RestoreResult | BvdeskError]:
            result: tuple[OpenedDatabase, RestoreResult | BvdeskError] = _opening().restore_backup(
                old, backup, user=user, progress=state.progress, cancelled=state.cancelled)
            return result

        def done(result: tuple[OpenedDatabase, RestoreResult | BvdeskError]) -> None:
            opened, outcome = result
            self._opened(opened)
            if isinstance(outcome, BvdeskError):
                show_error(self, outcome)
                return
            kept = outcome.previous.name if outcome.previous else "nothing"
            self.statusBar().showMessage(f"Restored from {outcome.restored_from.name}; the "
                                         f"previous file was kept as {kept}.", 15000)

        self.runner.run(work, on_done=done, on_error=self._open_failed,
                        label="Restoring the backup", cancellable=True)

    def show_settings(self) -> SettingsDialog | None:
        if self.ctx.db is None:
            return None
        from bvdesk.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if "workspace" in self._pages:  # the open review, shown again under what was saved
            dialog.saved.connect(self.workspace.store.reload)  # (cost per home, VAT, rates)
        dialog.open()
        return dialog

    def show_guide(self) -> QWidget:
        """The user guide, open at the stage or page in front of the user (F1)."""
        from bvdesk.ui.help import show_help

        return show_help(self)

    def _about(self) -> None:
        QMessageBox.about(self, "About bvdesk",
                          f"<b>bvdesk {__version__}</b><p>Best Value self-assessment for "
                          "registered social landlords: reviews, benchmarking, options appraisal "
                          "and regulator submissions.</p>")

    # --- state ------------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        state = WindowState().load("main/geometry")
        self._first_size: QSize | None = None
        if state is not None:
            self.restoreGeometry(state)
        else:
            # The first time, as large as suits the work but never larger than the screen.
            screen = self.screen().availableGeometry()
            self.resize(min(1280, screen.width()), min(800, screen.height()))
            self._first_size = self.size()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The title bar and borders are known now: the first window fits the screen with
        # them (unless a size was asked for meanwhile, as the GUI tests do).
        if self._first_size is not None and self._first_size == self.size():
            fit_to_screen(self)
        self._first_size = None

    def closeEvent(self, event: QCloseEvent) -> None:
        WindowState().save("main/geometry", self.saveGeometry())
        self.prefs.sync()
        old = self._detach_db()
        if old is not None:
            self.runner.run(lambda _s: _opening().close_database(old), progress=False)
        self.runner.shutdown()
        super().closeEvent(event)
