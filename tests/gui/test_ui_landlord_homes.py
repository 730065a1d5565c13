"""The number of homes a landlord owns, and its region, set in the app: typed when the landlord's
database is created, shown and changed in Settings, and read by the appraisal's cost per home,
the regulator submission's "Homes owned" and peer groups by size."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from journey_steps import go_to_stage, open_review
from person import (
    WAIT_MS,
    button,
    click,
    click_button,
    field,
    menu,
    settle,
    shown,
    type_into,
)
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QTableView
from pytestqt.qtbot import QtBot
from ui_helpers import open_window

from bvdesk.operations import editing, reports
from bvdesk.operations.peer_groups import create_peer_group, list_peer_groups
from bvdesk.operations.profile import landlord_facts
from bvdesk.operations.reviews import create_review, list_reviews
from bvdesk.store.db import Database
from bvdesk.ui.mainwindow import MainWindow
from bvdesk.ui.newdb import NewDatabaseDialog
from bvdesk.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui


def _open_settings(qtbot: QtBot, window: MainWindow) -> SettingsDialog:
    menu(qtbot, window, "Edit", "Settings")
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), SettingsDialog),
                    timeout=WAIT_MS)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitUntil(lambda: dialog._shown_facts is not None, timeout=WAIT_MS)
    return dialog


def _save(qtbot: QtBot, dialog: SettingsDialog) -> None:
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        click_button(qtbot, dialog, "Save")


def _beside(dialog: SettingsDialog | NewDatabaseDialog, name: str) -> str:
    """What is said beside the field a screen reader calls ``name``."""
    edit = field(dialog, name, QLineEdit)
    row = edit.parentWidget()
    return " ".join(label.text() for label in row.findChildren(QLabel) if shown(label))


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in
                             PdfReader(io.BytesIO(pdf)).pages).split())


def _fill_new_landlord(qtbot: QtBot, window: MainWindow, homes: str,
                       path: Path, region: str = "") -> NewDatabaseDialog:
    """From the welcome page, New Landlord Database filled in (not yet created)."""
    click_button(qtbot, window, "New Landlord Database")
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), NewDatabaseDialog),
                    timeout=WAIT_MS)
    new = QApplication.activeModalWidget()
    assert isinstance(new, NewDatabaseDialog)
    type_into(qtbot, field(new, "Landlord name"), "Riverside Homes")
    type_into(qtbot, field(new, "Homes owned"), homes)
    if region:
        type_into(qtbot, field(new, "Region"), region)
    type_into(qtbot, field(new, "Database file"), str(path))
    return new


def test_a_new_landlord_gets_its_region_from_the_start(qtbot: QtBot, fresh: MainWindow,
                                                       tmp_path: Path) -> None:
    new = _fill_new_landlord(qtbot, fresh, "2,300", tmp_path / "tyne.bvdesk", "North East")
    with qtbot.waitSignal(fresh.database_opened, timeout=WAIT_MS):
        click(qtbot, button(new, "Create Database"))
    settle(qtbot, fresh)
    assert landlord_facts(fresh.ctx.db) == {"homes": 2300, "region": "North East"}
    dialog = _open_settings(qtbot, fresh)
    assert field(dialog, "Region", QLineEdit).text() == "North East"
    click_button(qtbot, dialog, "Cancel")


def test_a_new_landlord_with_its_homes_shown_and_changed_in_settings_reaches_the_submission(
        qtbot: QtBot, fresh: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "riverside.bvdesk"
    new = _fill_new_landlord(qtbot, fresh, "1,100", path)
    with qtbot.waitSignal(fresh.database_opened, timeout=WAIT_MS):
        click(qtbot, button(new, "Create Database"))
    settle(qtbot, fresh)
    assert fresh.windowTitle() == "Riverside Homes - bvdesk"

    dialog = _open_settings(qtbot, fresh)
    assert field(dialog, "Homes owned", QLineEdit).text() == "1,100"
    assert field(dialog, "Region", QLineEdit).text() == ""
    type_into(qtbot, field(dialog, "Homes owned"), "1,250")
    type_into(qtbot, field(dialog, "Region"), "North West")
    _save(qtbot, dialog)
    settle(qtbot, fresh)
    db = fresh.ctx.db  # the window holds the file open for writing
    assert landlord_facts(db) == {"homes": 1250, "region": "North West"}
    review_id = create_review(db, "repairs", "Responsive repairs")
    pdf, _pages = reports.render_bytes(db, review_id, "regulator")
    assert "Homes owned 1,250 Region North West" in _pdf_text(pdf)

    again = _open_settings(qtbot, fresh)  # what was saved is what Settings shows next time
    assert field(again, "Homes owned", QLineEdit).text() == "1,250"
    assert field(again, "Region", QLineEdit).text() == "North West"
    click_button(qtbot, again, "Cancel")


def _per_home(window: MainWindow) -> dict[str, str]:
    table = field(window, "Appraisal results", QTableView)
    model = table.model()
    column = next(c for c in range(model.columnCount())
                  if model.headerData(c, Qt.Orientation.Horizontal) == "Per home")
    return {model.index(r, 1).data(): model.index(r, column).data()
            for r in range(model.rowCount())}


def _money(text: str) -> float:
    return float(text.replace("\u00a3", "").replace(",", ""))


def test_homes_changed_in_settings_change_the_cost_per_home_and_the_size_band(
        qtbot: QtBot, demo_db_path: Path) -> None:
    with Database.open(demo_db_path, write=True) as db:
        review_id = next(r.id for r in list_reviews(db) if r.title.startswith("Responsive"))
        # The review sets no homes served of its own: the landlord's homes are used.
        editing.update_field(db, "appraisal_settings", review_id, "homes_served", None)
        for band in ("2500_4999", "5000_9999"):
            create_peer_group(db, f"Band {band}", rule={"stock_band": [band]})
    window = open_window(qtbot, demo_db_path)
    open_review(qtbot, window, "Responsive repairs")
    go_to_stage(qtbot, window, "5. Compete")
    qtbot.waitUntil(lambda: bool(_per_home(window)), timeout=WAIT_MS)
    before = _per_home(window)

    dialog = _open_settings(qtbot, window)
    assert field(dialog, "Homes owned", QLineEdit).text() == "5,120"
    type_into(qtbot, field(dialog, "Homes owned"), "2,560")
    _save(qtbot, dialog)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: _per_home(window) != before, timeout=WAIT_MS)
    after = _per_home(window)
    assert sorted(after) == sorted(before)
    for option, shown_before in before.items():  # half the homes, twice the cost per home,
        # each shown to the pound (so twice a rounded figure is within a pound of it)
        assert _money(after[option]) == pytest.approx(2 * _money(shown_before), abs=1), option
    # Peer groups by size follow the homes: the landlord is now among the 2,500 to 4,999.
    members = {group.name: group.members for group in list_peer_groups(window.ctx.db)}
    assert "Northvale Homes" in members["Band 2500_4999"]
    assert "Northvale Homes" not in members["Band 5000_9999"]
    window.close()


@pytest.mark.parametrize(("typed", "said"), [
    ("lots", "Homes owned must be a number"),
    ("-40", "Homes owned cannot be less than 0"),
    ("99,000,000", "Homes owned cannot be more than 10,000,000"),
    ("12.5", "Homes owned must be a whole number"),
])
def test_a_bad_number_of_homes_is_refused_beside_the_field_and_nothing_is_saved(
        qtbot: QtBot, fresh: MainWindow, tmp_path: Path, typed: str, said: str) -> None:
    path = tmp_path / "refused.bvdesk"
    new = _fill_new_landlord(qtbot, fresh, typed, path)
    click(qtbot, button(new, "Create Database"))
    settle(qtbot, fresh)
    assert said in _beside(new, "Homes owned")
    assert not path.exists()  # no landlord was created
    assert QApplication.focusWidget() is field(new, "Homes owned", QLineEdit)

    type_into(qtbot, field(new, "Homes owned"), "1,100")  # corrected: created, message gone
    with qtbot.waitSignal(fresh.database_opened, timeout=WAIT_MS):
        click(qtbot, button(new, "Create Database"))
    settle(qtbot, fresh)

    dialog = _open_settings(qtbot, fresh)
    type_into(qtbot, field(dialog, "Region"), "North West")
    type_into(qtbot, field(dialog, "Homes owned"), typed)
    click_button(qtbot, dialog, "Save")
    settle(qtbot, fresh)
    assert said in _beside(dialog, "Homes owned")
    assert "Nothing was saved" in dialog.problem.text()
    assert shown(dialog)
    with Database.open(path, write=False) as db:
        assert landlord_facts(db) == {"homes": 1100, "region": None}  # the region neither
    click_button(qtbot, dialog, "Cancel")


def test_settings_fit_the_screen_with_the_save_button_in_sight(
        qtbot: QtBot, demo_db_path: Path) -> None:
    window = open_window(qtbot, demo_db_path)
    dialog = _open_settings(qtbot, window)
    room = dialog.screen().availableGeometry()
    assert dialog.height() <= room.height()
    assert shown(button(dialog, "Save"))
    contact = field(dialog, "How tenants can get involved")  # the last field, scrolled to
    type_into(qtbot, contact, "Join the repairs panel.")
    assert contact.visibleRegion().boundingRect().height() > 0
    click_button(qtbot, dialog, "Cancel")
    window.close()
