"""Rows pasted from Excel are saved row by row, each row's cells together: a row refused as it is
saved (a colleague saved one of its cells since the screen showed it, or its values break its
record's rules) stops the paste there. The rows before it stay, the message names the row and
why, the rows after it are not pasted, and one Undo takes back every row pasted."""

from __future__ import annotations

import pytest
from journey_steps import close_message, go_to_stage, open_demo, open_review
from person import click_cell, click_tab, field, menu, paste, press, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView, QTabWidget
from pytestqt.qtbot import QtBot

from bvdesk.operations import editing
from bvdesk.store.db import Database
from bvdesk.ui.mainwindow import MainWindow

pytestmark = pytest.mark.slow


def _at_stage(qtbot: QtBot, window: MainWindow, stage: str) -> None:
    """The demo's repairs review, at ``stage``."""
    open_demo(qtbot, window)
    open_review(qtbot, window, "Responsive repairs")
    go_to_stage(qtbot, window, stage)


def _paste_and_read(qtbot: QtBot, window: MainWindow, view: QTableView, text: str) -> str:
    """Paste ``text`` on ``view``, read the message that follows and close it."""
    paste(qtbot, view, text)
    told = close_message(qtbot)
    settle(qtbot, window)
    return told


def _criteria(db: Database, review_id: int) -> dict[int, list[float]]:
    """Each criterion's weight and its scores for the first two options, by criterion id."""
    scores = editing.list_scores(db, review_id)
    return {row.id: [row["weight"], scores[row.id, 1], scores[row.id, 2]]
            for row in editing.list_rows(db, "quality_criterion", review_id)}


def _undo(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)


def test_a_cost_line_a_colleague_changed_stops_the_paste_at_its_row(
        qtbot: QtBot, fresh: MainWindow) -> None:
    _at_stage(qtbot, fresh, "5. Compete")
    click_cell(qtbot, field(fresh, "Options", QTableView), 0)  # In-house (status quo)
    settle(qtbot, fresh)
    grid = field(fresh, "Cost grid", QTableView)
    assert grid.model().index(1, 2).data() == "Materials from merchants"
    db = fresh.ctx.db
    assert db is not None and db.path is not None
    lines = [grid.model().row_at(row).id for row in range(3)]
    with Database.open(db.path, write=False, user="Colleague") as colleague:
        editing.update_field(colleague, "cost_line", lines[1], "description",
                             "Materials, consortium prices")

    click_cell(qtbot, grid, 0, 2)  # the first line's description
    told = _paste_and_read(qtbot, fresh, grid, "Operatives\t10\r\nMerchants\t20\r\nVans\t30\r\n")

    assert told.startswith("Row 1 was pasted; row 2 was not saved, and the paste stopped "
                           "there."), told
    assert ("Row 2: Description (cost line 'Materials', option 'In-house "
            "(status quo)') was changed by Colleague on ") in told, told
    assert ("Colleague saved 'Materials, consortium prices', your paste has 'Merchants'. "
            "Colleague's value is kept and now shown.") in told
    assert "Row 3 was not pasted either. Put row 2 right" in told
    saved = [editing.get_row(db, "cost_line", line) for line in lines]
    assert [(line["description"], line["amounts"][0]) for line in saved] == [
        ("Operatives", 10.0), ("Materials, consortium prices", 0.0),
        ("Vans, depot and stores", 0.0)]
    assert grid.model().index(1, 2).data() == "Materials, consortium prices"

    _undo(qtbot, fresh)  # the first row's description and year 0 together
    first = editing.get_row(db, "cost_line", lines[0])
    assert (first["description"], first["amounts"][0]) == (
        "62 FTE operatives and supervisors", 0.0)
    assert grid.model().index(0, 2).data() == "62 FTE operatives and supervisors"
    menu(qtbot, fresh, "Edit", "Redo")
    settle(qtbot, fresh)
    first = editing.get_row(db, "cost_line", lines[0])
    assert (first["description"], first["amounts"][0]) == ("Operatives", 10.0)
    assert grid.model().index(0, 2).data() == "Operatives"


def test_a_row_its_rules_refuse_stops_the_paste_and_one_undo_takes_back_the_row_before(
        qtbot: QtBot, fresh: MainWindow) -> None:
    _at_stage(qtbot, fresh, "4. Consult")
    table = field(fresh, "Consultation activitys", QTableView)  # sic: the screen reader name
    db = fresh.ctx.db
    assert db is not None
    rows = [table.model().row_at(row).id for row in range(3)]

    click_cell(qtbot, table, 1, 2)  # the focus group's responses
    assert _paste_and_read(qtbot, fresh, table, "20\t\r\n") == (
        "Nothing was pasted: row 2 could not be saved.\n\nRow 2: Responses (20) cannot be "
        "more than issued (14): each response comes from a questionnaire issued.")

    click_cell(qtbot, table, 0, 2)  # the postal survey's responses
    # The focus group issued 14 questionnaires: 20 responses cannot come back.
    told = _paste_and_read(qtbot, fresh, table, "420\t305\r\n20\t\r\n29\t\r\n")

    assert told.startswith("Row 1 was pasted; row 2 was not saved"), told
    assert ("Row 2: Responses (20) cannot be more than issued (14): each response comes from "
            "a questionnaire issued.") in told, told
    assert "Row 3 was not pasted either." in told
    saved = [editing.get_row(db, "consultation", row) for row in rows]
    assert [(row["responses"], row["satisfied"]) for row in saved] == [
        (420, 305), (11, None), (30, None)]

    _undo(qtbot, fresh)  # both cells of the first row
    first = editing.get_row(db, "consultation", rows[0])
    assert (first["responses"], first["satisfied"]) == (412, 301)
    assert table.model().index(0, 2).data() == "412"


def test_a_criterion_row_with_a_score_a_colleague_changed_is_refused_whole(
        qtbot: QtBot, fresh: MainWindow) -> None:
    _at_stage(qtbot, fresh, "5. Compete")
    click_tab(qtbot, field(fresh, "Option details", QTabWidget), "Quality Scores")
    scores = field(fresh, "Quality scores", QTableView)
    db = fresh.ctx.db
    assert db is not None and db.path is not None
    review_id = fresh.workspace.store.review_id
    with Database.open(db.path, write=False, user="Colleague") as colleague:
        editing.set_score(colleague, 2, 2, 9, seen=7)  # care, for the improved in-house team

    click_cell(qtbot, scores, 0, 1)  # the first criterion's weight
    told = _paste_and_read(qtbot, fresh, scores, "30\t6\t8\r\n20\t5\t8\r\n20\t8\t8\r\n")

    assert told.startswith("Row 1 was pasted; row 2 was not saved"), told
    assert ("Row 2: Quality score (criterion 'Tenant satisfaction and customer care', option "
            "'Improved in-house') was changed by Colleague on ") in told, told
    saved = _criteria(db, review_id)
    assert [saved[1], saved[2], saved[3]] == [
        [30, 6, 8], [25, 6, 9], [20, 9, 8]]  # none of the second row's cells
    assert [scores.model().index(1, column).data() for column in (1, 2, 3)] == ["25", "6", "9"]

    _undo(qtbot, fresh)  # the first row's weight and scores together
    assert _criteria(db, review_id)[1] == [25, 5, 7]
