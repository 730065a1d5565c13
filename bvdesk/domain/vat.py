"""The standard rate of VAT by date, for costs on which a landlord cannot recover the VAT.

Housing associations make exempt supplies (rents), so VAT on what they buy is a real cost. The
table is editable (setting ``vat_table``: a list of ``[from_date_iso, rate_pct]``); this module
holds the built-in default and reads the stored form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

#: (first day in force, rate in %), in date order.
VatTable = tuple[tuple[dt.date, float], ...]

DEFAULT_VAT_TABLE: VatTable = (
    (dt.date(1979, 6, 18), 15.0),
    (dt.date(1991, 4, 1), 17.5),
    (dt.date(2008, 12, 1), 15.0),
    (dt.date(2010, 1, 1), 17.5),
    (dt.date(2011, 1, 4), 20.0),
)


def vat_rate_on(day: dt.date, table: VatTable = DEFAULT_VAT_TABLE) -> float:
    """The rate (%) in force on ``day``; before the first entry, the first entry's rate."""
    if not table:
        raise ValueError("the VAT table is empty")
    rate = table[0][1]
    for start, entry_rate in table:
        if start > day:
            break
        rate = entry_rate
    return rate


def parse_vat_table(value: Any) -> VatTable:
    """Read the stored setting: a list of ``[from_date_iso, rate_pct]`` pairs.

    Raises:
        ValueError: with a message that says which entry is wrong and why.
    """
    if not isinstance(value, Sequence) or isinstance(value, str) or not value:
        raise ValueError("the VAT table must be a non-empty list of [from date, rate %] pairs")
    entries: list[tuple[dt.date, float]] = []
    for number, entry in enumerate(value, start=1):
        if not isinstance(entry, Sequence) or isinstance(entry, str) or len(entry) != 2:
            raise ValueError(f"VAT table entry {number} is not a [from date, rate %] pair")
        day, rate = entry
        try:
            start = dt.date.fromisoformat(str(day))
        except ValueError as exc:
            raise ValueError(f"VAT table entry {number}: '{day}' is not a date "
                             "(expected YYYY-MM-DD)") from exc
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 100:
            raise ValueError(f"VAT table entry {number}: the rate must be a % from 0 to 100")
        entries.append((start, float(rate)))
    entries.sort()
    if len({start for start, _rate in entries}) != len(entries):
        raise ValueError("the VAT table has two rates from the same date")
    return tuple(entries)


def vat_table_to_setting(table: VatTable) -> list[list[Any]]:
    """The stored form of ``table`` (inverse of ``parse_vat_table``)."""
    return [[start.isoformat(), rate] for start, rate in table]
