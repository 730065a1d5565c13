"""The one way bvdesk writes a file the user asked for: reports, workbooks, packages, backups.

Every output is written beside its target under a temporary name, flushed, and renamed into
place, so a failure (a full disk among them) leaves any earlier file untouched and no broken one.
A target is refused, with nothing written, when it is:

- the open database, its writer lock, its write-ahead log or shared memory, or its backup
  folder, also when reached through a symbolic or hard link;
- any SQLite database (another bvdesk file, a backup) or the companion files of one;
- not a regular file (a folder, ``/dev/full`` or another device, a pipe).

The file keeps the permissions of the one it replaces; a new one gets the user's usual ones.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from bvdesk.errors import FileProblem
from bvdesk.paths import backup_dir
from bvdesk.store import sqlite_file

if TYPE_CHECKING:
    from bvdesk.store.db import Database

_LOCK_SUFFIX = ".lock"


def check_target(target: Path | str, database: Path | None = None) -> Path:
    """The file ``target`` names once links are followed, if bvdesk may write it.

    ``database`` is the open database file, if any (a server has none).

    Raises:
        FileProblem: the target is protected or is not a regular file; nothing was written.
    """
    target = Path(target)
    try:
        real = Path(os.path.realpath(target))
        info = real.stat() if real.exists() else None
    except (OSError, ValueError) as exc:
        raise FileProblem(_problem(target, exc)) from exc
    if database is not None and _belongs_to(real, info, Path(database)):
        raise FileProblem(f"{target} is the open database or one of its files; bvdesk never "
                          "writes an output over it. Choose another file name; nothing was "
                          "written.")
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem(f"{target} is a folder: give a file name to write to.")
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(f"{target} is not a regular file (it is a device or another "
                              "special file). Choose a file name; nothing was written.")
        if sqlite_file.is_sqlite(real):
            raise FileProblem(f"{target} is a database; bvdesk never writes an output over a "
                              "database. Choose another file name; nothing was written.")
    if _companion_of_database(real):
        raise FileProblem(f"{target} belongs to the database beside it; choose another file "
                          "name. Nothing was written.")
    return real


def write_bytes(target: Path | str, data: bytes, *, database: Path | None = None) -> Path:
    """Write ``data`` to ``target`` all or nothing; returns the file written (links followed).

    Raises:
        FileProblem: the target is refused (see the module) or cannot be written.
    """
    def fill(handle: int, _temp: Path) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]

    return _write(target, fill, database)


def write_with(target: Path | str, writer: Callable[[Path], object], *,
               database: Path | None = None) -> Path:
    """Let ``writer`` write a file at a temporary path beside ``target`` (a library that saves
    to a path, SQLite's backup), then move it into place as ``write_bytes`` does.

    Raises:
        FileProblem: the target is refused or cannot be written.
    """
    return _write(target, lambda _handle, temp: writer(temp), database)


def write_backup(db: Database, target: Path | str) -> Path:
    """A consistent copy of the open database at ``target`` (a file that opens on its own),
    written as every other output is.

    Raises:
        FileProblem: the target is refused or cannot be written.
        DatabaseProblem: the database could not be copied.
    """
    write_with(target, db.backup, database=db.path)
    return Path(target)


def _write(target: Path | str, fill: Callable[[int, Path], object],
           database: Path | None) -> Path:
    real = check_target(target, database)
    target = Path(target)
    temp = real.with_name(f".{real.name}.{secrets.token_hex(4)}.partial")
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        # 0o666 less the user's umask, as for any document they save; or the replaced file's.
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                         0o666)
        try:
            fill(handle, temp)
        finally:
            os.close(handle)
        with suppress(FileNotFoundError):
            os.chmod(temp, stat.S_IMODE(real.stat().st_mode))
        with open(temp, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temp, real)
    except OSError as exc:
        _discard(temp)
        raise FileProblem(_problem(target, exc)) from exc
    except BaseException as exc:
        _discard(temp)
        if isinstance(exc, FileProblem) and isinstance(exc.__cause__, OSError):
            # A writer's own message would name the temporary file: name the target instead.
            raise FileProblem(_problem(target, exc.__cause__)) from exc.__cause__
        raise
    return real


def _discard(temp: Path) -> None:
    for leftover in (temp, temp.with_name(temp.name + "-journal")):
        with suppress(OSError):
            leftover.unlink(missing_ok=True)


def _belongs_to(real: Path, info: os.stat_result | None, database: Path) -> bool:
    """Whether ``real`` is the database, a file SQLite or bvdesk keeps beside it, or inside
    its backup folder."""
    db_real = Path(os.path.realpath(database))
    protected = {db_real, db_real.with_name(db_real.name + _LOCK_SUFFIX),
                 *(db_real.with_name(db_real.name + s) for s in sqlite_file.COMPANIONS)}
    folders = {backup_dir(db_real), backup_dir(database)}
    if real in protected or any(real == f or f in real.parents for f in folders):
        return True
    if info is not None:
        with suppress(OSError):
            return any(p.exists() and os.path.samefile(p, real) for p in protected)
    return False


def _companion_of_database(real: Path) -> bool:
    """Whether ``real`` is the lock, log or journal of an SQLite database beside it."""
    for suffix in (*sqlite_file.COMPANIONS, _LOCK_SUFFIX):
        if real.name.endswith(suffix) and len(real.name) > len(suffix):
            if sqlite_file.is_sqlite(real.with_name(real.name[:-len(suffix)])):
                return True
    return False


def _problem(target: Path, exc: OSError | ValueError) -> str:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"The disk is full: {target} was not written, and any earlier file there is "
                "unchanged. Free some space and try again.")
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        return f"The path {str(target)[:60]}... is longer than the file system allows."
    if isinstance(exc, ValueError):
        return f"The path {target!r} cannot be used as a file name ({exc})."
    return f"Cannot write {target}: {exc.strerror or exc}. Nothing was written."
