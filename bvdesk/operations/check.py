"""``bvdesk check``: is the file sound, and has anything been changed behind bvdesk's back?

Three looks: the database's own integrity and foreign-key checks; the audit chain (an entry
edited, removed or reordered); and the data rows replayed against the last audit entry of each
field (a row edited with another tool). A file gets SQLite's integrity check; on a server, whose
pages PostgreSQL itself guards, every foreign key and check constraint is verified row by row.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError

from bvdesk.errors import DatabaseProblem
from bvdesk.operations.audit_replay import row_problems, row_problems_in
from bvdesk.store import audit, sqlite_file
from bvdesk.store.db import integrity_problems
from bvdesk.store.server import is_server_url, server_engine, server_integrity_problems


def check_database(path: Path | str) -> list[str]:
    """Every problem found, worded for a person; an empty list means the database is sound."""
    if is_server_url(path):
        return _check_server(str(path))
    path = Path(path)
    kind = sqlite_file.inspect(path)
    if kind is sqlite_file.Kind.MISSING:
        raise DatabaseProblem(f"There is no database at {path}.")
    if kind in (sqlite_file.Kind.UNFINISHED, sqlite_file.Kind.NOT_A_FILE):
        raise DatabaseProblem(sqlite_file.refusal(path, kind))
    with sqlite_file.reading(path) as uri:
        return _check_file(path, uri)


def _check_file(path: Path, uri: str) -> list[str]:
    problems = integrity_problems(path, uri)
    if any(p.startswith("the file cannot be read") for p in problems):
        return problems
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
    try:
        with engine.connect() as connection:
            broken = audit.verify(connection)
    except DBAPIError as exc:
        problems.append(f"the audit log cannot be read: {exc.orig}")
    else:
        if broken is not None:
            problems.append(f"audit: {broken.message}")
    finally:
        engine.dispose()
    problems += row_problems(path, uri)
    return problems


def _check_server(url: str) -> list[str]:
    """The same three looks on a server, in one read-only repeatable-read transaction, so a
    colleague's save cannot land between them."""
    from sqlalchemy.exc import OperationalError

    from bvdesk.store.server import connection_problem

    engine = server_engine(url, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
            problems = server_integrity_problems(connection)
            if problems and problems[0].startswith("not a bvdesk database"):
                return problems
            broken = audit.verify(connection)
            if broken is not None:
                problems.append(f"audit: {broken.message}")
            problems += row_problems_in(connection)
            return problems
    except OperationalError as exc:
        raise connection_problem(url, exc) from exc
    finally:
        engine.dispose()
