"""The home page's figures kept when the app closes a database, and shown at the next start only
while the file is exactly as it was left."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bvdesk.operations import home_figures
from bvdesk.operations.dashboard import dashboard
from bvdesk.operations.opening import close_database, open_database
from bvdesk.operations.reviews import create_review
from bvdesk.store.db import Database

pytestmark = pytest.mark.sqlite_only  # the copy belongs to a database file


def _closed_by_the_app(path: Path) -> home_figures.Dashboard:
    """Open and close ``path`` as the app does; the figures it showed."""
    opened = open_database(path, user="Officer")
    figures = dashboard(opened.db)
    close_database(opened.db)
    return figures


def test_the_figures_come_back_exactly_while_the_file_is_unchanged(demo_db_path: Path) -> None:
    assert home_figures.recall(demo_db_path) is None  # never closed by the app yet
    shown = _closed_by_the_app(demo_db_path)
    kept = home_figures.recall(demo_db_path)
    assert kept == shown
    assert kept is not None and kept.benchmark is not None
    assert kept.landlord == "Northvale Homes"
    assert len(kept.reviews) == 3 and len(kept.benchmark.rows) == len(shown.benchmark.rows)
    assert kept.benchmark.compete_trigger.services == shown.benchmark.compete_trigger.services


def test_a_change_made_after_closing_hides_the_kept_figures(demo_db_path: Path) -> None:
    _closed_by_the_app(demo_db_path)
    db = Database.open(demo_db_path, write=True, user="Colleague")
    create_review(db, "repairs", "Responsive repairs: a second look")
    db.close()
    assert home_figures.recall(demo_db_path) is None
    shown = _closed_by_the_app(demo_db_path)  # the app closes it again: the new figures are kept
    kept = home_figures.recall(demo_db_path)
    assert kept == shown and len(kept.reviews) == 4


def test_nothing_is_shown_while_the_file_is_open_elsewhere(demo_db_path: Path) -> None:
    _closed_by_the_app(demo_db_path)
    other = Database.open(demo_db_path, write=True, user="Colleague")
    try:
        assert Path(f"{demo_db_path}-wal").exists()
        assert home_figures.recall(demo_db_path) is None
    finally:
        other.close()
    assert home_figures.recall(demo_db_path) is not None


@pytest.mark.parametrize("spoil", ["not json", "other version", "other file", "missing field"])
def test_a_copy_that_does_not_fit_is_ignored(demo_db_path: Path, tmp_path: Path,
                                             spoil: str) -> None:
    _closed_by_the_app(demo_db_path)
    [copy] = (tmp_path / "bvdesk-home" / "cache" / "home").glob("*.json")
    stored = json.loads(copy.read_text("utf-8"))
    if spoil == "not json":
        copy.write_text("{\"format\": 1, \"dashb", "utf-8")
    else:
        if spoil == "other version":
            stored["bvdesk"] = "0.0.1"
        elif spoil == "other file":
            stored["database"] = str(tmp_path / "another.bvdesk")
        else:
            del stored["dashboard"]["reviews"][0]["needs"]["review_id"]
        copy.write_text(json.dumps(stored), "utf-8")
    assert home_figures.recall(demo_db_path) is None
