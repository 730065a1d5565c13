"""Discount factors for whole-life costs: the Green Book schedules by base date, or one rate.

Year 0 is undiscounted; year t is discounted by DF_t = product over k = 1..t of 1 / (1 + r_k),
where r_k is the rate for year k. The default schedule depends on the appraisal's base date:
6% real for base dates before 1 January 2003 (1997 Green Book), then the 2003 Green Book's
declining schedule (3.5% for years 1-30, 3.0% for 31-75, 2.5% for 76-125, 2.0% for 126-200,
1.5% for 201-300, 1.0% beyond). A rate the user sets applies to every year instead.

The schedule is editable (setting ``discount_schedule``): a list of
``[from_date_iso, [[first_year, rate_pct], ...]]`` entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class RateBand:
    """``rate_pct`` applies from year ``first_year`` until the next band starts."""

    first_year: int
    rate_pct: float


@dataclass(frozen=True, slots=True)
class ScheduleEntry:
    """The bands that apply to appraisals with a base date on or after ``effective_from``."""

    effective_from: dt.date
    bands: tuple[RateBand, ...]


DiscountSchedule = tuple[ScheduleEntry, ...]

DEFAULT_DISCOUNT_SCHEDULE: DiscountSchedule = (
    ScheduleEntry(dt.date(1900, 1, 1), (RateBand(1, 6.0),)),
    ScheduleEntry(dt.date(2003, 1, 1), (
        RateBand(1, 3.5), RateBand(31, 3.0), RateBand(76, 2.5), RateBand(126, 2.0),
        RateBand(201, 1.5), RateBand(301, 1.0))),
)


def schedule_for(base_date: dt.date,
                 schedule: DiscountSchedule = DEFAULT_DISCOUNT_SCHEDULE) -> ScheduleEntry:
    """The entry in force on ``base_date`` (before the first entry: the first entry)."""
    if not schedule:
        raise ValueError("the discount schedule is empty")
    chosen = schedule[0]
    for entry in schedule:
        if entry.effective_from > base_date:
            break
        chosen = entry
    return chosen


def yearly_rates(period_years: int, base_date: dt.date, *,
                 schedule: DiscountSchedule = DEFAULT_DISCOUNT_SCHEDULE,
                 rate_pct: float | None = None) -> tuple[float, ...]:
    """The rate (%) for each year 1..``period_years``."""
    if rate_pct is not None:
        return (float(rate_pct),) * period_years
    bands = schedule_for(base_date, schedule).bands
    rates: list[float] = []
    band = 0
    for year in range(1, period_years + 1):
        while band + 1 < len(bands) and bands[band + 1].first_year <= year:
            band += 1
        rates.append(bands[band].rate_pct)
    return tuple(rates)


def discount_factors(period_years: int, base_date: dt.date, *,
                     schedule: DiscountSchedule = DEFAULT_DISCOUNT_SCHEDULE,
                     rate_pct: float | None = None) -> tuple[float, ...]:
    """DF_0..DF_N: 1 for year 0, then each year's factor divided by (1 + that year's rate).

    Raises:
        ValueError: a negative period, or a rate of -100% or less.
    """
    if period_years < 0:
        raise ValueError("the appraisal period cannot be negative")
    if rate_pct is not None and rate_pct <= -100:
        raise ValueError("a discount rate must be more than -100%")
    factors = [1.0]
    for rate in yearly_rates(period_years, base_date, schedule=schedule, rate_pct=rate_pct):
        factors.append(factors[-1] / (1 + rate / 100))
    return tuple(factors)


def parse_discount_schedule(value: Any) -> DiscountSchedule:
    """Read the stored setting: ``[[from_date_iso, [[first_year, rate_pct], ...]], ...]``.

    Raises:
        ValueError: with a message that says which entry is wrong and why.
    """
    if not _is_list(value) or not value:
        raise ValueError("the discount schedule must be a non-empty list of "
                         "[from date, [[first year, rate %], ...]] entries")
    entries: list[ScheduleEntry] = []
    for number, entry in enumerate(value, start=1):
        if not _is_list(entry) or len(entry) != 2 or not _is_list(entry[1]) or not entry[1]:
            raise ValueError(f"discount schedule entry {number} is not "
                             "[from date, [[first year, rate %], ...]]")
        try:
            start = dt.date.fromisoformat(str(entry[0]))
        except ValueError as exc:
            raise ValueError(f"discount schedule entry {number}: '{entry[0]}' is not a date "
                             "(expected YYYY-MM-DD)") from exc
        entries.append(ScheduleEntry(start, _parse_bands(number, entry[1])))
    entries.sort(key=lambda entry: entry.effective_from)
    return tuple(entries)


def _parse_bands(number: int, raw: Sequence[Any]) -> tuple[RateBand, ...]:
    bands: list[RateBand] = []
    for band in raw:
        if (not _is_list(band) or len(band) != 2 or not all(_is_number(x) for x in band)
                or int(band[0]) != band[0] or band[0] < 1 or band[1] <= -100):
            raise ValueError(f"discount schedule entry {number}: each band must be "
                             "[first year (1 or more), rate % (more than -100)]")
        bands.append(RateBand(int(band[0]), float(band[1])))
    bands.sort(key=lambda band: band.first_year)
    if bands[0].first_year != 1:
        raise ValueError(f"discount schedule entry {number}: the first band must start in year 1")
    return tuple(bands)


def schedule_to_setting(schedule: DiscountSchedule) -> list[list[Any]]:
    """The stored form of ``schedule`` (inverse of ``parse_discount_schedule``)."""
    return [[entry.effective_from.isoformat(),
             [[band.first_year, band.rate_pct] for band in entry.bands]] for entry in schedule]


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
