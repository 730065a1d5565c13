"""Found walking through the app as a new user: scrolling with the mouse wheel while the pointer
passes over a drop-down changed the review's stage (and saved it). A wheel over a box that has
not been clicked into scrolls the page instead; the stage list never scrolls sideways."""

from __future__ import annotations

from journey_steps import open_review
from person import choose, field, settle
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QListWidget, QWidget
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow


def turn_wheel_over(widget: QWidget, notches: int = -1) -> None:
    """One notch of the wheel (down, as when scrolling a page) with the pointer over
    ``widget``."""
    inside = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(inside, QPointF(widget.mapToGlobal(inside.toPoint())), QPoint(),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_wheel_over_the_stage_box_leaves_the_stage_alone(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    demo_window.resize(1024, 768)
    open_review(qtbot, demo_window, "Responsive repairs")
    stage = field(demo_window, "Stage", QComboBox)
    before = stage.currentText()

    turn_wheel_over(stage)
    settle(qtbot, demo_window)

    assert stage.currentText() == before
    assert not stage.hasFocus()


def test_stage_list_never_scrolls_sideways(qtbot: QtBot, demo_window: MainWindow) -> None:
    demo_window.resize(1024, 768)
    open_review(qtbot, demo_window, "Responsive repairs")
    choose(qtbot, field(demo_window, "Stage", QComboBox), "Improvement plan")
    settle(qtbot, demo_window)

    stages = field(demo_window, "Review stages", QListWidget)
    assert "Improvement plan" in stages.item(5).text() and stages.item(5).font().bold()
    assert stages.horizontalScrollBar().maximum() == 0, "the stage reached is cut off"
