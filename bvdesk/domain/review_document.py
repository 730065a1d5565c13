"""The review document: the one declared shape of everything a report, the Excel export and the
screen read about a review.

``bvdesk.operations.snapshot.review_snapshot`` builds a ``ReviewDocument``; the regulator
submission, board paper, tenant summary (``bvdesk.reports``) and the workbook
(``bvdesk.excel.review_export``) read nothing else. It stays plain JSON types (dates as ISO
strings), so a sign-off can store it and render it again, byte for byte, years later.

To add a field: declare it here first (``NotRequired`` when documents frozen before it existed
must still render), fill it in ``operations/snapshot.py``, then read it; the type checker then
holds every reader to the declaration.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict

SCHEMA = 1


class LandlordPart(TypedDict):
    name: str
    code: str | None
    region: str | None
    homes: int | None
    org_type: str | None
    #: How tenants reach the landlord and get involved (profile fields; blank when not set).
    address: NotRequired[str]
    phone: NotRequired[str]
    email: NotRequired[str]
    website: NotRequired[str]
    get_involved: NotRequired[str]


class ServicePart(TypedDict):
    code: str
    name: str
    description: str | None


class ReviewPart(TypedDict):
    id: int
    title: str
    scope: str | None
    objectives: str | None
    stage: str
    start_date: str | None
    end_date: str | None
    board_approval_date: str | None
    board_minute_ref: str | None
    vfm_statement: str | None
    version: int
    locked: bool
    #: The board meeting the board paper goes to, its author and agenda item.
    board_meeting_date: NotRequired[str | None]
    board_paper_author: NotRequired[str]
    board_agenda_ref: NotRequired[str]


class TeamMemberPart(TypedDict):
    name: str
    role: str
    is_tenant: bool


class ChallengePart(TypedDict):
    question: str
    answer: str | None
    is_standard: bool


class Satisfaction(TypedDict):
    pct: float
    low: float
    high: float
    margin: float
    n: int


class ConsultationPart(TypedDict):
    method: str
    method_label: str
    held_on: str | None
    sample_frame: str
    population: int | None
    issued: int | None
    responses: int | None
    response_rate: float | None
    satisfaction: Satisfaction | None
    representativeness: str
    findings: str
    changes: str
    problems: list[str]


class JudgementPart(TypedDict):
    kloe: str
    stars: int | None
    prospects: str | None
    rationale: str
    #: Titles of the evidence files recorded as supporting this judgement.
    evidence: NotRequired[list[str]]


class EvidencePart(TypedDict):
    file_name: str
    title: str
    source: str
    sha256: str
    size: int
    dated: str | None
    expires: str | None
    supports: str
    added_at: str | None


class HistoryPoint(TypedDict):
    year: int
    value: float | None
    n: int
    p25: float | None
    median: float | None
    p75: float | None
    quartile: int | None


class PeerPoint(TypedDict):
    name: str
    value: float
    is_self: bool


class IndicatorRow(TypedDict):
    code: str
    name: str
    unit: str
    polarity: str
    decimals: int
    linked: bool
    value: float | None
    n: int
    p25: float | None
    median: float | None
    p75: float | None
    quartile: int | None
    rank: int | None
    gap_to_top_quartile: float | None
    improvement_per_year: float | None
    bottom_quartile: bool
    years_in_bottom_quartile: int
    persistent: bool
    small_sample: bool
    target: float | None
    note: str
    quality_note: str
    history: list[HistoryPoint]
    peers: list[PeerPoint]


class PeerGroupPart(TypedDict):
    """Who the landlord is compared with: the group's name, how it is defined, its members."""

    name: str
    rule: str
    reason: str
    members: list[str]


class ComparePart(TypedDict):
    year: int | None
    peer_group: str | None
    indicators: list[IndicatorRow]
    compete_trigger: list[str]
    persistent: list[str]
    message: str
    peer_group_definition: NotRequired[PeerGroupPart | None]
    #: Indicators linked to the review with no row: no value of the landlord's or of any peer
    #: in the year (code and name).
    not_benchmarked: NotRequired[list[dict[str, str]]]


class Parameters(TypedDict):
    base_date: str | None
    period_years: int
    discount_rate_pct: float | None
    vat_rate_pct: float
    price_weight: float
    price_method: str
    quality_threshold_pct: float
    homes_served: int | None


class Criterion(TypedDict):
    name: str
    weight: float
    scores: dict[str, float | None]


class CostLinePart(TypedDict):
    category: str
    label: str
    vat: str
    description: str
    amounts: list[float]


class RiskPart(TypedDict):
    description: str
    probability: float
    impact: float
    year: int


class OptionPart(TypedDict):
    name: str
    kind: str
    kind_label: str
    description: str
    npc: float
    eac: float
    cost_per_home: float | None
    vat_npc: float
    optimism_bias_npc: float
    risk_npc: float
    cost_by_category: dict[str, float]
    yearly_costs: list[float]
    discounted_costs: list[float]
    quality_pct: float
    quality_score: float
    price_score: float
    total_score: float
    eligible: bool
    rank: int
    optimism_bias_pct: float
    market_tested_share_pct: float | None
    cost_lines: list[CostLinePart]
    risks: list[RiskPart]
    #: Where an external price came from (quote, tender, soft market test, estimate) and a note.
    price_source: NotRequired[str]
    price_source_note: NotRequired[str]


class TornadoPart(TypedDict):
    label: str
    low: float
    high: float


class CompetitionPart(TypedDict):
    required: bool
    satisfied: bool
    indicators: list[str]
    tested_options: list[str]


class CompetePart(TypedDict):
    """The options appraisal. When it could not be appraised only ``options`` (empty) and
    ``message`` are present."""

    options: list[OptionPart]
    message: str
    parameters: NotRequired[Parameters]
    criteria: NotRequired[list[Criterion]]
    discount_factors: NotRequired[list[float]]
    recommended: NotRequired[str | None]
    switching_value_pct: NotRequired[float | None]
    switching_between: NotRequired[list[str] | None]
    weight_flip_price_weight: NotRequired[float | None]
    fragile: NotRequired[bool]
    tornado: NotRequired[list[TornadoPart]]
    compulsory_competition: NotRequired[CompetitionPart]
    decision: NotRequired[list[str]]
    warnings: NotRequired[list[str]]


class TrajectoryPoint(TypedDict):
    year: int
    label: str
    value: float


class ActionPart(TypedDict):
    title: str
    owner: str
    start_date: str | None
    due_date: str | None
    resources_gbp: float | None
    resources_fte: float | None
    indicator: str | None
    indicator_name: str | None
    unit: str | None
    decimals: int | None
    polarity: str | None
    baseline_value: float | None
    baseline_year: int | None
    target_value: float | None
    target_year: int | None
    deliverable: str
    milestones: str
    status: str
    finding: str
    trajectory: NotRequired[list[TrajectoryPoint]]
    top_quartile: NotRequired[float | None]
    reaches_top_quartile: NotRequired[bool | None]


class SignOffPart(TypedDict):
    by: str
    at: str
    version: int
    note: str
    #: Why the approver signed off with items outstanding, and those items (empty when none).
    override_reason: NotRequired[str]
    outstanding: NotRequired[list[str]]


class LiveFigurePart(TypedDict):
    """A ``{{token}}`` in a narrative field, resolved when the document was made."""

    where: str
    stage: str
    token: str
    text: str | None
    problem: str | None


class ReviewDocument(TypedDict):
    schema: int
    generated_on: str
    landlord: LandlordPart
    service: ServicePart
    review: ReviewPart
    team: list[TeamMemberPart]
    context: dict[str, object]
    challenge: list[ChallengePart]
    compare: ComparePart
    consult: list[ConsultationPart]
    compete: CompetePart | None
    actions: list[ActionPart]
    judgements: list[JudgementPart]
    evidence: list[EvidencePart]
    signoff: SignOffPart | None
    methodology: str
    #: Every live figure in the narrative fields (``operations/livefigures.resolve_document``).
    live_figures: NotRequired[list[LiveFigurePart]]
