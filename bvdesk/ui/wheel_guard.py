"""A mouse wheel turned over a drop-down, number or date box that the user has not clicked into
scrolls the page, as in a browser, instead of silently changing (and saving) its value; over a
row of tabs on a page, it scrolls the page rather than switching tabs as they pass under it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QTabBar,
    QWidget,
)


class WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, QTabBar):
            return _tabs_scroll_page(watched, event)
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


def _tabs_scroll_page(tabs: QTabBar, event: QEvent) -> bool:
    """A wheel over tabs on a scrolling page scrolls the page (tabs elsewhere still switch)."""
    if event.type() != QEvent.Type.Wheel or tabs.hasFocus():
        return False
    area = _scroll_area_around(tabs)
    if area is None:
        return False
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
