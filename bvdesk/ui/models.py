"""Table models over frozen DTOs: columns declared once, rows revealed in batches.

A ``DtoTableModel`` holds light row records (DTOs) and shows them through ``Column``s. Long lists
are revealed ``BATCH`` rows at a time through ``canFetchMore``/``fetchMore``, so a view over
200,000 indicator values opens instantly. Changes are announced precisely (``beginResetModel``
for a new list, ``dataChanged`` with roles for one row).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

Index = QModelIndex | QPersistentModelIndex

#: The DTO behind a row.
RowRole = Qt.ItemDataRole.UserRole + 1
#: A value to sort by (numbers stay numbers).
SortRole = Qt.ItemDataRole.UserRole + 2

BATCH = 500


@dataclass(frozen=True)
class Column:
    """One column: its header and how to show a row in it.

    ``colours`` returns (background, foreground) hex colours or None; whatever a colour means is
    always in ``text`` too.
    """

    header: str
    text: Callable[[Any], str]
    align_right: bool = False
    sort: Callable[[Any], Any] | None = None
    colours: Callable[[Any], tuple[str, str] | None] | None = None
    tip: Callable[[Any], str] | None = None


class DtoTableModel(QAbstractTableModel):
    """Read-only rows of DTOs, revealed in batches."""

    def __init__(self, columns: Sequence[Column], rows: Sequence[Any] = (),
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = list(rows)
        self._shown = min(len(self._rows), BATCH)

    # --- public -----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._shown = min(len(self._rows), BATCH)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def total(self) -> int:
        return len(self._rows)

    def find(self, predicate: Callable[[Any], bool]) -> int:
        """The shown row number of the first row matching ``predicate``, or -1."""
        for number, item in enumerate(self._rows[:self._shown]):
            if predicate(item):
                return number
        return -1

    # --- Qt overrides ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._columns)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._shown < len(self._rows)

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        more = min(BATCH, len(self._rows) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return self._columns[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._shown:
            return None
        item = self._rows[index.row()]
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(item)
        if role == RowRole:
            return item
        if role == SortRole:
            return column.sort(item) if column.sort else column.text(item)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (Qt.AlignmentFlag.AlignRight if column.align_right
                          else Qt.AlignmentFlag.AlignLeft)
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            colours = column.colours(item) if column.colours else None
            if colours is None:
                return None
            chosen = colours[0] if role == Qt.ItemDataRole.BackgroundRole else colours[1]
            return QBrush(QColor(chosen))
        if role == Qt.ItemDataRole.ToolTipRole and column.tip is not None:
            return column.tip(item)
        return None
