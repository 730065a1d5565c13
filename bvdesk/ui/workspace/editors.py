"""Editors that save as you go: a form for one record, and an editable table of records.

Both are driven by ``operations.editing``'s field specs, so every field is checked the same way
everywhere. A refused value stays in its box, with the reason beside it, until it is corrected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QContextMenuEvent, QFocusEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bvdesk.domain.vocabulary import Rag
from bvdesk.domain.years import FinancialYear
from bvdesk.operations import editing, livefigures
from bvdesk.operations.editing import FieldSpec, Row
from bvdesk.ui import theme
from bvdesk.ui.livefigure_dialog import LiveFigureDialog
from bvdesk.ui.pickers import DateEdit
from bvdesk.ui.widgets import button, excel_table, fit_columns, label, show_error
from bvdesk.ui.workspace.store import ReviewStore

Index = QModelIndex | QPersistentModelIndex


def file_size(size: int) -> str:
    """A file's size as people say it: 2 KB, 1.4 MB."""
    if size >= 1_000_000:
        return f"{size / 1e6:.1f} MB"
    if size >= 1000:
        return f"{max(1, round(size / 1e3))} KB"
    return "1 byte" if size == 1 else f"{size} bytes"


def format_value(spec: FieldSpec, value: Any) -> str:
    """A stored value as the user reads (and may type) it."""
    if value is None:
        return ""
    if spec.unit == "bytes":
        return file_size(value)
    if spec.kind == editing.DATE and isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if spec.kind == editing.CHOICE and spec.choices is not None:
        try:
            return spec.choices(value).label
        except ValueError:
            return str(value)
    if spec.kind == editing.BOOL:
        return "Yes" if value else "No"
    if spec.labels is not None and value in spec.labels:
        return spec.labels[value]
    if spec.kind == editing.FLOAT:
        if spec.fraction:
            return f"{value * 100:g}%"
        return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) >= 1000 else f"{value:g}"
    if spec.year:
        return str(FinancialYear(value))  # 2011/12, as the documents print it and a cell takes it
    if spec.kind == editing.INT:
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    return str(value)


#: Opens Insert Live Figure from a narrative box.
INSERT_FIGURE_KEYS = "Ctrl+Shift+L"


class _PlainText(QPlainTextEdit):
    """A multi-line box that saves when it loses focus and after a pause in typing; a narrative
    box also offers Insert Live Figure (context menu, Ctrl+Shift+L)."""

    def __init__(self, commit: Callable[[], None],
                 pick: Callable[[QPlainTextEdit], None] | None = None) -> None:
        super().__init__()
        self._commit = commit
        self._pick = pick
        if pick is not None:
            shortcut = QShortcut(QKeySequence(INSERT_FIGURE_KEYS), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda: pick(self))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(1200)
        self._timer.timeout.connect(commit)
        self.textChanged.connect(self._typed)
        self.setTabChangesFocus(True)
        self._quiet = False

    @property
    def typing(self) -> bool:
        """Typing not yet saved: the pause before saving is running."""
        return self._timer.isActive()

    def set_text_quietly(self, text: str) -> None:
        if text != self.toPlainText():
            self._quiet = True
            self.setPlainText(text)
            self._quiet = False

    def flush(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self._commit()

    def _typed(self) -> None:
        if not self._quiet:
            self._timer.start()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.flush()
        super().focusOutEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu()
        pick = self._pick
        if pick is not None and not self.isReadOnly():
            menu.addSeparator()
            action = menu.addAction(f"Insert Live Figure...\t{INSERT_FIGURE_KEYS}")
            action.triggered.connect(lambda: pick(self))
        menu.exec(event.globalPos())
        menu.deleteLater()


class FieldForm(QWidget):
    """A form over some fields of one record; each field saves when edited."""

    def __init__(self, store: ReviewStore, entity: str, fields: Sequence[str], *,
                 multiline: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.entity = entity
        self.row_id: int | None = None
        self._editors: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for name in fields:
            spec = editing.field_spec(entity, name)
            editor = self._make_editor(spec, name in multiline)
            editor.setAccessibleName(spec.label)
            error = label("", name="fieldError", wrap=True)
            error.setVisible(False)
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(editor)
            box.addWidget(error)
            caption = QLabel(f"{spec.label}:")
            caption.setBuddy(editor)
            self.form.addRow(caption, holder)
            self._editors[name] = editor
            self._errors[name] = error
        store.field_changed.connect(self._on_field_changed)
        store.on_loaded(self.refresh)
        store.rows_changed.connect(lambda entity_name: self.refresh()
                                   if entity_name == self.entity else None)
        self.set_row(None)

    def editor(self, name: str) -> QWidget:
        return self._editors[name]

    def error_text(self, name: str) -> str:
        return self._errors[name].text() if self._errors[name].isVisible() else ""

    def set_row(self, row_id: int | None) -> None:
        self.flush()
        self.row_id = row_id
        self.refresh()

    def flush(self) -> None:
        """Save whatever is being typed now."""
        for editor in self._editors.values():
            if isinstance(editor, _PlainText):
                editor.flush()

    def refresh(self) -> None:
        row = self.store.row(self.entity, self.row_id) if self.row_id is not None else None
        self.setEnabled(row is not None)
        read_only = self.store.locked
        for name, editor in self._editors.items():
            self._show(name, row.values.get(name) if row is not None else None)
            self._errors[name].setVisible(False)
            if isinstance(editor, (QLineEdit, QPlainTextEdit)):
                editor.setReadOnly(read_only)
            else:
                editor.setEnabled(not read_only)

    # --- editors ------------------------------------------------------------------------

    def _make_editor(self, spec: FieldSpec, multiline: bool) -> QWidget:
        name = spec.name
        if spec.kind == editing.TEXT and multiline:
            live = (self.entity, name) in livefigures.LIVE_FIELDS
            editor: QWidget = _PlainText(lambda: self._commit_text(name),
                                         self.pick_figure if live else None)
            editor.setMinimumHeight(60)
            editor.setMaximumHeight(110)
            return editor
        if spec.kind == editing.CHOICE or spec.labels is not None:
            combo = choice_combo(spec)
            combo.activated.connect(lambda _i, c=combo: self._commit(name, c.currentData()))
            return combo
        if spec.kind == editing.BOOL:
            check = QCheckBox()
            check.clicked.connect(lambda checked: self._commit(name, checked))
            return check
        line = DateEdit() if spec.kind == editing.DATE else QLineEdit()
        line.editingFinished.connect(lambda: self._commit(name, line.text()))
        if isinstance(line, DateEdit):
            line.picked.connect(lambda: self._commit(name, line.text()))
        return line

    def _show(self, name: str, value: Any) -> None:
        editor = self._editors[name]
        spec = editing.field_spec(self.entity, name)
        if isinstance(editor, _PlainText):
            editor.set_text_quietly("" if value is None else str(value))
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QLineEdit):
            text = format_value(spec, value)
            if editor.text() != text:
                editor.setText(text)
                editor.setCursorPosition(0)
            editor.setModified(False)  # what the box shows is saved (no typing pending)

    def pick_figure(self, editor: QPlainTextEdit) -> None:
        """Insert Live Figure: list what the review can quote, insert the token chosen."""
        if self.row_id is None or self.store.locked or self.store.review_id is None:
            return
        self.store.ctx.run_db(livefigures.figure_choices, self.store.review_id,
                              on_done=lambda choices: self._insert_figure(editor, choices),
                              on_error=lambda exc: show_error(self, exc),
                              label="Reading the figures")

    def _insert_figure(self, editor: QPlainTextEdit,
                       choices: list[livefigures.FigureChoice]) -> None:
        dialog = LiveFigureDialog(choices, self)
        if dialog.exec() == LiveFigureDialog.DialogCode.Accepted and dialog.chosen():
            editor.insertPlainText(dialog.chosen() or "")
            editor.setFocus()
        dialog.deleteLater()

    def _commit_text(self, name: str) -> None:
        editor = self._editors[name]
        assert isinstance(editor, QPlainTextEdit)
        self._commit(name, editor.toPlainText())

    def _commit(self, name: str, value: Any) -> None:
        if self.row_id is None:
            return
        problem = self.store.edit(self.entity, self.row_id, name, value)
        self._errors[name].setText(problem or "")
        self._errors[name].setVisible(bool(problem))
        if not problem and isinstance(self._editors[name], QLineEdit):
            self._show(name, self.store.value(self.entity, self.row_id, name))

    def _on_field_changed(self, entity: str, row_id: int, field: str, value: Any) -> None:
        if entity == self.entity and row_id == self.row_id and field in self._editors:
            self._show(field, value)
            self._errors[field].setVisible(False)


class StoreTableModel(QAbstractTableModel):
    """A table over the open review's records: editable unless the review is signed off."""

    store: ReviewStore

    def spec(self, column: int) -> FieldSpec | None:
        """The field shown in ``column``, when it is one of a record's own fields."""
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        spec = self.spec(index.column())
        if not self.store.locked and not (spec is not None and spec.read_only):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags


class RecordTableModel(StoreTableModel):
    """Editable rows of one entity of the open review (optionally, of one option)."""

    def __init__(self, store: ReviewStore, entity: str, fields: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.entity = entity
        self.fields = list(fields)
        self.specs = [editing.field_spec(entity, f) for f in fields]
        self.option_id: int | None = None
        self.last_problem = ""
        self._rows: list[Row] = []
        store.on_loaded(self.reload)
        store.rows_changed.connect(lambda name: self.reload() if name == entity else None)
        store.field_changed.connect(self._on_field_changed)

    def set_option(self, option_id: int | None) -> None:
        self.option_id = option_id
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        if self.entity in ("cost_line", "risk"):
            self._rows = (self.store.rows_of(self.entity, self.option_id)
                          if self.option_id is not None else [])
        else:
            self._rows = list(self.store.rows_of(self.entity))
        self.endResetModel()

    def row_at(self, number: int) -> Row:
        return self._rows[number]

    def find(self, row_id: int) -> int:
        return next((n for n, r in enumerate(self._rows) if r.id == row_id), -1)

    def spec(self, column: int) -> FieldSpec | None:
        return self.specs[column]

    # --- Qt overrides ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.fields)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.specs[section].label
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        spec = self.specs[index.column()]
        value = row.values.get(spec.name)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole):
            text = format_value(spec, value)
            if role == Qt.ItemDataRole.DisplayRole and spec.kind == editing.TEXT:
                text = " ".join(text.split())
            return text
        if role == Qt.ItemDataRole.EditRole:
            chosen = spec.kind in (editing.CHOICE, editing.BOOL) or spec.labels is not None
            return value if chosen else format_value(spec, value)
        if role == Qt.ItemDataRole.TextAlignmentRole and spec.kind in (editing.INT,
                                                                       editing.FLOAT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) \
                and spec.choices is Rag and value in theme.RAG_COLOURS:
            # The status is in the cell's words too; the colour only repeats it.
            background, text = theme.RAG_COLOURS[value]
            return QBrush(QColor(background if role == Qt.ItemDataRole.BackgroundRole
                                 else text))
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        row = self._rows[index.row()]
        problem = self.store.edit(self.entity, row.id, self.fields[index.column()], value)
        self.last_problem = problem or ""
        if problem:
            self.store.problem.emit(problem)
            return False
        return True

    def _on_field_changed(self, entity: str, row_id: int, field: str, value: Any) -> None:
        if entity != self.entity or field not in self.fields:
            return
        number = self.find(row_id)
        if number < 0:
            return
        old = self._rows[number]
        self._rows[number] = Row(old.entity, old.id, {**old.values, field: value})
        cell = self.index(number, self.fields.index(field))
        self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DisplayRole,
                                           Qt.ItemDataRole.EditRole])


def choice_combo(spec: FieldSpec, parent: QWidget | None = None) -> QComboBox:
    """A drop-down of a field's choices (a vocabulary, or labelled numbers such as stars)."""
    combo = QComboBox(parent)
    combo.setAccessibleName(spec.label)
    if not spec.required:
        combo.addItem("Not set", None)
    if spec.labels is not None:
        for value, text in spec.labels.items():
            combo.addItem(text, value)
    elif spec.choices is not None:
        for member in spec.choices:
            combo.addItem(member.label, member.value)
    return combo


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down for vocabulary and yes/no fields in tables; text boxes for the rest."""

    def __init__(self, model: StoreTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        spec = self._model.spec(index.column())
        if spec is None:
            editor = super().createEditor(parent, option, index)
            editor.setAccessibleName(str(self._model.headerData(
                index.column(), Qt.Orientation.Horizontal)))
            return editor
        if spec.kind == editing.CHOICE or spec.labels is not None:
            return choice_combo(spec, parent)
        if spec.kind == editing.DATE:
            date = DateEdit(parent)
            date.setAccessibleName(spec.label)
            date.picked.connect(lambda: self._picked(date))
            return date
        if spec.kind == editing.BOOL:
            combo = QComboBox(parent)
            combo.setAccessibleName(spec.label)
            combo.addItem("No", False)
            combo.addItem("Yes", True)
            return combo
        editor = super().createEditor(parent, option, index)
        editor.setAccessibleName(spec.label)
        return editor

    def _picked(self, editor: DateEdit) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class RecordPanel(QWidget):
    """A table of records with Add and Delete, and a form for the chosen record below it."""

    def __init__(self, store: ReviewStore, entity: str, columns: Sequence[str],
                 form_fields: Sequence[str] = (), *, multiline: Sequence[str] = (),
                 title: str = "", parent_id: Callable[[], int | None] | None = None,
                 stretch: str | Sequence[str] | None = None, fold: Sequence[str] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.entity = entity
        self._parent_id = parent_id or (lambda: store.review_id)
        noun = editing.entity(entity).label
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        #: The title and the Add and Delete buttons; a page may add its own buttons here.
        self.bar = bar = QHBoxLayout()
        if title:
            bar.addWidget(label(title, name="cardTitle"))
        bar.addStretch(1)
        self.add_button = button(f"Add {noun.title()}", f"Add {noun}")
        self.delete_button = button("Delete", f"Delete the selected {noun}")
        self.add_button.clicked.connect(self.add)
        self.delete_button.clicked.connect(self.delete_selected)
        bar.addWidget(self.add_button)
        bar.addWidget(self.delete_button)
        layout.addLayout(bar)

        self.model = RecordTableModel(store, entity, columns, self)
        self.table = QTableView()
        self.table.setAccessibleName(f"{noun.capitalize()}s")
        self.table.setModel(self.model)
        self.table.setItemDelegate(ChoiceDelegate(self.model, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        excel_table(self.table)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        wide = [stretch] if isinstance(stretch, str) else list(stretch or ())
        fit_columns(self.table, tuple(list(columns).index(name) for name in wide
                                      if name in columns) or 0,
                    fold=tuple(list(columns).index(name) for name in fold))
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.model.modelReset.connect(self._after_reset)
        layout.addWidget(self.table, 2)

        self.form: FieldForm | None = None
        if form_fields:
            self.form = FieldForm(store, entity, form_fields, multiline=multiline)
            layout.addWidget(self.form, 3)
        store.on_loaded(self._update_buttons)
        self._selected_id: int | None = None
        self._after_reset()

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()).id if index.isValid() else None

    def select_id(self, row_id: int) -> None:
        number = self.model.find(row_id)
        if number >= 0:
            self.table.selectRow(number)
            self.table.setCurrentIndex(self.model.index(number, 0))

    def add(self) -> None:
        parent_id = self._parent_id()
        if parent_id is not None:
            self.store.add(self.entity, parent_id, on_added=lambda row: self._added(row))

    def _added(self, row: Row) -> None:
        self._selected_id = row.id

    def delete_selected(self) -> None:
        row_id = self.selected_id()
        if row_id is not None:
            self.store.delete(self.entity, row_id)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row_id = self.model.row_at(current.row()).id if current.isValid() else None
        self._selected_id = row_id
        if self.form is not None:
            self.form.set_row(row_id)
        self._update_buttons()

    def _after_reset(self) -> None:
        wanted = self._selected_id
        number = self.model.find(wanted) if wanted is not None else -1
        if number < 0 and self.model.rowCount():
            number = 0
        if number >= 0:
            self.table.setCurrentIndex(self.model.index(number, 0))
            self.table.selectRow(number)
        elif self.form is not None:
            self.form.set_row(None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        editable = not self.store.locked and self._parent_id() is not None
        self.add_button.setEnabled(editable)
        self.delete_button.setEnabled(editable and self.table.currentIndex().isValid())
