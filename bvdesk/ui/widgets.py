"""Small building blocks shared by every screen: page headers, cards, messages."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bvdesk.errors import BvdeskError


def label(text: str = "", *, name: str = "", wrap: bool = False,
          selectable: bool = False) -> QLabel:
    widget = QLabel(text)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                       | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return widget


def button(text: str, accessible: str = "", *, primary: bool = False,
           tip: str = "") -> QPushButton:
    widget = QPushButton(text)
    widget.setAccessibleName(accessible or text.replace("&", "").rstrip("."))
    if primary:
        widget.setObjectName("primary")
    if tip:
        widget.setToolTip(tip)
    return widget


def search_box(name: str, placeholder: str) -> QLineEdit:
    """A box to type a filter into, with a button that clears it."""
    box = QLineEdit()
    box.setAccessibleName(name)
    box.setPlaceholderText(placeholder)
    box.setClearButtonEnabled(True)
    for clear in box.findChildren(QToolButton):
        clear.setAccessibleName(f"Clear {name[0].lower()}{name[1:]}")
    return box


class PageHeader(QWidget):
    """A page's title and one-line explanation, with room for buttons on the right."""

    def __init__(self, title: str, subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        texts = QVBoxLayout()
        self.title = label(title, name="pageTitle")
        self.title.setAccessibleName("Page title")
        self.subtitle = label(subtitle, name="pageSubtitle", wrap=True)
        texts.addWidget(self.title)
        texts.addWidget(self.subtitle)
        layout.addLayout(texts, 1)
        self.buttons = QHBoxLayout()
        layout.addLayout(self.buttons)

    def set_text(self, title: str, subtitle: str = "") -> None:
        self.title.setText(title)
        self.subtitle.setText(subtitle)


class Card(QFrame):
    """A white panel with a bold title."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(14, 12, 14, 12)
        self.body.setSpacing(8)
        self.title_label = label(title, name="cardTitle")
        if title:
            self.body.addWidget(self.title_label)


def selection_text(view: QAbstractItemView) -> str:
    """The selected cells as Excel reads a paste: rows on lines, cells separated by tabs.

    The block runs from the first to the last selected row and column; cells inside it that are
    not selected are left empty, as Excel leaves them.
    """
    indexes = view.selectionModel().selectedIndexes()
    current = view.currentIndex()
    if not indexes and current.isValid():
        whole_rows = view.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
        model = view.model()
        indexes = ([model.index(current.row(), c) for c in range(model.columnCount())]
                   if whole_rows else [current])
    if not indexes:
        return ""
    cells = {(i.row(), i.column()): _cell_text(i) for i in indexes}
    rows = sorted({r for r, _c in cells})
    columns = sorted({c for _r, c in cells})
    return "\n".join("\t".join(cells.get((r, c), "") for c in columns) for r in rows)


def _cell_text(index: QModelIndex) -> str:
    value = index.data(Qt.ItemDataRole.DisplayRole)
    text = "" if value is None else str(value)
    return " ".join(text.split())  # a tab or line break inside a cell would split it


def excel_table(view: QAbstractItemView) -> QAction:
    """Let a table be copied out like Excel: Ctrl+C (and Copy on its context menu) puts the
    selected cells on the clipboard as tab-separated text, which pastes into a spreadsheet."""
    action = QAction("&Copy", view)
    action.setShortcut(QKeySequence.StandardKey.Copy)
    # The key itself is caught below: an item view would otherwise copy only the current cell.
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.triggered.connect(lambda _checked=False: copy_selection(view))
    view.addAction(action)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    view.installEventFilter(_CopyKey(view))
    return action


def copy_selection(view: QAbstractItemView) -> None:
    QGuiApplication.clipboard().setText(selection_text(view))


class _CopyKey(QObject):
    """Ctrl+C on a table copies the whole selection (see ``excel_table``)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and \
                isinstance(event, QKeyEvent) and event.matches(QKeySequence.StandardKey.Copy):
            event.accept()
            if event.type() == QEvent.Type.KeyPress and isinstance(watched, QAbstractItemView):
                copy_selection(watched)
            return True
        return False


class SortFilter(QSortFilterProxyModel):
    """Sorting by a column's value (numbers as numbers) and a filter over every column."""

    def __init__(self, sort_role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(sort_role)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def lessThan(self, left: QModelIndex | QPersistentModelIndex,  # noqa: N802 - Qt name
                 right: QModelIndex | QPersistentModelIndex) -> bool:
        a, b = left.data(self.sortRole()), right.data(self.sortRole())
        if a is None or b is None:
            return a is None and b is not None
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)


def show_error(parent: QWidget | None, exc: BaseException, *, doing: str = "") -> None:
    """Tell the user what went wrong in plain English, and what to do next."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("bvdesk")
    if isinstance(exc, BvdeskError):
        box.setText(exc.message)
    else:
        lead = f"Something went wrong while {doing}." if doing else "Something went wrong."
        box.setText(f"{lead} Nothing you typed has been lost. Try again; if it happens again, "
                    "send the details below to your system administrator.")
        box.setDetailedText(f"{type(exc).__name__}: {exc}")
    box.setAccessibleName("Error message")
    box.open()
