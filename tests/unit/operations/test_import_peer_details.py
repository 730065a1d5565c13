"""A club workbook's homes, region and kind of landlord columns describe its peers, so peer
groups by rule (region, stock band, kind) can be built from imported data: before, imported
peers had none of these, and a rule matched nobody but the landlord."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from workbooks import one_sheet

from bvdesk.operations.indicator_import import import_files, write_indicator_template
from bvdesk.operations.peer_groups import create_peer_group
from bvdesk.store.db import Database
from bvdesk.store.models import AuditEntry, Organisation

HEADER = ["Landlord", "Homes", "Region", "Type", "BV66a", "BV212"]


@pytest.fixture
def db(tmp_db_path: Path | str) -> Iterator[Database]:
    with Database.open(tmp_db_path, write=True, user="tester") as database:
        yield database


def _book(path: Path, *rows: list[Any], title: str = "2023-24") -> Path:
    return one_sheet(path, [HEADER, *rows], title=title)


def _details(db: Database) -> dict[str, tuple[Any, ...]]:
    with db.read() as session:
        return {name: (homes, band, region, kind) for name, homes, band, region, kind in
                session.execute(select(Organisation.name, Organisation.homes,
                                       Organisation.stock_band, Organisation.region,
                                       Organisation.org_type))}


def test_new_peers_take_their_homes_region_and_kind_from_the_club_workbook(
        db: Database, tmp_path: Path) -> None:
    report = import_files(db, [_book(
        tmp_path / "club.xlsx",
        ["Riverside Homes", "5,120", "London", "Housing association", 98.5, 21],
        ["Moorland HA", 3200, "North East", "Stock transfer", 97.0, 25],
        ["Tyneside ALMO", 14000.0, "North East", "ALMO", 96.0, 30],
        ["Fellside Homes", "n/a", None, None, 95.0, 31])])
    assert report.written and report.peer_details == 3
    assert report.summary().endswith(
        "; homes, region or kind of landlord set for 3 peer organisations.")
    details = _details(db)
    assert details["Riverside Homes"] == (5120, "5000_9999", "London", "housing_association")
    assert details["Moorland HA"] == (3200, "2500_4999", "North East", "lsvt")
    assert details["Tyneside ALMO"] == (14000, "10000_plus", "North East", "almo")
    assert details["Fellside Homes"] == (None, None, None, "housing_association")
    # Rules now find the imported peers.
    north_east = create_peer_group(db, "North East", rule={"region": ["North East"]})
    assert set(north_east.members) == {"Moorland HA", "Tyneside ALMO"}
    mid_size = create_peer_group(db, "Mid-size", rule={"stock_band": ["2500_4999"]})
    assert "Moorland HA" in mid_size.members and "Riverside Homes" not in mid_size.members


def test_a_later_file_updates_a_peer_with_an_audit_entry_but_never_the_landlord(
        db: Database, tmp_path: Path) -> None:
    landlord = next(name for name, _d in _details(db).items())
    import_files(db, [_book(tmp_path / "one.xlsx",
                            ["Riverside Homes", 5120, "London", "Housing association", 98, 21])])
    before = _details(db)[landlord]
    report = import_files(db, [_book(
        tmp_path / "two.xlsx", ["Riverside Homes", 5400, "London", None, 98, 21],
        [landlord, 99_999, "Wales", "ALMO", 97, 20], title="2023-24 restated")])
    # Riverside's values are unchanged; its new stock is written, and the landlord's values.
    assert (report.imported, report.updated, report.unchanged) == (2, 0, 2)
    assert report.written and report.peer_details == 1
    assert _details(db)["Riverside Homes"] == (5400, "5000_9999", "London",
                                               "housing_association")
    assert _details(db)[landlord] == before  # its own settings keep the landlord's details
    with db.read() as session:
        change = session.execute(select(AuditEntry.entity, AuditEntry.field, AuditEntry.old,
                                        AuditEntry.new).where(AuditEntry.field == "homes")
                                 .order_by(AuditEntry.id.desc())).first()
    assert tuple(change) == ("organisation", "homes", "5120", "5400")


def test_a_detail_that_cannot_be_read_is_warned_about_and_its_values_kept(
        db: Database, tmp_path: Path) -> None:
    report = import_files(db, [_book(
        tmp_path / "club.xlsx", ["Tiny Co-op", "lots", "North East", "Co-operative", 96, 30])])
    assert [str(w) for w in report.warnings] == [
        "club.xlsx, sheet '2023-24', cell B2: 'lots' is not a number of homes, so this file "
        "does not set the homes of Tiny Co-op.",
        "club.xlsx, sheet '2023-24', cell D2: 'Co-operative' is not a kind of landlord bvdesk "
        "knows (Housing association, LSVT, ALMO, Council, Other), so this file does not set "
        "the kind of landlord of Tiny Co-op."]
    assert report.written and report.imported == 2 and not report.errors
    assert _details(db)["Tiny Co-op"] == (None, None, "North East", "housing_association")


def test_a_dry_run_counts_the_details_and_writes_none(db: Database, tmp_path: Path) -> None:
    path = _book(tmp_path / "club.xlsx", ["Riverside Homes", 5120, "London", None, 98, 21])
    report = import_files(db, [path], dry_run=True)
    assert report.peer_details == 1 and not report.written
    assert "Riverside Homes" not in _details(db)


def test_long_layout_takes_each_peers_details_from_its_first_row(
        db: Database, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Organisation", "Stock", "Area", "Indicator", "Year", "Value"])
    sheet.append(["Riverside Homes", 5120, "London", "BV66a", "2023/24", 98.5])
    sheet.append(["Riverside Homes", 5120, "London", "BV212", "2023/24", 21])
    sheet.append(["Moorland HA", 900, "North East", "BV66a", "2023/24", 97])
    book.save(tmp_path / "long.xlsx")
    report = import_files(db, [tmp_path / "long.xlsx"])
    assert report.peer_details == 2
    details = _details(db)
    assert details["Riverside Homes"][:3] == (5120, "5000_9999", "London")
    assert details["Moorland HA"][:3] == (900, "under_1000", "North East")


def test_a_later_sheets_details_replace_an_earlier_ones(db: Database, tmp_path: Path) -> None:
    """A club workbook with a sheet a year: the newest stock describes the peer."""
    book = Workbook()
    for title, homes in (("2022-23", 5000), ("2023-24", 5100)):
        sheet = book.create_sheet(title)
        sheet.append(HEADER)
        sheet.append(["Riverside Homes", homes, "London", None, 98, 21])
    book.remove(book.worksheets[0])
    book.save(tmp_path / "years.xlsx")
    import_files(db, [tmp_path / "years.xlsx"])
    assert _details(db)["Riverside Homes"][:3] == (5100, "5000_9999", "London")


def test_a_region_longer_than_the_database_keeps_is_warned_about(
        db: Database, tmp_path: Path) -> None:
    report = import_files(db, [_book(tmp_path / "club.xlsx",
                                     ["Riverside Homes", 5120, "L" * 61, None, 98, 21])])
    [warning] = report.warnings
    assert warning.message.startswith("The region 'LLLL") and warning.message.endswith(
        "is too long (at most 60 characters), so this file does not set the region of "
        "Riverside Homes.")
    assert _details(db)["Riverside Homes"][:3] == (5120, "5000_9999", None)


def test_a_peers_stock_band_set_by_hand_stays_when_the_file_gives_no_homes(
        db: Database, tmp_path: Path) -> None:
    import_files(db, [_book(tmp_path / "one.xlsx", ["Riverside Homes", None, None, None, 98, 21])])
    with db.session() as session:
        peer = session.scalars(select(Organisation).where(
            Organisation.name == "Riverside Homes")).one()
        peer.stock_band = "5000_9999"
    import_files(db, [_book(tmp_path / "two.xlsx", ["Riverside Homes", None, "London", None, 98,
                                                    21])])
    assert _details(db)["Riverside Homes"] == (None, "5000_9999", "London", "housing_association")


def test_the_blank_workbook_says_how_and_takes_the_details_filled_in(
        db: Database, tmp_path: Path) -> None:
    path = write_indicator_template(tmp_path / "blank.xlsx", db)
    book = load_workbook(path)
    assert any("Homes, Region and Type" in str(row[0]) for row in
               book["Instructions"].iter_rows(values_only=True))
    data = book["Data"]
    for column, heading in zip("FGH", ("Homes", "Region", "Type"), strict=True):
        data[f"{column}1"] = heading
    data.append(["Riverside Homes", None, "BV66a", "2023/24", 98.5, 5120, "London", "RSL"])
    book.save(path)
    report = import_files(db, [path])
    assert report.imported == 1 and report.peer_details == 1
    assert _details(db)["Riverside Homes"] == (5120, "5000_9999", "London",
                                               "housing_association")


def test_a_column_that_is_not_the_kind_of_landlord_is_warned_about_once_a_value(
        db: Database, tmp_path: Path) -> None:
    """A 'Type' column meaning something else (general needs or supported housing) is one
    warning for each thing it says, not one for every landlord of a thousand."""
    report = import_files(db, [_book(
        tmp_path / "club.xlsx", ["Riverside Homes", 5120, "London", "General needs", 98, 21],
        ["Moorland HA", 3200, "North East", "General needs", 97, 25],
        ["Tyneside ALMO", 9000, "North East", "Supported", 96, 30],
        ["Fellside Homes", 2900, "North West", "General needs", 95, 31])])
    assert [str(w) for w in report.warnings] == [
        "club.xlsx, sheet '2023-24', cell D2: 'General needs' is not a kind of landlord bvdesk "
        "knows (Housing association, LSVT, ALMO, Council, Other), so this file does not set "
        "the kind of landlord of Riverside Homes and 2 other organisations given it.",
        "club.xlsx, sheet '2023-24', cell D4: 'Supported' is not a kind of landlord bvdesk "
        "knows (Housing association, LSVT, ALMO, Council, Other), so this file does not set "
        "the kind of landlord of Tyneside ALMO."]
    assert report.written and report.imported == 8 and report.peer_details == 4
