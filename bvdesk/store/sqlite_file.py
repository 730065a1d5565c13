"""The database as a file on disk: what a path holds, read-only opening, and atomic creation.

Everything here is about SQLite files (a team server has no file); ``bvdesk.store.db`` calls it
for file databases.

- ``inspect`` says what a path holds: nothing, an unfinished bvdesk database (a zero-byte file,
  or a stub an interrupted creation left: an SQLite file with no schema, its application id
  perhaps only in the write-ahead log), a bvdesk database, another program's file, or no
  regular file at all (``/dev/null``, a folder).
- ``read_only_engine`` opens a database the user may only read: SQLite's ``mode=ro`` when the
  folder is writable, ``immutable=1`` when nothing can be written beside it, and a private
  copy (database and write-ahead log) when a log beside it must be replayed.
- ``reading`` gives the URI that reads a file's last saved state without writing anything,
  even when a save was interrupted (a crash, a power cut) and left its rollback journal.
- ``creating`` builds a new database under a temporary name beside the target and renames it
  into place only when it is complete, so an interrupted creation leaves nothing behind.
"""

from __future__ import annotations

import enum
import errno
import glob
import os
import secrets
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from bvdesk.errors import DatabaseProblem

#: ``PRAGMA application_id`` of every bvdesk database ("bvds").
APPLICATION_ID = 0x62766473
SQLITE_HEADER = b"SQLite format 3\x00"
#: Files SQLite keeps beside a database, by suffix.
COMPANIONS = ("-wal", "-shm", "-journal")


class Kind(enum.Enum):
    MISSING = "missing"
    UNFINISHED = "unfinished"
    DATABASE = "database"
    OTHER_SQLITE = "another program's SQLite database"
    NOT_SQLITE = "not an SQLite file"
    NOT_A_FILE = "not a regular file"


def is_sqlite(path: Path) -> bool:
    """Whether ``path`` (followed through links) is a regular file starting as SQLite does."""
    try:
        if not path.is_file():
            return False
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except (OSError, ValueError):
        return False


def inspect(path: Path) -> Kind:
    """What ``path`` holds, judged without writing anything.

    Raises:
        DatabaseProblem: the file cannot be read at all.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return Kind.MISSING
    except OSError as exc:
        raise DatabaseProblem(_os_message(path, exc)) from exc
    if not stat.S_ISREG(info.st_mode):
        return Kind.NOT_A_FILE
    if info.st_size == 0:
        return Kind.UNFINISHED
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise DatabaseProblem(_os_message(path, exc)) from exc
    if not header.startswith(SQLITE_HEADER):
        return Kind.NOT_SQLITE
    app_id = int.from_bytes(header[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        return Kind.OTHER_SQLITE
    logged = _has_log(path)
    if app_id == APPLICATION_ID and not logged:
        # The id is in the file itself: the creating process got past its first checkpoint.
        return Kind.UNFINISHED if _tables(path) == set() else Kind.DATABASE
    # The id may be only in the write-ahead log (an interrupted creation), or nowhere.
    found = _schema(path)
    if found is None:
        return Kind.DATABASE if app_id == APPLICATION_ID else Kind.OTHER_SQLITE
    logged_id, tables = found
    if "alembic_version" in tables:
        return Kind.DATABASE if APPLICATION_ID in (app_id, logged_id) else Kind.OTHER_SQLITE
    if not tables or APPLICATION_ID in (app_id, logged_id):
        return Kind.UNFINISHED
    return Kind.OTHER_SQLITE


def existing(path: Path, *, create: bool = False) -> bool:
    """Whether ``path`` holds a bvdesk database to open; False when it is missing and
    ``create`` allows making it.

    Raises:
        DatabaseProblem: missing (without ``create``), unfinished, not a bvdesk database, or not
            a regular file; each worded for the person at the desk.
    """
    kind = inspect(path)
    if kind is Kind.DATABASE:
        return True
    if kind is Kind.MISSING:
        if create:
            return False
        raise DatabaseProblem(f"There is no database at {path}. Create one with 'bvdesk init' "
                              "or 'bvdesk demo'.")
    raise DatabaseProblem(refusal(path, kind))


def refusal(path: Path, kind: Kind) -> str:
    """Why ``path`` cannot be opened as a database, for any kind but a database or nothing."""
    if kind is Kind.UNFINISHED:
        return unfinished_message(path)
    if kind is Kind.NOT_A_FILE:
        return not_a_file_message(path)
    if kind is Kind.NOT_SQLITE:
        return f"{path.name} is not a bvdesk database (it is not an SQLite file)."
    return f"{path.name} is an SQLite database, but not a bvdesk database."


def unfinished_message(path: Path) -> str:
    return (f"{path.name} is an unfinished bvdesk database: creating it was interrupted, and it "
            "holds no data. Create it again with 'bvdesk init' or 'bvdesk demo', which replace "
            "it.")


def not_a_file_message(path: Path) -> str:
    return (f"{path} is not a file bvdesk can keep a database in (it is a folder or a device). "
            "Give the path of a .bvdesk file.")


def _has_log(path: Path) -> bool:
    log = path.with_name(path.name + "-wal")
    with suppress(OSError):
        return log.stat().st_size > 0
    return False


def _tables(path: Path) -> set[str] | None:
    found = _schema(path)
    return None if found is None else found[1]


def _schema(path: Path) -> tuple[int, set[str]] | None:
    """The application id and table names SQLite sees (write-ahead log included); ``None`` when
    the file cannot be opened read-only here."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, ValueError):
        return None
    try:
        app_id = connection.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        return app_id, tables
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def _os_message(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return f"The path {str(path)[:60]}... is longer than the file system allows."
    return f"Cannot read {path}: {exc.strerror or exc}."


# --- read-only opening -------------------------------------------------------------------------


def writable(path: Path) -> bool:
    """Whether this process may write the database file and create files beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


#: Room SQLite wants beside a database in WAL mode to read it (its shared-memory index).
_SHM_ROOM = 64 * 1024


def read_uri(path: Path) -> str:
    """The URI that reads ``path`` without writing to it: read-only, or immutable when no
    write-ahead log waits to be replayed and SQLite could not make its shared-memory file beside
    the database (a folder that cannot be written, a full disk)."""
    no_room = (not os.access(path.parent, os.W_OK)
               or shutil.disk_usage(path.parent).free < _SHM_ROOM)
    if no_room and not _has_log(path):
        return f"{path.resolve().as_uri()}?immutable=1"
    return f"{path.resolve().as_uri()}?mode=ro"


def no_room_message(path: Path) -> str | None:
    """What to say when ``path`` cannot be read for want of space beside it, else None."""
    if shutil.disk_usage(path.parent).free >= _SHM_ROOM:
        return None
    return (f"The disk holding {path.name} is full, so its write-ahead log cannot be read "
            "(SQLite needs a little room beside the database to read it). Free some space and "
            "try again; nothing was changed.")


#: The first bytes of a rollback journal that still holds the pages of an unfinished save.
#: SQLite deletes the journal (or zeroes this header) when a save ends, so a journal that
#: starts with them after its writer is gone is "hot": its pages must be put back before the
#: file can be read, which a read-only connection cannot do.
_JOURNAL_MAGIC = b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"


def _has_journal(path: Path) -> bool:
    with suppress(OSError), open(path.with_name(path.name + "-journal"), "rb") as handle:
        return handle.read(len(_JOURNAL_MAGIC)) == _JOURNAL_MAGIC
    return False


@contextmanager
def reading(path: Path) -> Iterator[str]:
    """The URI that reads ``path``'s last saved state without writing to it or beside it.

    A save interrupted by a crash leaves a rollback journal beside the file, which SQLite plays
    back the next time the file is opened for writing; read-only, it refuses the file ("attempt
    to write a readonly database"). Then the file and its journal are copied to a private
    folder, played back there and read there: what the next writer will see.
    """
    if not _has_journal(path):
        yield read_uri(path)
        return
    copy, release = _replayed_copy(path, "-journal")
    try:
        yield f"{copy.as_uri()}?mode=ro"
    finally:
        release()


def read_only_engine(path: Path) -> tuple[Engine, Callable[[], None]]:
    """An engine that reads ``path`` without writing to it or beside it, and its clean-up.

    With a write-ahead log beside the file in a folder that cannot be written, SQLite cannot
    replay the log in place, nor a read-only connection play back the rollback journal of an
    interrupted save: the file and its log or journal are copied to a private folder and read
    there, which gives the same consistent view a writer would.
    """
    if _has_journal(path):
        copy, release = _replayed_copy(path, "-journal")
        return _uri_engine(f"{copy.as_uri()}?mode=ro"), release
    folder_writable = os.access(path.parent, os.W_OK)
    if folder_writable:
        return _uri_engine(f"{path.resolve().as_uri()}?mode=ro"), _nothing
    if not _has_log(path):
        return _uri_engine(f"{path.resolve().as_uri()}?immutable=1"), _nothing
    copy, release = _replayed_copy(path, "-wal")
    return _uri_engine(f"{copy.as_uri()}?mode=ro"), release


def _replayed_copy(path: Path, log: str) -> tuple[Path, Callable[[], None]]:
    """``path`` and its ``log`` ("-wal" or "-journal") copied to a private folder and played
    back into the copy there, with the folder's clean-up. The file is copied before its log,
    so a save still going on cannot slip a page into the copy that its copied log lacks."""
    private = Path(tempfile.mkdtemp(prefix="bvdesk-readonly-"))
    try:
        copy = private / path.name
        shutil.copyfile(path, copy)
        shutil.copyfile(path.with_name(path.name + log), copy.with_name(copy.name + log))
        connection = sqlite3.connect(copy)
        try:  # opened for writing, the copy's first read plays its log or journal back
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)" if log == "-wal" else
                               "SELECT count(*) FROM sqlite_master").fetchall()
        finally:
            connection.close()
    except (OSError, sqlite3.Error) as exc:
        shutil.rmtree(private, ignore_errors=True)
        what = "write-ahead log" if log == "-wal" else "unfinished save's journal"
        raise DatabaseProblem(f"Cannot read {path.name}: its {what} could not be "
                              f"replayed in a private copy ({exc}).") from exc
    return copy, lambda: shutil.rmtree(private, ignore_errors=True)


def copy_through(engine: Engine, target: Path) -> Path:
    """Copy the database an engine reads to ``target`` with SQLite's backup API (for a file
    opened read-only, whose own path may not be readable the ordinary way)."""
    with engine.connect() as connection:
        source = connection.connection.driver_connection
        assert isinstance(source, sqlite3.Connection)  # an engine from this module
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.Error as exc:
            raise DatabaseProblem(f"The copy to {target.name} failed: {exc}.") from exc
        finally:
            copy.close()
    return target


def _nothing() -> None:
    return None


def _uri_engine(uri: str) -> Engine:
    engine = create_engine("sqlite+pysqlite://", future=True,
                           creator=lambda: sqlite3.connect(uri, uri=True,
                                                           check_same_thread=False))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


# --- atomic creation ---------------------------------------------------------------------------


@contextmanager
def creating(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` to build a new database at; when the block ends
    without an error, the database is moved into place, else everything it left is removed.

    ``path`` may be missing or hold an unfinished database (which is replaced).

    Raises:
        DatabaseProblem: ``path`` holds something else, or the folder cannot be written
            (a full disk among them); nothing is left behind.
    """
    kind = inspect(path)
    if kind is Kind.NOT_A_FILE:
        raise DatabaseProblem(not_a_file_message(path))
    if kind not in (Kind.MISSING, Kind.UNFINISHED):
        raise DatabaseProblem(f"{path.name} already exists and is {_described(kind)}; choose a "
                              "new file name.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseProblem(f"Cannot create the folder {path.parent}: "
                              f"{exc.strerror or exc}.") from exc
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.creating*"):
        leftover.unlink(missing_ok=True)  # what a creation killed midway left
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.creating")
    try:
        yield temp
        _settle(temp)
        for suffix in COMPANIONS:
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        os.replace(temp, path)
        _sync_folder(path.parent)
    except OSError as exc:
        raise DatabaseProblem(_creation_message(path, exc)) from exc
    except sqlite3.Error as exc:
        raise DatabaseProblem(_creation_message(path, exc)) from exc
    except DBAPIError as exc:
        raise DatabaseProblem(_creation_message(path, exc.orig or exc)) from exc
    finally:
        for leftover in (temp, *(temp.with_name(temp.name + s) for s in (*COMPANIONS, ".lock"))):
            leftover.unlink(missing_ok=True)


def _described(kind: Kind) -> str:
    return "a bvdesk database" if kind is Kind.DATABASE else kind.value


def _settle(temp: Path) -> None:
    """Fold the write-ahead log into the file and flush it, so the file alone is the database."""
    connection = sqlite3.connect(temp)
    try:
        connection.execute("PRAGMA journal_mode = DELETE")
    finally:
        connection.close()
    with open(temp, "rb+") as handle:
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    with suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _creation_message(path: Path, exc: BaseException) -> str:
    text = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "full" in text:
        return (f"The disk is full: {path.name} was not created. Free some space and try "
                "again.")
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"Cannot create {path}: {reason}. Nothing was created."
