"""A landlord's database through its life in the app: open, create, demo, restore, back up, close.

The desktop app keeps one database open at a time. Each use case here closes the database it
replaces first (or, when creating, only once the new one exists), opens the new one, reads its
landlord, and closes it again if that fails, so no caller can leave a half-open database behind.
``Database`` is re-exported as the handle the app holds between use cases; the app never opens a
session on it itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bvdesk.errors import BvdeskError, InputRefused
from bvdesk.operations import home_figures
from bvdesk.operations.dashboard import dashboard
from bvdesk.operations.landlord import Landlord, get_landlord, init_database
from bvdesk.operations.restore import RestoreResult, restore
from bvdesk.store import server, sqlite_file
from bvdesk.store.audit import default_user
from bvdesk.store.backup import BackupOrigin, backup_origin, rotating_backup
from bvdesk.store.db import Database
from bvdesk.store.server import is_server_url

__all__ = ["BackupOrigin", "Database", "OpenedDatabase", "backup_now", "close_database",
           "create_database", "default_user", "is_server_url", "open_database", "open_demo",
           "restore_backup", "use_password_prompt"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OpenedDatabase:
    """A database open for the app, and the landlord it belongs to."""

    db: Database
    landlord: Landlord


def use_password_prompt(prompt: Callable[[str], str | None] | None) -> None:
    """How a team server's password is asked for when libpq finds none: ``prompt`` gets the
    server's address (without any password) and returns the password, or None to give up. The
    answer is kept in memory for the open database only."""
    server.ask_password = prompt


def close_database(db: Database | None) -> None:
    """Close ``db``; a database file keeps its home page figures as they are now, for the next
    start to show at once (``home_figures.recall``)."""
    if db is None:
        return
    figures = None
    if db.path is not None:
        try:
            figures = dashboard(db)
        except Exception:  # noqa: BLE001 - the copy only saves time; the database still closes
            log.warning("home page figures not kept for %s", db.path, exc_info=True)
    db.close()
    if figures is not None and db.path is not None:
        home_figures.remember(db.path, figures)


def _with_landlord(db: Database) -> OpenedDatabase:
    try:
        return OpenedDatabase(db, get_landlord(db))
    except BaseException:
        db.close()
        raise


def open_database(path: Path | str, *, user: str,
                  replacing: Database | None = None) -> OpenedDatabase:
    """Close ``replacing``, then open ``path`` (a file or a server URL) for writing with its
    landlord; a file this user may only read opens read-only (``db.read_only``), and so does
    a backup, which says what it is a backup of (``db.backup_of``)."""
    close_database(replacing)
    if is_server_url(path):
        return _with_landlord(Database.open(path, write=True, user=user))
    target = Path(path)
    write = not target.exists() or (sqlite_file.writable(target)
                                    and backup_origin(target) is None)
    return _with_landlord(Database.open(target, write=write, user=user))


def open_demo(target: Path, *, user: str, replacing: Database | None = None) -> OpenedDatabase:
    """Close ``replacing``, create the demo at ``target`` if it is not there, and open it."""
    from bvdesk.operations.demo import create_demo

    close_database(replacing)
    create_demo(target)
    return _with_landlord(Database.open(target, write=True, user=user))


def create_database(path: Path, name: str, code: str | None, *, user: str,
                    homes: int | None = None, region: str | None = None,
                    replacing: Database | None = None) -> OpenedDatabase:
    """Create a landlord's database at ``path`` (with the ``homes`` it owns and its
    ``region``, when known) and open it; ``replacing`` is closed only once the new one exists,
    so a refused name leaves the current database open."""
    opened = _with_landlord(init_database(path, name, code, homes=homes, region=region,
                                          user=user))
    close_database(replacing)
    return opened


def restore_backup(db: Database, backup: Path, *, user: str,
                   progress: Callable[[float], None] | None = None,
                   cancelled: Callable[[], bool] | None = None
                   ) -> tuple[OpenedDatabase, RestoreResult | BvdeskError]:
    """Close ``db``, replace its file with ``backup`` (keeping a copy), and reopen it. When
    ``db`` is itself a backup, open to look at, the database it is a backup of is replaced and
    opened.

    What was open is reopened if the restore did not go through; a refused restore comes back
    as the error beside it, for the app to show.
    """
    if db.path is None:
        raise InputRefused("A server database is restored by your IT team from the server's "
                           "own backups; bvdesk restores database files only.")
    target = db.backup_of.source if db.backup_of is not None else db.path
    db.close()
    outcome: RestoreResult | BvdeskError
    try:
        outcome = restore(target, backup, progress=progress, cancelled=cancelled)
    except BvdeskError as exc:  # refused or cancelled: the database is as it was
        outcome = exc
    reopened = target if isinstance(outcome, RestoreResult) else db.path
    return open_database(reopened, user=user), outcome


def backup_now(db: Database) -> Path | None:
    """A backup of the open database taken now, whatever the day's backups already hold.

    A server database is kept by the server's own backups; this returns None for it (the app
    offers "Save a copy as a file" instead, which is ``Database.backup``).
    """
    if db.path is None:
        return None
    return rotating_backup(db.path, reason="manual", force=True)
