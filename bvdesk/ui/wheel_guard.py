"""A mouse wheel turned over a drop-down, number or date box that the user has not clicked into
scrolls the page, as in a browser, instead of silently changing (and saving) its value."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)


class WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QComboBox | QAbstractSpinBox):
            return False
        if event.type() == QEvent.Type.Polish:
            # A wheel would otherwise give the box focus first, and then change it.
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            return False
        if event.type() != QEvent.Type.Wheel or watched.hasFocus():
            return False
        area = _scroll_area_around(watched)
        if area is not None:
            QApplication.sendEvent(area.verticalScrollBar(), event.clone())
        return True


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def install_wheel_guard(app: QApplication) -> None:
    """Guard every drop-down and number box of ``app`` (once, however often it is called)."""
    if app.findChild(WheelGuard) is None:
        app.installEventFilter(WheelGuard(app))
