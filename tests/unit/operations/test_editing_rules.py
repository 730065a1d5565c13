"""Rules across a record's fields (dates in order, counts that fit together) and text limits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bvdesk.domain.vocabulary import Stage
from bvdesk.errors import InputRefused
from bvdesk.operations import editing
from bvdesk.operations.dashboard import review_needs
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


def test_a_title_longer_than_the_database_holds_is_refused() -> None:
    with pytest.raises(InputRefused, match="at most 200 characters; this one has 200,000"):
        editing.coerce("review", "title", "x" * 200_000)
    assert editing.field_spec("review", "title").max_length == 200
    assert editing.field_spec("review", "scope").max_length is None


def test_an_end_date_before_the_start_date_is_refused(db: Database, review_id: int) -> None:
    editing.update_field(db, "review", review_id, "start_date", "01/04/2009")
    with pytest.raises(InputRefused, match="End date .*31/03/2009.* before the start date"):
        editing.update_field(db, "review", review_id, "end_date", "31/03/2009")
    assert editing.get_row(db, "review", review_id)["end_date"] is None
    editing.update_field(db, "review", review_id, "end_date", "31/03/2010")
    with pytest.raises(InputRefused, match="Start date .* after the end date"):
        editing.update_field(db, "review", review_id, "start_date", "01/04/2010")


def test_reversed_dates_leave_scope_incomplete(db: Database, review_id: int) -> None:
    # Written past the checks, as an older database or a package might hold them.
    with db.session() as session:
        from bvdesk.store.models import Review
        review = session.get(Review, review_id)
        review.start_date, review.end_date = dt.date(2010, 4, 1), dt.date(2009, 3, 31)
    missing = review_needs(db, review_id).missing(Stage.SCOPE)
    assert any("end date is before the start date" in item for item in missing)


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"responses": 500, "valid_answers": 600}, "valid_answers",
     "Valid answers \\(600\\) cannot be more than responses \\(500\\)"),
    ({"issued": 400, "responses": 401}, "responses",
     "Responses \\(401\\) cannot be more than issued \\(400\\)"),
    ({"valid_answers": 100, "satisfied": 101}, "satisfied",
     "satisfied \\(101\\) cannot be more than valid answers \\(100\\)"),
])
def test_survey_counts_must_fit_together(values: dict[str, int], field: str,
                                         message: str) -> None:
    with pytest.raises(InputRefused, match=message):
        editing.check_consistent("consultation", values, field)


def test_a_rule_refuses_only_the_field_being_changed() -> None:
    values = {"responses": 500, "valid_answers": 600, "findings": ""}
    editing.check_consistent("consultation", values, "findings")


def test_survey_results_refuse_to_compute_on_impossible_counts() -> None:
    text, ok = editing.survey_results({"issued": 1000, "responses": 500, "valid_answers": 600,
                                       "satisfied": 400, "population": None})
    assert not ok
    assert "cannot be more than responses" in text and "CI" not in text
    text, ok = editing.survey_results({"issued": 1000, "responses": 500, "valid_answers": 450,
                                       "satisfied": 400, "population": None})
    assert ok
    assert text.startswith("Response rate 50.0%") and "95% CI" in text


def test_stored_impossible_counts_show_in_consult_needs(db: Database, review_id: int) -> None:
    row = editing.add_row(db, "consultation", review_id, {"issued": 1000, "responses": 500})
    with db.session() as session:
        from bvdesk.store.models import ConsultationActivity
        session.get(ConsultationActivity, row.id).valid_answers = 600
    missing = review_needs(db, review_id).missing(Stage.CONSULT)
    assert any("cannot be more than responses" in item for item in missing)


@pytest.mark.parametrize(("entity", "field"), [("option", "optimism_bias_pct"),
                                               ("risk", "probability"), ("risk", "year")])
def test_a_figure_the_record_must_hold_cannot_be_cleared(db: Database, review_id: int,
                                                        entity: str, field: str) -> None:
    """Clearing it was saved as nothing and failed in the database with a not-null error."""
    option = editing.add_row(db, "option", review_id, {"name": "In-house"})
    row = option if entity == "option" else editing.add_row(db, "risk", option.id,
                                                            {"description": "Delay"})
    before = editing.get_row(db, entity, row.id)[field]
    with pytest.raises(InputRefused, match="cannot be empty"):
        editing.update_field(db, entity, row.id, field, " ")
    assert editing.get_row(db, entity, row.id)[field] == before
