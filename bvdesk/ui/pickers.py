"""Choosing instead of typing: a date box with a calendar, and a searchable indicator list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QDate, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeyEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bvdesk.ui.widgets import search_box

DATE_FORMAT = "%d/%m/%Y"


def _calendar_icon() -> QIcon:
    """A small calendar page, drawn (no image files to find)."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    ink = QColor("#37474f")
    painter.setPen(QPen(ink, 2))
    painter.setBrush(QColor("#ffffff"))
    painter.drawRoundedRect(QRect(4, 6, 24, 22), 3, 3)
    painter.fillRect(QRect(5, 7, 23, 6), QColor("#2a9d8f"))
    painter.drawLine(10, 3, 10, 9)
    painter.drawLine(22, 3, 22, 9)
    for row in range(2):
        for column in range(3):
            painter.fillRect(QRect(8 + 6 * column, 16 + 5 * row, 3, 3), ink)
    painter.end()
    return QIcon(pixmap)


class DateEdit(QLineEdit):
    """A date typed as dd/mm/yyyy, or picked from a calendar (the icon, Alt+Down or F4).

    Empty means no date. ``picked`` is emitted after a date is chosen from the calendar.
    """

    picked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("dd/mm/yyyy")
        self.calendar_action = QAction(_calendar_icon(), "Choose from a calendar", self)
        self.calendar_action.setToolTip("Choose from a calendar (Alt+Down)")
        self.calendar_action.triggered.connect(self.show_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        for icon_button in self.findChildren(QToolButton):
            if icon_button.defaultAction() is self.calendar_action:
                icon_button.setAccessibleName("Choose from a calendar")
        self.calendar = QCalendarWidget(self)
        self.calendar.setWindowFlags(Qt.WindowType.Popup)
        self.calendar.setAccessibleName("Calendar")
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.clicked.connect(self._chosen)
        self.calendar.activated.connect(self._chosen)

    def date(self) -> dt.date | None:
        try:
            return dt.datetime.strptime(self.text().strip(), DATE_FORMAT).date()
        except ValueError:
            return None

    def show_calendar(self) -> None:
        if self.isReadOnly() or not self.isEnabled():
            return
        current = self.date() or dt.date.today()
        self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        self.calendar.adjustSize()
        below = self.mapToGlobal(QPoint(0, self.height()))
        screen = self.screen().availableGeometry()
        x = min(below.x(), screen.right() - self.calendar.width())
        y = below.y()
        if y + self.calendar.height() > screen.bottom():
            y = self.mapToGlobal(QPoint(0, 0)).y() - self.calendar.height()
        self.calendar.move(max(screen.left(), x), max(screen.top(), y))
        self.calendar.show()
        self.calendar.setFocus()

    def _chosen(self, date: QDate) -> None:
        self.calendar.hide()
        self.setText(dt.date(date.year(), date.month(), date.day()).strftime(DATE_FORMAT))
        self.setFocus()
        self.picked.emit()

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 - Qt name
        super().setReadOnly(read_only)
        self.calendar_action.setVisible(not read_only)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = (event.key() == Qt.Key.Key_Down
                    and event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.show_calendar()
            return
        super().keyPressEvent(event)


CODE = Qt.ItemDataRole.UserRole
#: What a search looks through: the code, the name and the other names it goes by.
SEARCHED = Qt.ItemDataRole.UserRole + 1


class IndicatorPicker(QWidget):
    """The indicator catalogue as a list to search by code or name.

    Indicators already chosen elsewhere (linked to the review) are hidden. With ``checkable``,
    each has a tick box (New Review); otherwise, choose one or more and press Enter or
    double-click (``chosen``).

    Signals:
        chosen(list): codes double-clicked or confirmed with Enter.
    """

    chosen = Signal(list)

    def __init__(self, *, checkable: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.checkable = checkable
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.search = search_box("Search indicators",
                                 "Search by code or name, e.g. BV72, repairs or void")
        self.search.textChanged.connect(lambda _t: self._apply())
        self.search.installEventFilter(self)
        self.list = QListWidget()
        self.list.setAccessibleName("Indicators to choose from")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.itemDoubleClicked.connect(lambda item: self._double_clicked(item))
        self.list.installEventFilter(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        self.chosen_note = QLabel("")
        self.chosen_note.setObjectName("muted")
        self.chosen_note.setWordWrap(True)
        self.chosen_note.setVisible(checkable)
        layout.addWidget(self.chosen_note)
        self.list.itemChanged.connect(lambda _item: self._show_checked())
        self._hidden: set[str] = set()

    def set_items(self, items: Iterable[tuple[str, str, tuple[str, ...]]]) -> None:
        """The indicators to choose from: code, name and the other names each goes by."""
        checked = set(self.checked_codes())
        self.list.clear()
        for code, name, aliases in items:
            item = QListWidgetItem(f"{code}  {name}")
            item.setData(CODE, code)
            item.setData(SEARCHED, " ".join((code, name, *aliases)).lower())
            item.setToolTip(name + (f"\nAlso known as: {', '.join(aliases)}" if aliases else ""))
            if self.checkable:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if code in checked
                                   else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self._apply()

    def hide_codes(self, codes: Iterable[str]) -> None:
        """Hide these codes (already linked); the rest stay to choose from."""
        self._hidden = set(codes)
        self._apply()

    def visible_codes(self) -> list[str]:
        return [self.list.item(n).data(CODE) for n in range(self.list.count())
                if not self.list.item(n).isHidden()]

    def selected_codes(self) -> list[str]:
        return [item.data(CODE) for item in self.list.selectedItems() if not item.isHidden()]

    def checked_codes(self) -> list[str]:
        return [self.list.item(n).data(CODE) for n in range(self.list.count())
                if self.list.item(n).checkState() == Qt.CheckState.Checked]

    def set_checked(self, codes: Sequence[str]) -> None:
        wanted = set(codes)
        first = None
        for n in range(self.list.count()):
            item = self.list.item(n)
            item.setCheckState(Qt.CheckState.Checked if item.data(CODE) in wanted
                               else Qt.CheckState.Unchecked)
            if first is None and item.data(CODE) in wanted:
                first = item
        if first is not None:
            self.list.scrollToItem(first, QAbstractItemView.ScrollHint.PositionAtTop)
        self._show_checked()

    def _show_checked(self) -> None:
        codes = self.checked_codes()
        self.chosen_note.setText(f"Chosen: {', '.join(codes)}" if codes
                                 else "None chosen yet: tick the indicators the review uses.")

    def _apply(self) -> None:
        words = self.search.text().lower().split()
        for n in range(self.list.count()):
            item = self.list.item(n)
            text = item.data(SEARCHED)
            item.setHidden(item.data(CODE) in self._hidden
                           or not all(word in text for word in words))

    def _enter_from_search(self) -> None:
        """Enter in the search box: go to the first match (or choose it if it is the only one)."""
        visible = [self.list.item(n) for n in range(self.list.count())
                   if not self.list.item(n).isHidden()]
        if not visible:
            return
        self.list.setCurrentItem(visible[0])
        if len(visible) == 1 and not self.checkable:
            self.chosen.emit([visible[0].data(CODE)])
        else:
            self.list.setFocus()

    def _double_clicked(self, item: QListWidgetItem) -> None:
        if self.checkable:
            item.setCheckState(Qt.CheckState.Unchecked if item.checkState()
                               == Qt.CheckState.Checked else Qt.CheckState.Checked)
        else:
            self.chosen.emit([item.data(CODE)])

    def eventFilter(self, watched: object, event: object) -> bool:  # noqa: N802 - Qt name
        if not (isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress):
            return super().eventFilter(watched, event)  # type: ignore[arg-type]
        key = event.key()
        if watched is self.search and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter,
                                              Qt.Key.Key_Down):
            # Enter or Down in the search box goes to the matches (never closes a dialog).
            self._enter_from_search() if key != Qt.Key.Key_Down else self._to_list()
            return True
        if (watched is self.list and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not self.checkable and self.selected_codes()):
            self.chosen.emit(self.selected_codes())
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def _to_list(self) -> None:
        visible = [self.list.item(n) for n in range(self.list.count())
                   if not self.list.item(n).isHidden()]
        if visible:
            self.list.setCurrentItem(visible[0])
            self.list.setFocus()
