"""The open review's records, kept in step with the database, and the undoable edits on them.

Every edit is checked on the GUI thread (``editing.coerce`` is pure), pushed onto the shared
undo stack, and saved by the database worker straight away; the rows of a paste are saved first,
up to the first one refused, and what was saved is then one step on the stack (``save_rows``).
Undo and redo save again. Rows added and deleted keep their ids across undo/redo (a deleted row
is restored with its id), so later edits in the history still find their row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

from bvdesk.errors import BvdeskError, EditConflict, InputRefused
from bvdesk.operations import dashboard, editing
from bvdesk.operations.dashboard import ReviewNeeds
from bvdesk.operations.editing import LinkedIndicator, Row
from bvdesk.operations.opening import Database
from bvdesk.ui.context import AppContext

#: Entities under the review, loaded when the workspace opens.
REVIEW_ENTITIES = ("team_member", "challenge_item", "consultation", "option",
                   "quality_criterion", "action", "judgement", "evidence", "appraisal_settings")
#: Entities under an option.
OPTION_ENTITIES = ("cost_line", "risk")


@dataclass(frozen=True, slots=True)
class RowSave:
    """One row of fields saved together (a pasted row): into the row ``row_id``, each field
    against what the screen showed (``seen``), or as a new row under ``parent_id``. A quality
    criterion's row also holds its scores: (shown, new) by option id."""

    entity: str
    values: Mapping[str, Any]
    row_id: int | None = None
    parent_id: int | None = None
    seen: Mapping[str, Any] = field(default_factory=dict)
    scores: Mapping[int, tuple[float | None, float | None]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RowsSaved:
    """What ``ReviewStore.save_rows`` saved: how many of the rows, and why it stopped at the
    next one (None: every row was saved); ``partly``: the refused row is a new quality
    criterion, added, with one of its scores refused (its option deleted meanwhile)."""

    saved: int
    refused: BvdeskError | None
    partly: bool = False


class ReviewStore(QObject):
    """One review's records for the workspace.

    Signals:
        loaded(): everything was (re)loaded.
        rows_changed(str): the rows of an entity were replaced (after an add or delete).
        field_changed(str, int, str, object): one field of one row now holds a value.
        scores_changed(): quality scores changed.
        needs_changed(object): a fresh ``ReviewNeeds``.
        problem(str): an edit was refused; the message says why.
    """

    loaded = Signal()
    rows_changed = Signal(str)
    field_changed = Signal(str, int, str, object)
    scores_changed = Signal()
    indicators_changed = Signal()
    needs_changed = Signal(object)
    problem = Signal(str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.review_id: int | None = None
        self.review: Row | None = None
        self.rows: dict[str, list[Row]] = {}
        self.scores: dict[tuple[int, int], float] = {}
        self.indicators: list[LinkedIndicator] = []
        self.needs: ReviewNeeds | None = None
        self._needs_timer = QTimer(self)
        self._needs_timer.setSingleShot(True)
        self._needs_timer.setInterval(250)
        self._needs_timer.timeout.connect(self._refresh_needs)
        ctx.database_changed.connect(self._forget)
        ctx.colleague_saved.connect(self._colleague_saved)

    def _colleague_saved(self, topics: frozenset[str]) -> None:
        """A colleague saved reviews on the team server: show their changes, but never under
        the user's typing. While a box holds unsaved typing the reload waits; that typing is
        saved (or refused as a conflict, showing both values) when the box is left."""
        if "review" in topics and self.review_id is not None:
            self._reload_when_not_typing()

    def _reload_when_not_typing(self) -> None:
        if any(_typing(top.focusWidget()) for top in QApplication.topLevelWidgets()):
            QTimer.singleShot(300, self._reload_when_not_typing)
            return
        self.reload()

    def _forget(self) -> None:
        """Another database was opened: this review belongs to the old one."""
        self._needs_timer.stop()
        self.review_id = None
        self.review = None
        self.rows = {}
        self.scores = {}
        self.indicators = []

    @property
    def locked(self) -> bool:
        return bool(self.review and self.review["locked"])

    # --- loading ------------------------------------------------------------------------

    def on_loaded(self, slot: Callable[[], Any]) -> None:
        """Call ``slot`` after every (re)load, and now if a review is already loaded.

        Stage pages are built the first time they are shown; this brings them up to date.
        """
        self.loaded.connect(slot)
        if self.review is not None:
            slot()

    def load(self, review_id: int) -> None:
        self.review_id = review_id
        self.ctx.run_db(_load_all, review_id, on_done=self._loaded,
                        label="Opening the review", progress=True)

    def reload(self) -> None:
        if self.review_id is not None:
            self.ctx.run_db(_load_all, self.review_id, on_done=self._loaded)

    def _loaded(self, bundle: dict[str, Any]) -> None:
        if bundle["review"].id != self.review_id:
            return
        self.review = bundle["review"]
        self.rows = bundle["rows"]
        self.scores = bundle["scores"]
        self.indicators = bundle["indicators"]
        self.loaded.emit()
        self._needs_changed(bundle["needs"])

    def reload_entity(self, entity: str) -> None:
        review_id = self.review_id
        if review_id is None:
            return
        entities = (entity, *OPTION_ENTITIES) if entity == "option" else (entity,)

        def work(db: Database) -> dict[str, list[Row]]:
            return _load_rows(db, review_id, entities)

        def done(rows: dict[str, list[Row]]) -> None:
            self.rows.update(rows)
            for name in rows:
                self.rows_changed.emit(name)
            self.changed()

        self.ctx.run_db(work, on_done=done)

    def changed(self) -> None:
        """Something was saved: recheck what the stages need (debounced). The app's other
        screens hear of the save from ``AppContext.run_db``."""
        self._needs_timer.start()

    def _refresh_needs(self) -> None:
        if self.review_id is not None and self.ctx.db is not None:
            self.ctx.run_db(dashboard.review_needs, self.review_id,
                            on_done=self._needs_changed)

    def _needs_changed(self, needs: ReviewNeeds) -> None:
        self.needs = needs
        self.needs_changed.emit(needs)

    # --- reading ------------------------------------------------------------------------

    def rows_of(self, entity: str, option_id: int | None = None) -> list[Row]:
        rows = self.rows.get(entity, [])
        if option_id is not None:
            return [r for r in rows if r["option_id"] == option_id]
        return rows

    def row(self, entity: str, row_id: int) -> Row | None:
        if entity == "review":
            return self.review
        return next((r for r in self.rows.get(entity, []) if r.id == row_id), None)

    def value(self, entity: str, row_id: int, field: str) -> Any:
        row = self.row(entity, row_id)
        return None if row is None else row.values.get(field)

    # --- editing ------------------------------------------------------------------------

    def edit(self, entity: str, row_id: int, field: str, value: Any) -> str | None:
        """Save a new value for a field (undoably); returns the refusal message, if any."""
        if self.review is None or self.ctx.db is None:
            return "No review is open."
        if self.locked:
            return "This review is signed off and read-only. Reopen it on the Sign-off stage."
        try:
            new = editing.coerce(entity, field, value)
            row = self.row(entity, row_id)
            if row is not None:
                editing.check_consistent(entity, {**row.values, field: new}, field)
        except InputRefused as exc:
            return exc.message
        old = self.value(entity, row_id, field)
        if old == new:
            return None
        spec = editing.field_spec(entity, field)
        self.ctx.undo.push(EditField(self, entity, row_id, field, old, new,
                                     f"Change {spec.label.lower()}"))
        return None

    def add(self, entity: str, parent_id: int, values: dict[str, Any] | None = None,
            on_added: Callable[[Row], None] | None = None) -> None:
        if self.review is None or self.ctx.db is None:
            return
        if self.locked:
            self.problem.emit("This review is signed off and read-only.")
            return
        label = editing.entity(entity).label
        self.ctx.undo.push(AddRow(self, entity, parent_id, values or {}, f"Add {label}",
                                  on_added))

    def delete(self, entity: str, row_id: int) -> None:
        if self.review is None or self.ctx.db is None:
            return
        if self.locked:
            self.problem.emit("This review is signed off and read-only.")
            return
        label = editing.entity(entity).label
        self.ctx.undo.push(DeleteRow(self, entity, row_id, f"Delete {label}"))

    def save_rows(self, saves: list[RowSave], text: str,
                  on_done: Callable[[RowsSaved], None]) -> None:
        """Save ``saves`` in order, each row's fields in one transaction, stopping at the first
        row refused (a value its record's rules refuse, a colleague's save since the screen
        showed it): the rows before it stay saved, and are one step (``text``) on the undo
        history; nothing after it is saved. ``on_done`` hears how far it got."""
        if self.review is None or self.ctx.db is None:
            return

        def done(outcome: tuple[list[_SavedRow], BvdeskError | None]) -> None:
            saved, refused = outcome
            step = _AlreadySaved(text)
            for row in saved:
                row.undo_steps(self, step)
            if step.steps:
                self.ctx.undo.push(step)
            if refused is not None or any(save.scores for save in saves):
                self.reload()  # what is saved now, a colleague's values among it
            else:
                for entity in dict.fromkeys(save.entity for save in saves):
                    self.reload_entity(entity)
            whole = sum(row.whole for row in saved)
            on_done(RowsSaved(whole, refused, partly=whole < len(saved)))

        self.ctx.run_db(_save_rows, saves, on_done=done, on_error=self.failed)

    def set_score(self, criterion_id: int, option_id: int, value: Any) -> str | None:
        if self.review is None or self.ctx.db is None:
            return "No review is open."
        if self.locked:
            return "This review is signed off and read-only."
        try:
            new = editing.coerce_score(value)
        except InputRefused as exc:
            return exc.message
        old = self.scores.get((criterion_id, option_id))
        if old != new:
            self.ctx.undo.push(SetScore(self, criterion_id, option_id, old, new))
        return None

    def link_indicator(self, code: str, linked: bool) -> None:
        if self.locked or self.review_id is None:
            return
        verb = "Link" if linked else "Unlink"
        self.ctx.undo.push(LinkIndicator(self, code, linked, f"{verb} {code}"))

    # --- used by the commands -------------------------------------------------------------

    def apply(self, entity: str, row_id: int, field: str, value: Any) -> None:
        """Show a saved value locally and tell the editors."""
        row = self.row(entity, row_id)
        if row is not None:
            new_row = Row(row.entity, row.id, {**row.values, field: value})
            if entity == "review":
                self.review = new_row
            else:
                rows = self.rows[entity]
                rows[rows.index(row)] = new_row
        self.field_changed.emit(entity, row_id, field, value)

    def failed(self, exc: BaseException) -> None:
        """A save failed: say why and show what the database really holds."""
        self.problem.emit(exc.message if isinstance(exc, BvdeskError)
                          else f"The change could not be saved: {exc}")
        self.reload()

    def edit_failed(self, label: str, exc: BaseException) -> None:
        """A typed value could not be saved: say so, and leave it on screen to try again.

        When a colleague saved the same field meanwhile (a team server), the user chooses whose
        value to keep; nothing is lost either way."""
        if isinstance(exc, EditConflict):
            self.resolve_conflict(label, exc)
            return
        reason = exc.message if isinstance(exc, BvdeskError) else str(exc)
        self.problem.emit(f"Your change to {label.lower()} was not saved: {reason} What you "
                          "typed is still on screen; copy it or try again.")


    def resolve_conflict(self, label: str, conflict: EditConflict) -> None:
        from bvdesk.ui.conflict_dialog import keep_mine

        parent = self.parent()
        score = conflict.entity == "quality_score"

        def kept(_result: object) -> None:
            if score:  # the results were worked out while the colleague's score was stored
                self.scores_changed.emit()
            else:  # what is kept can hold a colleague's other years of a cost line
                self.apply(conflict.entity, conflict.row_id, conflict.field, conflict.mine)
            self.changed()

        if keep_mine(label, conflict, parent if isinstance(parent, QWidget) else None):
            self.ctx.run_db(editing.keep_mine, conflict, on_done=kept,
                            on_error=lambda exc: self.edit_failed(label, exc))
        elif score:
            self.reload()
        else:
            self.apply(conflict.entity, conflict.row_id, conflict.field, conflict.theirs)
            self.changed()


def _typing(focused: QWidget | None) -> bool:
    """Whether a window's focused box holds typing not yet saved."""
    return (isinstance(focused, QLineEdit) and focused.isModified()) or (
        isinstance(focused, QPlainTextEdit) and bool(getattr(focused, "typing", False)))


def _load_rows(db: Database, review_id: int, entities: tuple[str, ...]) -> dict[str, list[Row]]:
    rows: dict[str, list[Row]] = {}
    for entity in entities:
        if entity in OPTION_ENTITIES:
            options = rows.get("option") or editing.list_rows(db, "option", review_id)
            rows[entity] = [r for o in options for r in editing.list_rows(db, entity, o.id)]
        else:
            rows[entity] = editing.list_rows(db, entity, review_id)
    return rows


def _load_all(db: Database, review_id: int) -> dict[str, Any]:
    return {
        "review": editing.get_row(db, "review", review_id),
        "rows": _load_rows(db, review_id, REVIEW_ENTITIES + OPTION_ENTITIES),
        "scores": editing.list_scores(db, review_id),
        "indicators": editing.linked_indicators(db, review_id),
        "needs": dashboard.review_needs(db, review_id),
    }


@dataclass
class _SavedRow:
    """What saving one ``RowSave`` did: its fields' edits (and scores), or the row added;
    ``whole`` once all of it was saved (a criterion added, then a score of it refused, is not)."""

    save: RowSave
    edits: list[editing.FieldEdit] = field(default_factory=list)
    added: Row | None = None
    whole: bool = False

    def undo_steps(self, store: ReviewStore, paste: _AlreadySaved) -> None:
        """Make undoing this row's save steps of ``paste``."""
        save = self.save
        label = editing.entity(save.entity).label
        if self.added is not None:  # comes back with its scores
            assert save.parent_id is not None
            paste.steps.append(AddRow(store, save.entity, save.parent_id, save.values,
                                      f"Add {label}", None, added=self.added))
            return
        assert save.row_id is not None
        changed = [edit for edit in self.edits if edit.old != edit.new]
        if changed:
            paste.steps.append(EditFields(store, save.entity, save.row_id,
                                          {edit.field: edit.old for edit in changed},
                                          {edit.field: edit.new for edit in changed},
                                          f"Change {label}"))
        paste.steps.extend(SetScore(store, save.row_id, option_id, old, new)
                           for option_id, (old, new) in save.scores.items() if old != new)


def _save_rows(db: Database, saves: list[RowSave]) -> tuple[list[_SavedRow],
                                                             BvdeskError | None]:
    """Save each row's fields (and a criterion's scores) in one transaction, in order, until one
    is refused."""
    saved: list[_SavedRow] = []
    for save in saves:
        row = _SavedRow(save)
        try:
            if save.row_id is None:
                assert save.parent_id is not None
                row.added = editing.add_row(db, save.entity, save.parent_id, save.values)
                for option_id, (shown, score) in save.scores.items():
                    editing.set_score(db, row.added.id, option_id, score, seen=shown)
            elif save.scores:
                row.edits = editing.update_criterion(db, save.row_id, save.values,
                                                     seen=save.seen, scores=save.scores)
            else:
                row.edits = editing.update_fields(db, save.entity, save.row_id, save.values,
                                                  seen=save.seen)
        except BvdeskError as exc:
            if row.added is not None:
                saved.append(row)  # a new criterion, without the scores after the one refused
            return saved, exc
        row.whole = True
        saved.append(row)
    return saved, None


# --- undo commands -------------------------------------------------------------------------------


class _AlreadySaved(QUndoCommand):
    """Steps saved before they were put on the undo history (a paste's rows): pushing it saves
    nothing again; undo goes back through its steps, last first, and redo forward again."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.steps: list[QUndoCommand] = []
        self._saved = True

    def redo(self) -> None:
        if self._saved:
            self._saved = False
            return
        for step in self.steps:
            step.redo()

    def undo(self) -> None:
        for step in reversed(self.steps):
            step.undo()


class _ValueChange(QUndoCommand):
    """A change of one value: redo saves the new value with ``save``, undo the old one."""

    def __init__(self, store: ReviewStore, old: Any, new: Any, text: str,
                 save: Callable[[Any], None]) -> None:
        super().__init__(text)
        self._store = store
        self._old = old
        self._new = new
        self._save = save

    def redo(self) -> None:
        self._save(self._new)

    def undo(self) -> None:
        self._save(self._old)


class EditFields(_ValueChange):
    """Fields of one row changed together (``old`` and ``new`` by field), saved in one
    transaction: all of them, or none when any is refused."""

    def __init__(self, store: ReviewStore, entity: str, row_id: int, old: Mapping[str, Any],
                 new: Mapping[str, Any], text: str) -> None:
        super().__init__(store, dict(old), dict(new), text, self._save_fields)
        self._where = (entity, row_id)

    def _save_fields(self, values: dict[str, Any]) -> None:
        entity, row_id = self._where
        for name, value in values.items():
            self._store.apply(entity, row_id, name, value)
        # What the screen showed before this save: a colleague's different value is not lost.
        seen = self._old if values == self._new else self._new
        self._store.ctx.run_db(partial(editing.update_fields, seen=seen), entity, row_id,
                               values, on_done=lambda edits: self._saved(edits, values),
                               on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        entity, _row_id = self._where
        label = (editing.field_spec(entity, exc.field).label if isinstance(exc, EditConflict)
                 else editing.entity(entity).label)
        self._store.edit_failed(label, exc)

    def _saved(self, edits: list[editing.FieldEdit], typed: dict[str, Any]) -> None:
        """Saved; a colleague's other years of a cost line, kept under the user's, are shown."""
        for edit in edits:
            if edit.new != typed[edit.field]:
                self._store.apply(edit.entity, edit.id, edit.field, edit.new)
        self._store.changed()


class EditField(EditFields):
    """One field of one row changed."""

    def __init__(self, store: ReviewStore, entity: str, row_id: int, field: str, old: Any,
                 new: Any, text: str) -> None:
        super().__init__(store, entity, row_id, {field: old}, {field: new}, text)


class AddRow(QUndoCommand):
    """A row added (``added``: already added, as a pasted row is)."""

    def __init__(self, store: ReviewStore, entity: str, parent_id: int,
                 values: Mapping[str, Any], text: str, on_added: Callable[[Row], None] | None,
                 *, added: Row | None = None) -> None:
        super().__init__(text)
        self._store = store
        self._entity = entity
        self._parent_id = parent_id
        self._values = values
        self._added = added
        self._on_added = on_added

    def redo(self) -> None:
        if self._added is None:
            self._store.ctx.run_db(editing.add_row, self._entity, self._parent_id, self._values,
                                   on_done=self._done, on_error=self._store.failed)
        else:
            self._store.ctx.run_db(editing.restore_row, self._added, on_done=self._reload,
                                   on_error=self._store.failed)

    def undo(self) -> None:
        if self._added is not None:
            self._store.ctx.run_db(editing.delete_row, self._entity, self._added.id,
                                   on_done=self._deleted, on_error=self._store.failed)

    def _done(self, row: Row) -> None:
        self._added = row
        self._reload(row)
        if self._on_added is not None:
            self._on_added(row)
            self._on_added = None

    def _deleted(self, row: Row) -> None:
        self._added = row
        self._reload(row)

    def _reload(self, _row: Row) -> None:
        self._store.reload_entity(self._entity)


class DeleteRow(QUndoCommand):
    def __init__(self, store: ReviewStore, entity: str, row_id: int, text: str) -> None:
        super().__init__(text)
        self._store = store
        self._entity = entity
        self._row_id = row_id
        self._deleted: Row | None = None

    def redo(self) -> None:
        self._store.ctx.run_db(editing.delete_row, self._entity, self._row_id,
                               on_done=self._done, on_error=self._store.failed)

    def undo(self) -> None:
        if self._deleted is not None:
            self._store.ctx.run_db(editing.restore_row, self._deleted,
                                   on_done=lambda _r: self._store.reload_entity(self._entity),
                                   on_error=self._store.failed)

    def _done(self, row: Row) -> None:
        self._deleted = row
        self._store.reload_entity(self._entity)


class SetScore(_ValueChange):
    def __init__(self, store: ReviewStore, criterion_id: int, option_id: int,
                 old: float | None, new: float | None) -> None:
        super().__init__(store, old, new, "Change quality score", self._save_score)
        self._key = (criterion_id, option_id)

    def _save_score(self, value: float | None) -> None:
        if value is None:
            self._store.scores.pop(self._key, None)
        else:
            self._store.scores[self._key] = value
        self._store.scores_changed.emit()
        # What the cell showed before this save: a colleague's different score is not lost.
        seen = self._old if value == self._new else self._new
        self._store.ctx.run_db(partial(editing.set_score, seen=seen), *self._key, value,
                               on_done=lambda _o: self._store.changed(),
                               on_error=lambda exc: self._store.edit_failed("Quality score", exc)
                               if isinstance(exc, EditConflict) else self._store.failed(exc))


class LinkIndicator(_ValueChange):
    def __init__(self, store: ReviewStore, code: str, linked: bool, text: str) -> None:
        super().__init__(store, not linked, linked, text, self._save_link)
        self._code = code

    def _save_link(self, linked: bool) -> None:
        store = self._store
        review_id = store.review_id
        if review_id is None:
            return  # no review open (link_indicator pushes this only while one is)

        def work(db: Database) -> list[LinkedIndicator]:
            editing.set_indicator_link(db, review_id, self._code, linked)
            return editing.linked_indicators(db, review_id)

        def done(indicators: list[LinkedIndicator]) -> None:
            store.indicators = indicators
            store.indicators_changed.emit()
            store.changed()

        store.ctx.run_db(work, on_done=done, on_error=store.failed)
