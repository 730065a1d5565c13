"""The Compete stage: options, a spreadsheet-like cost grid, quality scores, risks and results.

The whole appraisal also goes out to an Excel workbook and comes back from it (Export to Excel
and Import from Excel, under the stage's heading): the same operations as ``bvdesk template
appraisal --review ID`` and ``bvdesk import appraisal``, on the background runner with Cancel.

The results are ``operations.appraisal.appraise_review``: the one builder the CLI
(``bvdesk appraise``) and every document use. After each change (a cost, score, risk, option or
setting), the appraisal is asked for again on the database worker, queued behind the save, so
the screen shows what was saved and can never disagree with the PDF.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bvdesk.domain.appraisal import AppraisalResult, switching_sentence
from bvdesk.domain.livefigures import fixed, format_measure, half_up, trimmed
from bvdesk.domain.vocabulary import Stage
from bvdesk.domain.wording import count
from bvdesk.errors import BvdeskError, Cancelled, InputRefused
from bvdesk.operations import appraisal, editing
from bvdesk.operations.appraisal import (
    SHOWN_ISSUES,
    AppraisalChangedSinceWorkbook,
    AppraisalImportRefused,
    ReplaceSummary,
)
from bvdesk.operations.editing import Row
from bvdesk.operations.file_names import DOCUMENTS, review_file_name
from bvdesk.ui.charts import ChartWithTable, show_tornado
from bvdesk.ui.models import Column, DtoTableModel
from bvdesk.ui.widgets import (
    button,
    excel_table,
    fit_columns,
    fit_height,
    label,
    pin_first_column,
    show_error,
    tell,
)
from bvdesk.ui.workspace.editors import ChoiceDelegate, FieldForm, RecordPanel, StoreTableModel
from bvdesk.ui.workspace.paste import BlankClick, PasteKeys, paste
from bvdesk.ui.workspace.stages import StagePage
from bvdesk.ui.workspace.store import ReviewStore, RowSave

Index = QModelIndex | QPersistentModelIndex
DEFAULT_PERIOD = 10
FIXED_COLUMNS = ("category", "vat", "description")
#: The room the cost grid's category needs beside the years (its words wrap; the VAT and the
#: description can step aside), and the padding of an amount in its cell and of a heading.
CATEGORY_ROOM = 90
AMOUNT_PADDING = 14
HEADING_PADDING = 16
#: On two short lines, so the chart never cuts it.
TORNADO_TITLE = "Change in the recommended option's lead (points)\nif a cost moves 20%"
#: Shown instead of the sensitivity chart until there is something to chart.
NO_TORNADO = ("Once every option is costed and scored and one is recommended, a chart here "
              "shows how far its lead moves if each cost is 20% higher or lower.")
WORKBOOK_FILTER = "Excel workbooks (*.xlsx);;All files (*)"
LOCKED_TIP = ("This review is signed off and read-only: its appraisal cannot be replaced. "
              "Reopen it on the Sign-off stage first.")
SETTINGS_FIELDS = ["base_date", "period_years", "discount_rate", "vat_rate", "price_weight",
                   "price_method", "quality_threshold_pct", "homes_served"]
#: What the appraisal uses for a setting left blank (blank is not zero): the box's placeholder
#: and its tooltip.
SETTINGS_WHEN_BLANK = {
    "discount_rate": ("Blank: the rates in Settings",
                      "Left blank, the discount rates in Settings are used: HM Treasury's Green "
                      "Book schedule (3.5% a year for the first 30 years) unless changed there."),
    "vat_rate": ("Blank: the rate on the base date",
                 "Left blank, the VAT rate in force on the base date is used (the VAT rates in "
                 "Settings)."),
    "homes_served": ("Blank: the landlord's homes",
                     "Left blank, the landlord's number of homes (Settings) is used for the cost "
                     "per home."),
}


def _money(value: float, decimals: int = 0) -> str:
    """Pounds as the documents print them (a half rounded up)."""
    return format_measure(value, "pounds", decimals)


def short_amount(value: float) -> str:
    """An amount in three figures, for a cost grid too narrow for it whole: 9,500, 12.5k, 420k,
    2.3m, 12.3m (a half rounded up). Hovering over it or editing it shows it whole."""
    size = abs(value)
    if size < 10_000:
        return fixed(value, 0)
    if half_up(size, -3) < 1_000_000:
        return trimmed(value / 1e3, 1 if size < 99_950 else 0) + "k"
    return trimmed(value / 1e6, 2 if size < 9_995_000 else 1 if size < 99_950_000 else 0) + "m"


def _typed(amount: float) -> str:
    """An amount as it is typed and copied: every figure, no exponent (1050000, not the
    1.05e+06 that lost the last figures of 1,234,567)."""
    return trimmed(amount, 2).replace(",", "")


class CostGridModel(StoreTableModel):
    """The chosen option's cost lines: category, VAT, description, then one column per year;
    under them, once there are lines, a Total row (read-only) adding up each year."""

    def __init__(self, store: ReviewStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.option_id: int | None = None
        self._rows: list[Row] = []
        self._years = DEFAULT_PERIOD + 1
        #: Amounts in three figures (``short_amount``): the grid is too narrow for them whole.
        self.short = False
        store.on_loaded(self.reload)
        store.rows_changed.connect(lambda name: self.reload()
                                   if name in ("cost_line", "appraisal_settings") else None)
        store.field_changed.connect(self._on_field_changed)

    def set_option(self, option_id: int | None) -> None:
        self.option_id = option_id
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = (self.store.rows_of("cost_line", self.option_id)
                      if self.option_id is not None else [])
        settings = self.store.rows_of("appraisal_settings")
        period = settings[0]["period_years"] if settings else DEFAULT_PERIOD
        longest = max((len(r["amounts"]) for r in self._rows), default=0)
        self._years = max(period + 1, longest)
        self.endResetModel()

    def row_at(self, number: int) -> Row:
        return self._rows[number]

    def set_short(self, short: bool) -> None:
        if short != self.short:
            self.short = short
            self.dataChanged.emit(self.index(0, len(FIXED_COLUMNS)),
                                  self.index(self.rowCount() - 1, self.columnCount() - 1))

    def amounts(self, column: int) -> list[float]:
        """A year's amounts, the total last, as the grid shows them."""
        year = column - len(FIXED_COLUMNS)
        shown = [r["amounts"][year] if year < len(r["amounts"]) else 0.0 for r in self._rows]
        return [*shown, sum(shown)]

    def _amount(self, amount: float, role: int) -> Any:
        """An amount's text: whole, or short with the whole on hover."""
        if role == Qt.ItemDataRole.DisplayRole:
            return short_amount(amount) if self.short else fixed(amount, 0)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return fixed(amount, 0)
        if role == Qt.ItemDataRole.ToolTipRole and self.short and abs(amount) >= 10_000:
            return f"\u00a3{fixed(amount, 0)}"
        return None

    @property
    def lines(self) -> int:
        """The number of cost lines (the rows above the Total row)."""
        return len(self._rows)

    def is_total(self, row: int) -> bool:
        return row == len(self._rows)

    @property
    def years(self) -> int:
        return self._years

    def spec(self, column: int) -> editing.FieldSpec | None:
        if column < len(FIXED_COLUMNS):
            return editing.field_spec("cost_line", FIXED_COLUMNS[column])
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() or not self._rows else len(self._rows) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(FIXED_COLUMNS) + self._years

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.isValid() and self.is_total(index.row()):
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return super().flags(index)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return "" if self.is_total(section) else str(section + 1)
        spec = self.spec(section)
        return spec.label if spec else f"Year {section - len(FIXED_COLUMNS)}"

    def _total(self, index: Index, role: int) -> Any:
        column = index.column()
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor("#eef1f3"))
        if column < len(FIXED_COLUMNS):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return "Total" if column == 0 else ""
            return None
        year = column - len(FIXED_COLUMNS)
        total = sum(r["amounts"][year] for r in self._rows if year < len(r["amounts"]))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole):
            return self._amount(total, role)
        if role == Qt.ItemDataRole.EditRole:
            return _typed(total)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if self.is_total(index.row()):
            return self._total(index, role)
        row = self._rows[index.row()]
        spec = self.spec(index.column())
        if spec is not None:
            value = row[spec.name]
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return spec.choices(value).label if spec.choices else value
            if role == Qt.ItemDataRole.EditRole:
                return value
            return None
        year = index.column() - len(FIXED_COLUMNS)
        amounts = row["amounts"]
        amount = amounts[year] if year < len(amounts) else 0.0
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole):
            if not amount:
                return None if role == Qt.ItemDataRole.ToolTipRole else ""
            return self._amount(amount, role)
        if role == Qt.ItemDataRole.EditRole:
            return _typed(amount) if amount else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (not index.isValid() or role != Qt.ItemDataRole.EditRole
                or self.is_total(index.row())):
            return False
        return self.set_cell(index.row(), index.column(), value) is None

    def set_cell(self, row: int, column: int, value: Any) -> str | None:
        """Save one cell as typed or pasted; returns the refusal, if any."""
        line = self._rows[row]
        spec = self.spec(column)
        if spec is not None:
            if spec.choices is not None and isinstance(value, str):
                try:
                    value = spec.choices.parse(value).value
                except ValueError as exc:
                    return self._refuse(f"{spec.label}: {exc}.")
            problem = self.store.edit("cost_line", line.id, spec.name, value)
        else:
            year = column - len(FIXED_COLUMNS)
            amounts = list(line["amounts"]) + [0.0] * max(0, year + 1 - len(line["amounts"]))
            try:
                amounts[year] = editing.coerce("cost_line", "amounts", [value])[0]
            except InputRefused as exc:
                return self._refuse(exc.message)
            problem = self.store.edit("cost_line", line.id, "amounts", amounts)
        return self._refuse(problem) if problem else None

    def _refuse(self, message: str) -> str:
        self.store.problem.emit(message)
        return message

    # --- paste (ui.workspace.paste) --------------------------------------------------------

    def paste_refusal(self) -> str | None:
        return ("Choose the option the costs belong to first, in the Options table above."
                if self.option_id is None else None)

    def paste_rows(self) -> int:
        return len(self._rows)

    def paste_heading(self, column: int) -> str:
        return str(self.headerData(column, Qt.Orientation.Horizontal))

    def paste_value(self, column: int, text: str) -> Any:
        spec = self.spec(column)
        if spec is not None:
            return editing.coerce("cost_line", spec.name, text)
        return editing.coerce("cost_line", "amounts", [text])[0]

    def paste_start_column(self, first: str) -> int:
        """A block starting with an amount goes in Year 0; one starting with words, from the
        Category column."""
        try:
            editing.coerce("cost_line", "amounts", [first])
        except InputRefused:
            return 0
        return len(FIXED_COLUMNS)

    def _fields(self, values: dict[int, Any], amounts: list[float]) -> dict[str, Any]:
        """A pasted row's fields: its columns' values, and ``amounts`` with its years set."""
        fields: dict[str, Any] = {}
        amounts = list(amounts)
        for column, value in sorted(values.items()):
            spec = self.spec(column)
            if spec is not None:
                fields[spec.name] = value
            else:
                year = column - len(FIXED_COLUMNS)
                amounts += [0.0] * max(0, year + 1 - len(amounts))
                amounts[year] = value
        return {**fields, "amounts": amounts}

    def paste_into(self, row: int, values: dict[int, Any]) -> RowSave:
        line = self._rows[row]
        fields = self._fields(values, line["amounts"])
        if fields["amounts"] == list(line["amounts"]):
            del fields["amounts"]
        return RowSave("cost_line", fields, row_id=line.id,
                       seen={name: line[name] for name in fields})

    def paste_new(self, values: dict[int, Any]) -> RowSave | None:
        if self.option_id is None:
            return None
        return RowSave("cost_line", self._fields(values, []), parent_id=self.option_id)

    def _on_field_changed(self, entity: str, row_id: int, field: str, value: Any) -> None:
        if entity != "cost_line":
            return
        for number, row in enumerate(self._rows):
            if row.id == row_id:
                self._rows[number] = Row(row.entity, row.id, {**row.values, field: value})
                if field == "amounts" and len(value) > self._years:
                    self.reload()
                    return
                self.dataChanged.emit(self.index(number, 0),
                                      self.index(number, self.columnCount() - 1))
                total = len(self._rows)
                self.dataChanged.emit(self.index(total, 0),
                                      self.index(total, self.columnCount() - 1))


class CostGrid(QTableView):
    """A table that takes a block pasted from Excel (tab-separated rows) at the current cell."""

    def __init__(self, model: CostGridModel, page: CompetePage) -> None:
        super().__init__()
        self._grid = model
        self._page = page
        self.setModel(model)
        self.setAccessibleName("Cost grid")
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setAlternatingRowColors(True)
        # The names wrap; short of room, the VAT, then the description, step aside (to the
        # row's tooltip and the form under the grid); shorter still, the amounts are shown in
        # three figures.
        fit_columns(self, 2, fold=(1, 2))
        model.modelReset.connect(self._choose_figures)
        model.dataChanged.connect(self._choose_figures)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        BlankClick(self)

    def _choose_figures(self, *_args: object) -> None:
        """Amounts whole when every year fits beside the category (the VAT and the description
        stepping aside if need be: the amounts typed matter most), else in three figures."""
        model = self._grid
        bold = QFont(self.font())  # the totals and the headings are bold
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        # A year's heading takes two lines, 'Year' above its number (ui.widgets.fit_columns).
        heading = metrics.horizontalAdvance("Year") + HEADING_PADDING
        whole = sum(max(heading, AMOUNT_PADDING + max(metrics.horizontalAdvance(fixed(v, 0))
                                                      for v in model.amounts(c)))
                    for c in range(len(FIXED_COLUMNS), model.columnCount()))
        model.set_short(model.lines > 0 and whole + CATEGORY_ROOM > self.viewport().width())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._choose_figures()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_text(QGuiApplication.clipboard().text())
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        super().keyPressEvent(event)

    def copy_selection(self) -> None:
        indexes = sorted(self.selectedIndexes(), key=lambda i: (i.row(), i.column()))
        if not indexes:
            return
        rows: dict[int, list[str]] = {}
        for index in indexes:
            rows.setdefault(index.row(), []).append(
                str(index.data(Qt.ItemDataRole.EditRole) or ""))
        QGuiApplication.clipboard().setText("\n".join("\t".join(r) for r in rows.values()))

    def paste_text(self, text: str) -> int:
        """Paste tab-separated rows from the current cell (with none chosen, below the last
        line); extra rows become new cost lines. Every cell is checked first (a bad one: nothing
        is pasted), then the rows are saved one by one until one is refused (ui.workspace.paste),
        as one undo step; returns the number of cells pasted."""
        found = paste(self, self._grid, text)
        return 0 if found.problems else found.cells


class QualityModel(StoreTableModel):
    """Quality criteria (rows) by option (columns): name, weight, then each option's 0-10."""

    def __init__(self, store: ReviewStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._criteria: list[Row] = []
        self._options: list[Row] = []
        store.on_loaded(self.reload)
        store.rows_changed.connect(lambda name: self.reload()
                                   if name in ("quality_criterion", "option") else None)
        store.scores_changed.connect(self._scores_changed)
        store.field_changed.connect(self._field_changed)

    def reload(self) -> None:
        self.beginResetModel()
        self._criteria = list(self.store.rows_of("quality_criterion"))
        self._options = list(self.store.rows_of("option"))
        self.endResetModel()

    def criterion_at(self, number: int) -> Row:
        return self._criteria[number]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._criteria)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else 2 + len(self._options)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        if section == 0:
            return "Criterion"
        if section == 1:
            return "Weight"
        return self._options[section - 2]["name"]  # scored 0-10, as the tab's caption says

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.EditRole,
                                               Qt.ItemDataRole.AccessibleTextRole,
                                               Qt.ItemDataRole.TextAlignmentRole):
            return None
        criterion = self._criteria[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return (None if index.column() == 0 else
                    int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter))
        if index.column() == 0:
            return criterion["name"]
        if index.column() == 1:
            return f"{criterion['weight']:g}"
        option = self._options[index.column() - 2]
        score = self.store.scores.get((criterion.id, option.id))
        return "" if score is None else f"{score:g}"

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        criterion = self._criteria[index.row()]
        if index.column() < 2:
            field = "name" if index.column() == 0 else "weight"
            problem = self.store.edit("quality_criterion", criterion.id, field, value)
        else:
            option = self._options[index.column() - 2]
            problem = self.store.set_score(criterion.id, option.id, value)
        if problem:
            self.store.problem.emit(problem)
        return problem is None

    # --- paste (ui.workspace.paste) --------------------------------------------------------

    def paste_refusal(self) -> str | None:
        return None if self.store.review_id is not None else "No review is open."

    def paste_rows(self) -> int:
        return self.rowCount()

    def paste_heading(self, column: int) -> str:
        return str(self.headerData(column, Qt.Orientation.Horizontal))

    def paste_value(self, column: int, text: str) -> Any:
        if column == 0:
            return editing.coerce("quality_criterion", "name", text)
        if column == 1:
            return editing.coerce("quality_criterion", "weight", text)
        return editing.coerce_score(text)

    def paste_start_column(self, first: str) -> int:
        """Names first: from the Criterion column; numbers only: the first option's scores."""
        try:
            editing.coerce_score(first)
        except InputRefused:
            return 0
        return 2

    def _pasted(self, values: dict[int, Any], criterion_id: int | None) -> tuple[
            dict[str, Any], dict[int, tuple[float | None, float | None]]]:
        """A pasted row's criterion fields, and its scores: (shown, pasted) by option id."""
        fields = {name: values[column] for column, name in ((0, "name"), (1, "weight"))
                  if column in values}
        scores = {}
        for column, value in values.items():
            if column >= 2:
                option_id = self._options[column - 2].id
                shown = (None if criterion_id is None
                         else self.store.scores.get((criterion_id, option_id)))
                scores[option_id] = (shown, value)
        return fields, scores

    def paste_into(self, row: int, values: dict[int, Any]) -> RowSave:
        criterion = self._criteria[row]
        fields, scores = self._pasted(values, criterion.id)
        return RowSave("quality_criterion", fields, row_id=criterion.id,
                       seen={name: criterion[name] for name in fields}, scores=scores)

    def paste_new(self, values: dict[int, Any]) -> RowSave | None:
        review_id = self.store.review_id
        if review_id is None:
            return None
        fields, scores = self._pasted(values, None)
        return RowSave("quality_criterion", fields, parent_id=review_id, scores=scores)

    def _scores_changed(self) -> None:
        if self._criteria and self._options:
            self.dataChanged.emit(self.index(0, 2),
                                  self.index(len(self._criteria) - 1, self.columnCount() - 1))

    def _field_changed(self, entity: str, row_id: int, field: str, value: Any) -> None:
        if entity == "option" and field == "name":
            self.reload()
        elif entity == "quality_criterion":
            for number, row in enumerate(self._criteria):
                if row.id == row_id:
                    self._criteria[number] = Row(row.entity, row.id, {**row.values,
                                                                      field: value})
                    self.dataChanged.emit(self.index(number, 0), self.index(number, 1))


RESULT_COLUMNS = (
    Column("Rank", lambda o: str(o.rank), sort=lambda o: o.rank),
    Column("Option", lambda o: o.name),
    Column("NPC", lambda o: _money(o.npc), align_right=True, sort=lambda o: o.npc),
    Column("Per year (EAC)", lambda o: _money(o.eac), align_right=True),
    Column("Per home", lambda o: "-" if o.cost_per_home is None else _money(o.cost_per_home),
           align_right=True),
    Column("Quality", lambda o: f"{fixed(o.quality_pct, 0)}%", align_right=True),
    Column("Price score", lambda o: fixed(o.price_score, 1), align_right=True),
    Column("Quality score", lambda o: fixed(o.quality_score, 1), align_right=True),
    Column("Total", lambda o: fixed(o.total_score, 1), align_right=True),
    Column("Eligible", lambda o: "Yes" if o.eligible else "No: below quality threshold",
           colours=lambda o: None if o.eligible else ("#fde7e5", "#7a1610")),
)


class CompetePage(StagePage):
    """Options, appraisal settings, costs, risks, quality and the live results."""

    def __init__(self, store: ReviewStore, parent: QWidget | None = None) -> None:
        super().__init__(store, Stage.COMPETE, parent)
        #: The appraisal on screen: ``operations.appraisal.appraise_review``, as the CLI and
        #: the documents have it, read again after every saved change.
        self.result: AppraisalResult | None = None
        self._asked = 0
        self._shown_review: int | None = None
        self.workbook = AppraisalWorkbook(self)
        self._setup_ui()
        self._results_card()
        self._option_chosen(self.options.table.currentIndex(), QModelIndex())
        self._appraise_timer = QTimer(self)
        self._appraise_timer.setSingleShot(True)
        self._appraise_timer.setInterval(120)
        self._appraise_timer.timeout.connect(self._appraise)
        store.on_loaded(self._review_loaded)
        store.rows_changed.connect(lambda _n: self.request_appraisal())
        store.field_changed.connect(lambda *_a: self.request_appraisal())
        store.scores_changed.connect(self.request_appraisal)
        store.field_changed.connect(self._renamed)

    def _setup_ui(self) -> None:
        store = self.store
        self.options = RecordPanel(store, "option", ["name", "kind", "optimism_bias_pct",
                                                     "market_tested_share_pct", "price_source"],
                                   stretch="name")
        fit_height(self.options.table, 8)
        self.options.table.selectionModel().currentRowChanged.connect(self._option_chosen)
        self.card("Options", self.options)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Option details")
        self.tabs.addTab(self._costs_tab(), "&Costs")
        self.risks = RecordPanel(store, "risk", ["description", "probability", "impact", "year"],
                                 parent_id=self._option_id, stretch="description")
        self.tabs.addTab(self.risks, "R&isks")
        self.tabs.addTab(self._quality_tab(), "&Quality Scores")
        self.option_form = FieldForm(store, "option", ["description", "price_source_note"],
                                     multiline=["description", "price_source_note"])
        self.tabs.addTab(self.option_form, "&Description")
        self.tabs.addTab(self._settings_tab(), "Appraisal &Settings")
        self.tabs.setMinimumHeight(330)
        # The five tabs' names side by side at 1024x768, not scrolled by arrows.
        self.tabs.setStyleSheet("QTabBar::tab { padding: 6px 6px; }")
        self.card("The chosen option", self.tabs)

    def _costs_tab(self) -> QWidget:
        costs = QWidget()
        layout = QVBoxLayout(costs)
        layout.setContentsMargins(4, 6, 4, 4)  # the grid's room at 1024x768
        bar = QHBoxLayout()
        self.costs_caption = label("Choose an option to see its costs.", name="muted", wrap=True)
        bar.addWidget(self.costs_caption, 1)
        self.add_line = button("Add Cost Line", "Add a cost line")
        self.delete_line = button("Delete Line", "Delete the selected cost line")
        self.add_line.clicked.connect(self._add_line)
        self.delete_line.clicked.connect(self._delete_line)
        bar.addWidget(self.add_line)
        bar.addWidget(self.delete_line)
        layout.addLayout(bar)
        self.cost_model = CostGridModel(self.store, self)
        self.grid = CostGrid(self.cost_model, self)
        self.costs_caption.setBuddy(self.grid)
        self.grid.setItemDelegate(ChoiceDelegate(self.cost_model, self.grid))
        # Scrolled to the later years, each line's category stays in sight.
        pinned = pin_first_column(self.grid, "Cost line categories")
        pinned.setItemDelegate(ChoiceDelegate(self.cost_model, pinned))
        fit_height(self.grid, 10)
        layout.addWidget(self.grid, 1)
        # The chosen line's VAT and description, when the grid has no room for them.
        self.line_form = FieldForm(self.store, "cost_line", ["vat", "description"])
        self.line_form.setVisible(False)
        layout.addWidget(self.line_form)
        self.grid.selectionModel().currentRowChanged.connect(lambda *_a: self._show_line())
        # A column is marked hidden only after its width goes to nought: look once it is.
        self.grid.horizontalHeader().sectionResized.connect(
            lambda *_a: QTimer.singleShot(0, self._show_line))
        self._new_line: int | None = None
        self.cost_model.modelReset.connect(self._choose_new_line)
        self.cost_model.modelReset.connect(self._show_line)
        self.costs_note = label("", name="muted", wrap=True)
        layout.addWidget(self.costs_note)
        self.cost_model.dataChanged.connect(lambda *_a: self._show_costs_note())
        self.cost_model.modelReset.connect(self._show_costs_note)
        self._show_costs_note()
        return costs

    def _show_line(self) -> None:
        """The form of the chosen line's VAT and description, while the grid folds them away."""
        folded = self.grid.isColumnHidden(1) or self.grid.isColumnHidden(2)
        index = self.grid.currentIndex()
        line = (self.cost_model.row_at(index.row()).id if index.isValid()
                and not self.cost_model.is_total(index.row()) else None)
        self.line_form.set_row(line if folded else None)
        self.line_form.setVisible(folded and line is not None)

    def _show_costs_note(self) -> None:
        self.costs_note.setText(
            "Amounts in base-year prices excluding VAT, year 0 first"
            + (" (k thousands, m millions: hover over one, or edit it, to see it whole)"
               if self.cost_model.short else "")
            + ". Paste a block straight from Excel with Ctrl+V.")

    def _quality_tab(self) -> QWidget:
        store = self.store
        quality = QWidget()
        q_layout = QVBoxLayout(quality)
        q_layout.setContentsMargins(4, 6, 4, 4)
        q_bar = QHBoxLayout()
        q_bar.addWidget(label("Every option scored 0-10 on each criterion; weights are "
                              "relative.", name="muted", wrap=True), 1)
        self.add_criterion = button("Add Criterion", "Add a quality criterion")
        self.delete_criterion = button("Delete Criterion", "Delete the selected criterion")
        self.add_criterion.clicked.connect(
            lambda: store.add("quality_criterion", store.review_id) if store.review_id else None)
        self.delete_criterion.clicked.connect(self._delete_criterion)
        q_bar.addWidget(self.add_criterion)
        q_bar.addWidget(self.delete_criterion)
        q_layout.addLayout(q_bar)
        self.quality_model = QualityModel(store, self)
        self.quality = QTableView()
        self.quality.setAccessibleName("Quality scores")
        self.quality.setModel(self.quality_model)
        PasteKeys(self.quality, self.quality_model)
        excel_table(self.quality)
        # Short of room, the options' names turn to read upwards above their scores.
        fit_columns(self.quality, 0, turn=2)
        fit_height(self.quality, 12)
        q_layout.addWidget(self.quality)
        return quality

    def _settings_tab(self) -> QWidget:
        settings_box = QWidget()
        box = QVBoxLayout(settings_box)
        self.settings_form = FieldForm(self.store, "appraisal_settings", SETTINGS_FIELDS)
        for name, (placeholder, tip) in SETTINGS_WHEN_BLANK.items():
            editor = self.settings_form.editor(name)
            assert isinstance(editor, QLineEdit)
            editor.setPlaceholderText(placeholder)
            editor.setToolTip(tip)
        self.setup_button = button("Set Up the Appraisal", "Set up the appraisal settings")
        self.setup_button.clicked.connect(self._add_settings)
        box.addWidget(self.setup_button)
        box.addWidget(self.settings_form)
        box.addStretch(1)
        self.store.on_loaded(self._show_settings)
        self.store.rows_changed.connect(lambda name: self._show_settings()
                                        if name == "appraisal_settings" else None)
        return settings_box

    def _results_card(self) -> None:
        results = QWidget()
        r_layout = QVBoxLayout(results)
        r_layout.setContentsMargins(0, 0, 0, 0)
        self.recommendation = label("", name="complete", wrap=True)
        self.recommendation.setAccessibleName("Recommendation")
        r_layout.addWidget(self.recommendation)
        self.results_model = DtoTableModel(RESULT_COLUMNS, parent=self)
        self.results = QTableView()
        self.results.setAccessibleName("Appraisal results")
        self.results.setModel(self.results_model)
        excel_table(self.results)
        self.results.verticalHeader().hide()
        # Short of room, the price and quality scores, cost per home and per year step aside
        # (in that order) to the row's tooltip and the chosen option's line below the table.
        fit_columns(self.results, 1, fold=(6, 7, 4, 3))
        fit_height(self.results, 8)
        r_layout.addWidget(self.results)
        self.figures = label("", name="muted", wrap=True, selectable=True)
        self.figures.setAccessibleName("Chosen result's figures")
        self.results.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_figures(current.row()))
        r_layout.addWidget(self.figures)
        self.decision = label("", wrap=True, selectable=True)
        self.decision.setAccessibleName("Decision statements and warnings")
        self.decision.setTextFormat(Qt.TextFormat.RichText)
        r_layout.addWidget(self.decision)
        self.tornado = ChartWithTable("Sensitivity")
        self.tornado.view.setMinimumHeight(320)  # room for a label on each of eight bars
        r_layout.addWidget(self.tornado)
        self.no_tornado = label(NO_TORNADO, name="muted", wrap=True)
        self.no_tornado.setAccessibleName("Sensitivity")
        r_layout.addWidget(self.no_tornado)
        self._show_tornado([])
        self.card("Results", results)

    # --- options and lines ----------------------------------------------------------------

    def _option_id(self) -> int | None:
        return self.options.selected_id()

    def _option_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        option_id = self.options.model.row_at(current.row()).id if current.isValid() else None
        self.cost_model.set_option(option_id)
        self.option_form.set_row(option_id)
        self.risks.model.set_option(option_id)
        self.risks._update_buttons()
        self._show_caption()
        editable = option_id is not None and not self.store.locked
        self.add_line.setEnabled(editable)
        self.delete_line.setEnabled(editable)

    def _show_caption(self) -> None:
        option_id = self._option_id()
        name = self.store.value("option", option_id, "name") if option_id else None
        # Alt+L goes to the grid (the caption is its buddy); a name's own "&" is shown as is.
        shown = name.replace("&", "&&") if name else ""
        self.costs_caption.setText(f"Cost &lines of \u201c{shown}\u201d" if name
                                   else "Choose an option to see its costs.")

    def _renamed(self, entity: str, row_id: int, field: str, _value: Any) -> None:
        if entity == "option" and field == "name" and row_id == self._option_id():
            self._show_caption()

    def _add_line(self) -> None:
        """Add a cost line; once it is shown it is the chosen line (its VAT and description in
        the form under the grid when the grid has no room for them)."""
        option_id = self._option_id()
        if option_id is not None:
            self.store.add("cost_line", option_id, on_added=self._line_added)

    def _line_added(self, row: Row) -> None:
        self._new_line = row.id
        self._choose_new_line()

    def _choose_new_line(self) -> None:
        model = self.cost_model
        for number in range(model.lines):
            if model.row_at(number).id == self._new_line:
                self._new_line = None
                self.grid.setCurrentIndex(model.index(number, 0))
                return

    def _delete_line(self) -> None:
        index = self.grid.currentIndex()
        if index.isValid() and not self.cost_model.is_total(index.row()):
            self.store.delete("cost_line", self.cost_model.row_at(index.row()).id)

    def _delete_criterion(self) -> None:
        index = self.quality.currentIndex()
        if index.isValid():
            self.store.delete("quality_criterion",
                              self.quality_model.criterion_at(index.row()).id)

    def _show_settings(self) -> None:
        rows = self.store.rows_of("appraisal_settings")
        self.setup_button.setVisible(not rows)
        self.setup_button.setEnabled(not self.store.locked)
        self.settings_form.setVisible(bool(rows))
        self.settings_form.set_row(rows[0].id if rows else None)

    def _add_settings(self) -> None:
        """Set up the appraisal from the settings it is worked out with now, so no figure
        moves until the user changes one."""
        review_id = self.store.review_id
        if review_id is not None:
            self.store.ctx.run_db(appraisal.settings_in_use, review_id,
                                  on_done=lambda values: self.store.add(
                                      "appraisal_settings", review_id, values),
                                  on_error=self._show_problem)

    # --- results ----------------------------------------------------------------------------

    def request_appraisal(self) -> None:
        """Appraise the review again once the edits now being saved are in (debounced)."""
        if self.store.review_id is not None:
            self._appraise_timer.start()

    def _appraise(self) -> None:
        review_id = self.store.review_id
        if review_id is None:
            return
        self._asked += 1
        asked = self._asked
        # Queued behind the saves already sent, so it reads what the user has entered.
        self.store.ctx.run_db(appraisal.appraise_review, review_id,
                              on_done=lambda result: self._appraised(asked, review_id, result),
                              on_error=lambda exc: self._appraised(asked, review_id, exc))

    def _appraised(self, asked: int, review_id: int,
                   outcome: AppraisalResult | BaseException) -> None:
        if asked != self._asked or review_id != self.store.review_id:
            return  # a newer appraisal is on its way, or another review is open
        if isinstance(outcome, BaseException):
            self._clear_results()
            self._show_problem(outcome)
            return
        self.show_result(outcome)

    def _review_loaded(self) -> None:
        """Another review (or the same one again): nothing of the last one stays on screen."""
        if self.store.review_id != self._shown_review:
            self._shown_review = self.store.review_id
            self._clear_results()
            self._option_chosen(self.options.table.currentIndex(), QModelIndex())
        self.workbook.follow_lock()
        self.request_appraisal()

    def _clear_results(self) -> None:
        self.result = None
        self.results_model.set_rows([])
        self._show_figures(-1)
        self._headline("", good=False)
        self.decision.setText("")
        self._show_tornado([])

    def show_result(self, result: AppraisalResult) -> None:
        self.result = result
        chosen = self.results.currentIndex().row()
        self.results_model.set_rows(sorted(result.options, key=lambda o: o.rank))
        self._show_figures(chosen if 0 <= chosen < len(result.options) else 0)
        if not result.options:
            self._headline("Add the options to appraise.", good=False)
        elif result.recommended:
            self._headline(
                f"<b>Recommended: {result.recommended}</b> (price weight "
                f"{result.price_weight:g}%, discounted over {len(result.discount_factors)} "
                f"years, VAT {result.vat_rate_pct:g}%)", good=True)
        else:
            uncosted = [o.name for o in result.options if not any(o.yearly_costs)]
            self._headline("No recommendation yet: " + (
                f"enter the costs of {_joined(uncosted)}." if uncosted else
                "every option needs its costs, and the quality scores for each criterion."),
                good=False)
        self.decision.setText(_decision_html(result))
        self._show_tornado([(f"{b.option}: {b.category.label}", b.low, b.high)
                            for b in result.tornado(20)[:8]])

    def _show_tornado(self, bars: Sequence[tuple[str, float, float]]) -> None:
        """The sensitivity chart, or (with nothing to chart) a sentence of what it will show."""
        if bars:
            show_tornado(self.tornado, TORNADO_TITLE, bars)
        else:
            self.tornado.reset(TORNADO_TITLE)
        self.tornado.setVisible(bool(bars))
        self.no_tornado.setVisible(not bars)

    def _show_figures(self, row: int) -> None:
        """Every figure of one option in the results (the chosen row, else the first), in
        words: the table itself keeps to the key figures when room is short."""
        if not 0 <= row < self.results_model.rowCount():
            self.figures.setText("")
            return
        o = self.results_model.row_at(row)
        per_home = ("" if o.cost_per_home is None else
                    f", {_money(o.cost_per_home)} per home")
        eligible = "eligible" if o.eligible else "not eligible: below the quality threshold"
        self.figures.setText(
            f"<b>{html.escape(o.name)}</b>: net present cost {_money(o.npc)}, "
            f"{_money(o.eac)} a year (EAC){per_home}; quality {fixed(o.quality_pct, 0)}%. "
            f"Price score {fixed(o.price_score, 1)} + quality score "
            f"{fixed(o.quality_score, 1)} = {fixed(o.total_score, 1)}; {eligible}.")

    def _headline(self, text: str, *, good: bool) -> None:
        self.recommendation.setObjectName("complete" if good else "missing")
        self.recommendation.setText(text)
        self.recommendation.setVisible(bool(text))
        self.recommendation.style().unpolish(self.recommendation)
        self.recommendation.style().polish(self.recommendation)

    def _show_problem(self, exc: BaseException) -> None:
        self._headline(exc.message if isinstance(exc, BvdeskError) else str(exc), good=False)


class AppraisalWorkbook(QObject):
    """Export to Excel and Import from Excel, under the Compete stage's heading: the review's
    whole appraisal (settings, options, costs, quality scores, risks) out to a workbook and back.

    Both run on the background runner with progress and Cancel; a cancel leaves no file and no
    change. A workbook with problems changes nothing, and every problem is listed with its sheet
    and cell. When the review's appraisal changed after the workbook was made from it, the
    person chooses to replace those changes or keep them (``--replace-changes`` on the command
    line). A signed-off review can be exported but not imported into.
    """

    def __init__(self, page: CompetePage) -> None:
        super().__init__(page)
        self._page = page
        self._store = page.store
        self.export_button = button(
            "Export to Excel...", "Export the appraisal to Excel",
            tip="Save this review's options, costs, quality scores, risks and settings as an "
                "Excel workbook, to fill in or share")
        self.import_button = button("Import from Excel...", "Import the appraisal from Excel")
        self.export_button.clicked.connect(self.export_workbook)
        self.import_button.clicked.connect(self.import_workbook)
        # A row of their own under the stage's title and purpose: beside the title and the
        # Stage Guide button they would not fit 1024x768 at 200%.
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        page.body.insertLayout(2, row)
        self.follow_lock()

    def follow_lock(self) -> None:
        """Import is refused on a signed-off review: the button says so before it is tried."""
        locked = self._store.locked
        self.import_button.setEnabled(not locked)
        self.import_button.setToolTip(
            LOCKED_TIP if locked else
            "Replace this review's options, costs, quality scores, risks and settings with "
            "those of an appraisal workbook (one exported here, or from bvdesk template "
            "appraisal)")

    # --- export ------------------------------------------------------------------------------

    def export_workbook(self) -> None:
        review_id = self._store.review_id
        if review_id is not None:
            self._store.ctx.run_db(
                _suggested_name, review_id,
                on_done=lambda name: self._ask_path(
                    "Export to Excel", name, QFileDialog.AcceptMode.AcceptSave,
                    lambda path: self.export_to(review_id, path)),
                on_error=self._failed)

    def export_to(self, review_id: int, path: Path) -> None:
        self._store.ctx.run_db(_export, review_id, path, with_state=True,
                               on_done=self._exported, on_error=self._failed,
                               label="Exporting the appraisal to Excel", progress=True,
                               cancellable=True)

    def _exported(self, path: Path) -> None:
        self._status(f"Exported to {path.name}")
        tell(self._page, "Appraisal Exported",
             f"This review's appraisal is in {path.name}. Change the figures in Excel, "
             "then bring them back with Import from Excel on this stage.",
             details=str(path))

    # --- import ------------------------------------------------------------------------------

    def import_workbook(self) -> None:
        review_id = self._store.review_id
        if review_id is not None and not self._store.locked:
            self._ask_path("Import from Excel", "", QFileDialog.AcceptMode.AcceptOpen,
                           lambda path: self.import_from(review_id, path))

    def import_from(self, review_id: int, path: Path, replace_changes: bool = False) -> None:
        """Replace review ``review_id``'s appraisal with the workbook at ``path``, in the
        background; with ``replace_changes``, even if it changed since the workbook was made."""
        self._store.ctx.run_db(
            _import, review_id, path, replace_changes, with_state=True,
            on_done=lambda summary: self._imported(path, summary),
            on_error=lambda exc: self._not_imported(review_id, path, exc),
            label="Importing the appraisal from Excel", progress=True, cancellable=True)

    def _imported(self, path: Path, summary: ReplaceSummary) -> None:
        store = self._store
        if summary.review_id == store.review_id:
            store.ctx.undo.clear()  # the rows the undo steps name were replaced
            store.reload()
        self._status(f"Imported {path.name}")
        tell(self._page, "Appraisal Imported",
             f"This review's appraisal now comes from {path.name}: "
             f"{count(summary.options, 'option')}, "
             f"{count(summary.cost_lines, 'cost line')}, "
             f"{count(summary.criteria, 'quality criterion', 'quality criteria')} with "
             f"{count(summary.scores, 'score')}, {count(summary.risks, 'risk')}, and its "
             "appraisal settings. The results below are worked out from them.")

    def _not_imported(self, review_id: int, path: Path, exc: BaseException) -> None:
        if isinstance(exc, AppraisalChangedSinceWorkbook):
            self._ask_replace(review_id, path, exc)
        elif isinstance(exc, AppraisalImportRefused):
            box = QMessageBox(QMessageBox.Icon.Warning, "Workbook Not Imported", exc.message,
                              parent=self._page)
            if len(exc.issues) > SHOWN_ISSUES:
                box.setDetailedText("\n".join(str(issue) for issue in exc.issues))
            box.setAccessibleName("Error message")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
        else:
            self._failed(exc)

    def _ask_replace(self, review_id: int, path: Path,
                     changed: AppraisalChangedSinceWorkbook) -> None:
        """The appraisal changed after the workbook was made: replace those changes, or not."""
        box = QMessageBox(QMessageBox.Icon.Question, "Appraisal Changed Since the Workbook",
                          f"{changed.what_changed}\n\nReplace those changes with the "
                          f"workbook's figures, or keep them? To keep them and add your "
                          "figures, export a new workbook and copy your figures into it.",
                          parent=self._page)
        replace_them = box.addButton("Replace the Changes", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Keep the Changes", QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            if box.clickedButton() is replace_them:
                self.import_from(review_id, path, replace_changes=True)
            else:
                self._status(f"Nothing was imported from {path.name}; the review's appraisal "
                             "is as it was.")

        box.finished.connect(lambda _code: answered())
        box.open()

    # --- both --------------------------------------------------------------------------------

    def _ask_path(self, title: str, name: str, mode: QFileDialog.AcceptMode,
                  then: Callable[[Path], None]) -> None:
        dialog = QFileDialog(self._page, title, str(Path.home() / name), WORKBOOK_FILTER)
        dialog.setAcceptMode(mode)
        if mode is QFileDialog.AcceptMode.AcceptSave:
            dialog.setDefaultSuffix("xlsx")
            dialog.selectFile(name)
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: then(Path(path)))
        dialog.open()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self._status(exc.message)
        else:
            show_error(self._page, exc)

    def _status(self, text: str) -> None:
        window = self._page.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 15000)



def _suggested_name(db: Any, review_id: int) -> str:
    """'Northvale Homes - Responsive repairs review 2009-10 - options appraisal.xlsx'."""
    workbook = Path(review_file_name(db, review_id, "workbook")).stem
    return workbook.removesuffix(DOCUMENTS["workbook"]) + "options appraisal.xlsx"


def _export(db: Any, review_id: int, path: Path, *, progress: Callable[[float], None],
            cancelled: Callable[[], bool]) -> Path:
    return appraisal.write_template(path, db=db, review_id=review_id, progress=progress,
                                    cancelled=cancelled)


def _import(db: Any, review_id: int, path: Path, replace_changes: bool, *,
            progress: Callable[[float], None], cancelled: Callable[[], bool]) -> ReplaceSummary:
    return appraisal.import_appraisal(db, review_id, path, replace_changes=replace_changes,
                                      progress=progress, cancelled=cancelled)


def _joined(names: Sequence[str]) -> str:
    quoted = [f"\u201c{name}\u201d" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _decision_html(result: AppraisalResult) -> str:
    parts = []
    switching = switching_sentence(result.switching_value_pct, result.switching_between)
    if switching:
        parts.append(f"<p>{html.escape(switching)}</p>")
    if result.decision:
        parts.append("<p><b>Decision:</b></p><ul>"
                     + "".join(f"<li>{html.escape(d)}</li>" for d in result.decision)
                     + "</ul>")
    if result.warnings:
        parts.append("<p><b>Warnings:</b></p><ul>"
                     + "".join(f"<li>{html.escape(w)}</li>" for w in result.warnings)
                     + "</ul>")
    return "".join(parts)
