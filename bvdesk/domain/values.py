"""Reading one indicator value from whatever a spreadsheet cell holds.

Numbers pass through. Text is read as a number after removing thousands separators, ``£``,
``%``, a trailing ``days`` (``12.5 days``), stray spaces and a Unicode minus; accounting
brackets ``(123)`` mean -123. Markers such as ``n/a``, ``-``, ``–``, ``*`` and blank mean
*missing*: never zero.
"""

from __future__ import annotations

import datetime as dt
import math
import re

#: Text that means "no value" (compared after lower-casing and trimming).
MISSING_MARKERS = frozenset({
    "", "n/a", "na", "n.a.", "n.a", "n/k", "nk", "n/d", "nd", "-", "--", "–", "—", "*", "**",
    "..", "...", "…", "?", "x", "none", "null", "#n/a", "not available", "not known",
    "no data", "no return", "not applicable", "missing", "blank", "nr",
})
_YES = frozenset({"yes", "y", "true"})
_NO = frozenset({"no", "n", "false"})
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_MINUSES = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\ufe63": "-",
                          "\uff0d": "-"})
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
#: A unit written after the figure, as returns often give a re-let or repair time.
_DAYS = re.compile(r"(?<=[\d.)])days?$", re.IGNORECASE)


class Missing:
    """The single *missing* marker value (a cell with no data)."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING = Missing()


def shown(text: object, limit: int = 60) -> str:
    """``text`` quoted for a message, cut short when long (a cell may hold megabytes)."""
    value = str(text)
    if len(value) <= limit:
        return f"'{value}'"
    return f"'{value[:limit]}...' ({len(value):,} characters)"


def is_missing_marker(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return _SPACES.sub(" ", raw).strip().lower() in MISSING_MARKERS
    return False


def parse_number(raw: object, *, yes_no: bool = False) -> float | Missing:
    """The number a cell holds, ``MISSING``, or a ``ValueError`` saying what is wrong.

    Args:
        raw: the cell's value (number, text, bool, None...).
        yes_no: also read Yes/No (and True/False) as 1/0, for yes/no indicators.
    """
    if raw is None:
        return MISSING
    if isinstance(raw, bool):
        if yes_no:
            return 1.0 if raw else 0.0
        raise ValueError(f"{raw} is not a number")
    if isinstance(raw, (int, float)):
        number = float(raw)
        if not math.isfinite(number):
            raise ValueError(f"{raw} is not a finite number")
        return number
    if isinstance(raw, (dt.date, dt.datetime, dt.time)):
        raise ValueError(f"a date ({raw}) is not a value")
    text = _SPACES.sub(" ", str(raw)).strip()
    lowered = text.lower()
    if lowered in MISSING_MARKERS:
        return MISSING
    if yes_no and lowered in _YES:
        return 1.0
    if yes_no and lowered in _NO:
        return 0.0
    return _parse_text(text)


def _parse_text(text: str) -> float:
    body = text.translate(_MINUSES).replace(" ", "").replace("£", "").replace("%", "")
    body = _DAYS.sub("", body)
    negative = False
    if body.startswith("(") and body.endswith(")"):
        negative, body = True, body[1:-1]
    if body.startswith("-") and negative:
        raise ValueError(f"{shown(text)} is not a number")
    if "," in body:
        if not _GROUPED.match(body):
            raise ValueError(f"{shown(text)} is not a number (commas must separate thousands)")
        body = body.replace(",", "")
    if not _NUMBER.match(body):
        raise ValueError(f"{shown(text)} is not a number")
    number = float(body)
    if not math.isfinite(number):
        raise ValueError(f"{shown(text)} is too large a number")
    return -number if negative else number
