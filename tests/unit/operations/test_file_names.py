"""Suggested file names: landlord, service, year and document, safe on every system."""

from __future__ import annotations

from pathlib import Path

import pytest

from bvdesk.errors import InputRefused
from bvdesk.operations.file_names import review_file_name, safe_name
from bvdesk.store.db import Database


def test_the_demo_reviews_documents_are_named_for_a_folder(demo_db_path: Path) -> None:
    db = Database.open(demo_db_path, write=False)
    try:
        assert review_file_name(db, 1, "regulator") == (
            "Northvale Homes - Responsive repairs review 2009-10 - regulator submission.pdf")
        assert review_file_name(db, 3, "board") == (
            "Northvale Homes - Rent collection and arrears review 2008-09 - board paper.pdf")
        assert review_file_name(db, 1, "workbook").endswith("review 2009-10 - review "
                                                            "workbook.xlsx")
        with pytest.raises(InputRefused, match="no 'leaflet' document"):
            review_file_name(db, 1, "leaflet")
    finally:
        db.close()


@pytest.mark.parametrize(("text", "name"), [
    ("Repairs: review 2009/10", "Repairs- review 2009-10"),
    ('A "quoted" <name>?', "A -quoted- -name"),
    ("  trailing dots...  ", "trailing dots"),
    ("///", "bvdesk"),
])
def test_unsafe_characters_are_replaced(text: str, name: str) -> None:
    assert safe_name(text) == name
