"""The demo database is rich enough to show everything, and the same on every run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bvdesk.operations.demo import create_demo


def _dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


def test_demo_is_deterministic(tmp_path: Path, demo_db_path: Path) -> None:
    again = create_demo(tmp_path / "again.sqlite")
    assert _dump(again) == _dump(demo_db_path)


def test_demo_has_peers_years_and_reviews(demo_db_path: Path) -> None:
    with sqlite3.connect(demo_db_path) as c:
        peers = c.execute("SELECT count(*) FROM organisation WHERE NOT is_self").fetchone()[0]
        years = c.execute("SELECT count(DISTINCT year) FROM indicator_value").fetchone()[0]
        options = c.execute("SELECT review_id, count(*) FROM option GROUP BY review_id").fetchall()
        consultations = c.execute("SELECT count(*) FROM consultation").fetchone()[0]
        actions = c.execute("SELECT count(*) FROM action").fetchone()[0]
    assert peers >= 40 and years == 5
    assert dict(options) == {1: 5, 2: 2, 3: 3}
    assert consultations >= 3 and actions >= 5


def test_opening_an_existing_demo_leaves_it_alone(demo_db_path: Path) -> None:
    before = _dump(demo_db_path)
    create_demo(demo_db_path)
    assert _dump(demo_db_path) == before
