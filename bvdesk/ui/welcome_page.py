"""Shown when no database is open: create a landlord, open a file, or try the demo."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from bvdesk.ui.widgets import Card, button, label


class WelcomePage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 48, 48, 48)
        outer.addStretch(1)
        card = Card("")
        card.setMaximumWidth(640)
        title = label("Welcome to bvdesk", name="pageTitle")
        card.body.addWidget(title)
        card.body.addWidget(label(
            "bvdesk keeps your Best Value reviews, benchmarking and options appraisals in one "
            "database file on this computer. Start a database for your landlord, open one you "
            "already have, or look around the demo landlord first.", wrap=True))
        self.message = label("", name="missing", wrap=True)
        self.message.setVisible(False)
        card.body.addWidget(self.message)
        row = QHBoxLayout()
        self.new_button = button("&New Landlord Database...", "New landlord database",
                                 primary=True)
        self.open_button = button("&Open Database...", "Open database")
        self.demo_button = button("Open the &Demo", "Open the demo database")
        for widget in (self.new_button, self.open_button, self.demo_button):
            row.addWidget(widget)
        card.body.addLayout(row)
        # Centred by stretches, not by an alignment flag: an aligned widget gets its size hint,
        # which does not grow for wrapped text, and the welcome text was cut off.
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(card, 4)
        middle.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(2)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
