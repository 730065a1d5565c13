"""Submissions: byte-identical after sign-off whatever changes, and hostile review text renders."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bvdesk.cli import main
from bvdesk.operations.reports import render_bytes
from bvdesk.operations.signoff import reopen, sign_off, signed_off_pdf
from bvdesk.store.db import Database
from bvdesk.store.models import IndicatorValue, Organisation, Review, ServiceArea

#: Demo reviews are not complete: sign-off needs a reason to override the readiness check.
INTERIM = "Interim sign-off for the test"

REVIEW = 1
RTL = "\u05d3\u05d9\u05e8\u05d5\u05ea \u0645\u0633\u0627\u0643\u0646 \u202eevil\u202c \u200f"
HOSTILE = {
    "markup": "<b>bold</b> & <i>x</i> <font color=red>&amp;</font> <para/> ]]> <![CDATA[",
    "long word": "W" * 10_000,
    "control": "".join(chr(c) for c in range(32)) + "\x7f\u2028\u2029\ufeff",
    "right to left": RTL,
    "mixed": "Tenants said: \u00ab<Repairs> & \u2018gas\u2019\u00bb \U0001f3e0 e\u0301 "
             "\u0000after-nul",
}


@pytest.fixture
def db(demo_db_path: Path):
    with Database.open(demo_db_path, user="tester") as database:
        yield database


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_the_submission_is_byte_identical_whatever_changes_after_sign_off(
        db: Database) -> None:
    sign_off(db, REVIEW, "Jo Chair", note="Board 12 March 2010", override_reason=INTERIM)
    first, _ = render_bytes(db, REVIEW, "regulator")
    with db.session() as session:  # the world moves on: peers, the landlord, the service
        for value in session.scalars(select(IndicatorValue).limit(200)):
            value.value = value.value * 1.5
        session.scalar(select(Organisation).where(Organisation.is_self)).name = "Renamed Homes"
        session.get(Review, REVIEW).service.name = "Renamed service"
    assert render_bytes(db, REVIEW, "regulator")[0] == first
    assert signed_off_pdf(db, REVIEW)[0] == first


def test_the_signed_off_version_stays_available_after_reopening(db: Database,
                                                                tmp_path: Path) -> None:
    sign_off(db, REVIEW, "Jo Chair", override_reason=INTERIM)
    signed, _ = render_bytes(db, REVIEW, "board")
    reopen(db, REVIEW, "Sam Lead", "Board asked for another option")
    with db.session() as session:
        session.get(Review, REVIEW).title = "Version 2 draft"
    assert render_bytes(db, REVIEW, "board")[0] != signed  # the draft of version 2
    assert signed_off_pdf(db, REVIEW, 1, "board")[0] == signed
    db.close()
    out = tmp_path / "v1.pdf"
    assert main(["review", "submission", str(REVIEW), "--version", "1", "--edition", "board",
                 "-o", str(out), "--db", str(db.path)]) == 0
    assert out.read_bytes() == signed


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_review_text_renders_in_every_edition(db: Database, kind: str) -> None:
    text = HOSTILE[kind]
    with db.session() as session:
        review = session.get(Review, REVIEW)
        review.title = f"Repairs {text}"[:200]
        review.scope = review.objectives = review.vfm_statement = text
        review.team[0].name = text[:120]
        review.challenges[0].answer = text
        review.judgements[0].rationale = text
        review.actions[0].title = text
        review.consultations[0].findings = text
        review.options[0].description = text
        session.scalar(select(ServiceArea).where(ServiceArea.id == review.service_id)) \
            .description = text
    for edition in ("regulator", "board", "tenant"):
        pdf, pages = render_bytes(db, REVIEW, edition)
        assert pdf.startswith(b"%PDF") and _pages(pdf) == pages >= 1
        if kind == "markup" and edition == "regulator":  # printed as written, not obeyed
            printed = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
            assert "<b>bold</b> & <i>x</i>" in printed
    sign_off(db, REVIEW, "Jo Chair", override_reason=INTERIM)
    assert signed_off_pdf(db, REVIEW)[0] == render_bytes(db, REVIEW, "regulator")[0]
