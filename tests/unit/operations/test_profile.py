"""The landlord's contact details and facts, as Settings saves them: the fields a person changed,
all of them or none (a colleague's change to one of them since the dialog showed it saves none)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bvdesk.errors import EditConflict, InputRefused
from bvdesk.operations import profile
from bvdesk.store.db import Database


@pytest.fixture
def db(tmp_db_path: Path | str) -> Iterator[Database]:
    with Database.open(tmp_db_path) as database:
        yield database


def test_contact_details_a_colleague_changed_meanwhile_save_none_of_the_persons(
        db: Database) -> None:
    shown = profile.landlord_profile(db)
    profile.save_landlord(db, {"website": "https://bob.example"}, profile.landlord_fields(db))
    typed = {**shown, "contact_phone": "0113 496 0000", "website": "https://test.example"}
    with pytest.raises(EditConflict, match="Website was changed by .* while you were editing"):
        profile.save_settings_page(db, {}, {}, typed, shown, {}, {})
    assert profile.landlord_profile(db) == {**shown, "website": "https://bob.example"}


def test_facts_are_saved_together_or_not_at_all(db: Database) -> None:
    seen = profile.landlord_facts(db)
    profile.save_landlord(db, {"region": "North West"}, seen)
    with pytest.raises(EditConflict, match="Region was changed by .*: .* saved 'North West', "
                                           "you typed 'Yorkshire and the Humber'"):
        profile.save_landlord(db, {"homes": "4,200", "region": "Yorkshire and the Humber"},
                                    seen)
    assert profile.landlord_facts(db) == {**seen, "region": "North West"}
    with pytest.raises(InputRefused, match="Homes owned must be a whole number"):
        profile.save_landlord(db, {"region": "Yorkshire", "homes": "4,200.5"},
                                    {**seen, "region": "North West"})
    assert profile.landlord_facts(db) == {**seen, "region": "North West"}
    edits = profile.save_landlord(db, {"homes": "4,200", "region": "Yorkshire"},
                                        {**seen, "region": "North West"})
    assert [(e.field, e.new) for e in edits] == [("homes", 4200), ("region", "Yorkshire")]
