"""VAT by date and discount factors, checked against hand-computed values."""

import datetime as dt

import pytest

from bvdesk.domain.discounting import (
    DEFAULT_DISCOUNT_SCHEDULE,
    discount_factors,
    parse_discount_schedule,
    schedule_to_setting,
    yearly_rates,
)
from bvdesk.domain.vat import (
    DEFAULT_VAT_TABLE,
    parse_vat_table,
    vat_rate_on,
    vat_table_to_setting,
)


@pytest.mark.parametrize("day, rate", [
    (dt.date(2005, 4, 1), 17.5),
    (dt.date(2008, 11, 30), 17.5),
    (dt.date(2008, 12, 1), 15.0),
    (dt.date(2009, 12, 31), 15.0),
    (dt.date(2010, 1, 1), 17.5),
    (dt.date(2011, 1, 3), 17.5),
    (dt.date(2011, 1, 4), 20.0),
    (dt.date(2026, 11, 26), 20.0),
])
def test_vat_rate_in_force_on_the_base_date(day, rate):
    assert vat_rate_on(day) == rate


def test_edited_vat_table_is_read_in_date_order():
    table = parse_vat_table([["2011-01-04", 20], ["1991-04-01", 17.5]])
    assert vat_rate_on(dt.date(2000, 1, 1), table) == 17.5
    assert vat_rate_on(dt.date(2012, 1, 1), table) == 20.0
    assert parse_vat_table(vat_table_to_setting(DEFAULT_VAT_TABLE)) == DEFAULT_VAT_TABLE


@pytest.mark.parametrize("value, message", [
    ([], "non-empty"),
    ([["1 April 2008", 17.5]], "entry 1: '1 April 2008' is not a date"),
    ([["2008-04-01", 150]], "entry 1: the rate must be a % from 0 to 100"),
    ([["2008-04-01", 15], ["2008-04-01", 17.5]], "same date"),
])
def test_bad_vat_table_is_refused_with_the_entry(value, message):
    with pytest.raises(ValueError, match=message):
        parse_vat_table(value)


def test_constant_rate_before_2003_is_six_percent():
    # Base date 31 December 2002: 6% a year. DF_2 = 1 / 1.06^2 = 0.889996
    factors = discount_factors(2, dt.date(2002, 12, 31))
    assert factors == pytest.approx((1.0, 1 / 1.06, 0.889996), abs=1e-6)


def test_declining_schedule_factor_for_year_31():
    # Years 1-30 at 3.5%, year 31 at 3.0%: DF_31 = 1.035^-30 x 1.03^-1
    # = 0.356278 x 0.970874 = 0.345901
    factors = discount_factors(31, dt.date(2005, 4, 1))
    assert factors[30] == pytest.approx(1.035 ** -30)
    assert factors[31] == pytest.approx(1.035 ** -30 / 1.03)
    assert factors[31] == pytest.approx(0.345901, abs=1e-6)


def test_schedule_bands_by_year():
    rates = yearly_rates(301, dt.date(2010, 1, 1))
    # rates[k - 1] is the rate for year k.
    assert [rates[k - 1] for k in (1, 30, 31, 75, 76, 125, 126, 200, 201, 300, 301)] == [
        3.5, 3.5, 3.0, 3.0, 2.5, 2.5, 2.0, 2.0, 1.5, 1.5, 1.0]


def test_user_rate_applies_to_every_year():
    # 5% for every year, even for a 2005 base date: DF_2 = 1 / 1.05^2 = 0.907029
    factors = discount_factors(2, dt.date(2005, 4, 1), rate_pct=5.0)
    assert factors[2] == pytest.approx(0.907029, abs=1e-6)


def test_year_zero_is_undiscounted_and_period_zero_has_one_factor():
    assert discount_factors(0, dt.date(2005, 4, 1)) == (1.0,)


def test_edited_schedule_round_trips_and_is_used():
    stored = [["2000-01-01", [[1, 5.0], [11, 4.0]]]]
    schedule = parse_discount_schedule(stored)
    assert schedule_to_setting(schedule) == stored
    rates = yearly_rates(12, dt.date(2001, 1, 1), schedule=schedule)
    assert rates[9:] == (5.0, 4.0, 4.0)
    assert parse_discount_schedule(schedule_to_setting(DEFAULT_DISCOUNT_SCHEDULE)) == \
        DEFAULT_DISCOUNT_SCHEDULE


@pytest.mark.parametrize("value, message", [
    ("3.5", "non-empty list"),
    ([["2003-01-01", []]], "entry 1 is not"),
    ([["2003-13-01", [[1, 3.5]]]], "'2003-13-01' is not a date"),
    ([["2003-01-01", [[5, 3.5]]]], "must start in year 1"),
    ([["2003-01-01", [[1, -100]]]], "each band must be"),
])
def test_bad_discount_schedule_is_refused(value, message):
    with pytest.raises(ValueError, match=message):
        parse_discount_schedule(value)
