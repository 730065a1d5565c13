"""Small building blocks shared by every screen: page headers, cards, messages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
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
