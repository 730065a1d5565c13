"""Transfer keeps nothing unless the whole copy checks out."""

from __future__ import annotations

from pathlib import Path

import pytest
from engines import raw_sql

from bvdesk.errors import Cancelled, DatabaseProblem
from bvdesk.operations.landlord import init_database
from bvdesk.operations.reviews import create_review
from bvdesk.operations.transfer import transfer


def test_a_row_the_server_refuses_leaves_the_server_database_empty(
        empty_server_db: str, tmp_path: Path) -> None:
    desk = tmp_path / "desk.bvdesk"
    with init_database(desk, "Test Homes", "TST") as db:
        create_review(db, "repairs", "Repairs review")
    # SQLite keeps a title longer than the column allows; PostgreSQL does not.
    raw_sql(desk, "UPDATE review SET title = ?", ("x" * 300,))
    with pytest.raises(DatabaseProblem, match="Copying the review rows failed.*Nothing was kept"):
        transfer(desk, empty_server_db)
    for table in ("organisation", "review", "audit_log"):
        assert raw_sql(empty_server_db, f"SELECT count(*) FROM {table}") == [(0,)]


def test_a_file_target_must_be_new(empty_server_db: str, tmp_path: Path) -> None:
    existing = tmp_path / "existing.bvdesk"
    init_database(existing, "Other Homes").close()
    init_database(empty_server_db, "Test Homes", "TST").close()
    before = existing.read_bytes()
    with pytest.raises(DatabaseProblem, match="already exists"):
        transfer(empty_server_db, existing)
    assert existing.read_bytes() == before


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_progress_runs_through_the_copy_to_one(demo_db_path: Path | str,
                                               tmp_path: Path) -> None:
    seen: list[float] = []
    report = transfer(demo_db_path, tmp_path / "copy.bvdesk", progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert len([f for f in seen if 0.1 < f < 1.0]) >= 2, "no progress while copying"
    assert report.total > 0 and (tmp_path / "copy.bvdesk").exists()


@pytest.mark.parametrize("stop_at", [0.0, 0.5, 1.0])
def test_a_cancel_to_a_file_leaves_no_file(demo_db_path: Path | str, tmp_path: Path,
                                           stop_at: float) -> None:
    """Cancelled before the first row, part-way, and after the last row (while checking)."""
    target = tmp_path / "out" / "copy.bvdesk"
    seen: list[float] = []
    with pytest.raises(Cancelled, match="cancelled; nothing was kept"):
        transfer(demo_db_path, target, progress=seen.append,
                 cancelled=lambda: bool(seen) and seen[-1] >= stop_at)
    assert not target.exists()
    assert _leftovers(target.parent) == []
    # Nothing stands in the way of the transfer done again.
    assert transfer(demo_db_path, target).total > 0


def test_a_cancel_to_a_server_keeps_no_row(demo_db_path: Path | str,
                                           empty_server_db: str) -> None:
    seen: list[float] = []
    with pytest.raises(Cancelled):
        transfer(demo_db_path, empty_server_db, progress=seen.append,
                 cancelled=lambda: bool(seen) and seen[-1] >= 0.5)
    assert 0.5 <= seen[-1] < 1.0
    for table in ("organisation", "review", "indicator_value", "audit_log"):
        assert raw_sql(empty_server_db, f"SELECT count(*) FROM {table}") == [(0,)]
    assert transfer(demo_db_path, empty_server_db).total > 0
