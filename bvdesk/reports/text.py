"""Making user text safe for reportlab paragraphs, and formatting numbers for print.

Everything a person typed goes through ``safe``: control characters are dropped, ``<``, ``&`` and
``>`` are escaped so they print as themselves, and line breaks become ``<br/>``. Very long words
are left to the paragraph styles (``splitLongWords``) and tables (``splitInRow``), so they wrap
instead of breaking the layout.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from xml.sax.saxutils import escape

from bvdesk.domain.livefigures import fixed, format_measure, trimmed
from bvdesk.domain.years import FinancialYear

#: Characters kept although their Unicode category is "other": tab and line breaks.
_KEEP = {"\t", "\n"}


def clean(text: object) -> str:
    """``text`` as a string without control, surrogate or unassigned characters."""
    if text is None:
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in value
                   if ch in _KEEP or unicodedata.category(ch) not in ("Cc", "Cs", "Cn", "Co"))


def safe(text: object) -> str:
    """User text as paragraph markup that prints exactly what was typed."""
    return escape(clean(text)).replace("\t", " ").replace("\n", "<br/>")


def plain_lines(text: object) -> list[str]:
    """Non-empty paragraphs of user text, split on blank lines."""
    return [part.strip() for part in clean(text).split("\n\n") if part.strip()]


_UNIT_SUFFIX = {"percent": "%", "days": " days", "sap": ""}


def number(value: float | None, decimals: int = 0) -> str:
    """``1,234.5`` style; an en dash for a missing value."""
    if value is None:
        return "–"
    return fixed(value, decimals)


def entered(value: float | None, most: int = 2) -> str:
    """A number as it was typed, to at most ``most`` places: a score of 6.5 is ``6.5``, not
    ``7``, and 8 is ``8``; an en dash for a missing value."""
    return "–" if value is None else trimmed(value, most)


def measure(value: float | None, unit: str, decimals: int = 1) -> str:
    """A value in an indicator's unit, to its number of decimals: ``29.38%``, ``£1,234.50``
    (as a live figure prints it: ``domain.livefigures.format_measure``)."""
    if value is None:
        return "–"
    return format_measure(value, unit, decimals)


def gap(value: float | None, unit: str, decimals: int = 1) -> str:
    """A signed difference in an indicator's unit; ``percent`` gaps are percentage points."""
    if value is None:
        return "–"
    if unit == "percent":
        return f"{fixed(value, decimals, sign=True)} pts"
    if unit == "pounds":
        sign = "+" if value >= 0 else "-"
        return f"{sign}£{fixed(abs(value), decimals)}"
    return fixed(value, decimals, sign=True) + _UNIT_SUFFIX.get(unit, "")


def brief(text: object, limit: int = 400) -> str:
    """User text cut to ``limit`` characters with an ellipsis, for documents with a page
    limit."""
    value = clean(text)
    return value if len(value) <= limit else value[:limit].rstrip() + "…"


def money(value: float | None, decimals: int = 0) -> str:
    """Pounds sterling with thousands separators: ``£1,234,567``; negatives as ``-£12``."""
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    return f"{sign}£{fixed(abs(value), decimals)}"


def pct(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "–"
    return f"{fixed(value, decimals)}%"


def long_date(value: str | dt.date | dt.datetime | None) -> str:
    """``26 November 2026`` from an ISO date string or date; an en dash when missing."""
    if not value:
        return "–"
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return f"{day.day} {day:%B %Y}"


def financial_year(start: int | None) -> str:
    """``2005/06`` for the year starting April 2005."""
    if start is None:
        return "–"
    return str(FinancialYear(start))
