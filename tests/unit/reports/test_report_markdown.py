"""The methodology note's Markdown as report flowables."""

from __future__ import annotations

from reportlab.platypus import Paragraph, Table

from bvdesk.reports.base import Heading
from bvdesk.reports.markdown import flowables, inline
from bvdesk.reports.regulator import RegulatorSubmission

TEXT = """# Title

Intro with **bold** and `code` and a <tag> & more.

## 1. Steps

- first item
  continues here
- second item
1. numbered

| In force from | Rate |
|---|---|
| 1 April 1991 | 17.5% |
| 4 January 2011 | 20% |

After the table.
"""


def test_headings_bullets_tables_and_paragraphs(snapshot):
    story = flowables(RegulatorSubmission(snapshot), TEXT, top_level=1)
    kinds = [type(f).__name__ for f in story]
    assert kinds == ["Heading", "Paragraph", "Heading", "Paragraph", "Paragraph", "Paragraph",
                     "Table", "Paragraph"]
    headings = [f for f in story if isinstance(f, Heading)]
    assert [(h.outline_title, h.outline_level) for h in headings] == [
        ("Title", 1), ("1. Steps", 2)]
    bullets = [f for f in story if isinstance(f, Paragraph) and f.bulletText]
    assert [b.text for b in bullets] == ["first item continues here", "second item",
                                         "numbered"]
    table = next(f for f in story if isinstance(f, Table))
    assert len(table._cellvalues) == 3


def test_inline_markup_escapes_user_text_first():
    assert inline("**a** < b & `c`") == (
        '<b>a</b> &lt; b &amp; <font name="BVSansCondensed">c</font>')
    assert inline("2 * 3 * 4") == "2 * 3 * 4"
