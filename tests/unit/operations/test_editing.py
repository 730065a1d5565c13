"""Editing a review's records one field at a time, with the old value kept for undo."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from bvdesk.errors import InputRefused, ReviewLocked
from bvdesk.operations import editing
from bvdesk.operations.reviews import create_review
from bvdesk.store.db import Database


@pytest.fixture
def db(tmp_db_path: Path):
    database = Database.open(tmp_db_path, write=True, user="tester")
    yield database
    database.close()


@pytest.fixture
def review_id(db: Database) -> int:
    return create_review(db, "repairs", "Repairs review")


@pytest.mark.parametrize(("field", "typed", "stored"), [
    ("issued", "1,250", 1250),
    ("held_on", "31/03/2010", dt.date(2010, 3, 31)),
    ("held_on", "2010-03-31", dt.date(2010, 3, 31)),
    ("method", "focus group", "focus_group"),
    ("population", "", None),
    ("findings", "", ""),
])
def test_coerce_accepts_what_people_type(field: str, typed: str, stored: object) -> None:
    assert editing.coerce("consultation", field, typed) == stored


@pytest.mark.parametrize(("entity", "field", "typed", "says"), [
    ("consultation", "issued", "lots", "must be a number"),
    ("consultation", "issued", "-3", "cannot be less than 0"),
    ("consultation", "issued", "2.5", "whole number"),
    ("consultation", "held_on", "next week", "must be a date"),
    ("consultation", "method", "carrier pigeon", "is not one of"),
    ("option", "name", "  ", "cannot be empty"),
    ("judgement", "stars", "4", "cannot be more than 3"),
])
def test_coerce_refuses_in_plain_english(entity: str, field: str, typed: str,
                                         says: str) -> None:
    with pytest.raises(InputRefused, match=says):
        editing.coerce(entity, field, typed)


def test_risk_probability_as_percent_is_a_fraction() -> None:
    assert editing.coerce("risk", "probability", "25%") == 0.25
    assert editing.coerce("risk", "probability", "0.4") == 0.4


def test_amounts_accept_blanks_as_zero() -> None:
    assert editing.coerce("cost_line", "amounts", ["1,000", "", None, 250.5]) == [
        1000.0, 0.0, 0.0, 250.5]


def test_a_year_field_takes_a_financial_year_as_bvdesk_writes_it(db: Database,
                                                                 review_id: int) -> None:
    """An action's baseline and target years, typed in the app's cells or on the command line,
    refused '2008/09' as not a number, although bvdesk prints every year that way."""
    action = editing.add_row(db, "action", review_id).id
    for typed in ("2008/09", "2008-09", "2008/2009", " 2008 ", 2008):
        editing.update_field(db, "action", action, "baseline_year", "")
        edit = editing.update_field(db, "action", action, "baseline_year", typed)
        assert (edit.old, edit.new) == (None, 2008), typed
    with pytest.raises(InputRefused, match=r"^Target year: '2011/13' is not a financial year: "
                                           r"the years are not consecutive\.$"):
        editing.update_field(db, "action", action, "target_year", "2011/13")
    with pytest.raises(InputRefused, match=r"^Target year must be between 1990/91 and "
                                           r"2100/01; 1985/86 is not\.$"):
        editing.update_field(db, "action", action, "target_year", "1985/86")
    with pytest.raises(InputRefused, match=r"^Baseline year \(2012/13\) cannot be more than "
                                           r"target year \(2011/12\)\.$"):
        editing.update_fields(db, "action", action, {"baseline_year": "2012/13",
                                                     "target_year": "2011/12"})
    assert editing.get_row(db, "action", action)["target_year"] is None


def test_update_returns_old_value_and_undo_restores(db: Database, review_id: int) -> None:
    edit = editing.update_field(db, "review", review_id, "scope", "All repairs")
    assert (edit.old, edit.new) == ("", "All repairs")
    editing.update_field(db, "review", review_id, "scope", edit.old)
    assert editing.get_row(db, "review", review_id)["scope"] == ""


def test_add_list_delete_restore(db: Database, review_id: int) -> None:
    first = editing.add_row(db, "action", review_id, {"title": "Cut void times"})
    second = editing.add_row(db, "action", review_id)
    rows = editing.list_rows(db, "action", review_id)
    assert [r["title"] for r in rows] == ["Cut void times", "New action"]
    assert [r["position"] for r in rows] == [0, 1]
    gone = editing.delete_row(db, "action", first.id)
    assert [r.id for r in editing.list_rows(db, "action", review_id)] == [second.id]
    editing.restore_row(db, gone)
    assert [r["title"] for r in editing.list_rows(db, "action", review_id)] == [
        "Cut void times", "New action"]


def test_deleting_an_option_and_undoing_brings_back_its_costs(db: Database,
                                                               review_id: int) -> None:
    option = editing.add_row(db, "option", review_id, {"name": "Contractor"})
    editing.add_row(db, "cost_line", option.id, {"amounts": [100, 200]})
    criterion = editing.add_row(db, "quality_criterion", review_id)
    editing.set_score(db, criterion.id, option.id, "7")
    gone = editing.delete_row(db, "option", option.id)
    assert editing.list_rows(db, "cost_line", option.id) == []
    editing.restore_row(db, gone)
    assert [r["amounts"] for r in editing.list_rows(db, "cost_line", option.id)] == [
        [100.0, 200.0]]
    assert editing.list_scores(db, review_id) == {(criterion.id, option.id): 7.0}


def test_scores_set_and_clear(db: Database, review_id: int) -> None:
    option = editing.add_row(db, "option", review_id)
    criterion = editing.add_row(db, "quality_criterion", review_id)
    assert editing.set_score(db, criterion.id, option.id, "6.5") is None
    assert editing.set_score(db, criterion.id, option.id, "") == 6.5
    assert editing.list_scores(db, review_id) == {}
    with pytest.raises(InputRefused, match="more than 10"):
        editing.set_score(db, criterion.id, option.id, "11")


def test_link_indicators(db: Database, review_id: int) -> None:
    code = "BV66a"
    assert editing.set_indicator_link(db, review_id, code, True) is False
    assert [i.code for i in editing.linked_indicators(db, review_id)] == [code]
    assert editing.set_indicator_link(db, review_id, code, False) is True
    with pytest.raises(InputRefused, match="no indicator"):
        editing.set_indicator_link(db, review_id, "NOPE", True)


def test_evidence_is_kept_with_its_hash(db: Database, review_id: int, tmp_path: Path) -> None:
    source = tmp_path / "survey.txt"
    source.write_text("results", encoding="utf-8")
    row = editing.attach_evidence(db, review_id, source)
    assert row["sha256"] == hashlib.sha256(b"results").hexdigest()
    assert "content" not in row.values
    assert editing.evidence_content(db, row.id) == ("survey.txt", b"results")


def test_signed_off_review_refuses_edits(db: Database, review_id: int) -> None:
    with db.session(allow_locked=True) as session:
        from bvdesk.store.models import Review

        session.get(Review, review_id).locked = True
    with pytest.raises(ReviewLocked):
        editing.update_field(db, "review", review_id, "scope", "changed")


def test_import_profiles_are_saved_and_replaced(db: Database) -> None:
    editing.save_import_profile(db, "HouseMark", {"Landlord": "organisation"})
    editing.save_import_profile(db, "HouseMark", {"Provider": "organisation"})
    assert editing.import_profiles(db) == {"HouseMark": {"Provider": "organisation"}}
    with pytest.raises(InputRefused, match="name"):
        editing.save_import_profile(db, " ", {})
