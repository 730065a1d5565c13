"""Backups: consistent copies through SQLite's online backup API, kept in rotation."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

from bvdesk.errors import DatabaseProblem, FileProblem
from bvdesk.paths import backup_dir

#: How many automatic backups to keep per database (the oldest go first).
DEFAULT_KEEP = 10


def backup_to(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` consistently, even while another process writes to it.

    The copy is written beside the target first and renamed into place, so a failure never
    leaves a half-written backup where a good one is expected.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileProblem(f"Cannot create {target.parent}: {exc.strerror}.") from exc
    partial = target.with_name(target.name + ".partial")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
        os.replace(partial, target)
    except sqlite3.Error as exc:
        _remove_partial(partial)
        raise DatabaseProblem(f"The backup to {target} failed: {exc}. Nothing was "
                              "overwritten.") from exc
    except OSError as exc:
        _remove_partial(partial)
        raise FileProblem(f"Cannot write the backup {target}: {exc.strerror}.") from exc
    finally:
        src.close()
    return target


def _remove_partial(partial: Path) -> None:
    for leftover in (partial, partial.with_name(partial.name + "-journal")):
        leftover.unlink(missing_ok=True)


def backups_kept(database: Path) -> int:
    """The database's ``backups_kept`` setting; the default when it cannot be read."""
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            row = connection.execute(
                "SELECT value FROM setting WHERE key = 'backups_kept'").fetchone()
        finally:
            connection.close()
        if row is None or row[0] is None:
            return DEFAULT_KEEP
        # JSON columns have numeric affinity in SQLite: a stored 5 comes back as the integer 5.
        value = json.loads(row[0]) if isinstance(row[0], str) else row[0]
        return max(1, int(value))
    except (sqlite3.Error, ValueError, TypeError):
        return DEFAULT_KEEP


def rotating_backup(database: Path, *, reason: str, force: bool = False,
                    keep: int | None = None, now: dt.datetime | None = None) -> Path | None:
    """An automatic backup into the database's backup folder.

    Without ``force`` it is skipped when one was already taken today. Keeps the newest ``keep``
    (default: the database's ``backups_kept`` setting), and clears what an interrupted backup
    left behind.
    """
    now = now or dt.datetime.now()
    keep = backups_kept(database) if keep is None else keep
    folder = backup_dir(database)
    for leftover in folder.glob(f"{database.stem}-*.partial*") if folder.is_dir() else ():
        leftover.unlink(missing_ok=True)
    existing = list_backups(database)
    if not force and any(b.stat().st_mtime >= _midnight(now) for b in existing):
        return None
    target = folder / f"{database.stem}-{now:%Y%m%d-%H%M%S}-{reason}.sqlite"
    backup_to(database, target)
    for old in list_backups(database)[keep:]:
        old.unlink(missing_ok=True)
    return target


def list_backups(database: Path) -> list[Path]:
    """Automatic backups of ``database``, newest first."""
    folder = backup_dir(database)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{database.stem}-*.sqlite"), key=lambda p: p.name, reverse=True)


def _midnight(now: dt.datetime) -> float:
    return dt.datetime.combine(now.date(), dt.time()).timestamp()
