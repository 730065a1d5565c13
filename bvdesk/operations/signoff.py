"""Signing a review off, and reopening it as a new version.

At sign-off the review is frozen: its snapshot (``operations.snapshot.review_snapshot``) is stored
on the ``SignOff`` row with the submission rendered from it (the PDF itself, so the submission
delivered later is byte for byte the one signed off, whatever later versions of bvdesk print),
and the audit hook refuses any change to the review or anything under it. Reopening keeps the
``SignOff`` row, its snapshot and its submission, so the signed-off version stays available,
and starts the next version. The board's
approval belongs to the version it approved: it stays in that version's snapshot, and the new
version awaits the board's approval again (the readiness check asks for it, the drafts say so).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from bvdesk.domain.review_document import (
    ReviewDocument,
)
from bvdesk.domain.vocabulary import Edition
from bvdesk.errors import InputRefused
from bvdesk.operations.readiness import NotReady, check_review
from bvdesk.operations.reviews import get_review
from bvdesk.operations.snapshot import review_snapshot
from bvdesk.store.db import Database
from bvdesk.store.models import Review, SignOff

#: The edition that is the submission: kept as signed off.
SUBMISSION = Edition.REGULATOR.value


@dataclass(frozen=True, slots=True)
class SignOffRecord:
    """One sign-off of one version of a review."""

    review_id: int
    version: int
    by: str
    at: dt.datetime
    note: str
    reopened_by: str | None
    reopened_at: dt.datetime | None
    reopen_reason: str | None
    #: Why it was signed off with readiness items outstanding (None: there were none).
    override_reason: str | None = None
    #: What was outstanding when it was signed off.
    outstanding: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"review": self.review_id, "version": self.version, "by": self.by,
                "at": self.at.isoformat(), "note": self.note, "reopened_by": self.reopened_by,
                "reopened_at": self.reopened_at.isoformat() if self.reopened_at else None,
                "reopen_reason": self.reopen_reason, "override_reason": self.override_reason,
                "outstanding": list(self.outstanding)}


def sign_off(db: Database, review_id: int, by: str, note: str = "",
             override_reason: str = "") -> SignOffRecord:
    """Sign ``review_id`` off as its current version and freeze it.

    The readiness check (``operations.readiness``) must be clean, unless ``override_reason``
    says why the approver signs off anyway: the reason is kept on the sign-off (and so in the
    audit log), and the frozen document lists what was outstanding, for the submission.

    Raises:
        NotReady: items are outstanding and no override reason was given (nothing is written).
        InputRefused: no such review, no name given, or it is already signed off.
    """
    by = _required(by, "the name of the person signing off", "by")
    reason = (override_reason or "").strip()
    _unlocked(db, review_id)
    with db.session() as session:
        # The review's row is held first, so the version frozen is the one locked: a colleague's
        # edit already saving is waited for and frozen with it, and one saving later waits for
        # this sign-off and is then refused as signed off (store.audit takes the row for share).
        session.execute(select(Review.id).where(Review.id == review_id).with_for_update())
        review = get_review(session, review_id)
        if review.locked:
            raise _already_signed(session, review)
        snapshot = review_snapshot(db, review_id)
        outstanding = check_review(db, review_id, snapshot).outstanding
        if outstanding and not reason:
            raise NotReady(review_id, outstanding)
        stored = {**snapshot, "outstanding": list(outstanding)} if outstanding else snapshot
        review.locked = True
        record = SignOff(review_id=review.id, version=review.version, by=by, at=db.clock(),
                         note=note.strip(), snapshot=stored,
                         override_reason=reason if outstanding else None)
        record.submission, record.submission_pages = _render(frozen_snapshot(record),
                                                             SUBMISSION)
        session.add(record)
        session.flush()
        return _record(record)


def reopen(db: Database, review_id: int, by: str, reason: str) -> SignOffRecord:
    """Reopen a signed-off review as the next version; the sign-off and its snapshot are kept.

    The board approved the version signed off, not the next one: its approval date and minute
    reference stay in that version's snapshot and are cleared on the review, so the new version
    is not approved until the board's new approval is recorded.

    Returns the sign-off that was reopened.

    Raises:
        InputRefused: no such review, no name or reason given, or it is not signed off.
    """
    by = _required(by, "the name of the person reopening it", "by")
    reason = _required(reason, "the reason for reopening it", "reason")
    with db.session(allow_locked=True) as session:
        review = get_review(session, review_id)
        current = _current_signoff(session, review)
        if not review.locked or current is None:
            raise InputRefused(f"Review {review_id} is not signed off, so there is nothing to "
                               "reopen; it can be changed as it is.")
        review.locked = False
        review.version = review.version + 1
        review.board_approval_date = None
        review.board_minute_ref = ""
        current.reopened_by = by
        current.reopened_at = db.clock()
        current.reopen_reason = reason
        session.flush()
        return _record(current)


def signoffs(db: Database, review_id: int) -> list[SignOffRecord]:
    """Every sign-off of the review, oldest first (reopened ones included)."""
    with db.read() as session:
        get_review(session, review_id)
        rows = session.scalars(select(SignOff).where(SignOff.review_id == review_id)
                               .order_by(SignOff.version, SignOff.id))
        return [_record(row) for row in rows]


def signed_off_snapshot(db: Database, review_id: int, version: int | None = None
                        ) -> ReviewDocument:
    """The frozen snapshot of a signed-off version (default: the latest sign-off), with the
    sign-off it carries (``signoff``: by, at, version, note), as the submission prints it.

    Raises:
        InputRefused: the review, or that version of it, was never signed off.
    """
    with db.read() as session:
        return frozen_snapshot(_signed_off(session, review_id, version))


def frozen_snapshot(row: SignOff) -> ReviewDocument:
    """A sign-off's stored snapshot with the sign-off itself, as the submission prints it."""
    stored = dict(row.snapshot)
    outstanding = stored.pop("outstanding", [])
    frozen = cast(ReviewDocument, stored)
    frozen["signoff"] = {"by": row.by, "at": row.at.isoformat(), "version": row.version,
                         "note": row.note, "override_reason": row.override_reason or "",
                         "outstanding": outstanding}
    return frozen


def signed_off_pdf(db: Database, review_id: int, version: int | None = None,
                   edition: str = SUBMISSION, *,
                   progress: Callable[[float], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> tuple[bytes, int]:
    """The ``edition`` PDF of signed-off ``version`` (default: the latest sign-off) and its page
    count: the same bytes every time, also after the review has been reopened and changed.

    The submission (the regulator edition) is the one kept at sign-off, whatever this version
    of bvdesk would print; a sign-off made before bvdesk kept it, and the board paper and the
    tenant summary, are rendered from the frozen snapshot. The screen, the command line and
    every saved file read signed-off documents here.

    Raises:
        InputRefused: never signed off (that version), or no such edition.
        Cancelled: ``cancelled()`` became true while rendering.
    """
    if edition not in (e.value for e in Edition):
        raise InputRefused(f"There is no '{edition}' edition: choose one of "
                           f"{', '.join(e.value for e in Edition)}.")
    with db.read() as session:
        row = _signed_off(session, review_id, version)
        kept = row.submission if edition == SUBMISSION else None
        if kept is not None and row.submission_pages is not None:
            return kept, row.submission_pages
        snapshot = frozen_snapshot(row)
    return _render(snapshot, edition, progress=progress, cancelled=cancelled)


# --- helpers ---------------------------------------------------------------------------------


class MissingValue(InputRefused):
    """Something the user must give was left blank; ``field`` names it (``by``, ``reason``),
    for a caller that asks for it its own way (the command line's flags)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _required(value: str, what: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise MissingValue(f"Give {what}.", field)
    return value


def _signed_off(session: Session, review_id: int, version: int | None) -> SignOff:
    """The sign-off of ``version`` of the review (default: the latest).

    Raises:
        InputRefused: the review, or that version of it, was never signed off.
    """
    get_review(session, review_id)
    query = select(SignOff).where(SignOff.review_id == review_id)
    if version is not None:
        query = query.where(SignOff.version == version)
    row = session.scalars(query.order_by(SignOff.version.desc(), SignOff.id.desc())).first()
    if row is None:
        which = f"version {version} of review {review_id}" if version is not None else \
            f"review {review_id}"
        raise InputRefused(f"There is no sign-off of {which}.")
    return row


def _render(snapshot: ReviewDocument, edition: str, *,
            progress: Callable[[float], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> tuple[bytes, int]:
    from bvdesk.reports import render  # reportlab, only to render

    return render(snapshot, edition, progress=progress, cancelled=cancelled)


def _unlocked(db: Database, review_id: int) -> None:
    with db.read() as session:
        review = get_review(session, review_id)
        if review.locked:
            raise _already_signed(session, review)


def _current_signoff(session: Session, review: Review) -> SignOff | None:
    return session.scalars(
        select(SignOff).where(SignOff.review_id == review.id, SignOff.reopened_at.is_(None))
        .order_by(SignOff.id.desc())).first()


class AlreadySignedOff(InputRefused):
    """The review's current version is signed off already."""


def _already_signed(session: Session, review: Review) -> InputRefused:
    current = _current_signoff(session, review)
    who = (f" by {current.by} on {current.at.day} {current.at:%B %Y}" if current is not None
           else "")
    return AlreadySignedOff(f"Review {review.id} (version {review.version}) is already signed "
                            f"off{who}. Reopen it first to sign off a new version.")


def _record(row: SignOff) -> SignOffRecord:
    return SignOffRecord(row.review_id, row.version, row.by, row.at, row.note, row.reopened_by,
                         row.reopened_at, row.reopen_reason, row.override_reason,
                         tuple((row.snapshot or {}).get("outstanding", ())))
