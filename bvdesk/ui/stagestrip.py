"""The eight review stages drawn as a strip: which hold what they need (ticked), which the review
has reached, and how much each of the others still needs, in words too."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from bvdesk.domain.vocabulary import Stage
from bvdesk.ui import theme


class StageStrip(QWidget):
    """Shows where a review is in the sequence of stages and which stages are complete: a stage
    is ticked for what it holds (nothing still needed, from ``operations.dashboard``), not for
    coming before the stage reached. Hovering over a stage lists what it still needs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._current: Stage | None = None
        self._locked = False
        self._needs: Mapping[Stage, Sequence[str]] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Review stages")

    def set_stage(self, stage: Stage | None, *, locked: bool = False,
                  needs: Mapping[Stage, Sequence[str]] | None = None) -> None:
        """*needs*: what each stage still needs (``ReviewNeeds.stages``); without it, no stage
        of a review in progress is ticked."""
        self._current = stage
        self._locked = locked
        self._needs = needs
        if stage is None:
            self.setAccessibleDescription("")
            self.update()
            return
        state = "signed off" if locked else f"at stage {stage.position + 1} of {len(Stage)}"
        said = [f"The review is {state}: {stage.label}."]
        done = [s.label for s in Stage if self.complete(s)]
        if done and not locked:
            said.append(f"Complete: {', '.join(done)}.")
        if needs and not locked:
            todo = [f"{s.label} ({_items(len(needs[s]))})" for s in Stage if needs.get(s)]
            if todo:
                said.append(f"Still needed: {', '.join(todo)}.")
        self.setAccessibleDescription(" ".join(said))
        self.update()

    def complete(self, stage: Stage) -> bool:
        return self._locked or (self._needs is not None and not self._needs.get(stage))

    def sizeHint(self) -> QSize:
        return QSize(640, self.fontMetrics().height() * 3)

    def box_width(self) -> float:
        return (self.width() - 4.0 * (len(Stage) - 1)) / len(Stage)

    def label_font(self) -> QFont:
        """Small enough that the longest word of any stage ('Improvement', 'assessment') fits
        its box, so a word is never cut; never below 6 points."""
        small = QFont(self.font())
        size = max(7.0, self.font().pointSizeF() * 0.85)
        room = self.box_width() - 8
        words = [w for stage in Stage  # lines break at spaces and after hyphens
                 for w in f"\u2713 {stage.label}".replace("-", "- ").split()]
        while size > 6.0:
            small.setPointSizeF(size)
            if max(QFontMetrics(small).horizontalAdvance(w) for w in words) <= room:
                break
            size -= 0.5
        small.setPointSizeF(size)
        return small

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        stages = list(Stage)
        gap = 4.0
        width = (self.width() - gap * (len(stages) - 1)) / len(stages)
        height = self.height() - 2.0
        current = self._current.position if self._current else -1
        small = self.label_font()
        for number, stage in enumerate(stages):
            rect = QRectF(number * (width + gap), 1, width, height)
            done = self.complete(stage)
            if done:
                fill, ink, border = QColor(theme.ACCENT), QColor("#ffffff"), QColor(theme.ACCENT)
            elif number == current:
                fill, ink, border = QColor("#cfe8e3"), QColor(theme.INK), QColor(theme.ACCENT)
            else:
                fill, ink, border = QColor("#eef1f3"), QColor(theme.MUTED), QColor(theme.BORDER)
            if done and number == current:  # the stage reached, and complete
                border = QColor(theme.INK)
            painter.setPen(QPen(border, 2 if number == current else 1))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 6, 6)
            painter.setPen(ink)
            painter.setFont(small)
            mark = "\u2713 " if done else ("\u25b6 " if number == current else "")
            painter.drawText(rect.adjusted(4, 0, -4, 0),
                             int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                             mark + stage.label)
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            number = int(event.pos().x() // (self.box_width() + 4.0))
            if self._current is not None and 0 <= number < len(Stage):
                QToolTip.showText(event.globalPos(), self.stage_tip(list(Stage)[number]), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def stage_tip(self, stage: Stage) -> str:
        """What hovering over a stage says: complete, or what it still needs."""
        here = " (the stage reached)" if stage == self._current else ""
        if self.complete(stage):
            return f"{stage.label}{here}: complete."
        missing = self._needs.get(stage, ()) if self._needs is not None else ()
        if not missing:
            return f"{stage.label}{here}."
        return f"{stage.label}{here} still needs:\n" + "\n".join(f"\u2022 {m}" for m in missing)


def _items(count: int) -> str:
    return "1 item" if count == 1 else f"{count} items"
