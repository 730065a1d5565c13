"""A table cell's lost race says what the colleague saved, who and when, against what the user
typed, in the same words as a single field, and loses nothing already saved: risks, cost grid
years, quality scores, consultation rows; rows deleted meanwhile; saves landing between a save's
read and its write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from engines import is_server, raw_sql
from sqlalchemy import event
from sqlalchemy.orm import Session

from bvdesk.cli import main
from bvdesk.errors import EditConflict, InputRefused, RecordChanged, ReviewLocked
from bvdesk.operations import editing
from bvdesk.operations.editing import ChangedMeanwhile
from bvdesk.operations.reviews import create_review
from bvdesk.operations.signoff import sign_off
from bvdesk.store.db import Database
from bvdesk.store.models import CostLine

#: My desk and a colleague's, on one server.
Desks = tuple[Database, Database]
#: Runs a colleague's save between this desk's next read and write.
Between = Callable[[Callable[[], Any]], None]
#: When the colleague saved, as the audit log records it (UTC).
THEIRS_AT = dt.datetime(2026, 12, 2, 9, 41, 7)


@pytest.fixture
def db(tmp_db_path: Path) -> Iterator[Database]:
    with Database.open(tmp_db_path, user="alice") as database:
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


def review_with_option(db: Database) -> tuple[int, int]:
    review_id = create_review(db, "repairs", "Repairs review")
    option = editing.add_row(db, "option", review_id, {"name": "In-house"})
    return review_id, option.id


def test_a_risk_changed_by_a_colleague_says_their_value_who_when_and_which_risk(
        db: Database) -> None:
    _review, option_id = review_with_option(db)
    risk = editing.add_row(db, "risk", option_id, {"description": "Contractor fails"})
    seen = risk["probability"]
    as_colleague(db, lambda: editing.update_field(db, "risk", risk.id, "probability", "20%",
                                                  seen=seen))
    with pytest.raises(EditConflict) as caught:
        editing.update_field(db, "risk", risk.id, "probability", "35%", seen=seen)
    assert caught.value.message == (
        "Probability (risk 'Contractor fails', option 'In-house') was changed by bob on "
        "2 December 2026 at 09:41 while you were editing it: bob saved '0.2', you typed "
        "'0.35'. Nothing of yours was saved; choose which to keep.")
    assert isinstance(caught.value, ChangedMeanwhile)
    assert (caught.value.theirs, caught.value.mine, caught.value.by, caught.value.at) == (
        0.2, 0.35, "bob", THEIRS_AT)
    assert editing.get_row(db, "risk", risk.id)["probability"] == 0.2
    editing.keep_mine(db, caught.value)
    assert editing.get_row(db, "risk", risk.id)["probability"] == 0.35


def test_a_consultation_row_is_named_by_its_method_and_a_single_field_says_when(
        db: Database) -> None:
    review_id = create_review(db, "repairs", "Repairs review")
    row = editing.add_row(db, "consultation", review_id)
    as_colleague(db, lambda: editing.update_field(db, "consultation", row.id, "findings",
                                                  "Tenants want evening slots", seen=""))
    with pytest.raises(EditConflict, match=r"^Key findings \(consultation activity 'Postal "
                                           r"survey'\) was changed by bob on 2 December 2026 "
                                           r"at 09:41 while you were editing it: bob saved "
                                           r"'Tenants want evening slots', you typed 'Faster "
                                           r"repairs'\."):
        editing.update_field(db, "consultation", row.id, "findings", "Faster repairs", seen="")
    as_colleague(db, lambda: editing.update_field(db, "review", review_id, "scope", "Theirs",
                                                  seen=""))
    with pytest.raises(EditConflict, match=r"^Scope was changed by bob on 2 December 2026 at "
                                           r"09:41 while you were editing it"):
        editing.update_field(db, "review", review_id, "scope", "Mine", seen="")


def test_a_quality_score_changed_by_a_colleague_is_a_conflict_and_theirs_stands(
        db: Database) -> None:
    review_id, option_id = review_with_option(db)
    criterion = editing.add_row(db, "quality_criterion", review_id, {"name": "Repairs on time"})
    as_colleague(db, lambda: editing.set_score(db, criterion.id, option_id, "6", seen=None))
    with pytest.raises(EditConflict) as caught:
        editing.set_score(db, criterion.id, option_id, "8", seen=None)
    assert caught.value.message == (
        "Quality score (criterion 'Repairs on time', option 'In-house') was changed by bob on "
        "2 December 2026 at 09:41 while you were editing it: bob saved '6', you typed '8'. "
        "Nothing of yours was saved; choose which to keep.")
    assert editing.list_scores(db, review_id) == {(criterion.id, option_id): 6.0}
    editing.keep_mine(db, caught.value)
    assert editing.list_scores(db, review_id) == {(criterion.id, option_id): 8.0}
    # A score the colleague cleared is theirs too: an empty cell.
    as_colleague(db, lambda: editing.set_score(db, criterion.id, option_id, "", seen=8.0))
    with pytest.raises(EditConflict, match="bob saved '\\(empty\\)', you typed '9'"):
        editing.set_score(db, criterion.id, option_id, "9", seen=8.0)
    assert editing.list_scores(db, review_id) == {}
    # The same score typed by both is no conflict.
    editing.set_score(db, criterion.id, option_id, "7", seen=None)
    editing.set_score(db, criterion.id, option_id, "7", seen=None)
    assert editing.list_scores(db, review_id) == {(criterion.id, option_id): 7.0}


def test_a_colleagues_change_to_other_years_of_a_cost_line_is_kept_under_mine(
        db: Database) -> None:
    _review, option_id = review_with_option(db)
    line = editing.add_row(db, "cost_line", option_id, {"amounts": [100, 100, 100]})
    seen = [100.0, 100.0, 100.0]
    as_colleague(db, lambda: editing.update_field(db, "cost_line", line.id, "amounts",
                                                  [100, 150, 100], seen=seen))
    edit = editing.update_field(db, "cost_line", line.id, "amounts", [100, 100, 300], seen=seen)
    assert editing.get_row(db, "cost_line", line.id)["amounts"] == [100.0, 150.0, 300.0]
    assert edit.new == [100.0, 150.0, 300.0]


def test_a_year_both_changed_is_a_conflict_naming_the_year_and_mine_keeps_their_others(
        db: Database) -> None:
    _review, option_id = review_with_option(db)
    line = editing.add_row(db, "cost_line", option_id,
                           {"description": "Call centre", "amounts": [100, 100, 100]})
    seen = [100.0, 100.0, 100.0]
    as_colleague(db, lambda: editing.update_field(db, "cost_line", line.id, "amounts",
                                                  [50, 150, 100], seen=seen))
    with pytest.raises(EditConflict) as caught:
        editing.update_field(db, "cost_line", line.id, "amounts", [100, 175, 100], seen=seen)
    assert caught.value.message.startswith(
        "Year 1 of amounts by year (cost line 'Call centre', option 'In-house') was changed by "
        "bob on 2 December 2026 at 09:41 while you were editing it: bob saved '150', you "
        "typed '175'.")
    assert editing.get_row(db, "cost_line", line.id)["amounts"] == [50.0, 150.0, 100.0]
    editing.keep_mine(db, caught.value)
    assert editing.get_row(db, "cost_line", line.id)["amounts"] == [50.0, 175.0, 100.0]


def test_a_row_a_colleague_deleted_says_who_deleted_it(db: Database) -> None:
    _review, option_id = review_with_option(db)
    risk = editing.add_row(db, "risk", option_id, {"description": "Contractor fails"})
    as_colleague(db, lambda: editing.delete_row(db, "risk", risk.id))
    with pytest.raises(InputRefused, match=f"^The risk {risk.id} was deleted by bob on 2 "
                                           "December 2026 at 09:41. Nothing of yours was "
                                           "saved."):
        editing.update_field(db, "risk", risk.id, "impact", "5000", seen=0.0)


# --- a colleague's save landing between this save's read and its write (a server) -----------


@pytest.fixture
def between_read_and_write() -> Iterator[Between]:
    """Run a colleague's save (committed on its own connection) just before the next flush of
    any session: the window the row's version guards."""
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


@pytest.fixture
def two_desks(tmp_db_path: Path | str) -> Iterator[Desks]:
    if not is_server(tmp_db_path):
        pytest.skip("a database file has one writer at a time (the writer lock)")
    with Database.open(tmp_db_path) as mine, Database.open(tmp_db_path) as colleague:
        colleague.user, colleague.clock = "bob", lambda: THEIRS_AT
        yield mine, colleague


def test_a_cell_saved_by_a_colleague_between_read_and_write_is_told_in_values(
        two_desks: Desks, between_read_and_write: Between) -> None:
    mine, colleague = two_desks
    _review, option_id = review_with_option(mine)
    line = editing.add_row(mine, "cost_line", option_id, {"description": "Call centre"})
    between_read_and_write(lambda: editing.update_field(colleague, "cost_line", line.id,
                                                        "description", "Call handling"))
    with pytest.raises(RecordChanged) as caught, mine.session() as session:
        row = session.get(CostLine, line.id)
        assert row is not None
        row.description = "Contact centre"
    assert "bob saved 'Call handling' as the description of cost line " \
           f"{line.id} on 2 December 2026 at 09:41; you were saving 'Contact centre'." \
           in caught.value.message
    assert editing.get_row(mine, "cost_line", line.id)["description"] == "Call handling"
    # Through the editing operation, the same race reads as any conflict of a cell.
    between_read_and_write(lambda: editing.update_field(colleague, "cost_line", line.id,
                                                        "description", "Repairs line"))
    with pytest.raises(EditConflict, match=r"^Description \(cost line 'Other', option "
                                           r"'In-house'\) was changed by bob on 2 December "
                                           r"2026 at 09:41 while you were editing it: bob saved "
                                           r"'Repairs line', you typed 'Phone line'"):
        editing.update_field(mine, "cost_line", line.id, "description", "Phone line",
                             seen="Call handling")


def test_a_colleagues_save_to_another_field_of_the_row_is_kept_and_mine_saved_too(
        two_desks: Desks, between_read_and_write: Between) -> None:
    mine, colleague = two_desks
    _review, option_id = review_with_option(mine)
    risk = editing.add_row(mine, "risk", option_id, {"description": "Contractor fails"})
    between_read_and_write(lambda: editing.update_field(colleague, "risk", risk.id, "impact",
                                                        "25000"))
    editing.update_field(mine, "risk", risk.id, "probability", "30%", seen=0.1)
    row = editing.get_row(mine, "risk", risk.id)
    assert (row["impact"], row["probability"]) == (25000.0, 0.3)


def test_a_sign_off_between_read_and_write_is_said_as_signed_off_not_as_a_conflict(
        two_desks: Desks, between_read_and_write: Between) -> None:
    mine, colleague = two_desks
    review_id = create_review(mine, "repairs", "Repairs review")
    between_read_and_write(lambda: sign_off(colleague, review_id, "Jo Chair",
                                            override_reason="Interim"))
    with pytest.raises(ReviewLocked, match=f"^Review {review_id} is signed off and read-only"):
        editing.update_field(mine, "review", review_id, "title", "Renamed", seen="Repairs review")


def test_a_score_two_desks_add_at_once_is_a_conflict_not_a_database_error(
        two_desks: Desks, between_read_and_write: Between) -> None:
    mine, colleague = two_desks
    review_id, option_id = review_with_option(mine)
    criterion = editing.add_row(mine, "quality_criterion", review_id, {"name": "Repairs on time"})
    between_read_and_write(lambda: editing.set_score(colleague, criterion.id, option_id, "6",
                                                     seen=None))
    with pytest.raises(EditConflict, match="was changed by bob on 2 December 2026 at 09:41 "
                                           "while you were editing it: bob saved '6', you "
                                           "typed '8'"):
        editing.set_score(mine, criterion.id, option_id, "8", seen=None)
    assert editing.list_scores(mine, review_id) == {(criterion.id, option_id): 6.0}


def test_the_command_line_says_a_lost_race_in_the_same_words(
        two_desks: Desks, between_read_and_write: Between,
        tmp_db_path: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    mine, colleague = two_desks
    review_id = create_review(mine, "repairs", "Repairs review")
    between_read_and_write(lambda: editing.update_field(colleague, "review", review_id,
                                                        "board_agenda_ref", "Item 7"))
    assert main(["--db", str(tmp_db_path), "review", "set", str(review_id), "board_agenda_ref",
                 "Item 9"]) == 1
    assert "bvdesk: Board agenda item was changed by bob on 2 December 2026 at 09:41 while you " \
           "were editing it: bob saved 'Item 7', you typed 'Item 9'. Nothing of yours was " \
           "saved" in capsys.readouterr().err
    assert editing.get_row(mine, "review", review_id)["board_agenda_ref"] == "Item 7"


def test_keeping_mine_after_a_conflict_does_not_overwrite_a_third_save_unseen(
        db: Database) -> None:
    review_id = create_review(db, "repairs", "Repairs review")
    as_colleague(db, lambda: editing.update_field(db, "review", review_id, "scope", "By Bob",
                                                  seen=""))
    with pytest.raises(EditConflict) as caught:
        editing.update_field(db, "review", review_id, "scope", "By Alice", seen="")
    db.user = "carol"
    editing.update_field(db, "review", review_id, "scope", "By Carol", seen="By Bob")
    db.user = "alice"
    with pytest.raises(EditConflict, match="carol saved 'By Carol', you typed 'By Alice'"):
        editing.keep_mine(db, caught.value)
    assert editing.get_row(db, "review", review_id)["scope"] == "By Carol"


@pytest.mark.parametrize("linked", [True, False])
def test_two_desks_linking_or_unlinking_the_same_indicator_at_once_both_get_it(
        two_desks: Desks, between_read_and_write: Between, linked: bool) -> None:
    mine, colleague = two_desks
    review_id = create_review(mine, "repairs", "Repairs review")
    code = editing.indicator_catalogue(mine)[0][0]
    editing.set_indicator_link(mine, review_id, code, not linked)
    between_read_and_write(lambda: editing.set_indicator_link(colleague, review_id, code,
                                                              linked))
    assert editing.set_indicator_link(mine, review_id, code, linked) is linked
    assert [i.code for i in editing.linked_indicators(mine, review_id)] == (
        [code] if linked else [])


def a_risk(db: Database) -> editing.Row:
    """Risk 'Contractor fails' of option 'In-house' (probability 10%, impact 0, no year)."""
    _review, option_id = review_with_option(db)
    return editing.add_row(db, "risk", option_id, {"description": "Contractor fails"})


def test_an_edit_of_several_fields_one_a_colleague_changed_meanwhile_saves_none(
        db: Database, tmp_db_path: Path | str) -> None:
    risk = a_risk(db)
    seen = editing.get_row(db, "risk", risk.id)
    as_colleague(db, lambda: editing.update_field(db, "risk", risk.id, "probability", "20%",
                                                  seen=seen["probability"]))
    logged = raw_sql(tmp_db_path, "SELECT count(*) FROM audit_log")
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
    assert raw_sql(tmp_db_path, "SELECT count(*) FROM audit_log") == logged


def test_an_edit_of_several_fields_keeps_a_colleagues_save_to_another_field(
        db: Database) -> None:
    risk = a_risk(db)
    seen = editing.get_row(db, "risk", risk.id)
    as_colleague(db, lambda: editing.update_field(db, "risk", risk.id, "year", "3",
                                                  seen=seen["year"]))
    editing.update_fields(db, "risk", risk.id, {"impact": "25,000", "probability": "35%"},
                          seen=seen.values)
    now = editing.get_row(db, "risk", risk.id)
    assert (now["year"], now["impact"], now["probability"]) == (3, 25000.0, 0.35)


def test_an_edit_of_several_fields_a_colleague_saved_between_read_and_write_saves_none(
        two_desks: Desks, between_read_and_write: Between) -> None:
    mine, colleague = two_desks
    risk = a_risk(mine)
    between_read_and_write(lambda: editing.update_field(colleague, "risk", risk.id,
                                                        "probability", "20%"))
    with pytest.raises(EditConflict, match=r"^Probability \(risk 'Contractor fails', option "
                                            "'In-house'\\) was changed by bob on 2 December "
                                            "2026 at 09:41 while you were editing it: bob saved "
                                            "'0.2', you typed '0.35'. Nothing of yours"):
        editing.update_fields(mine, "risk", risk.id, {"impact": "25,000", "probability": "35%"},
                              seen={"impact": 0.0, "probability": 0.1})
    now = editing.get_row(mine, "risk", risk.id)
    assert (now["impact"], now["probability"]) == (0.0, 0.2)
