"""Backups: consistent copies through SQLite's online backup API, kept in rotation.

A backup is a bvdesk file a person can recognise and open: ``landlord backup 2026-12-02 1405
daily.bvdesk`` in ``landlord-backups/`` beside the database. It carries a small table no
database has (``bvdesk_backup``: the database it was taken of, when and why), so opening it
anywhere, under any name, says it is a backup rather than letting someone work in a copy;
restoring it leaves that table behind. Backups named as earlier versions named them
(``landlord-20261202-140512-daily.sqlite``) are still listed and restored.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bvdesk.errors import DatabaseProblem, FileProblem
from bvdesk.paths import DATABASE_SUFFIX, backup_dir
from bvdesk.store.sqlite_file import reading

#: How many automatic backups to keep per database (the oldest go first).
DEFAULT_KEEP = 10
#: The table only a backup has: the database it was taken of, when, and why.
MARK_TABLE = "bvdesk_backup"
#: Why a backup was taken, as its file name says it (``before-upgrade-<schema>`` is shortened).
_REASON_WORDS = {"before-restore-damaged": "before restore, damaged"}


@dataclass(frozen=True, slots=True)
class BackupOrigin:
    """What a backup file says of itself."""

    #: The database file it is a backup of, where it was when the backup was taken.
    source: Path
    #: When it was taken (the computer's local time).
    taken_at: dt.datetime
    #: Why: ``daily``, ``manual``, ``before-restore``, ``before-upgrade-<schema>``.
    reason: str
    #: The landlord whose database it is, when the backup names one.
    landlord: str | None

    def described(self, backup: Path) -> str:
        """One sentence a person reads: which database, whose, and when."""
        whose = f"{self.landlord}'s database" if self.landlord else "the database"
        when = self.taken_at
        return (f"{backup.name} is a backup of {whose} {self.source.name}, taken on "
                f"{when.day} {when:%B %Y} at {when:%H:%M}.")


def backup_to(source: Path, target: Path, *, reason: str | None = None,
              now: dt.datetime | None = None) -> Path:
    """Copy ``source`` to ``target`` consistently, even while another process writes to it.

    With ``reason`` the copy is marked as a backup of ``source`` taken ``now`` (a copy of a
    backup keeps the mark it has). The copy is written beside the target first and renamed
    into place, so a failure never leaves a half-written backup where a good one is expected.
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
            if reason is not None:
                _mark(dst, source, reason, now or dt.datetime.now())
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


def mark_backup(copy: Path, source: Path, reason: str, now: dt.datetime | None = None) -> None:
    """Mark ``copy`` (a finished copy of ``source``) as a backup of it taken ``now``."""
    try:
        connection = sqlite3.connect(copy)
        try:
            _mark(connection, source, reason, now or dt.datetime.now())
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise DatabaseProblem(f"The backup {copy.name} could not be marked as one: "
                              f"{exc}.") from exc


def _mark(connection: sqlite3.Connection, source: Path, reason: str, now: dt.datetime) -> None:
    if _has_mark(connection):
        return  # a copy of a backup: still a backup of the database it was taken of
    with connection:
        connection.execute(f"CREATE TABLE {MARK_TABLE} (source TEXT NOT NULL, "
                           "taken_at TEXT NOT NULL, reason TEXT NOT NULL)")
        connection.execute(f"INSERT INTO {MARK_TABLE} VALUES (?, ?, ?)",
                           (str(Path(source).resolve()), now.isoformat(timespec="seconds"),
                            reason))


def _has_mark(connection: sqlite3.Connection) -> bool:
    return connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                              (MARK_TABLE,)).fetchone() is not None


def unmark(copy: Path) -> None:
    """Make a copy of a backup an ordinary database again (what a restore puts in place, and
    what a backup copied back over its own database by hand becomes when it is next opened for
    writing); an ordinary database is left as it is."""
    try:
        connection = sqlite3.connect(copy, timeout=5)
        try:
            with connection:
                if _has_mark(connection):
                    connection.execute(f"DROP TABLE {MARK_TABLE}")
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise DatabaseProblem(f"The backup could not be made an ordinary database again "
                              f"({exc}); nothing was changed.") from exc


def backup_origin(path: Path) -> BackupOrigin | None:
    """What ``path`` says of itself if it is a backup; None for a database (or a file that
    cannot be read, which opening it explains). A backup copied back over the database it was
    taken of (by hand, in a file manager) is that database again."""
    try:
        with reading(path) as uri:
            return _origin(path, uri)
    except (DatabaseProblem, OSError):
        return None


def _origin(path: Path, uri: str) -> BackupOrigin | None:
    try:
        connection = sqlite3.connect(uri, uri=True)
    except (sqlite3.Error, OSError, ValueError):
        return None
    try:
        if not _has_mark(connection):
            return None
        row = connection.execute(f"SELECT source, taken_at, reason FROM {MARK_TABLE}").fetchone()
        if row is None or Path(row[0]) == path.resolve():
            return None
        try:
            named = connection.execute(
                "SELECT name FROM organisation WHERE is_self").fetchone()
        except sqlite3.Error:
            named = None
        return BackupOrigin(Path(row[0]), dt.datetime.fromisoformat(row[1]), row[2],
                            named[0] if named else None)
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        connection.close()


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


def backup_path(database: Path, reason: str, now: dt.datetime) -> Path:
    """Where a backup of ``database`` taken ``now`` for ``reason`` goes: in its backup folder,
    named ``<name> backup <date> <hhmm> <why>.bvdesk`` (``(2)`` and so on after a name taken
    already)."""
    words = _REASON_WORDS.get(reason) or re.sub(r"-upgrade-.*", "-upgrade", reason)
    base = f"{database.stem} backup {now:%Y-%m-%d %H%M} {words.replace('-', ' ')}"
    folder = backup_dir(database)
    target = folder / f"{base}{DATABASE_SUFFIX}"
    number = 2
    while target.exists():
        target = folder / f"{base} ({number}){DATABASE_SUFFIX}"
        number += 1
    return target


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
    stem = glob.escape(database.stem)
    for pattern in (f"{stem}-*.partial*", f"{stem} backup *.partial*"):
        for leftover in folder.glob(pattern) if folder.is_dir() else ():
            leftover.unlink(missing_ok=True)
    existing = list_backups(database)
    if not force and any(b.stat().st_mtime >= _midnight(now) for b in existing):
        return None
    target = backup_to(database, backup_path(database, reason, now), reason=reason, now=now)
    for old in list_backups(database)[keep:]:
        old.unlink(missing_ok=True)
    return target


def list_backups(database: Path) -> list[Path]:
    """The backups of ``database`` in its backup folder, newest first: those named as bvdesk
    files and those earlier versions named ``<name>-<date>-<time>-<why>.sqlite``."""
    folder = backup_dir(database)
    if not folder.is_dir():
        return []
    stem = re.escape(database.stem)
    named = re.compile(rf"{stem} backup (\d{{4}}-\d\d-\d\d \d{{4}}) .+?(?: \((\d+)\))?"
                       rf"{re.escape(DATABASE_SUFFIX)}")
    earlier = re.compile(rf"{stem}-(\d{{8}}-\d{{4}})\d\d-.+\.sqlite")
    found: list[tuple[tuple[dt.datetime, int, float], Path]] = []
    for path in folder.iterdir():
        try:
            if match := named.fullmatch(path.name):
                taken = dt.datetime.strptime(match[1], "%Y-%m-%d %H%M")
                number = int(match[2] or 1)
            elif match := earlier.fullmatch(path.name):
                taken, number = dt.datetime.strptime(match[1], "%Y%m%d-%H%M"), 1
            else:
                continue
        except ValueError:
            continue  # a name like a backup's with no real date in it: not one bvdesk took
        found.append(((taken, number, path.stat().st_mtime), path))
    return [path for _key, path in sorted(found, reverse=True)]


def _midnight(now: dt.datetime) -> float:
    return dt.datetime.combine(now.date(), dt.time()).timestamp()
