"""The landlord's contact details, typed in Settings, reach the tenant summary."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, open_window, wait_idle

from bvdesk.operations.profile import landlord_profile, save_landlord_profile
from bvdesk.store.db import Database

pytestmark = pytest.mark.gui


def test_contact_details_typed_in_settings_are_saved_for_the_tenant_summary(
        qtbot: QtBot, demo_db_path: Path) -> None:
    window = open_window(qtbot, demo_db_path)
    dialog = window.show_settings()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog._contact_shown, timeout=WAIT_MS)
    phone = dialog.contact["contact_phone"]
    assert phone.text() == "01924 555 010"  # the demo's, shown for editing
    phone.setFocus()
    qtbot.keyClick(phone, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(phone, "0113 496 0000")
    involved = dialog.contact["get_involved"]
    involved.setFocus()
    qtbot.keyClick(involved, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(involved, "Join the repairs panel.")
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    window.close()
    with Database.open(demo_db_path, write=False) as db:
        saved = landlord_profile(db)
    assert saved["contact_phone"] == "0113 496 0000"
    assert saved["get_involved"] == "Join the repairs panel."


def test_saving_the_profile_changes_only_what_changed(demo_db_path: Path) -> None:
    with Database.open(demo_db_path, write=True) as db:
        website = landlord_profile(db)["website"]
        first = save_landlord_profile(db, {"contact_email": "talk@northvale.org.uk",
                                           "website": website})
        again = save_landlord_profile(db, {"contact_email": " talk@northvale.org.uk "})
        assert [edit.field for edit in first] == ["contact_email"]
        assert again == []
        assert landlord_profile(db)["contact_email"] == "talk@northvale.org.uk"
