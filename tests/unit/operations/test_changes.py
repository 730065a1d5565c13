"""What a use case changed is read from the audit log, whoever ran it."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from bvdesk.operations import changes, settings
from bvdesk.operations.indicator_import import import_files
from bvdesk.operations.reports import render_report
from bvdesk.operations.reviews import create_review, list_reviews
from bvdesk.store.db import Database


def _topics(db: Database, work) -> frozenset[str]:
    before = changes.mark(db)
    work()
    return changes.topics_since(db, before)


def test_each_kind_of_write_names_its_topic_and_reads_name_none(tmp_db_path: Path,
                                                                 tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["Landlord", "Year", "BV66a"])
    book.active.append(["Test Homes", "2009/10", 2.1])
    book.save(tmp_path / "values.xlsx")
    with Database.open(tmp_db_path, write=True) as db:
        assert changes.mark(db) > 0  # creating the landlord was logged
        assert _topics(db, lambda: list_reviews(db)) == frozenset()
        assert _topics(db, lambda: create_review(db, "repairs", "Repairs")) == {"review"}
        assert _topics(db, lambda: settings.set_setting(db, "small_sample_n", 6)) == {"settings"}
        assert _topics(db, lambda: import_files(db, [tmp_path / "values.xlsx"])) == {
            "indicators"}
        review_id = list_reviews(db)[0].id
        assert _topics(db, lambda: render_report(db, review_id, "board",
                                                 tmp_path / "board.pdf")) == frozenset()
