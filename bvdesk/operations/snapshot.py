"""A review as one JSON document: everything a report prints, frozen at sign-off.

``review_snapshot`` reads the review, benchmarks its indicators and appraises its options, and
returns plain JSON types only (dates as ISO strings), so the document can be stored on the
``SignOff`` row and rendered again, byte for byte, after the data has moved on. Renderers
(``bvdesk.reports``) read nothing else.

Top-level keys: ``schema``, ``generated_on``, ``landlord``, ``service``, ``review``, ``team``,
``context``, ``challenge``, ``compare``, ``consult``, ``compete``, ``actions``, ``judgements``,
``evidence``, ``signoff`` (None until the report adds the sign-off it renders), ``methodology``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from bvdesk.domain.appraisal import AppraisalInputs, AppraisalResult, OptionInput, OptionResult
from bvdesk.domain.readiness import supports_judgement
from bvdesk.domain.review_document import (
    SCHEMA,
    ActionPart,
    ComparePart,
    CompetePart,
    ConsultationPart,
    IndicatorRow,
    LandlordPart,
    OptionPart,
    PeerGroupPart,
    ReviewDocument,
    ReviewPart,
    Satisfaction,
)
from bvdesk.domain.survey import response_rate, satisfaction
from bvdesk.domain.trajectory import linear_trajectory, reaches
from bvdesk.domain.vocabulary import ConsultMethod, Polarity
from bvdesk.domain.years import FinancialYear
from bvdesk.errors import InputRefused
from bvdesk.operations.appraisal import appraise_inputs, load_inputs
from bvdesk.operations.benchmark import benchmark, indicator_history, peer_distribution
from bvdesk.operations.livefigures import data_baselines, resolve_document, review_figures
from bvdesk.operations.peer_groups import resolve_members
from bvdesk.operations.reviews import get_review
from bvdesk.paths import resource
from bvdesk.store.db import Database
from bvdesk.store.models import (
    ConsultationActivity,
    Indicator,
    IndicatorValue,
    Option,
    Organisation,
    PeerGroup,
    Review,
)

HISTORY_YEARS = 5
METHODOLOGY = resource("methodology.md")
_NO_COMPARE: ComparePart = {"year": None, "peer_group": None, "indicators": [],
                             "compete_trigger": [], "persistent": [], "message": ""}


def review_snapshot(db: Database, review_id: int) -> ReviewDocument:
    """The complete, JSON-serialisable document of review ``review_id``.

    Raises:
        InputRefused: there is no such review.
    """
    with db.read() as session:
        review = get_review(session, review_id)
        landlord = session.scalar(select(Organisation).where(Organisation.is_self))
        linked = {link.indicator.code: link for link in review.indicators}
        service_codes = session.scalars(select(Indicator.code).where(
            Indicator.service_id == review.service_id)).all()
        document: ReviewDocument = {
            "schema": SCHEMA,
            "generated_on": db.clock().date().isoformat(),
            "landlord": _landlord(landlord),
            "service": {"code": review.service.code, "name": review.service.name,
                        "description": review.service.description},
            "review": _review(review),
            "team": [{"name": m.name, "role": m.role, "is_tenant": m.is_tenant}
                     for m in review.team],
            "context": _jsonable(review.context or {}),
            "challenge": [{"question": c.question, "answer": c.answer,
                           "is_standard": c.is_standard} for c in review.challenges],
            "consult": [_consultation(c) for c in review.consultations],
            "judgements": [{"kloe": j.kloe, "stars": j.stars, "prospects": j.prospects,
                            "rationale": j.rationale,
                            "evidence": _judgement_evidence(review, number, j.kloe)}
                           for number, j in enumerate(review.judgements, start=1)],
            "evidence": [{"file_name": e.file_name, "title": e.title, "source": e.source,
                          "sha256": e.sha256, "size": e.size, "dated": _iso(e.dated),
                          "expires": _iso(e.expires), "supports": e.supports,
                          "added_at": _iso(e.added_at)} for e in review.evidence],
            "signoff": None,
            "methodology": METHODOLOGY.read_text("utf-8") if METHODOLOGY.exists() else "",
            "compare": _NO_COMPARE, "compete": None, "actions": [],
        }
        actions = [_action(a) for a in review.actions]
        codes = sorted(linked) + sorted(set(service_codes) - set(linked))
        landlord_id = landlord.id if landlord else None
        targets = {code: (link.target, link.note) for code, link in linked.items()}
        names = {code: link.indicator.name for code, link in linked.items()}
    document["compete"] = _compete(db, review_id)
    compare = _compare(db, targets=targets, codes=codes, linked=set(linked),
                       landlord_id=landlord_id)
    benchmarked = {row["code"] for row in compare["indicators"]}
    document["compare"] = {**compare, "not_benchmarked": [
        {"code": code, "name": name} for code, name in names.items() if code not in benchmarked]}
    figures = review_figures(db, document)
    document["actions"] = _with_trajectories(data_baselines(actions, figures),
                                             document["compare"])
    resolve_document(document, figures)
    return document


# --- parts ---------------------------------------------------------------------------------


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _landlord(org: Organisation | None) -> LandlordPart:
    if org is None:
        return {"name": "(landlord not set up)", "code": None, "region": None, "homes": None,
                "org_type": None}
    return {"name": org.name, "code": org.code, "region": org.region, "homes": org.homes,
            "org_type": org.org_type, "address": org.contact_address or "",
            "phone": org.contact_phone or "", "email": org.contact_email or "",
            "website": org.website or "", "get_involved": org.get_involved or ""}


def _review(review: Review) -> ReviewPart:
    return {"id": review.id, "title": review.title, "scope": review.scope,
            "objectives": review.objectives, "stage": review.stage,
            "start_date": _iso(review.start_date), "end_date": _iso(review.end_date),
            "board_approval_date": _iso(review.board_approval_date),
            "board_minute_ref": review.board_minute_ref, "vfm_statement": review.vfm_statement,
            "board_meeting_date": _iso(review.board_meeting_date),
            "board_paper_author": review.board_paper_author or "",
            "board_agenda_ref": review.board_agenda_ref or "",
            "version": review.version, "locked": review.locked}


def _consultation(activity: ConsultationActivity) -> ConsultationPart:
    rate = None
    sat: Satisfaction | None = None
    problems = []
    if activity.issued and activity.responses is not None:
        try:
            rate = response_rate(activity.responses, activity.issued)
        except ValueError as exc:
            problems.append(f"Response rate not shown: {exc}.")
    if activity.satisfied is not None and activity.valid_answers:
        try:
            result = satisfaction(activity.satisfied, activity.valid_answers,
                                  activity.population)
            sat = {"pct": result.pct, "low": result.low, "high": result.high,
                   "margin": result.margin, "n": result.n}
        except ValueError as exc:
            problems.append(f"Satisfaction not shown: {exc}.")
    return {"method": activity.method, "method_label": ConsultMethod(activity.method).label,
            "held_on": _iso(activity.held_on), "sample_frame": activity.sample_frame,
            "population": activity.population, "issued": activity.issued,
            "responses": activity.responses, "response_rate": rate, "satisfaction": sat,
            "representativeness": activity.representativeness, "findings": activity.findings,
            "changes": activity.changes, "problems": problems}


def _judgement_evidence(review: Review, number: int, kloe: str) -> list[str]:
    """Titles of the evidence files recorded as supporting judgement ``number`` (its
    Supports field says "judgement N" or names its key line of enquiry)."""
    return [e.title or e.file_name for e in review.evidence
            if supports_judgement(e.supports, number, kloe)]


def _action(action: Any) -> ActionPart:
    ind = action.indicator
    return {"title": action.title, "owner": action.owner,
            "start_date": _iso(action.start_date), "due_date": _iso(action.due_date),
            "resources_gbp": action.resources_gbp, "resources_fte": action.resources_fte,
            "indicator": ind.code if ind else None, "indicator_name": ind.name if ind else None,
            "unit": ind.unit if ind else None, "decimals": ind.decimals if ind else None,
            "polarity": ind.polarity if ind else None,
            "baseline_value": action.baseline_value, "baseline_year": action.baseline_year,
            "target_value": action.target_value, "target_year": action.target_year,
            "deliverable": action.deliverable, "milestones": action.milestones,
            "status": action.status, "finding": action.finding}


# --- compare -------------------------------------------------------------------------------


def _compare(db: Database, *, targets: dict[str, tuple[float | None, str]],
             codes: list[str], linked: set[str], landlord_id: int | None) -> ComparePart:
    """Benchmark rows for ``codes`` with five-year history, and peer distributions for the
    linked indicators."""
    empty = _NO_COMPARE
    if not codes or landlord_id is None:
        return {**empty, "message": "No indicators are linked to this review."}
    try:
        report = benchmark(db, indicators=codes)
    except InputRefused as exc:
        return {**empty, "message": exc.message}
    quality = _quality_notes(db, landlord_id, report.year.start)
    definition = _peer_group_definition(db, report.peer_group, landlord_id)
    rows = []
    for row in sorted(report.rows, key=lambda r: (r.indicator not in linked, r.indicator)):
        target, note = targets.get(row.indicator, (None, ""))
        history = indicator_history(db, row.indicator, peer_group=report.peer_group,
                                    years=HISTORY_YEARS)
        entry: IndicatorRow = {
            "code": row.indicator, "name": row.name, "unit": row.unit,
            "polarity": row.polarity, "decimals": row.decimals,
            "linked": row.indicator in linked, "value": row.value, "n": row.n,
            "p25": row.p25, "median": row.median, "p75": row.p75, "quartile": row.quartile,
            "rank": row.rank, "gap_to_top_quartile": row.gap_to_top_quartile,
            "improvement_per_year": row.improvement_per_year,
            "bottom_quartile": row.bottom_quartile,
            "years_in_bottom_quartile": row.years_in_bottom_quartile,
            "persistent": row.persistent, "small_sample": row.small_sample,
            "target": target, "note": note, "quality_note": quality.get(row.indicator, ""),
            "history": [{"year": p.year.start, "value": p.value, "n": p.n, "p25": p.p25,
                         "median": p.median, "p75": p.p75, "quartile": p.quartile}
                        for p in history.points],
            "peers": [],
        }
        if entry["linked"]:
            distribution = peer_distribution(db, row.indicator, report.year,
                                             peer_group=report.peer_group)
            entry["peers"] = [{"name": p.organisation, "value": p.value, "is_self": p.is_self}
                              for p in distribution.points]
        rows.append(entry)
    return {"year": report.year.start, "peer_group": report.peer_group, "indicators": rows,
            "compete_trigger": list(report.compete_trigger.indicators),
            "persistent": list(report.intervention_risk.indicators), "message": "",
            "peer_group_definition": definition}


_RULE_WORDS = {"org_type": "type", "region": "region", "stock_band": "stock size"}


def _peer_group_definition(db: Database, name: str | None, landlord_id: int) -> PeerGroupPart:
    """Who the landlord is compared with: the chosen group's rule or members and why it was
    chosen; without a group, every other landlord in the benchmarking data."""
    with db.read() as session:
        if name is None:
            members = sorted(session.scalars(select(Organisation.name).where(
                Organisation.id != landlord_id)))
            return {"name": "All landlords in the benchmarking data",
                    "rule": "every landlord with a value for the indicator in the year",
                    "reason": "No narrower peer group has been chosen for this review, so "
                              "the landlord is compared with the whole benchmarking club.",
                    "members": members}
        group = session.scalar(select(PeerGroup).where(PeerGroup.name == name))
        if group is None:
            return {"name": name, "rule": "", "reason": "", "members": []}
        ids = resolve_members(session, group)
        members = sorted(session.scalars(select(Organisation.name).where(
            Organisation.id.in_(ids), Organisation.id != landlord_id)))
        rule = "; ".join(f"{_RULE_WORDS.get(field, field)}: "
                         f"{', '.join(str(v).replace('_', ' ') for v in values)}"
                         for field, values in (group.rule or {}).items())
        return {"name": group.name, "rule": rule or "a chosen list of landlords",
                "reason": group.description or "", "members": members}


def _quality_notes(db: Database, org_id: int, year: int) -> dict[str, str]:
    """The landlord's data-quality notes on its values for ``year``, by indicator code."""
    with db.read() as session:
        rows = session.execute(
            select(Indicator.code, IndicatorValue.quality_note)
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .where(IndicatorValue.organisation_id == org_id, IndicatorValue.year == year,
                   IndicatorValue.quality_note != ""))
        return {code: note for code, note in rows}


# --- compete -------------------------------------------------------------------------------


def _compete(db: Database, review_id: int) -> CompetePart | None:
    """The options appraisal with its inputs; None when the review has no options, and a
    ``message`` instead of results when the inputs cannot be appraised."""
    try:
        inputs = load_inputs(db, review_id)
        if not inputs.options:
            return None
        result = appraise_inputs(inputs)
    except InputRefused as exc:
        return {"options": [], "message": exc.message}
    compete = _appraisal(inputs, result)
    with db.read() as session:
        sources = {name: (source, note) for name, source, note in session.execute(
            select(Option.name, Option.price_source, Option.price_source_note)
            .where(Option.review_id == review_id))}
    for option in compete["options"]:
        source, note = sources.get(option["name"], (None, ""))
        option["price_source"] = source or ""
        option["price_source_note"] = note or ""
    return compete


def _appraisal(inputs: AppraisalInputs, result: AppraisalResult) -> CompetePart:
    p = inputs.parameters
    given = {o.name: o for o in inputs.options}
    competition = result.compulsory_competition
    return {
        "parameters": {"base_date": _iso(p.base_date), "period_years": p.period_years,
                       "discount_rate_pct": p.discount_rate_pct,
                       "vat_rate_pct": result.vat_rate_pct, "price_weight": result.price_weight,
                       "price_method": p.price_method.value,
                       "quality_threshold_pct": p.quality_threshold_pct,
                       "homes_served": p.homes_served},
        "criteria": [{"name": c.name, "weight": c.weight,
                      "scores": {o.name: o.scores.get(c.name) for o in inputs.options}}
                     for c in inputs.criteria],
        "options": [_option(o, given[o.name]) for o in result.options],
        "discount_factors": list(result.discount_factors),
        "recommended": result.recommended,
        "switching_value_pct": result.switching_value_pct,
        "switching_between": list(result.switching_between) if result.switching_between
        else None,
        "weight_flip_price_weight": result.weight_flip_price_weight,
        "fragile": result.fragile,
        "tornado": [{"label": f"{bar.option}: {bar.category.label}", "low": bar.low,
                     "high": bar.high} for bar in result.tornado()],
        "compulsory_competition": {"required": competition.required,
                                   "satisfied": competition.satisfied,
                                   "indicators": list(competition.indicators),
                                   "tested_options": list(competition.tested_options)},
        "decision": list(result.decision),
        "warnings": list(result.warnings),
        "message": "",
    }


def _option(o: OptionResult, given: OptionInput) -> OptionPart:
    return {
        "name": o.name, "kind": o.kind.value, "kind_label": o.kind.label,
        "description": given.description, "npc": o.npc, "eac": o.eac,
        "cost_per_home": o.cost_per_home, "vat_npc": o.vat_npc,
        "optimism_bias_npc": o.optimism_bias_npc, "risk_npc": o.risk_npc,
        "cost_by_category": {category.value: amount
                             for category, amount in o.cost_by_category.items()},
        "yearly_costs": list(o.yearly_costs), "discounted_costs": list(o.discounted_costs),
        "quality_pct": o.quality_pct, "quality_score": o.quality_score,
        "price_score": o.price_score, "total_score": o.total_score, "eligible": o.eligible,
        "rank": o.rank, "optimism_bias_pct": given.optimism_bias_pct,
        "market_tested_share_pct": given.market_tested_share_pct,
        "cost_lines": [{"category": line.category.value, "label": line.category.label,
                        "vat": line.vat.value, "description": line.description,
                        "amounts": list(line.amounts)} for line in given.cost_lines],
        "risks": [{"description": r.description, "probability": r.probability,
                   "impact": r.impact, "year": r.year} for r in given.risks],
    }


# --- actions -------------------------------------------------------------------------------


def _with_trajectories(actions: list[ActionPart], compare: ComparePart) -> list[ActionPart]:
    """Add each measurable action's yearly trajectory and the top-quartile threshold."""
    rows = {row["code"]: row for row in compare["indicators"]}
    for action in actions:
        action["trajectory"] = []
        action["top_quartile"] = None
        action["reaches_top_quartile"] = None
        row = rows.get(action["indicator"] or "")
        if row is not None:
            polarity = Polarity(row["polarity"])
            threshold = row["p75"] if polarity is Polarity.HIGHER else row["p25"]
            action["top_quartile"] = threshold
            if action["target_value"] is not None and threshold is not None:
                action["reaches_top_quartile"] = reaches(action["target_value"], threshold,
                                                         polarity)
        base_year, base, target_year, target = (action["baseline_year"],
                                                action["baseline_value"],
                                                action["target_year"], action["target_value"])
        if base_year is None or base is None or target_year is None or target is None:
            continue
        try:
            points = linear_trajectory(base_year, base, target_year, target)
        except ValueError:
            continue
        action["trajectory"] = [{"year": year, "label": str(FinancialYear(year)), "value": value}
                                for year, value in points]
    return actions
