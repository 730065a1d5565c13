"""The audit log: every change, append-only, each entry chained to the one before by SHA-256.

Changes made through the ORM are recorded by a session hook (``install``), which also refuses any
change under a signed-off review. Bulk writers (the indicator import) write with Core and call
``record`` themselves. ``verify`` recomputes the chain; a row edited behind bvdesk's back breaks it.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, event, inspect, select, text
from sqlalchemy.orm import Session, UOWTransaction

from bvdesk.errors import ReviewLocked
from bvdesk.store.models import AuditEntry, Base, Review, table_of

GENESIS = "0" * 64

#: The advisory lock key that serialises appends on a server (``store.server.AUDIT_LOCK``).
AUDIT_LOCK = 0x62766402

#: Session.info keys.
USER = "bvdesk.user"
CLOCK = "bvdesk.clock"
ALLOW_LOCKED = "bvdesk.allow_locked"


@dataclass(frozen=True, slots=True)
class Change:
    action: str
    entity: str
    entity_id: str
    field: str | None = None
    old: str | None = None
    new: str | None = None


def default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def entry_hash(prev_hash: str, at: str, user: str, change: Change) -> str:
    payload = json.dumps([prev_hash, at, user, change.action, change.entity, change.entity_id,
                          change.field, change.old, change.new], ensure_ascii=False,
                         separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(connection: Connection, changes: Iterable[Change], *, user: str,
           at: dt.datetime) -> int:
    """Append ``changes`` to the chain inside the caller's transaction; returns how many.

    On a server, appends are serialised by the database: a transaction-scoped advisory lock is
    taken before the chain's head is read, and held until the caller commits, so two desktops
    appending at once each chain onto the other's entries instead of forking the chain.
    """
    table = table_of(AuditEntry)
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({AUDIT_LOCK})")
    prev = connection.execute(
        select(table.c.hash).order_by(table.c.id.desc()).limit(1)).scalar()
    prev = prev or GENESIS
    stamp = at.isoformat(timespec="microseconds")
    rows = []
    for change in changes:
        digest = entry_hash(prev, stamp, user, change)
        rows.append({"at": stamp, "user": user, "action": change.action,
                     "entity": change.entity, "entity_id": change.entity_id,
                     "field": change.field, "old": change.old, "new": change.new,
                     "prev_hash": prev, "hash": digest})
        prev = digest
    if rows:
        connection.execute(table.insert(), rows)
        if connection.dialect.name == "postgresql":
            from bvdesk.store.server import announce

            announce(connection)
    return len(rows)


@dataclass(frozen=True, slots=True)
class ChainProblem:
    entry_id: int
    message: str


def verify(connection: Connection) -> ChainProblem | None:
    """Recompute the chain; return the first broken entry, or None when it is intact."""
    prev = GENESIS
    rows = connection.execute(text(
        "SELECT id, at, \"user\", action, entity, entity_id, field, old, new, prev_hash, hash "
        "FROM audit_log ORDER BY id"))
    for row in rows:
        if row.prev_hash != prev:
            return ChainProblem(row.id, f"audit entry {row.id} does not follow the entry before "
                                        "it: an entry was removed or reordered")
        change = Change(row.action, row.entity, row.entity_id, row.field, row.old, row.new)
        if entry_hash(prev, row.at, row.user, change) != row.hash:
            return ChainProblem(row.id, f"audit entry {row.id} ({row.entity} {row.entity_id}, "
                                        f"{row.at}) was changed after it was written")
        prev = row.hash
    return None


def install(session_factory: Any) -> None:
    """Hook the audit log and the sign-off lock into every session the factory makes."""
    event.listen(session_factory, "after_flush", _after_flush)


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    changes = list(_changes(session))
    _refuse_locked(session)
    if changes:
        clock: Callable[[], dt.datetime] = session.info.get(CLOCK, utc_now)
        record(session.connection(), changes, user=session.info.get(USER) or default_user(),
               at=clock())


def _refuse_locked(session: Session) -> None:
    if session.info.get(ALLOW_LOCKED):
        return
    touched: dict[int, str] = {}
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, Base) or isinstance(obj, AuditEntry):
            continue
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        review_id = obj.owning_review_id()
        if review_id is not None:
            touched.setdefault(review_id, type(obj).__name__)
    if not touched:
        return
    # FOR SHARE on a server: a sign-off committing meanwhile waits for this transaction, or this
    # one waits for it and then sees the lock; a review is locked for everyone at once.
    rows = session.connection().execute(
        select(Review.id, Review.locked).where(Review.id.in_(touched))
        .with_for_update(read=True)).all()
    locked = {review_id for review_id, is_locked in rows if is_locked}
    # A review locked by this very flush (a sign-off) was not locked before it.
    for obj in session.dirty:
        if isinstance(obj, Review):
            history = inspect(obj).attrs.locked.history
            if history.deleted and not history.deleted[0]:
                locked.discard(obj.id)
    if locked:
        raise ReviewLocked(locked_message(min(locked)), min(locked))


def locked_message(review_id: int) -> str:
    """What a change under a signed-off review is told."""
    return (f"Review {review_id} is signed off and read-only: nothing was changed. "
            "Reopen it as a new version first to make changes.")


def _changes(session: Session) -> Iterator[Change]:
    for obj in _in_order(session.new):
        yield from _row_changes("insert", obj, lambda attr: (None, fmt(attr.value)))
    for obj in _in_order(session.dirty):
        yield from _row_changes("update", obj, _update_values)
    for obj in _in_order(session.deleted):
        yield from _row_changes("delete", obj, lambda attr: (fmt(attr.value), None))


def _in_order(objects: Iterable[object]) -> list[Base]:
    """The session's sets have no order; the log must, so the same work logs the same way."""
    rows = [o for o in objects if isinstance(o, Base) and not isinstance(o, AuditEntry)]
    return sorted(rows, key=lambda o: (type(o).__tablename__,
                                       tuple(str(part) for part in inspect(o).identity or ())))


def _update_values(attr: Any) -> tuple[str | None, str | None] | None:
    history = attr.history
    if not history.has_changes():
        return None
    old = history.deleted[0] if history.deleted else None
    new = history.added[0] if history.added else None
    if fmt(old) == fmt(new):
        return None
    return fmt(old), fmt(new)


def _row_changes(action: str, obj: Base,
                 values: Callable[[Any], tuple[str | None, str | None] | None]) -> Iterator[Change]:
    state = inspect(obj)
    mapper = state.mapper
    entity = table_of(mapper.class_).name
    identity = state.identity or tuple(
        getattr(obj, mapper.get_property_by_column(c).key) for c in mapper.primary_key)
    entity_id = ":".join(str(part) for part in identity)
    for column_attr in mapper.column_attrs:
        if mapper.version_id_col is not None and mapper.version_id_col in column_attr.columns:
            continue  # the row's version is bookkeeping, not a change a person made
        pair = values(state.attrs[column_attr.key])
        if pair is None:
            continue
        if action == "insert" and pair[1] is None:
            continue
        yield Change(action, entity, entity_id, column_attr.key, pair[0], pair[1])


def fmt(value: Any) -> str | None:
    """A value as the log writes it: ISO dates, sorted JSON, hashes for bytes."""
    if value is None:
        return None
    if isinstance(value, bytes):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
