"""The peer-group editor: named sets of organisations to benchmark against, by rule or by list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from bvdesk.domain.vocabulary import OrganisationType, StockBand
from bvdesk.errors import BvdeskError
from bvdesk.operations import peer_groups
from bvdesk.operations.peer_groups import PeerGroupInfo
from bvdesk.ui.context import AppContext
from bvdesk.ui.widgets import button, label


def _checklist(name: str, members: Any) -> QListWidget:
    widget = QListWidget()
    widget.setAccessibleName(name)
    widget.setMaximumHeight(120)
    for member in members:
        item = QListWidgetItem(member.label)
        item.setData(Qt.ItemDataRole.UserRole, member.value)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def _checked(widget: QListWidget) -> list[str]:
    return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


def _check(widget: QListWidget, values: list[str]) -> None:
    for i in range(widget.count()):
        item = widget.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                           in values else Qt.CheckState.Unchecked)


class PeerGroupsDialog(QDialog):
    """Signals:
    changed(): a group was created, changed or deleted.
    """

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.groups: list[PeerGroupInfo] = []
        self.setWindowTitle("Peer Groups")
        self.resize(820, 560)
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        self.list = QListWidget()
        self.list.setAccessibleName("Peer groups")
        # A group's name and size wrap rather than run off the list's side.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._chosen)
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.new_button = button("&New Group", "Start a new peer group")
        self.delete_button = button("&Delete", "Delete the selected peer group")
        self.new_button.clicked.connect(lambda: self.list.setCurrentRow(-1))
        self.delete_button.clicked.connect(self.delete_selected)
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        left.addLayout(row)
        outer.addLayout(left, 1)

        right = QVBoxLayout()
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName("Group name")
        self.description = QLineEdit()
        self.description.setAccessibleName("Group description")
        self.by_rule = QRadioButton("By rule: every organisation that matches")
        self.by_list = QRadioButton("By list: these organisations (one name or code a line)")
        self.by_rule.setChecked(True)
        self.types = _checklist("Organisation types", OrganisationType)
        self.bands = _checklist("Stock size bands", StockBand)
        self.regions = QLineEdit()
        self.regions.setAccessibleName("Regions")
        self.regions.setPlaceholderText("e.g. London, South East (blank: any region)")
        self.members = QPlainTextEdit()
        self.members.setAccessibleName("Members")
        self.members.setTabChangesFocus(True)  # Tab goes on to Save Group, as from every box
        form.addRow("&Name:", self.name)
        form.addRow("&Description:", self.description)
        form.addRow(self.by_rule)
        form.addRow("Types:", self.types)
        form.addRow("Stock sizes:", self.bands)
        form.addRow("&Regions:", self.regions)
        form.addRow(self.by_list)
        form.addRow("&Members:", self.members)
        right.addLayout(form)
        self.problem = label("", name="fieldError", wrap=True)
        right.addWidget(self.problem)
        self.summary = label("", name="muted", wrap=True)
        right.addWidget(self.summary)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = button("&Save Group", "Save the peer group", primary=True)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        right.addWidget(buttons)
        outer.addLayout(right, 2)
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        self.ctx.run_db(peer_groups.list_peer_groups,
                        on_done=lambda groups: self._loaded(groups, select))

    def _loaded(self, groups: list[PeerGroupInfo], select: str | None) -> None:
        self.groups = groups
        self.list.blockSignals(True)
        self.list.clear()
        for group in groups:
            kind = "rule" if group.rule is not None else "list"
            self.list.addItem(f"{group.name} ({group.size} organisations, by {kind})")
        self.list.blockSignals(False)
        names = [g.name for g in groups]
        self.list.setCurrentRow(names.index(select) if select in names else -1)
        self._chosen(self.list.currentRow())

    def _chosen(self, row: int) -> None:
        group = self.groups[row] if 0 <= row < len(self.groups) else None
        self.problem.setText("")
        self.delete_button.setEnabled(group is not None)
        self.name.setText(group.name if group else "")
        self.description.setText(group.description if group else "")
        rule = group.rule if group else None
        self.by_list.setChecked(group is not None and rule is None)
        self.by_rule.setChecked(group is None or rule is not None)
        _check(self.types, (rule or {}).get("org_type", []))
        _check(self.bands, (rule or {}).get("stock_band", []))
        self.regions.setText(", ".join((rule or {}).get("region", [])))
        self.members.setPlainText("\n".join(group.members) if group and rule is None else "")
        self.summary.setText(f"Members now: {', '.join(group.members[:12])}"
                             + (" ..." if group and group.size > 12 else "")
                             if group else "A new group: name it, choose how it is defined, "
                             "then Save Group.")

    def definition(self) -> dict[str, Any]:
        """The rule or member list as typed."""
        if self.by_list.isChecked():
            return {"members": [line.strip() for line in self.members.toPlainText().splitlines()
                                if line.strip()]}
        rule: dict[str, list[str]] = {}
        for key, values in (("org_type", _checked(self.types)),
                            ("stock_band", _checked(self.bands)),
                            ("region", [r.strip() for r in self.regions.text().split(",")
                                        if r.strip()])):
            if values:
                rule[key] = values
        return {"rule": rule}

    def save(self) -> None:
        row = self.list.currentRow()
        current = self.groups[row] if 0 <= row < len(self.groups) else None
        name = self.name.text().strip()
        definition = self.definition()
        description = self.description.text()
        if current is None:
            self.ctx.run_db(lambda db: peer_groups.create_peer_group(
                db, name, description=description, **definition),
                on_done=self._saved, on_error=self._failed)
        else:
            self.ctx.run_db(lambda db: peer_groups.edit_peer_group(
                db, current.name, new_name=name, description=description, **definition),
                on_done=self._saved, on_error=self._failed)

    def delete_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.groups):
            self.ctx.run_db(peer_groups.delete_peer_group, self.groups[row].name,
                            on_done=lambda _r: self._saved(None), on_error=self._failed)

    def _saved(self, group: PeerGroupInfo | None) -> None:
        self.changed.emit()
        self.refresh(group.name if group else None)

    def _failed(self, exc: BaseException) -> None:
        self.problem.setText(exc.message if isinstance(exc, BvdeskError) else str(exc))
