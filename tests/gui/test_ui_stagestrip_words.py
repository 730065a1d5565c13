"""The stage strip never cuts a word: at the width the Reviews page gives it at 1024x768,
'Improvement' and 'Self-assessment' fit their boxes (issue 11 walkthrough)."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from pytestqt.qtbot import QtBot

from bvdesk.domain.vocabulary import Stage
from bvdesk.ui.stagestrip import StageStrip


def test_the_longest_stage_word_fits_its_box(qtbot: QtBot) -> None:
    strip = StageStrip()
    qtbot.addWidget(strip)
    strip.resize(540, 48)  # its width beside the review list at 1024x768
    strip.set_stage(Stage.COMPETE)
    strip.show()
    box = (strip.width() - 4.0 * (len(Stage) - 1)) / len(Stage)
    metrics = QFontMetrics(strip.label_font())
    for word in ("Improvement", "Self-", "assessment"):  # 'Self-assessment' breaks at its hyphen
        assert metrics.horizontalAdvance(word) <= box - 8, word
