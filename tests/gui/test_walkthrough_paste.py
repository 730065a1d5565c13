"""Found walking through the app as a new user: pasting rows with one unknown category said
'1 cell cannot be used. Correct them ...'."""

from __future__ import annotations

import pytest
from journey_steps import go_to_stage, open_review
from person import (
    WAIT_MS,
    click,
    click_button,
    field,
    paste,
    press_button,
    settle,
    when_dialog,
)
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow


@pytest.mark.slow
def test_one_bad_cell_pasted_is_named_in_the_singular(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    open_review(qtbot, demo_window, "Responsive repairs")
    go_to_stage(qtbot, demo_window, "5. Compete")
    click_button(qtbot, demo_window, "Add Option")
    settle(qtbot, demo_window)
    grid = field(demo_window, "Cost grid", QTableView)
    click(qtbot, grid.viewport())

    told = when_dialog(press_button("OK"))
    paste(qtbot, grid, "Contract price\tIrrecoverable\tFramework rates\t\t2,900,000\r\n"
                       "TUPE transfer costs\tNone\tPension strain\t250000\r\n")
    qtbot.waitUntil(lambda: bool(told), timeout=WAIT_MS)

    assert "1 cell cannot be used. Correct it in the spreadsheet" in told[0], told[0]
    assert "TUPE transfer costs" in told[0]
