"""Exporting and importing a review package report their progress and can be cancelled at any
point, leaving nothing written: no package file (an earlier one untouched), no change to the
database."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from exchange_helpers import database_rows

from bvdesk.errors import Cancelled
from bvdesk.operations.editing import attach_evidence, update_field
from bvdesk.operations.packages import export_review, import_review
from bvdesk.store.db import Database

REVIEW = 1
EARLIER = b"an earlier package the person keeps"


def _stopper(seen: list[float], at: float):
    return lambda: bool(seen) and seen[-1] >= at


@pytest.fixture
def with_evidence(demo_db_path: Path, tmp_path: Path) -> Path:
    """The demo with four evidence files on review 1 (incompressible, so packing them takes
    a while and reports as it goes)."""
    folder = tmp_path / "files"
    folder.mkdir()
    with Database.open(demo_db_path) as db:
        for number in range(4):
            path = folder / f"survey-{number}.pdf"
            path.write_bytes(os.urandom(400_000))
            attach_evidence(db, REVIEW, path)
    return demo_db_path


@pytest.fixture
def package(with_evidence: Path, tmp_path: Path) -> Path:
    with Database.open(with_evidence) as db:
        export_review(db, REVIEW, tmp_path / "review.bvreview")
    return tmp_path / "review.bvreview"


def test_export_progress_runs_forward_to_one(with_evidence: Path, tmp_path: Path) -> None:
    seen: list[float] = []
    with Database.open(with_evidence) as db:
        export_review(db, REVIEW, tmp_path / "out.bvreview", progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert len([f for f in seen if 0.2 < f < 1.0]) >= 3, "no progress while packing"


@pytest.mark.parametrize("stop_at", [0.0, 0.4, 0.8, 1.0])
def test_a_cancelled_export_writes_nothing(with_evidence: Path, tmp_path: Path,
                                           stop_at: float) -> None:
    """Cancelled after reading, while packing, and with every member packed."""
    target = tmp_path / "out" / "review.bvreview"
    target.parent.mkdir()
    target.write_bytes(EARLIER)
    before = database_rows(with_evidence)
    seen: list[float] = []
    with Database.open(with_evidence) as db, pytest.raises(Cancelled, match="no package"):
        export_review(db, REVIEW, target, progress=seen.append,
                      cancelled=_stopper(seen, stop_at))
    assert seen[-1] >= stop_at
    assert target.read_bytes() == EARLIER
    assert os.listdir(target.parent) == ["review.bvreview"]
    assert database_rows(with_evidence) == before, "the exchange base was recorded"


def test_import_progress_runs_forward_to_one(package: Path, tmp_db_path: Path) -> None:
    seen: list[float] = []
    with Database.open(tmp_db_path) as db:
        assert import_review(db, package, progress=seen.append).created
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert len([f for f in seen if 0.0 < f < 0.5]) >= 3, "no progress while reading"


@pytest.mark.parametrize("stop_at", [0.05, 0.35, 0.5, 0.55, 0.6])
def test_a_cancelled_import_of_a_new_review_changes_nothing(
        package: Path, tmp_db_path: Path, stop_at: float) -> None:
    """Cancelled while unpacking, verifying, checking, before merging and before the commit."""
    before = database_rows(tmp_db_path)
    seen: list[float] = []
    with Database.open(tmp_db_path) as db, pytest.raises(Cancelled, match="nothing was changed"):
        import_review(db, package, progress=seen.append, cancelled=_stopper(seen, stop_at))
    assert stop_at <= seen[-1] < 1.0
    assert database_rows(tmp_db_path) == before


def test_a_cancelled_merge_leaves_the_review_as_it_was(
        package: Path, with_evidence: Path, tmp_db_path: Path, tmp_path: Path) -> None:
    """The review exists here; the package changes it; cancelled once the merge is written
    (flushed, not committed)."""
    with Database.open(tmp_db_path) as db:
        import_review(db, package)
    with Database.open(with_evidence) as db:
        update_field(db, "review", REVIEW, "title", "Renamed by a colleague")
        export_review(db, REVIEW, tmp_path / "changed.bvreview")
    before = database_rows(tmp_db_path)
    seen: list[float] = []
    with Database.open(tmp_db_path) as db, pytest.raises(Cancelled):
        import_review(db, tmp_path / "changed.bvreview", progress=seen.append,
                      cancelled=_stopper(seen, 0.6))
    assert database_rows(tmp_db_path) == before
    with Database.open(tmp_db_path) as db:
        result = import_review(db, tmp_path / "changed.bvreview")
    assert result.taken == ("title",)
