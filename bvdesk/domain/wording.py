"""Plain-English counting, shared by the documents, the command line and the app."""

from __future__ import annotations


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``1 action``, ``3 actions``, ``1,200 homes``; ``plural`` for irregular words."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"
