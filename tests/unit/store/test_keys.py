"""Keys handed out before their rows are inserted (``KeyReserve``): an import gives its new
peers their keys at once and inserts them later, on another thread; no other row may take them
meanwhile, on a file or on a server."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bvdesk.domain.names import match_key
from bvdesk.store.db import Database
from bvdesk.store.keys import KeyReserve, missing_keys
from bvdesk.store.models import Indicator, IndicatorValue, Organisation, table_of


def _row(name: str, key: int | None = None) -> dict[str, object]:
    row: dict[str, object] = {"name": name, "match_key": match_key(name), "is_self": False}
    if key is not None:
        row["id"] = key
    return row


def test_keys_are_new_and_rows_added_later_take_none_of_them(tmp_db_path: Path | str) -> None:
    table = table_of(Organisation)
    with Database.open(tmp_db_path, write=True, user="tester") as db:
        with db.session() as session:
            connection = session.connection()
            connection.execute(table.insert(), [_row("Riverside Homes")])  # the write lock
            before = connection.execute(select(table.c.id)).scalars().all()
            reserve = KeyReserve(table, block=4)
            first = reserve.take(connection, 3)
            more = reserve.take(connection, 3)  # past the first block on a server
            keys = first + more
            assert len(set(keys)) == 6 and min(keys) > max(before)
            assert reserve.ready(1) or connection.dialect.name == "postgresql"
            connection.execute(table.insert(), [_row(f"Peer {key}", key) for key in keys])
            connection.execute(table.insert(), [_row("Added afterwards")])
        with db.read() as session:
            names = dict(session.execute(select(Organisation.id, Organisation.name)).all())
    assert {names[key] for key in keys} == {f"Peer {key}" for key in keys}
    assert "Added afterwards" in names.values()


def test_a_colleague_adding_a_peer_meanwhile_takes_no_key_handed_out(
        tmp_db_path: Path | str, db_engine: str) -> None:
    if db_engine != "postgresql":
        pytest.skip("on a file the writer's lock keeps a colleague from adding anything")
    table = table_of(Organisation)
    with Database.open(tmp_db_path, write=True, user="ann") as ann, \
            Database.open(tmp_db_path, write=True, user="bob") as bob:
        with ann.session() as session:
            connection = session.connection()
            keys = KeyReserve(table).take(connection, 5)
            with bob.session() as other:  # commits while Ann's keys wait for their rows
                other.connection().execute(table.insert(), [_row("Bob's new peer")])
            connection.execute(table.insert(), [_row(f"Ann's peer {key}", key) for key in keys])
        with ann.read() as session:
            names = session.execute(select(Organisation.name)).scalars().all()
    assert "Bob's new peer" in names
    assert sum(name.startswith("Ann's peer") for name in names) == 5


def test_missing_keys_names_the_ones_no_row_has(tmp_db_path: Path | str) -> None:
    table = table_of(Organisation)
    with Database.open(tmp_db_path, write=True, user="tester") as db:
        with db.session() as session:
            connection = session.connection()
            connection.execute(table.insert(), [_row(f"Peer {n}") for n in range(1200)])
            present = connection.execute(select(table.c.id)).scalars().all()
            assert missing_keys(connection, table, present) == set()  # in several queries
            assert missing_keys(connection, table, [*present, 10**9, 10**9 + 1]) == {
                10**9, 10**9 + 1}


def _value(organisation_id: int, indicator_id: int) -> dict[str, object]:
    return {"organisation_id": organisation_id, "indicator_id": indicator_id, "year": 2024,
            "value": 1.0, "quality_note": ""}


@pytest.mark.parametrize("outcome", ["committed", "failed"])
def test_references_are_checked_again_after_a_bulk_session(tmp_db_path: Path | str,
                                                           outcome: str) -> None:
    """A bulk session checks its own references (an import checks them with ``missing_keys``);
    every session after it, on the same pooled connection, has each one looked up again."""
    values = table_of(IndicatorValue)
    with Database.open(tmp_db_path, write=True, user="tester") as db:
        with db.session() as session:
            connection = session.connection()
            connection.execute(table_of(Organisation).insert(), [_row("Riverside Homes")])
            org = connection.execute(select(Organisation.id).where(
                Organisation.name == "Riverside Homes")).scalar_one()
            indicator = connection.execute(select(Indicator.id)).scalars().first()
        assert indicator is not None
        with pytest.raises(RuntimeError) if outcome == "failed" else nullcontext():
            with db.session(bulk=True) as session:
                session.connection().execute(values.insert(), [_value(org, indicator)])
                if outcome == "failed":
                    raise RuntimeError("the import stopped")
        with pytest.raises(IntegrityError), db.session() as session:
            session.connection().execute(values.insert(), [_value(org + 1000, indicator)])
        with db.read() as session:
            stored = session.execute(select(values.c.organisation_id).where(
                values.c.organisation_id >= org)).scalars().all()
    assert stored == ([org] if outcome == "committed" else [])
