"""Saving several fields of one row at once (``editing.update_fields``): one transaction, every
field checked as a single field is, nothing written when any is refused, one audit entry per
field changed (a colleague's save meanwhile: test_conflict_cells)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from engines import raw_sql

from bvdesk.errors import InputRefused, ReviewLocked
from bvdesk.operations import editing
from bvdesk.operations.reviews import create_review
from bvdesk.operations.signoff import sign_off
from bvdesk.store.db import Database


@pytest.fixture
def db(tmp_db_path: Path | str) -> Iterator[Database]:
    with Database.open(tmp_db_path) as database:
        yield database


def audit_entries(location: Path | str, table: str) -> list[tuple[Any, ...]]:
    """The audit log's entries for ``table``: (user, action, row, field, old, new)."""
    return raw_sql(location, 'SELECT "user", action, entity_id, field, old, new FROM audit_log '
                             "WHERE entity = ? ORDER BY id", (table,))


def a_survey(db: Database) -> editing.Row:
    review_id = create_review(db, "repairs", "Repairs review")
    return editing.add_row(db, "consultation", review_id,
                           {"issued": "1,000", "responses": "300", "valid_answers": "290"})


@pytest.mark.parametrize(("third", "message"), [
    ("lots", "^Very or fairly satisfied must be a number, such as 1,250.50; 'lots' is not.$"),
    ("500", r"^Very or fairly satisfied \(500\) cannot be more than valid answers \(400\): "),
])
def test_an_edit_whose_third_field_is_refused_writes_nothing_and_logs_nothing(
        db: Database, tmp_db_path: Path | str, third: str, message: str) -> None:
    survey = a_survey(db)
    logged = audit_entries(tmp_db_path, "consultation")
    with pytest.raises(InputRefused, match=message):
        editing.update_fields(db, "consultation", survey.id, {
            "responses": "420", "valid_answers": "400", "satisfied": third})
    assert editing.get_row(db, "consultation", survey.id) == survey
    assert audit_entries(tmp_db_path, "consultation") == logged


def test_every_wrong_value_is_named_before_anything_is_saved(db: Database) -> None:
    survey = a_survey(db)
    with pytest.raises(InputRefused) as caught:
        editing.update_fields(db, "consultation", survey.id, {
            "findings": "Late visits", "issued": "many", "held_on": "31/02/2009"})
    assert caught.value.message == (
        "Issued must be a number, such as 1,250.50; 'many' is not. Date must be a date such "
        "as 31/03/2010; '31/02/2009' is not.")
    assert editing.get_row(db, "consultation", survey.id) == survey


def test_a_saved_edit_logs_one_entry_per_field_changed_whatever_the_order_typed(
        db: Database, tmp_db_path: Path | str) -> None:
    survey = a_survey(db)
    logged = audit_entries(tmp_db_path, "consultation")
    # Responses beyond the old issued, issued given after: the rules see the row as it will be.
    edits = editing.update_fields(db, "consultation", survey.id, {
        "responses": "1,500", "issued": "2,000", "findings": "Late visits", "valid_answers": 290})
    assert [(e.field, e.old, e.new) for e in edits] == [
        ("responses", 300, 1500), ("issued", 1000, 2000), ("findings", "", "Late visits"),
        ("valid_answers", 290, 290)]
    row = str(survey.id)
    assert audit_entries(tmp_db_path, "consultation")[len(logged):] == [
        (db.user, "update", row, "issued", "1000", "2000"),
        (db.user, "update", row, "responses", "300", "1500"),
        (db.user, "update", row, "findings", "", "Late visits")]


def test_a_signed_off_review_refuses_the_whole_edit(db: Database,
                                                    tmp_db_path: Path | str) -> None:
    survey = a_survey(db)
    sign_off(db, survey["review_id"], "Jo Chair", override_reason="Interim")
    logged = audit_entries(tmp_db_path, "consultation")
    with pytest.raises(ReviewLocked, match="signed off and read-only"):
        editing.update_fields(db, "consultation", survey.id,
                              {"findings": "Late visits", "issued": "2,000"})
    assert editing.get_row(db, "consultation", survey.id) == survey
    assert audit_entries(tmp_db_path, "consultation") == logged
