"""What the tests of long tasks share: a database read row for row, and a review package large
enough to take seconds to import (so that it can be cancelled part-way)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bvdesk.operations.packages import export_review
from bvdesk.store.db import Database
from bvdesk.store.models import Action, ChallengeItem, Review


def database_rows(path: Path) -> list[str]:
    """Every row of every table of the database file at ``path``, as SQL: what it holds, not
    its bytes."""
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def large_package(database: Path, review_id: int, target: Path) -> Path:
    """Review ``review_id`` of ``database`` with 6,000 more rows under it, exported to
    ``target``."""
    with Database.open(database) as db:
        with db.session() as session:
            review = session.get(Review, review_id)
            assert review is not None
            review.challenges.extend(ChallengeItem(question=f"Question {i}", answer="x" * 300,
                                                   position=100 + i) for i in range(3000))
            review.actions.extend(Action(title=f"Action {i}", owner="Owner", position=100 + i,
                                         milestones="m" * 200) for i in range(3000))
        export_review(db, review_id, target)
    return target
