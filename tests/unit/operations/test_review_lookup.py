"""Every use case that takes a review id refuses a missing one the same way, in the user's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from bvdesk.errors import NoSuchReview
from bvdesk.operations import appraisal, dashboard, reports, reviews, signoff, snapshot
from bvdesk.store.db import Database

LOOKUPS = [
    ("show", lambda db, rid: reviews.review_detail(db, rid)),
    ("appraise", lambda db, rid: appraisal.appraise_review(db, rid)),
    ("needs", lambda db, rid: dashboard.review_needs(db, rid)),
    ("snapshot", lambda db, rid: snapshot.review_snapshot(db, rid)),
    ("report", lambda db, rid: reports.report_snapshot(db, rid)),
    ("versions", lambda db, rid: signoff.signoffs(db, rid)),
]


@pytest.mark.parametrize("review_id", [42, 0, -1, 2**63, 2**70])
@pytest.mark.parametrize(("use", "lookup"), LOOKUPS, ids=[name for name, _ in LOOKUPS])
def test_a_missing_review_is_refused_in_one_wording(tmp_db_path: Path, use: str, lookup,
                                                   review_id: int) -> None:
    with Database.open(tmp_db_path, write=True) as db, pytest.raises(NoSuchReview) as refused:
        lookup(db, review_id)
    assert refused.value.message == f"There is no review {review_id}."
