"""The Reviews screen: services on the left, their reviews, and the chosen review's summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bvdesk.domain.vocabulary import Stage
from bvdesk.errors import BvdeskError
from bvdesk.operations import dashboard, editing, reviews
from bvdesk.operations.dashboard import ReviewNeeds
from bvdesk.operations.reviews import ReviewDetail, ReviewSummary, ServiceSummary
from bvdesk.ui.context import AppContext
from bvdesk.ui.models import Column, DtoTableModel, RowRole, SortRole
from bvdesk.ui.pickers import IndicatorPicker
from bvdesk.ui.stagestrip import StageStrip
from bvdesk.ui.widgets import (
    Card,
    PageHeader,
    SortFilter,
    button,
    excel_table,
    fit_columns,
    label,
    search_box,
)

ALL_SERVICES = -1


def _status(r: ReviewSummary) -> str:
    return f"Signed off (v{r.version})" if r.locked else "In progress"


REVIEW_COLUMNS = (
    Column("Review", lambda r: r.title),
    Column("Service", lambda r: r.service),
    Column("Stage", lambda r: f"{Stage(r.stage).position + 1}. {r.stage_label}",
           sort=lambda r: Stage(r.stage).position),
    Column("Status", _status,
           colours=lambda r: ("#e8eaf6", "#1a237e") if r.locked else None),
)


class ReviewsPage(QWidget):
    """Lists services and reviews; shows the selected review's summary.

    Signals:
        open_review(int): the user asked to open a review's workspace.
    """

    open_review = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._services: list[ServiceSummary] = []
        self._reviews: list[ReviewSummary] = []
        self._setup_ui()
        ctx.database_changed.connect(self.refresh)
        ctx.data_changed.connect(lambda _what: self.refresh())

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        self.header = PageHeader("Reviews", "Every Best Value review, by the service it covers. "
                                 "Choose one to see its summary; open it to work on it.")
        self.new_button = button("&New Review...", "New review", primary=True)
        self.new_button.clicked.connect(self.new_review)
        self.header.buttons.addWidget(self.new_button)
        layout.addWidget(self.header)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        services_card = Card("Services")
        self.services = QListWidget()
        self.services.setAccessibleName("Services")
        self.services.setWordWrap(True)
        self.services.currentRowChanged.connect(self._apply_filter)
        services_card.body.addWidget(self.services)
        splitter.addWidget(services_card)

        right = QSplitter(Qt.Orientation.Vertical)
        reviews_card = Card("Reviews")
        self.filter = search_box("Filter reviews",
                                 "Filter by any word: title, service, stage or status")
        reviews_card.body.addWidget(self.filter)
        self.model = DtoTableModel(REVIEW_COLUMNS, parent=self)
        self.proxy = SortFilter(SortRole, self)
        self.proxy.setSourceModel(self.model)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setAccessibleName("Reviews")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        excel_table(self.table)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        fit_columns(self.table, 0)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.table.doubleClicked.connect(lambda _i: self._open_current())
        self.table.activated.connect(lambda _i: self._open_current())
        reviews_card.body.addWidget(self.table)
        right.addWidget(reviews_card)

        self.summary = ReviewSummaryPanel()
        self.summary.open_button.clicked.connect(self._open_current)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.summary)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        right.addWidget(scroll)
        right.setSizes([330, 370])
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([250, 900])
        layout.addWidget(splitter, 1)

    # --- data ----------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._ctx.db is None:
            return

        def load(db: Any) -> tuple[list[ServiceSummary], list[ReviewSummary]]:
            return reviews.list_services(db), reviews.list_reviews(db)

        self._ctx.run_db(load, on_done=self._loaded)

    def _loaded(self, result: tuple[list[ServiceSummary], list[ReviewSummary]]) -> None:
        selected = self.current_review_id()
        self._services, self._reviews = result
        current_service = self._current_service_id()
        self.services.blockSignals(True)
        self.services.clear()
        all_item = QListWidgetItem(f"All services ({len(self._reviews)})")
        all_item.setData(Qt.ItemDataRole.UserRole, ALL_SERVICES)
        self.services.addItem(all_item)
        row = 0
        for number, service in enumerate(self._services, start=1):
            item = QListWidgetItem(f"{service.name} ({service.reviews})")
            item.setData(Qt.ItemDataRole.UserRole, service.id)
            self.services.addItem(item)
            if service.id == current_service:
                row = number
        self.services.setCurrentRow(row)
        self.services.blockSignals(False)
        self._apply_filter()
        if selected is not None:
            self.select_review(selected)
        elif self.proxy.rowCount():
            self.table.selectRow(0)

    def _current_service_id(self) -> int:
        item = self.services.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ALL_SERVICES

    def _apply_filter(self) -> None:
        service_id = self._current_service_id()
        names = {s.id: s.name for s in self._services}
        chosen = [r for r in self._reviews
                  if service_id == ALL_SERVICES or r.service == names.get(service_id)]
        self.model.set_rows(chosen)
        if not chosen:
            self.summary.show_detail(None)

    def current_review_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.mapToSource(rows[0]).data(RowRole).id if rows else None

    def select_review(self, review_id: int) -> None:
        row = self.model.find(lambda r: r.id == review_id)
        if row >= 0:
            self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        review_id = self.current_review_id()
        if review_id is None:
            self.summary.show_detail(None)
            return
        self._ctx.run_db(reviews.review_detail, review_id, on_done=self._show_if_current)
        # What each stage holds, for the strip's ticks: after the summary, as it benchmarks.
        self._ctx.run_db(dashboard.review_needs, review_id, on_done=self._needs_if_current)

    def _show_if_current(self, detail: ReviewDetail) -> None:
        if detail.summary.id == self.current_review_id():
            self.summary.show_detail(detail)

    def _needs_if_current(self, needs: ReviewNeeds) -> None:
        if needs.review_id == self.current_review_id():
            self.summary.show_needs(needs)

    def _open_current(self) -> None:
        review_id = self.current_review_id()
        if review_id is not None:
            self.open_review.emit(review_id)

    # --- new review ------------------------------------------------------------------------

    def new_review(self, service_code: str | None = None, title: str = "",
                   indicators: Sequence[str] = ()) -> None:
        """Ask for a new review's service, title and indicators (some may be suggested)."""
        if self._ctx.db is None:
            return

        def load(db: Any) -> tuple[list[ServiceSummary], list[tuple[str, str, tuple[str, ...]]]]:
            return reviews.list_services(db), editing.indicator_choices(db)

        def ask(result: tuple[list[ServiceSummary],
                              list[tuple[str, str, tuple[str, ...]]]]) -> None:
            self._services, catalogue = result
            current = next((s.id for s in self._services if s.code == service_code),
                           self._current_service_id())
            dialog = NewReviewDialog(self._services, current, catalogue, self)
            dialog.title.setText(title)
            dialog.picker.set_checked(indicators)
            dialog.accepted_values.connect(lambda values: self._create(dialog, values))
            dialog.open()

        self._ctx.run_db(load, on_done=ask)

    def _create(self, dialog: NewReviewDialog, values: tuple[str, str, list[str]]) -> None:
        service, title, codes = values

        def created(review_id: int) -> None:
            dialog.accept()
            self.open_review.emit(review_id)

        self._ctx.run_db(reviews.create_review, service, title, codes, on_done=created,
                         on_error=dialog.show_problem, label="Creating the review")


class ReviewSummaryPanel(QWidget):
    """A review at a glance: stage, scope, team, indicators and how far each C has got."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.card = Card("")
        self.card.title_label.setObjectName("pageTitle")
        self.card.title_label.setWordWrap(True)
        self.card.body.addWidget(self.card.title_label)
        self.subtitle = label("", name="muted", wrap=True)
        self.card.body.addWidget(self.subtitle)
        self.strip = StageStrip()
        self.card.body.addWidget(self.strip)
        self.status = label("", wrap=True)
        self.card.body.addWidget(self.status)
        self.facts = QFormLayout()
        self.facts.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.card.body.addLayout(self.facts)
        row = QHBoxLayout()
        row.addStretch(1)
        self.open_button = button("&Open Review", "Open review workspace", primary=True)
        row.addWidget(self.open_button)
        self.card.body.addLayout(row)
        self.card.body.addStretch(1)
        layout.addWidget(self.card)
        self.empty = label("Choose a review to see its summary.", name="muted", wrap=True)
        layout.addWidget(self.empty)
        self._shown: ReviewSummary | None = None
        self._needs: ReviewNeeds | None = None
        self.show_detail(None)

    def show_detail(self, detail: ReviewDetail | None) -> None:
        self.card.setVisible(detail is not None)
        self.empty.setVisible(detail is None)
        self._shown = detail.summary if detail is not None else None
        if detail is None:
            return
        s = detail.summary
        self.card.title_label.setText(s.title)
        dates = " to ".join(d.strftime("%d %b %Y") for d in (s.start_date, s.end_date) if d)
        self.subtitle.setText(f"{s.service}" + (f"  ·  {dates}" if dates else ""))
        known = self._needs if self._needs and self._needs.review_id == s.id else None
        self.strip.set_stage(Stage(s.stage), locked=s.locked,
                             needs=known.stages if known is not None else None)
        if s.locked:
            by = f" by {detail.signed_off_by}" if detail.signed_off_by else ""
            when = (f" on {detail.signed_off_at:%d %b %Y}" if detail.signed_off_at else "")
            self.status.setText(f"Signed off{by}{when} (version {s.version}). Read-only.")
            self.status.setObjectName("lockedBanner")
        else:
            self.status.setText(f"In progress: stage {Stage(s.stage).position + 1} of "
                                f"{len(Stage)}, {s.stage_label}.")
            self.status.setObjectName("muted")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        while self.facts.rowCount():
            self.facts.removeRow(0)
        team = ", ".join(f"{n}{' (tenant)' if t else ''}" for n, _r, t in detail.team)
        facts = [
            ("Scope", detail.scope or "Not written yet"),
            ("Objectives", detail.objectives or "Not written yet"),
            ("Team", team or "No one yet"),
            ("Indicators", ", ".join(f"{c} {n}" for c, n in detail.indicators) or "None linked"),
            ("Challenge", f"{detail.challenges_answered} of {detail.challenges} questions "
                          "answered"),
            ("Consult", _count(detail.consultations, "consultation activity",
                               "consultation activities")),
            ("Compete", "; ".join(n if n == k else f"{n} ({k})" for n, k in detail.options)
             or "No options yet"),
            ("Improvement plan", _count(detail.actions, "action", "actions")),
            ("Self-assessment", _count(detail.judgements, "judgement", "judgements")),
            ("Evidence", _count(detail.evidence, "file", "files")),
        ]
        for name, value in facts:
            text = label(value, wrap=True, selectable=True)
            text.setAccessibleName(name)
            self.facts.addRow(label(f"<b>{name}</b>"), text)

    def show_needs(self, needs: ReviewNeeds) -> None:
        """Tick the strip's stages by what each holds (until then, as last known)."""
        self._needs = needs
        s = self._shown
        if s is not None and s.id == needs.review_id:
            self.strip.set_stage(Stage(s.stage), locked=s.locked, needs=needs.stages)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}" if n else f"No {many} yet"


class NewReviewDialog(QDialog):
    """Asks for the service, a title and (optionally) indicator codes.

    Signals:
        accepted_values(object): (service code, title, [indicator codes]).
    """

    accepted_values = Signal(object)

    def __init__(self, services: list[ServiceSummary], service_id: int,
                 catalogue: Sequence[tuple[str, str, tuple[str, ...]]] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Review")
        self.setMinimumWidth(520)
        form = QFormLayout(self)
        self.service = QComboBox()
        self.service.setAccessibleName("Service")
        for service in services:
            self.service.addItem(service.name, service.code)
            if service.id == service_id:
                self.service.setCurrentIndex(self.service.count() - 1)
        self.title = QLineEdit()
        self.title.setAccessibleName("Review title")
        self.title.setPlaceholderText("e.g. Responsive repairs Best Value review 2026/27")
        self.picker = IndicatorPicker(checkable=True)
        self.picker.set_items(catalogue)
        self.picker.list.setMinimumHeight(180)
        self.problem = label("", name="fieldError", wrap=True)
        form.addRow("&Service:", self.service)
        form.addRow("&Title:", self.title)
        indicators = label("&Indicators:")
        indicators.setBuddy(self.picker.search)
        form.addRow(indicators, self.picker)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create Review")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept(self) -> None:
        title = self.title.text().strip()
        if not title:
            self.problem.setText("Give the review a title, so you can find it later.")
            self.title.setFocus()
            return
        codes = self.picker.checked_codes()
        self.problem.setText("")
        self.accepted_values.emit((self.service.currentData(), title, codes))

    def show_problem(self, exc: BaseException) -> None:
        """Keep the dialog (and what was typed) open and say what to fix."""
        self.problem.setText(exc.message if isinstance(exc, BvdeskError)
                             else f"The review could not be created: {exc}")
