"""Benchmark: the regulator submission of a large review against a bare reportlab document.

The large review has 30 indicators with five years of history and 40 peers, 6 options with 25
cost lines over 10 years each, 40 actions and 15 charts (a peer distribution and a trend for 7
linked indicators, and the tornado). The baseline is a plain reportlab document (standard
Helvetica, library charts) with the same kinds of tables and charts, with as many cost-line
rows as bring it to the same number of pages. Goal: the submission within 1.5x of the baseline.

Run: ``python benchmarks/bench_report.py``. Prints both times (best of five), the page counts
and the ratio.
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Callable
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from bvdesk.reports import render

INDICATORS = 30
LINKED = 7
YEARS = 5
PEERS = 40
OPTIONS = 6
COST_LINES = 25
COST_YEARS = 10
ACTIONS = 40
CATEGORIES = ("staff", "materials", "vehicles_premises", "overheads_avoidable",
              "contract_price", "client_side", "procurement", "mobilisation")


def large_snapshot(seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    indicators = []
    for i in range(INDICATORS):
        own = rng.uniform(60, 95)
        peers = [{"name": f"Peer landlord {j}", "value": rng.uniform(55, 99), "is_self": False}
                 for j in range(PEERS - 1)] + [{"name": "Large Homes", "value": own,
                                                "is_self": True}]
        history = [{"year": 2005 + y, "value": own - 4 + y, "n": PEERS, "p25": 70.0 + y,
                    "median": 78.0 + y, "p75": 86.0 + y, "quartile": 3} for y in range(YEARS)]
        indicators.append({
            "code": f"PI{i:02d}", "name": f"Performance indicator number {i} of the service",
            "unit": "percent", "polarity": "higher", "decimals": 1, "linked": i < LINKED,
            "value": own, "n": PEERS, "p25": 70.0, "median": 78.0, "p75": 86.0,
            "quartile": 1 + i % 4, "rank": 1 + i, "gap_to_top_quartile": max(0.0, 86 - own),
            "improvement_per_year": 1.0, "bottom_quartile": i % 4 == 3,
            "years_in_bottom_quartile": i % 3, "persistent": i % 6 == 0,
            "small_sample": False, "target": 90.0, "note": "", "quality_note":
            "Audited by internal audit" if i % 5 == 0 else "",
            "history": history, "peers": peers if i < LINKED else []})
    options = []
    for o in range(OPTIONS):
        lines = [{"category": CATEGORIES[c % len(CATEGORIES)],
                  "label": CATEGORIES[c % len(CATEGORIES)].replace("_", " ").capitalize(),
                  "vat": "irrecoverable" if c % 3 == 0 else "none",
                  "description": f"Cost line {c} of option {o}",
                  "amounts": [rng.uniform(10_000, 400_000) for _ in range(COST_YEARS)]}
                 for c in range(COST_LINES)]
        yearly = [sum(line["amounts"][t] for line in lines) for t in range(COST_YEARS)]
        npc = sum(yearly) * 0.85
        options.append({
            "name": f"Option {o + 1}", "kind": "external", "kind_label": "External contract",
            "description": "", "npc": npc, "eac": npc / 8.3, "cost_per_home": npc / 8.3 / 9000,
            "vat_npc": npc * 0.05, "optimism_bias_npc": npc * 0.03, "risk_npc": npc * 0.01,
            "cost_by_category": {c: npc / len(CATEGORIES) for c in CATEGORIES},
            "yearly_costs": yearly, "discounted_costs": yearly, "quality_pct": 60.0 + o,
            "quality_score": 36.0 + o, "price_score": 40.0 - o, "total_score": 76.0,
            "eligible": True, "rank": o + 1, "optimism_bias_pct": 3.0,
            "market_tested_share_pct": None, "cost_lines": lines, "risks": []})
    actions = [{"title": f"Improvement action {a}: make the service better for tenants",
                "owner": "Service manager", "start_date": "2010-04-01",
                "due_date": "2012-03-31", "resources_gbp": 10_000.0 * a, "resources_fte": 0.5,
                "indicator": f"PI{a % INDICATORS:02d}",
                "indicator_name": f"Performance indicator number {a % INDICATORS}",
                "unit": "percent", "decimals": 1, "polarity": "higher", "baseline_value": 70.0,
                "baseline_year": 2009, "target_value": 86.0, "target_year": 2013,
                "deliverable": "", "milestones": "", "status": ("red", "amber", "green")[a % 3],
                "finding": "", "top_quartile": 86.0, "reaches_top_quartile": True,
                "trajectory": [{"year": 2009 + y, "label": "", "value": 70.0 + 4 * y}
                               for y in range(5)]} for a in range(ACTIONS)]
    return {
        "schema": 1, "generated_on": "2010-03-01",
        "landlord": {"name": "Large Homes", "code": "LH", "region": "London", "homes": 9000,
                     "org_type": "housing_association"},
        "service": {"code": "repairs", "name": "Responsive repairs", "description": "Repairs."},
        "review": {"id": 1, "title": "Large review", "scope": "Everything.", "objectives": "",
                   "stage": "compete", "start_date": "2009-04-01", "end_date": "2010-03-31",
                   "board_approval_date": None, "board_minute_ref": "",
                   "vfm_statement": "Good value.", "version": 1, "locked": False},
        "team": [{"name": f"Member {m}", "role": "Officer", "is_tenant": m % 3 == 0}
                 for m in range(8)],
        "context": {"homes": 9000, "budget": 12_000_000},
        "challenge": [{"question": f"Question {q}?", "answer": "An answer. " * 20,
                       "is_standard": True} for q in range(6)],
        "compare": {"year": 2009, "peer_group": None, "indicators": indicators,
                    "compete_trigger": [], "persistent": [], "message": ""},
        "consult": [],
        "compete": {
            "parameters": {"base_date": "2010-04-01", "period_years": COST_YEARS - 1,
                           "discount_rate_pct": None, "vat_rate_pct": 17.5,
                           "price_weight": 40.0, "price_method": "relative",
                           "quality_threshold_pct": 50.0, "homes_served": 9000},
            "criteria": [{"name": f"Criterion {c}", "weight": 100 / 6,
                          "scores": {o["name"]: 6.0 for o in options}} for c in range(6)],
            "options": options, "discount_factors": [], "recommended": "Option 1",
            "switching_value_pct": 12.5, "switching_between": ["Option 2", "Option 1"],
            "weight_flip_price_weight": None, "fragile": False,
            "tornado": [{"label": f"Option {b % OPTIONS + 1}: cost line {b}",
                         "low": -b * 0.5, "high": b * 0.4} for b in range(10)],
            "compulsory_competition": {"required": False, "satisfied": True,
                                       "indicators": [], "tested_options": []},
            "decision": ["Recommended: Option 1."], "warnings": [], "message": ""},
        "actions": actions, "judgements": [], "evidence": [], "signoff": None,
        "methodology": "",
    }


# --- the bare baseline ------------------------------------------------------------------------


def _bare_table(rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 7),
                               ("GRID", (0, 0), (-1, -1), 0.25, "#999999"),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _bar_chart(values: list[float]) -> Drawing:
    drawing = Drawing(240, 150)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 20, 200, 120
    chart.data = [sorted(values)]
    drawing.add(chart)
    return drawing


def _line_chart(series: list[list[float]]) -> Drawing:
    drawing = Drawing(240, 150)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 30, 20, 200, 120
    chart.data = series
    drawing.add(chart)
    return drawing


def _tornado(bars: list[dict[str, Any]]) -> Drawing:
    drawing = Drawing(480, 200)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 150, 20, 300, 170
    chart.data = [[b["low"] for b in bars], [b["high"] for b in bars]]
    chart.categoryAxis.categoryNames = [b["label"] for b in bars]
    drawing.add(chart)
    return drawing


def bare_story(s: dict[str, Any], cost_rows: int) -> list[Any]:
    body = getSampleStyleSheet()["BodyText"]
    cell = getSampleStyleSheet()["BodyText"].clone("cell", fontSize=7, leading=8.5)
    width = A4[0] - 36 * mm
    story: list[Any] = [Paragraph(s["review"]["title"], getSampleStyleSheet()["Title"])]
    story.append(_bare_table(
        [["Indicator", "Polarity", "Trend", "Target", "Median", "Quartile", "Gap", "Notes"]]
        + [[Paragraph(r["name"], cell), r["polarity"],
            " > ".join(f"{p['value']:.1f}" for p in r["history"]), f"{r['target']:.1f}",
            f"{r['median']:.1f}", str(r["quartile"]), f"{r['gap_to_top_quartile']:.1f}",
            Paragraph(r["quality_note"], cell)] for r in s["compare"]["indicators"]],
        [w * width for w in (0.18, 0.09, 0.18, 0.08, 0.09, 0.1, 0.1, 0.18)]))
    for r in s["compare"]["indicators"][:LINKED]:
        story.append(Paragraph(r["name"], body))
        story.append(Table([[_bar_chart([p["value"] for p in r["peers"]]),
                             _line_chart([[p["value"] for p in r["history"]],
                                          [p["p25"] for p in r["history"]],
                                          [p["p75"] for p in r["history"]]])]]))
    options = s["compete"]["options"]
    story.append(_bare_table([["Option", "NPC", "EAC", "Per home", "Quality", "Price", "Total"]]
                             + [[o["name"], f"{o['npc']:,.0f}", f"{o['eac']:,.0f}",
                                 f"{o['cost_per_home']:,.0f}", f"{o['quality_score']:.1f}",
                                 f"{o['price_score']:.1f}", f"{o['total_score']:.1f}"]
                                for o in options], [width / 7] * 7))
    story.append(_bare_table([["Year", *[o["name"] for o in options]]]
                             + [[str(t), *[f"{o['yearly_costs'][t]:,.0f}" for o in options]]
                                for t in range(COST_YEARS)], [width / 7] * 7))
    story.append(_tornado(s["compete"]["tornado"]))
    story.append(_bare_table(
        [["Action", "Owner", "Due", "Resources", "Measure", "Status"]]
        + [[Paragraph(a["title"], cell), a["owner"], a["due_date"],
            f"{a['resources_gbp']:,.0f}", Paragraph(f"{a['indicator']}: "
                                                    f"{a['baseline_value']} to "
                                                    f"{a['target_value']}", cell), a["status"]]
           for a in s["actions"]], [w * width for w in (0.3, 0.13, 0.11, 0.1, 0.26, 0.1)]))
    lines = [(o["name"], line) for o in options for line in o["cost_lines"]]
    for start in range(0, cost_rows, COST_LINES):
        chunk = [lines[i % len(lines)] for i in range(start, min(cost_rows, start + COST_LINES))]
        story.append(Paragraph(chunk[0][0], body))
        story.append(_bare_table(
            [["Cost line", "Category", "VAT", *[f"Y{t}" for t in range(COST_YEARS)]]]
            + [[Paragraph(line["description"], cell), Paragraph(line["label"], cell),
                line["vat"], *[f"{a / 1000:,.0f}" for a in line["amounts"]]]
               for _, line in chunk],
            [0.16 * width, 0.12 * width, 0.09 * width]
            + [0.63 * width / COST_YEARS] * COST_YEARS))
    return story


def bare_document(s: dict[str, Any], cost_rows: int) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=22 * mm, bottomMargin=20 * mm, invariant=1)
    doc.build(bare_story(s, cost_rows))
    return buffer.getvalue(), doc.page


def _rows_for(snapshot: dict[str, Any], pages: int) -> int:
    """The fewest cost-line rows that bring the bare document to ``pages`` pages."""
    low, high = 0, OPTIONS * COST_LINES
    while bare_document(snapshot, high)[1] < pages:
        high *= 2
    while low < high:
        middle = (low + high) // 2
        if bare_document(snapshot, middle)[1] < pages:
            low = middle + 1
        else:
            high = middle
    return low


def best_of(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    snapshot = large_snapshot()
    render(snapshot, "regulator")  # warm up: font loading and imports
    ours, (_, pages) = best_of(5, lambda: render(snapshot, "regulator"))
    rows = _rows_for(snapshot, pages)
    bare, (_, bare_pages) = best_of(5, lambda: bare_document(snapshot, rows))
    print(f"regulator submission: {ours:.2f} s for {pages} pages")
    print(f"bare reportlab:       {bare:.2f} s for {bare_pages} pages")
    print(f"ratio: {ours / bare:.2f}x (goal: at most 1.5x)")


if __name__ == "__main__":
    main()
