"""Copying a landlord's whole database between engines: a file to a server, a server to a file.

Every table is copied row for row with its ids, so evidence files, indicator values and the audit
log arrive exactly as they were: the chain's hashes are copied, not recomputed, and the copy is
checked before it is kept. The source is read in one snapshot (a repeatable-read transaction on a
server, one read transaction on a file), so colleagues saving meanwhile cannot tear it; the
target is written in one transaction that commits only after the checks pass.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.types import JSON

from bvdesk.errors import Cancelled, DatabaseProblem
from bvdesk.store import audit, server
from bvdesk.store.models import AuditEntry, Base, Evidence

if TYPE_CHECKING:
    from bvdesk.store.db import Database

#: Rows read and written per batch (and between progress reports and cancel checks).
BATCH = 5000


@dataclass
class CopyReport:
    """What was copied, and what the checks found (all equal when ``copy_database`` returns)."""

    rows: dict[str, int] = field(default_factory=dict)
    chain_head: str = audit.GENESIS
    evidence_files: int = 0

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def to_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "total": self.total, "audit_entries": self.rows.get(
            AuditEntry.__tablename__, 0), "chain_head": self.chain_head,
            "evidence_files": self.evidence_files}


def tables() -> list[Table]:
    """Every table of the schema, parents before children."""
    return list(Base.metadata.sorted_tables)


@contextmanager
def snapshot(db: Database) -> Iterator[Connection]:
    """A connection that sees the database as of one moment, for reading only."""
    if db.is_server:
        with db.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                connection.exec_driver_sql("SET TRANSACTION READ ONLY")
                yield connection
        return
    with db.engine.connect() as connection, connection.begin():
        yield connection


def is_empty(connection: Connection) -> bool:
    """Whether no table holds a row (a schema just created, nothing in it yet)."""
    return all(_count(connection, table) == 0 for table in tables())


def copy_database(source: Database, target: Database, *,
                  progress: Callable[[float], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> CopyReport:
    """Copy every row of ``source`` into the empty ``target``, check it, and commit.

    ``progress`` hears the share of the rows copied (0..1); ``cancelled`` is asked after every
    batch and before the commit.

    Raises:
        DatabaseProblem: the target already holds data, a row does not fit the target (the
            message names the table), or the checks found the copy differs from the source;
            nothing was kept in the target.
        Cancelled: ``cancelled()`` became true; nothing was kept in the target.
    """
    def check() -> None:
        if cancelled is not None and cancelled():
            raise Cancelled("The copy was cancelled; nothing was kept.")

    report = CopyReport()
    failures: tuple[type[Exception], ...] = (DBAPIError, *server.driver_errors())
    with snapshot(source) as reading, target.engine.connect() as writing, writing.begin():
        if writing.dialect.name == "postgresql":
            # Nobody else may write while the copy goes in (colleagues wait, nobody is lost).
            for table in tables():
                writing.exec_driver_sql(f'LOCK TABLE "{table.name}" IN EXCLUSIVE MODE')
        if not is_empty(writing):
            raise DatabaseProblem(f"{target.name} already holds data; bvdesk copies a landlord "
                                  "only into an empty database, so nothing was changed.")
        total = sum(_count(reading, table) for table in tables())
        copied = 0
        for table in tables():
            count = 0
            try:
                # Closed here even when cancelled: a server's cursor must not outlive its read.
                with closing(_batches(reading, table)) as batches:
                    for batch in batches:
                        check()
                        _insert(writing, table, batch)
                        count += len(batch)
                        copied += len(batch)
                        if progress is not None:
                            progress(copied / total)
            except failures as exc:  # say which table; keep nothing
                detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
                raise DatabaseProblem(f"Copying the {table.name} rows failed: {detail}. "
                                      f"Nothing was kept in {target.name}.") from exc
            report.rows[table.name] = count
        if writing.dialect.name == "postgresql":
            server.reset_sequences(writing, tables())
        _verify(reading, writing, report, target.name)
        check()
    return report


def _count(connection: Connection, table: Table) -> int:
    count: int = connection.execute(select(func.count()).select_from(table)).scalar_one()
    return count


def _batches(connection: Connection, table: Table) -> Generator[list[dict[str, Any]]]:
    order = list(table.primary_key.columns)
    with connection.execution_options(yield_per=BATCH).execute(
            select(table).order_by(*order)) as result:
        for partition in result.mappings().partitions(BATCH):
            yield [dict(row) for row in partition]


def _insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if connection.dialect.name == "postgresql":
        _copy_in(connection, table, rows)
    else:
        connection.execute(table.insert(), rows)


def _copy_in(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL's COPY: the bulk path, some ten times faster than row-by-row inserts."""
    columns = list(table.columns)
    json_columns = {c.name for c in columns if isinstance(c.type, JSON)}
    server.copy_rows(connection, table.name, [c.name for c in columns], (
        [json.dumps(row[c.name]) if c.name in json_columns and row[c.name] is not None
         else row[c.name] for c in columns] for row in rows))


def _verify(source: Connection, target: Connection, report: CopyReport, name: str) -> None:
    """Counts, the audit chain and every evidence file, compared before anything is kept."""
    for table in tables():
        copied, there = _count(target, table), _count(source, table)
        if copied != there or copied != report.rows[table.name]:
            raise DatabaseProblem(f"The copy in {name} has {copied} {table.name} rows where the "
                                  f"source has {there}; nothing was kept.")
    broken = audit.verify(target)
    if broken is not None:
        raise DatabaseProblem(f"The copied audit log does not verify ({broken.message}); "
                              "nothing was kept.")
    head = select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    source_head = source.execute(head).scalar() or audit.GENESIS
    target_head = target.execute(head).scalar() or audit.GENESIS
    if source_head != target_head:
        raise DatabaseProblem("The copied audit log ends on a different entry from the "
                              "source's; nothing was kept.")
    report.chain_head = target_head
    for evidence_id, content, digest in target.execute(
            select(Evidence.id, Evidence.content, Evidence.sha256)):
        if hashlib.sha256(content).hexdigest() != digest:
            raise DatabaseProblem(f"Evidence file {evidence_id} did not copy intact; nothing "
                                  "was kept.")
        report.evidence_files += 1


def snapshot_to_file(db: Database, target: Path) -> Path:
    """A server database written as an ordinary bvdesk file that opens offline, all or
    nothing (built under a temporary name and moved into place once checked)."""
    from bvdesk.store import sqlite_file
    from bvdesk.store.db import Database

    target = Path(target)
    with sqlite_file.creating(target) as temp:
        copy = Database.open(temp, write=True, create=True, user=db.user)
        try:
            copy_database(db, copy)
        finally:
            copy.close()
    return target
