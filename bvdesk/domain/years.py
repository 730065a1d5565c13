"""Financial years (April to March) and the many ways spreadsheets write them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering

_SEPARATED = re.compile(r"^(?:FY\s*)?(\d{2}|\d{4})\s*[/\-–]\s*(\d|\d{2}|\d{4})$", re.IGNORECASE)
_SINGLE = re.compile(r"^(?:FY\s*)?(\d{4})$", re.IGNORECASE)


@total_ordering
@dataclass(frozen=True, slots=True)
class FinancialYear:
    """The year from 1 April ``start`` to 31 March ``start + 1``, written ``2000/01``."""

    start: int

    def __post_init__(self) -> None:
        if not 1900 <= self.start <= 2200:
            raise ValueError(f"{self.start} is not a plausible financial year")

    def __str__(self) -> str:
        return f"{self.start}/{(self.start + 1) % 100:02d}"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, FinancialYear):
            return NotImplemented
        return self.start < other.start

    def __add__(self, years: int) -> FinancialYear:
        return FinancialYear(self.start + years)

    def __sub__(self, years: int) -> FinancialYear:
        return FinancialYear(self.start - years)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.start, 4, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.start + 1, 3, 31)

    @classmethod
    def containing(cls, day: dt.date) -> FinancialYear:
        """The April-March year that contains ``day``."""
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def parse(cls, value: object) -> FinancialYear:
        """Read a year as spreadsheets write it.

        Accepts ``2000/01``, ``2000-01``, ``2000/2001``, ``FY2000/01``, ``00/01``, ``2006/7``,
        an integer 2000 (the year that starts in it), and a date (the year that contains it).

        Raises:
            ValueError: with a message fit to show a user.
        """
        if isinstance(value, FinancialYear):
            return value
        if isinstance(value, dt.datetime):
            return cls.containing(value.date())
        if isinstance(value, dt.date):
            return cls.containing(value)
        if isinstance(value, bool):
            raise ValueError(f"{value!r} is not a financial year")
        if isinstance(value, int):
            return cls(value)
        if isinstance(value, float) and value.is_integer():
            return cls(int(value))
        text = str(value).strip()
        match = _SINGLE.match(text)
        if match:
            return cls(int(match.group(1)))
        match = _SEPARATED.match(text)
        if match:
            first, second = match.groups()
            start = _expand_century(first)
            if len(second) == 1:  # 2006/7: the last digit of the year after
                end = start + 1 if (start + 1) % 10 == int(second) else -1
            else:
                end = _expand_century(second, near=start) if len(second) == 2 else int(second)
            if end != start + 1:
                raise ValueError(f"'{text}' is not a financial year: the years are not consecutive")
            return cls(start)
        raise ValueError(f"'{text}' is not a financial year (expected e.g. 2000/01)")


def _expand_century(digits: str, near: int | None = None) -> int:
    if len(digits) == 4:
        return int(digits)
    two = int(digits)
    if near is not None:
        century = near - near % 100
        candidate = century + two
        return candidate if candidate >= near else candidate + 100
    # Two-digit first years: 50-99 are the 1900s, 00-49 the 2000s.
    return (1900 if two >= 50 else 2000) + two
