"""Every control can be named by a screen reader, and the stages are reachable by keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS

from bvdesk.domain.vocabulary import Stage
from bvdesk.ui.mainwindow import MainWindow

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit)


def _unnamed(root: QWidget) -> list[str]:
    """Controls with neither an accessible name nor a label pointing at them."""
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy()}
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or isinstance(widget, QHeaderView) \
                or widget.objectName().startswith("qt_"):
            continue
        parent = widget.parent()
        if parent is not None and (parent.inherits("QComboBoxPrivateContainer")
                                   or parent.inherits("QAbstractSpinBox")
                                   or parent.inherits("QTabBar")
                                   or isinstance(parent, (QComboBox, QAbstractItemView))):
            continue  # the parts of a composite control, named by the control itself
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName() or text or id(widget) in buddies):
            missing.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}")
    return missing


def test_every_control_in_every_stage_has_a_name(qtbot: QtBot, demo_window: MainWindow) -> None:
    window = demo_window
    row = window.reviews.model.find(lambda r: r.service_code == "repairs")
    window.open_review(window.reviews.model.row_at(row).id)
    qtbot.waitUntil(lambda: window.workspace.store.review is not None, timeout=WAIT_MS)
    for stage in Stage:
        window.workspace.page(stage)
    assert sorted(set(_unnamed(window))) == []


def test_stages_are_reachable_from_the_keyboard(qtbot: QtBot, demo_window: MainWindow) -> None:
    window = demo_window
    window.open_review(window.reviews.model.rows()[0].id)
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.store.review is not None, timeout=WAIT_MS)
    ws.setFocus()
    qtbot.keyClick(ws, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert ws.stages.currentRow() == Stage.CHALLENGE.position
    qtbot.keyClick(ws, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert ws.stages.currentRow() == Stage.COMPARE.position
    assert window.action_undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
