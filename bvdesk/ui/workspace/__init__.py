"""The review workspace: the eight stages as a navigable sequence, saving every edit as made.

One list on the left moves between the stages (also Alt+1..9 and Ctrl+PgUp/PgDown); each entry
says whether the stage is complete or how much it still needs, and marks the stage the review
has reached. In a narrow window (1024x768) the list runs across above the stage instead, so the
stage has the window's width for its tables. Notices (read-only, the last refused edit) share
one line under the title, whose height never changes, so the stage below never jumps when a
message comes or goes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QListView,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bvdesk.domain.vocabulary import Stage
from bvdesk.operations.dashboard import ReviewNeeds
from bvdesk.ui.context import AppContext
from bvdesk.ui.widgets import button, label
from bvdesk.ui.workspace.compete import CompetePage
from bvdesk.ui.workspace.editors import FieldForm
from bvdesk.ui.workspace.evidence import EvidencePage
from bvdesk.ui.workspace.paste import paste_into_record_tables
from bvdesk.ui.workspace.stages import (
    ChallengePage,
    ComparePage,
    ConsultPage,
    ImprovementPage,
    ScopePage,
    SelfAssessmentPage,
    SignOffPage,
    StagePage,
)
from bvdesk.ui.workspace.store import ReviewStore

#: Each stage's page, made from the review store.
PAGES: dict[Stage, Callable[[ReviewStore], StagePage]] = {
    Stage.SCOPE: ScopePage,
    Stage.CHALLENGE: ChallengePage,
    Stage.COMPARE: ComparePage,
    Stage.CONSULT: ConsultPage,
    Stage.COMPETE: CompetePage,
    Stage.IMPROVEMENT_PLAN: ImprovementPage,
    Stage.SELF_ASSESSMENT: SelfAssessmentPage,
    Stage.SIGN_OFF: SignOffPage,
}
#: The stage list's width beside the stage.
STAGE_LIST_WIDTH = 230
#: Narrower than this (a 1366-pixel screen and less), the list of stages runs across above the
#: stage: beside it, it left the stage too little room for the cost grid's eleven years (they
#: scrolled sideways at 1024x768, and its description and VAT stepped aside at 1280).
LIST_ABOVE_BELOW = 1100
#: The workspace's margins (left, top, right, bottom), and narrower ones in a narrow window.
WIDE_MARGINS = (24, 14, 24, 14)
NARROW_MARGINS = (12, 10, 12, 10)


class ReviewWorkspace(QWidget):
    """One review, stage by stage.

    Signals:
        back(): the user wants the list of reviews again.
        report_requested(int): preview the report of this review.
    """

    back = Signal()
    report_requested = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.store = ReviewStore(ctx, self)
        self._setup_ui()
        self.store.on_loaded(self._loaded)
        self.store.needs_changed.connect(self._needs_changed)
        self.store.problem.connect(self._problem)
        # A value saved after a refusal means the problem was dealt with.
        self.store.field_changed.connect(lambda *_a: self.message.setVisible(False))
        self.store.field_changed.connect(self._field_changed)

    def _setup_ui(self) -> None:
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(*WIDE_MARGINS)
        top = QHBoxLayout()
        self.back_button = button("\u2190 Reviews", "Back to the list of reviews")
        self.back_button.clicked.connect(self.back.emit)
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        self.title = label("", name="pageTitle", wrap=True)
        self.subtitle = label("", name="pageSubtitle")
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        notice_box = QWidget()
        notice_row = QHBoxLayout(notice_box)
        notice_row.setContentsMargins(0, 0, 0, 0)
        self.banner = label("", name="lockedBanner", wrap=True)
        self.banner.setAccessibleName("Read-only notice")
        self.banner.setVisible(False)
        notice_row.addWidget(self.banner, 1)
        self.message = label("", name="missing", wrap=True, selectable=True)
        self.message.setAccessibleName("Last problem")
        self.message.setVisible(False)
        notice_row.addWidget(self.message, 1)
        # Room for two lines, whether or not a notice is showing; a longer one scrolls.
        notices = QScrollArea()
        notices.setAccessibleName("Notices")
        notices.setWidget(notice_box)
        notices.setWidgetResizable(True)
        notices.setFrameShape(QFrame.Shape.NoFrame)
        notices.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 22)
        titles.addWidget(notices)
        top.addLayout(titles, 1)
        self.stage_form = FieldForm(self.store, "review", ["stage"])
        self.stage_form.setMaximumWidth(300)
        top.addWidget(self.stage_form, 0, Qt.AlignmentFlag.AlignTop)
        self.report_button = button("Re&port...", "Preview the review's report")
        self.report_button.clicked.connect(
            lambda: self.report_requested.emit(self.store.review_id) if self.store.review_id
            else None)
        top.addWidget(self.report_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        self._body = body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._list_above = False
        self.stages = QListWidget()
        self.stages.setObjectName("stageList")
        self.stages.setAccessibleName("Review stages")
        self.stages.setFixedWidth(STAGE_LIST_WIDTH)
        # The stage reached, in bold with its arrow, wraps rather than scrolling sideways.
        self.stages.setWordWrap(True)
        self.stages.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages = QStackedWidget()
        self.page_for: dict[Stage, StagePage] = {}
        for stage in PAGES:
            item = QListWidgetItem(f"{stage.position + 1}. {stage.label}")
            item.setData(Qt.ItemDataRole.UserRole, stage.value)
            self.stages.addItem(item)
        self.stages.addItem(QListWidgetItem("Evidence files"))
        self.evidence: EvidencePage | None = None
        self.stages.currentRowChanged.connect(self._show_row)
        body.addWidget(self.stages)
        body.addWidget(self.pages, 1)
        layout.addLayout(body, 1)
        for number in range(1, len(Stage) + 2):
            shortcut = QShortcut(QKeySequence(f"Alt+{number}"), self)
            shortcut.activated.connect(lambda n=number: self.stages.setCurrentRow(n - 1))
        QShortcut(QKeySequence("Ctrl+PgDown"), self).activated.connect(
            lambda: self.stages.setCurrentRow(min(len(Stage), self.stages.currentRow() + 1)))
        QShortcut(QKeySequence("Ctrl+PgUp"), self).activated.connect(
            lambda: self.stages.setCurrentRow(max(0, self.stages.currentRow() - 1)))

    def _arrange(self, above: bool) -> None:
        """The list of stages beside the stage, or running across above it."""
        if above == self._list_above:
            return
        self._list_above = above
        self._layout.setContentsMargins(*(NARROW_MARGINS if above else WIDE_MARGINS))
        stages = self.stages
        self._body.setDirection(QBoxLayout.Direction.TopToBottom if above
                                else QBoxLayout.Direction.LeftToRight)
        stages.setFlow(QListView.Flow.LeftToRight if above else QListView.Flow.TopToBottom)
        stages.setWrapping(above)
        stages.setWordWrap(not above)
        stages.setProperty("across", above)  # closer together (theme)
        stages.style().unpolish(stages)
        stages.style().polish(stages)
        if above:
            stages.setMinimumWidth(0)
            stages.setMaximumWidth(16_777_215)
            QTimer.singleShot(0, self._fit_list_height)
        else:
            stages.setFixedWidth(STAGE_LIST_WIDTH)
            stages.setMinimumHeight(0)
            stages.setMaximumHeight(16_777_215)

    def _fit_list_height(self) -> None:
        """Above the stage, the list is as tall as its rows of entries."""
        if not self._list_above:
            return
        stages = self.stages
        stages.doItemsLayout()
        bottom = max((stages.visualItemRect(stages.item(row)).bottom()
                      + stages.verticalOffset() for row in range(stages.count())), default=0)
        stages.setFixedHeight(bottom + 2 * stages.frameWidth() + 2)

    # --- public -----------------------------------------------------------------------------

    def open_review(self, review_id: int) -> None:
        if review_id != self.store.review_id:
            self.ctx.undo.clear()
            self.stages.setCurrentRow(-1)
        self.message.setVisible(False)
        self.store.load(review_id)

    def show_stage(self, stage: Stage) -> None:
        self.stages.setCurrentRow(stage.position)

    def page(self, stage: Stage) -> StagePage:
        """The stage's page, built the first time it is needed."""
        if stage not in self.page_for:
            page = PAGES[stage](self.store)
            paste_into_record_tables(page)
            page.moved_on.connect(self._moved_on)
            self.page_for[stage] = page
            self.pages.addWidget(page)
        return self.page_for[stage]

    def evidence_page(self) -> EvidencePage:
        """The evidence files page, built the first time it is needed."""
        if self.evidence is None:
            self.evidence = EvidencePage(self.store)
            self.pages.addWidget(self.evidence)
        return self.evidence

    def _moved_on(self, stage: Stage) -> None:
        """The review was moved on from a stage's page: go to the stage it has reached, the
        keyboard on the list of stages (the button pressed is gone)."""
        self.show_stage(stage)
        self.stages.setFocus()

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(Stage):
            self.pages.setCurrentWidget(self.page(list(Stage)[row]))
        elif row == len(Stage):
            self.pages.setCurrentWidget(self.evidence_page())

    # --- updates --------------------------------------------------------------------------

    def _loaded(self) -> None:
        review = self.store.review
        if review is None:
            return
        self.title.setText(review["title"])
        locked = self.store.locked
        self.subtitle.setText(f"Version {review['version']}"
                              + ("  \u00b7  signed off, read-only" if locked else ""))
        stage = Stage(review["stage"])
        self._mark_stages()
        self.banner.setVisible(locked)
        # Short enough for the notice's two lines beside the title at 1024x768.
        self.banner.setText("Signed off, so read-only. To change it, reopen it on the "
                            "Sign-off stage.")
        self.stage_form.set_row(review.id)
        if self.stages.currentRow() < 0:
            self.stages.setCurrentRow(stage.position)

    def _field_changed(self, entity: str, _row_id: int, field: str, value: object) -> None:
        if entity == "review" and field == "stage" and isinstance(value, str):
            self._mark_stages()
        if entity == "review" and field == "title" and isinstance(value, str):
            self.title.setText(value)

    def _needs_changed(self, _needs: ReviewNeeds) -> None:
        self._mark_stages()

    def _mark_stages(self) -> None:
        """Each stage's entry: complete (a tick) or how much it needs, and which one the review
        has reached (bold, with an arrow). Ticks come only from what each stage holds."""
        review, needs = self.store.review, self.store.needs
        reached = Stage(review["stage"]) if review is not None else None
        for stage in Stage:
            item = self.stages.item(stage.position)
            missing = needs.missing(stage) if needs is not None else None
            mark = "" if missing is None else ("\u2713" if not missing
                                               else f"{len(missing)}\u00a0to\u00a0do")
            here = stage == reached
            # The mark and the arrow are kept together (no-break spaces) when the entry wraps.
            item.setText(f"{stage.position + 1}. {stage.label}    {mark}".rstrip()
                         + ("\u00a0\u00a0\u25c0" if here else ""))
            font = item.font()
            font.setBold(here)
            item.setFont(font)
            state = ("" if missing is None else ": complete" if not missing
                     else f": {len(missing)} things still needed")
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         f"{stage.label}{state}" + (", the stage reached" if here else ""))
        if self._list_above:
            QTimer.singleShot(0, self._fit_list_height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt name
        self._arrange(event.size().width() < LIST_ABOVE_BELOW)
        super().resizeEvent(event)
        if self._list_above:
            QTimer.singleShot(0, self._fit_list_height)

    def _problem(self, message: str) -> None:
        self.message.setText(message)
        self.message.setToolTip(message)
        self.message.setVisible(True)
