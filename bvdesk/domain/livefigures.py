"""Live figures: short tokens in a review's narrative text that print the current figure.

An officer writes "Collection was {{BV66a:2009/10}}, in the {{BV66a:quartile}}" and every screen
and document prints "Collection was 99.71%, in the top quartile", read from the data at the time
(and frozen with the rest of the review at sign-off). The token syntax, inside double braces:

- ``{{CODE}}``: the landlord's value of indicator CODE in the review's base year;
  ``{{CODE:2009/10}}`` (or ``2009``) in another year;
- ``{{CODE:quartile}}``, ``{{CODE:rank}}``, ``{{CODE:median}}``, ``{{CODE:top_quartile}}``:
  the landlord's position among its peers in the base year (quartiles are polarity-aware:
  "top quartile" is always the best quarter);
- ``{{option:N:npc}}``, ``eac``, ``cost_per_home``, ``score``, ``rank``, ``name``: the N-th
  option of the appraisal (in the order the review lists them);
- ``{{survey:N:satisfied}}``, ``response_rate``, ``responses``: the N-th consultation activity.

Codes ignore case and spaces inside the braces are ignored. A token that cannot be resolved is a
problem the readiness check lists; the text then says so in square brackets, never the raw token.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal

from bvdesk.domain.years import FinancialYear

TOKEN = re.compile(r"\{\{([^{}]*)\}\}")

QUARTILE_WORDS = {1: "top quartile", 2: "second quartile", 3: "third quartile",
                  4: "bottom quartile"}
_UNIT_SUFFIX = {"percent": "%", "days": " days"}
OPTION_FIELDS = ("npc", "eac", "cost_per_home", "score", "rank", "name")
SURVEY_FIELDS = ("satisfied", "response_rate", "responses")
INDICATOR_FIELDS = ("quartile", "rank", "median", "top_quartile")


@dataclass(frozen=True, slots=True)
class IndicatorFigures:
    """One indicator: the landlord's values by year, and its position in the base year."""

    code: str
    name: str
    unit: str
    polarity: str
    decimals: int
    values: Mapping[int, float] = field(default_factory=dict)
    quartile: int | None = None
    rank: int | None = None
    n: int = 0
    median: float | None = None
    top_threshold: float | None = None


@dataclass(frozen=True, slots=True)
class OptionFigures:
    name: str
    npc: float | None
    eac: float | None
    cost_per_home: float | None
    total_score: float | None
    rank: int | None


@dataclass(frozen=True, slots=True)
class SurveyFigures:
    method_label: str
    satisfied_pct: float | None
    response_rate: float | None
    responses: int | None


@dataclass(frozen=True, slots=True)
class Figures:
    """Everything a token can refer to, for one review."""

    base_year: int | None
    indicators: Mapping[str, IndicatorFigures] = field(default_factory=dict)
    options: Sequence[OptionFigures] = ()
    surveys: Sequence[SurveyFigures] = ()

    def indicator(self, code: str) -> IndicatorFigures | None:
        wanted = code.casefold()
        return next((i for key, i in self.indicators.items() if key.casefold() == wanted), None)


@dataclass(frozen=True, slots=True)
class Reference:
    """One token as written (without braces), and what it printed or why it could not."""

    token: str
    text: str | None
    problem: str | None


class _Unresolved(Exception):
    """A token that names nothing the document holds; its message says why."""


def tokens(text: str) -> list[str]:
    """Every token in ``text``, in order, without braces and surrounding spaces."""
    return [match.group(1).strip() for match in TOKEN.finditer(text or "")]


def resolve(text: str, figures: Figures) -> tuple[str, list[Reference]]:
    """``text`` with every token replaced by its figure, and what each token resolved to."""
    references: list[Reference] = []

    def replace(match: re.Match[str]) -> str:
        token = match.group(1).strip()
        try:
            shown = figure(token, figures)
        except _Unresolved as exc:
            references.append(Reference(token, None, str(exc)))
            return f"[figure not available: {exc}]"
        references.append(Reference(token, shown, None))
        return shown

    return TOKEN.sub(replace, text or ""), references


def figure(token: str, figures: Figures) -> str:
    """The printed figure for one token (without braces).

    Raises:
        _Unresolved: with the reason, in words, when the token names nothing in the data.
    """
    parts = [part.strip() for part in token.split(":")]
    if not parts[0]:
        raise _Unresolved("the figure is empty")
    head = parts[0].casefold()
    if head == "option":
        return _option(parts, figures)
    if head == "survey":
        return _survey(parts, figures)
    return _indicator(parts, figures)


def fixed(value: float, decimals: int, *, sign: bool = False) -> str:
    """``value`` to ``decimals`` places with thousands separators, a half rounded up as people
    and spreadsheets round it: a P75 of 98.25 is ``98.3``, not Python's ``98.2`` (which rounds an
    exact half to even). Read to 12 significant digits first, so that 2.55 held as
    2.5499999... is a half too. ``sign`` puts ``+`` before a positive value."""
    places = max(0, decimals)
    if not math.isfinite(value):
        return f"{value:{'+' if sign else ''}.{places}f}"
    return f"{_half_up(value, places):{'+' if sign else ''},.{places}f}"


def trimmed(value: float, most: int) -> str:
    """``value`` as typed: to at most ``most`` places, as ``fixed`` rounds, without the zeros
    after the point (a score of 6.5 is ``6.5``, 8 is ``8``, 1250000 is ``1,250,000``)."""
    shown = fixed(value, most)
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


def half_up(value: float, decimals: int) -> float:
    """``value`` rounded to ``decimals`` places as ``fixed`` prints it (98.25 -> 98.3), for a
    figure written as a number, such as a spreadsheet cell."""
    return float(_half_up(value, decimals)) if math.isfinite(value) else value


def _half_up(value: float, decimals: int) -> Decimal:
    read = Decimal(f"{value:.12g}")
    # Room for every figure before the point and the places after it, however large.
    room = Context(prec=max(28, read.adjusted() + decimals + 2))
    exact = read.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP, room)
    return exact.copy_abs() if exact.is_zero() else exact  # no "-0.0" for a small negative


def format_measure(value: float, unit: str, decimals: int) -> str:
    """A value in an indicator's unit: ``99.71%``, ``£1,203``, ``15.6 days``, ``Yes``."""
    if unit == "yes_no":
        return "Yes" if value >= 0.5 else "No"
    if unit == "pounds":
        sign = "-" if value < 0 else ""
        return f"{sign}£{fixed(abs(value), decimals)}"
    return fixed(value, decimals) + _UNIT_SUFFIX.get(unit, "")


def _money(value: float) -> str:
    return format_measure(value, "pounds", 0)


def _indicator(parts: list[str], figures: Figures) -> str:
    code = parts[0]
    ind = figures.indicator(code)
    if ind is None:
        raise _Unresolved(f"there is no indicator {code}")
    if len(parts) > 2:
        raise _Unresolved(f"'{':'.join(parts)}' has too many parts for an indicator")
    what = parts[1].casefold() if len(parts) == 2 else ""
    if what in INDICATOR_FIELDS:
        return _position(ind, what)
    if what:
        try:
            year = FinancialYear.parse(parts[1]).start
        except ValueError:
            raise _Unresolved(f"'{parts[1]}' is neither a year nor a figure of an indicator"
                              ) from None
    elif figures.base_year is None:
        raise _Unresolved(f"there is no base year to read {ind.code} for")
    else:
        year = figures.base_year
    value = ind.values.get(year)
    if value is None:
        raise _Unresolved(f"there is no {ind.code} value for {FinancialYear(year)} in the data")
    return format_measure(value, ind.unit, ind.decimals)


def _position(ind: IndicatorFigures, what: str) -> str:
    if ind.quartile is None or ind.rank is None:
        raise _Unresolved(f"{ind.code} has no quartile position for the base year")
    if what == "quartile":
        return QUARTILE_WORDS[ind.quartile]
    if what == "rank":
        return f"{ind.rank} of {ind.n}"
    value = ind.median if what == "median" else ind.top_threshold
    if value is None:
        raise _Unresolved(f"{ind.code} has no peer {what.replace('_', ' ')} for the base year")
    return format_measure(value, ind.unit, ind.decimals)


def _numbered(parts: list[str], items: Sequence[object], kind: str, fields: tuple[str, ...],
              what: str) -> tuple[int, str]:
    if len(parts) != 3:
        raise _Unresolved(f"write a {kind} figure as {{{{{parts[0]}:N:{fields[0]}}}}}")
    try:
        number = int(parts[1])
    except ValueError:
        raise _Unresolved(f"'{parts[1]}' is not a {kind} number") from None
    if not 1 <= number <= len(items):
        raise _Unresolved(f"there is no {what} {number} (the review has {len(items)})")
    name = parts[2].casefold()
    if name not in fields:
        raise _Unresolved(f"'{parts[2]}' is not a figure of an {kind}" if kind[0] in "aeiou"
                          else f"'{parts[2]}' is not a figure of a {kind}")
    return number, name


def _option(parts: list[str], figures: Figures) -> str:
    number, name = _numbered(parts, figures.options, "option", OPTION_FIELDS, "option")
    option = figures.options[number - 1]
    if name == "name":
        return option.name
    value = {"npc": option.npc, "eac": option.eac, "cost_per_home": option.cost_per_home,
             "score": option.total_score, "rank": option.rank}[name]
    if value is None:
        raise _Unresolved(f"option {number} ({option.name}) has no {name.replace('_', ' ')} "
                          "yet: its appraisal is incomplete")
    if name == "score":
        return f"{value:.1f}"
    if name == "rank":
        return f"{int(value)} of {len(figures.options)}"
    return _money(value)


def _survey(parts: list[str], figures: Figures) -> str:
    number, name = _numbered(parts, figures.surveys, "survey", SURVEY_FIELDS,
                             "consultation activity")
    survey = figures.surveys[number - 1]
    value = {"satisfied": survey.satisfied_pct, "response_rate": survey.response_rate,
             "responses": survey.responses}[name]
    if value is None:
        what = {"satisfied": "satisfaction result", "response_rate": "response rate",
                "responses": "number of responses"}[name]
        raise _Unresolved(f"activity {number} ({survey.method_label.lower()}) has no {what}")
    if name == "responses":
        return f"{int(value):,}"
    return f"{value:.1f}%"
