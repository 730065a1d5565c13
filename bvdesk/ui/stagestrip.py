"""The eight review stages drawn as a strip: done, current and still to come, in words too."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from bvdesk.domain.vocabulary import Stage
from bvdesk.ui import theme


class StageStrip(QWidget):
    """Shows where a review is in the sequence of stages."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._current: Stage | None = None
        self._locked = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Review stages")

    def set_stage(self, stage: Stage | None, *, locked: bool = False) -> None:
        self._current = stage
        self._locked = locked
        if stage is None:
            self.setAccessibleDescription("")
        else:
            state = "signed off" if locked else f"at stage {stage.position + 1} of {len(Stage)}"
            self.setAccessibleDescription(f"The review is {state}: {stage.label}.")
            self.setToolTip(self.accessibleDescription())
        self.update()

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
            done = self._locked or number < current
            if done:
                fill, ink, border = QColor(theme.ACCENT), QColor("#ffffff"), QColor(theme.ACCENT)
            elif number == current:
                fill, ink, border = QColor("#cfe8e3"), QColor(theme.INK), QColor(theme.ACCENT)
            else:
                fill, ink, border = QColor("#eef1f3"), QColor(theme.MUTED), QColor(theme.BORDER)
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
