"""Formatting numbers and user text for print."""

from __future__ import annotations

from bvdesk.domain.wording import count
from bvdesk.reports.charts import nice_ticks
from bvdesk.reports.text import clean, gap, long_date, measure, money, safe


def test_measures_use_the_unit_and_decimals():
    assert measure(29.3823, "percent", 2) == "29.38%"
    assert measure(861.0, "pounds", 0) == "£861"
    assert measure(-12.5, "pounds", 2) == "-£12.50"
    assert measure(15.64, "days", 1) == "15.6 days"
    assert measure(1234.0, "count", 0) == "1,234"
    assert measure(1.0, "yes_no", 0) == "Yes"
    assert measure(None, "percent", 2) == "–"


def test_gaps_are_signed_and_percentages_are_points():
    assert gap(7.28, "percent", 2) == "+7.28 pts"
    assert gap(81.0, "pounds", 0) == "+£81"
    assert gap(-2.0, "days", 1) == "-2.0 days"


def test_money_dates_and_counts():
    assert money(36_138_866.4) == "£36,138,866"
    assert long_date("2010-06-15T10:00:00") == "15 June 2010"
    assert long_date(None) == "–"
    assert count(1, "action") == "1 action"
    assert count(3, "action") == "3 actions"
    assert count(2, "person", "people") == "2 people"


def test_user_text_is_cleaned_and_escaped():
    assert clean("a\x00b\x07c\r\nd") == "abc\nd"
    assert safe("<b>Tom & Jerry</b>\nnext") == "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;<br/>next"


def test_nice_ticks_cover_the_range_with_round_steps():
    assert nice_ticks(0, 97) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(85.3, 99.1) == [85, 90, 95, 100]
    assert nice_ticks(91.0, 99.5) == [90.0, 92.0, 94.0, 96.0, 98.0, 100.0]
    assert nice_ticks(5, 5)[0] < 5 < nice_ticks(5, 5)[-1]


def test_an_indicator_at_zero_everywhere_gets_an_axis_from_zero_up():
    # Seven landlords with no evictions at all: the axis ran from -1% to 1%, printing negative
    # eviction rates nobody can have. It starts at zero and rises by round steps.
    assert nice_ticks(0, 0) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert min(nice_ticks(0.4, 0.4)) >= 0


def test_a_trend_with_a_missing_year_shows_the_gap():
    # Re-let time for 2007/08 and 2009/10 but none for 2008/09: "51.3 days → 50.3 days" read as
    # two consecutive years. Years before the first value and after the last are left out.
    from bvdesk.reports.parts import trend_text

    history = [{"year": 2005, "value": None}, {"year": 2006, "value": None},
               {"year": 2007, "value": 51.3}, {"year": 2008, "value": None},
               {"year": 2009, "value": 50.27}]
    row = {"history": history, "unit": "days", "decimals": 1}
    assert trend_text(row) == "51.3 days → – → 50.3 days"
