"""The user guide inside the app: Help > User Guide, and F1 for the page in front of you.

The guide's text lives in ``resources/help/*.md`` (one file per stage, and an overview). On a
review's stage, the stage's guide ends with what that review still needs there: the stage's
"still needed" items as operations worked them out, never recomputed here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QWidget,
)

from bvdesk.domain.vocabulary import Stage
from bvdesk.operations.dashboard import ReviewNeeds
from bvdesk.paths import resource

GUIDE = "guide"
EVIDENCE = "evidence"
#: Topics in the order the contents list shows them: (file stem, title).
TOPICS = ((GUIDE, "User guide"),
          *((stage.value, f"{stage.position + 1}. {stage.label}") for stage in Stage),
          (EVIDENCE, "Evidence files"))


def topic_text(topic: str) -> str:
    """The guide to one topic, as Markdown."""
    return resource("help", f"{topic}.md").read_text(encoding="utf-8")


def _escape(text: str) -> str:
    return "".join(f"\\{ch}" if ch in "\\`*_[]<>#|" else ch for ch in text)


def still_needed(stage: Stage, needs: ReviewNeeds, title: str) -> str:
    """What this review still needs at ``stage``, as Markdown to end the stage's guide."""
    items = needs.missing(stage)
    head = f"## Still needed for {_escape(title)}\n\n"
    if not items:
        return head + "Nothing: everything this stage needs is in place.\n"
    return head + "".join(f"- {_escape(item)}\n" for item in items)


class HelpDialog(QDialog):
    """The guide: a list of topics and the chosen topic's text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("bvdesk User Guide")
        self.resize(820, 600)
        layout = QHBoxLayout(self)
        self.topics = QListWidget()
        self.topics.setAccessibleName("Guide topics")
        self.topics.setMaximumWidth(210)
        for key, title in TOPICS:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.topics.addItem(item)
        self.text = QTextBrowser()
        self.text.setAccessibleName("Guide text")
        self.text.setOpenExternalLinks(False)
        layout.addWidget(self.topics)
        layout.addWidget(self.text, 1)
        self.topics.currentRowChanged.connect(self._chosen)
        self._extra: dict[str, str] = {}

    def show_topic(self, topic: str, extra: str = "") -> None:
        """Show ``topic`` (a stage value, "guide" or "evidence"), ending with ``extra``."""
        self._extra = {topic: extra} if extra else {}
        row = next(n for n, (key, _t) in enumerate(TOPICS) if key == topic)
        if self.topics.currentRow() == row:
            self._chosen(row)
        else:
            self.topics.setCurrentRow(row)
        self.show()
        self.raise_()
        self.activateWindow()

    def _chosen(self, row: int) -> None:
        if row < 0:
            return
        key = TOPICS[row][0]
        extra = self._extra.get(key, "")
        self.text.setMarkdown(topic_text(key) + ("\n" + extra if extra else ""))
        self.setWindowTitle(f"bvdesk User Guide: {TOPICS[row][1]}")


def show_help(window: QWidget) -> HelpDialog:
    """Open the guide at what is on screen: the visible stage (with what this review still
    needs there) or page that offers a ``help_topic()``, else the overview."""
    topic, extra = GUIDE, ""
    for widget in window.findChildren(QWidget):
        offer = getattr(widget, "help_topic", None)
        if callable(offer) and widget.isVisible():
            topic, extra = offer()
            break
    dialog = window.findChild(HelpDialog)
    if dialog is None:
        dialog = HelpDialog(window)
    dialog.show_topic(topic, extra)
    return dialog
