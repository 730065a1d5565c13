"""Transfer keeps nothing unless the whole copy checks out."""

from __future__ import annotations

from pathlib import Path

import pytest
from engines import raw_sql

from bvdesk.errors import DatabaseProblem
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
