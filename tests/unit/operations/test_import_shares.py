"""A percentage that is a share of a whole (satisfied respondents, repairs on time, homes
vacant) lies from 0 to 100%: 150% satisfaction was imported as it stood and went into the
quartiles. Rent collected may pass 100% (arrears recovered), so only shares are held to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from workbooks import one_sheet

from bvdesk.operations.indicator_import import import_files
from bvdesk.store.db import Database
from bvdesk.store.models import Indicator, IndicatorValue, Organisation


@pytest.fixture
def db(tmp_db_path: Path | str) -> Iterator[Database]:
    with Database.open(tmp_db_path, write=True, user="tester") as database:
        yield database


def _book(path: Path, header: list[str], *rows: list[Any], percent: str | None = None) -> Path:
    return one_sheet(path, [header, *rows], formats={percent: "0.0%"} if percent else None)


def _stored(db: Database) -> set[tuple[str, str, float]]:
    with db.read() as session:
        return {(name, code, value) for name, code, value in session.execute(
            select(Organisation.name, Indicator.code, IndicatorValue.value)
            .join(IndicatorValue.organisation).join(IndicatorValue.indicator))}


def test_a_share_past_100_or_below_0_is_an_error_where_it_is(db: Database,
                                                              tmp_path: Path) -> None:
    path = _book(tmp_path / "club.xlsx", ["Landlord", "BV74", "BV66a", "VOIDLOSS"],
                 ["Riverside Homes", 150, 103.2, 1.5],
                 ["Moorland HA", 88, 99.1, "-2%"])
    report = import_files(db, [path])
    assert not report.written
    assert [str(e) for e in report.errors] == [
        "club.xlsx, sheet '2023-24', cell B2: 150% cannot be right for BV74, a share of a "
        "whole (from 0 to 100%); check the cell.",
        "club.xlsx, sheet '2023-24', cell D3: -2% cannot be right for VOIDLOSS, a share of a "
        "whole (from 0 to 100%); check the cell."]
    skipped = import_files(db, [path], skip_invalid=True)
    assert skipped.written and skipped.imported == 4
    stored = _stored(db)
    # Rent collected may pass 100%: arrears brought forward are collected too.
    assert ("Riverside Homes", "BV66a", 103.2) in stored
    assert not {(name, code) for name, code, _v in stored} & {
        ("Riverside Homes", "BV74"), ("Moorland HA", "VOIDLOSS")}


def test_a_percent_formatted_share_past_100_is_refused_too(db: Database,
                                                           tmp_path: Path) -> None:
    """1.5 in a cell formatted as a percentage shows 150%."""
    path = _book(tmp_path / "formatted.xlsx", ["Organisation", "Indicator", "Year", "Value"],
                 ["Riverside Homes", "BV74", "2023/24", 1.5],
                 ["Riverside Homes", "SAT-REP", "2023/24", 0.91], percent="D")
    report = import_files(db, [path], skip_invalid=True)
    assert [str(e) for e in report.errors] == [
        "formatted.xlsx, sheet '2023-24', cell D2: 150% cannot be right for BV74, a share of a "
        "whole (from 0 to 100%); check the cell."]
    assert _stored(db) == {("Riverside Homes", "SAT-REP", 91.0)}


def test_a_landlords_own_percentage_is_not_held_to_100(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        session.add(Indicator(code="GROWTH", name="Stock growth", unit="percent",
                              polarity="higher", is_custom=True))
    report = import_files(db, [_book(tmp_path / "own.xlsx", ["Landlord", "GROWTH"],
                                     ["Riverside Homes", 140])])
    assert report.written and not report.errors
    assert _stored(db) == {("Riverside Homes", "GROWTH", 140.0)}
