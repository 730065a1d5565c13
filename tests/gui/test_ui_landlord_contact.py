"""The landlord's contact details, typed in Settings, reach the tenant summary."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, open_window, wait_idle

from bvdesk.errors import EditConflict
from bvdesk.operations.profile import (
    landlord_fields,
    landlord_profile,
    save_landlord,
    save_settings_page,
)
from bvdesk.operations.settings import all_settings, set_setting
from bvdesk.store.db import Database

pytestmark = pytest.mark.gui


def test_contact_details_typed_in_settings_are_saved_for_the_tenant_summary(
        qtbot: QtBot, demo_db_path: Path) -> None:
    window = open_window(qtbot, demo_db_path)
    dialog = window.show_settings()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog._shown_contact is not None, timeout=WAIT_MS)
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
        shown = landlord_profile(db)
        first = save_settings_page(db, {}, {}, {**shown, "contact_email": "talk@northvale.org.uk"},
                                   shown, {}, {})
        shown = landlord_profile(db)
        again = save_settings_page(db, {}, {},
                                   {**shown, "contact_email": " talk@northvale.org.uk "}, shown,
                                   {}, {})
        assert [edit.field for edit in first] == ["contact_email"]
        assert again == []
        assert landlord_profile(db)["contact_email"] == "talk@northvale.org.uk"


def _retype(qtbot: QtBot, editor, text: str) -> None:
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)


def test_saving_settings_keeps_what_a_colleague_changed_meanwhile(
        qtbot: QtBot, demo_db_path: Path) -> None:
    """Two desks on one database: what the other desk saved while this Settings dialog was open
    stays, unless this person changed the same thing, which is then refused, naming it."""
    window = open_window(qtbot, demo_db_path)
    dialog = window.show_settings()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog._shown_contact is not None
                    and dialog._shown_settings is not None, timeout=WAIT_MS)
    with Database.open(demo_db_path, write=False, user="Colleague") as colleague:
        save_landlord(colleague, {"contact_phone": "0300 123 4567"}, landlord_fields(colleague))
        set_setting(colleague, "default_price_weight", 30.0)
        set_setting(colleague, "backups_kept", 20)
    _retype(qtbot, dialog.contact["contact_email"], "hello@northvale.org.uk")
    _retype(qtbot, dialog.fields["small_sample_n"], "6")
    _retype(qtbot, dialog.fields["backups_kept"], "12")  # the colleague changed this one too
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "colleague" in dialog.problem.text(), timeout=WAIT_MS)
    assert dialog.problem.text().startswith("A colleague changed these settings")
    assert "Automatic backups kept per database (20 saved by a colleague, you typed 12)" \
        in dialog.problem.text()
    with Database.open(demo_db_path, write=False) as db:
        assert all_settings(db)["small_sample_n"] == 8  # nothing of this save was kept
    _retype(qtbot, dialog.fields["backups_kept"], "20")  # takes the colleague's
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    window.close()
    with Database.open(demo_db_path, write=False) as db:
        stored, contact = all_settings(db), landlord_profile(db)
    assert (stored["small_sample_n"], stored["backups_kept"]) == (6, 20)
    assert stored["default_price_weight"] == 30.0  # the colleague's, untouched here
    assert contact["contact_email"] == "hello@northvale.org.uk"
    assert contact["contact_phone"] == "0300 123 4567"  # the colleague's, untouched here


def test_a_contact_detail_both_desks_changed_is_asked_about_not_overwritten(
        demo_db_path: Path) -> None:
    with Database.open(demo_db_path, write=True) as db:
        shown = landlord_profile(db)
        save_landlord(db, {"contact_phone": "0300 123 4567"}, landlord_fields(db))
        with pytest.raises(EditConflict) as conflict:
            save_settings_page(db, {}, {}, {**shown, "contact_phone": "0113 496 0000"}, shown,
                               {}, {})
        assert "0300 123 4567" in conflict.value.message
        assert "0113 496 0000" in conflict.value.message
        assert landlord_profile(db)["contact_phone"] == "0300 123 4567"
