"""Normalising names so that the same landlord or column matches however it is written.

``match_key("Riverside Housing Association Ltd.")`` and ``match_key("RIVERSIDE HA Limited")``
are equal: case, spaces and punctuation are ignored, "Housing Association" is read as "HA",
"Limited" as "Ltd", "Saint" as "St" and "&" as "and".
"""

from __future__ import annotations

import re
import unicodedata

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
