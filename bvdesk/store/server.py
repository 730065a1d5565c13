"""A landlord's database on a PostgreSQL server: addresses, connecting, and the server's checks.

A server is named by a libpq URL (``postgresql://user@host:5432/dbname?sslmode=require``); the
driver is psycopg 3, and the URL is handed to libpq as it is, so every libpq convention holds:
the password comes from the URL, ``PGPASSWORD`` or the pgpass file, ``sslmode`` and the other
parameters are honoured, and a missing host means the local socket. When the server asks for a
password that none of those give, ``ask_password`` (set by the CLI or the app) is asked once; the
answer is kept in memory for the engine's lifetime and never written anywhere.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeGuard

from bvdesk.errors import DatabaseProblem, RoleMissing

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

SCHEMES = ("postgresql", "postgres")
_URL = re.compile(r"^(postgresql|postgres)://", re.IGNORECASE)

#: Advisory lock key for schema upgrades (appends to the audit chain use ``audit.AUDIT_LOCK``).
MIGRATION_LOCK = 0x62766401
IMPORT_LOCK = 0x62766403

#: LISTEN/NOTIFY channel on which every commit that wrote to the audit log is announced, with
#: the writing process's token as payload (so a process can ignore its own writes).
CHANNEL = "bvdesk_changes"
PROCESS_TOKEN = f"{socket.gethostname()}:{os.getpid()}"

#: Asked for a password when the server wants one that libpq could not find; gets the address
#: (without any password) and returns the password, or None to give up.
PasswordPrompt = Callable[[str], "str | None"]
ask_password: PasswordPrompt | None = None


def is_server_url(target: object) -> TypeGuard[str]:
    """True for a PostgreSQL URL; anything else names a database file."""
    return isinstance(target, str) and bool(_URL.match(target))


@dataclass(frozen=True, slots=True)
class ServerAddress:
    """A parsed server URL, for messages: never holds a password."""

    url: str
    user: str | None
    host: str
    port: int | None
    dbname: str

    @property
    def shown(self) -> str:
        """The URL without its password, as the app's recent list and messages show it."""
        return self.url

    @property
    def name(self) -> str:
        return f"{self.dbname} on {self.host}"


def parse(url: str) -> ServerAddress:
    """The parts of ``url`` that messages need, with any password removed."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(url)
    except Exception as exc:  # psycopg raises ProgrammingError for a malformed URL
        raise DatabaseProblem(f"The server address is not a valid PostgreSQL URL: {exc}.") from exc
    scheme, _, rest = url.partition("://")
    authority, slash, tail = rest.partition("/")
    if "@" in authority:
        credentials, _, hostpart = authority.rpartition("@")
        user_part = credentials.split(":", 1)[0]
        authority = f"{user_part}@{hostpart}" if user_part else hostpart
    tail = re.sub(r"(^|&)password=[^&]*", "", tail).lstrip("&").rstrip("?")
    shown = f"{scheme}://{authority}{slash}{tail}"
    host = str(parts.get("host") or "localhost")
    port_text = str(parts.get("port") or "")
    port = int(port_text) if port_text.isdigit() else None
    user = str(parts["user"]) if parts.get("user") else None
    return ServerAddress(shown, user, host, port, str(parts.get("dbname") or ""))


def _needs_password(exc: BaseException) -> bool:
    message = str(exc).lower()
    return "no password supplied" in message or "password authentication failed" in message


def connect_function(url: str) -> Callable[[], Any]:
    """A psycopg connection factory for ``url``, asking for a password once if needed."""
    import psycopg

    password: list[str] = []

    def connect() -> Any:
        extra: dict[str, Any] = {"application_name": "bvdesk"}  # libpq parameters
        if password:
            extra["password"] = password[0]
        try:
            return psycopg.connect(url, **extra)
        except psycopg.OperationalError as exc:
            if password or ask_password is None or not _needs_password(exc):
                raise
            answer = ask_password(parse(url).shown)
            if not answer:
                raise
            password.append(answer)
            return psycopg.connect(url, password=answer, **extra)

    return connect


def server_engine(url: str, **options: Any) -> Engine:
    """An SQLAlchemy engine on the server at ``url``, connecting the libpq way."""
    from sqlalchemy import create_engine

    return create_engine("postgresql+psycopg://", creator=connect_function(url),
                         pool_pre_ping=True, **options)


def connection_problem(url: str, exc: BaseException) -> DatabaseProblem:
    """A refused or failed connection, worded for a person."""
    address = parse(url)
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    lowered = detail.lower()
    if "does not exist" in lowered and "database" in lowered:
        return DatabaseProblem(f"The server {address.host} has no database {address.dbname!r}. "
                               "Ask your IT team to create it (see docs/team-server.md).")
    if _needs_password(BaseException(detail)):
        return DatabaseProblem(f"The server {address.host} refused the login "
                               f"{address.user or '(your login)'}: {detail}. Check the password "
                               "(or your pgpass file).")
    if "permission denied" in lowered:
        return DatabaseProblem(f"The server refused: {detail}. Your login may only read; ask "
                               "the administrator for the role you need.")
    return DatabaseProblem(f"Cannot use the database {address.name}: {detail}.")


def driver_errors() -> tuple[type[Exception], ...]:
    """What the driver raises itself (COPY does not go through SQLAlchemy)."""
    import psycopg

    return (psycopg.Error,)


def refused(exc: BaseException) -> bool:
    """Whether the server refused for want of a right (a GRANT, or a row-level policy)."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) == "42501"


def refusal(login: str, exc: BaseException) -> DatabaseProblem:
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return RoleMissing(f"The server does not let your login {login} make this change "
                       f"({detail}); nothing was saved. Ask the administrator for the role you "
                       "need.")


def current_login(connection: Connection) -> str:
    return str(connection.exec_driver_sql("SELECT current_user").scalar())


def table_owner(connection: Connection, table: str) -> str | None:
    return connection.exec_driver_sql(
        "SELECT tableowner FROM pg_catalog.pg_tables "
        "WHERE schemaname = current_schema() AND tablename = %(t)s", {"t": table}).scalar()


def may_alter(connection: Connection, owner: str) -> bool:
    """Whether the login may change the schema owned by ``owner`` (it is, or acts as, owner)."""
    return bool(connection.exec_driver_sql(
        "SELECT pg_catalog.pg_has_role(current_user, %(o)s, 'USAGE')", {"o": owner}).scalar())


def user_tables(connection: Connection) -> list[str]:
    return list(connection.exec_driver_sql(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
        "ORDER BY tablename").scalars())


def lock_imports(connection: Connection) -> None:
    """One indicator import at a time on a server, until the caller's transaction ends: two
    colleagues importing the same peers then neither create them twice nor collide on the same
    value; the second sees the first's rows and updates or leaves them. Editing never waits."""
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({IMPORT_LOCK})")


def may_write(connection: Connection, *tables: str) -> bool:
    """Whether the login may add and change rows in every one of ``tables``."""
    return all(connection.exec_driver_sql(
        "SELECT pg_catalog.has_table_privilege(current_user, %(t)s, %(p)s)",
        {"t": table, "p": privilege}).scalar()
        for table in tables for privilege in ("INSERT", "UPDATE"))


def lock_migrations(connection: Connection) -> None:
    """Hold the schema-upgrade lock until the caller's transaction ends."""
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")


def reset_sequences(connection: Connection, tables: list[Any]) -> None:
    """After rows were copied in with their ids, let each id sequence continue after them."""
    for table in tables:
        for column in table.primary_key.columns:
            if not column.autoincrement or len(table.primary_key.columns) != 1:
                continue
            if column.type.python_type is not int:
                continue
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                f"COALESCE((SELECT max({column.name}) FROM \"{table.name}\"), 0) + 1, false)")


def server_integrity_problems(connection: Connection) -> list[str]:
    """What ``PRAGMA integrity_check`` and ``foreign_key_check`` find in a file, for a server.

    PostgreSQL guards its own pages, so this looks at what a careless hand could still leave:
    rows pointing at missing rows (a foreign key dropped and re-added NOT VALID) and check
    constraints not validated.
    """
    from sqlalchemy import and_, exists, func, select

    from bvdesk.store.models import Base

    tables = set(user_tables(connection))
    if "alembic_version" not in tables:
        return ["not a bvdesk database: it has no bvdesk schema"]
    problems: list[str] = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            parent = fk.referred_table
            pairs = [(element.parent, element.column) for element in fk.elements]
            orphan = and_(*(child.is_not(None) for child, _ in pairs),
                          ~exists().where(and_(*(col == child for child, col in pairs))))
            count = connection.execute(
                select(func.count()).select_from(table).where(orphan)).scalar_one()
            if count:
                problems.append(f"foreign key: {count} {table.name} row(s) point at a missing "
                                f"{parent.name} row")
    for name, table_name in connection.exec_driver_sql(
            "SELECT conname, conrelid::regclass::text FROM pg_catalog.pg_constraint "
            "WHERE NOT convalidated AND connamespace = current_schema()::regnamespace"):
        problems.append(f"integrity: the constraint {name} on {table_name} is not validated")
    return problems


def announce(connection: Connection) -> None:
    """Tell listening desktops, when this transaction commits, that something was written."""
    connection.exec_driver_sql("SELECT pg_notify(%(c)s, %(t)s)",
                               {"c": CHANNEL, "t": PROCESS_TOKEN})


def listen(engine: Engine, stop: Callable[[], bool], on_notice: Callable[[str], None]) -> None:
    """Call ``on_notice(payload)`` for each announcement until ``stop()``, on a connection of its
    own (checked at least twice a second)."""
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert connection is not None
        connection.rollback()
        connection.autocommit = True
        connection.execute(f"LISTEN {CHANNEL}")
        while not stop():
            for notice in connection.notifies(timeout=0.5):
                on_notice(notice.payload)
    finally:
        raw.invalidate()


def copy_rows(connection: Connection, table: str, columns: Sequence[str], rows: Any) -> None:
    """Write ``rows`` (tuples of driver-ready values, in ``columns`` order) with COPY, the
    server's bulk path, inside the connection's transaction."""
    names = ", ".join(f'"{c}"' for c in columns)
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
