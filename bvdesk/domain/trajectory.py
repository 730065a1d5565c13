"""The target trajectory of an improvement action: a straight line from baseline to target.

Worked example: baseline 17.4 days in 2009/10, target 9.0 days in 2014/15 gives 17.4, 15.72,
14.04, 12.36, 10.68, 9.0 (a step of (9.0 - 17.4) / 5 = -1.68 a year).
"""

from __future__ import annotations

import math

from bvdesk.domain.vocabulary import Polarity


def linear_trajectory(start_year: int, start_value: float, end_year: int,
                      end_value: float) -> list[tuple[int, float]]:
    """(year, value) for every year from ``start_year`` to ``end_year`` inclusive.

    Raises:
        ValueError: the target year is before the baseline year.
    """
    if end_year < start_year:
        raise ValueError(f"the target year {end_year} is before the baseline year {start_year}")
    if end_year == start_year:
        return [(end_year, end_value)]
    step = (end_value - start_value) / (end_year - start_year)
    return [(year, start_value + step * (year - start_year))
            for year in range(start_year, end_year + 1)]


def reaches(value: float, threshold: float, polarity: Polarity) -> bool:
    """True when ``value`` is at or beyond ``threshold`` in the better direction."""
    if math.isclose(value, threshold, rel_tol=1e-9, abs_tol=1e-9):
        return True
    return value > threshold if polarity is Polarity.HIGHER else value < threshold
