"""A reopened review is a new version the board has not approved: the board's approval of the
version signed off stays with that version, the readiness check asks for the new approval, and
the drafts say the new version awaits it, until the board's new approval is recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bvdesk.operations.editing import update_field, update_fields
from bvdesk.operations.readiness import NotReady, check_review
from bvdesk.operations.signoff import reopen, sign_off, signed_off_pdf
from bvdesk.operations.snapshot import review_snapshot
from bvdesk.reports import render
from bvdesk.store.db import Database

#: The demo's rent review: complete, approved by the board on 18 February 2010, minute B/2010/07.
REVIEW = 3
CONSULTATION = 5
OLD_APPROVAL = "Approved by the board on 18 February 2010"


@pytest.fixture
def db(demo_db_path: Path) -> Iterator[Database]:
    with Database.open(demo_db_path, user="tester") as database:
        yield database


def _reopened_and_changed(db: Database) -> None:
    assert check_review(db, REVIEW).clean
    sign_off(db, REVIEW, "Jo Chair")
    reopen(db, REVIEW, "Sam Lead", "The panel's survey was recounted")
    update_field(db, "consultation", CONSULTATION, "satisfied", 160)


def test_a_reopened_review_awaits_the_boards_approval_again(
        db: Database, pdf_text: Callable[[bytes], str]) -> None:
    _reopened_and_changed(db)

    readiness = check_review(db, REVIEW)
    assert not readiness.clean
    assert "Sign-off: Record the board approval date and minute reference." in \
        readiness.outstanding
    with pytest.raises(NotReady, match="Record the board approval date"):
        sign_off(db, REVIEW, "Jo Chair")

    draft = review_snapshot(db, REVIEW)
    assert draft["review"]["version"] == 2
    submission = pdf_text(render(draft, "regulator")[0])
    assert "Board approval Not yet approved by the board" in submission
    assert "18 February 2010" not in submission and "B/2010/07" not in submission
    board = pdf_text(render(draft, "board")[0])
    assert "Approved by the board" not in board and "B/2010/07" not in board

    # Version 1 keeps the approval it was signed off with, as history.
    assert OLD_APPROVAL + ", minute B/2010/07" in pdf_text(signed_off_pdf(db, REVIEW, 1)[0])


def test_with_the_boards_new_approval_the_new_version_signs_off(
        db: Database, pdf_text: Callable[[bytes], str]) -> None:
    _reopened_and_changed(db)
    update_fields(db, "review", REVIEW, {"board_approval_date": "14/04/2010",
                                         "board_minute_ref": "B/2010/19"})

    assert check_review(db, REVIEW).clean
    assert sign_off(db, REVIEW, "Jo Chair").version == 2
    submission = pdf_text(signed_off_pdf(db, REVIEW)[0])
    assert "Approved by the board on 14 April 2010, minute B/2010/19" in submission
    assert "18 February 2010" not in submission
