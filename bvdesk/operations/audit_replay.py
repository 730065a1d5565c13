"""Rows changed behind bvdesk's back: the data no longer matches what the audit log recorded.

The hash chain (``store.audit.verify``) proves the audit log itself is intact; this replays it
against the data. For every field the log holds a value for, the last recorded value must be the
value in the table, and a row whose deletion was recorded must not exist. A change made with the
sqlite3 shell (or any other program) shows up here with the audit entry it contradicts.

Rows written in bulk without per-field entries (imported indicator values) and rows removed by
the database's own cascades are outside what the log can vouch for, and are not reported.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, select, text
from sqlalchemy.exc import DBAPIError

from bvdesk.store.audit import fmt  # exactly the formatting the log was written with
from bvdesk.store.models import Base, table_of


@dataclass(frozen=True, slots=True)
class RowMismatch:
    entry_id: int
    entity: str
    entity_id: str
    field: str | None
    recorded: str | None
    found: str | None

    @property
    def message(self) -> str:
        if self.field is None:
            return (f"{self.entity} {self.entity_id} exists, but audit entry {self.entry_id} "
                    "recorded its deletion: it was put back behind bvdesk's back")
        return (f"{self.entity} {self.entity_id} {self.field} is {_short(self.found)} in the "
                f"database, but audit entry {self.entry_id} recorded {_short(self.recorded)}: "
                "it was changed behind bvdesk's back")


def row_mismatches(connection: Connection) -> list[RowMismatch]:
    """Every field that contradicts the audit log, ordered by the audit entry contradicted."""
    recorded, deleted = _replay(connection)
    found: list[RowMismatch] = []
    for mapper in Base.registry.mappers:
        table = table_of(mapper.class_)
        keys = [column.name for column in mapper.primary_key]
        if not any(entity == table.name for entity, _ in (*recorded, *deleted)):
            continue
        for row in connection.execute(select(table)).mappings():
            entity_id = ":".join(str(row[k]) for k in keys)
            where = (table.name, entity_id)
            if where in deleted:
                found.append(RowMismatch(deleted[where], table.name, entity_id, None, None,
                                         None))
            for field, (entry_id, value) in recorded.get(where, {}).items():
                if field in row and not _same(value, fmt(row[field])):
                    found.append(RowMismatch(entry_id, table.name, entity_id, field, value,
                                             fmt(row[field])))
    return sorted(found, key=lambda m: m.entry_id)


def row_problems(path: Path, uri: str | None = None) -> list[str]:
    """``row_mismatches`` of the database at ``path`` (read through ``uri`` when given),
    worded for ``bvdesk check``: the first contradicted entry, and how many more there are."""
    read = uri or f"file:{path}?mode=ro"
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(read, uri=True))
    try:
        with engine.connect() as connection:
            return row_problems_in(connection)
    finally:
        engine.dispose()


def row_problems_in(connection: Connection) -> list[str]:
    """``row_problems`` on an open connection (a file or a server)."""
    try:
        mismatches = row_mismatches(connection)
    except DBAPIError as exc:
        return [f"the data cannot be compared with the audit log: {exc.orig}"]
    if not mismatches:
        return []
    more = len(mismatches) - 1
    return [f"data: {mismatches[0].message}"
            + (f" ({more} more field(s) differ from the audit log)" if more else "")]


def _replay(connection: Connection) -> tuple[dict[tuple[str, str], dict[str, tuple[int, Any]]],
                                             dict[tuple[str, str], int]]:
    recorded: dict[tuple[str, str], dict[str, tuple[int, Any]]] = {}
    deleted: dict[tuple[str, str], int] = {}
    rows = connection.execute(text(
        "SELECT id, action, entity, entity_id, field, new FROM audit_log ORDER BY id"))
    for entry_id, action, entity, entity_id, field, new in rows:
        where = (entity, entity_id)
        if action == "delete":
            recorded.pop(where, None)
            deleted[where] = entry_id
        elif action in ("insert", "update") and field is not None:
            deleted.pop(where, None)
            recorded.setdefault(where, {})[field] = (entry_id, new)
    return recorded, deleted


def _same(recorded: str | None, found: str | None) -> bool:
    """Equal as recorded, or as numbers (an int written to a float column reads back as 25.0)."""
    if recorded == found:
        return True
    if recorded is None or found is None:
        return False
    try:
        return float(recorded) == float(found)
    except ValueError:
        return False


def _short(value: str | None) -> str:
    if value is None:
        return "empty"
    return repr(value if len(value) <= 60 else value[:57] + "...")
