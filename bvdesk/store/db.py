"""Opening a landlord's database: checks, writer lock, backup, migrations and sessions.

A database is an SQLite file (one desk) or a PostgreSQL database on a server (a team). This
module and ``store.server`` are the only ones that know which: everything above asks a
``Database`` for sessions and sees portable SQLAlchemy. The SQLite file's own machinery (header
and application id, the writer lock, PRAGMAs, file backups) lives in the ``_file`` functions; a
server's equivalents live in the ``_server`` functions and ``store.server``.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from bvdesk.errors import BackupNotChanged, DamagedDatabase, DatabaseProblem
from bvdesk.store import audit, catalogue, conflicts, server, sqlite_file
from bvdesk.store.backup import (
    BackupOrigin,
    backup_origin,
    backup_to,
    mark_backup,
    rotating_backup,
    unmark,
)
from bvdesk.store.lock import WriterLock
from bvdesk.store.sqlite_file import APPLICATION_ID, SQLITE_HEADER  # noqa: F401 - re-exported

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


#: A write-ahead log this large (SQLite's own mark: 1,000 pages) is copied into the file after
#: the commit that made it so (``Database._checkpoint_if_due``).
_CHECKPOINT_FROM = 1000 * 4096
_REVISION_LINE = re.compile(r"""^(down_revision|revision)\s*(?::[^=]*)?=\s*['"]?([\w]*)['"]?""",
                            re.MULTILINE)


@cache
def _revision_graph() -> dict[str, str | None]:
    """Each migration's revision and the one it follows, read from the files in versions/.

    Reading two lines per file is all that deciding "is this database current?" needs; Alembic
    (a fifth of a second to import) is loaded only when a database must be upgraded. A test
    holds this reading equal to Alembic's own.
    """
    graph: dict[str, str | None] = {}
    for file in sorted((MIGRATIONS / "versions").glob("*.py")):
        found = dict(_REVISION_LINE.findall(file.read_text("utf-8")))
        if found.get("revision"):
            down = found.get("down_revision")
            graph[found["revision"]] = down if down and down != "None" else None
    return graph


def head_revision() -> str:
    graph = _revision_graph()
    heads = set(graph) - {down for down in graph.values() if down is not None}
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads; merge them")
    return heads.pop()


def known_revisions() -> set[str]:
    return set(_revision_graph())


class Database:
    """An open bvdesk database: a file, or a database on a PostgreSQL server.

    Open a file with ``Database.open(path, write=True)`` to hold the writer lock for the lifetime
    of the object (the desktop app, an import); read-only users (backup, check, reports) do not
    take it. A server has no writer lock: many desktops write at once, and the server keeps them
    apart. There ``user`` is always the server login, which is what the audit log records.
    """

    def __init__(self, path: Path | None, engine: Engine, lock: WriterLock | None, user: str,
                 *, url: str | None = None) -> None:
        #: The file, or None on a server.
        self.path = path
        #: The server address without any password, or None for a file.
        self.url = url
        self.engine = engine
        self._lock = lock
        self.user = user
        self.clock: Callable[[], dt.datetime] = audit.utc_now
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        audit.install(self._sessions)
        conflicts.install(self._sessions)
        self._checkpointing: threading.Thread | None = None

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, write: bool = True, create: bool = False,
             user: str | None = None) -> Database:
        """Open (or with ``create``, create) a database, migrating it if it is older.

        ``path`` is a file, or a ``postgresql://`` URL for a database on a server.

        Raises:
            DatabaseProblem: missing, not a bvdesk database, newer, locked or unreadable.
        """
        if server.is_server_url(path):
            return cls._open_server(str(path), create=create)
        return cls._open_file(Path(path), write=write, create=create, user=user)

    @classmethod
    def _open_server(cls, url: str, *, create: bool) -> Database:
        engine = server.server_engine(url)
        try:
            with engine.connect() as connection:
                login = server.current_login(connection)
            _prepare_server(url, engine, create=create)
        except OperationalError as exc:
            engine.dispose()
            raise server.connection_problem(url, exc) from exc
        except BaseException:
            engine.dispose()
            raise
        return cls(None, engine, None, login, url=server.parse(url).shown)._with_catalogue()

    @classmethod
    def _open_file(cls, path: Path, *, write: bool, create: bool,
                   user: str | None) -> Database:
        exists = sqlite_file.existing(path, create=create)
        origin = backup_origin(path) if exists else None
        if origin is not None:
            if write:
                raise _unchanged(path, origin)
            return cls._open_backup(path, origin, user)
        if not write and exists and not sqlite_file.writable(path):
            return cls._open_read_only(path, user)
        if not exists:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseProblem(f"Cannot create the folder {path.parent}: "
                                      f"{exc.strerror}.") from exc
        lock = WriterLock(path)
        need_lock = write or not exists or _needs_migration(path)
        if need_lock:
            try:
                lock.acquire()
            except OSError as exc:
                raise DatabaseProblem(f"Cannot write beside {path}: {exc.strerror}. "
                                      "Choose a folder you can write to.") from exc
        try:
            engine = _engine(path)
            _prepare(path, engine, new=not exists)
            if write and exists:
                unmark(path)  # a backup put back over this database by hand is the database
        except BaseException:
            lock.release()
            raise
        if need_lock and not write:
            lock.release()
        if write and exists:
            try:
                rotating_backup(path, reason="daily")
            except BaseException:
                engine.dispose()
                lock.release()
                raise
        db = cls(path, engine, lock if write else None, user or audit.default_user())
        return db._with_catalogue() if write else db

    @classmethod
    def _open_read_only(cls, path: Path, user: str | None) -> Database:
        """A file this process may only read (a read-only file, folder or share): opened
        without writing to it or beside it, and never upgraded."""
        engine, release = sqlite_file.read_only_engine(path)
        try:
            with engine.connect() as connection:
                current = _stamped_revision(connection)
        except OperationalError as exc:
            engine.dispose()
            release()
            raise _known_problem(path, exc) from exc
        if current != head_revision():
            engine.dispose()
            release()
            if current is not None and current not in known_revisions():
                raise DatabaseProblem(f"{path.name} was written by a newer version of bvdesk "
                                      f"(schema {current}). Install the latest bvdesk to open it.")
            raise DatabaseProblem(f"{path.name} was written by an older version of bvdesk and "
                                  "must be upgraded, which needs write access: copy it to a "
                                  "folder you can write to.")
        db = cls(path, engine, None, user or audit.default_user())
        db.read_only = True
        db._release = release
        return db

    @classmethod
    def _open_backup(cls, path: Path, origin: BackupOrigin, user: str | None) -> Database:
        """A backup, opened read-only and never changed: one taken by an older bvdesk is read
        through a private copy brought up to date."""
        if not _needs_migration(path):
            db = cls._open_read_only(path, user)
        else:
            private = Path(tempfile.mkdtemp(prefix="bvdesk-backup-"))
            try:
                copy = backup_to(path, private / path.name)
                engine = _engine(copy)
                try:
                    _prepare(copy, engine, new=False)
                finally:
                    engine.dispose()
                reader, release = sqlite_file.read_only_engine(copy)
            except BaseException:
                shutil.rmtree(private, ignore_errors=True)
                raise
            db = cls(path, reader, None, user or audit.default_user())
            db.read_only = True

            def forget() -> None:
                release()
                shutil.rmtree(private, ignore_errors=True)

            db._release = forget
        db.backup_of = origin
        return db

    def _with_catalogue(self) -> Database:
        """This database, brought up to the shipped indicator catalogue (``store.catalogue``)
        when it was last brought up to another; closed again if that fails.

        On a server only a login that may change the catalogue (an administrator, the owner)
        brings it up; the others use it as it is until one of them opens it.
        """
        try:
            with self.read() as session:
                if catalogue.is_current(session):
                    return self
            with self.session() as session:
                if self.is_server:
                    connection = session.connection()
                    if not server.may_write(connection, "service", "indicator", "setting"):
                        return self
                    server.lock_migrations(connection)  # one desktop at a time adds them
                catalogue.bring_up_to_date(session)
        except BaseException:
            self.close()
            raise
        return self

    #: Opened from a file this process may only read; nothing can be saved to it.
    read_only = False
    #: What the file says of itself when it is a backup (opened read-only); else None.
    backup_of: BackupOrigin | None = None
    _release: Callable[[], None] | None = None

    def close(self) -> None:
        if self._checkpointing is not None:
            self._checkpointing.join()
        self.engine.dispose()
        if self._release is not None:
            self._release()
            self._release = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def writable(self) -> bool:
        if self.is_server:
            return True
        return self._lock is not None and self._lock.held

    @property
    def is_server(self) -> bool:
        return self.url is not None

    @property
    def location(self) -> str:
        """Where the database is, as the user named it (a server's URL without its password)."""
        return self.url if self.url is not None else str(self.path)

    @property
    def name(self) -> str:
        """A short name for messages: the file's name, or "dbname on host"."""
        if self.url is not None:
            return server.parse(self.url).name
        assert self.path is not None
        return self.path.name

    # --- sessions --------------------------------------------------------------------------

    @contextmanager
    def session(self, *, allow_locked: bool = False, bulk: bool = False) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error, always closes.

        ``bulk``: a large write that checks its own rows' references (see
        ``keys.missing_keys``). On a file, SQLite then does not look up each new row's foreign
        keys (a fifth of writing an import's values); they are looked up again for everything
        after. A server looks them up as always (its bulk path checks them in one pass).
        """
        connection = self._unchecked_connection() if bulk else None
        session = self._sessions() if connection is None else self._sessions(bind=connection)
        session.info[audit.USER] = self.user
        session.info[audit.CLOCK] = self.clock
        session.info[audit.ALLOW_LOCKED] = allow_locked
        try:
            yield session
            session.commit()
            self._checkpoint_if_due()
        except OperationalError as exc:
            session.rollback()
            if self.url is not None:
                raise server.connection_problem(self.url, exc) from exc
            assert self.path is not None
            problem = _known_problem(self.path, exc)
            if self.backup_of is not None and "read-only" in problem.message:
                raise _unchanged(self.path, self.backup_of) from exc
            raise problem from exc
        except DBAPIError as exc:
            session.rollback()
            if self.url is not None and server.refused(exc):
                raise server.refusal(self.user, exc) from exc
            raise
        except StaleDataError as exc:
            session.rollback()
            with self.read() as now:
                raise conflicts.refusal(now, session.info.get(conflicts.PENDING, ())) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
            if connection is not None:
                self._check_references_again(connection)

    def _unchecked_connection(self) -> Connection | None:
        """On a file: a connection that does not check foreign keys (set before its transaction
        begins, as SQLite requires)."""
        if self.path is None:
            return None
        connection = self.engine.connect()
        _raw(connection).execute("PRAGMA foreign_keys = OFF")
        return connection

    @staticmethod
    def _check_references_again(connection: Connection) -> None:
        """Foreign keys checked again, before the connection goes back to the pool; one that
        cannot be set so is not used again."""
        try:
            _raw(connection).execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error:
            connection.invalidate()
        finally:
            connection.close()

    def _checkpoint_if_due(self) -> None:
        """On a file whose write-ahead log has grown past ``_CHECKPOINT_FROM``, copy the log
        into the file on a thread of its own (SQLite would otherwise do it inside the commit
        that passed its mark, and the user would wait for it: a tenth of a second after an
        import of 200,000 values). Until it has, readers read the newest pages from the log;
        if the process ends first, the log is copied when the file is next opened."""
        if self.path is None or (self._checkpointing is not None
                                 and self._checkpointing.is_alive()):
            return
        try:
            if self.path.with_name(self.path.name + "-wal").stat().st_size < _CHECKPOINT_FROM:
                return
        except OSError:
            return
        self._checkpointing = threading.Thread(target=self._checkpoint, name="checkpoint",
                                               daemon=True)
        self._checkpointing.start()

    def _checkpoint(self) -> None:
        raw = self.engine.raw_connection()
        try:
            # PASSIVE: nothing waits for it; what a reader still needs is copied next time.
            raw.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error:
            pass  # the log keeps every page; the next commit's checkpoint copies them
        finally:
            raw.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading only; nothing it does is committed."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def backup(self, target: Path) -> Path:
        """A consistent copy of the database, safe while another process writes.

        A file's copy is a backup: it opens read-only, saying whose it is and when it was
        taken, until it is restored. From a server, the copy is an ordinary bvdesk file (a
        snapshot taken in one repeatable-read transaction) that opens offline to work in.
        """
        if self.path is None:
            from bvdesk.store.copying import snapshot_to_file

            return snapshot_to_file(self, target)
        if self.read_only:
            copy = sqlite_file.copy_through(self.engine, target)
            mark_backup(copy, self.path, "manual")
            return copy
        return backup_to(self.path, target, reason="manual")


# --- helpers ---------------------------------------------------------------------------------


def _engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite+pysqlite:///{path}", future=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin, so DDL is transactional.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        # No commit copies the log into the file itself: a thread does (Database._checkpoint),
        # when the log has grown large; once copied, it starts again no larger than 1 MB.
        cursor.execute("PRAGMA wal_autocheckpoint = 0")
        cursor.execute("PRAGMA journal_size_limit = 1048576")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def _raw(connection: Connection) -> sqlite3.Connection:
    """The pysqlite connection underneath, for PRAGMAs that must run outside a transaction."""
    return connection.connection.driver_connection  # type: ignore[return-value]


def _current_revision(path: Path) -> str | None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    finally:
        connection.close()
    return row[0] if row else None


def _needs_migration(path: Path) -> bool:
    try:
        return _current_revision(path) != head_revision()
    except sqlite3.Error:
        return True


def _prepare(path: Path, engine: Engine, *, new: bool) -> None:
    """Set the file up (application id, WAL) and bring its schema to head."""
    try:
        with engine.connect() as connection:
            if new:
                _raw(connection).execute(f"PRAGMA application_id = {APPLICATION_ID}")
            current = _stamped_revision(connection)
    except OperationalError as exc:
        raise _known_problem(path, exc) from exc
    head = head_revision()
    if current == head:
        return
    if current is not None and current not in known_revisions():
        raise DatabaseProblem(
            f"{path.name} was written by a newer version of bvdesk (schema {current}). "
            "Install the latest bvdesk to open it; this version has not changed the file.")
    if current is not None:
        rotating_backup(path, reason=f"before-upgrade-{current}", force=True)
    migrate(engine)


def _stamped_revision(connection: Connection) -> str | None:
    """The revision recorded in ``alembic_version``, or None for a database with none yet."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _prepare_server(url: str, engine: Engine, *, create: bool) -> None:
    """Bring a server database's schema to head, or say why not and who can.

    An empty database gets the schema only with ``create`` (``bvdesk init``); a database with
    other tables is not bvdesk's; an older schema is upgraded when the login owns it, otherwise
    the owner is named. Upgrades hold an advisory lock, so two desktops never upgrade at once.
    """
    address = server.parse(url)
    with engine.connect() as connection:
        tables = server.user_tables(connection)
        current = _stamped_revision(connection) if "alembic_version" in tables else None
        owner = server.table_owner(connection, "alembic_version")
        allowed = owner is None or server.may_alter(connection, owner)
    head = head_revision()
    if current == head:
        return
    if current is None and tables:
        raise DatabaseProblem(f"The database {address.name} holds other tables "
                              f"({', '.join(tables[:3])}...) and is not a bvdesk database. "
                              "Use an empty database.")
    if current is None and not create:
        raise DatabaseProblem(f"The database {address.name} is empty. Create the landlord's "
                              "database in it with 'bvdesk init' (an administrator's login).")
    if current is not None and current not in known_revisions():
        raise DatabaseProblem(
            f"{address.name} was written by a newer version of bvdesk (schema {current}). "
            "Install the latest bvdesk to use it; this version has not changed it.")
    if not allowed:
        raise DatabaseProblem(
            f"{address.name} has an older bvdesk schema ({current}) and your login "
            f"{address.user or ''} may not change it. Ask {owner}, who owns it, to open it once "
            "with this version of bvdesk (that upgrades it); nothing was changed.")
    migrate(engine)


def migrate(engine: Engine) -> None:
    """Upgrade to head in one transaction (on a file with foreign keys off, then checked)."""
    from alembic import command

    if engine.dialect.name != "sqlite":
        with engine.connect() as connection, connection.begin():
            server.lock_migrations(connection)
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        return

    with engine.connect() as connection:
        raw = _raw(connection)
        # Outside any transaction, or SQLite ignores it.
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                config = alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
            problems = raw.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            raw.execute("PRAGMA foreign_keys = ON")
    if problems:
        raise DatabaseProblem(f"After upgrading, {len(problems)} rows point at missing rows "
                              "(run 'bvdesk check' for the list).")


def _unchanged(path: Path, origin: BackupOrigin) -> BackupNotChanged:
    return BackupNotChanged(f"{origin.described(path)} A backup stays as it was taken, so "
                            "nothing is changed in it: to go back to it, restore it into "
                            f"{origin.source.name}.", backup=path, source=origin.source)


def _known_problem(path: Path, exc: OperationalError) -> DatabaseProblem:
    message = str(exc.orig) if exc.orig is not None else str(exc)
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered:
        return DatabaseProblem(f"{path.name} is locked by another program. Close it there and "
                               "try again; nothing was changed.")
    if "readonly" in lowered or "read-only" in lowered:
        return DatabaseProblem(f"{path.name} is read-only. Copy it to a folder you can write to; "
                               "nothing was changed.")
    if "disk" in lowered and "full" in lowered:
        return DatabaseProblem("The disk is full. Free some space and try again; nothing was "
                               "changed.")
    if "malformed" in lowered or "not a database" in lowered:
        return DamagedDatabase(f"{path.name} is damaged ({message}). Restore it from a backup.")
    if "unable to open" in lowered:
        return DatabaseProblem(f"Cannot open {path}: check the folder exists and you may write "
                               "to it.")
    return DatabaseProblem(f"The database reported a problem: {message}.")


def integrity_problems(path: Path, uri: str | None = None) -> list[str]:
    """``PRAGMA integrity_check`` and ``foreign_key_check`` findings, worded for a person.

    ``uri`` reads the file (from ``sqlite_file.reading``); without it the file is read as that
    gives it (its last saved state, should a save have been interrupted)."""
    if uri is None:
        with sqlite_file.reading(path) as read:
            return integrity_problems(path, read)
    problems: list[str] = []
    connection = sqlite3.connect(uri, uri=True)
    try:
        for (row,) in connection.execute("PRAGMA integrity_check"):
            if row != "ok":
                problems.append(f"integrity: {row}")
        for table, rowid, parent, _fk in connection.execute("PRAGMA foreign_key_check"):
            problems.append(f"foreign key: {table} row {rowid} points at a missing {parent} row")
    except sqlite3.OperationalError as exc:
        full = sqlite_file.no_room_message(path)
        if full is not None:
            raise DatabaseProblem(full) from exc
        problems.append(f"the file cannot be read as a database: {exc}")
    except sqlite3.DatabaseError as exc:
        problems.append(f"the file cannot be read as a database: {exc}")
    finally:
        connection.close()
    return problems
