"""What contradicts itself in a review document: the pure rules of the readiness check.

``operations.readiness`` adds what is still missing (the stages' checklist) and runs these rules
on the review document (``operations.snapshot``), so the workspace, the CLI and sign-off list the
same findings. Every rule names the record in the user's words and says what to do.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bvdesk.domain.livefigures import format_measure
from bvdesk.domain.trajectory import reaches
from bvdesk.domain.vocabulary import Polarity, Stage
from bvdesk.domain.years import FinancialYear

#: The board paper seeks a decision from the Compete stage on.
_DECIDING_STAGES = {s.value for s in Stage if s.position >= Stage.COMPETE.position}


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the readiness check found, at the stage where it can be put right;
    ``reach``: the stage the review must be moved on to (at least) to put it right."""

    stage: Stage
    text: str
    reach: Stage | None = None

    def to_json(self) -> dict[str, str]:
        return {"stage": self.stage.value, "stage_label": self.stage.label, "text": self.text}


def seeks_decision(document: Mapping[str, Any]) -> bool:
    """True when the board paper asks the board to decide: the appraisal recommends an option
    and the review has reached Compete; before that the paper reports progress."""
    compete = document.get("compete") or {}
    stage = (document.get("review") or {}).get("stage")
    return bool(compete.get("recommended")) and stage in _DECIDING_STAGES


def contradictions(document: Mapping[str, Any], *, compete_missing: int) -> list[Finding]:
    """Everything in ``document`` that disagrees with the data or with itself.

    ``compete_missing`` is how many items the Compete stage still needs.
    """
    return [*_live_figures(document), *_compare_targets(document), *_actions(document),
            *_judgements(document), *_decision(document, compete_missing)]


# --- rules -------------------------------------------------------------------------------------


def _live_figures(document: Mapping[str, Any]) -> Iterator[Finding]:
    texts = list(_narrative(document))
    for item in document.get("live_figures") or []:
        stage = Stage(item.get("stage") or Stage.SCOPE.value)
        if item.get("problem"):
            yield Finding(stage, f"{item['where']}: the live figure {item['token']} cannot be "
                                 f"read: {item['problem']}.")
            continue
        # "{{BV212}} days" prints "49.0 days days": the figure carries its own unit or word.
        shown = item.get("text") or ""
        word = re.search(r"(\w+)$", shown)
        if word is None:
            continue
        doubled = re.compile(rf"{re.escape(shown)}\s+{re.escape(word[1])}\b", re.IGNORECASE)
        if any(doubled.search(text) for text in texts):
            yield Finding(stage, f"{item['where']}: the live figure {item['token']} prints "
                                 f"“{shown}”, so the “{word[1]}” typed after it is printed "
                                 f"twice. Remove it.")


def _narrative(value: Any) -> Iterator[str]:
    """Every piece of text in the document, with its live figures printed (the methodology and
    the list of live figures aside)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key not in ("live_figures", "methodology"):
                yield from _narrative(item)
    elif isinstance(value, list):
        for item in value:
            yield from _narrative(item)


def _year(start: int | None) -> str:
    return str(FinancialYear(start)) if start is not None else "the base year"


def _shown(value: float, row: Mapping[str, Any]) -> str:
    return format_measure(value, row.get("unit") or "count", _decimals(row))


def _decimals(row: Mapping[str, Any]) -> int:
    decimals = row.get("decimals")
    return 1 if decimals is None else int(decimals)


def _target_problem(target: float, current: float, row: Mapping[str, Any],
                    year: int | None) -> str | None:
    """Why ``target`` is no target against ``current`` (polarity-aware), or None."""
    polarity = Polarity(row["polarity"])
    if not reaches(current, target, polarity):
        return None
    now = f"{_shown(current, row)} in {_year(year)}"
    if math.isclose(round(current, _decimals(row)), round(target, _decimals(row))):
        return f"is already met: the current value is {now}"
    side = "below" if polarity is Polarity.HIGHER else "above"
    return f"is {side} the current value, {now} ({polarity.label.lower()})"


_SET_ANOTHER = " Set a target that improves on it."


def _compare_targets(document: Mapping[str, Any]) -> Iterator[Finding]:
    compare = document.get("compare") or {}
    for row in compare.get("indicators") or []:
        target, current = row.get("target"), row.get("value")
        if target is None or current is None or not row.get("polarity"):
            continue
        problem = _target_problem(target, current, row, compare.get("year"))
        if problem:
            yield Finding(Stage.COMPARE, f"Compare, {row['code']}: the target of "
                                         f"{_shown(target, row)} {problem}.{_SET_ANOTHER}")


def _actions(document: Mapping[str, Any]) -> Iterator[Finding]:
    rows = {row["code"]: row for row in (document.get("compare") or {}).get("indicators") or []}
    for number, action in enumerate(document.get("actions") or [], start=1):
        name = f"Action {number} “{action['title']}”"
        if not action.get("indicator") or not action.get("polarity"):
            continue
        baseline, base_year = action.get("baseline_value"), action.get("baseline_year")
        typed, typed_year = action.get("typed_baseline_value"), action.get("typed_baseline_year")
        if (action.get("baseline_source") == "data" and typed is not None
                and baseline is not None
                and (round(typed, _decimals(action)) != round(baseline, _decimals(action))
                     or typed_year not in (None, base_year))):
            yield Finding(Stage.IMPROVEMENT_PLAN,
                          f"{name}: the baseline typed, {_shown(typed, action)} in "
                          f"{_year(typed_year if typed_year is not None else base_year)}, "
                          f"differs from the data, {_shown(baseline, action)} in "
                          f"{_year(base_year)}; the documents print the data. Clear the typed "
                          "baseline.")
        target, target_year = action.get("target_value"), action.get("target_year")
        if target is None or baseline is None:
            continue
        if target_year is not None and base_year is not None and target_year <= base_year:
            yield Finding(Stage.IMPROVEMENT_PLAN,
                          f"{name}: the target year {_year(target_year)} is not after the "
                          f"baseline year {_year(base_year)}, so there is no trajectory "
                          "towards it.")
            continue
        problem = _target_problem(target, baseline, action, base_year)
        if problem:
            yield Finding(Stage.IMPROVEMENT_PLAN,
                          f"{name}: the target of {_shown(target, action)} for "
                          f"{_year(target_year)} {problem}.{_SET_ANOTHER}")
            continue
        boundary = _bottom_boundary(rows.get(action["indicator"]))
        if boundary is not None and not reaches(target, boundary,
                                                Polarity(action["polarity"])):
            yield Finding(Stage.IMPROVEMENT_PLAN,
                          f"{name}: the target of {_shown(target, action)} for "
                          f"{_year(target_year)} stays in the bottom quartile, which starts at "
                          f"{_shown(boundary, action)} today. Set a target that leaves it.")


def _bottom_boundary(row: Mapping[str, Any] | None) -> float | None:
    """Where the bottom quartile begins for an indicator the landlord is in it for (p25 when
    higher is better, p75 when lower is better); None when it is not in the bottom quartile."""
    if row is None or row.get("quartile") != 4:
        return None
    return row.get("p25") if row.get("polarity") == Polarity.HIGHER.value else row.get("p75")


def supports_judgement(supports: str | None, number: int, kloe: str) -> bool:
    """True when an evidence file's Supports field names judgement ``number``: "judgement N"
    (also "judgement:N") or its key line of enquiry, ignoring case and spacing."""
    said = " ".join((supports or "").casefold().split())
    return said in {f"judgement {number}", f"judgement:{number}", f"judgement{number}",
                    kloe.casefold()}


def _supports(evidence: Sequence[Mapping[str, Any]], number: int, kloe: str) -> bool:
    return any(supports_judgement(e.get("supports"), number, kloe) for e in evidence)


def _judgements(document: Mapping[str, Any]) -> Iterator[Finding]:
    evidence = document.get("evidence") or []
    cited = {item["where"] for item in document.get("live_figures") or []
             if not item.get("problem")}
    for number, judgement in enumerate(document.get("judgements") or [], start=1):
        kloe = judgement["kloe"]
        where = f"Self-assessment, {kloe}"
        if where in cited or _supports(evidence, number, kloe):
            continue
        yield Finding(Stage.SELF_ASSESSMENT,
                      f"{kloe}: the judgement rests on no evidence. Attach an evidence file "
                      f"that supports it (Supports: “judgement {number}”) or cite a live figure "
                      "in the rationale.")


def _decision(document: Mapping[str, Any], compete_missing: int) -> Iterator[Finding]:
    recommended = (document.get("compete") or {}).get("recommended")
    if compete_missing and seeks_decision(document):
        items = "1 item" if compete_missing == 1 else f"{compete_missing} items"
        yield Finding(Stage.COMPETE,
                      f"The board paper asks the board to decide on “{recommended}”, but "
                      f"Compete is not finished ({items} still needed).")
    elif recommended and not compete_missing and not seeks_decision(document):
        # A finished appraisal in a review still marked at an earlier stage: the board paper
        # would say the options were never tested while the submission shows them appraised.
        stage = Stage((document.get("review") or {}).get("stage") or Stage.SCOPE.value)
        yield Finding(Stage.COMPETE,
                      f"The options appraisal is finished and recommends “{recommended}”, but "
                      f"the review is still at the {stage.label} stage, so the board paper asks "
                      "no decision and says the options have not been tested through Compete. "
                      "Move the review on to the Compete stage or a later one.",
                      reach=Stage.COMPETE)
