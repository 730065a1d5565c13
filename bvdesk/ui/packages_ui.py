"""File > Export Review Package and Import Review Package: a review exchanged with a colleague as
a ``.bvreview`` file (see ``operations.packages``).

Both run on the background runner with progress and Cancel; a cancel leaves no file and no
change. The result is said in a message: the review brought in, or what was taken from the
package and what was kept. When the review was changed on both sides, the person chooses to keep
their version or take the package's for every field changed on both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from bvdesk.errors import Cancelled
from bvdesk.ui.widgets import show_error, tell

if TYPE_CHECKING:
    from bvdesk.operations.packages import ExportResult, ImportResult
    from bvdesk.ui.mainwindow import MainWindow

SUFFIX = ".bvreview"
PACKAGE_FILTER = f"bvdesk review packages (*{SUFFIX});;All files (*)"
#: Fields listed by name in a message before "and N more".
SHOWN_FIELDS = 8


def package_actions(window: MainWindow, menu: QMenu) -> list[QAction]:
    """Add Export and Import Review Package to ``menu``; they are enabled while a database is
    open."""
    exchange = PackageExchange(window)
    actions = []
    for text, slot in (("E&xport Review Package...", exchange.export_package),
                       ("Import Review &Package...", exchange.import_package)):
        action = QAction(text, window)
        action.triggered.connect(lambda _checked=False, slot=slot: slot())
        action.setEnabled(False)
        menu.addAction(action)
        actions.append(action)

    def follow() -> None:
        for action in actions:
            action.setEnabled(window.ctx.db is not None)

    window.ctx.database_changed.connect(follow)
    return actions


class PackageExchange(QObject):
    """Exports the review in front of the person, and imports a package into the open
    database."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._ctx = window.ctx

    # --- export ------------------------------------------------------------------------------

    def export_package(self) -> None:
        review_id = self._current_review()
        if review_id is None:
            self._window.show_page("reviews")
            tell(self._window, "Export Review Package",
                 "Choose the review to export in the list of reviews (or open it), then choose "
                 "File > Export Review Package again.")
            return
        self._ctx.run_db(_suggested_name, review_id,
                         on_done=lambda name: self._ask_path(review_id, name),
                         on_error=lambda e: show_error(self._window, e))

    def _current_review(self) -> int | None:
        """The review open in the workspace if it is in front, else the one chosen in the list
        of reviews if that is in front."""
        window = self._window
        shown = window.stack.currentWidget()
        if window.page_built("workspace") and shown is window.workspace:
            return window.workspace.store.review_id
        if window.page_built("reviews") and shown is window.reviews:
            return window.reviews.current_review_id()
        return None

    def _ask_path(self, review_id: int, name: str) -> None:
        dialog = _file_dialog(self._window, "Export Review Package", name)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(SUFFIX.lstrip("."))
        dialog.selectFile(name)
        dialog.fileSelected.connect(lambda path: self.export_to(review_id, Path(path)))
        dialog.open()

    def export_to(self, review_id: int, path: Path) -> None:
        """Write review ``review_id`` to ``path`` in the background."""
        self._ctx.run_db(_export, review_id, path, with_state=True, on_done=self._exported,
                         on_error=self._failed, label="Exporting the review package",
                         progress=True, cancellable=True)

    def _exported(self, result: ExportResult) -> None:
        files = _count(result.evidence_files, "evidence file", "evidence files")
        self._window.statusBar().showMessage(f"Exported to {result.file.name}", 10000)
        tell(self._window, "Review Package Exported",
             f"The review is in {result.file.name}, with {files}. Send the file to your "
             "colleague: they bring it in with File > Import Review Package, and can send "
             "their changes back the same way.", details=str(result.file))

    # --- import ------------------------------------------------------------------------------

    def import_package(self) -> None:
        dialog = _file_dialog(self._window, "Import Review Package", "")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self.import_from(Path(path)))
        dialog.open()

    def import_from(self, path: Path, keep: str | None = None) -> None:
        """Bring the package at ``path`` in, in the background; ``keep`` ("mine" or "theirs")
        settles every field changed on both sides."""
        self._ctx.run_db(_import, path, keep, with_state=True,
                         on_done=lambda result: self._imported(path, result),
                         on_error=self._failed, label="Importing the review package",
                         progress=True, cancellable=True)

    def _imported(self, path: Path, result: ImportResult) -> None:
        title = f"'{result.title}'"
        if not result.applied:
            self._ask_keep(path, result)
            return
        self._window.statusBar().showMessage(f"Imported {path.name}", 10000)
        if result.created:
            tell(self._window, "Review Package Imported",
                 f"{title} was brought in as a new review. It is in the list of reviews.")
            return
        taken = _fields(result.taken)
        kept = _fields([c.path for c in result.conflicts if c.path not in result.taken])
        if not taken:
            text = f"{title} already has everything in the package; nothing was changed."
        else:
            text = f"{title} was updated from the package: {taken} taken from it."
        if kept:
            text += f" Your version was kept of {kept}, changed on both sides."
        tell(self._window, "Review Package Imported", text)

    def _ask_keep(self, path: Path, result: ImportResult) -> None:
        """The review was changed here and in the package: keep mine, take theirs, or stop."""
        paths = [c.path for c in result.conflicts]
        box = QMessageBox(QMessageBox.Icon.Question, "Changed on Both Sides",
                          f"'{result.title}' in the package and your copy of it were both "
                          f"changed since they were last exchanged: {_fields(paths)} "
                          f"{'differs' if len(paths) == 1 else 'differ'}. Nothing has been "
                          "imported yet.\n\nKeep your version of these, or take the package's? "
                          "Every other change in the package is taken either way.",
                          parent=self._window)
        box.setDetailedText("\n".join(
            f"{c.path}\n  yours:    {_shown(c.to_json()['mine'])}\n"
            f"  package's: {_shown(c.to_json()['theirs'])}" for c in result.conflicts))
        mine = box.addButton("Keep Mine", QMessageBox.ButtonRole.AcceptRole)
        theirs = box.addButton("Take Theirs", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            clicked = box.clickedButton()
            if clicked is mine or clicked is theirs:
                self.import_from(path, "mine" if clicked is mine else "theirs")
            else:
                self._window.statusBar().showMessage(
                    f"Nothing was imported from {path.name}.", 10000)

        box.finished.connect(lambda _code: answered())
        box.open()

    # --- both -------------------------------------------------------------------------------

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self._window.statusBar().showMessage(exc.message, 15000)
            return
        show_error(self._window, exc)



def _file_dialog(parent: QWidget, title: str, name: str) -> QFileDialog:
    dialog = QFileDialog(parent, title, str(Path.home() / name), PACKAGE_FILTER)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return dialog


def _suggested_name(db: Any, review_id: int) -> str:
    """'Northvale Homes - Responsive repairs review 2009-10 - review package.bvreview'."""
    from bvdesk.operations.file_names import DOCUMENTS, review_file_name

    workbook = Path(review_file_name(db, review_id, "workbook")).stem
    return workbook.removesuffix(DOCUMENTS["workbook"]) + "review package" + SUFFIX


def _export(db: Any, review_id: int, path: Path, *, progress: Callable[[float], None],
            cancelled: Callable[[], bool]) -> ExportResult:
    from bvdesk.operations.packages import export_review

    return export_review(db, review_id, path, progress=progress, cancelled=cancelled)


def _import(db: Any, path: Path, keep: str | None, *, progress: Callable[[float], None],
            cancelled: Callable[[], bool]) -> ImportResult:
    from bvdesk.operations.packages import import_review

    return import_review(db, path, keep=keep, progress=progress, cancelled=cancelled)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}" if n else f"no {many}"


def _fields(paths: Iterable[str]) -> str:
    """'title, scope and 2 more fields' (paths as the package names them)."""
    names = list(paths)
    if len(names) > SHOWN_FIELDS:
        names = [*names[:SHOWN_FIELDS], f"{len(names) - SHOWN_FIELDS} more fields"]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _shown(value: str | None) -> str:
    return "(not there)" if value is None else value
