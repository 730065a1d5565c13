"""Live figures and data baselines in a review's document: the one place they are resolved.

``review_snapshot`` calls ``data_baselines`` on the plan's actions and ``resolve_document`` on the
finished document, so the screen, the CLI and every edition print the same figures, read from
the data when the document is built, and frozen with it at sign-off.

- A plan action linked to an indicator takes its baseline from the data: the landlord's value in
  the review's base year (the year Compare benchmarks). What was typed is kept beside it
  (``typed_baseline_value``/``typed_baseline_year``) so the readiness check can say when the two
  differ.
- Every narrative field has its tokens (``domain.livefigures``) replaced by the current figure;
  ``live_figures`` lists each token, where it is, what it printed, or why it could not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bvdesk.domain.livefigures import (
    Figures,
    IndicatorFigures,
    OptionFigures,
    SurveyFigures,
    format_measure,
    resolve,
)
from bvdesk.domain.review_document import LiveFigurePart, ReviewDocument
from bvdesk.domain.vocabulary import Stage
from bvdesk.domain.years import FinancialYear
from bvdesk.store.db import Database
from bvdesk.store.models import (
    Action,
    Indicator,
    IndicatorValue,
    Organisation,
    Review,
    ReviewIndicator,
)


def review_figures(db: Database, document: Mapping[str, Any]) -> Figures:
    """What the document's tokens can refer to: the landlord's values of every indicator in
    every year, its position in the base year (from Compare), the options and the surveys."""
    compare = document.get("compare") or {}
    positions = {row["code"]: row for row in compare.get("indicators", [])}
    with db.read() as session:
        own = session.scalar(select(Organisation.id).where(Organisation.is_self))
        values: dict[int, dict[int, float]] = defaultdict(dict)
        if own is not None:
            for ind_id, year, value in session.execute(
                    select(IndicatorValue.indicator_id, IndicatorValue.year, IndicatorValue.value)
                    .where(IndicatorValue.organisation_id == own)):
                values[ind_id][year] = value
        catalogue = list(session.scalars(select(Indicator)))
        indicators = {ind.code: _indicator(ind, values.get(ind.id, {}), positions.get(ind.code))
                      for ind in catalogue}
    compete = document.get("compete") or {}
    options = tuple(OptionFigures(o["name"], o.get("npc"), o.get("eac"), o.get("cost_per_home"),
                                  o.get("total_score"), o.get("rank"))
                    for o in compete.get("options", []))
    surveys = tuple(SurveyFigures(c.get("method_label", c["method"]),
                                  (c.get("satisfaction") or {}).get("pct"),
                                  c.get("response_rate"), c.get("responses"))
                    for c in document.get("consult", []))
    return Figures(compare.get("year"), indicators, options, surveys)


def _indicator(ind: Indicator, values: dict[int, float],
               row: dict[str, Any] | None) -> IndicatorFigures:
    if row is None:
        return IndicatorFigures(ind.code, ind.name, ind.unit, ind.polarity, ind.decimals,
                                values=values)
    top = row["p75"] if ind.polarity == "higher" else row["p25"]
    return IndicatorFigures(ind.code, ind.name, ind.unit, ind.polarity, ind.decimals,
                            values=values, quartile=row.get("quartile"), rank=row.get("rank"),
                            n=row.get("n") or 0, median=row.get("median"), top_threshold=top)


def data_baselines(actions: list[Any], figures: Figures) -> list[Any]:
    """Each action linked to an indicator with a value in the base year takes that value as its
    baseline (``baseline_source`` "data"); otherwise the typed baseline stands ("typed")."""
    for action in actions:
        action["typed_baseline_value"] = action["baseline_value"]
        action["typed_baseline_year"] = action["baseline_year"]
        action["baseline_source"] = "typed"
        ind = figures.indicator(action["indicator"]) if action["indicator"] else None
        if ind is None or figures.base_year is None:
            continue
        value = ind.values.get(figures.base_year)
        if value is None:
            continue
        action["baseline_value"] = value
        action["baseline_year"] = figures.base_year
        action["baseline_source"] = "data"
    return actions


#: The fields (entity, field, as ``operations.editing`` names them) whose live figures are
#: resolved: the narrative fields ``narrative_fields`` walks in the document.
LIVE_FIELDS = frozenset({
    ("review", "scope"), ("review", "objectives"), ("review", "vfm_statement"),
    ("challenge_item", "answer"), ("consultation", "sample_frame"),
    ("consultation", "representativeness"), ("consultation", "findings"),
    ("consultation", "changes"), ("option", "description"), ("action", "title"),
    ("action", "deliverable"), ("action", "milestones"), ("action", "finding"),
    ("judgement", "rationale")})


def narrative_fields(document: Mapping[str, Any]
                     ) -> Iterator[tuple[MutableMapping[str, Any], str, str, Stage]]:
    """(part, key, where in words, stage) for every free-text field a person writes."""
    review = document.get("review") or {}
    for key, label, stage in (("scope", "Scope", Stage.SCOPE),
                              ("objectives", "Objectives", Stage.SCOPE),
                              ("vfm_statement", "Value for money statement", Stage.SIGN_OFF)):
        if key in review:
            yield review, key, label, stage
    for number, item in enumerate(document.get("challenge", []), start=1):
        yield item, "answer", f"Challenge question {number}", Stage.CHALLENGE
    for number, activity in enumerate(document.get("consult", []), start=1):
        for key, label in (("sample_frame", "sample frame"),
                           ("representativeness", "representativeness"),
                           ("findings", "key findings"), ("changes", "you said, we did")):
            if key in activity:
                yield activity, key, f"Consultation activity {number}, {label}", Stage.CONSULT
    compete = document.get("compete") or {}
    for number, option in enumerate(compete.get("options", []), start=1):
        yield (option, "description", f"Option {number} ({option['name']}), description",
               Stage.COMPETE)
    for number, action in enumerate(document.get("actions", []), start=1):
        for key, label in (("title", "title"), ("deliverable", "deliverable"),
                           ("milestones", "milestones"), ("finding", "finding")):
            if key in action:
                yield action, key, f"Action {number}, {label}", Stage.IMPROVEMENT_PLAN
    for judgement in document.get("judgements", []):
        yield (judgement, "rationale", f"Self-assessment, {judgement['kloe']}",
               Stage.SELF_ASSESSMENT)


def resolve_document(document: ReviewDocument, figures: Figures) -> ReviewDocument:
    """Replace the tokens in every narrative field with the current figures, and list them in
    ``live_figures`` (where, stage, token, text printed, problem)."""
    found: list[LiveFigurePart] = []
    for part, key, where, stage in narrative_fields(document):
        text = part.get(key)
        if not isinstance(text, str) or "{{" not in text:
            continue
        resolved, references = resolve(text, figures)
        part[key] = resolved
        found += [{"where": where, "stage": stage.value, "token": "{{" + r.token + "}}",
                   "text": r.text, "problem": r.problem} for r in references]
    document["live_figures"] = found
    return document


def resolve_text(db: Database, review_id: int, text: str) -> tuple[str, list[dict[str, Any]]]:
    """``text`` as the review's documents would print it now, for a preview on screen."""
    from bvdesk.operations.snapshot import review_snapshot

    figures = review_figures(db, review_snapshot(db, review_id))
    resolved, references = resolve(text, figures)
    return resolved, [{"token": "{{" + r.token + "}}", "text": r.text, "problem": r.problem}
                      for r in references]


# --- the data baseline of a plan action ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DataBaseline:
    """An action's baseline as the data gives it: its indicator's value in the base year."""

    code: str
    year: int
    value: float
    unit: str
    decimals: int

    @property
    def text(self) -> str:
        shown = format_measure(self.value, self.unit, self.decimals)
        return f"{shown} in {FinancialYear(self.year)}"


def base_year_in(session: Session, review_id: int) -> int | None:
    """The review's base year: the latest year the landlord has a value for any of the review's
    linked or service indicators (the year Compare benchmarks)."""
    review = session.get(Review, review_id)
    own = session.scalar(select(Organisation.id).where(Organisation.is_self))
    if review is None or own is None:
        return None
    ids = select(ReviewIndicator.indicator_id).where(ReviewIndicator.review_id == review_id) \
        .union(select(Indicator.id).where(Indicator.service_id == review.service_id))
    return session.scalar(select(func.max(IndicatorValue.year)).where(
        IndicatorValue.organisation_id == own, IndicatorValue.indicator_id.in_(ids)))


def data_baseline_in(session: Session, action: Action) -> DataBaseline | None:
    """The data's baseline for ``action``; None when it has no indicator or no value then."""
    if action.indicator_id is None:
        return None
    year = base_year_in(session, action.review_id)
    if year is None:
        return None
    row = session.execute(
        select(IndicatorValue.value, Indicator.code, Indicator.unit, Indicator.decimals)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(Organisation, Organisation.id == IndicatorValue.organisation_id)
        .where(Organisation.is_self, IndicatorValue.indicator_id == action.indicator_id,
               IndicatorValue.year == year)).first()
    if row is None:
        return None
    value, code, unit, decimals = row
    return DataBaseline(code, year, value, unit, decimals)


def action_baseline(db: Database, action_id: int) -> DataBaseline | None:
    """What the plan shows as the baseline of action ``action_id`` when the data gives it."""
    with db.read() as session:
        action = session.get(Action, action_id)
        return data_baseline_in(session, action) if action is not None else None


def typed_baseline_problem(session: Session, action: Action, field_name: str,
                           value: object) -> str | None:
    """Why a baseline cannot be typed for ``action``: the data gives it (None: it can)."""
    if field_name not in ("baseline_value", "baseline_year") or value is None:
        return None
    baseline = data_baseline_in(session, action)
    if baseline is None:
        return None
    return (f"The baseline of this action comes from the data: {baseline.code} was "
            f"{baseline.text}, the review's base year. To type a baseline instead, link no "
            "indicator to the action.")


# --- choosing a figure to insert ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FigureChoice:
    """A live figure the officer can insert: its token, what it is, and what it prints now."""

    token: str
    group: str
    label: str
    text: str


_POSITION_LABELS = (("quartile", "quartile position"), ("rank", "rank among peers"),
                    ("median", "peer median"), ("top_quartile", "top-quartile threshold"))
_OPTION_LABELS = (("npc", "net present cost"), ("eac", "equivalent annual cost"),
                  ("cost_per_home", "cost per home a year"), ("score", "total score"),
                  ("rank", "rank"), ("name", "name"))
_SURVEY_LABELS = (("satisfied", "satisfied"), ("response_rate", "response rate"),
                  ("responses", "responses"))


def figure_choices(db: Database, review_id: int) -> list[FigureChoice]:
    """Every live figure review ``review_id`` can quote today, with what it prints: its
    indicators (value by year, position in the base year), options and consultation results.

    Raises:
        InputRefused: there is no such review.
    """
    from bvdesk.operations.snapshot import review_snapshot

    document = review_snapshot(db, review_id)
    figures = review_figures(db, document)
    wanted: list[tuple[str, str, str]] = []
    compare = document["compare"]
    base = compare["year"]
    for row in sorted(compare["indicators"], key=lambda r: (not r["linked"], r["code"])):
        code, group = row["code"], f"{row['code']} {row['name']}"
        ind = figures.indicator(code)
        years = sorted(ind.values, reverse=True) if ind is not None else []
        wanted.append((code, group, f"value in {FinancialYear(base)} (the base year)"
                       if base is not None else "value"))
        wanted += [(f"{code}:{what}", group, label) for what, label in _POSITION_LABELS]
        wanted += [(f"{code}:{FinancialYear(year)}", group, f"value in {FinancialYear(year)}")
                   for year in years if year != base]
    compete = document["compete"]
    options = compete["options"] if compete is not None else []
    for number, option in enumerate(options, start=1):
        group = f"Option {number}: {option['name']}"
        wanted += [(f"option:{number}:{what}", group, label) for what, label in _OPTION_LABELS]
    for number, activity in enumerate(document["consult"], start=1):
        group = f"Consultation {number}: {activity['method_label']}"
        wanted += [(f"survey:{number}:{what}", group, label) for what, label in _SURVEY_LABELS]
    choices = []
    for token, group, label in wanted:
        text, [reference] = resolve("{{" + token + "}}", figures)
        if reference.problem is None:
            choices.append(FigureChoice("{{" + token + "}}", group, label, text))
    return choices
