"""A save that lost a race with a colleague, told in values rather than versions.

Every editable row carries a version (``models.Versioned``); a save based on a row that a
colleague changed since is refused by the database (``StaleDataError``). ``pending`` notes what
the refused session was saving before it is rolled back; ``refusal`` then reads what is there now
and says, field by field, what the colleague saved, who and when (from the audit log), against
what this session tried to save. Nothing of the refused session is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from bvdesk.errors import RecordChanged, ReviewLocked
from bvdesk.store import audit
from bvdesk.store.models import AuditEntry, Base, Review, table_of


@dataclass(frozen=True, slots=True)
class Saved:
    """Who saved a value, and when (from the audit log)."""

    by: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class Clash:
    """One field (or, with ``field`` None, a whole row a colleague deleted) that this session
    and a colleague both changed."""

    table: str
    #: The row as the audit log names it: "5", or "3:7" for a row with a two-column key.
    row_id: str
    key: tuple[Any, ...]
    field: str | None
    seen: Any
    theirs: Any
    mine: Any
    saved: Saved | None


class RowsChanged(RecordChanged):
    """A colleague saved the rows this session was saving; ``clashes`` says what each holds
    now against what this session tried to save (empty: they changed other fields only)."""

    def __init__(self, message: str, clashes: tuple[Clash, ...]) -> None:
        super().__init__(message)
        self.clashes = clashes


@dataclass(frozen=True, slots=True)
class Pending:
    """A row this session was updating or deleting, as it was when read and as it would be."""

    model: type[Base]
    key: tuple[Any, ...]
    #: field -> (the value read, the value being saved); empty for a deletion.
    changes: dict[str, tuple[Any, Any]]
    deleted: bool


#: Session.info key: what a session was saving when its transaction was rolled back.
PENDING = "bvdesk.pending"


def install(session_factory: Any) -> None:
    """Note what each session was saving when a failed save rolls it back (a flush refused
    by a row's version rolls back before the error reaches the caller, and forgets it)."""
    event.listen(session_factory, "after_rollback", _note_pending)


def _note_pending(session: Session) -> None:
    if session.dirty or session.deleted:
        session.info[PENDING] = pending(session)


def pending(session: Session) -> list[Pending]:
    """What ``session`` is saving over rows that already exist."""
    found = []
    for obj in (*session.dirty, *session.deleted):
        state = inspect(obj)
        mapper = state.mapper
        if not isinstance(obj, Base) or mapper.version_id_col is None or state.identity is None:
            continue
        changes = {}
        for attr in mapper.column_attrs:
            if mapper.version_id_col in attr.columns:
                continue
            history = state.attrs[attr.key].history
            if history.added and history.deleted:
                changes[attr.key] = (history.deleted[0], history.added[0])
        deleted = obj in session.deleted
        if changes or deleted:
            found.append(Pending(mapper.class_, tuple(state.identity), changes, deleted))
    return found


def last_saved(session: Session, table: str, row_id: str, field: str | None,
               value: Any) -> Saved | None:
    """Who saved ``value`` into ``field`` of a row, and when: the audit log's last entry for the
    field, when it recorded that value (with ``field`` None: who deleted the row)."""
    query = select(AuditEntry.user, AuditEntry.at, AuditEntry.new).where(
        AuditEntry.entity == table, AuditEntry.entity_id == row_id)
    query = (query.where(AuditEntry.field == field) if field is not None
             else query.where(AuditEntry.action == "delete"))
    last = session.execute(query.order_by(AuditEntry.id.desc()).limit(1)).first()
    if last is None or (field is not None and last.new != audit.fmt(value)):
        return None
    return Saved(last.user, dt.datetime.fromisoformat(last.at))


def refusal(session: Session, rows: Iterable[Pending]) -> ReviewLocked | RowsChanged:
    """Why the rows could not be saved, read in ``session`` (a fresh one) after the refused
    session was rolled back: the review was signed off meanwhile (said as any edit of a
    signed-off review is), or a colleague saved the rows, field by field."""
    rows = list(rows)
    current = [session.get(row.model, row.key) for row in rows]
    reviews = {review_id for obj in current
               if obj is not None and (review_id := obj.owning_review_id()) is not None}
    locked = sorted(review_id for review_id in reviews if session.scalar(
        select(Review.locked).where(Review.id == review_id)))
    if locked:
        return ReviewLocked(audit.locked_message(locked[0]), locked[0])
    clashes = tuple(clash for row, now in zip(rows, current, strict=True)
                    for clash in _clashes(session, row, now))
    return RowsChanged(_said(clashes), clashes)


def _clashes(session: Session, row: Pending, now: Base | None) -> Iterable[Clash]:
    table = table_of(row.model).name
    row_id = ":".join(str(part) for part in row.key)
    if now is None:
        yield Clash(table, row_id, row.key, None, None, None, None,
                    last_saved(session, table, row_id, None, None))
        return
    for field, (seen, mine) in row.changes.items():
        theirs = getattr(now, field)
        if theirs != seen and theirs != mine:
            yield Clash(table, row_id, row.key, field, seen, theirs, mine,
                        last_saved(session, table, row_id, field, theirs))


def said_when(saved: Saved | None) -> str:
    """' on 2 December 2026 at 10:32' (UTC, as the audit log keeps it), or '' when unknown."""
    return f" on {saved.at.day} {saved.at:%B %Y at %H:%M}" if saved is not None else ""


def _said(clashes: tuple[Clash, ...]) -> str:
    parts = []
    for clash in clashes:
        who = clash.saved.by if clash.saved is not None else "a colleague"
        what = f"{clash.table.replace('_', ' ')} {clash.row_id}"
        if clash.field is None:
            parts.append(f"{who} deleted {what}{said_when(clash.saved)}.")
        else:
            parts.append(f"{who} saved {clash.theirs!r} as the {clash.field.replace('_', ' ')} "
                         f"of {what}{said_when(clash.saved)}; you were saving {clash.mine!r}.")
    return " ".join(["A colleague saved a change to the same record while yours was being "
                     "saved; nothing of yours was saved.", *parts,
                     "Look at their change and make yours again."])
