"""Services and reviews: listing, creating and summarising them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bvdesk.domain.names import match_key
from bvdesk.domain.review_content import CHALLENGE_QUESTIONS
from bvdesk.domain.vocabulary import OptionKind, Stage
from bvdesk.errors import InputRefused, NoSuchReview
from bvdesk.operations.home_figures import ReviewSummary as ReviewSummary  # its home: the figures
from bvdesk.store.db import Database
from bvdesk.store.models import (
    ChallengeItem,
    Indicator,
    Review,
    ReviewIndicator,
    ServiceArea,
    TeamMember,
)


@dataclass(frozen=True, slots=True)
class ServiceSummary:
    id: int
    code: str
    name: str
    description: str
    reviews: int


@dataclass(frozen=True, slots=True)
class ReviewDetail:
    summary: ReviewSummary
    scope: str
    objectives: str
    team: tuple[tuple[str, str, bool], ...]
    indicators: tuple[tuple[str, str], ...]
    challenges_answered: int
    challenges: int
    consultations: int
    options: tuple[tuple[str, str], ...]
    actions: int
    judgements: int
    evidence: int
    signed_off_by: str | None
    signed_off_at: dt.datetime | None

    def to_json(self) -> dict[str, object]:
        return {**self.summary.to_json(), "scope": self.scope, "objectives": self.objectives,
                "team": [{"name": n, "role": r, "tenant": t} for n, r, t in self.team],
                "indicators": [{"code": c, "name": n} for c, n in self.indicators],
                "challenge": {"answered": self.challenges_answered, "questions": self.challenges},
                "consultations": self.consultations,
                "options": [{"name": n, "kind": k} for n, k in self.options],
                "actions": self.actions, "judgements": self.judgements,
                "evidence": self.evidence, "signed_off_by": self.signed_off_by,
                "signed_off_at": self.signed_off_at.isoformat() if self.signed_off_at else None}


def list_services(db: Database) -> list[ServiceSummary]:
    with db.read() as session:
        counts = dict(session.execute(
            select(Review.service_id, func.count(Review.id)).group_by(Review.service_id)).all())
        return [ServiceSummary(s.id, s.code, s.name, s.description, counts.get(s.id, 0))
                for s in session.scalars(select(ServiceArea).order_by(ServiceArea.name))]


def list_reviews(db: Database) -> list[ReviewSummary]:
    with db.read() as session:
        reviews = session.scalars(select(Review).options(selectinload(Review.service))
                                  .order_by(Review.id))
        return [_summary(r) for r in reviews]


def review_detail(db: Database, review_id: int) -> ReviewDetail:
    with db.read() as session:
        review = get_review(session, review_id)
        signoff = next((s for s in reversed(review.signoffs) if s.reopened_at is None), None)
        return ReviewDetail(
            summary=_summary(review), scope=review.scope, objectives=review.objectives,
            team=tuple((m.name, m.role, m.is_tenant) for m in review.team),
            indicators=tuple(sorted((link.indicator.code, link.indicator.name)
                                    for link in review.indicators)),
            challenges_answered=sum(1 for c in review.challenges if c.answer.strip()),
            challenges=len(review.challenges), consultations=len(review.consultations),
            options=tuple((o.name, OptionKind(o.kind).label) for o in review.options),
            actions=len(review.actions), judgements=len(review.judgements),
            evidence=len(review.evidence),
            signed_off_by=signoff.by if signoff and review.locked else None,
            signed_off_at=signoff.at if signoff and review.locked else None)


def create_review(db: Database, service: str, title: str,
                  indicators: Sequence[str] = (), *, scope: str = "",
                  team: Sequence[tuple[str, str, bool]] = (), uid: str | None = None) -> int:
    """Create a review of ``service`` (code or name) with the standard challenge questions.

    Raises:
        InputRefused: unknown service or indicator codes, or an empty title.
    """
    title = title.strip()
    if not title:
        raise InputRefused("The review needs a title.")
    with db.session() as session:
        found = find_service(session, service)
        codes = [c.strip() for c in indicators if c.strip()]
        known = {i.code.lower(): i for i in session.scalars(
            select(Indicator).where(func.lower(Indicator.code).in_([c.lower() for c in codes])))}
        unknown = [c for c in codes if c.lower() not in known]
        if unknown:
            raise InputRefused(f"Unknown indicator {'code' if len(unknown) == 1 else 'codes'}: "
                               f"{', '.join(unknown)}. Choose codes from the catalogue of "
                               "indicators.")
        review = Review(service_id=found.id, title=title, scope=scope, stage=Stage.SCOPE.value,
                        created_at=db.clock(), start_date=db.clock().date())
        if uid is not None:
            review.uid = uid
        review.indicators = [ReviewIndicator(indicator_id=known[c.lower()].id) for c in codes]
        review.challenges = [ChallengeItem(question=q, is_standard=True, position=i)
                             for i, q in enumerate(CHALLENGE_QUESTIONS)]
        review.team = [TeamMember(name=n, role=r, is_tenant=t, position=i)
                       for i, (n, r, t) in enumerate(team)]
        session.add(review)
        session.flush()
        return review.id


def find_service(session: Session, service: str) -> ServiceArea:
    key = match_key(service)
    for candidate in session.scalars(select(ServiceArea)):
        if key in (match_key(candidate.code), match_key(candidate.name)):
            return candidate
    # By code and name, as either is taken: "repairs (Responsive repairs)".
    names = "; ".join(f"{code} ({name})" for code, name in session.execute(
        select(ServiceArea.code, ServiceArea.name).order_by(ServiceArea.code)))
    raise InputRefused(f"There is no service '{service}'. Give a service's code or name: "
                       f"{names}.")


#: The largest id a database column holds (a signed 64-bit integer, on SQLite and PostgreSQL).
MAX_ID = 2**63 - 1


def get_review(session: Session, review_id: int) -> Review:
    """The review with ``review_id``; ``NoSuchReview`` when there is none (or the id is one no
    database could hold)."""
    review = session.get(Review, review_id) if 0 < review_id <= MAX_ID else None
    if review is None:
        raise NoSuchReview(review_id)
    return review


def _summary(review: Review) -> ReviewSummary:
    stage = Stage(review.stage)
    return ReviewSummary(review.id, review.title, review.service.name, review.service.code,
                         stage.value, stage.label, review.version, review.locked,
                         review.start_date, review.end_date)
