"""Settings saves the landlord's settings, contact details, homes and region together: a
colleague's save to one of them since the dialog showed it refuses the whole save, the dialog
stays open with everything typed and says what the colleague changed, and Save then keeps what
is typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from person import WAIT_MS, click_button, field, menu, type_into
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot
from ui_helpers import open_window, wait_idle

from bvdesk.operations.profile import landlord_facts, landlord_profile, save_landlord
from bvdesk.operations.settings import all_settings
from bvdesk.store.db import Database
from bvdesk.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui


def test_a_region_a_colleague_changed_refuses_the_whole_save_and_keeps_the_typing(
        qtbot: QtBot, demo_db_path: Path) -> None:
    window = open_window(qtbot, demo_db_path)
    menu(qtbot, window, "Edit", "Settings")
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), SettingsDialog),
                    timeout=WAIT_MS)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitUntil(lambda: None not in (dialog._shown_facts, dialog._shown_contact,
                                         dialog._shown_settings), timeout=WAIT_MS)
    with Database.open(demo_db_path, write=False) as db:
        before = landlord_facts(db)["region"], landlord_profile(db)["contact_phone"]
    with Database.open(demo_db_path, write=False, user="Colleague") as colleague:
        save_landlord(colleague, {"region": "North West"}, {"region": before[0]})

    type_into(qtbot, field(dialog, "Warn when fewer peers than this have a value"), "6")
    type_into(qtbot, field(dialog, "Telephone"), "0113 496 0000")
    type_into(qtbot, field(dialog, "Region"), "North East")
    click_button(qtbot, dialog, "Save")
    qtbot.waitUntil(lambda: "Colleague" in dialog.problem.text(), timeout=WAIT_MS)

    with Database.open(demo_db_path, write=False) as db:
        assert all_settings(db)["small_sample_n"] == 8  # nothing of this save was kept
        assert landlord_profile(db)["contact_phone"] == before[1]
        assert landlord_facts(db)["region"] == "North West"
    assert dialog.problem.text().startswith(
        "Nothing was saved: Colleague changed region on "), dialog.problem.text()
    assert dialog.problem.text().endswith(
        " while Settings was open, to 'North West' (you typed 'North East'). "
        "Type the one to keep and press Save again.")
    assert dialog.isVisible()
    assert [field(dialog, name, QLineEdit).text() for name in (
        "Warn when fewer peers than this have a value", "Telephone", "Region")] == [
        "6", "0113 496 0000", "North East"]

    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):  # keeps what is typed
        click_button(qtbot, dialog, "Save")
    wait_idle(qtbot, window)
    window.close()
    with Database.open(demo_db_path, write=False) as db:
        assert all_settings(db)["small_sample_n"] == 6
        assert landlord_profile(db)["contact_phone"] == "0113 496 0000"
        assert landlord_facts(db)["region"] == "North East"
