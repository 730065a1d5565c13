"""Options appraisal: whole-life cost, price and quality scores, sensitivity and decision rules.

Pure Python and fast enough to run on every edit. The method, with worked examples, is written
out in docs/methodology.md; in short, for each option:

- each cost line's yearly amount, plus irrecoverable VAT, uplifted by the option's optimism bias;
  plus each risk's expected cost (probability x impact) in its year;
- NPC = sum of DF_t x cost_t; EAC = NPC / sum of DF_t; cost per home = EAC / homes served;
- price score against the lowest NPC of the eligible options (relative: W_p x lowest NPC / NPC;
  linear: W_p x max(0, 1 - (NPC - lowest) / lowest); at most W_p), quality score
  W_q x sum(w_j s_j) / (10 sum(w_j)), total = price + quality;
- options below the quality threshold are not eligible; the recommendation is the eligible option
  with the highest total (ties: the lower NPC).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bvdesk.domain.discounting import (
    DEFAULT_DISCOUNT_SCHEDULE,
    DiscountSchedule,
    discount_factors,
)
from bvdesk.domain.names import squash
from bvdesk.domain.vat import DEFAULT_VAT_TABLE, VatTable, vat_rate_on
from bvdesk.domain.vocabulary import CostCategory, OptionKind, PriceMethod, VatTreatment

#: The one-way sensitivity steps, in % of a cost category.
ONE_WAY_STEPS = (-20, -10, 10, 20)
#: Top two totals closer than this many points make the recommendation fragile.
FRAGILE_MARGIN = 2.0
#: A weight-flip point closer than this to the current price weight makes it fragile.
FRAGILE_WEIGHT = 10.0
_TIE = 1e-9


# --- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CostLineInput:
    """One cost line: an amount for each year 0..N in base-year prices, excluding VAT."""

    category: CostCategory
    amounts: tuple[float, ...]
    vat: VatTreatment = VatTreatment.NONE
    description: str = ""


@dataclass(frozen=True, slots=True)
class RiskInput:
    description: str
    probability: float
    impact: float
    year: int = 0


@dataclass(frozen=True, slots=True)
class OptionInput:
    """An option with its costs, risks and quality scores (criterion name -> score 0-10)."""

    name: str
    kind: OptionKind
    cost_lines: tuple[CostLineInput, ...] = ()
    risks: tuple[RiskInput, ...] = ()
    scores: Mapping[str, float] = field(default_factory=dict)
    optimism_bias_pct: float = 0.0
    description: str = ""
    market_tested_share_pct: float | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Criterion:
    name: str
    weight: float


@dataclass(frozen=True, slots=True)
class AppraisalParameters:
    """The settings of one appraisal. ``None`` rates mean the default for the base date."""

    base_date: dt.date
    period_years: int = 10
    discount_rate_pct: float | None = None
    vat_rate_pct: float | None = None
    price_weight: float = 40.0
    price_method: PriceMethod = PriceMethod.RELATIVE
    quality_threshold_pct: float = 50.0
    homes_served: int | None = None

    @property
    def quality_weight(self) -> float:
        return 100.0 - self.price_weight


@dataclass(frozen=True, slots=True)
class AppraisalInputs:
    """Everything ``appraise`` needs.

    ``bottom_quartile_indicators`` are the codes of the indicators linked to the review's service
    that benchmarking puts in the bottom quartile; any at all make competition compulsory.
    ``notes`` are warnings found while gathering the inputs, passed through to the result.
    ``competition_unchecked`` says why benchmarking could not tell whether competition is
    compulsory (no indicator linked, no values): the decision then says that, not that it does
    not apply.
    """

    parameters: AppraisalParameters
    options: tuple[OptionInput, ...]
    criteria: tuple[Criterion, ...] = ()
    bottom_quartile_indicators: frozenset[str] = frozenset()
    vat_table: VatTable = DEFAULT_VAT_TABLE
    discount_schedule: DiscountSchedule = DEFAULT_DISCOUNT_SCHEDULE
    notes: tuple[str, ...] = ()
    competition_unchecked: str | None = None


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OptionResult:
    """One option's figures. Money in base-year pounds; scores in points out of 100.

    ``yearly_costs`` are after VAT, optimism bias and risk, undiscounted; ``cost_by_category``
    is each category's share of the NPC (VAT and optimism bias included, risk not);
    ``quality_pct`` is the share of the available quality marks (0-100). ``rank`` orders
    eligible options first, then by total (ties: lower NPC).
    """

    name: str
    kind: OptionKind
    yearly_costs: tuple[float, ...]
    discounted_costs: tuple[float, ...]
    cost_by_category: Mapping[CostCategory, float]
    vat_npc: float
    optimism_bias_npc: float
    risk_npc: float
    npc: float
    eac: float
    cost_per_home: float | None
    quality_pct: float
    quality_score: float
    price_score: float
    total_score: float
    eligible: bool
    rank: int
    id: int | None = None


@dataclass(frozen=True, slots=True)
class OneWayPoint:
    """One step of the one-way sensitivity: ``category`` of ``option`` changed by ``change_pct``.

    ``lead_change`` is the change, in points, of the recommended option's lead over the best
    other eligible option (negative: the lead shrinks; the recommendation changes once the lead
    falls below zero); ``None`` when there is no such pair. ``recommended`` is the recommendation
    after the change.
    """

    option: str
    category: CostCategory
    change_pct: int
    npc_change: float
    lead_change: float | None
    recommended: str | None


@dataclass(frozen=True, slots=True)
class TornadoBar:
    """The swing of the recommended option's lead when one cost category moves by +/- a %."""

    option: str
    category: CostCategory
    low: float
    high: float

    @property
    def width(self) -> float:
        return abs(self.high - self.low)


@dataclass(frozen=True, slots=True)
class CompulsoryCompetition:
    required: bool
    satisfied: bool
    indicators: tuple[str, ...]
    tested_options: tuple[str, ...]
    #: Why it could not be checked, when it could not (then ``required`` is False).
    unchecked: str | None = None


@dataclass(frozen=True, slots=True)
class AppraisalResult:
    options: tuple[OptionResult, ...]
    recommended: str | None
    discount_factors: tuple[float, ...]
    vat_rate_pct: float
    price_weight: float
    switching_value_pct: float | None
    switching_between: tuple[str, str] | None
    weight_flip_price_weight: float | None
    fragile: bool
    one_way: tuple[OneWayPoint, ...]
    compulsory_competition: CompulsoryCompetition
    decision: tuple[str, ...]
    warnings: tuple[str, ...]

    def option(self, name: str) -> OptionResult:
        for result in self.options:
            if result.name == name:
                return result
        raise KeyError(name)

    def tornado(self, change_pct: int = 20) -> tuple[TornadoBar, ...]:
        """Bars for a tornado chart at -/+ ``change_pct``, widest first (no-effect bars dropped)."""
        points = {(p.option, p.category, p.change_pct): p.lead_change for p in self.one_way}
        bars = []
        for (option, category, step), low in points.items():
            high = points.get((option, category, change_pct))
            if step != -change_pct or low is None or high is None:
                continue
            bar = TornadoBar(option, category, low, high)
            if bar.width > _TIE:
                bars.append(bar)
        return tuple(sorted(bars, key=lambda bar: -bar.width))

    def as_dict(self) -> dict[str, Any]:
        """The JSON form printed by ``bvdesk appraise --json``."""
        return {
            "options": [{
                "name": o.name, "kind": o.kind.value, "npc": round(o.npc, 2),
                "eac": round(o.eac, 2),
                "cost_per_home": None if o.cost_per_home is None else round(o.cost_per_home, 2),
                "quality_score": round(o.quality_score, 2),
                "price_score": round(o.price_score, 2),
                "total_score": round(o.total_score, 2),
                "eligible": o.eligible, "rank": o.rank,
            } for o in self.options],
            "recommended": self.recommended,
            "switching_value_pct": _rounded(self.switching_value_pct),
            "switching_between": list(self.switching_between) if self.switching_between
            else None,
            "switching": switching_sentence(self.switching_value_pct, self.switching_between),
            "weight_flip_price_weight": _rounded(self.weight_flip_price_weight),
            "fragile": self.fragile,
            "compulsory_competition": {
                "required": self.compulsory_competition.required,
                "satisfied": self.compulsory_competition.satisfied,
                "indicators": list(self.compulsory_competition.indicators),
            },
            "decision": " ".join(self.decision),
            "warnings": list(self.warnings),
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def switching_sentence(change_pct: float | None, between: Sequence[str] | None) -> str | None:
    """The switching value in words, as the screen, the CLI and every document say it: the
    change in the best external option's contract price that levels its total with the best
    in-house option's (``between`` is external, in-house). None when there is none."""
    if change_pct is None or not between:
        return None
    moved = "fell" if change_pct < 0 else "rose"
    return (f"Switching value: {between[0]} would score as well as {between[1]} if its "
            f"contract price {moved} by {abs(change_pct):,.1f}%.")


def weight_flip_sentence(flip: float | None, price_weight: float) -> str:
    """The weight-flip point in words, as the CLI and every document say it."""
    if flip is None:
        return "No price : quality weighting changes the recommendation."
    return (f"The recommendation would change at a price : quality weighting of {flip:.1f} : "
            f"{100 - flip:.1f} (it is {price_weight:g} : {100 - price_weight:g}).")


# --- the method --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Costs:
    yearly: tuple[float, ...]
    discounted: tuple[float, ...]
    by_category: dict[CostCategory, float]
    vat_npc: float
    ob_npc: float
    risk_npc: float

    @property
    def npc(self) -> float:
        return sum(self.discounted)


@dataclass(frozen=True, slots=True)
class _Scoring:
    """Everything needed to re-score the options when their NPCs or the price weight change."""

    quality: tuple[float, ...]  # share of the quality marks, 0..1
    eligible: tuple[bool, ...]
    method: PriceMethod

    def totals(self, npcs: Sequence[float], price_weight: float) -> list[float]:
        price = price_fractions(npcs, self.method, self.eligible)
        return [price_weight * p + (100 - price_weight) * q
                for p, q in zip(price, self.quality, strict=True)]

    def best(self, npcs: Sequence[float], totals: Sequence[float]) -> int | None:
        """The eligible option with the highest total; ties go to the lower NPC."""
        candidates = [i for i, ok in enumerate(self.eligible) if ok]
        if not candidates:
            return None
        top = max(totals[i] for i in candidates)
        tied = [i for i in candidates if totals[i] >= top - _TIE]
        return min(tied, key=lambda i: npcs[i])

    def lead(self, npcs: Sequence[float], totals: Sequence[float], leader: int) -> float | None:
        """``leader``'s total minus the best other eligible option's total."""
        others = [totals[i] for i, ok in enumerate(self.eligible) if ok and i != leader]
        return totals[leader] - max(others) if others else None


def appraise(inputs: AppraisalInputs) -> AppraisalResult:
    """Appraise the options.

    Raises:
        ValueError: inputs that cannot be appraised (a price weight outside 0-100, a negative
            period, a score outside 0-10, a probability outside 0-1, duplicate names).
    """
    params = inputs.parameters
    _check(inputs)
    warnings = list(inputs.notes)
    factors = discount_factors(params.period_years, params.base_date,
                               schedule=inputs.discount_schedule,
                               rate_pct=params.discount_rate_pct)
    vat_pct = (params.vat_rate_pct if params.vat_rate_pct is not None
               else vat_rate_on(params.base_date, inputs.vat_table))
    costs = [_option_costs(option, factors, vat_pct, warnings) for option in inputs.options]
    npcs = [c.npc for c in costs]
    quality = tuple(_quality_shares(inputs, warnings))
    scoring = _Scoring(quality=quality, eligible=tuple(_eligibility(inputs, quality)),
                       method=params.price_method)
    # An option with no costs at all is not yet appraised: at £0 it would take the whole price
    # weight, so nothing is recommended until every option has its costs.
    costed = bool(costs) and all(any(c.yearly) for c in costs)
    if costed and min(npcs) <= 0:
        warnings.append("An option has a net present cost of zero or less, so price scores "
                        "cannot be compared by ratio: such options get the full price weight "
                        "and the others none.")
    weight = params.price_weight
    totals = scoring.totals(npcs, weight)
    prices = [weight * p for p in price_fractions(npcs, scoring.method, scoring.eligible)]
    best = scoring.best(npcs, totals) if costed else None
    order = sorted(range(len(costs)),
                   key=lambda i: (not scoring.eligible[i], -round(totals[i], 6), npcs[i]))
    rank = {index: position for position, index in enumerate(order, start=1)}
    annuity = service_annuity(factors)
    homes = params.homes_served
    options = tuple(OptionResult(
        name=option.name, kind=option.kind, yearly_costs=c.yearly, discounted_costs=c.discounted,
        cost_by_category=c.by_category, vat_npc=c.vat_npc, optimism_bias_npc=c.ob_npc,
        risk_npc=c.risk_npc, npc=c.npc, eac=c.npc / annuity,
        cost_per_home=c.npc / annuity / homes if homes else None,
        quality_pct=100 * scoring.quality[i], quality_score=(100 - weight) * scoring.quality[i],
        price_score=prices[i], total_score=totals[i], eligible=scoring.eligible[i],
        rank=rank[i], id=option.id,
    ) for i, (option, c) in enumerate(zip(inputs.options, costs, strict=True)))
    switching = _switching_value(inputs.options, costs, scoring, weight)
    flip = _weight_flip(npcs, scoring, weight, best)
    fragile = _is_fragile(npcs, totals, scoring, best, flip, weight)
    competition = _compulsory_competition(inputs)
    if len(options) < 3:
        appraised = (f"Only {len(options)} option{'s' if len(options) != 1 else ''}"
                     if options else "No options")
        warnings.append(f"{appraised} "
                        "appraised: appraise at least three, including retaining and improving "
                        "the in-house service, so the choice is not pre-judged.")
    recommended = options[best] if best is not None else None
    return AppraisalResult(
        options=options, recommended=recommended.name if recommended else None,
        discount_factors=factors, vat_rate_pct=vat_pct, price_weight=weight,
        switching_value_pct=switching[0] if switching else None,
        switching_between=switching[1] if switching else None,
        weight_flip_price_weight=flip, fragile=fragile,
        one_way=_one_way(inputs.options, costs, scoring, weight, best),
        compulsory_competition=competition,
        decision=tuple(_decision(options, recommended, params, flip, fragile, competition)),
        warnings=tuple(warnings))


def price_fractions(npcs: Sequence[float], method: PriceMethod,
                    eligible: Sequence[bool] | None = None) -> list[float]:
    """Each option's price score as a share (0..1) of the price weight.

    The benchmark is the lowest NPC among the eligible options (as a tender evaluation sets
    bids below the quality threshold aside before scoring price), or among all of them when none
    is eligible. Relative: lowest / NPC. Linear: max(0, 1 - (NPC - lowest) / lowest). Either is
    capped at 1, for an ineligible option cheaper than the benchmark. When the lowest NPC is
    zero or less, ratios mean nothing: options at zero or less get 1, the others 0.
    """
    if not npcs:
        return []
    counted = [npc for npc, ok in zip(npcs, eligible or (), strict=False) if ok] or list(npcs)
    lowest = min(counted)
    if lowest <= 0:
        return [1.0 if npc <= 0 else 0.0 for npc in npcs]
    if method is PriceMethod.RELATIVE:
        return [1.0 if npc <= lowest else lowest / npc for npc in npcs]
    return [1.0 if npc <= lowest else max(0.0, 1 - (npc - lowest) / lowest) for npc in npcs]


def _check(inputs: AppraisalInputs) -> None:
    params = inputs.parameters
    if not 0 <= params.price_weight <= 100:
        raise ValueError(f"the price weight must be 0-100, not {params.price_weight:g}")
    if not 0 <= params.quality_threshold_pct <= 100:
        raise ValueError("the quality threshold must be 0-100% of the quality marks")
    if params.homes_served is not None and params.homes_served < 0:
        raise ValueError("homes served cannot be negative")
    _check_unique("option", [option.name for option in inputs.options])
    _check_unique("quality criterion", [criterion.name for criterion in inputs.criteria])
    for criterion in inputs.criteria:
        if criterion.weight < 0:
            raise ValueError(f"criterion '{criterion.name}' has a negative weight")
    for option in inputs.options:
        if option.optimism_bias_pct < -100:
            raise ValueError(f"{option.name}: optimism bias cannot be below -100%")
        for criterion_name, score in option.scores.items():
            if not 0 <= score <= 10:
                raise ValueError(f"{option.name}: the score for '{criterion_name}' must be "
                                 "0-10")
        for risk in option.risks:
            if not 0 <= risk.probability <= 1:
                raise ValueError(f"{option.name}: the probability of '{risk.description}' "
                                 "must be 0-1")
            if risk.year < 0:
                raise ValueError(f"{option.name}: risk '{risk.description}' is in a year "
                                 "before year 0")


def _check_unique(what: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"two of the {what}s are both called '{name}'")
        seen.add(name)


def service_annuity(factors: Sequence[float]) -> float:
    """The sum of the discount factors of the service years, DF_1..DF_N, that turns a net
    present cost into an equivalent annual cost. Year 0 holds one-off costs before the service
    starts, so it is not a year of service; with no service years (N = 0) the divisor is 1 and
    the EAC is the NPC itself."""
    return sum(factors[1:]) or 1.0


def _option_costs(option: OptionInput, factors: tuple[float, ...], vat_pct: float,
                  warnings: list[str]) -> _Costs:
    years = len(factors)
    uplift = 1 + option.optimism_bias_pct / 100
    yearly = [0.0] * years
    by_category: dict[CostCategory, float] = {}
    vat_npc = ob_npc = risk_npc = 0.0
    for line in option.cost_lines:
        with_vat = 1 + vat_pct / 100 if line.vat is VatTreatment.IRRECOVERABLE else 1.0
        if any(line.amounts[years:]):
            warnings.append(f"{option.name}: a {line.category.label.lower()} line has amounts "
                            f"after year {years - 1}, the end of the appraisal period; they "
                            "are left out.")
        for year, amount in enumerate(line.amounts[:years]):
            cost = amount * with_vat * uplift
            yearly[year] += cost
            present = factors[year]
            by_category[line.category] = by_category.get(line.category, 0.0) + cost * present
            vat_npc += amount * (with_vat - 1) * uplift * present
            ob_npc += amount * with_vat * (uplift - 1) * present
    for risk in option.risks:
        if risk.year >= years:
            warnings.append(f"{option.name}: risk '{risk.description}' falls in year "
                            f"{risk.year}, after the appraisal period; it is left out.")
            continue
        expected = risk.probability * risk.impact
        yearly[risk.year] += expected
        risk_npc += expected * factors[risk.year]
    discounted = tuple(cost * factor for cost, factor in zip(yearly, factors, strict=True))
    return _Costs(tuple(yearly), discounted, by_category, vat_npc, ob_npc, risk_npc)


def _quality_shares(inputs: AppraisalInputs, warnings: list[str]) -> list[float]:
    total_weight = sum(criterion.weight for criterion in inputs.criteria)
    if total_weight <= 0:
        if inputs.options:
            warnings.append("There are no weighted quality criteria, so every option scores "
                            "no quality points and all are treated as eligible.")
        return [0.0] * len(inputs.options)
    shares = []
    for option in inputs.options:
        missing = [c.name for c in inputs.criteria if c.name not in option.scores]
        if missing:
            warnings.append(f"{option.name} has no score for {_joined(missing)}; counted as 0.")
        marks = sum(c.weight * option.scores.get(c.name, 0.0) for c in inputs.criteria)
        shares.append(marks / (10 * total_weight))
    return shares


def _eligibility(inputs: AppraisalInputs, shares: Sequence[float]) -> list[bool]:
    if sum(criterion.weight for criterion in inputs.criteria) <= 0:
        return [True] * len(shares)
    threshold = inputs.parameters.quality_threshold_pct
    return [100 * share >= threshold - _TIE for share in shares]


def _switching_value(options: Sequence[OptionInput], costs: Sequence[_Costs], scoring: _Scoring,
                     weight: float) -> tuple[float, tuple[str, str]] | None:
    """The % change in the best external option's contract price that levels the totals.

    The best external option is the externally tested one with the highest total (eligible
    first), the best in-house option likewise. Moving the contract price moves only that
    option's NPC, and the difference in totals falls steadily as it rises, so bisection finds
    the crossing; ``None`` when no change from -100% to +1000% makes the totals equal.
    """
    npcs = [c.npc for c in costs]
    totals = scoring.totals(npcs, weight)

    def best_of(test: Callable[[OptionKind], bool]) -> int | None:
        chosen = [i for i, option in enumerate(options) if test(option.kind)]
        return max(chosen, key=lambda i: (scoring.eligible[i], totals[i], -npcs[i]),
                   default=None)

    external = best_of(lambda kind: kind.is_externally_tested)
    in_house = best_of(lambda kind: kind.is_in_house)
    if external is None or in_house is None:
        return None
    contract = costs[external].by_category.get(CostCategory.CONTRACT_PRICE, 0.0)
    if contract <= 0:
        return None

    def gap(change_pct: float) -> float:
        moved = list(npcs)
        moved[external] += contract * change_pct / 100
        moved_totals = scoring.totals(moved, weight)
        return moved_totals[external] - moved_totals[in_house]

    low, high = (0.0, 1000.0) if gap(0.0) > 0 else (-100.0, 0.0)
    if (gap(low) > 0) == (gap(high) > 0):
        return None
    for _step in range(80):
        middle = (low + high) / 2
        if gap(middle) > 0:
            low = middle
        else:
            high = middle
    names = (options[external].name, options[in_house].name)
    return (low + high) / 2, names


def _weight_flip(npcs: Sequence[float], scoring: _Scoring, weight: float,
                 best: int | None) -> float | None:
    """The price weight nearest the current one at which another option overtakes the best.

    Totals are straight lines in the price weight w: T_i(w) = w p_i + (100 - w) q_i, with p_i
    the price share and q_i the quality share; eligibility does not depend on w. The best option
    stays best until the nearest w in 0-100 where its line meets another eligible option's line.
    """
    if best is None:
        return None
    price = price_fractions(npcs, scoring.method, scoring.eligible)
    quality = scoring.quality
    nearest: float | None = None
    for other, ok in enumerate(scoring.eligible):
        if not ok or other == best:
            continue
        slope = (price[best] - quality[best]) - (price[other] - quality[other])
        if abs(slope) < _TIE:
            continue
        crossing = 100 * (quality[other] - quality[best]) / slope
        if 0 <= crossing <= 100 and (nearest is None
                                     or abs(crossing - weight) < abs(nearest - weight)):
            nearest = crossing
    return nearest


def _is_fragile(npcs: Sequence[float], totals: Sequence[float], scoring: _Scoring,
                best: int | None, flip: float | None, weight: float) -> bool:
    if best is None:
        return False
    lead = scoring.lead(npcs, totals, best)
    close = lead is not None and lead < FRAGILE_MARGIN
    return close or (flip is not None and abs(flip - weight) < FRAGILE_WEIGHT)


def _one_way(options: Sequence[OptionInput], costs: Sequence[_Costs], scoring: _Scoring,
             weight: float, best: int | None) -> tuple[OneWayPoint, ...]:
    npcs = [c.npc for c in costs]
    totals = scoring.totals(npcs, weight)
    base_lead = scoring.lead(npcs, totals, best) if best is not None else None
    points = []
    for index, (option, option_costs) in enumerate(zip(options, costs, strict=True)):
        for category in CostCategory:
            amount = option_costs.by_category.get(category, 0.0)
            if amount == 0:
                continue
            for step in ONE_WAY_STEPS:
                moved = list(npcs)
                moved[index] += amount * step / 100
                moved_totals = scoring.totals(moved, weight)
                winner = scoring.best(moved, moved_totals)
                lead = scoring.lead(moved, moved_totals, best) if best is not None else None
                change = None if lead is None or base_lead is None else lead - base_lead
                points.append(OneWayPoint(
                    option=option.name, category=category, change_pct=step,
                    npc_change=amount * step / 100, lead_change=change,
                    recommended=options[winner].name if winner is not None else None))
    return tuple(points)


def _compulsory_competition(inputs: AppraisalInputs) -> CompulsoryCompetition:
    tested = tuple(o.name for o in inputs.options if o.kind.is_externally_tested)
    required = bool(inputs.bottom_quartile_indicators)
    return CompulsoryCompetition(required=required, satisfied=not required or bool(tested),
                                 indicators=tuple(sorted(inputs.bottom_quartile_indicators)),
                                 tested_options=tested,
                                 unchecked=None if required else inputs.competition_unchecked)


# --- the decision in words ---------------------------------------------------------------------


def _decision(options: Sequence[OptionResult], recommended: OptionResult | None,
              params: AppraisalParameters, flip: float | None, fragile: bool,
              competition: CompulsoryCompetition) -> list[str]:
    statements = []
    if not options:
        statements.append("No option can be recommended: none was appraised.")
    elif not any(any(o.yearly_costs) for o in options):
        statements.append("No option can be recommended: no option has any costs yet.")
    elif uncosted := [o.name for o in options if not any(o.yearly_costs)]:
        statements.append("No option can be recommended until every option is costed: "
                          f"{_joined(uncosted)} {'has' if len(uncosted) == 1 else 'have'} "
                          "no costs yet.")
    elif recommended is None:
        statements.append("No option can be recommended: none reaches the quality threshold of "
                          f"{params.quality_threshold_pct:g}% of the quality marks.")
    else:
        statements.append(
            f"Recommended: {_described(recommended)}, with "
            f"{recommended.total_score:.2f} points out of 100 (price {recommended.price_score:.2f}"
            f", quality {recommended.quality_score:.2f}) and a net present cost of "
            f"{_money(recommended.npc)}.")
    if all(any(o.yearly_costs) for o in options):
        # Scores of options priced against an uncosted one (at £0) compare nothing.
        statements.extend(_competitiveness(options))
    for option in options:
        if not option.eligible:
            statements.append(
                f"{option.name} is not eligible: its quality is {option.quality_pct:.1f}% of "
                f"the available marks, below the threshold of {params.quality_threshold_pct:g}%.")
    statements.append(_competition_statement(competition))
    if fragile:
        where = (f"; a price weight of {flip:.1f} instead of {params.price_weight:g} would "
                 "change it" if flip is not None else "")
        statements.append("The recommendation is fragile: the leading options are close"
                          f"{where}. Test it before relying on it.")
    return statements


def _competitiveness(options: Sequence[OptionResult]) -> list[str]:
    """The "adequate is not enough" rule, in words."""
    in_house = [o for o in options if o.kind.is_in_house]
    external = [o for o in options if o.kind.is_externally_tested and o.eligible]
    if not in_house:
        return ["No in-house option was appraised, so there is no comparator for the "
                "current service."] if options else []
    if not external:
        return ["No eligible externally tested option was appraised, so the appraisal cannot "
                "show that the in-house service is competitive."]
    best_external = max(external, key=lambda o: (o.total_score, -o.npc))
    eligible_in_house = [o for o in in_house if o.eligible]
    if not eligible_in_house:
        return [f"External procurement is indicated: no in-house option reaches the quality "
                f"threshold, while {best_external.name} does. Adequate is not enough: this holds "
                "whatever the in-house service's current performance."]
    best_in_house = max(eligible_in_house, key=lambda o: (o.total_score, -o.npc))
    if best_external.total_score > best_in_house.total_score + _TIE:
        return [f"External procurement is indicated: {best_external.name} scores "
                f"{best_external.total_score:.2f} against {best_in_house.total_score:.2f} for "
                f"the best in-house option, {best_in_house.name}. Adequate is not enough: this "
                "holds whatever the in-house service's current performance."]
    return [f"The in-house service is competitive: {best_in_house.name} scores "
            f"{best_in_house.total_score:.2f}, at least as much as the best externally tested "
            f"option, {best_external.name} ({best_external.total_score:.2f})."]


def _competition_statement(competition: CompulsoryCompetition) -> str:
    if competition.unchecked:
        return ("Whether compulsory competition applies could not be checked: "
                f"{competition.unchecked}")
    if not competition.required:
        return ("Compulsory competition does not apply: no indicator linked to this service is "
                "in the bottom quartile.")
    which = _joined(list(competition.indicators))
    if competition.satisfied:
        return (f"Compulsory competition applies because {which} "
                f"{'is' if len(competition.indicators) == 1 else 'are'} in the bottom quartile; "
                f"the appraisal complies, as it tests the market with "
                f"{_joined(list(competition.tested_options))}.")
    return (f"Compulsory competition applies because {which} "
            f"{'is' if len(competition.indicators) == 1 else 'are'} in the bottom quartile, "
            "but no option tests the market, so the appraisal is not compliant: add an external "
            "contract, partial market test, partnership or shared service option.")


def _described(option: OptionResult) -> str:
    """The option's name, with its kind when the name does not already say it."""
    kind = option.kind.label
    if squash(kind) in squash(option.name):
        return option.name
    kind = f"{kind[0].lower()}{kind[1:]}"
    if "(" in option.name or "(" in kind:  # no brackets inside brackets
        return f"{option.name}, {kind}"
    return f"{option.name} ({kind})"



def _joined(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _money(amount: float) -> str:
    return f"-£{-amount:,.0f}" if amount < 0 else f"£{amount:,.0f}"
