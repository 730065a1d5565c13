"""Insert Live Figure: choose a figure from the data to quote in a narrative.

The dialog lists what the review can quote (``operations.livefigures.figure_choices``): each
figure with what it prints today and the short token that goes into the text, so the screen and
every document print the current figure, frozen at sign-off.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
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


class LiveFigureDialog(QDialog):
    """A filterable list of live figures, grouped by indicator, option and consultation."""

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
        token = item.data(0, _TOKEN_ROLE) if item is not None else None
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
