"""Paste from Excel into the workspace's grids, all or nothing.

A block copied from a spreadsheet (tab-separated rows) lands at the current cell, or, with no
cell chosen (an empty grid, or a click on the blank space below the last row), after the last
row, where its first cell fits. Every cell is checked before anything is
saved; if any is refused, nothing is pasted and one message names each bad cell by its row and
column. Rows beyond the last one become new records. A first row that repeats the grid's column
headings is skipped. Everything pasted is one step on the undo history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QModelIndex, QObject
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QWidget

from bvdesk.errors import InputRefused
from bvdesk.operations import editing
from bvdesk.ui.widgets import show_error
from bvdesk.ui.workspace.editors import RecordTableModel
from bvdesk.ui.workspace.store import OPTION_ENTITIES, ReviewStore

#: Problems listed one by one in the message (the count covers them all).
SHOWN_PROBLEMS = 20


class PasteTarget(Protocol):
    """What a grid tells the paste: how to check a cell, and how to save a row."""

    store: ReviewStore

    def columnCount(self, parent: Any = ...) -> int: ...  # noqa: N802 - Qt's name

    def paste_rows(self) -> int:
        """The rows a paste may write into (a grid's Total row is not one)."""
        ...

    def paste_refusal(self) -> str | None:
        """Why the grid cannot take a paste now (no option chosen), or None."""
        ...

    def paste_heading(self, column: int) -> str:
        """The column's heading, as the grid shows it."""
        ...

    def paste_value(self, column: int, text: str) -> Any:
        """The value ``text`` stands for in ``column``; raises InputRefused saying why not."""
        ...

    def paste_start_column(self, first: str) -> int:
        """Where a block starts when no cell is chosen, given its first cell's text."""
        ...

    def paste_into(self, row: int, values: dict[int, Any]) -> None:
        """Save checked values (by column) into an existing row, undoably."""
        ...

    def paste_new(self, values: dict[int, Any]) -> None:
        """Add a row holding checked values (by column), undoably."""
        ...


@dataclass
class PastePlan:
    """What a block would change: values by row and column, and every problem found."""

    rows: dict[int, dict[int, Any]] = field(default_factory=dict)
    new: list[dict[int, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def cells(self) -> int:
        return sum(len(v) for v in self.rows.values()) + sum(len(v) for v in self.new)


def block_of(text: str) -> list[list[str]]:
    """Excel's clipboard text as rows of cells (a trailing line break ends the last row)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    return [line.split("\t") for line in lines]


def _without_label(message: str, heading: str) -> str:
    prefix = f"{heading}: "
    return message[len(prefix):] if message.startswith(prefix) else message


def plan(target: PasteTarget, block: Sequence[Sequence[str]], top: int | None,
         left: int | None) -> PastePlan:
    """Check every cell of ``block`` placed at (``top``, ``left``); None: no cell chosen."""
    result = PastePlan()
    width = target.columnCount()
    headings = [target.paste_heading(c).strip().lower() for c in range(width)]
    rows = list(block)
    if rows and left is None:
        left = target.paste_start_column(rows[0][0].strip())
    left = left or 0
    if rows and [c.strip().lower() for c in rows[0]] == headings[left:left + len(rows[0])]:
        rows = rows[1:]  # the headings were copied too
    existing = target.paste_rows()
    top = existing if top is None else top
    for offset, cells in enumerate(rows):
        row = top + offset
        values: dict[int, Any] = {}
        for column_offset, text in enumerate(cells):
            column = left + column_offset
            if text.strip() == "":
                continue
            if column >= width:
                result.problems.append(
                    f"Row {row + 1}: '{text.strip()}' falls beyond the last column "
                    f"({target.paste_heading(width - 1)}).")
                continue
            heading = target.paste_heading(column)
            try:
                values[column] = target.paste_value(column, text.strip())
            except InputRefused as exc:
                result.problems.append(
                    f"Row {row + 1}, {heading}: {_without_label(exc.message, heading)}")
        if row < existing:
            if values:
                result.rows[row] = values
        elif values:
            result.new.append(values)
    return result


def paste(view: QAbstractItemView, target: PasteTarget, text: str) -> PastePlan:
    """Paste ``text`` into ``view`` at its current cell: everything, or nothing and a message."""
    store = target.store
    block = block_of(text)
    if not block:
        return PastePlan()
    if store.locked:
        show_error(view, InputRefused("This review is signed off and read-only, so nothing "
                                      "was pasted. Reopen it on the Sign-off stage to change "
                                      "it."))
        return PastePlan()
    refusal = target.paste_refusal()
    if refusal:
        show_error(view, InputRefused(f"Nothing was pasted. {refusal}"))
        return PastePlan()
    current = view.currentIndex()
    chosen = current.isValid()
    found = plan(target, block, current.row() if chosen else None,
                 current.column() if chosen else None)
    if found.problems:
        count = len(found.problems)
        listed = found.problems[:SHOWN_PROBLEMS]
        more = count - len(listed)
        show_error(view, InputRefused(
            f"Nothing was pasted: {count} cell{'s' if count != 1 else ''} cannot be used. "
            f"Correct {'them' if count != 1 else 'it'} in the spreadsheet and copy again, or "
            "paste from a different cell.\n\n"
            + "\n".join(listed) + (f"\n... and {more} more." if more > 0 else "")))
        return found
    undo = store.ctx.undo
    undo.beginMacro("Paste")
    try:
        for row, values in found.rows.items():
            target.paste_into(row, values)
        for values in found.new:
            target.paste_new(values)
    finally:
        undo.endMacro()
    return found


class BlankClick(QObject):
    """A click on the blank space below a table's rows leaves no cell chosen, so a paste adds
    rows after the last one instead of writing over the row that was current."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent)
                and not self._view.indexAt(event.position().toPoint()).isValid()):
            self._view.clearSelection()
            self._view.setCurrentIndex(QModelIndex())
        return False


class PasteKeys(QObject):
    """Gives a table Ctrl+V (and Shift+Insert): the clipboard is pasted with ``paste``."""

    def __init__(self, view: QAbstractItemView, target: PasteTarget) -> None:
        super().__init__(view)
        self._view = view
        self._target = target
        view.installEventFilter(self)
        BlankClick(view)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (watched is self._view and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.matches(QKeySequence.StandardKey.Paste)):
            paste(self._view, self._target, QGuiApplication.clipboard().text())
            return True
        return False


class RecordPaste:
    """Paste into a table of records (options, risks, actions, team members...): each column
    is one field, checked as if typed; rows beyond the last become new records."""

    def __init__(self, model: RecordTableModel) -> None:
        self.model = model
        self.store = model.store

    def paste_rows(self) -> int:
        return self.model.rowCount()

    def columnCount(self, parent: Any = None) -> int:  # noqa: N802 - Qt's name
        return self.model.columnCount()

    def _parent_id(self) -> int | None:
        if self.model.entity in OPTION_ENTITIES:
            return self.model.option_id
        return self.store.review_id

    def paste_refusal(self) -> str | None:
        if self._parent_id() is None:
            return ("Choose the option first, in the Options table above."
                    if self.model.entity in OPTION_ENTITIES else "No review is open.")
        return None

    def paste_heading(self, column: int) -> str:
        return self.model.specs[column].label

    def paste_value(self, column: int, text: str) -> Any:
        return editing.coerce(self.model.entity, self.model.fields[column], text)

    def paste_start_column(self, first: str) -> int:
        return 0

    def paste_into(self, row: int, values: dict[int, Any]) -> None:
        row_id = self.model.row_at(row).id
        for column, value in values.items():
            problem = self.store.edit(self.model.entity, row_id, self.model.fields[column],
                                      value)
            if problem:
                self.store.problem.emit(problem)

    def paste_new(self, values: dict[int, Any]) -> None:
        parent_id = self._parent_id()
        if parent_id is not None:
            self.store.add(self.model.entity, parent_id,
                           {self.model.fields[column]: value for column, value in values.items()})


def paste_into_record_tables(page: QWidget) -> None:
    """Give every table of records on ``page`` paste from Excel."""
    for view in page.findChildren(QAbstractItemView):
        model = view.model()
        if isinstance(model, RecordTableModel):
            PasteKeys(view, RecordPaste(model))
