"""Saving several fields of one row at once (``editing.update_fields``): one transaction, every
field checked as a single field is, nothing written when any is refused, one audit entry per
field changed, and a colleague's save to one of the fields meanwhile refuses the whole edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from engines import is_server, raw_sql
from sqlalchemy import event
from sqlalchemy.orm import Session

from bvdesk.errors import EditConflict, InputRefused, ReviewLocked
from bvdesk.operations import editing
from bvdesk.operations.reviews import create_review
from bvdesk.operations.signoff import sign_off
from bvdesk.store.db import Database

#: When the colleague saved, as the audit log records it (UTC).
THEIRS_AT = dt.datetime(2026, 12, 2, 9, 41, 7)


@pytest.fixture
def db(tmp_db_path: Path | str) -> Iterator[Database]:
    with Database.open(tmp_db_path) as database:
        yield database


def as_colleague(db: Database, save: Callable[[], Any]) -> Any:
    """Make ``save`` as Bob at THEIRS_AT (on a file, a colleague's save is one made before:
    one writer at a time)."""
    user, clock = db.user, db.clock
    db.user, db.clock = "bob", lambda: THEIRS_AT
    try:
        return save()
    finally:
        db.user, db.clock = user, clock


def audit_entries(location: Path | str, table: str) -> list[tuple[Any, ...]]:
    """The audit log's entries for ``table``: (user, action, row, field, old, new)."""
    return raw_sql(location, 'SELECT "user", action, entity_id, field, old, new FROM audit_log '
                             "WHERE entity = ? ORDER BY id", (table,))


def a_survey(db: Database) -> editing.Row:
    review_id = create_review(db, "repairs", "Repairs review")
    return editing.add_row(db, "consultation", review_id,
                           {"issued": "1,000", "responses": "300", "valid_answers": "290"})


def a_risk(db: Database) -> editing.Row:
    review_id = create_review(db, "repairs", "Repairs review")
    option = editing.add_row(db, "option", review_id, {"name": "In-house"})
    return editing.add_row(db, "risk", option.id, {"description": "Contractor fails"})


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


def test_a_colleagues_save_to_one_field_since_it_was_read_refuses_the_whole_edit(
        db: Database, tmp_db_path: Path | str) -> None:
    risk = a_risk(db)
    seen = editing.get_row(db, "risk", risk.id)
    as_colleague(db, lambda: editing.update_field(db, "risk", risk.id, "probability", "20%",
                                                  seen=seen["probability"]))
    logged = audit_entries(tmp_db_path, "risk")
    with pytest.raises(EditConflict) as caught:
        editing.update_fields(db, "risk", risk.id, {
            "description": "Contractor goes bust", "impact": "25,000", "probability": "35%"},
            seen=seen.values)
    assert caught.value.message == (
        "Probability (risk 'Contractor fails', option 'In-house') was changed by bob on "
        "2 December 2026 at 09:41 while you were editing it: bob saved '0.2', you typed "
        "'0.35'. Nothing of yours was saved; choose which to keep.")
    assert (caught.value.field, caught.value.theirs, caught.value.mine) == (
        "probability", 0.2, 0.35)
    now = editing.get_row(db, "risk", risk.id)
    assert (now["description"], now["impact"], now["probability"]) == (
        "Contractor fails", 0.0, 0.2)
    assert audit_entries(tmp_db_path, "risk") == logged


def test_a_colleagues_save_to_another_field_is_kept_under_the_edit(db: Database) -> None:
    risk = a_risk(db)
    seen = editing.get_row(db, "risk", risk.id)
    as_colleague(db, lambda: editing.update_field(db, "risk", risk.id, "year", "3",
                                                  seen=seen["year"]))
    editing.update_fields(db, "risk", risk.id, {"impact": "25,000", "probability": "35%"},
                          seen=seen.values)
    now = editing.get_row(db, "risk", risk.id)
    assert (now["year"], now["impact"], now["probability"]) == (3, 25000.0, 0.35)


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


@pytest.fixture
def colleague(tmp_db_path: Path | str) -> Iterator[Database]:
    """A second desk on the same server, saving as Bob at THEIRS_AT."""
    if not is_server(tmp_db_path):
        pytest.skip("a database file has one writer at a time (the writer lock)")
    with Database.open(tmp_db_path) as desk:
        desk.user, desk.clock = "bob", lambda: THEIRS_AT
        yield desk


@pytest.fixture
def before_the_next_write() -> Iterator[Callable[[Callable[[], Any]], None]]:
    """Run a colleague's save (committed on its own connection) just before the next flush of
    any session: between a save's read and its write, the window the row's version guards."""
    hooks = []

    def once(colleague_saves: Callable[[], Any]) -> None:
        waiting = [colleague_saves]

        def hook(_session: Session, *_args: Any) -> None:
            if waiting:
                waiting.pop()()
        event.listen(Session, "before_flush", hook)
        hooks.append(hook)

    yield once
    for hook in hooks:
        event.remove(Session, "before_flush", hook)


def test_a_colleagues_save_between_the_edits_read_and_write_refuses_it_whole(
        db: Database, colleague: Database,
        before_the_next_write: Callable[[Callable[[], Any]], None]) -> None:
    risk = a_risk(db)
    before_the_next_write(lambda: editing.update_field(colleague, "risk", risk.id,
                                                       "probability", "20%"))
    with pytest.raises(EditConflict, match=r"^Probability \(risk 'Contractor fails', option "
                                            "'In-house'\\) was changed by bob on 2 December "
                                            "2026 at 09:41 while you were editing it: bob saved "
                                            "'0.2', you typed '0.35'. Nothing of yours"):
        editing.update_fields(db, "risk", risk.id, {"impact": "25,000", "probability": "35%"},
                              seen={"impact": 0.0, "probability": 0.1})
    now = editing.get_row(db, "risk", risk.id)
    assert (now["impact"], now["probability"]) == (0.0, 0.2)
