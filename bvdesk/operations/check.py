"""``bvdesk check``: is the file sound, and has anything been changed behind bvdesk's back?

Three looks: SQLite's own integrity and foreign-key checks; the audit chain (an entry edited,
removed or reordered); and the data rows replayed against the last audit entry of each field
(a row edited with another tool).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError

from bvdesk.errors import DatabaseProblem
from bvdesk.operations.audit_replay import row_problems
from bvdesk.store import audit
from bvdesk.store.db import integrity_problems


def check_database(path: Path) -> list[str]:
    """Every problem found, worded for a person; an empty list means the file is sound."""
    if not path.is_file():
        raise DatabaseProblem(f"There is no database at {path}.")
    problems = integrity_problems(path)
    if any(p.startswith("the file cannot be read") for p in problems):
        return problems
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
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
    problems += row_problems(path)
    return problems
