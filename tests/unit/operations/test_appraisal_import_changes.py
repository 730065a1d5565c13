"""Many writers: a workbook written from a review does not silently overwrite what a colleague
changed in that review's appraisal after the workbook was made."""

import pytest
from sqlalchemy import select

from bvdesk.operations.appraisal import (
    AppraisalChangedSinceWorkbook,
    import_appraisal,
    load_inputs,
    write_template,
)
from bvdesk.operations.editing import delete_row, update_field
from bvdesk.store.db import Database
from bvdesk.store.models import CostLine, Option, Review, ServiceArea

# Each desk opens the database for what it does and closes it again: a file has one writer at
# a time (on a server the two would be open at once, which changes nothing here).


def desk(path, user="tester") -> Database:
    return Database.open(path, write=True, user=user)


@pytest.fixture
def repairs(demo_db_path) -> int:
    with desk(demo_db_path) as db, db.read() as session:
        return session.scalar(select(Review.id).join(ServiceArea).where(
            ServiceArea.code == "repairs"))


def template(path, review: int, book):
    with desk(path) as db:
        return write_template(book, db=db, review_id=review)


def colleague_renames_first_option(path, review: int) -> str:
    """The colleague's login as the audit log records it."""
    with desk(path, user="colleague") as other:
        with other.read() as session:
            option = session.scalar(select(Option.id).where(Option.review_id == review)
                                    .order_by(Option.position).limit(1))
        update_field(other, "option", option, "name", "Colleague's new name")
        return other.user


def option_names(path, review: int) -> list[str]:
    with desk(path) as db:
        return [o.name for o in load_inputs(db, review).options]


def test_import_refused_when_a_colleague_changed_the_appraisal(demo_db_path, repairs, tmp_path):
    book = template(demo_db_path, repairs, tmp_path / "repairs.xlsx")
    colleague = colleague_renames_first_option(demo_db_path, repairs)
    with desk(demo_db_path) as db:
        before = load_inputs(db, repairs)
        with pytest.raises(AppraisalChangedSinceWorkbook) as refused:
            import_appraisal(db, repairs, book)
        assert load_inputs(db, repairs) == before
    message = refused.value.message
    assert f"review {repairs} has changed since repairs.xlsx was made" in message
    assert f"last by {colleague} on " in message
    assert "nothing was changed" in message
    assert "Colleague's new name" in option_names(demo_db_path, repairs)


def test_replacing_changes_anyway_imports_the_workbook(demo_db_path, repairs, tmp_path):
    book = template(demo_db_path, repairs, tmp_path / "repairs.xlsx")
    original = option_names(demo_db_path, repairs)
    colleague_renames_first_option(demo_db_path, repairs)
    with desk(demo_db_path) as db:
        summary = import_appraisal(db, repairs, book, replace_changes=True)
    assert summary.options == len(original)
    assert option_names(demo_db_path, repairs) == original


def test_untouched_review_imports_and_then_the_workbook_is_out_of_date(demo_db_path, repairs,
                                                                       tmp_path):
    book = template(demo_db_path, repairs, tmp_path / "repairs.xlsx")
    before = option_names(demo_db_path, repairs)
    with desk(demo_db_path) as db:
        assert import_appraisal(db, repairs, book).options == len(before)
        # The import replaced the rows: importing the same workbook again needs the choice.
        with pytest.raises(AppraisalChangedSinceWorkbook):
            import_appraisal(db, repairs, book)
    assert option_names(demo_db_path, repairs) == before


def test_blank_and_other_reviews_workbooks_import_as_before(demo_db_path, repairs, tmp_path):
    blank = write_template(tmp_path / "blank.xlsx")
    colleague_renames_first_option(demo_db_path, repairs)
    with desk(demo_db_path) as db:
        assert import_appraisal(db, repairs, blank).options == 3
        with db.read() as session:
            another = session.scalar(select(Review.id).where(Review.id != repairs).limit(1))
        from_another = write_template(tmp_path / "other.xlsx", db=db, review_id=another)
    colleague_renames_first_option(demo_db_path, repairs)
    with desk(demo_db_path) as db:
        # Made from another review: a deliberate copy, imported as before.
        import_appraisal(db, repairs, from_another)
        assert [o.name for o in load_inputs(db, repairs).options] == [
            o.name for o in load_inputs(db, another).options]


def test_a_deleted_row_is_a_change_and_says_who_deleted_it(demo_db_path, repairs, tmp_path):
    book = template(demo_db_path, repairs, tmp_path / "repairs.xlsx")
    with desk(demo_db_path) as db:
        with db.read() as session:
            first = session.scalar(select(Option.id).where(Option.review_id == repairs)
                                   .order_by(Option.position).limit(1))
    with desk(demo_db_path, user="colleague") as other:
        with other.read() as session:
            line = session.scalar(select(CostLine.id).where(CostLine.option_id == first)
                                  .limit(1))
        delete_row(other, "cost_line", line)
        colleague = other.user
    with desk(demo_db_path) as db:
        with pytest.raises(AppraisalChangedSinceWorkbook) as refused:
            import_appraisal(db, repairs, book)
    assert f"last by {colleague} on " in refused.value.message
