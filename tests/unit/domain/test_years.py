"""Financial years, however a spreadsheet writes them."""

import datetime as dt

import pytest

from bvdesk.domain.years import FinancialYear


@pytest.mark.parametrize("written", ["2000/01", "2000-01", "2000/2001", "FY2000/01", "fy 2000-01",
                                     "00/01", "2000–01", 2000, 2000.0, "2000",
                                     dt.date(2000, 4, 1), dt.date(2001, 3, 31),
                                     dt.datetime(2000, 12, 25, 10, 30)])
def test_every_spelling_reads_as_2000_01(written: object) -> None:
    assert FinancialYear.parse(written) == FinancialYear(2000)
    assert str(FinancialYear.parse(written)) == "2000/01"


def test_century_boundary() -> None:
    assert str(FinancialYear.parse("99/00")) == "1999/00"
    assert FinancialYear.parse("1999/2000") == FinancialYear(1999)
    assert FinancialYear.parse(dt.date(2000, 3, 31)) == FinancialYear(1999)


@pytest.mark.parametrize("written", ["2000/03", "next year", "", "20/21/22", True, 1.5, "1850"])
def test_nonsense_is_refused_with_a_message(written: object) -> None:
    with pytest.raises(ValueError, match="financial year"):
        FinancialYear.parse(written)


def test_ordering_and_arithmetic() -> None:
    assert FinancialYear(2004) + 1 == FinancialYear(2005)
    assert sorted([FinancialYear(2006), FinancialYear(2004)])[0] == FinancialYear(2004)
    assert FinancialYear(2004).last_day == dt.date(2005, 3, 31)


@pytest.mark.parametrize("written", ["2006/7", "2006-7", "FY2006/7", "06/7"])
def test_a_one_digit_second_year_as_many_returns_write_it(written: str) -> None:
    assert FinancialYear.parse(written) == FinancialYear(2006)


@pytest.mark.parametrize("written", ["2009/1", "2006/8", "2006/007"])
def test_a_one_digit_second_year_must_follow_the_first(written: str) -> None:
    with pytest.raises(ValueError, match="financial year"):
        FinancialYear.parse(written)
