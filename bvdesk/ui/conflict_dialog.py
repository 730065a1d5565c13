"""When a colleague saved a field while the user was editing it: keep theirs, or keep mine.

Shown by the review workspace when a save is refused with ``EditConflict`` (on a team server,
where many desktops edit at once). Both values are shown in full; nothing is saved until the user
chooses, and choosing theirs puts their value on screen.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from bvdesk.errors import EditConflict
from bvdesk.operations.editing import ChangedMeanwhile


def _shown(value: Any) -> str:
    return "(empty)" if value in (None, "") else str(value)


class ConflictDialog(QDialog):
    """Asks which value to keep; ``exec()`` returns Accepted for mine, Rejected for theirs."""

    def __init__(self, label: str, conflict: EditConflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        who = conflict.by or "A colleague"
        self.setWindowTitle("Changed by a Colleague")
        layout = QVBoxLayout(self)
        # The operations name the record (the row of a table, the years of a cost line) and when.
        where, when, theirs, mine = label.lower(), "", _shown(conflict.theirs), \
            _shown(conflict.mine)
        if isinstance(conflict, ChangedMeanwhile):
            where = conflict.where[0].lower() + conflict.where[1:]
            when, (theirs, mine) = conflict.when, conflict.shown
        intro = QLabel(f"{who} saved a change to {where}{when} while you were editing it. "
                       "Nothing of yours has been saved yet. Which do you want to keep?")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.theirs = self._value(theirs, f"{who}'s value")
        self.mine = self._value(mine, "Your value")
        form.addRow(f"{who} saved:", self.theirs)
        form.addRow("You typed:", self.mine)
        layout.addLayout(form)
        buttons = QDialogButtonBox()
        self.keep_mine = buttons.addButton("Keep Mine", QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep_theirs = buttons.addButton(f"Keep {who}'s" if conflict.by else "Keep Theirs",
                                             QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_theirs.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _value(value: str, name: str) -> QPlainTextEdit:
        box = QPlainTextEdit(value)
        box.setReadOnly(True)
        box.setAccessibleName(name)
        box.setMaximumHeight(90)
        return box


def keep_mine(label: str, conflict: EditConflict, parent: QWidget | None = None) -> bool:
    """Ask the user; True to keep their own value, False to keep the colleague's."""
    return ConflictDialog(label, conflict, parent).exec() == QDialog.DialogCode.Accepted
