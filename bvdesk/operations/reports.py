"""Rendering a review's PDF reports, from the frozen snapshot once it is signed off.

A signed-off (locked) review's documents are those of its current ``SignOff`` row
(``signoff.signed_off_pdf``: the submission kept at sign-off, the other editions rendered from
the frozen snapshot with that sign-off's approver and date), the same bytes however often made;
a review in progress renders from a live snapshot with a DRAFT watermark. Every PDF written to a
file is recorded in the audit log with its SHA-256.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bvdesk.domain.review_document import (
    ReviewDocument,
)
from bvdesk.domain.vocabulary import Edition
from bvdesk.errors import InputRefused
from bvdesk.operations.outputs import write_bytes
from bvdesk.operations.progress import Progress
from bvdesk.operations.reviews import get_review
from bvdesk.operations.signoff import frozen_snapshot, signed_off_pdf, signoffs
from bvdesk.operations.snapshot import review_snapshot
from bvdesk.store import audit
from bvdesk.store.db import Database
from bvdesk.store.models import SignOff


@dataclass(frozen=True, slots=True)
class RenderedReport:
    path: Path
    sha256: str
    pages: int
    edition: str
    review_id: int
    version: int
    signed_off: bool

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "sha256": self.sha256, "pages": self.pages,
                "edition": self.edition, "review": self.review_id, "version": self.version,
                "signed_off": self.signed_off}


def prepare_rendering() -> None:
    """Register the reports' embedded fonts ahead of the first render (the app does this in
    its warm-up, so the first preview does not wait for them)."""
    from bvdesk.reports.base import register_fonts

    register_fonts()


def report_snapshot(db: Database, review_id: int) -> ReviewDocument:
    """The snapshot a report prints: the signed-off one for a locked review, else a live one.

    Raises:
        InputRefused: there is no such review.
    """
    with db.read() as session:
        review = get_review(session, review_id)
        if review.locked:
            signoff = session.scalars(
                select(SignOff).where(SignOff.review_id == review_id,
                                      SignOff.reopened_at.is_(None))
                .order_by(SignOff.version.desc(), SignOff.id.desc())).first()
            if signoff is not None and signoff.snapshot:
                return frozen_snapshot(signoff)
    return review_snapshot(db, review_id)


_CANCELLED = "The report was cancelled; nothing was saved."
_CANCELLED_EXPORT = "The export was cancelled; nothing was saved."


def _edition(edition: str) -> str:
    editions = [e.value for e in Edition]
    if edition not in editions:
        raise InputRefused(f"There is no '{edition}' edition: choose one of "
                           f"{', '.join(editions)}.")
    return edition


def render_bytes(db: Database, review_id: int, edition: str, *,
                 progress: Callable[[float], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> tuple[bytes, int]:
    """The PDF and its page count, without writing or recording it (the app's preview).

    Raises:
        InputRefused: no such review or edition.
        Cancelled: ``cancelled()`` became true.
    """
    reading, laying_out = Progress.of(progress, cancelled).steps(1, 4)
    pdf, pages, _version, _signed = _report(db, review_id, _edition(edition), reading, laying_out)
    return pdf, pages


def _report(db: Database, review_id: int, edition: str, reading: Progress,
            laying_out: Progress) -> tuple[bytes, int, int, bool]:
    """The ``edition`` PDF of the review, its page count, the version it is of and whether that
    is signed off: a signed-off review's as ``signoff.signed_off_pdf`` gives it (the submission
    as it was signed off), any other a draft rendered now."""
    with db.read() as session:
        review = get_review(session, review_id)
        signed = session.scalar(
            select(SignOff.version).where(SignOff.review_id == review_id,
                                          SignOff.reopened_at.is_(None))
            .order_by(SignOff.version.desc(), SignOff.id.desc())) if review.locked else None
    if signed is not None:
        reading.done()
        laying_out.check(_CANCELLED)
        pdf, pages = signed_off_pdf(db, review_id, signed, edition, progress=laying_out,
                                    cancelled=laying_out.cancelled)
        laying_out.done()
        return pdf, pages, signed, True
    snapshot = review_snapshot(db, review_id)
    reading.done()
    pdf, pages = _laid_out(snapshot, edition, laying_out)
    return pdf, pages, snapshot["review"].get("version", 1), False


def _laid_out(snapshot: ReviewDocument, edition: str, progress: Progress) -> tuple[bytes, int]:
    from bvdesk.reports import render  # reportlab, only to render (not to export)

    progress.check(_CANCELLED)
    pdf = render(snapshot, edition, progress=progress, cancelled=progress.cancelled)
    progress.done()
    return pdf


def render_report(db: Database, review_id: int, edition: str, output: Path | str, *,
                  progress: Callable[[float], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> RenderedReport:
    """Write the ``edition`` PDF of review ``review_id`` to ``output`` and audit it.

    The file is written beside the target and moved into place, so a failure leaves any earlier
    file untouched.

    Raises:
        InputRefused: no such review or edition.
        FileProblem: the file cannot be written.
        Cancelled: ``cancelled()`` became true (nothing was written).
    """
    reading, laying_out, writing = Progress.of(progress, cancelled).steps(1, 4, 1)
    pdf, pages, version, signed = _report(db, review_id, _edition(edition), reading, laying_out)
    path = Path(output)
    digest = _write_and_record(db, path, pdf, "report", review_id, edition)
    writing.done()
    return RenderedReport(path=path, sha256=digest, pages=pages, edition=edition,
                          review_id=review_id, version=version, signed_off=signed)


def render_signed_off(db: Database, review_id: int, version: int | None, edition: str,
                      output: Path | str) -> RenderedReport:
    """Write the PDF of signed-off ``version`` (default: the latest sign-off) to ``output`` and
    audit it: the same bytes every time, also after the review was reopened and changed.

    Raises:
        InputRefused: never signed off (that version), or no such edition.
        FileProblem: the file cannot be written.
    """
    pdf, pages = signed_off_pdf(db, review_id, version, _edition(edition))
    if version is None:
        version = signoffs(db, review_id)[-1].version
    path = Path(output)
    digest = _write_and_record(db, path, pdf, "report", review_id, edition)
    return RenderedReport(path=path, sha256=digest, pages=pages, edition=edition,
                          review_id=review_id, version=version, signed_off=True)


@dataclass(frozen=True, slots=True)
class ExportedWorkbook:
    path: Path
    sha256: str
    sheets: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "sha256": self.sha256, "sheets": list(self.sheets)}


def export_workbook(db: Database, review_id: int, output: Path | str, *,
                    progress: Callable[[float], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> ExportedWorkbook:
    """Write review ``review_id``'s figures to an Excel workbook at ``output`` and audit it.

    Raises:
        InputRefused: no such review.
        FileProblem: the file cannot be written.
        Cancelled: ``cancelled()`` became true (nothing was written).
    """
    from bvdesk.excel.review_export import review_workbook  # openpyxl, only to export

    reading, building, writing = Progress.of(progress, cancelled).steps(1, 3, 1)
    snapshot = report_snapshot(db, review_id)
    reading.done()
    reading.check(_CANCELLED_EXPORT)
    data, sheets = review_workbook(snapshot)
    building.done()
    building.check(_CANCELLED_EXPORT)
    path = Path(output)
    digest = _write_and_record(db, path, data, "export", review_id, "xlsx")
    writing.done()
    return ExportedWorkbook(path=path, sha256=digest, sheets=tuple(sheets))


def _write_and_record(db: Database, path: Path, data: bytes, action: str, review_id: int,
                      kind: str) -> str:
    """Write ``data`` through the one output writer and record its SHA-256 in the audit log
    (unless the database was opened read-only, when there is nowhere to record it); returns the
    digest."""
    write_bytes(path, data, database=db.path)
    digest = hashlib.sha256(data).hexdigest()
    if db.read_only:
        return digest
    with db.session() as session:
        audit.record(session.connection(), [audit.Change(
            action, "review", str(review_id), kind, None, digest)],
            user=db.user, at=db.clock())
    return digest
