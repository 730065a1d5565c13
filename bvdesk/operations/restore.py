"""Restoring a database from a backup, after first backing up the file it replaces.

The backup is first copied beside the database and made an ordinary database again (a backup
carries a mark saying it is one); that copy then goes through SQLite's backup API into the live
file, in one transaction: a crash or a full disk part-way leaves the current database as it
was, never a mixture of the two.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bvdesk.errors import BackupNotChanged, DatabaseProblem, FileProblem
from bvdesk.operations.progress import Progress
from bvdesk.store.backup import (
    backup_origin,
    backup_path,
    backup_to,
    backups_kept,
    list_backups,
    rotating_backup,
    unmark,
)
from bvdesk.store.db import known_revisions
from bvdesk.store.lock import WriterLock
from bvdesk.store.sqlite_file import APPLICATION_ID, SQLITE_HEADER


@dataclass(frozen=True, slots=True)
class RestoreResult:
    database: Path
    restored_from: Path
    #: The copy of the file as it was before the restore (None when there was no file).
    previous: Path | None

    def to_json(self) -> dict[str, str | None]:
        return {"database": str(self.database), "restored_from": str(self.restored_from),
                "previous": str(self.previous) if self.previous else None}


@dataclass(frozen=True, slots=True)
class BackupFile:
    """A backup in a database's backup folder."""

    path: Path
    #: When it was taken and why, as the backup says; None for those earlier versions wrote.
    taken_at: dt.datetime | None
    reason: str | None

    def to_json(self) -> dict[str, str | None]:
        return {"file": str(self.path),
                "taken_at": self.taken_at.isoformat() if self.taken_at else None,
                "reason": self.reason}


def backups_of(database: Path | str) -> list[BackupFile]:
    """The backups bvdesk took of ``database`` (in its backup folder), newest first."""
    found = []
    for path in list_backups(Path(database)):
        origin = backup_origin(path)
        found.append(BackupFile(path, origin.taken_at if origin else None,
                                origin.reason if origin else None))
    return found


def restore(database: Path | str, backup: Path | str, *, keep: int | None = None,
            now: dt.datetime | None = None, progress: Callable[[float], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> RestoreResult:
    """Replace ``database`` with the contents of ``backup``, keeping a copy of the current file.

    ``keep`` is how many automatic backups to keep (default: the database's ``backups_kept``
    setting). An older backup is brought up to date the next time the database is opened.

    Raises:
        FileProblem: the backup is missing, not a bvdesk database, damaged or from a newer
            bvdesk; the current file is not a bvdesk database; or it is open for writing.
        BackupNotChanged: the current file is itself a backup (of the database named).
        Cancelled: ``cancelled()`` became true; the database is as it was.
    """
    database, backup = Path(database), Path(backup)
    checking, keeping, unmarking, copying = Progress.of(progress, cancelled).steps(1, 1, 1, 3)
    check_restorable(backup)
    checking.done()
    checking.check(_CANCELLED)
    if database.exists() and database.resolve() == backup.resolve():
        raise FileProblem(f"{backup.name} is the database itself; choose a backup to restore.")
    exists = database.exists() and database.stat().st_size > 0
    if exists:
        _check_bvdesk_file(database, what=f"The current database ({database.name})")
        origin = backup_origin(database)
        if origin is not None:
            raise BackupNotChanged(
                f"{origin.described(database)} A backup stays as it was taken, so nothing was "
                f"restored into it: restore {backup.name} into {origin.source.name} instead.",
                backup=backup, source=origin.source)
    lock = WriterLock(database)
    try:
        lock.acquire()
    except OSError as exc:
        raise FileProblem(f"Cannot write beside {database}: {exc.strerror}.") from exc
    try:
        previous = _keep_current(database, keep, now) if exists else None
        keeping.done()
        ordinary = database.with_name(f".{database.name}.restoring")
        try:
            unmark(backup_to(backup, ordinary))
            unmarking.done()
            _copy_into(ordinary, database, copying)
        finally:
            ordinary.unlink(missing_ok=True)
    finally:
        lock.release()
    copying.done()
    return RestoreResult(database, backup, previous)


_CANCELLED = "The restore was cancelled; the database is as it was."
#: Pages copied between progress reports (and cancel checks): 128 KiB of 4 KiB pages.
_PAGES_PER_STEP = 32


def check_restorable(backup: Path) -> None:
    """Refuse anything but an intact bvdesk database that this version can open."""
    if not backup.is_file():
        raise FileProblem(f"There is no backup file at {backup}.")
    _check_bvdesk_file(backup, what=backup.name)
    try:
        connection = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise FileProblem(f"{backup.name} cannot be read as a database ({exc}); nothing was "
                          "restored.") from exc
    if verdict != "ok":
        raise FileProblem(f"{backup.name} is damaged ({verdict}); nothing was restored.")
    if revision is not None and revision[0] not in known_revisions():
        raise FileProblem(f"{backup.name} was written by a newer version of bvdesk; install it "
                          "to restore this backup. Nothing was restored.")


def _check_bvdesk_file(path: Path, *, what: str) -> None:
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise FileProblem(f"Cannot read {path}: {exc.strerror}.") from exc
    if not header.startswith(SQLITE_HEADER) or \
            int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise FileProblem(f"{what} is not a bvdesk database; nothing was restored.")


def _keep_current(database: Path, keep: int | None, now: dt.datetime | None) -> Path:
    """Back up the file about to be replaced; a damaged one is copied byte for byte."""
    kept = keep if keep is not None else backups_kept(database)
    try:
        copy = rotating_backup(database, reason="before-restore", force=True, keep=kept, now=now)
    except DatabaseProblem:
        copy = backup_path(database, "before-restore-damaged", now or dt.datetime.now())
        try:
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(database, copy)
        except OSError as exc:
            raise FileProblem(f"Cannot keep a copy of {database.name} before restoring: "
                              f"{exc.strerror}. Nothing was restored.") from exc
    assert copy is not None  # forced backups are always taken
    return copy


def _copy_into(backup: Path, database: Path, progress: Progress) -> None:
    """Copy ``backup`` into ``database`` a few pages at a time, reporting each step; the copy
    is one transaction on the target, so a cancel (or a crash) leaves the database as it was."""
    progress.check(_CANCELLED)
    if not database.exists() or database.stat().st_size == 0:
        backup_to(backup, database)
        return

    def step(_status: int, remaining: int, total: int) -> None:
        progress.check(_CANCELLED)
        progress((total - remaining) / total if total else 1.0)

    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(database, timeout=5)
        try:
            source.backup(target, pages=_PAGES_PER_STEP, progress=step)
        finally:
            target.close()
    except sqlite3.Error as exc:
        message = str(exc).lower()
        if "locked" in message or "busy" in message:
            raise FileProblem(f"{database.name} is in use by another program; close it there "
                              "and try again. Nothing was restored.") from exc
        raise FileProblem(f"Restoring {database.name} failed ({exc}); the database is as it "
                          "was.") from exc
    finally:
        source.close()
