"""Flesch reading ease, computed offline: a small syllable counter, no pronunciation data.

Used to hold the tenant summary to plain English (60 or more: easily understood by most
adults). The syllable count is the usual vowel-group rule with the common English endings
corrected; it is within a syllable of a dictionary for almost all everyday words.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """The number of syllables in ``word`` (at least one)."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    if len(w) <= 3:
        return 1
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")):
        w = w[:-1]  # silent e: "home", "rate"
    elif w.endswith(("es", "ed")) and not w.endswith(("ted", "ded", "ses", "zes", "ces",
                                                      "ges", "xes", "shes", "ches")):
        w = w[:-2]  # "homes", "asked"
    return max(1, len(_VOWEL_GROUPS.findall(w)))


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(text: str) -> int:
    """The number of sentences: ends of sentences, and a last one without a full stop."""
    found = len(_SENTENCE_END.findall(text))
    tail = _SENTENCE_END.split(text)[-1].strip()
    return found + (1 if words(tail) else 0)


def flesch_reading_ease(text: str) -> float:
    """206.835 - 1.015 x (words per sentence) - 84.6 x (syllables per word).

    Raises:
        ValueError: text without words.
    """
    found = words(text)
    if not found:
        raise ValueError("there are no words to measure")
    per_sentence = len(found) / max(1, sentences(text))
    per_word = sum(syllables(w) for w in found) / len(found)
    return 206.835 - 1.015 * per_sentence - 84.6 * per_word
