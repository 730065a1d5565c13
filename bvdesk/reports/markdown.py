"""The simple Markdown of docs/methodology.md as report flowables.

Understood: ``#`` headings, paragraphs, ``-``/``*`` bullets, numbered items, ``|`` tables with a
separator row, ``**bold**``, ``*italic*`` and ```code```. Anything else prints as plain text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from reportlab.platypus import Flowable, Paragraph

from bvdesk.reports.text import clean, safe

if TYPE_CHECKING:
    from bvdesk.reports.base import ReportRenderer

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}")


_SUBSCRIPT = re.compile(r"\b([A-Za-z]{1,2})_([A-Za-z0-9]{1,2})\b")
_POWER = re.compile(r"\^(-?[A-Za-z0-9]+(?:\.[0-9]+)?)")
_TIMES = re.compile(r"(?<=[\w)%£.>]) x (?=[\w(£.])")
#: A line on its own that is a formula: ``DF_t = 1 / (...)``, ``q_i = ...``, ``T_i(w) = ...``.
_FORMULA = re.compile(r"^[A-Za-z]{1,3}(?:_[A-Za-z0-9]{1,2})?(?:\([a-z]\))?\s*=\s*\S")


def typeset(markup: str) -> str:
    """ASCII formula notation as a reader expects it: ``DF_t`` with a subscript, ``(1 + r)^-t``
    with a superscript, ``x`` as a multiplication sign and a spaced hyphen as a minus sign."""
    out = _SUBSCRIPT.sub(r"\1<sub>\2</sub>", markup)
    out = _POWER.sub(lambda m: f"<super>{m.group(1).replace('-', '−')}</super>", out)
    out = _TIMES.sub(" × ", out)
    return out.replace(" - ", " − ")


def inline(text: str) -> str:
    """Escape ``text``, typeset its formulas (outside code spans) and turn its bold, italic and
    code spans into paragraph markup."""
    pieces = safe(text).split("`")
    out = "`".join(piece if i % 2 else typeset(piece) for i, piece in enumerate(pieces))
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    out = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", out)
    return re.sub(r"`([^`]+)`", r'<font name="BVSansCondensed">\1</font>', out)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def flowables(renderer: ReportRenderer, text: str, *, top_level: int = 1) -> list[Flowable]:
    """Flowables for ``text``; ``#`` headings become outline level ``top_level``."""
    story: list[Flowable] = []
    paragraph: list[str] = []
    bullet: list[str] = []
    lines = clean(text).splitlines()

    def flush() -> None:
        if paragraph:
            display = len(paragraph) == 1 and _FORMULA.match(paragraph[0]) is not None
            story.append(Paragraph(inline(" ".join(paragraph)),
                                   renderer.styles["Formula" if display else "Body"]))
            paragraph.clear()
        if bullet:
            story.append(Paragraph(inline(" ".join(bullet)), renderer.styles["Bullet"],
                                   bulletText="•"))
            bullet.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        heading = _HEADING.match(line)
        if not line.strip():
            flush()
        elif heading:
            flush()
            level = top_level + len(heading.group(1)) - 1
            story.append(renderer.heading(heading.group(2).strip().strip("#").strip(), level))
        elif line.lstrip().startswith("|") and i + 1 < len(lines) \
                and _SEPARATOR.match(lines[i + 1]):
            flush()
            header = _cells(line)
            rows = []
            i += 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append((_cells(lines[i]) + [""] * len(header))[: len(header)])
                i += 1
            widths = [1 / len(header)] * len(header)
            story.append(renderer.table(header, [[Paragraph(inline(c), renderer.styles["Cell"])
                                                  for c in row] for row in rows], widths))
            continue
        elif _BULLET.match(line):
            flush()
            bullet.append(_BULLET.match(line).group(1))  # type: ignore[union-attr]
        elif bullet and line[:1].isspace():
            bullet.append(line.strip())
        else:
            if bullet:
                flush()
            paragraph.append(line.strip())
        i += 1
    flush()
    return story
