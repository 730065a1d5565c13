"""SQLAlchemy models: one landlord's Best Value work.

Portable across dialects: nothing here is SQLite-only (engine set-up lives in ``db.py``).
Enumerated columns store the ``bvdesk.domain.vocabulary`` values as plain strings, and yearly
amounts are JSON lists, so the same schema runs on a PostgreSQL server for teams.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    declared_attr,
    mapped_column,
    object_session,
    relationship,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, list[str]: JSON,
                           list[float]: JSON}

    #: The review that owns a row, for sign-off locking; ``None`` for rows outside any review.
    def owning_review_id(self) -> int | None:
        return None


def table_of(model: type[Base]) -> Table:
    """The table ``model`` is mapped to, for Core inserts, updates and deletes (SQLAlchemy types
    ``__table__`` as any FROM clause; every bvdesk model maps one table)."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


def _option_review_id(row: Any) -> int | None:
    """The review of a row under an option (cost line, risk, score), also for a new row added
    by ``option_id`` alone, whose ``option`` relationship is not loaded yet."""
    loaded: Option | None = row.option
    if loaded is not None:
        return loaded.review_id
    session = object_session(row)
    if row.option_id is None or session is None:
        return None
    with session.no_autoflush:
        option = session.get(Option, row.option_id)
    return option.review_id if option is not None else None


class Versioned:
    """Mixin for rows a user edits: ``row_version`` is checked and incremented by every UPDATE
    (SQLAlchemy's ``version_id_col``), so a save based on a row that a colleague has changed since
    is refused (``StaleDataError``) instead of silently overwriting their change."""

    row_version: Mapped[int] = mapped_column(Integer, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.row_version}  # type: ignore[attr-defined]


class ReviewOwned:
    """Mixin for rows that belong to a review directly."""

    review_id: Mapped[int]

    def owning_review_id(self) -> int | None:
        return self.review_id


# --- Organisations, indicators and values -------------------------------------------------


class Organisation(Versioned, Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(default=list)
    org_type: Mapped[str] = mapped_column(String(30), default="housing_association")
    region: Mapped[str | None] = mapped_column(String(60))
    stock_band: Mapped[str | None] = mapped_column(String(20))
    homes: Mapped[int | None] = mapped_column(Integer)
    #: True for the landlord whose database this is (exactly one row).
    is_self: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Normalised name, for matching imported rows (see ``domain.names``).
    match_key: Mapped[str] = mapped_column(String(200), index=True)
    #: How tenants reach the landlord and take part (printed in the tenant summary).
    contact_address: Mapped[str] = mapped_column(Text, default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(120), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    get_involved: Mapped[str] = mapped_column(Text, default="")


class ServiceArea(Versioned, Base):
    """A housing service: responsive repairs, voids and lettings, rent collection..."""

    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")


class Indicator(Versioned, Base):
    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(default=list)
    definition: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(20))
    polarity: Mapped[str] = mapped_column(String(10))
    decimals: Mapped[int] = mapped_column(Integer, default=1)
    framework: Mapped[str] = mapped_column(String(40), default="")
    #: First and last financial year (start year) the definition is valid for; None = open.
    valid_from: Mapped[int | None] = mapped_column(Integer)
    valid_to: Mapped[int | None] = mapped_column(Integer)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="SET NULL"))
    is_custom: Mapped[bool] = mapped_column(Boolean, default=False)

    service: Mapped[ServiceArea | None] = relationship()

    __table_args__ = (
        CheckConstraint("polarity in ('higher', 'lower')", name="polarity"),
    )


class IndicatorValue(Versioned, Base):
    __tablename__ = "indicator_value"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Not indexed alone: the unique (organisation, indicator, year) index leads with it.
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    #: Financial year by its start year (2000 for 2000/01).
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    source_file: Mapped[str | None] = mapped_column(String(260))
    imported_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: Not indexed: no value is looked up by its run, and a run is never deleted.
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_run.id", ondelete="SET NULL"))
    quality_note: Mapped[str] = mapped_column(Text, default="")

    organisation: Mapped[Organisation] = relationship()
    indicator: Mapped[Indicator] = relationship()

    __table_args__ = (UniqueConstraint("organisation_id", "indicator_id", "year"),)


class ImportRun(Base):
    """One import of a file: what came in, when, and with what result."""

    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(260))
    sha256: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    by: Mapped[str] = mapped_column(String(120))
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ImportProfile(Versioned, Base):
    """A saved column mapping for the import wizard."""

    __tablename__ = "import_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    mapping: Mapped[dict[str, Any]] = mapped_column(default=dict)


class PeerGroup(Versioned, Base):
    __tablename__ = "peer_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    #: Membership by rule, e.g. {"org_type": ["housing_association"], "region": ["London"]};
    #: None when the group is a fixed list of members.
    rule: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    members: Mapped[list[PeerGroupMember]] = relationship(
        cascade="all, delete-orphan", back_populates="group")


class PeerGroupMember(Base):
    __tablename__ = "peer_group_member"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("peer_group.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)

    group: Mapped[PeerGroup] = relationship(back_populates="members")
    organisation: Mapped[Organisation] = relationship()


class Setting(Versioned, Base):
    """Landlord-wide settings kept with the data (persistence rule, VAT and discount tables...)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


# --- Reviews ----------------------------------------------------------------------------------


class Review(Versioned, Base):
    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable identifier across databases, for exchanging review packages.
    uid: Mapped[str] = mapped_column(String(36), unique=True,
                                     default=lambda: str(uuid.uuid4()))
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(30), default="scope")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    #: Context for the submission: stock, tenants, budget.
    context: Mapped[dict[str, Any]] = mapped_column(default=dict)
    board_approval_date: Mapped[dt.date | None] = mapped_column(Date)
    board_minute_ref: Mapped[str] = mapped_column(String(80), default="")
    #: The board meeting the board paper goes to, who wrote it and its agenda item.
    board_meeting_date: Mapped[dt.date | None] = mapped_column(Date)
    board_paper_author: Mapped[str] = mapped_column(String(120), default="")
    board_agenda_ref: Mapped[str] = mapped_column(String(40), default="")
    vfm_statement: Mapped[str] = mapped_column(Text, default="")
    #: Incremented each time a signed-off review is reopened.
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: True once signed off: the review and everything under it are read-only.
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    service: Mapped[ServiceArea] = relationship()
    team: Mapped[list[TeamMember]] = relationship(
        cascade="all, delete-orphan", order_by="TeamMember.position")
    indicators: Mapped[list[ReviewIndicator]] = relationship(cascade="all, delete-orphan")
    challenges: Mapped[list[ChallengeItem]] = relationship(
        cascade="all, delete-orphan", order_by="ChallengeItem.position")
    consultations: Mapped[list[ConsultationActivity]] = relationship(
        cascade="all, delete-orphan", order_by="ConsultationActivity.held_on")
    options: Mapped[list[Option]] = relationship(
        cascade="all, delete-orphan", order_by="Option.position")
    criteria: Mapped[list[QualityCriterion]] = relationship(
        cascade="all, delete-orphan", order_by="QualityCriterion.position")
    actions: Mapped[list[Action]] = relationship(
        cascade="all, delete-orphan", order_by="Action.position")
    judgements: Mapped[list[Judgement]] = relationship(
        cascade="all, delete-orphan", order_by="Judgement.position")
    evidence: Mapped[list[Evidence]] = relationship(
        cascade="all, delete-orphan", order_by="Evidence.added_at")
    signoffs: Mapped[list[SignOff]] = relationship(
        cascade="all, delete-orphan", order_by="SignOff.at")
    appraisal: Mapped[AppraisalSettings | None] = relationship(
        cascade="all, delete-orphan", uselist=False)

    def owning_review_id(self) -> int | None:
        return self.id


class TeamMember(Versioned, ReviewOwned, Base):
    __tablename__ = "team_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120), default="")
    is_tenant: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ReviewIndicator(Versioned, ReviewOwned, Base):
    __tablename__ = "review_indicator"

    review_id: Mapped[int] = mapped_column(
        ForeignKey("review.id", ondelete="CASCADE"), primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True)
    target: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")

    indicator: Mapped[Indicator] = relationship()


class ChallengeItem(Versioned, ReviewOwned, Base):
    __tablename__ = "challenge_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text, default="")
    is_standard: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ConsultationActivity(Versioned, ReviewOwned, Base):
    __tablename__ = "consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(30))
    held_on: Mapped[dt.date | None] = mapped_column(Date)
    sample_frame: Mapped[str] = mapped_column(Text, default="")
    #: Size of the population surveyed (N), for the finite-population correction.
    population: Mapped[int | None] = mapped_column(Integer)
    issued: Mapped[int | None] = mapped_column(Integer)
    responses: Mapped[int | None] = mapped_column(Integer)
    #: Survey counts: very + fairly satisfied, and valid answers (excluding "no opinion").
    satisfied: Mapped[int | None] = mapped_column(Integer)
    valid_answers: Mapped[int | None] = mapped_column(Integer)
    representativeness: Mapped[str] = mapped_column(Text, default="")
    findings: Mapped[str] = mapped_column(Text, default="")
    #: "You said, we did": how the findings changed the option or the plan.
    changes: Mapped[str] = mapped_column(Text, default="")


class AppraisalSettings(Versioned, ReviewOwned, Base):
    __tablename__ = "appraisal_settings"

    review_id: Mapped[int] = mapped_column(
        ForeignKey("review.id", ondelete="CASCADE"), primary_key=True)
    base_date: Mapped[dt.date] = mapped_column(Date)
    period_years: Mapped[int] = mapped_column(Integer, default=10)
    #: None: the default schedule for the base date.
    discount_rate: Mapped[float | None] = mapped_column(Float)
    #: None: the VAT rate in force on the base date.
    vat_rate: Mapped[float | None] = mapped_column(Float)
    price_weight: Mapped[float] = mapped_column(Float, default=40.0)
    price_method: Mapped[str] = mapped_column(String(20), default="relative")
    #: Minimum quality score as a % of the available quality marks.
    quality_threshold_pct: Mapped[float] = mapped_column(Float, default=50.0)
    homes_served: Mapped[int | None] = mapped_column(Integer)


class Option(Versioned, ReviewOwned, Base):
    __tablename__ = "option"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="")
    optimism_bias_pct: Mapped[float] = mapped_column(Float, default=0.0)
    #: For a partial market test: the share of turnover put to the market.
    market_tested_share_pct: Mapped[float | None] = mapped_column(Float)
    #: Where an external price comes from (``domain.vocabulary.PriceSource``); None: not said.
    price_source: Mapped[str | None] = mapped_column(String(20))
    #: The quote, tender or test the price comes from, in words (who, when).
    price_source_note: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    cost_lines: Mapped[list[CostLine]] = relationship(
        cascade="all, delete-orphan", order_by="CostLine.position", back_populates="option")
    risks: Mapped[list[Risk]] = relationship(
        cascade="all, delete-orphan", order_by="Risk.id", back_populates="option")
    scores: Mapped[list[QualityScore]] = relationship(
        cascade="all, delete-orphan", back_populates="option")


class CostLine(Versioned, Base):
    __tablename__ = "cost_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("option.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(30))
    vat: Mapped[str] = mapped_column(String(20), default="none")
    description: Mapped[str] = mapped_column(Text, default="")
    #: Amount for each year 0..N, base-year prices excluding VAT.
    amounts: Mapped[list[float]] = mapped_column(default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)

    option: Mapped[Option] = relationship(back_populates="cost_lines")

    def owning_review_id(self) -> int | None:
        return _option_review_id(self)


class Risk(Versioned, Base):
    __tablename__ = "risk"

    id: Mapped[int] = mapped_column(primary_key=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("option.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    probability: Mapped[float] = mapped_column(Float)
    impact: Mapped[float] = mapped_column(Float)
    year: Mapped[int] = mapped_column(Integer, default=0)

    option: Mapped[Option] = relationship(back_populates="risks")

    __table_args__ = (
        CheckConstraint("probability >= 0 and probability <= 1", name="probability"),
    )

    def owning_review_id(self) -> int | None:
        return _option_review_id(self)


class QualityCriterion(Versioned, ReviewOwned, Base):
    __tablename__ = "quality_criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    weight: Mapped[float] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer, default=0)

    scores: Mapped[list[QualityScore]] = relationship(
        cascade="all, delete-orphan", back_populates="criterion")


class QualityScore(Versioned, Base):
    __tablename__ = "quality_score"

    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("quality_criterion.id", ondelete="CASCADE"), primary_key=True)
    option_id: Mapped[int] = mapped_column(
        ForeignKey("option.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[float] = mapped_column(Float)

    criterion: Mapped[QualityCriterion] = relationship(back_populates="scores")
    option: Mapped[Option] = relationship(back_populates="scores")

    __table_args__ = (CheckConstraint("score >= 0 and score <= 10", name="score_range"),)

    def owning_review_id(self) -> int | None:
        return _option_review_id(self)


class Action(Versioned, ReviewOwned, Base):
    """A SMART improvement action."""

    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120), default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    resources_gbp: Mapped[float | None] = mapped_column(Float)
    resources_fte: Mapped[float | None] = mapped_column(Float)
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator.id", ondelete="SET NULL"))
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    target_value: Mapped[float | None] = mapped_column(Float)
    target_year: Mapped[int | None] = mapped_column(Integer)
    deliverable: Mapped[str] = mapped_column(Text, default="")
    milestones: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="green")
    #: The Challenge/Compare/Consult/Compete finding the action responds to.
    finding: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    indicator: Mapped[Indicator | None] = relationship()


class Judgement(Versioned, ReviewOwned, Base):
    """Self-assessment against one key line of enquiry."""

    __tablename__ = "judgement"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    kloe: Mapped[str] = mapped_column(String(200))
    stars: Mapped[int | None] = mapped_column(Integer)
    prospects: Mapped[str | None] = mapped_column(String(20))
    rationale: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (CheckConstraint("stars is null or (stars >= 0 and stars <= 3)",
                                      name="stars_range"),)


class Evidence(Versioned, ReviewOwned, Base):
    """A file kept inside the database, with its hash."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(260))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    dated: Mapped[dt.date | None] = mapped_column(Date)
    expires: Mapped[dt.date | None] = mapped_column(Date)
    #: What the file supports, e.g. "challenge:3" or "judgement:2"; empty for the review.
    supports: Mapped[str] = mapped_column(String(60), default="")
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SignOff(Versioned, ReviewOwned, Base):
    """A sign-off of a review version, with the frozen snapshot the submission renders from."""

    __tablename__ = "signoff"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Set when the review is reopened after this sign-off.
    reopened_by: Mapped[str | None] = mapped_column(String(120))
    reopened_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reopen_reason: Mapped[str | None] = mapped_column(Text)
    #: Why the approver signed off with readiness items outstanding; None when there were none.
    override_reason: Mapped[str | None] = mapped_column(Text)
    #: The regulator submission's PDF as rendered at sign-off, and its page count: what is
    #: delivered afterwards. None for sign-offs made before bvdesk kept it (they render from
    #: ``snapshot``). Loaded only when read.
    submission: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    submission_pages: Mapped[int | None] = mapped_column(Integer)


class AuditEntry(Base):
    """One change, append-only and hash-chained (see ``store.audit``)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[str] = mapped_column(String(32))
    user: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(60))
    field: Mapped[str | None] = mapped_column(String(60))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
