"""Issue 12, done when: every edition of every demo review renders, signed-off documents print
no software placeholder text, and the demo's readiness check finds no contradiction."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from bvdesk.operations.readiness import check_review
from bvdesk.operations.signoff import sign_off, signed_off_pdf
from bvdesk.operations.snapshot import review_snapshot
from bvdesk.reports import EDITIONS, render
from bvdesk.store.db import Database

REVIEWS = (1, 2, 3)
#: What software prints where a person has not written something yet.
PLACEHOLDERS = ("not yet", "has not been written", "no judgements have been recorded",
                "not yet answered")
#: Reviews 1 and 2 are unfinished: signing them off needs a reason; review 3 is ready.
OVERRIDES = {1: "The board approved the market test before the plan was finished",
             2: "Interim sign-off so the board can see the consultation so far", 3: ""}


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, _demo_template: Path) -> Iterator[Database]:
    """The demo with every review signed off (reviews 1 and 2 overriding the readiness check)."""
    path = tmp_path_factory.mktemp("signed") / "demo.sqlite"
    shutil.copyfile(_demo_template, path)
    db = Database.open(path)
    for review, reason in OVERRIDES.items():
        sign_off(db, review, "Chair of the Board", override_reason=reason)
    yield db
    db.close()


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.mark.slow
@pytest.mark.parametrize("edition", list(EDITIONS))
@pytest.mark.parametrize("review", REVIEWS)
def test_every_edition_of_every_demo_review_renders(_demo_template: Path, review: int,
                                                    edition: str) -> None:
    db = Database.open(_demo_template, write=False)
    try:
        pdf, pages = render(review_snapshot(db, review), edition)
    finally:
        db.close()
    assert pages >= 1 and _text(pdf).strip()


@pytest.mark.slow
@pytest.mark.parametrize("edition", list(EDITIONS))
@pytest.mark.parametrize("review", REVIEWS)
def test_signed_off_documents_print_no_placeholder_text(signed: Database, review: int,
                                                        edition: str) -> None:
    pdf, _pages = signed_off_pdf(signed, review, edition=edition)
    text = _text(pdf).casefold()
    assert [p for p in PLACEHOLDERS if p in text] == []
    assert "{{" not in text and "figure not available" not in text


@pytest.mark.parametrize("review", REVIEWS)
def test_the_demo_readiness_check_finds_no_contradiction(_demo_template: Path,
                                                         review: int) -> None:
    db = Database.open(_demo_template, write=False)
    try:
        assert [f.text for f in check_review(db, review).contradictions] == []
    finally:
        db.close()


def test_a_submission_signed_off_over_outstanding_items_lists_them_once(
        signed: Database) -> None:
    text = _text(signed_off_pdf(signed, 2, edition="regulator")[0])
    assert text.count(OVERRIDES[2]) == 1
    assert text.count("Appraise at least three options (2 so far).") == 1
