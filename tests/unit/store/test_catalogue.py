"""An existing landlord's database takes up what the shipped catalogue has added since it was
made (indicators, aliases) when it is opened for writing, and never overrules the landlord."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from engines import is_server, raw_sql
from sqlalchemy import select

from bvdesk.operations.indicator_import import load_catalogue
from bvdesk.store.catalogue import STAMP_KEY, shipped
from bvdesk.store.db import Database
from bvdesk.store.models import Indicator


def _json(location: Path | str, sql: str, value: Any, *params: Any) -> None:
    """Run ``sql`` with ``value`` as JSON in place of its first ``?``, as another program would."""
    cast = "CAST(? AS json)" if is_server(location) else "?"
    raw_sql(location, sql.replace("?", cast, 1), (json.dumps(value), *params))


def _aliases(location: Path | str, code: str) -> list[str]:
    (value,), = raw_sql(location, "SELECT aliases FROM indicator WHERE code = ?", (code,))
    return value if isinstance(value, list) else json.loads(value)


def _stamp(location: Path | str) -> dict[str, Any]:
    (value,), = raw_sql(location, "SELECT value FROM setting WHERE key = ?", (STAMP_KEY,))
    return value if isinstance(value, dict) else json.loads(value)


def _made_by_an_older_bvdesk(location: Path | str) -> None:
    """The database as the catalogue before ASB cases and the 'rent collection' alias made it,
    before databases recorded their catalogue."""
    raw_sql(location, "DELETE FROM indicator WHERE code = 'ASB-RES'")
    _json(location, "UPDATE indicator SET aliases = ? WHERE code = 'BV66a'",
          ["Rent collected as % of rent due", "BV 66a"])
    raw_sql(location, "DELETE FROM setting WHERE key = ?", (STAMP_KEY,))


def _audit(location: Path | str) -> list[tuple[Any, ...]]:
    return raw_sql(location, "SELECT action, entity, field, new FROM audit_log ORDER BY id")


def test_an_older_database_takes_up_the_new_indicators_and_aliases(
        tmp_db_path: Path | str) -> None:
    _made_by_an_older_bvdesk(tmp_db_path)
    logged = len(_audit(tmp_db_path))

    with Database.open(tmp_db_path, write=True) as db:
        catalogue = load_catalogue(db)
        assert catalogue.match("Rent collection") == "BV66a"
        assert catalogue.match("ASB cases resolved") == "ASB-RES"
    assert _aliases(tmp_db_path, "BV66a") == [
        "Rent collected as % of rent due", "BV 66a", "rent collection", "HCPI rent collected"]
    assert _stamp(tmp_db_path)["version"] == shipped().version
    added = _audit(tmp_db_path)[logged:]
    assert ("insert", "indicator", "code", "ASB-RES") in added
    assert any(entry[:3] == ("update", "indicator", "aliases") and "rent collection" in entry[3]
               for entry in added)


def test_what_the_landlord_changed_is_kept(tmp_db_path: Path | str) -> None:
    _made_by_an_older_bvdesk(tmp_db_path)
    raw_sql(tmp_db_path, "UPDATE indicator SET name = 'Rent collection rate', "
                         "polarity = 'lower' WHERE code = 'BV66d'")
    _json(tmp_db_path, "UPDATE indicator SET aliases = ? WHERE code = 'BV66d'",
          ["evictions", "our evictions"])
    # The landlord's own indicator answers to a name the shipped catalogue now gives BV66a.
    _json(tmp_db_path, "INSERT INTO indicator (code, name, aliases, definition, unit, polarity, "
                       "decimals, framework, is_custom, row_version) VALUES ('OWN-RC', "
                       "'Own rent measure', ?, '', 'percent', 'higher', 1, '', ?, 1)",
          ["rent collection"], True)

    with Database.open(tmp_db_path, write=True) as db:
        assert load_catalogue(db).match("Rent collection") == "OWN-RC"
    assert raw_sql(tmp_db_path, "SELECT name, polarity FROM indicator WHERE code = 'BV66d'") == [
        ("Rent collection rate", "lower")]
    assert _aliases(tmp_db_path, "BV66d") == ["evictions", "our evictions", "BV 66d"]
    assert _aliases(tmp_db_path, "OWN-RC") == ["rent collection"]
    assert "rent collection" not in _aliases(tmp_db_path, "BV66a")
    assert "HCPI rent collected" in _aliases(tmp_db_path, "BV66a")


def test_what_was_offered_once_and_removed_is_not_offered_again(
        tmp_db_path: Path | str) -> None:
    raw_sql(tmp_db_path, "DELETE FROM indicator WHERE code = 'ASB-RES'")
    _json(tmp_db_path, "UPDATE indicator SET aliases = ? WHERE code = 'BV66a'", ["BV 66a"])
    _json(tmp_db_path, "UPDATE setting SET value = ? WHERE key = ?",
          {**_stamp(tmp_db_path), "version": "an older catalogue"}, STAMP_KEY)

    Database.open(tmp_db_path, write=True).close()  # an open for writing brings it up
    assert raw_sql(tmp_db_path, "SELECT count(*) FROM indicator WHERE code = 'ASB-RES'") == [(0,)]
    assert _aliases(tmp_db_path, "BV66a") == ["BV 66a"]
    assert _stamp(tmp_db_path)["version"] == shipped().version


def test_a_current_database_is_not_written_to(tmp_db_path: Path | str) -> None:
    _made_by_an_older_bvdesk(tmp_db_path)
    Database.open(tmp_db_path, write=True).close()
    logged = _audit(tmp_db_path)
    versions = raw_sql(tmp_db_path, "SELECT code, row_version FROM indicator ORDER BY code")

    Database.open(tmp_db_path, write=True).close()
    assert _audit(tmp_db_path) == logged
    assert raw_sql(tmp_db_path, "SELECT code, row_version FROM indicator ORDER BY code") \
        == versions


def test_a_new_database_records_the_catalogue_it_was_made_with(tmp_db_path: Path | str) -> None:
    stamp = _stamp(tmp_db_path)
    assert stamp["version"] == shipped().version
    assert stamp["indicators"]["BV66a"] == sorted(
        next(i for i in shipped().indicators if i["code"] == "BV66a")["aliases"])
    with Database.open(tmp_db_path, write=False) as db, db.read() as session:
        assert len(session.scalars(select(Indicator)).all()) == len(shipped().indicators)


@pytest.mark.sqlite_only
def test_a_file_opened_to_read_is_left_as_it_is(tmp_db_path: Path) -> None:
    _made_by_an_older_bvdesk(tmp_db_path)
    Database.open(tmp_db_path, write=False).close()
    assert raw_sql(tmp_db_path, "SELECT count(*) FROM setting WHERE key = ?", (STAMP_KEY,)) \
        == [(0,)]


def test_on_a_server_a_login_that_may_not_change_the_catalogue_uses_it_as_it_is(
        empty_server_db: str) -> None:
    import urllib.parse

    from bvdesk.operations.landlord import init_database

    init_database(empty_server_db, "Test Homes", "TST").close()
    _made_by_an_older_bvdesk(empty_server_db)
    parts = urllib.parse.urlsplit(empty_server_db)
    dbname = parts.path.lstrip("/")
    role = f"bvtest_reader_{dbname}"
    raw_sql(empty_server_db, f"CREATE ROLE {role} LOGIN")
    try:
        raw_sql(empty_server_db, f'GRANT CONNECT ON DATABASE "{dbname}" TO {role}')
        raw_sql(empty_server_db, f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
        host = parts.netloc.rsplit("@", 1)[-1]
        reader = urllib.parse.urlunsplit(parts._replace(netloc=f"{role}@{host}"))
        with Database.open(reader) as db:
            assert load_catalogue(db).match("ASB cases resolved") is None
        assert raw_sql(empty_server_db, "SELECT count(*) FROM setting WHERE key = ?",
                       (STAMP_KEY,)) == [(0,)]
        Database.open(empty_server_db).close()  # the owner's login brings it up
        assert _stamp(empty_server_db)["version"] == shipped().version
    finally:
        raw_sql(empty_server_db, f"DROP OWNED BY {role}")
        raw_sql(empty_server_db, f"DROP ROLE {role}")
