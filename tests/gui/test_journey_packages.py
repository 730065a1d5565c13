"""A review exchanged between colleagues as a package, in the real window by clicks alone (see
person.py): the demo's repairs review exported from the list of reviews, brought into a
colleague's database as a new review, brought in again (nothing to change), and a large
package's import cancelled part-way, leaving the colleague's database as it was; then a review
changed on both sides, settled by taking the package's version."""

from __future__ import annotations

from pathlib import Path

from exchange_helpers import database_rows, large_package
from journey_steps import choose_file, close_message, open_demo
from person import (
    WAIT_MS,
    click,
    click_list_item,
    click_row,
    field,
    menu,
    messages,
    press_button,
    row_of,
    settle,
    when_dialog,
)
from PySide6.QtWidgets import QPushButton, QTableView
from pytestqt.qtbot import QtBot

from bvdesk.operations.editing import update_field
from bvdesk.operations.landlord import init_database
from bvdesk.operations.packages import export_review, import_review, read_package
from bvdesk.store.db import Database
from bvdesk.ui.mainwindow import MainWindow

REPAIRS = "Responsive repairs: Best Value review 2009/10"
VOIDS = "Voids and lettings review"
VOIDS_ID = 2


def _reviews_listed(qtbot: QtBot, window: MainWindow) -> QTableView:
    click_list_item(qtbot, window.sidebar, "Reviews")
    settle(qtbot, window)
    return field(window, "Reviews", QTableView)


def test_a_review_goes_to_a_colleague_as_a_package(qtbot: QtBot, fresh: MainWindow,
                                                    demo_db_path: Path, tmp_path: Path) -> None:
    large = large_package(demo_db_path, VOIDS_ID, tmp_path / "voids.bvreview")
    colleague = tmp_path / "colleague.bvdesk"
    init_database(colleague, "Riverside Homes").close()

    # Export: the repairs review chosen in the list, File > Export Review Package.
    open_demo(qtbot, fresh)
    click_row(qtbot, _reviews_listed(qtbot, fresh), REPAIRS)
    settle(qtbot, fresh)
    package = tmp_path / "repairs.bvreview"
    asked = when_dialog(choose_file(package))
    menu(qtbot, fresh, "File", "Export Review Package")
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    assert "Export Review Package" in asked[0]
    told = close_message(qtbot)
    settle(qtbot, fresh)
    assert "The review is in repairs.bvreview" in told and "Import Review Package" in told
    assert read_package(package).review["title"] == REPAIRS

    # The colleague's database: File > Open Database.
    with qtbot.waitSignal(fresh.database_opened, timeout=WAIT_MS):
        when_dialog(choose_file(colleague))
        menu(qtbot, fresh, "File", "Open Database")
    settle(qtbot, fresh)
    assert fresh.windowTitle() == "Riverside Homes - bvdesk"

    # Import: a new review, listed; then again, which changes nothing.
    when_dialog(choose_file(package))
    menu(qtbot, fresh, "File", "Import Review Package")
    told = close_message(qtbot)
    settle(qtbot, fresh)
    assert told == f"'{REPAIRS}' was brought in as a new review. It is in the list of reviews."
    listed = _reviews_listed(qtbot, fresh)
    row_of(listed, REPAIRS)
    when_dialog(choose_file(package))
    menu(qtbot, fresh, "File", "Import Review Package")
    told = close_message(qtbot)
    settle(qtbot, fresh)
    assert told == (f"'{REPAIRS}' already has everything in the package; nothing was "
                    "changed.")

    # A large package, cancelled from its progress dialog: nothing of it is kept.
    before = database_rows(colleague)
    when_dialog(choose_file(large))
    menu(qtbot, fresh, "File", "Import Review Package")
    dialog = fresh.runner.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    assert dialog.labelText() == "Importing the review package..."
    cancel = dialog.findChild(QPushButton)
    click(qtbot, cancel)
    settle(qtbot, fresh)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert fresh.statusBar().currentMessage() == ("The import was cancelled; nothing was "
                                                  "changed.")
    listed = _reviews_listed(qtbot, fresh)
    titles = [listed.model().index(r, 0).data() for r in range(listed.model().rowCount())]
    assert titles == [REPAIRS]
    assert database_rows(colleague) == before


def test_a_review_changed_on_both_sides_asks_which_to_keep(
        qtbot: QtBot, fresh: MainWindow, demo_db_path: Path, tmp_path: Path) -> None:
    colleague = tmp_path / "colleague.bvdesk"
    init_database(colleague, "Riverside Homes").close()
    with Database.open(demo_db_path) as db:
        export_review(db, 1, tmp_path / "first.bvreview")
    with Database.open(colleague) as db:
        mine = import_review(db, tmp_path / "first.bvreview").review_id
        assert mine is not None
        update_field(db, "review", mine, "title", "Repairs review (Riverside's title)")
    with Database.open(demo_db_path) as db:
        update_field(db, "review", 1, "title", "Repairs review (Northvale's title)")
        export_review(db, 1, tmp_path / "second.bvreview")

    with qtbot.waitSignal(fresh.database_opened, timeout=WAIT_MS):
        when_dialog(choose_file(colleague))
        menu(qtbot, fresh, "File", "Open Database")
    settle(qtbot, fresh)
    when_dialog(choose_file(tmp_path / "second.bvreview"))
    asked = when_dialog(press_button("Take Theirs"), title="Changed on Both Sides")
    menu(qtbot, fresh, "File", "Import Review Package")
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    assert ("'Repairs review (Northvale's title)' in the package and your copy of it were "
            "both changed since they were last exchanged: title differs.") in asked[0]
    qtbot.waitUntil(lambda: any("from the package:" in m for m in messages()), timeout=WAIT_MS)
    told = close_message(qtbot)
    settle(qtbot, fresh)
    assert told == ("'Repairs review (Northvale's title)' was updated from the package: title "
                    "taken from it.")
    listed = _reviews_listed(qtbot, fresh)
    row_of(listed, "Repairs review (Northvale's title)")
