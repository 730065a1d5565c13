"""Benchmarking: every indicator against the peers, with the peer distribution and trend."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QScrollArea, QVBoxLayout, QWidget

from bvdesk.operations.peer_groups import PeerGroupInfo, list_peer_groups
from bvdesk.ui.context import AppContext
from bvdesk.ui.peer_groups_dialog import PeerGroupsDialog
from bvdesk.ui.widgets import PageHeader, button, label


class BenchmarkingPage(QWidget):
    """Every indicator against the peers, with the peer distribution and trend of each."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        header = PageHeader("Benchmarking", "Choose an indicator to see every peer's value and "
                            "the five-year trend against the quartiles.")
        self.group = QComboBox()
        self.group.setAccessibleName("Compare with")
        self.group.activated.connect(lambda _i: self._group_chosen())
        self.groups_button = button("&Peer Groups...", "Edit the peer groups")
        self.groups_button.clicked.connect(self.edit_groups)
        header.buttons.addWidget(label("Compare with:"))
        header.buttons.addWidget(self.group)
        header.buttons.addWidget(self.groups_button)
        layout.addWidget(header)
        from bvdesk.ui.workspace.stages import BenchmarkView  # with its charts, on first use

        self.view = BenchmarkView(ctx)
        # The table and both charts need more than a 768-pixel screen leaves (the trend's
        # years were cut off below the window): short of room, the page scrolls.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.view)
        layout.addWidget(scroll, 1)
        self._stale = True
        ctx.database_changed.connect(self._mark_stale)
        ctx.data_changed.connect(lambda what: self._mark_stale() if what == "indicators"
                                 else None)

    def _mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        self._ctx.run_db(list_peer_groups, on_done=self._groups_loaded)
        self.view.load(None)

    def _groups_loaded(self, groups: list[PeerGroupInfo]) -> None:
        chosen = self.view.peer_group
        self.group.clear()
        self.group.addItem("All peers", None)
        for group in groups:
            self.group.addItem(f"{group.name} ({group.size})", group.name)
        self.group.setCurrentIndex(max(0, self.group.findData(chosen)))

    def _group_chosen(self) -> None:
        self.view.peer_group = self.group.currentData()
        self.view.load(None)

    def edit_groups(self) -> PeerGroupsDialog:
        dialog = PeerGroupsDialog(self._ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.refresh)
        dialog.open()
        return dialog

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)
