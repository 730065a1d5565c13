"""A team server: who holds which role (``bvdesk server``), and hearing colleagues' saves."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.exc import DBAPIError

from bvdesk.errors import InputRefused, NotOnServer
from bvdesk.operations import changes
from bvdesk.store import roles, server
from bvdesk.store.db import Database

ROLES = roles.ROLES


def _on_server(db: Database) -> None:
    if not db.is_server:
        raise NotOnServer("Roles are kept by a team server; a database file has one user at a "
                          "time. Move the database to a server first.")


def grant_role(db: Database, login: str, role: str) -> None:
    """Give ``login`` the ``role`` (reader, officer, approver or administrator).

    Raises:
        InputRefused: not a server, an unknown role or login.
        DatabaseProblem: this login may not manage roles.
    """
    _on_server(db)
    roles.group_role("x", role)  # an unknown role is refused before anything is asked
    try:
        with db.engine.begin() as connection:
            roles.grant(connection, login, role)
    except DBAPIError as exc:
        raise _not_allowed(db, exc) from exc


def revoke_role(db: Database, login: str, role: str) -> None:
    _on_server(db)
    roles.group_role("x", role)
    try:
        with db.engine.begin() as connection:
            roles.revoke(connection, login, role)
    except DBAPIError as exc:
        raise _not_allowed(db, exc) from exc


def role_holders(db: Database) -> dict[str, str]:
    _on_server(db)
    with db.engine.connect() as connection:
        return roles.holders(connection)


def _not_allowed(db: Database, exc: DBAPIError) -> Exception:
    if server.refused(exc) or "must be owner" in str(exc.orig) or "permission" in str(exc.orig):
        detail = str(exc.orig).strip().splitlines()[0]
        return InputRefused(f"Your login {db.user} may not manage roles on this database "
                            f"({detail}). Its owner, or an administrator, can.")
    return exc


def watch(db: Database, on_topics: Callable[[frozenset[str]], None],
          stop: Callable[[], bool]) -> None:
    """Until ``stop()``, call ``on_topics`` with what colleagues wrote (the topics of
    ``operations.changes``) each time one of them commits; this process's own writes are left
    to the screens that made them. Returns at once for a database file. Blocks: run it on a
    thread of its own."""
    if not db.is_server:
        return
    seen = changes.mark(db)

    def notice(payload: str) -> None:
        nonlocal seen
        if payload == server.PROCESS_TOKEN:
            return
        now = changes.mark(db)
        topics = changes.topics_since(db, seen)
        seen = now
        if topics:
            on_topics(topics)

    server.listen(db.engine, stop, notice)
