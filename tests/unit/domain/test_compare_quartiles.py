"""Quartiles, bands, ranks and gaps: worked examples computed by hand."""

import pytest

from bvdesk.domain.benchmark import PersistenceRule, is_persistent, position, years_in_bottom
from bvdesk.domain.quartiles import Quartiles, band, gap_to_top, quantile_inc, rank
from bvdesk.domain.vocabulary import Polarity

HIGHER, LOWER = Polarity.HIGHER, Polarity.LOWER


def test_quartile_inc_interpolates_like_excel():
    # Sorted 10, 20, 30, 40, 50 (n = 5): h = 4p.
    # p25: h = 1 -> 20; median: h = 2 -> 30; p75: h = 3 -> 40.
    assert Quartiles.of([50, 10, 40, 20, 30]) == Quartiles(20.0, 30.0, 40.0)
    # n = 4, values 1, 2, 3, 10: p25 h = 0.75 -> 1 + 0.75*(2-1) = 1.75;
    # median h = 1.5 -> 2 + 0.5*(3-2) = 2.5; p75 h = 2.25 -> 3 + 0.25*(10-3) = 4.75.
    assert Quartiles.of([10, 3, 1, 2]) == Quartiles(1.75, 2.5, 4.75)


def test_n_equals_one_every_threshold_is_the_value_but_there_is_no_position():
    # h = 0 for every p: all thresholds are 7. A landlord alone with its own value stands
    # among nobody: no quartile (it was "top quartile" on the board paper), rank or gap.
    q = Quartiles.of([7.0])
    assert (q.p25, q.median, q.p75) == (7.0, 7.0, 7.0)
    for polarity in (HIGHER, LOWER):
        with pytest.raises(ValueError, match="no other landlord"):
            position(7.0, [7.0], polarity)
    # One other landlord is enough for a position (flagged as a small sample).
    assert position(7.0, [7.0, 9.0], LOWER).small_sample


def test_n_equals_two():
    # Values 80, 90: p25 h = 0.25 -> 80 + 0.25*10 = 82.5; median 85; p75 h = 0.75 -> 87.5.
    q = Quartiles.of([90, 80])
    assert (q.p25, q.median, q.p75) == (82.5, 85.0, 87.5)
    # Higher is better: 90 >= 87.5 -> band 1; 80 < 82.5 -> band 4.
    assert band(90, q, HIGHER) == 1 and band(80, q, HIGHER) == 4
    # Lower is better, mirrored: 80 <= 82.5 -> band 1; 90 > 87.5 -> band 4.
    assert band(80, q, LOWER) == 1 and band(90, q, LOWER) == 4
    # Gap for 80 (higher): 87.5 - 80 = 7.5, per year over 5 years 1.5.
    pos = position(80, [80, 90], HIGHER)
    assert pos.gap_to_top_quartile == 7.5 and pos.improvement_per_year == 1.5
    assert pos.rank == 2 and pos.bottom_quartile


def test_bands_for_both_polarities():
    # Peers 10..50 as above: p25 20, median 30, p75 40.
    q = Quartiles(20.0, 30.0, 40.0)
    # Higher is better: >= 40 -> 1, >= 30 -> 2, >= 20 -> 3, else 4.
    assert [band(v, q, HIGHER) for v in (45, 40, 35, 30, 25, 20, 15)] == [1, 1, 2, 2, 3, 3, 4]
    # Lower is better: <= 20 -> 1, <= 30 -> 2, <= 40 -> 3, else 4.
    assert [band(v, q, LOWER) for v in (15, 20, 25, 30, 35, 40, 45)] == [1, 1, 2, 2, 3, 3, 4]


def test_ties_go_to_the_better_band_and_share_the_better_rank():
    # Values 5, 5, 5, 5, 9 (n = 5): p25 = x1 = 5, median = x2 = 5, p75 = x3 = 5.
    values = [5, 5, 5, 5, 9]
    q = Quartiles.of(values)
    assert (q.p25, q.median, q.p75) == (5, 5, 5)
    # Higher is better: 5 equals p75 -> band 1 (the tie goes up); rank: only 9 is better -> 2.
    assert band(5, q, HIGHER) == 1 and rank(5, values, HIGHER) == 2
    # Lower is better: 5 equals p25 -> band 1; rank: nobody is lower -> 1, all four share it.
    assert band(5, q, LOWER) == 1 and rank(5, values, LOWER) == 1
    # 9 (lower is better): > p75 = 5 -> band 4, rank 1 + four better = 5.
    assert band(9, q, LOWER) == 4 and rank(9, values, LOWER) == 5


def test_gap_for_lower_is_better_is_distance_down_to_p25():
    # Re-let days 20, 25, 30, 35, 60: p25 25, median 30, p75 35.
    q = Quartiles.of([20, 25, 30, 35, 60])
    # 60 days: top threshold p25 = 25, gap 60 - 25 = 35 days, 7 days a year over 5 years.
    assert gap_to_top(60, q, LOWER) == 35
    assert position(60, [20, 25, 30, 35, 60], LOWER).improvement_per_year == 7
    # Already in the top quarter: gap 0.
    assert gap_to_top(20, q, LOWER) == 0.0


def test_small_sample_below_eight():
    assert position(1, list(range(1, 8)), HIGHER).small_sample  # n = 7
    assert not position(1, list(range(1, 9)), HIGHER).small_sample  # n = 8


def test_quantile_needs_values():
    with pytest.raises(ValueError):
        quantile_inc([], 0.5)


def test_years_in_bottom_counts_back_until_a_break():
    # 2000: 4, 2001: 3, 2002: 4, 2003: 4 -> ending 2003: two years (2002, 2003).
    bands = {2000: 4, 2001: 3, 2002: 4, 2003: 4}
    assert years_in_bottom(bands, 2003) == 2
    assert years_in_bottom(bands, 2001) == 0
    # A year with no value (missing) breaks the run.
    assert years_in_bottom({2001: 4, 2002: None, 2003: 4}, 2003) == 1


def test_persistence_rule_two_consecutive_or_three_of_five():
    rule = PersistenceRule()
    assert is_persistent({2002: 4, 2003: 4}, 2003, rule)            # 2 consecutive
    assert not is_persistent({2002: 3, 2003: 4}, 2003, rule)        # only 1
    # 1999..2003 = 4, 1, 4, 2, 4: three of the last five -> persistent, none consecutive.
    assert is_persistent({1999: 4, 2000: 1, 2001: 4, 2002: 2, 2003: 4}, 2003, rule)
    # Out of the bottom quartile this year: not persistent, whatever the history.
    assert not is_persistent({2000: 4, 2001: 4, 2002: 4, 2003: 3}, 2003, rule)
    # 1998 is outside the five-year window ending 2003: 1998, 2001, 2003 are only 2 of 5.
    assert not is_persistent({1998: 4, 2001: 4, 2003: 4}, 2003, rule)
    # Configurable: 3 consecutive required, 4 of 5.
    strict = PersistenceRule(consecutive=3, years_bad=4, window=5)
    assert not is_persistent({2002: 4, 2003: 4}, 2003, strict)
    with pytest.raises(ValueError):
        PersistenceRule(years_bad=6, window=5)
