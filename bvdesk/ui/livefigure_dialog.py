"""Insert Live Figure: choose a figure from the data to quote in a narrative.

The dialog lists what the review can quote (``operations.livefigures.figure_choices``): each
figure with what it prints today and the short token that goes into the text, so the screen and
every document print the current figure, frozen at sign-off.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bvdesk.operations.livefigures import FigureChoice

_TOKEN_ROLE = Qt.ItemDataRole.UserRole
#: Keys typed in the filter that move through the list instead, so Enter inserts the figure.
_LIST_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


class LiveFigureDialog(QDialog):
    """A filterable list of live figures, grouped by indicator, option and consultation.

    Typing in the filter chooses the first figure that matches; Up and Down choose another
    without leaving the filter, and Enter inserts the one chosen.
    """

    def __init__(self, choices: Sequence[FigureChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Insert Live Figure")
        self.resize(640, 480)
        layout = QVBoxLayout(self)
        intro = QLabel("The text will show the figure as it is in the data, and every document "
                       "prints the current value; sign-off freezes it.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by indicator code, option or word")
        self.filter.setAccessibleName("Filter figures")
        self.filter.textChanged.connect(self._filter)
        self.filter.installEventFilter(self)
        layout.addWidget(self.filter)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Live figures")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Figure", "Today", "Token"])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        groups: dict[str, QTreeWidgetItem] = {}
        for choice in choices:
            group = groups.get(choice.group)
            if group is None:
                group = groups[choice.group] = QTreeWidgetItem(self.tree, [choice.group])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                group.setFirstColumnSpanned(True)
            item = QTreeWidgetItem(group, [choice.label, choice.text, choice.token])
            item.setData(0, _TOKEN_ROLE, choice.token)
        self.tree.expandAll()
        self.tree.itemDoubleClicked.connect(lambda item, _c: self.accept()
                                            if item.data(0, _TOKEN_ROLE) else None)
        self.tree.currentItemChanged.connect(lambda *_a: self._enable())
        layout.addWidget(self.tree, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.insert = self.buttons.addButton("&Insert", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._enable()
        self.filter.setFocus()

    def chosen(self) -> str | None:
        """The token of the figure chosen, or None."""
        item = self.tree.currentItem()
        token = item.data(0, _TOKEN_ROLE) if item is not None and not item.isHidden() else None
        return token if isinstance(token, str) else None

    def _enable(self) -> None:
        self.insert.setEnabled(self.chosen() is not None)

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            assert group is not None  # g < topLevelItemCount()
            shown = 0
            for i in range(group.childCount()):
                item = group.child(i)
                assert item is not None  # i < childCount()
                haystack = " ".join([group.text(0), *(item.text(c) for c in range(3))]).casefold()
                hidden = not all(word in haystack for word in words)
                item.setHidden(hidden)
                shown += not hidden
            group.setHidden(shown == 0)
        first = self._first_shown()
        if words and self.chosen() is None and first is not None:
            self.tree.setCurrentItem(first)
        self._enable()

    def _first_shown(self) -> QTreeWidgetItem | None:
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            assert group is not None  # g < topLevelItemCount()
            for i in range(group.childCount() if not group.isHidden() else 0):
                item = group.child(i)
                if item is not None and not item.isHidden():
                    return item
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if (watched is self.filter and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() in _LIST_KEYS):
            QApplication.sendEvent(self.tree, event)
            return True
        return super().eventFilter(watched, event)
