"""What each review still needs, stage by stage, and the landlord's dashboard.

``stage_needs`` applies the review checklist (domain.md 1.2-1.6) to plain facts about a review:
each stage lists, in plain English, what is still missing. ``review_needs`` gathers those facts
from the database; ``dashboard`` adds the landlord's benchmark position and the competition
trigger.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bvdesk.domain.review_content import KLOES
from bvdesk.domain.vocabulary import ConsultMethod, OptionKind, PriceSource, Stage
from bvdesk.errors import InputRefused
from bvdesk.operations import editing
from bvdesk.operations.benchmark import BenchmarkReport, benchmark
from bvdesk.operations.home_figures import Dashboard as Dashboard
from bvdesk.operations.home_figures import ReviewNeeds as ReviewNeeds
from bvdesk.operations.home_figures import ReviewStatus as ReviewStatus
from bvdesk.operations.landlord import get_landlord
from bvdesk.operations.reviews import get_review, list_reviews
from bvdesk.store.db import Database
from bvdesk.store.models import Indicator, Option, Review

PROSPECTS_KLOE = KLOES[-1]
#: How the Sign-off stage's summary of the other stages' needs begins.
EARLIER_STAGES = "Complete the earlier stages first: "
SURVEYS = {ConsultMethod.POSTAL_SURVEY.value, ConsultMethod.TELEPHONE_SURVEY.value}


@dataclass(frozen=True, slots=True)
class ActivityFacts:
    method: str
    issued: int | None
    responses: int | None
    satisfied: int | None
    valid_answers: int | None
    findings: str
    changes: str


@dataclass(frozen=True, slots=True)
class OptionFacts:
    name: str
    kind: str
    costed: bool
    scored_criteria: int
    #: Externally tested, with a contract price, and nothing said of where the price comes from.
    unsourced_price: bool = False


@dataclass(frozen=True, slots=True)
class ActionFacts:
    title: str
    owner: str
    due: bool
    target: bool
    deliverable: bool
    indicator: str | None


@dataclass(frozen=True, slots=True)
class JudgementFacts:
    kloe: str
    stars: int | None
    prospects: str | None
    rationale: str


@dataclass(frozen=True, slots=True)
class ReviewFacts:
    """What the checklist looks at, as plain values."""

    scope: str = ""
    objectives: str = ""
    dates: bool = False
    #: False when the end date is before the start date.
    dates_in_order: bool = True
    team: int = 0
    tenants: int = 0
    indicators: tuple[str, ...] = ()
    unanswered: tuple[str, ...] = ()
    activities: tuple[ActivityFacts, ...] = ()
    options: tuple[OptionFacts, ...] = ()
    criteria: int = 0
    appraisal_settings: bool = False
    actions: tuple[ActionFacts, ...] = ()
    judgements: tuple[JudgementFacts, ...] = ()
    board_approval: bool = False
    vfm_statement: str = ""
    bottom_quartile: tuple[str, ...] = ()
    locked: bool = False


def _short(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[:length - 1]
    if text[length - 1] != " " and " " in cut:  # at a word, never inside one
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "\u2026"


def stage_needs(f: ReviewFacts) -> dict[Stage, tuple[str, ...]]:
    """What is missing at each stage; an empty tuple means the stage is complete."""
    needs = {
        Stage.SCOPE: _scope(f),
        Stage.CHALLENGE: tuple(f"Answer with evidence: \u201c{_short(q)}\u201d"
                               for q in f.unanswered),
        Stage.COMPARE: _compare(f),
        Stage.CONSULT: _consult(f),
        Stage.COMPETE: _compete(f),
        Stage.IMPROVEMENT_PLAN: _plan(f),
        Stage.SELF_ASSESSMENT: _self_assessment(f),
    }
    earlier = [stage.label for stage, items in needs.items() if items]
    signoff: list[str] = []
    if not f.board_approval:
        signoff.append("Record the board approval date and minute reference.")
    if not f.vfm_statement.strip():
        signoff.append("Write the value for money statement.")
    if earlier and not f.locked:
        signoff.append(EARLIER_STAGES + ", ".join(earlier) + ".")
    needs[Stage.SIGN_OFF] = () if f.locked else tuple(signoff)
    return needs


def _scope(f: ReviewFacts) -> tuple[str, ...]:
    items = []
    if not f.scope.strip():
        items.append("Describe the scope: what the review covers and what it leaves out.")
    if not f.objectives.strip():
        items.append("Set out the service's objectives.")
    if not f.dates:
        items.append("Give the review's start and end dates.")
    elif not f.dates_in_order:
        items.append("The end date is before the start date: correct one of them.")
    if f.team == 0:
        items.append("Name the review team.")
    elif f.tenants == 0:
        items.append("Add at least one tenant to the review team.")
    if not f.indicators:
        items.append("Link the performance indicators the review will use.")
    return tuple(items)


def _compare(f: ReviewFacts) -> tuple[str, ...]:
    if not f.indicators:
        return ("Link indicators in Scope, so performance can be compared with peers.",)
    return ()


def _consult(f: ReviewFacts) -> tuple[str, ...]:
    if not f.activities:
        return ("Record at least one consultation activity with tenants.",)
    items = []
    for number, a in enumerate(f.activities, start=1):
        name = f"Activity {number} ({ConsultMethod(a.method).label.lower()})"
        counts = {"issued": a.issued, "responses": a.responses, "satisfied": a.satisfied,
                  "valid_answers": a.valid_answers}
        items += [f"{name}: {problem}"
                  for problem in editing.consistency_problems("consultation", counts)]
        if a.method in SURVEYS:
            if not a.issued or a.responses is None:
                items.append(f"{name}: give the number issued and responses, for the response "
                             "rate.")
            if a.satisfied is None or not a.valid_answers:
                items.append(f"{name}: enter satisfied and valid answer counts.")
        if not a.findings.strip():
            items.append(f"{name}: record the key findings.")
        elif not a.changes.strip():
            items.append(f"{name}: say what changed as a result (you said, we did).")
    return tuple(items)


def _compete(f: ReviewFacts) -> tuple[str, ...]:
    items = []
    kinds = [OptionKind(o.kind) for o in f.options]
    if len(f.options) < 3:
        items.append(f"Appraise at least three options ({len(f.options)} so far).")
    if not any(k.is_in_house for k in kinds):
        items.append("Include retaining (and improving) the in-house service as an option.")
    if f.bottom_quartile and not any(k.is_externally_tested for k in kinds):
        items.append("This service is in the bottom quartile for "
                     f"{', '.join(f.bottom_quartile)}: add an externally tested option "
                     "(market test, contract, partnership or shared service).")
    if f.options and not f.appraisal_settings:
        items.append("Set the appraisal's base date and period.")
    items += [f"Enter costs for \u201c{o.name}\u201d." for o in f.options if not o.costed]
    if f.options and f.criteria == 0:
        items.append("Add quality criteria with weights.")
    items += [f"Score \u201c{o.name}\u201d on every quality criterion." for o in f.options
              if f.criteria and o.scored_criteria < f.criteria]
    items += [f"Option {number} \u201c{o.name}\u201d: say where its contract price comes from "
              f"({_PRICE_SOURCES})." for number, o in enumerate(f.options, start=1)
              if o.unsourced_price]
    return tuple(items)


def _article(source: PriceSource) -> str:
    label = source.label
    if source is PriceSource.ESTIMATE:
        return label[0].lower() + label[1:]
    return ("an " if label[0].lower() in "aeiou" else "a ") + label.lower()


#: "a quotation, a tender, a soft market test or our own estimate"
_PRICE_SOURCES = " or ".join([", ".join(_article(s) for s in list(PriceSource)[:-1]),
                              _article(list(PriceSource)[-1])])


def _plan(f: ReviewFacts) -> tuple[str, ...]:
    if not f.actions:
        return ("Add the improvement actions the review leads to.",)
    items = []
    for a in f.actions:
        name = f"\u201c{_short(a.title, 40)}\u201d"
        if not (a.target or a.deliverable):
            items.append(f"{name}: give a measurable target or a deliverable.")
        if not a.owner.strip():
            items.append(f"{name}: name an owner.")
        if not a.due:
            items.append(f"{name}: set a due date.")
    covered = {a.indicator for a in f.actions if a.indicator}
    items += [f"Add an action for {code}, which is in the bottom quartile."
              for code in f.bottom_quartile if code not in covered]
    return tuple(items)


def _self_assessment(f: ReviewFacts) -> tuple[str, ...]:
    if not f.judgements:
        return ("Judge the service against the key lines of enquiry.",)
    items = []
    for j in f.judgements:
        if j.kloe == PROSPECTS_KLOE:
            if j.prospects is None:
                items.append(f"{j.kloe}: poor, uncertain, promising or excellent?")
        elif j.stars is None:
            items.append(f"{j.kloe}: how good is the service (0-3 stars)?")
        if not j.rationale.strip():
            items.append(f"{j.kloe}: give the rationale and evidence.")
    if not any(j.prospects for j in f.judgements) and all(
            j.kloe != PROSPECTS_KLOE for j in f.judgements):
        items.append("Judge the prospects for improvement.")
    return tuple(items)


# --- from the database -------------------------------------------------------------------------


def review_facts(session: Session, review: Review,
                 bottom_quartile: Sequence[str] = ()) -> ReviewFacts:
    codes = tuple(sorted(link.indicator.code for link in review.indicators))
    codes_by_id = {link.indicator_id: link.indicator.code for link in review.indicators}
    extra = {a.indicator_id for a in review.actions if a.indicator_id not in codes_by_id}
    if extra - {None}:
        codes_by_id.update(session.execute(
            select(Indicator.id, Indicator.code).where(Indicator.id.in_(extra))).all())
    return ReviewFacts(
        scope=review.scope, objectives=review.objectives,
        dates=review.start_date is not None and review.end_date is not None,
        dates_in_order=(review.start_date is None or review.end_date is None
                        or review.start_date <= review.end_date),
        team=len(review.team), tenants=sum(1 for m in review.team if m.is_tenant),
        indicators=codes,
        unanswered=tuple(c.question for c in review.challenges if not c.answer.strip()),
        activities=tuple(ActivityFacts(a.method, a.issued, a.responses, a.satisfied,
                                       a.valid_answers, a.findings, a.changes)
                         for a in review.consultations),
        options=tuple(OptionFacts(o.name, o.kind,
                                  any(any(x for x in c.amounts) for c in o.cost_lines),
                                  len(o.scores), _unsourced_price(o)) for o in review.options),
        criteria=len(review.criteria), appraisal_settings=review.appraisal is not None,
        actions=tuple(ActionFacts(a.title, a.owner, a.due_date is not None,
                                  a.target_value is not None, bool(a.deliverable.strip()),
                                  codes_by_id.get(a.indicator_id) if a.indicator_id else None)
                      for a in review.actions),
        judgements=tuple(JudgementFacts(j.kloe, j.stars, j.prospects, j.rationale)
                         for j in review.judgements),
        board_approval=review.board_approval_date is not None,
        vfm_statement=review.vfm_statement,
        bottom_quartile=tuple(c for c in codes if c in set(bottom_quartile)),
        locked=review.locked)


def _unsourced_price(option: Option) -> bool:
    if not OptionKind(option.kind).is_externally_tested or option.price_source:
        return False
    return any(line.category == "contract_price" and any(line.amounts)
               for line in option.cost_lines)


def _bottom_quartile(db: Database) -> tuple[str, ...]:
    try:
        report = benchmark(db)
    except InputRefused:
        return ()
    return tuple(r.indicator for r in report.rows if r.bottom_quartile)


def review_needs(db: Database, review_id: int, *,
                 bottom_quartile: Sequence[str] | None = None) -> ReviewNeeds:
    """What review ``review_id`` still needs, stage by stage."""
    bottom = _bottom_quartile(db) if bottom_quartile is None else tuple(bottom_quartile)
    with db.read() as session:
        review = get_review(session, review_id)
        facts = review_facts(session, review, bottom)
    return ReviewNeeds(review_id, stage_needs(facts), facts.bottom_quartile)


def dashboard(db: Database) -> Dashboard:
    """The landlord's position among its peers and where every review has got to."""
    try:
        report: BenchmarkReport | None = benchmark(db)
    except InputRefused:
        report = None
    bottom = tuple(r.indicator for r in report.rows if r.bottom_quartile) if report else ()
    summaries = list_reviews(db)
    statuses = tuple(ReviewStatus(s, review_needs(db, s.id, bottom_quartile=bottom))
                     for s in summaries)
    reviewed = {s.service_code for s in summaries}
    trigger = tuple(f.service_name for f in report.compete_trigger.services
                    if f.service not in reviewed) if report else ()
    landlord = report.organisation if report else get_landlord(db).name
    return Dashboard(landlord, report, statuses, trigger)
