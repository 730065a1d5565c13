"""The names bvdesk suggests for the files it saves, the same in the app and on the command line.

A saved document is named so that it can be recognised in a folder of many:
``Northvale Homes - Responsive repairs review 2009-10 - regulator submission.pdf`` (the
landlord, the service reviewed, the financial year the review started in, and what it is).
"""

from __future__ import annotations

import re

from bvdesk.domain.vocabulary import Edition
from bvdesk.domain.years import FinancialYear
from bvdesk.errors import InputRefused
from bvdesk.operations.landlord import get_landlord
from bvdesk.operations.reviews import get_review
from bvdesk.store.db import Database

#: What each saved document is called, in the file name.
DOCUMENTS = {Edition.REGULATOR.value: "regulator submission",
             Edition.BOARD.value: "board paper",
             Edition.TENANT.value: "tenant summary",
             "workbook": "review workbook"}
SUFFIXES = {"workbook": ".xlsx"}

#: Characters Windows does not allow in a file name (and control characters).
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_name(text: str) -> str:
    """``text`` usable as a file name on Windows, macOS and Linux: unsafe characters become
    hyphens, spaces are tidied, and it does not end in a dot or a space."""
    cleaned = _UNSAFE.sub("-", text)
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .-")
    return cleaned or "bvdesk"


def review_file_name(db: Database, review_id: int, document: str) -> str:
    """The suggested file name for one of a review's documents (an edition, or "workbook").

    Raises:
        InputRefused: an unknown document, or no such review.
    """
    if document not in DOCUMENTS:
        raise InputRefused(f"There is no '{document}' document: choose one of "
                           f"{', '.join(DOCUMENTS)}.")
    landlord = get_landlord(db).name
    with db.read() as session:
        review = get_review(session, review_id)
        service = review.service.name
        started = review.start_date or review.created_at.date()
    year = str(FinancialYear.containing(started)).replace("/", "-")
    stem = f"{landlord} - {service} review {year} - {DOCUMENTS[document]}"
    return safe_name(stem) + SUFFIXES.get(document, ".pdf")
