"""Fixtures shared by the Trust tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bvdesk.operations.packages import export_review
from bvdesk.operations.reviews import create_review
from bvdesk.store.db import Database
from bvdesk.store.models import Action, ChallengeItem, CostLine, Option, Review


@pytest.fixture(scope="session")
def large_package(tmp_path_factory: pytest.TempPathFactory, _template_db: Path) -> Path:
    """A review with hundreds of rows under it (thousands of audit entries), as a package."""
    folder = tmp_path_factory.mktemp("large")
    source = folder / "source.sqlite"
    shutil.copyfile(_template_db, source)
    with Database.open(source) as db:
        review_id = create_review(db, "repairs", "A very large review")
        with db.session() as session:
            review = session.get(Review, review_id)
            review.challenges.extend(ChallengeItem(question=f"Question {i}", answer="x" * 300,
                                                   position=10 + i) for i in range(150))
            review.actions = [Action(title=f"Action {i}", owner="Owner", position=i,
                                     milestones="m" * 200) for i in range(250)]
            review.options = [Option(name=f"Option {o}", kind="external", position=o,
                                     cost_lines=[CostLine(category="staff",
                                                          amounts=[1000.0 * o + i] * 11,
                                                          position=i) for i in range(30)])
                              for o in range(5)]
        export_review(db, review_id, folder / "large.bvreview")
    return folder / "large.bvreview"
