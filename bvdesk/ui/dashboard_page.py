"""Home: where the landlord stands among its peers, what must be market-tested, and every
review's progress.

Shown first at start-up, so it loads nothing of the database layer itself: its figures come
from the worker, or from the copy kept when the database was last closed.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bvdesk.domain.vocabulary import Stage
from bvdesk.operations.home_figures import Dashboard, ReviewStatus
from bvdesk.ui.benchmark_columns import BENCHMARK_COLUMNS
from bvdesk.ui.context import AppContext
from bvdesk.ui.models import Column, DtoTableModel
from bvdesk.ui.widgets import Card, PageHeader, button, excel_table, label


def _next_need(status: ReviewStatus) -> str:
    if status.summary.locked:  # what it lacked when signed off cannot be added now
        return "Nothing: signed off and read-only"
    for stage in Stage:
        items = status.needs.missing(stage)
        if items:
            return f"{stage.label}: {items[0]}"
    return "Nothing: ready to sign off"


REVIEW_COLUMNS = (
    Column("Review", lambda s: s.summary.title),
    Column("Stage", lambda s: f"{Stage(s.summary.stage).position + 1}. {s.summary.stage_label}",
           sort=lambda s: Stage(s.summary.stage).position),
    Column("Still needed", lambda s: "Signed off" if s.summary.locked else
           f"{s.needs.total} item{'s' if s.needs.total != 1 else ''}",
           sort=lambda s: s.needs.total),
    Column("Next", _next_need, tip=_next_need),
)

FLAG_COLUMNS = (
    Column("Service", lambda f: f.service_name),
    Column("Bottom-quartile indicators", lambda f: ", ".join(f.indicators)),
)


class Figure(Card):
    """One big number with its caption."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.number = label("-", name="bigNumber")
        self.caption = label(caption, name="muted", wrap=True)
        self.body.addWidget(self.number)
        self.body.addWidget(self.caption)
        self.setAccessibleName(caption)

    def set_value(self, value: int | str) -> None:
        self.number.setText(str(value))
        self.setAccessibleDescription(f"{self.caption.text()}: {value}")


def _table(name: str, model: DtoTableModel, stretch: int) -> QTableView:
    table = QTableView()
    table.setAccessibleName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    excel_table(table)
    return table


class DashboardPage(QScrollArea):
    """The landlord's home screen.

    Signals:
        open_review(int): the user chose a review.
        start_review(str, str, list): start a review of a service (code, suggested title,
            indicator codes to link).
        import_requested(): the user wants to import indicator values.
    """

    open_review = Signal(int)
    start_review = Signal(str, str, list)
    import_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.data: Dashboard | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 18, 24, 18)
        self.header = PageHeader("Home", "")
        layout.addWidget(self.header)

        self.start_card = Card("Start here: import indicator values")
        self.start_card.body.addWidget(label(
            "bvdesk compares your performance with your peers' from the indicator values you "
            "import from Excel: your own returns and the peer benchmarking club's. Once they "
            "are in, this page shows where you stand, which services must be market-tested, "
            "and how far each review has got.", wrap=True))
        start_row = QHBoxLayout()
        self.import_button = button("&Import Indicator Values...",
                                    "Import indicator values from Excel", primary=True)
        self.import_button.clicked.connect(self.import_requested.emit)
        start_row.addWidget(self.import_button)
        start_row.addStretch(1)
        self.start_card.body.addLayout(start_row)
        self.start_card.setVisible(False)
        layout.addWidget(self.start_card)

        figures = QGridLayout()
        self.benchmarked = Figure("indicators benchmarked")
        self.bottom = Figure("in the bottom quartile")
        self.persistent = Figure("persistently in the bottom quartile")
        self.open_reviews = Figure("reviews in progress")
        for column, figure in enumerate((self.benchmarked, self.bottom, self.persistent,
                                         self.open_reviews)):
            figures.addWidget(figure, 0, column)
        layout.addLayout(figures)

        self.trigger_model = DtoTableModel(FLAG_COLUMNS, parent=self)
        trigger = Card("Services that must be market-tested")
        trigger.body.addWidget(label(
            "A service with indicators in the bottom quartile must consider an externally "
            "tested option (the competition trigger).", name="muted", wrap=True))
        self.trigger_note = label("", name="missing", wrap=True)
        self.trigger_note.setVisible(False)
        trigger.body.addWidget(self.trigger_note)
        self.trigger_table = _table("Services that must be market-tested", self.trigger_model,
                                    1)
        self.trigger_table.setMaximumHeight(170)
        self.trigger_table.setToolTip("Double-click a service (or press Enter) to open its "
                                      "review, or to start one")
        self.trigger_table.activated.connect(self._service_chosen)
        trigger.body.addWidget(self.trigger_table)
        layout.addWidget(trigger)

        self.review_model = DtoTableModel(REVIEW_COLUMNS, parent=self)
        reviews = Card("Reviews by stage")
        self.review_table = _table("Reviews by stage", self.review_model, 3)
        self.review_table.setMaximumHeight(180)
        self.review_table.activated.connect(
            lambda index: self.open_review.emit(self.review_model.row_at(index.row())
                                                .summary.id))
        reviews.body.addWidget(self.review_table)
        layout.addWidget(reviews)

        self.indicator_model = DtoTableModel(BENCHMARK_COLUMNS, parent=self)
        indicators = Card("Every indicator, latest year")
        self.indicator_caption = label("", name="muted", wrap=True)
        indicators.body.addWidget(self.indicator_caption)
        self.indicator_table = _table("Indicators with their latest quartile",
                                      self.indicator_model, 1)
        self.indicator_table.setMinimumHeight(360)
        indicators.body.addWidget(self.indicator_table)
        layout.addWidget(indicators, 1)
        self.setWidget(content)
        ctx.database_changed.connect(self.refresh)
        ctx.data_changed.connect(self._data_changed)
        #: A review changed while the page was hidden: read again when it is next shown.
        self._stale = False

    def _data_changed(self, what: str) -> None:
        # A review is edited field by field: the page follows it when next shown (its reviews
        # by stage went on showing a new review missing, or a signed-off one still at Scope).
        if what != "review" or self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt name
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._stale = False
        if self._ctx.db is not None:
            from bvdesk.operations import dashboard  # loaded with the database layer

            self._ctx.run_db(dashboard.dashboard, on_done=self.show_figures,
                             label="Benchmarking", progress=True)

    def show_figures(self, data: Dashboard) -> None:
        """Show ``data``: read from the database, or the copy kept from the last session."""
        self.data = data
        report = data.benchmark
        in_progress = [s for s in data.reviews if not s.summary.locked]
        self.open_reviews.set_value(len(in_progress))
        self.review_model.set_rows(data.reviews)
        self.start_card.setVisible(report is None)
        if report is None:
            self.header.set_text(f"{data.landlord}", "No indicator values yet: import them "
                                 "to see where you stand.")
            for figure in (self.benchmarked, self.bottom, self.persistent):
                figure.set_value("-")
            self.trigger_model.set_rows([])
            self.indicator_model.set_rows([])
            return
        group = report.peer_group or "all peers"
        self.header.set_text(data.landlord, f"Financial year {report.year}, compared with "
                             f"{group}. Quartile 1 is always the best performing quarter.")
        self.benchmarked.set_value(len(report.rows))
        self.bottom.set_value(len(report.compete_trigger.indicators))
        self.persistent.set_value(len(report.intervention_risk.indicators))
        self.trigger_model.set_rows(report.compete_trigger.services)
        self.trigger_note.setVisible(bool(data.unreviewed_trigger))
        self.trigger_note.setText("No review covers: " + ", ".join(data.unreviewed_trigger)
                                  + ". Double-click one to start its review.")
        self.indicator_caption.setText(
            f"Persistent: {', '.join(report.intervention_risk.indicators) or 'none'}. "
            "Colour always comes with the quartile in words.")
        self.indicator_model.set_rows(report.rows)



    def _service_chosen(self, index: QModelIndex) -> None:
        """Open the service's review in progress (else its latest), or start one."""
        if self.data is None or self.data.benchmark is None:
            return
        flagged = self.trigger_model.row_at(index.row())
        covering = [s.summary for s in self.data.reviews
                    if s.summary.service_code == flagged.service]
        if covering:
            chosen = next((s for s in reversed(covering) if not s.locked), covering[-1])
            self.open_review.emit(chosen.id)
            return
        title = f"{flagged.service_name}: Best Value review {self.data.benchmark.year}"
        self.start_review.emit(flagged.service or "", title, list(flagged.indicators))
