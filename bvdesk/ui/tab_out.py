"""Tab leaves a table, as it leaves any other control: from a table only to read at once, from
one to type into after its last cell (Shift+Tab before its first); Ctrl+Tab from anywhere in
it. Qt's tables otherwise pass Tab from cell to cell and round again, so a keyboard user who
tabbed into one (the first on Home) could never tab out."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget


class TabOut(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent)
                or not isinstance(watched, QAbstractItemView)
                or not watched.tabKeyNavigation()
                or event.key() not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)):
            return False
        backwards = (event.key() == Qt.Key.Key_Backtab
                     or bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
        if (event.modifiers() & Qt.KeyboardModifier.ControlModifier
                or _read_only(watched) or _at_edge(watched, backwards)):
            return _leave(watched, backwards)
        return False


def _read_only(view: QAbstractItemView) -> bool:
    """Nothing to type into on the current row (a list to read, or a totals row)."""
    model, current = view.model(), view.currentIndex()
    if (model is None or not current.isValid()
            or view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers):
        return True
    return not any(model.flags(current.siblingAtColumn(column)) & Qt.ItemFlag.ItemIsEditable
                   for column in range(model.columnCount(current.parent())))


def _at_edge(view: QAbstractItemView, backwards: bool) -> bool:
    model, current = view.model(), view.currentIndex()
    if model is None or not current.isValid():
        return True
    if backwards:
        return current.row() == 0 and current.column() == 0
    return (current.row() == model.rowCount(current.parent()) - 1
            and current.column() == model.columnCount(current.parent()) - 1)


def _leave(view: QAbstractItemView, backwards: bool) -> bool:
    """Move the focus to the next (or previous) control Tab reaches outside ``view``."""
    widget: QWidget = view
    for _ in range(1000):
        following = widget.previousInFocusChain() if backwards else widget.nextInFocusChain()
        if following is None or following is view:
            return False
        widget = following
        if (widget.window() is view.window() and not view.isAncestorOf(widget)
                and widget.isVisible() and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and widget.focusProxy() is None):
            widget.setFocus(Qt.FocusReason.BacktabFocusReason if backwards
                            else Qt.FocusReason.TabFocusReason)
            return True
    return False


def install_tab_out(app: QApplication) -> None:
    """Let Tab leave every table of ``app`` (once, however often it is called)."""
    if app.findChild(TabOut) is None:
        app.installEventFilter(TabOut(app))
