"""The tenant summary's first page goes on from "How we compare" to the first chart, kept with
its heading, rather than leaving the rest of the page blank when the chart only just misses."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from bvdesk.domain.review_document import ReviewDocument
from bvdesk.operations.snapshot import review_snapshot
from bvdesk.reports import render
from bvdesk.store.db import Database

#: The demo's repairs review; its indicator with the longest name and sentence.
REVIEW = 1
LONG = "BV72"


@pytest.fixture
def document(demo_db_path: Path) -> Iterator[ReviewDocument]:
    with Database.open(demo_db_path, write=False) as db:
        yield review_snapshot(db, REVIEW)


def _pages(document: ReviewDocument) -> list[str]:
    pdf, _ = render(document, "tenant")
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_page_one_holds_the_first_chart_when_its_name_runs_to_two_lines(
        document: ReviewDocument) -> None:
    rows = document["compare"]["indicators"]
    first = next(r for r in rows if r["code"] == LONG)
    document["compare"]["indicators"] = [first, *(r for r in rows if r is not first)]

    page_one, page_two = _pages(document)[:2]
    assert "How we compare with other landlords" in page_one
    heading = "Urgent repairs completed within the time limits set by the government"
    # The chart is on page 1 with its heading, sentence and league table.
    assert heading in page_one and "Place Landlord Result" in page_one
    assert f"Our result was {first['value']:.1f}%" in page_one
    assert heading not in page_two
