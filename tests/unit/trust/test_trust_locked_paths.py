"""A signed-off review refuses changes through every path: the app's editing operations, the
command line and imports, each with a clear message and nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from bvdesk.cli import main
from bvdesk.errors import ReviewLocked
from bvdesk.operations import editing
from bvdesk.operations.signoff import sign_off
from bvdesk.operations.snapshot import review_snapshot
from bvdesk.store.db import Database
from bvdesk.store.models import (
    ChallengeItem,
    CostLine,
    Indicator,
    Option,
    QualityCriterion,
    QualityScore,
    ReviewIndicator,
)

#: Demo reviews are not complete: sign-off needs a reason to override the readiness check.
INTERIM = "Interim sign-off for the test"

REVIEW = 1
MESSAGE = "Review 1 is signed off and read-only: nothing was changed"


def _first(db: Database, query) -> object:
    with db.read() as session:
        return session.scalars(query).first()


def _option(db: Database) -> int:
    return _first(db, select(Option.id).where(Option.review_id == REVIEW))


def _edits(db: Database, tmp_path: Path) -> dict[str, Callable[[], object]]:
    challenge = _first(db, select(ChallengeItem.id).where(ChallengeItem.review_id == REVIEW))
    cost_line = _first(db, select(CostLine.id).join(Option).where(Option.review_id == REVIEW))
    criterion = _first(db, select(QualityCriterion.id).where(
        QualityCriterion.review_id == REVIEW))
    scored = _first(db, select(QualityScore.option_id).where(
        QualityScore.criterion_id == criterion))
    unlinked = _first(db, select(Indicator.code).where(Indicator.id.not_in(
        select(ReviewIndicator.indicator_id).where(ReviewIndicator.review_id == REVIEW))))
    evidence = tmp_path / "minutes.txt"
    evidence.write_text("Board minutes")
    edits: dict[str, Callable[[], object]] = {
        "review field": lambda: editing.update_field(db, "review", REVIEW, "title", "Changed"),
        "challenge answer": lambda: editing.update_field(db, "challenge_item", challenge,
                                                         "answer", "Changed"),
        "cost line amounts": lambda: editing.update_field(db, "cost_line", cost_line,
                                                          "amounts", [1.0, 2.0]),
        "new action": lambda: editing.add_row(db, "action", REVIEW, {"title": "Sneaked in"}),
        "new cost line": lambda: editing.add_row(db, "cost_line", _option(db),
                                                 {"description": "Sneaked in"}),
        "new risk": lambda: editing.add_row(db, "risk", _option(db),
                                            {"description": "Sneaked in", "probability": 0.5,
                                             "impact": 1000.0}),
        "delete challenge": lambda: editing.delete_row(db, "challenge_item", challenge),
        "delete option": lambda: editing.delete_row(db, "option", _option(db)),
        "change score": lambda: editing.set_score(db, criterion, scored, 1),
        "clear score": lambda: editing.set_score(db, criterion, scored, None),
        "link indicator": lambda: editing.set_indicator_link(db, REVIEW, unlinked, True),
        "attach evidence": lambda: editing.attach_evidence(db, REVIEW, evidence),
        "new score": lambda: editing.set_score(db, criterion, scored, 7),
    }
    return edits


EDITS = ["review field", "challenge answer", "cost line amounts", "new action",
         "new cost line", "new risk", "delete challenge", "delete option", "change score",
         "clear score", "link indicator", "attach evidence", "new score"]


@pytest.mark.parametrize("edit", EDITS)
def test_editing_operations_refuse_a_signed_off_review(demo_db_path: Path, tmp_path: Path,
                                                       edit: str) -> None:
    with Database.open(demo_db_path) as db:
        edits = _edits(db, tmp_path)
        if edit == "new score":  # make room for a score that does not exist yet
            edits["clear score"]()
        sign_off(db, REVIEW, "Jo Chair", override_reason=INTERIM)
        before = review_snapshot(db, REVIEW)
        with pytest.raises(ReviewLocked, match=MESSAGE):
            edits[edit]()
        assert review_snapshot(db, REVIEW) == before


def test_the_appraisal_import_refuses_a_signed_off_review(
        demo_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = tmp_path / "appraisal.xlsx"
    db = ["--db", str(demo_db_path)]
    assert main(["template", "appraisal", "-o", str(workbook), "--review", "1", *db]) == 0
    assert main(["signoff", "1", "--by", "Jo Chair", "--override-reason", INTERIM, *db]) == 0
    capsys.readouterr()
    assert main(["import", "appraisal", str(workbook), "--review", "1", *db]) == 1
    assert MESSAGE in capsys.readouterr().err
