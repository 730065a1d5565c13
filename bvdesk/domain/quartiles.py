"""Quartiles, bands and ranks, best-first whatever the polarity (domain.md section 3).

Quartile thresholds use linear interpolation on the sorted values, as Excel's QUARTILE.INC and
numpy's "linear" method: h = (n - 1) p, P = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
Band 1 is the best quarter and 4 the worst; a value equal to a threshold goes to the better band.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bvdesk.domain.vocabulary import Polarity

#: Relative tolerance for "equal to a threshold": interpolation may leave float noise.
_TIE = 1e-9


def quantile_inc(sorted_values: Sequence[float], p: float) -> float:
    """Excel QUARTILE.INC / PERCENTILE.INC of already sorted values, for 0 <= p <= 1."""
    n = len(sorted_values)
    if n == 0:
        raise ValueError("no values")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p={p} is outside 0..1")
    h = (n - 1) * p
    low = math.floor(h)
    fraction = h - low
    if fraction == 0.0 or low + 1 >= n:
        return float(sorted_values[low])
    return sorted_values[low] + fraction * (sorted_values[low + 1] - sorted_values[low])


@dataclass(frozen=True, slots=True)
class Quartiles:
    p25: float
    median: float
    p75: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Quartiles:
        ordered = sorted(values)
        return cls(quantile_inc(ordered, 0.25), quantile_inc(ordered, 0.5),
                   quantile_inc(ordered, 0.75))

    def top_threshold(self, polarity: Polarity) -> float:
        return self.p75 if polarity is Polarity.HIGHER else self.p25

    def bottom_threshold(self, polarity: Polarity) -> float:
        return self.p25 if polarity is Polarity.HIGHER else self.p75


def _at_or_better(value: float, threshold: float, polarity: Polarity) -> bool:
    if math.isclose(value, threshold, rel_tol=_TIE, abs_tol=_TIE):
        return True
    return value > threshold if polarity is Polarity.HIGHER else value < threshold


def band(value: float, quartiles: Quartiles, polarity: Polarity) -> int:
    """1 (top quarter) to 4 (bottom quarter); ties go to the better band."""
    higher = polarity is Polarity.HIGHER
    thresholds = ((quartiles.p75, quartiles.median, quartiles.p25) if higher
                  else (quartiles.p25, quartiles.median, quartiles.p75))
    for number, threshold in enumerate(thresholds, start=1):
        if _at_or_better(value, threshold, polarity):
            return number
    return 4


def rank(value: float, values: Sequence[float], polarity: Polarity) -> int:
    """1 = best; tied values share the better rank (1 + how many are strictly better)."""
    return 1 + sum(1 for other in values
                   if not math.isclose(other, value, rel_tol=_TIE, abs_tol=_TIE)
                   and _at_or_better(other, value, polarity))


def gap_to_top(value: float, quartiles: Quartiles, polarity: Polarity) -> float:
    """How far ``value`` is from the top-quartile threshold; 0 when already in the top quarter."""
    threshold = quartiles.top_threshold(polarity)
    if _at_or_better(value, threshold, polarity):
        return 0.0
    return abs(threshold - value)


def yearly_improvement(gap: float, years: int = 5) -> float:
    """The improvement per year, on a straight line, that closes ``gap`` in ``years`` years."""
    if years < 1:
        raise ValueError("years must be at least 1")
    return gap / years
