"""Removing evidence: recorded in the audit log, never from a signed-off version."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bvdesk.errors import InputRefused
from bvdesk.operations import editing, signoff
from bvdesk.operations.reviews import create_review
from bvdesk.store.db import Database
from bvdesk.store.models import AuditEntry


@pytest.fixture
def db(tmp_db_path: Path):
    database = Database.open(tmp_db_path, write=True, user="tester")
    yield database
    database.close()


def _file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(b"x" * 2048)
    return path


def test_removal_is_audited(db: Database, tmp_path: Path) -> None:
    review_id = create_review(db, "repairs", "Repairs review")
    row = editing.attach_evidence(db, review_id, _file(tmp_path, "survey.pdf"))
    removed = editing.remove_evidence(db, row.id)
    assert removed["file_name"] == "survey.pdf"
    assert editing.list_rows(db, "evidence", review_id) == []
    with db.read() as session:
        logged = session.scalars(select(AuditEntry).where(
            AuditEntry.entity == "evidence", AuditEntry.action == "delete",
            AuditEntry.entity_id == str(row.id), AuditEntry.field == "file_name")).all()
        assert [(e.old, e.user) for e in logged] == [("survey.pdf", db.user)]


def test_evidence_of_a_signed_off_version_stays(db: Database, tmp_path: Path) -> None:
    review_id = create_review(db, "repairs", "Repairs review")
    old = editing.attach_evidence(db, review_id, _file(tmp_path, "minutes.pdf"))
    signoff.sign_off(db, review_id, "Chair of the Board",
                     override_reason="Only the evidence matters here")
    with pytest.raises(InputRefused, match="minutes.pdf cannot be removed: the review is "
                                           "signed off"):
        editing.remove_evidence(db, old.id)
    signoff.reopen(db, review_id, "Officer", "New survey results")
    with pytest.raises(InputRefused, match="part of version 1, signed off on"):
        editing.remove_evidence(db, old.id)
    new = editing.attach_evidence(db, review_id, _file(tmp_path, "survey.pdf"))
    editing.remove_evidence(db, new.id)
    assert [r["file_name"] for r in editing.list_rows(db, "evidence", review_id)] == [
        "minutes.pdf"]


def test_file_name_and_size_cannot_be_edited(db: Database, tmp_path: Path) -> None:
    review_id = create_review(db, "repairs", "Repairs review")
    row = editing.attach_evidence(db, review_id, _file(tmp_path, "survey.pdf"))
    with pytest.raises(InputRefused, match="set by bvdesk"):
        editing.update_field(db, "evidence", row.id, "size", 1)
