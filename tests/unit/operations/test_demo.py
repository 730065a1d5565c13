"""The demo database is rich enough to show everything, and the same on every run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from engines import raw_sql

from bvdesk.operations.demo import create_demo


def _dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


@pytest.mark.sqlite_only
def test_demo_is_deterministic(tmp_path: Path, demo_db_path: Path) -> None:
    again = create_demo(tmp_path / "again.sqlite")
    assert _dump(again) == _dump(demo_db_path)


def test_demo_has_peers_years_and_reviews(demo_db_path: Path) -> None:
    peers = raw_sql(demo_db_path, "SELECT count(*) FROM organisation WHERE NOT is_self")[0][0]
    years = raw_sql(demo_db_path, "SELECT count(DISTINCT year) FROM indicator_value")[0][0]
    options = raw_sql(demo_db_path, "SELECT review_id, count(*) FROM option GROUP BY review_id")
    consultations = raw_sql(demo_db_path, "SELECT count(*) FROM consultation")[0][0]
    actions = raw_sql(demo_db_path, "SELECT count(*) FROM action")[0][0]
    assert peers >= 40 and years == 5
    assert dict(options) == {1: 5, 2: 2, 3: 3}
    assert consultations >= 3 and actions >= 5


@pytest.mark.sqlite_only
def test_opening_an_existing_demo_leaves_it_alone(demo_db_path: Path) -> None:
    before = _dump(demo_db_path)
    create_demo(demo_db_path)
    assert _dump(demo_db_path) == before
