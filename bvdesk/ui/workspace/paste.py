"""Paste from Excel into the workspace's grids, row by row.

A block copied from a spreadsheet (tab-separated rows) lands at the current cell, or, with no
cell chosen (an empty grid, or a click on the blank space below the last row), after the last
row, where its first cell fits. Every cell is checked before anything is saved; if any is
refused, nothing is pasted and one message names each bad cell by its row and column. Rows
beyond the last one become new records. A first row that repeats the grid's column headings is
skipped.

Each row's cells are saved together, in one transaction, against what the screen showed, and
the rows in order. A row refused as it is saved (its record's rules, or a colleague's save since
the screen showed it) stops the paste there: the rows before it stay saved, as a person sees
them on screen; the refused row and the rows after it are not saved, and one message says which
row, in which column, and why. Everything pasted is one step on the undo history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QModelIndex, QObject
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QWidget

from bvdesk.errors import BvdeskError, InputRefused
from bvdesk.operations import editing
from bvdesk.operations.editing import ChangedMeanwhile
from bvdesk.ui.widgets import show_error
from bvdesk.ui.workspace.editors import RecordTableModel
from bvdesk.ui.workspace.store import OPTION_ENTITIES, ReviewStore, RowSave, RowsSaved

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

    def paste_into(self, row: int, values: dict[int, Any]) -> RowSave:
        """Checked values (by column) for an existing row, as its fields to save together
        against what the screen shows."""
        ...

    def paste_new(self, values: dict[int, Any]) -> RowSave | None:
        """Checked values (by column) as a new row to add (None: there is nowhere to add it)."""
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
    existing = target.paste_rows()
    rows: list[int] = []
    saves: list[RowSave] = []
    for row, values in found.rows.items():
        rows.append(row)
        saves.append(target.paste_into(row, values))
    for number, values in enumerate(found.new):
        save = target.paste_new(values)
        if save is not None:
            rows.append(existing + number)
            saves.append(save)
    if saves:
        store.save_rows(saves, "Paste", lambda outcome: _pasted(view, rows, outcome))
    return found


def _rows(first: int, last: int) -> str:
    """'Row 3', 'Rows 3 and 4', 'Rows 3 to 5' (numbered from 1, as the table shows them)."""
    if first == last:
        return f"Row {first + 1}"
    joined = "and" if last == first + 1 else "to"
    return f"Rows {first + 1} {joined} {last + 1}"


def _reason(exc: BvdeskError) -> str:
    """Why a row was refused as it was saved, in the person's words."""
    if isinstance(exc, ChangedMeanwhile):
        who = exc.by or "a colleague"
        return (f"{exc.where[0].upper()}{exc.where[1:]} was changed by {who}{exc.when} after "
                f"your screen showed it: {who} saved {exc.shown[0]!r}, your paste has "
                f"{exc.shown[1]!r}. {who[0].upper()}{who[1:]}'s value is kept and now shown.")
    return exc.message


def _pasted(view: QAbstractItemView, rows: list[int], outcome: RowsSaved) -> None:
    """Say where a paste stopped, when a row was refused as it was saved."""
    if outcome.refused is None:
        return
    done, stopped = outcome.saved, rows[outcome.saved]
    refused = (f"row {stopped + 1} was saved only up to the cell refused"
               if outcome.partly else f"row {stopped + 1} was not saved")
    if done:
        kept = f"{_rows(rows[0], rows[done - 1])} {'was' if done == 1 else 'were'} pasted"
        head = f"{kept}; {refused}, and the paste stopped there."
    elif outcome.partly:
        head = f"R{refused[1:]}, and the paste stopped there."
    else:
        head = f"Nothing was pasted: row {stopped + 1} could not be saved."
    message = f"{head}\n\nRow {stopped + 1}: {_reason(outcome.refused)}"
    if stopped != rows[-1]:
        later = rows[outcome.saved + 1:]
        message += (f"\n\n{_rows(later[0], later[-1])} {'was' if len(later) == 1 else 'were'} "
                    f"not pasted either. Put row {stopped + 1} right, then copy the rows from it "
                    "on again and paste them.")
    show_error(view, InputRefused(message))


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

    def _fields(self, values: dict[int, Any]) -> dict[str, Any]:
        return {self.model.fields[column]: value for column, value in values.items()}

    def paste_into(self, row: int, values: dict[int, Any]) -> RowSave:
        shown = self.model.row_at(row)
        fields = self._fields(values)
        return RowSave(self.model.entity, fields, row_id=shown.id,
                       seen={name: shown[name] for name in fields})

    def paste_new(self, values: dict[int, Any]) -> RowSave | None:
        parent_id = self._parent_id()
        if parent_id is None:
            return None
        return RowSave(self.model.entity, self._fields(values), parent_id=parent_id)


def paste_into_record_tables(page: QWidget) -> None:
    """Give every table of records on ``page`` paste from Excel."""
    for view in page.findChildren(QAbstractItemView):
        model = view.model()
        if isinstance(model, RecordTableModel):
            PasteKeys(view, RecordPaste(model))
