"""Where one organisation stands among its peers on one indicator, year by year.

The calculation for a single indicator and year is ``position``; the history rules
(``years_in_bottom``, ``is_persistent``) look at the bands of earlier years, each judged
against that year's own peers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bvdesk.domain.quartiles import Quartiles, band, gap_to_top, rank, yearly_improvement
from bvdesk.domain.vocabulary import Polarity

BOTTOM = 4
#: Landlords with a value, the organisation included, needed for a position among peers: an
#: indicator that no other landlord reports has no quartile, rank or gap to speak of.
MIN_COMPARED = 2


@dataclass(frozen=True, slots=True)
class PersistenceRule:
    """Bottom quartile in ``consecutive`` consecutive years, or ``years_bad`` of the last
    ``window`` years (domain.md section 3; both configurable)."""

    consecutive: int = 2
    years_bad: int = 3
    window: int = 5

    def __post_init__(self) -> None:
        if self.consecutive < 1 or self.years_bad < 1 or self.window < self.years_bad:
            raise ValueError("persistence rule: counts must be at least 1 and the window at "
                             "least the number of bad years")


@dataclass(frozen=True, slots=True)
class Position:
    """One organisation's standing among ``n`` peer values (itself included)."""

    value: float
    n: int
    p25: float
    median: float
    p75: float
    quartile: int
    rank: int
    gap_to_top_quartile: float
    improvement_per_year: float
    small_sample: bool

    @property
    def bottom_quartile(self) -> bool:
        return self.quartile == BOTTOM


def position(value: float, peer_values: Sequence[float], polarity: Polarity, *,
             small_sample_n: int = 8, years_to_top: int = 5) -> Position:
    """Quartiles, band, rank and gap of ``value`` among ``peer_values``.

    ``peer_values`` must include ``value`` itself (the organisation is one of its peers), and
    at least one other landlord's value (``MIN_COMPARED``).
    """
    if len(peer_values) < MIN_COMPARED:
        raise ValueError("no other landlord's value to compare with")
    quartiles = Quartiles.of(peer_values)
    gap = gap_to_top(value, quartiles, polarity)
    return Position(
        value=value, n=len(peer_values), p25=quartiles.p25, median=quartiles.median,
        p75=quartiles.p75, quartile=band(value, quartiles, polarity),
        rank=rank(value, peer_values, polarity), gap_to_top_quartile=gap,
        improvement_per_year=yearly_improvement(gap, years_to_top),
        small_sample=len(peer_values) < small_sample_n)


def years_in_bottom(bands: Mapping[int, int | None], year: int) -> int:
    """Consecutive years in the bottom quartile ending with ``year``.

    ``bands`` maps a year's start to its band (or None when there was no value); a year with no
    value breaks the run.
    """
    count = 0
    while bands.get(year - count) == BOTTOM:
        count += 1
    return count


def is_persistent(bands: Mapping[int, int | None], year: int, rule: PersistenceRule) -> bool:
    """In the bottom quartile in ``year`` and either in ``rule.consecutive`` consecutive years
    ending with it, or in at least ``rule.years_bad`` of the ``rule.window`` years ending with it.

    An indicator that has left the bottom quartile is not persistent, whatever its history: the
    flag marks a current failure that has lasted.
    """
    if bands.get(year) != BOTTOM:
        return False
    if years_in_bottom(bands, year) >= rule.consecutive:
        return True
    bad = sum(1 for offset in range(rule.window) if bands.get(year - offset) == BOTTOM)
    return bad >= rule.years_bad
