"""Landlord-wide settings: declared defaults until a value is stored."""

from pathlib import Path

import pytest

from bvdesk.operations.settings import all_settings, get_setting, set_setting
from bvdesk.store.db import Database


def test_defaults_then_stored_values(tmp_db_path: Path) -> None:
    with Database.open(tmp_db_path) as db:
        assert get_setting(db, "persistence_consecutive") == 2
        set_setting(db, "persistence_consecutive", 3)
        set_setting(db, "persistence_consecutive", 4)
        assert get_setting(db, "persistence_consecutive") == 4
        assert all_settings(db)["persistence_consecutive"] == 4
        assert all_settings(db)["backups_kept"] == 10


def test_unknown_keys_are_refused(tmp_db_path: Path) -> None:
    with Database.open(tmp_db_path) as db, pytest.raises(KeyError):
        set_setting(db, "no_such_setting", 1)
