"""An import names each value it overwrites, in the dry run before and in the import itself."""

import pytest
from openpyxl import Workbook

from bvdesk.operations.indicator_import import import_files
from bvdesk.store.db import Database


@pytest.fixture
def db(tmp_db_path):
    with Database.open(tmp_db_path, write=True, user="tester") as database:
        yield database


def _book(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "2003-04"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_overwritten_values_are_named_with_old_and_new(db, tmp_path):
    import_files(db, [_book(tmp_path / "v1.xlsx", [["Landlord", "BV212", "BV66a"],
                                                    ["Test Homes", 30, 97.5],
                                                    ["South HA", 40, 99]])])
    second = _book(tmp_path / "v2.xlsx", [["Landlord", "BV212", "BV66a"],
                                          ["Test Homes", 28, 97.5],
                                          ["South HA", 40, 98.5]])
    trial = import_files(db, [second], dry_run=True)
    assert [str(o) for o in trial.overwritten] == [
        "South HA, BV66a, 2003/04: 99 \u2192 98.5", "Test Homes, BV212, 2003/04: 30 \u2192 28"]
    report = import_files(db, [second])
    assert report.updated == 2 and report.overwritten == trial.overwritten
    assert report.to_json()["overwritten"][1] == {
        "organisation": "Test Homes", "indicator": "BV212", "year": "2003/04", "old": 30.0,
        "new": 28.0}
