"""Pieces shared by the editions: the figures of a snapshot as tables, charts and sentences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from bvdesk.domain.appraisal import switching_sentence, weight_flip_sentence
from bvdesk.domain.review_document import (
    ActionPart,
    ComparePart,
    CompetePart,
    ConsultationPart,
    HistoryPoint,
    IndicatorRow,
    JudgementPart,
    OptionPart,
    ReviewDocument,
    ReviewPart,
)
from bvdesk.domain.vocabulary import STAR_LABELS, CostCategory, OptionKind, PriceSource
from bvdesk.domain.wording import count
from bvdesk.reports import charts
from bvdesk.reports.base import AMBER, CONDENSED, GREEN, RED, TEAL, ReportRenderer
from bvdesk.reports.text import (
    entered,
    financial_year,
    gap,
    long_date,
    measure,
    money,
    number,
    pct,
    safe,
)

QUARTILE_NAMES = {1: "Top quartile", 2: "Second quartile", 3: "Third quartile",
                  4: "Bottom quartile"}
RAG_COLOURS = {"red": RED, "amber": AMBER, "green": GREEN, "complete": TEAL}


def quartile_name(quartile: int | None) -> str:
    return QUARTILE_NAMES.get(quartile, "–") if quartile is not None else "–"


def stars(count: int | None) -> str:
    """``★★☆ Good`` style; ``Not assessed`` when there is no judgement."""
    if count is None:
        return "Not assessed"
    return "★" * count + "☆" * (3 - count) + f" {STAR_LABELS.get(count, '')}"


def prospects(value: str | None) -> str:
    return value.capitalize() if value else "Not assessed"


def value_of(row: IndicatorRow, key: str = "value") -> str:
    """An indicator figure (``value``, ``median``, ``target``...) in its unit and decimals."""
    value = row.get(key)
    return measure(value if isinstance(value, (int, float)) else None, row["unit"],
                   row.get("decimals", 1))


def formatter(row: IndicatorRow) -> charts.AxisFormatter:
    """Chart figures in the indicator's unit, to as many decimals as the chart asks for."""
    unit = row["unit"]
    return lambda v, decimals: measure(v, unit, decimals)


def quartile_labels(row: IndicatorRow, *, plain: bool = False) -> charts.QuartileLabels:
    """The quartile lines named by what they mean for this indicator's polarity; ``plain``
    for the tenant summary's words."""
    higher = row["polarity"] == "higher"
    if plain:
        return charts.QuartileLabels.for_polarity(higher, "Best quarter", "Worst quarter",
                                                  "Middle")
    return charts.QuartileLabels.for_polarity(higher)


def polarity_text(polarity: str) -> str:
    return "Higher is better" if polarity == "higher" else "Lower is better"


def trend_text(row: IndicatorRow) -> str:
    """The landlord's own values over the history years, oldest first; a year without a value
    between two with one shows as "–", so that the arrows join consecutive years."""
    history = row.get("history", [])
    held = [i for i, p in enumerate(history) if p.get("value") is not None]
    if not held:
        return "–"
    return " → ".join("–" if p.get("value") is None else
                      measure(p["value"], row["unit"], row.get("decimals", 1))
                      for p in history[held[0]:held[-1] + 1])


def data_notes(row: IndicatorRow) -> str:
    notes = []
    if row.get("small_sample"):
        notes.append(f"Small peer sample (n = {row['n']}).")
    for key in ("quality_note", "note"):
        if row.get(key):
            notes.append(str(row[key]))
    return " ".join(notes)


def quartile_text(row: IndicatorRow) -> str:
    """The quartile, with how long it has been the bottom one when that is persistent."""
    name = quartile_name(row["quartile"])
    if row["persistent"]:  # by a run of years, or by the count of bad years in the window
        run = row["years_in_bottom_quartile"]
        name += f" ({run} years running)" if run > 1 else " (persistent)"
    return name


def period_text(review: ReviewPart) -> str:
    """``1 June 2009 to 31 May 2010``; ``from 1 November 2009`` while it has no end date."""
    start, end = review["start_date"], review["end_date"]
    if start and end:
        return f"{long_date(start)} to {long_date(end)}"
    if start:
        return f"From {long_date(start)}"
    return f"To {long_date(end)}" if end else "Not set"


def verdict(judgement: JudgementPart) -> str:
    """``★★☆ Good; prospects promising.``, leaving out what was not judged."""
    said = []
    if judgement["stars"] is not None:
        said.append(stars(judgement["stars"]))
    if judgement["prospects"]:
        said.append(f"prospects {judgement['prospects'].lower()}")
    return ("; ".join(said) or "no judgement recorded") + "."


def plan_targets(actions: list[ActionPart]) -> dict[str, str]:
    """Each indicator's target in the improvement plan, as its Compare row prints it: the
    action aiming furthest ahead (``30.0 days by 2011/12``)."""
    aims: dict[str, ActionPart] = {}
    for a in actions:
        code = a.get("indicator")
        if code and a.get("target_value") is not None and (
                code not in aims or (a.get("target_year") or 0) > (aims[code].get("target_year")
                                                                     or 0)):
            aims[code] = a
    return {code: measure(a["target_value"], a["unit"] or "count", _decimals(a))
            + (f" by {financial_year(a['target_year'])}" if a.get("target_year") else "")
            for code, a in aims.items()}


def indicator_table(r: ReportRenderer, rows: list[IndicatorRow],
                    actions: list[ActionPart]) -> Table:
    """The Compare table; an indicator's target is the one set for it in Compare, else the
    improvement plan's."""
    planned = plan_targets(actions)
    body = []
    for row in rows:
        body.append([f"{row['code']} {row['name']}", polarity_text(row["polarity"]),
                     trend_text(row), value_of(row, "target") if row.get("target") is not None
                     else planned.get(row["code"], "–"), value_of(row, "median"),
                     quartile_text(row),
                     gap(row["gap_to_top_quartile"], row["unit"], row.get("decimals", 1))
                     if row["gap_to_top_quartile"] else "In top quartile",
                     data_notes(row)])
    header = ["Indicator", "Polarity", "Trend", "Target", "Peer median", "Quartile",
              "Gap to top quartile", "Data-quality notes"]
    widths = [0.18, 0.09, 0.17, 0.08, 0.09, 0.14, 0.1, 0.15]  # "Target" needs 0.08 unbroken
    return r.table(header, body, widths, align="LLLRRLRL")


def peer_chart(r: ReportRenderer, row: IndicatorRow, width: float, *, anonymise: bool = False,
               own_label: str = "Us", enlarge: float = 1.0, height: float = 150) -> Flowable:
    """The peer distribution of ``row``, ``width`` wide and ``height`` high; ``enlarge`` scales
    the lettering up."""
    peers = [charts.Peer("" if anonymise else p["name"], p["value"], p["is_self"])
             for p in row.get("peers", [])]
    chart = charts.peer_distribution(peers, formatter(row), row.get("decimals", 1),
                                     width=width / enlarge, height=height / enlarge,
                                     p25=row.get("p25"), median=row.get("median"),
                                     p75=row.get("p75"), own_label=own_label,
                                     labels=quartile_labels(row, plain=anonymise))
    return chart if enlarge == 1.0 else charts.enlarged(chart, enlarge)


def trend_chart(r: ReportRenderer, row: IndicatorRow, width: float,
                own_label: str = "Us") -> Flowable:
    points = [charts.TrendPoint(financial_year(p["year"]), p.get("value"), p.get("p25"),
                                p.get("median"), p.get("p75")) for p in held_history(row)]
    return charts.trend(points, formatter(row), width=width, height=150, own_label=own_label)


def chart_pair(r: ReportRenderer, left: Flowable, right: Flowable, split: float = 0.5) -> Table:
    """Two flowables side by side across the frame, ``split`` of the width on the left."""
    table = Table([[left, right]], colWidths=[r.width * split, r.width * (1 - split)],
                  hAlign="LEFT",
                  style=TableStyle([("FONT", (0, 0), (-1, -1), CONDENSED, 7),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                    ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def judgement_table(r: ReportRenderer, judgements: list[JudgementPart]) -> Table:
    """Each judgement with the evidence it rests on (the files recorded as supporting it)."""
    rows = [[j["kloe"], stars(j.get("stars")), prospects(j.get("prospects")), j["rationale"],
             "; ".join(j.get("evidence") or []) or "No evidence file recorded"]
            for j in judgements]
    return r.table(["Key line of enquiry", "How good is the service?",
                    "Prospects for improvement", "Rationale", "Evidence"], rows,
                   [0.19, 0.14, 0.13, 0.36, 0.18])


def price_sources(r: ReportRenderer, compete: CompetePart) -> Flowable | None:
    """Where each externally tested option's price came from, and how much of the service
    it puts to the market."""
    rows = []
    for o in compete["options"]:
        if not OptionKind(o["kind"]).is_externally_tested:
            continue
        source = o.get("price_source") or ""
        label = PriceSource(source).label if source in set(PriceSource) else "Not recorded"
        share = o.get("market_tested_share_pct")
        # An external contract puts the whole service to the market unless a share is given.
        whole = "The whole service" if o["kind"] == OptionKind.EXTERNAL.value else "Not recorded"
        rows.append([o["name"], label, whole if share is None else f"{entered(share)}%",
                     o.get("price_source_note") or "–"])
    if not rows:
        return None
    return r.table(["Option", "Where the price comes from", "Share of the service tested",
                    "Details"], rows, [0.3, 0.2, 0.15, 0.35], align="LLRL")


def peer_group_text(compare: ComparePart) -> str:
    """The peer group defined: its name, rule, members and why it was chosen."""
    group = compare.get("peer_group_definition")
    if not group:
        return ""
    members = group["members"]
    text = f"Peer group: {group['name']}"
    if group["rule"]:
        text += f", defined as {group['rule']}"
    text += f"; {count(len(members), 'landlord')} besides us"
    if members:
        text += f" ({', '.join(members)})"
    text += "."
    if group["reason"]:
        text += f" Why this group: {group['reason']}"
    return text


def consult_table(r: ReportRenderer, activities: list[ConsultationPart]) -> Table:
    rows = []
    for a in activities:
        sat = a.get("satisfaction")
        rows.append([a["method_label"], long_date(a.get("held_on")), a.get("sample_frame", ""),
                     number(a.get("issued")), number(a.get("responses")),
                     pct(a.get("response_rate")),
                     f"{pct(sat['pct'])} ({pct(sat['low'])} to {pct(sat['high'])})"
                     if sat else "–"])
    return r.table(["Method", "Held", "Sample", "Issued", "Responses", "Response rate",
                    "Satisfied (95% CI)"], rows,
                   [0.13, 0.12, 0.25, 0.08, 0.11, 0.11, 0.2], align="LLLRRRR")


def options_table(r: ReportRenderer, compete: CompetePart) -> Flowable:
    """The options ranked, kept on one page: split after its first row, the table of a board
    paper read as if one option had been appraised and the others followed on."""
    rows = []
    for o in sorted(compete["options"], key=lambda o: o["rank"]):
        rows.append([o["name"], money(o["npc"]), money(o["eac"]),
                     money(o.get("cost_per_home")), number(o["quality_score"], 1),
                     number(o["price_score"], 1), number(o["total_score"], 1),
                     str(o["rank"]) if o["eligible"] else "Not eligible"])
    return KeepTogether([r.table(["Option", "Net present cost", "Equivalent annual cost",
                                  "Cost per home", "Quality", "Price", "Total score", "Rank"],
                                 rows, [0.25, 0.13, 0.13, 0.1, 0.09, 0.08, 0.1, 0.12],
                                 align="LRRRRRRR")])


@dataclass(frozen=True, slots=True)
class CostLineTotal:
    """A row of the cost breakdown: ``part`` rows add up to the ``total``; ``of_which`` rows
    are already inside the parts."""

    label: str
    amounts: list[float]
    kind: str


def cost_breakdown(compete: CompetePart) -> list[CostLineTotal]:
    """Net present cost by category, then risk, the total, and what the total includes."""
    options = compete["options"]
    rows = [CostLineTotal(c.label, [o["cost_by_category"].get(c.value, 0.0) for o in options],
                          "part")
            for c in CostCategory if any(o["cost_by_category"].get(c.value) for o in options)]
    if any(o["risk_npc"] for o in options):
        rows.append(CostLineTotal("Risks (expected cost)", [o["risk_npc"] for o in options],
                                  "part"))
    rows.append(CostLineTotal("Net present cost", [o["npc"] for o in options], "total"))
    for label, amounts in (("of which irrecoverable VAT", [o["vat_npc"] for o in options]),
                           ("of which optimism bias",
                            [o["optimism_bias_npc"] for o in options])):
        if any(amounts):
            rows.append(CostLineTotal(label, amounts, "of_which"))
    return rows


def no_appraisal(r: ReportRenderer, compete: CompetePart | None) -> Flowable:
    """Why there are no appraisal results: the appraisal's own refusal, or not done yet."""
    message = (compete["message"] if compete else "") or \
        r.missing("The options appraisal has not been done yet.")
    return r.para(message, "Callout")


def npc_chart(r: ReportRenderer, compete: CompetePart) -> Flowable:
    """The options' net present costs, lowest first, the recommended option highlighted."""
    options = sorted(compete["options"], key=lambda o: o["npc"])
    bars = [charts.Peer(o["name"], o["npc"], o["name"] == compete.get("recommended"))
            for o in options]
    return r.figure(charts.ranked_bars(bars, money, width=r.width, label_width=r.width * 0.32),
                    "Net present cost of each option over the appraisal period; the "
                    "recommended option is highlighted.")


def actions_table(r: ReportRenderer, actions: list[ActionPart]) -> Table:
    rows = []
    styles = []
    for i, a in enumerate(actions, start=1):
        measure_text = "–"
        if a.get("indicator"):
            unit, decimals = a["unit"] or "count", _decimals(a)
            measure_text = (f"{a['indicator']}: {measure(a.get('baseline_value'), unit, decimals)}"
                            f" ({financial_year(a.get('baseline_year'))}) → "
                            f"{measure(a.get('target_value'), unit, decimals)}"
                            f" ({financial_year(a.get('target_year'))})")
        elif a.get("deliverable"):
            measure_text = a["deliverable"]
        status: Any = (a.get("status") or "").capitalize()
        colour = RAG_COLOURS.get(a.get("status") or "")
        if colour is not None:
            styles.append(("BACKGROUND", (5, i), (5, i), colour))
            status = r.para(status, "CellWhite")
        rows.append([a["title"], a.get("owner", ""), long_date(a.get("due_date")),
                     action_cost(a), measure_text, status])
    return r.table(["Action", "Owner", "Due", "Resources", "Measure of success", "Status"],
                   rows, [0.27, 0.13, 0.11, 0.13, 0.26, 0.1], extra_style=styles)


def _decimals(action: ActionPart) -> int:
    """The decimals of the action's indicator, as its Compare row prints it (0 for pounds per
    home: £972, not £972.3); 1 when the action names none."""
    decimals = action.get("decimals")
    return 1 if decimals is None else decimals


def action_cost(action: ActionPart) -> str:
    """What an action costs: ``£250,000 1.5 FTE``, or ``No extra cost``."""
    resources = " ".join(part for part in (
        money(action["resources_gbp"]) if action.get("resources_gbp") else "",
        f"{number(action['resources_fte'], 1)} FTE" if action.get("resources_fte") else "")
        if part)
    return resources or "No extra cost"


def safe_text(text: object) -> str:
    """User text as markup (re-exported for editions composing their own markup)."""
    return safe(text)


def status_text(snapshot: ReviewDocument) -> str:
    signoff = snapshot.get("signoff")
    if signoff:
        return (f"Signed off by {signoff['by']} on {long_date(signoff['at'])} "
                f"(version {signoff['version']})")
    return f"Draft, version {snapshot['review'].get('version', 1)}: not yet signed off"


_MONEY_WORDS = ("budget", "cost", "roll", "gbp", "spend", "income", "price")


def context_label(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


def context_value(key: str, value: Any) -> str:
    """A context figure: money for budgets and costs, thousands separators for counts."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if isinstance(value, dict):
            return "; ".join(f"{context_label(k)}: {context_value(k, v)}"
                             for k, v in value.items())
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)
    if any(word in key.lower() for word in _MONEY_WORDS):
        return money(value)
    return number(value, 0 if float(value).is_integer() else 2)


def service_judgement(snapshot: ReviewDocument) -> tuple[int | None, str | None]:
    """The stars of the first judged KLOE and the prospects for improvement."""
    judged = [j for j in snapshot["judgements"] if j.get("stars") is not None]
    star = judged[0]["stars"] if judged else None
    named = [j for j in snapshot["judgements"]
             if j.get("prospects") and "prospects" in j["kloe"].lower()]
    any_prospects = [j for j in snapshot["judgements"] if j.get("prospects")]
    chosen = (named or any_prospects)[0]["prospects"] if named or any_prospects else None
    return star, chosen


def recommended_option(compete: CompetePart | None) -> OptionPart | None:
    if not compete or not compete.get("recommended"):
        return None
    return next((o for o in compete["options"] if o["name"] == compete["recommended"]), None)


def headline(snapshot: ReviewDocument, *, provisional: bool = False) -> list[str]:
    """Key findings as paragraph markup, one sentence each; ``provisional`` while the
    appraisal's recommendation is not yet for decision."""
    lines = []
    star, prospect = service_judgement(snapshot)
    if star is not None or prospect:
        lines.append(f"We judge the service <b>{safe(stars(star))}</b> with <b>"
                     f"{safe(prospects(prospect).lower())}</b> prospects for improvement.")
    rows = snapshot["compare"]["indicators"]
    if rows:
        top = sum(1 for r in rows if r["quartile"] == 1)
        bottom = [r["code"] for r in rows if r["quartile"] == 4]
        in_top = "none is" if top == 0 else f"{top} {'is' if top == 1 else 'are'}"
        text = (f"Of {count(len(rows), 'indicator')} benchmarked for "
                f"{financial_year(snapshot['compare']['year'])}, {in_top} in the top quartile "
                f"and {len(bottom) or 'none'} in the bottom quartile")
        text += f" ({safe(', '.join(bottom))})." if bottom else "."
        lines.append(text)
    surveyed = [(a, sat) for a in snapshot["consult"] if (sat := a["satisfaction"]) is not None]
    if surveyed:
        # Of those who answered, in which survey: not "of tenants asked", of whom a third
        # replied, nor a figure the reader cannot place among several surveys.
        activity, sat = surveyed[0]
        held = f" of {long_date(activity['held_on'])}" if activity.get("held_on") else ""
        method = "consultation" if activity["method"] == "other" else \
            activity["method_label"].lower()
        lines.append(f"{pct(sat['pct'])} of the {number(sat['n'])} tenants who answered the "
                     f"{safe(method)}{held} were satisfied "
                     f"(95% confidence interval {pct(sat['low'])} to {pct(sat['high'])}).")
    option = recommended_option(snapshot.get("compete"))
    if option is not None:
        lead = "Provisional result of the options appraisal" if provisional else \
            "Recommended option"
        lines.append(f"{lead}: <b>{safe(option['name'])}</b>, net present cost "
                     f"{money(option['npc'])}.")
    if snapshot["actions"]:
        lines.append(f"The improvement plan has "
                     f"{count(len(snapshot['actions']), 'SMART action')}.")
    return lines


def held_history(row: IndicatorRow) -> list[HistoryPoint]:
    """The history from its first year with any value, ours or the peers': the years before
    hold nothing to draw or to speak of."""
    history = row.get("history", [])
    first = next((i for i, p in enumerate(history)
                  if p.get("value") is not None or p.get("median") is not None), len(history))
    return history[first:]


def chart_caption(row: IndicatorRow, year: int | None) -> str:
    years = [p["year"] for p in held_history(row)]
    span = (f"from {financial_year(years[0])} to {financial_year(years[-1])}"
            if len(years) > 1 else f"in {financial_year(years[0])}" if years else "by year")
    return (f"Left: every peer's value in {financial_year(year)}, our own bar highlighted "
            f"({value_of(row)}, rank {row['rank']} of {row['n']}). Right: our value {span} "
            f"against the middle half of peers. {polarity_text(row['polarity'])}.")


def switching_text(compete: CompetePart) -> str:
    parts_ = []
    sentence = switching_sentence(compete.get("switching_value_pct"),
                                  compete.get("switching_between"))
    if sentence:
        parts_.append(sentence)
    elif not any(OptionKind(o["kind"]).is_externally_tested for o in compete["options"]):
        parts_.append("No external option was appraised, so there is no contract price whose "
                      "change would alter the recommendation.")
    else:
        parts_.append("No change in the contract price of the external options within the "
                      "range tested would level the scores with the in-house service.")
    if compete.get("weight_flip_price_weight") is not None:
        parts_.append(weight_flip_sentence(compete["weight_flip_price_weight"],
                                           compete["parameters"]["price_weight"]))
    if compete.get("fragile"):
        parts_.append("The recommendation is fragile: a small change reverses it.")
    return " ".join(parts_)


def trajectory_table(r: ReportRenderer, actions: list[ActionPart]) -> Table:
    years = sorted({p["year"] for a in actions for p in a["trajectory"]})
    rows = []
    for a in actions:
        by_year = {p["year"]: p["value"] for p in a["trajectory"]}
        unit, decimals = a["unit"] or "count", _decimals(a)
        reached = {True: "Yes", False: "No", None: "–"}[a.get("reaches_top_quartile")]
        rows.append([f"{a['indicator']} {a.get('indicator_name') or ''}",
                     *[measure(by_year.get(y), unit, decimals) if y in by_year else "–"
                       for y in years],
                     measure(a.get("top_quartile"), unit, decimals), reached])
    col = 0.5 / max(1, len(years))
    return r.table(["Indicator", *[financial_year(y) for y in years], "Top quartile now",
                    "Target in top quartile?"], rows,
                   [0.26, *[col] * len(years), 0.12, 0.12],
                   align="L" + "R" * (len(years) + 1) + "L")
