"""The review's stages, one page each: what the stage is for, what is missing, and its records."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bvdesk.domain.review_content import KLOES
from bvdesk.domain.trajectory import linear_trajectory
from bvdesk.domain.vocabulary import Stage
from bvdesk.domain.years import FinancialYear
from bvdesk.errors import InputRefused
from bvdesk.operations import benchmark, editing, livefigures, readiness, signoff
from bvdesk.operations.benchmark import BenchmarkReport
from bvdesk.operations.dashboard import ReviewNeeds
from bvdesk.operations.opening import Database
from bvdesk.ui.benchmark_columns import BENCHMARK_COLUMNS
from bvdesk.ui.charts import ChartWithTable, show_distribution, show_history
from bvdesk.ui.help import show_help, still_needed
from bvdesk.ui.models import Column, DtoTableModel
from bvdesk.ui.pickers import IndicatorPicker
from bvdesk.ui.widgets import Card, button, excel_table, fit_columns, label, show_error
from bvdesk.ui.workspace.editors import FieldForm, RecordPanel
from bvdesk.ui.workspace.store import ReviewStore

INTROS = {
    Stage.SCOPE: "What the review covers, who is on the team, and the indicators it will use.",
    Stage.CHALLENGE: "Why, whether and how the service is provided. Answer each question "
                     "with evidence; add your own questions.",
    Stage.COMPARE: "How the service performs against peers: value, quartiles, trend and the "
                   "gap to the top quartile for each linked indicator.",
    Stage.CONSULT: "What tenants and others said. Enter survey counts: the % satisfied and "
                   "its 95% confidence interval are worked out as you type.",
    Stage.COMPETE: "The options for delivering the service, their whole-life costs and "
                   "quality, and which offers best value.",
    Stage.IMPROVEMENT_PLAN: "SMART actions: owner, dates, a measurable target or deliverable, "
                            "and the finding each one responds to.",
    Stage.SELF_ASSESSMENT: "How good is the service (0 poor, 1 fair, 2 good, 3 excellent "
                           "stars), and what are its prospects for improvement?",
    Stage.SIGN_OFF: "Board approval and the value for money statement. Once signed off the "
                    "review is read-only everywhere; reopening is explicit and recorded.",
}


#: Needs listed in the box; past this, the first few and how many more (the Stage Guide, F1,
#: lists them all): the standard lines of enquiry's 22 filled a 768-pixel screen.
SHOWN_NEEDS = 6


class NeedsBox(QLabel):
    """What a stage still needs (amber), or that it is complete (green): words, not colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAccessibleName("What this stage still needs")
        self.items: tuple[str, ...] = ()

    def set_items(self, items: tuple[str, ...]) -> None:
        self.items = items
        if items:
            self.setObjectName("missing")
            heading = f"<b>Still needed ({len(items)}):</b>"
            shown = items if len(items) <= SHOWN_NEEDS else items[:SHOWN_NEEDS - 1]
            more = len(items) - len(shown)
            self.setText(heading + _bullets(shown) + (
                f"<p style='margin:2px'>... and {more} more: the Stage Guide (F1) lists them "
                "all.</p>" if more else ""))
            self.setAccessibleDescription(heading + _bullets(items))
        else:
            self.setObjectName("complete")
            self.setText("<b>\u2713 Complete:</b> everything this stage needs is in place.")
            self.setAccessibleDescription(self.text())
        self.style().unpolish(self)
        self.style().polish(self)


def _bullets(items: tuple[str, ...]) -> str:
    return "<ul style='margin:2px'>" + "".join(f"<li>{_escape(i)}</li>" for i in items) + "</ul>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class StagePage(QScrollArea):
    """A stage's page: title, purpose, what is missing, then the stage's own editors.

    Signals:
        moved_on(object): the review was moved on to this ``Stage`` from this page.
    """

    moved_on = Signal(object)

    def __init__(self, store: ReviewStore, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.stage = stage
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        content = QWidget()
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(4, 4, 12, 4)
        heading = QHBoxLayout()
        heading.addWidget(label(f"{stage.position + 1}. {stage.label}", name="pageTitle"), 1)
        self.guide_button = button("Stage Guide (F1)", f"Guide to the {stage.label} stage",
                                   tip="What this stage is for, what the regulator expects, "
                                       "and what this review still needs here")
        self.guide_button.clicked.connect(lambda: show_help(self.window()))
        heading.addWidget(self.guide_button)
        self.body.addLayout(heading)
        self.body.addWidget(label(INTROS[stage], name="pageSubtitle", wrap=True))
        self.needs = NeedsBox()
        self.body.addWidget(self.needs)
        self.move_button: QPushButton | None = None
        if stage != Stage.SIGN_OFF:
            following = list(Stage)[stage.position + 1]
            name = f"{following.position + 1}. {following.label}"
            self.move_button = button(
                f"Move the Review to {name}", f"Move the review on to {name}", primary=True,
                tip=f"{stage.label} has everything it needs: record that the review has "
                    f"reached {following.label} (Edit > Undo puts it back)")
            self.move_button.clicked.connect(lambda _checked=False: self.move_on())
            self.body.addWidget(self.move_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.setWidget(content)
        store.needs_changed.connect(self.set_needs)
        store.field_changed.connect(self._field_changed)
        store.on_loaded(self._offer_move)
        if store.needs is not None:
            self.set_needs(store.needs)

    def set_needs(self, needs: ReviewNeeds) -> None:
        self.needs.set_items(needs.missing(self.stage))
        self._offer_move()

    def _field_changed(self, entity: str, _row_id: int, field: str, _value: object) -> None:
        if entity == "review" and field == "stage":
            self._offer_move()

    def _offer_move(self) -> None:
        """Offer to move the review on from this stage while the review is recorded here,
        the stage has everything it needs and the review is not signed off."""
        if self.move_button is None:
            return
        review, needs = self.store.review, self.store.needs
        self.move_button.setVisible(
            review is not None and needs is not None and not self.store.locked
            and review["stage"] == self.stage.value and not needs.missing(self.stage))

    def move_on(self) -> None:
        """Record the next stage as the one the review has reached: the same undoable edit as
        choosing it in the Stage drop-down; a signed-off review refuses it, saying why."""
        review_id = self.store.review_id
        if review_id is None:
            return
        following = list(Stage)[self.stage.position + 1]
        problem = self.store.edit("review", review_id, "stage", following.value)
        if problem:
            self.store.problem.emit(problem)
        else:
            self.moved_on.emit(following)

    def help_topic(self) -> tuple[str, str]:
        """This stage's guide, ending with what the open review still needs here (F1)."""
        review = self.store.review
        if self.store.needs is None or review is None:
            return self.stage.value, ""
        return self.stage.value, still_needed(self.stage, self.store.needs, review["title"])

    def card(self, title: str, widget: QWidget, stretch: int = 0) -> Card:
        card = Card(title)
        card.body.addWidget(widget)
        self.body.addWidget(card, stretch)
        return card


class ScopePage(StagePage):
    def __init__(self, store: ReviewStore, parent: QWidget | None = None) -> None:
        super().__init__(store, Stage.SCOPE, parent)
        self.form = FieldForm(store, "review", ["title", "scope", "objectives", "start_date",
                                                "end_date"],
                              multiline=["scope", "objectives"])
        self.card("The review", self.form)
        self.team = RecordPanel(store, "team_member", ["name", "role", "is_tenant"],
                                stretch="role")
        self.team.table.setMinimumHeight(150)
        self.card("Review team", self.team)
        self.indicators = IndicatorLinks(store)
        self.card("Linked indicators", self.indicators)
        store.on_loaded(lambda: self.form.set_row(store.review_id))


class IndicatorLinks(QWidget):
    """The indicators a review uses, and the catalogue (less those linked) to link more from."""

    def __init__(self, store: ReviewStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        linked_box = QVBoxLayout()
        linked_box.addWidget(label("Linked to this review:"))
        self.linked = QListWidget()
        self.linked.setAccessibleName("Linked indicators")
        self.linked.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        linked_box.addWidget(self.linked, 1)
        self.unlink_button = button("&Unlink", "Unlink the selected indicators")
        self.unlink_button.clicked.connect(self._unlink)
        linked_box.addWidget(self.unlink_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(linked_box, 1)
        choose_box = QVBoxLayout()
        choose_box.addWidget(label("Choose more from the catalogue:"))
        self.picker = IndicatorPicker()
        self.picker.chosen.connect(self._link_codes)
        choose_box.addWidget(self.picker, 1)
        self.link_button = button("&Link", "Link the chosen indicators")
        self.link_button.clicked.connect(lambda: self._link_codes(self.picker.selected_codes()))
        choose_box.addWidget(self.link_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(choose_box, 1)
        self.setMinimumHeight(230)
        store.on_loaded(self._load_catalogue)
        store.on_loaded(self._show)
        store.indicators_changed.connect(self._show)

    def _load_catalogue(self) -> None:
        if self.picker.list.count() == 0:
            self.store.ctx.run_db(editing.indicator_choices, on_done=self.picker.set_items)

    def _show(self) -> None:
        self.linked.clear()
        for item in self.store.indicators:
            entry = QListWidgetItem(f"{item.code}  {item.name}")
            entry.setData(Qt.ItemDataRole.UserRole, item.code)
            self.linked.addItem(entry)
        self.picker.hide_codes(i.code for i in self.store.indicators)
        editable = not self.store.locked
        for widget in (self.picker, self.link_button, self.unlink_button):
            widget.setEnabled(editable)

    def _link_codes(self, codes: list[str]) -> None:
        linked = {i.code for i in self.store.indicators}
        for code in codes:
            if code not in linked:
                self.store.link_indicator(code, True)

    def _unlink(self) -> None:
        for item in self.linked.selectedItems():
            self.store.link_indicator(item.data(Qt.ItemDataRole.UserRole), False)


class ChallengePage(StagePage):
    def __init__(self, store: ReviewStore, parent: QWidget | None = None) -> None:
        super().__init__(store, Stage.CHALLENGE, parent)
        self.panel = RecordPanel(store, "challenge_item", ["question", "answer"],
                                 ["question", "answer"], multiline=["question", "answer"],
                                 stretch=("question", "answer"))
        # Questions and answers share the width, and two of each can be read together.
        self.panel.table.setMinimumHeight(320)
        answer = self.panel.form.editor("answer")  # type: ignore[union-attr]
        answer.setMinimumHeight(160)
        answer.setMaximumHeight(260)
        self.card("Challenge questions", self.panel, 1)


class BenchmarkView(QWidget):
    """The indicator table with a peer-distribution chart and a trend chart for the chosen row."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = label("", name="muted", wrap=True)
        layout.addWidget(self.caption)
        self.model = DtoTableModel(BENCHMARK_COLUMNS, parent=self)
        self.table = QTableView()
        self.table.setAccessibleName("Indicator benchmark")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setMinimumHeight(180)
        excel_table(self.table)
        # Short of room (the Compare stage at 1024x768), n, the 25th and 75th percentiles, the
        # median and the gap to the top quartile step aside to the row's tooltip, in that order.
        fit_columns(self.table, 1, fold=(3, 4, 6, 5, 9))
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        layout.addWidget(self.table, 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.distribution = ChartWithTable("Peer distribution")
        self.history = ChartWithTable("Trend")
        splitter.addWidget(self.distribution)
        splitter.addWidget(self.history)
        layout.addWidget(splitter, 5)
        self.report: BenchmarkReport | None = None
        #: The peer group to compare with (None: every organisation in the database).
        self.peer_group: str | None = None

    def load(self, codes: list[str] | None) -> None:
        """Benchmark the given indicator codes (None: every indicator)."""
        if self.ctx.db is None:
            return
        if codes is not None and not codes:
            self.model.set_rows([])
            self.caption.setText("No indicators are linked yet.")
            return

        group = self.peer_group

        def work(db: Database) -> BenchmarkReport | str:
            try:
                return benchmark.benchmark(db, indicators=codes, peer_group=group)
            except InputRefused as exc:
                return exc.message

        self.ctx.run_db(work, on_done=self._loaded, label="Benchmarking", progress=True)

    def _loaded(self, report: BenchmarkReport | str) -> None:
        if isinstance(report, str):
            self.report = None
            self.model.set_rows([])
            self.caption.setText(report)
            return
        self.report = report
        group = report.peer_group or "all peers"
        self.caption.setText(f"{report.organisation}, {report.year}, against {group}. "
                             "Quartile 1 is the best performing quarter, whatever the "
                             "indicator's polarity.")
        self.model.set_rows(report.rows)
        if self.model.rowCount():
            self.table.selectRow(0)

    def _on_selection(self, _s: QItemSelection, _d: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.report is None:
            return
        code = self.model.row_at(rows[0].row()).indicator
        year = self.report.year
        group = self.report.peer_group

        def work(db: Database) -> tuple[Any, Any]:
            return (benchmark.peer_distribution(db, code, year, peer_group=group),
                    benchmark.indicator_history(db, code, peer_group=group))

        self.ctx.run_db(work, on_done=self._charts)

    def _charts(self, result: tuple[Any, Any]) -> None:
        distribution, history = result
        show_distribution(self.distribution, distribution)
        show_history(self.history, history)


class ComparePage(StagePage):
    def __init__(self, store: ReviewStore, parent: QWidget | None = None) -> None:
        super().__init__(store, Stage.COMPARE, parent)
        self.view = BenchmarkView(store.ctx)
        self.view.setMinimumHeight(720)
        self.card("Linked indicators against peers", self.view, 1)
        store.on_loaded(self.refresh)
        store.indicators_changed.connect(self.refresh)

    def refresh(self) -> None:
        self.view.load([i.code for i in self.store.indicators])


CONSULT_FORM = ["method", "held_on", "sample_frame", "population", "issued", "responses",
                "satisfied", "valid_answers", "representativeness", "findings", "changes"]
SURVEY_FIELDS = ("population", "issued", "responses", "satisfied", "valid_answers")


class ConsultPage(StagePage):
    def __init__(self, store: ReviewStore, parent: QWidget | None = None) -> None:
        super().__init__(store, Stage.CONSULT, parent)
        self.panel = RecordPanel(store, "consultation",
                                 ["method", "held_on", "responses", "satisfied"], CONSULT_FORM,
                                 multiline=["representativeness", "findings", "changes"],
                                 stretch="method")
        self.panel.table.setMinimumHeight(150)
        self.stats = label("", name="complete", wrap=True)
        self.stats.setAccessibleName("Survey results")
        form = self.panel.form
        assert form is not None
        form.form.insertRow(8, "Results:", self.stats)
        for name in SURVEY_FIELDS:
            editor = form.editor(name)
            assert isinstance(editor, QLineEdit)
            editor.textChanged.connect(self.update_stats)
        store.on_loaded(self.update_stats)
        store.field_changed.connect(lambda *_a: self.update_stats())
        self.card("Consultation activities", self.panel, 1)

    def _typed(self, name: str) -> int | None:
        form = self.panel.form
        assert form is not None
        editor = form.editor(name)
        assert isinstance(editor, QLineEdit)
        try:
            number: int | None = editing.coerce("consultation", name, editor.text())
            return number
        except InputRefused:
            return None

    def update_stats(self) -> None:
        """Response rate and % satisfied with its 95% interval, from what is typed now."""
        values = {name: self._typed(name) for name in SURVEY_FIELDS}
        text, ok = editing.survey_results(values)
        self.stats.setText(text)
        # Impossible counts are an error (red), never a result (green).
        self.stats.setObjectName("complete" if ok else "fieldError")
        self.stats.style().unpolish(self.stats)
        self.stats.style().polish(self.stats)


class ImprovementPage(StagePage):
    def __init__(self, store: ReviewStore, parent: QWidget | None = None) -> None:
        super().__init__(store, Stage.IMPROVEMENT_PLAN, parent)
        self.panel = RecordPanel(
            store, "action", ["title", "owner", "due_date", "target_value", "status"],
            ["title", "owner", "start_date", "due_date", "resources_gbp", "resources_fte",
             "baseline_value", "baseline_year", "target_value", "target_year", "deliverable",
             "milestones", "status", "finding"],
            multiline=["deliverable", "milestones", "finding"], stretch="title")
        self.panel.table.setMinimumHeight(160)
        self.indicator = QComboBox()
        self.indicator.setAccessibleName("Linked indicator")
        # Long indicator names are elided rather than widening the page past the screen.
        self.indicator.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.indicator.setMinimumContentsLength(24)
        self.indicator.activated.connect(self._indicator_chosen)
        form = self.panel.form
        assert form is not None
        form.form.insertRow(2, "Linked indicator:", self.indicator)
        QWidget.setTabOrder(form.editor("owner"), self.indicator)  # where it is, not last
        self.trajectory = label("", name="muted", wrap=True)
        self.trajectory.setAccessibleName("Trajectory from baseline to target")
        form.form.addRow("Trajectory:", self.trajectory)
        self.panel.table.selectionModel().currentRowChanged.connect(
            lambda *_a: self._show_indicator())
        store.on_loaded(self._fill_indicators)
        store.indicators_changed.connect(self._fill_indicators)
        store.field_changed.connect(lambda *_a: self._show_indicator())
        self.card("Improvement actions", self.panel, 1)

    def _fill_indicators(self) -> None:
        self.indicator.clear()
        self.indicator.addItem("None", None)
        for item in self.store.indicators:
            self.indicator.addItem(f"{item.code}  {item.name}", item.indicator_id)
        self._show_indicator()

    def _show_indicator(self) -> None:
        row_id = self.panel.selected_id()
        value = self.store.value("action", row_id, "indicator_id") if row_id else None
        self.indicator.setCurrentIndex(max(0, self.indicator.findData(value)))
        self.indicator.setEnabled(row_id is not None and not self.store.locked)
        row = self.store.row("action", row_id) if row_id else None
        self.trajectory.setText(trajectory_text(row.values) if row else "")
        self._baseline_hint("", "")
        if row is not None and value is not None:
            self.store.ctx.run_db(livefigures.action_baseline, row.id,
                                  on_done=lambda baseline: self._show_baseline(row, baseline))

    def _show_baseline(self, row: Any, baseline: livefigures.DataBaseline | None) -> None:
        """The data's baseline (the indicator's value in the base year) and the trajectory from
        it, once read; what was typed does not count where the data gives the baseline."""
        if baseline is None or self.panel.selected_id() != row.id:
            return
        values = {**row.values, "baseline_value": baseline.value,
                  "baseline_year": baseline.year}
        self._baseline_hint(f"From the data: {baseline.text}", str(FinancialYear(baseline.year)))
        self.trajectory.setText(f"Baseline from the data: {baseline.code} {baseline.text}.\n"
                                + trajectory_text(values))

    def _baseline_hint(self, value: str, year: str) -> None:
        """Show the data's baseline in the (empty) baseline boxes, as what the plan uses."""
        assert self.panel.form is not None
        for name, hint in (("baseline_value", value), ("baseline_year", year)):
            editor = self.panel.form.editor(name)
            if isinstance(editor, QLineEdit):
                editor.setPlaceholderText(hint)

    def _indicator_chosen(self) -> None:
        row_id = self.panel.selected_id()
        if row_id is not None:
            self.store.edit("action", row_id, "indicator_id", self.indicator.currentData())


def trajectory_text(action: dict[str, Any] | Any) -> str:
    """The straight line from an action's baseline to its target, year by year."""
    keys = ("baseline_year", "baseline_value", "target_year", "target_value")
    if any(action.get(key) is None for key in keys):
        return "Give a baseline and a target (values and years) to see the yearly trajectory."
    try:
        points = linear_trajectory(action["baseline_year"], action["baseline_value"],
                                   action["target_year"], action["target_value"])
    except ValueError as exc:
        return f"No trajectory: {exc}."
    return "  \u2192  ".join(f"{FinancialYear(year)}: {value:,.1f}" for year, value in points)


class SelfAssessmentPage(StagePage):
    def __init__(self, store: ReviewStore, parent: QWidget | None = None) -> None:
        super().__init__(store, Stage.SELF_ASSESSMENT, parent)
        self.panel = RecordPanel(store, "judgement", ["kloe", "stars", "prospects"],
                                 ["kloe", "stars", "prospects", "rationale"],
                                 multiline=["rationale"], stretch="kloe")
        self.panel.table.setMinimumHeight(200)
        self.standard = button("Add Standard Lines of Enquiry",
                               "Add the standard key lines of enquiry")
        self.standard.clicked.connect(self.add_standard)
        self.panel.bar.insertWidget(0, self.standard)
        store.on_loaded(lambda: self.standard.setEnabled(not store.locked))
        self.card("Key lines of enquiry", self.panel, 1)

    def add_standard(self) -> None:
        present = {r["kloe"] for r in self.store.rows_of("judgement")}
        for kloe in KLOES:
            if kloe not in present and self.store.review_id is not None:
                self.store.add("judgement", self.store.review_id, {"kloe": kloe})


SIGNOFF_COLUMNS = (
    Column("Version", lambda s: str(s.version)),
    Column("Signed off by", lambda s: s.by),
    Column("On", lambda s: f"{s.at:%d %b %Y %H:%M}"),
    Column("Reopened", lambda s: (f"by {s.reopened_by}: {s.reopen_reason}"
                                  if s.reopened_by else "")),
)


def _outstanding(ready: readiness.Readiness) -> str:
    """'2 contradictions and 5 items still needed': the same words on the stage and in the
    dialog for signing off anyway."""
    parts = []
    if ready.contradictions:
        n = len(ready.contradictions)
        parts.append(f"{n} contradiction{'' if n == 1 else 's'}")
    if ready.missing:
        n = len(ready.missing)
        parts.append(f"{n} item{'' if n == 1 else 's'} still needed")
    return " and ".join(parts)


class SignOffPage(StagePage):
    def __init__(self, store: ReviewStore, parent: QWidget | None = None) -> None:
        super().__init__(store, Stage.SIGN_OFF, parent)
        self.form = FieldForm(store, "review", ["board_meeting_date", "board_agenda_ref",
                                                "board_paper_author", "board_approval_date",
                                                "board_minute_ref", "vfm_statement"],
                              multiline=["vfm_statement"])
        self.card("Approval", self.form)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.readiness = label("", wrap=True)
        self.readiness.setTextFormat(Qt.TextFormat.RichText)
        self.readiness.setAccessibleName("Readiness check")
        layout.addWidget(self.readiness)
        self.state = label("", wrap=True)
        layout.addWidget(self.state)
        row = QHBoxLayout()
        self.sign_button = button("&Sign Off Review...", "Sign off the review", primary=True)
        self.reopen_button = button("Re&open Review...", "Reopen the signed-off review")
        self.sign_button.clicked.connect(lambda _checked=False: self.sign_off())
        self.reopen_button.clicked.connect(lambda _checked=False: self.reopen())
        row.addWidget(self.sign_button)
        row.addWidget(self.reopen_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.history = DtoTableModel(SIGNOFF_COLUMNS, parent=self)
        table = QTableView()
        table.setAccessibleName("Sign-off history")
        table.setModel(self.history)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        # Who signed off and when, whole; the reopening's reason takes the rest.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(SIGNOFF_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        table.setMaximumHeight(140)
        excel_table(table)
        layout.addWidget(table)
        self.card("Sign-off", box)
        store.on_loaded(self._loaded)

    def _loaded(self) -> None:
        self.form.set_row(self.store.review_id)
        locked = self.store.locked
        self.sign_button.setEnabled(not locked)
        self.reopen_button.setEnabled(locked)
        version = self.store.review["version"] if self.store.review else 1
        self.state.setText(f"Version {version} is signed off and read-only." if locked
                           else f"Version {version} is in progress.")
        if self.store.review_id is not None:
            self.store.ctx.run_db(signoff.signoffs, self.store.review_id,
                                  on_done=self.history.set_rows)
        if self.isVisible():
            self.check_readiness()

    def set_needs(self, needs: ReviewNeeds) -> None:
        """Something was saved: the check follows it while it is on screen (the board's
        approval, the statement and the review's stage are all changed here)."""
        super().set_needs(needs)
        if self.isVisible():
            self.check_readiness()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.check_readiness()

    def check_readiness(self) -> None:
        """Run the readiness check (off the GUI thread) and show what it finds."""
        if self.store.review_id is None or self.store.locked:
            self.readiness.setText("")
            return
        self.store.ctx.run_db(readiness.check_review, self.store.review_id,
                              on_done=self._show_readiness)

    def _show_readiness(self, ready: readiness.Readiness) -> None:
        if ready.review_id != self.store.review_id or self.store.locked:
            return
        if ready.clean:
            self.readiness.setText("<b>\u2713 Ready to sign off:</b> nothing is missing and "
                                   "nothing contradicts itself.")
            return
        parts = [f"<b>Not ready to sign off yet:</b> {_outstanding(ready)}"
                 + (" (each stage lists what it needs)." if ready.missing else ".")]
        if ready.contradictions:
            items = "".join(f"<li>{_escape(f.stage.label)}: {_escape(f.text)}"
                            f"{_escape(self._where_to_move(f.reach))}</li>"
                            for f in ready.contradictions)
            parts.append("What contradicts itself or the data:"
                         f"<ul style='margin:2px'>{items}</ul>")
        self.readiness.setText("<br>".join(parts))

    def _where_to_move(self, reach: Stage | None) -> str:
        """Where in this window the review is moved on to ``reach`` (None: nothing to move)."""
        review = self.store.review
        here = Stage(review["stage"]) if review is not None else None
        if reach is None or here is None or here.position >= reach.position:
            return ""
        following = list(Stage)[here.position + 1]
        return (f" In this window: choose {reach.label} or a later stage in the Stage "
                f"drop-down at the top of the review, or move it on a stage at a time with "
                f"the \u201cMove the Review to {following.position + 1}. {following.label}\u201d "
                f"button on the {here.label} page, which appears once {here.label} has "
                "everything it needs.")

    def sign_off(self, by: str | None = None, override_reason: str | None = None) -> None:
        """Ask who approves (the user's name by default), run the readiness check, and sign
        off; while anything is outstanding, ask why the approver signs off anyway (or use
        ``override_reason``)."""
        if by is None:
            by, ok = QInputDialog.getText(self, "Sign Off Review", "Approved by:",
                                          text=self.store.ctx.prefs.user_name)
            if not ok:
                return
        self.form.flush()
        self.store.ctx.run_db(readiness.check_review, self.store.review_id,
                              on_done=lambda ready: self._checked(ready, by, override_reason),
                              on_error=lambda exc: show_error(self, exc),
                              label="Checking the review")

    def _checked(self, ready: readiness.Readiness, by: str,
                 override_reason: str | None) -> None:
        reason = override_reason or ""
        if not ready.clean and override_reason is None:
            shown = ready.outstanding[:SHOWN_NEEDS]
            more = len(ready.outstanding) - len(shown)
            items = "\n".join(f"\u2022 {item}" for item in shown) + (
                f"\n\u2026 and {more} more" if more else "")
            dialog = QInputDialog(self)
            dialog.setWindowTitle("Sign Off With Items Outstanding")
            dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
            dialog.setLabelText(
                f"Not ready to sign off: {_outstanding(ready)}.\n{items}\n\nTo sign off "
                "anyway, say why. The reason is kept in the audit log and the submission lists "
                "what was outstanding.")
            # Each item wraps: on one line each, the dialog outgrew a 1024x768 screen.
            for text in dialog.findChildren(QLabel):
                text.setWordWrap(True)
            # Tab goes on to OK, as from every other box: it typed a tab into the reason, and
            # a keyboard user could not reach OK.
            for box in dialog.findChildren(QPlainTextEdit):
                box.setTabChangesFocus(True)
            room = self.window().size()
            dialog.resize(min(720, room.width()), min(dialog.sizeHint().height(), room.height()))
            ok = dialog.exec() == QDialog.DialogCode.Accepted
            reason = dialog.textValue()
            dialog.deleteLater()
            if not ok or not reason.strip():
                return
        self.store.ctx.run_db(signoff.sign_off, self.store.review_id, by, "", reason,
                              on_done=self._changed,
                              on_error=lambda exc: show_error(self, exc),
                              label="Signing off", progress=True)

    def reopen(self, reason: str | None = None) -> None:
        if reason is None:
            reason, ok = QInputDialog.getText(self, "Reopen Review",
                                              "Why is the review being reopened?")
            if not ok:
                return
        self.store.ctx.run_db(signoff.reopen, self.store.review_id,
                              self.store.ctx.prefs.user_name, reason, on_done=self._changed,
                              on_error=lambda exc: show_error(self, exc), label="Reopening")

    def _changed(self, _record: Any) -> None:
        self.store.ctx.undo.clear()
        self.store.reload()
