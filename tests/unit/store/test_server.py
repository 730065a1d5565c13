"""A landlord's database on a PostgreSQL server: connecting, creating, refusing, upgrading."""

from __future__ import annotations

import urllib.parse

import pytest
from engines import raw_sql

from bvdesk.errors import DatabaseProblem
from bvdesk.operations.landlord import get_landlord, init_database
from bvdesk.operations.reviews import create_review
from bvdesk.store.db import Database, head_revision
from bvdesk.store.server import parse


def test_a_server_address_is_shown_without_its_password() -> None:
    address = parse("postgresql://jo:s3cret@db.example.org:6432/northvale?sslmode=require"
                    "&password=other")
    assert address.shown == "postgresql://jo@db.example.org:6432/northvale?sslmode=require"
    assert "s3cret" not in address.shown and "other" not in address.shown
    assert (address.user, address.host, address.port, address.dbname) == (
        "jo", "db.example.org", 6432, "northvale")


def test_init_creates_the_schema_on_an_empty_database(empty_server_db: str) -> None:
    with init_database(empty_server_db, "Test Homes", "TST", homes=3000) as db:
        assert db.is_server and db.path is None
        assert get_landlord(db).name == "Test Homes"
        assert db.user == raw_sql(empty_server_db, "SELECT current_user")[0][0]
    assert raw_sql(empty_server_db, "SELECT version_num FROM alembic_version") == [
        (head_revision(),)]


def test_an_empty_database_is_not_opened_without_init(empty_server_db: str) -> None:
    with pytest.raises(DatabaseProblem, match="is empty.*bvdesk init"):
        Database.open(empty_server_db)
    assert raw_sql(empty_server_db, "SELECT count(*) FROM pg_tables "
                                    "WHERE schemaname = 'public'") == [(0,)]


def test_another_programs_database_is_refused(empty_server_db: str) -> None:
    raw_sql(empty_server_db, "CREATE TABLE invoices (id int)")
    with pytest.raises(DatabaseProblem, match="not a bvdesk database"):
        Database.open(empty_server_db, create=True)
    assert raw_sql(empty_server_db, "SELECT tablename FROM pg_tables "
                                    "WHERE schemaname = 'public'") == [("invoices",)]


def test_a_missing_database_is_named(empty_server_db: str) -> None:
    parts = urllib.parse.urlsplit(empty_server_db)
    missing = urllib.parse.urlunsplit(parts._replace(path="/no_such_database"))
    with pytest.raises(DatabaseProblem, match="has no database 'no_such_database'"):
        Database.open(missing)


def _as_login(url: str, login: str) -> str:
    parts = urllib.parse.urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{login}@{host}"))


def test_an_older_schema_is_upgraded_only_by_a_login_that_owns_it(empty_server_db: str) -> None:
    from alembic import command

    from bvdesk.store.db import alembic_config

    init_database(empty_server_db, "Test Homes", "TST").close()
    with Database.open(empty_server_db) as db, db.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")
    older = raw_sql(empty_server_db, "SELECT version_num FROM alembic_version")[0][0]
    assert older != head_revision()
    role = f"bvtest_officer_{parse(empty_server_db).dbname}"
    raw_sql(empty_server_db, f"CREATE ROLE {role} LOGIN")
    try:
        raw_sql(empty_server_db, f'GRANT CONNECT ON DATABASE "{parse(empty_server_db).dbname}" '
                                 f"TO {role}")
        raw_sql(empty_server_db, f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
        owner = raw_sql(empty_server_db, "SELECT tableowner FROM pg_tables "
                                         "WHERE tablename = 'alembic_version'")[0][0]
        with pytest.raises(DatabaseProblem, match=f"may not change it. Ask {owner}, who owns"):
            Database.open(_as_login(empty_server_db, role))
        assert raw_sql(empty_server_db, "SELECT version_num FROM alembic_version") == [(older,)]
        Database.open(empty_server_db).close()  # the owner's login upgrades it
        assert raw_sql(empty_server_db, "SELECT version_num FROM alembic_version") == [
            (head_revision(),)]
    finally:
        raw_sql(empty_server_db, f"DROP OWNED BY {role}")
        raw_sql(empty_server_db, f"DROP ROLE {role}")


def test_the_audit_log_records_the_server_login_whatever_name_is_given(
        empty_server_db: str) -> None:
    init_database(empty_server_db, "Test Homes", "TST").close()
    with Database.open(empty_server_db, user="Somebody Else") as db:
        create_review(db, "repairs", "Repairs review")
    login = raw_sql(empty_server_db, "SELECT current_user")[0][0]
    users = raw_sql(empty_server_db, 'SELECT DISTINCT "user" FROM audit_log')
    assert users == [(login,)]


def test_every_migration_runs_both_ways_on_the_server(empty_server_db: str) -> None:
    from alembic import command

    from bvdesk.store.db import alembic_config

    init_database(empty_server_db, "Test Homes", "TST").close()
    with Database.open(empty_server_db) as db, db.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
        command.upgrade(config, "head")
    assert raw_sql(empty_server_db, "SELECT version_num FROM alembic_version") == [
        (head_revision(),)]


def test_sslmode_is_honoured(empty_server_db: str) -> None:
    """The test server has no TLS: a URL that requires it is refused, not quietly downgraded."""
    if raw_sql(empty_server_db, "SHOW ssl") != [("off",)]:
        pytest.skip("the test server offers TLS")
    if parse(empty_server_db).host.startswith("/"):
        pytest.skip("libpq does not use TLS over a local socket; give a TCP address to test it")
    parts = urllib.parse.urlsplit(empty_server_db)
    query = "&".join(q for q in (parts.query, "sslmode=require") if q)
    with pytest.raises(DatabaseProblem, match="SSL"):
        Database.open(urllib.parse.urlunsplit(parts._replace(query=query)))
