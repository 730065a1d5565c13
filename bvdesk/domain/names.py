"""Normalising names so that the same landlord or column matches however it is written.

``match_key("Riverside Housing Association Ltd.")`` and ``match_key("RIVERSIDE HA Limited")``
are equal: case, spaces and punctuation are ignored, "Housing Association" is read as "HA",
"Limited" as "Ltd", "Saint" as "St" and "&" as "and".
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

_DELETED = re.compile(r"['’‘`.]")
_SEPARATORS = re.compile(r"[^0-9a-z]+")

#: Multi-word phrases replaced by one token before the tokens are joined.
_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("housing", "association"), "ha"),
    (("housing", "assoc"), "ha"),
    (("housing", "assn"), "ha"),
    (("limited",), "ltd"),
    (("saint",), "st"),
)


def _tokens(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", str(text))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    folded = folded.replace("&", " and ").replace("+", " and ")
    folded = _DELETED.sub("", folded)
    return [token for token in _SEPARATORS.split(folded) if token]


def match_key(name: str) -> str:
    """The key two spellings of the same organisation name share."""
    tokens = _tokens(name)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for phrase, replacement in _PHRASES:
            if tuple(tokens[i:i + len(phrase)]) == phrase:
                out.append(replacement)
                i += len(phrase)
                break
        else:
            out.append(tokens[i])
            i += 1
    return "".join(out)


def squash(text: object) -> str:
    """Lower-case letters and digits only: how column headings and codes are compared."""
    return "".join(_tokens(str(text)))


# --- column headings -------------------------------------------------------------------------

#: The units a heading may name, as the catalogue spells them.
_UNIT_WORDS = {"£": "pounds", "pounds": "pounds", "%": "percent", "percent": "percent",
               "percentage": "percent", "days": "days", "day": "days"}
_UNIT = "|".join(sorted(map(re.escape, _UNIT_WORDS), key=len, reverse=True))
_UNIT_AFTER = re.compile(rf"\s*\(\s*({_UNIT})\s*\)\s*$|(?<![\d\s])\s*(£|%)\s*$"
                         rf"|(?<=[^\d\s])\s+(%|£|days)\s*$", re.IGNORECASE)
_UNIT_BEFORE = re.compile(r"^\s*(%|£)\s*", re.IGNORECASE)
#: A qualifier after a spaced dash: "Rent collected - general needs".
_QUALIFIER = re.compile(r"\s+[-–—]\s+(?=\S)")
_JOINED = re.compile(r"(?<=\w)-(?=\w)")
#: Abbreviations landlords write, read as the words they stand for (on lower-case text).
_ABBREVIATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:av|avg|ave)\b\.?"), "average"),
    (re.compile(r"\b(?:no|nos|num)\.|\bno(?=\s+of\b)"), "number"),
    (re.compile(r"%|\bper\s*cent(?:age)?\b|\bpct\b"), " percentage "),
    (re.compile(r"\bper\s+(?:property|prop|dwelling|home|unit)\b\.?"), "per property"),
)


class Heading(NamedTuple):
    """What a column heading says, read as ``read_heading`` reads it."""

    #: The heading's words joined, without its unit: compared with ``heading_key`` of names.
    key: str
    #: The key without a qualifier after a dash, or None when there is none.
    stem: str | None
    #: "pounds", "percent" or "days" when the heading names its unit, else None.
    unit: str | None
    #: The heading's words (singular, without its unit), in any order.
    words: frozenset[str]


def read_heading(text: object) -> Heading:
    """Read a column heading as landlords write them.

    A unit written at either end ("(£)", "£", "%", "(days)", "days") is taken off and given
    apart; abbreviations are read as words ("Av."/"Avg" average, "No." number, "%" percentage,
    "&" and); "per dwelling", "per home" and "per unit" read as "per property"; a qualifier
    after a spaced dash is kept in ``key`` and dropped in ``stem``. "Av. re-let time (days)"
    has the key "averagerelettime" and the unit "days"; "Cost per home - responsive repairs £"
    the key "costperpropertyresponsiverepairs", the stem "costperproperty" and the unit "pounds".
    """
    written = str(text).strip()
    unit = None
    for pattern in (_UNIT_AFTER, _UNIT_BEFORE):
        found = pattern.search(written)
        if found is not None and found.group(0).strip():
            unit = _UNIT_WORDS[next(g for g in found.groups() if g).lower()]
            written = written[:found.start()] + written[found.end():]
    parts = _QUALIFIER.split(written, maxsplit=1)
    tokens = _heading_tokens(written)
    stem = "".join(_heading_tokens(parts[0])) if len(parts) > 1 else None
    return Heading("".join(tokens), stem or None, unit, frozenset(map(_singular, tokens)))


def heading_key(text: object) -> str:
    """The key a catalogue name or alias is found by: ``read_heading(text).key``."""
    return read_heading(text).key


def _heading_tokens(text: str) -> list[str]:
    lowered = _JOINED.sub("", str(text).lower())  # "re-let" is one word, as "relet"
    for pattern, words in _ABBREVIATIONS:
        lowered = pattern.sub(f" {words.strip()} ", lowered)
    return _tokens(lowered)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") \
        else word
