"""Settings' one save (profile.save_settings_page): the landlord-wide settings, the contact
details and the homes and region in one transaction, all of them or none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bvdesk.errors import EditConflict, InputRefused
from bvdesk.operations import profile, settings
from bvdesk.store.db import Database


@pytest.fixture
def db(tmp_db_path: Path | str) -> Iterator[Database]:
    with Database.open(tmp_db_path) as database:
        yield database


def test_a_contact_detail_a_colleague_changed_keeps_the_settings_typed_with_it_unsaved(
        db: Database) -> None:
    shown, facts = profile.landlord_profile(db), profile.landlord_facts(db)
    profile.save_landlord(db, {"contact_phone": "0300 123 4567"}, profile.landlord_fields(db))
    with pytest.raises(EditConflict, match="Telephone was changed by "):
        profile.save_settings_page(db, {"small_sample_n": 6}, {"small_sample_n": 8},
                                   {**shown, "contact_phone": "0113 496 0000"}, shown,
                                   {"region": "North West"}, facts)
    assert settings.all_settings(db)["small_sample_n"] == 8
    assert profile.landlord_facts(db) == facts
    assert profile.landlord_profile(db)["contact_phone"] == "0300 123 4567"


def test_a_setting_a_colleague_changed_keeps_the_landlord_fields_unsaved(db: Database) -> None:
    shown, facts = profile.landlord_profile(db), profile.landlord_facts(db)
    settings.set_setting(db, "backups_kept", 20)
    with pytest.raises(InputRefused, match=r"Automatic backups kept per database \(20 saved by "
                                           r"a colleague, you typed 12\)"):
        profile.save_settings_page(db, {"backups_kept": 12}, {"backups_kept": 10},
                                   {**shown, "website": "https://test.example"}, shown,
                                   {"homes": 4200}, facts)
    assert profile.landlord_profile(db) == shown
    assert profile.landlord_facts(db) == facts
    edits = profile.save_settings_page(db, {"backups_kept": 12}, {"backups_kept": 20},
                                       {**shown, "website": "https://test.example"}, shown,
                                       {"homes": 4200}, facts)
    assert sorted(edit.field for edit in edits) == ["homes", "website"]
    assert settings.all_settings(db)["backups_kept"] == 12
