"""Rendering demo reviews through the operations layer: files, audit, frozen sign-off."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select, update

from bvdesk.errors import FileProblem, InputRefused
from bvdesk.operations.reports import render_bytes, render_report
from bvdesk.operations.signoff import sign_off
from bvdesk.store.db import Database
from bvdesk.store.models import AuditEntry, IndicatorValue

#: Demo reviews are not complete: sign-off needs a reason to override the readiness check.
INTERIM = "Interim sign-off for the test"


@pytest.fixture
def db(demo_db_path):
    database = Database.open(demo_db_path, write=True, user="tester")
    yield database
    database.close()


@pytest.mark.slow
@pytest.mark.parametrize("review_id", [1, 2, 3])
def test_every_edition_renders_for_every_demo_review(db, tmp_path, pdf_text, review_id):
    for edition in ("regulator", "board", "tenant"):
        result = render_report(db, review_id, edition, tmp_path / f"{edition}.pdf")
        text = pdf_text(result.path.read_bytes())
        assert "Northvale Homes" in text
        assert f"Page {result.pages} of {result.pages}" in text
        if edition == "board":
            assert result.pages <= 6


def test_report_file_is_audited_with_its_sha256(db, tmp_path):
    result = render_report(db, 1, "regulator", tmp_path / "out" / "submission.pdf")
    data = result.path.read_bytes()
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    with db.read() as session:
        entry = session.execute(
            select(AuditEntry.action, AuditEntry.entity, AuditEntry.entity_id, AuditEntry.field,
                   AuditEntry.new, AuditEntry.user).order_by(AuditEntry.id.desc())).first()
    assert tuple(entry) == ("report", "review", "1", "regulator", result.sha256, "tester")


def test_preview_bytes_are_the_file_bytes(db, tmp_path):
    pdf, pages = render_bytes(db, 3, "tenant")
    result = render_report(db, 3, "tenant", tmp_path / "tenant.pdf")
    assert pdf == result.path.read_bytes()
    assert pages == result.pages


def test_signed_off_review_renders_from_its_frozen_snapshot(db, tmp_path, pdf_text):
    sign_off(db, 3, "Alison Grant", override_reason=INTERIM)
    first = render_report(db, 3, "regulator", tmp_path / "a.pdf")
    # The benchmark data moves on after sign-off; the signed-off submission must not.
    with db.session() as session:
        session.execute(update(IndicatorValue).values(value=IndicatorValue.value * 1.1))
    second = render_report(db, 3, "regulator", tmp_path / "b.pdf")
    assert first.signed_off and second.signed_off
    assert first.path.read_bytes() == second.path.read_bytes()
    text = pdf_text(first.path.read_bytes())
    assert "Signed off by Alison Grant" in text
    assert "DRAFT" not in text


def test_unknown_edition_and_review_are_refused(db, tmp_path):
    with pytest.raises(InputRefused, match="no 'press' edition"):
        render_report(db, 1, "press", tmp_path / "x.pdf")
    with pytest.raises(InputRefused, match="no review 42"):
        render_report(db, 42, "board", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_writing_over_a_folder_is_a_file_problem(db, tmp_path):
    with pytest.raises(FileProblem, match="is a folder"):
        render_report(db, 1, "board", tmp_path)
