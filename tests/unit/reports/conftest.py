"""A hand-made review snapshot with figures worked out by hand, for the report tests."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from pypdf import PdfReader

PEERS = ["Ashdown Homes", "Brackenfield Housing Trust", "Calderbrook Homes", "Dunmere HA Ltd",
         "Eastleigh Vale Housing", "Fairholme Homes", "Glenmore Housing Group"]


def _history(values: list[float]) -> list[dict[str, Any]]:
    return [{"year": 2005 + i, "value": v, "n": 8, "p25": 20.0 + i, "median": 24.0 + i,
             "p75": 28.0 + i, "quartile": 3} for i, v in enumerate(values)]


def make_snapshot() -> dict[str, Any]:
    """Review of "Decent homes": BV184a is 29.38% (8,900 of 30,290 homes), peer median 26.1%."""
    peers = [{"name": n, "value": 18.5 + 2.3 * i, "is_self": False} for i, n in enumerate(PEERS)]
    peers.append({"name": "Northvale Homes", "value": 29.38, "is_self": True})
    indicator = {
        "code": "BV184a", "name": "Non-decent homes", "unit": "percent", "polarity": "lower",
        "decimals": 2, "linked": True, "value": 29.38, "n": 8, "p25": 22.1, "median": 26.1,
        "p75": 30.2, "quartile": 3, "rank": 6, "gap_to_top_quartile": 7.28,
        "improvement_per_year": 1.456, "bottom_quartile": False, "years_in_bottom_quartile": 0,
        "persistent": False, "small_sample": False, "target": 20.0, "note": "",
        "quality_note": "Stock condition survey 2004 uplifted", "peers": peers,
        "history": _history([35.2, 33.0, 31.9, 30.4, 29.38]),
    }
    cost = {
        "code": "CPP-RR", "name": "Cost per property: responsive repairs", "unit": "pounds",
        "polarity": "lower", "decimals": 0, "linked": False, "value": 861.0, "n": 8,
        "p25": 780.0, "median": 860.0, "p75": 905.0, "quartile": 3, "rank": 5,
        "gap_to_top_quartile": 81.0, "improvement_per_year": 16.2, "bottom_quartile": False,
        "years_in_bottom_quartile": 0, "persistent": False, "small_sample": False,
        "target": None, "note": "", "quality_note": "", "peers": [],
        "history": _history([900, 880, 875, 870, 861]),
    }
    options = [
        _option("In-house (status quo)", "in_house", 36_653_359, 2, 77.5, True),
        _option("Improved in-house", "improved_in_house", 36_138_866, 1, 83.2, True),
        _option("External contract", "external", 36_990_056, 3, 79.28, True),
    ]
    return {
        "schema": 1, "generated_on": "2010-03-01",
        "landlord": {"name": "Northvale Homes", "code": "NVH", "region": "Yorkshire",
                     "homes": 5120, "org_type": "housing_association"},
        "service": {"code": "repairs", "name": "Responsive repairs",
                    "description": "Day-to-day repairs to tenants' homes."},
        "review": {"id": 1, "title": "Repairs Best Value review 2009/10",
                   "scope": "Responsive repairs to 5,120 homes.",
                   "objectives": "Repairs done right first time.", "stage": "compete",
                   "start_date": "2009-06-01", "end_date": "2010-05-31",
                   "board_approval_date": "2010-06-15", "board_minute_ref": "B/2010/41",
                   "vfm_statement": "Costs are at the median; quality is improving.",
                   "version": 1, "locked": False},
        "team": [{"name": "Helen Ashworth", "role": "Director (chair)", "is_tenant": False},
                 {"name": "Margaret Lewis", "role": "Tenant member", "is_tenant": True}],
        "context": {"homes": 5120, "tenants": 4870, "budget": 4_410_000},
        "challenge": [{"question": "Should we provide this service at all?",
                       "answer": "Yes: the repairing covenant requires it.",
                       "is_standard": True}],
        "compare": {"year": 2009, "peer_group": None, "indicators": [indicator, cost],
                    "compete_trigger": [], "persistent": [], "message": ""},
        "consult": [{"method": "postal_survey", "method_label": "Postal survey",
                     "held_on": "2009-09-14", "sample_frame": "Recent repairs",
                     "population": 3400, "issued": 1200, "responses": 412,
                     "response_rate": 34.333, "satisfaction": {"pct": 75.628, "low": 71.6,
                                                               "high": 79.6, "margin": 4.0,
                                                               "n": 398},
                     "representativeness": "", "findings": "Appointments missed.",
                     "changes": "Appointments kept is now a quality criterion.",
                     "problems": []}],
        "compete": {
            "parameters": {"base_date": "2010-04-01", "period_years": 10,
                           "discount_rate_pct": None, "vat_rate_pct": 17.5,
                           "price_weight": 40.0, "price_method": "relative",
                           "quality_threshold_pct": 50.0, "homes_served": 5120},
            "criteria": [{"name": "Appointments kept", "weight": 60.0,
                          "scores": {o["name"]: 6.0 for o in options}},
                         {"name": "Tenant satisfaction", "weight": 40.0,
                          "scores": {o["name"]: 7.0 for o in options}}],
            "options": options, "discount_factors": [1.0, 0.966],
            "recommended": "Improved in-house", "switching_value_pct": -10.7,
            "switching_between": ["External contract", "Improved in-house"],
            "weight_flip_price_weight": None, "fragile": False,
            "tornado": [{"label": "External contract: Contract price", "low": -7.4,
                         "high": 1.0},
                        {"label": "Improved in-house: Staff", "low": 4.0, "high": -3.7}],
            "compulsory_competition": {"required": False, "satisfied": True, "indicators": [],
                                       "tested_options": ["External contract"]},
            "decision": ["Recommended: Improved in-house, with 83.20 points out of 100."],
            "warnings": [], "message": ""},
        "actions": [{"title": "Bring homes up to the decent homes standard", "owner": "Tom Okafor",
                     "start_date": "2010-04-01", "due_date": "2012-03-31",
                     "resources_gbp": 250000.0, "resources_fte": 1.5, "indicator": "BV184a",
                     "indicator_name": "Non-decent homes", "unit": "percent", "decimals": 2,
                     "polarity": "lower", "baseline_value": 29.38, "baseline_year": 2009,
                     "target_value": 20.0, "target_year": 2011, "deliverable": "",
                     "milestones": "", "status": "amber", "finding": "",
                     "trajectory": [{"year": 2009, "label": "2009/10", "value": 29.38},
                                    {"year": 2010, "label": "2010/11", "value": 24.69},
                                    {"year": 2011, "label": "2011/12", "value": 20.0}],
                     "top_quartile": 22.1, "reaches_top_quartile": True}],
        "judgements": [{"kloe": "Responsive repairs and maintenance", "stars": 2,
                        "prospects": "promising", "rationale": "A good service."}],
        "evidence": [{"file_name": "survey.txt", "title": "Tenant survey 2009",
                      "source": "Research", "sha256": "ab" * 32, "size": 120,
                      "dated": "2009-10-30", "expires": None, "supports": "",
                      "added_at": "2010-03-01T09:00:00"}],
        "signoff": None,
        "methodology": "# Method\n\nQuartiles use **QUARTILE.INC**.\n\n- one\n- two\n\n"
                       "| Step | Rule |\n|---|---|\n| 1 | Discount at 3.5% |\n",
    }


def _option(name: str, kind: str, npc: float, rank: int, total: float,
            eligible: bool) -> dict[str, Any]:
    yearly = [npc / 10] * 11
    return {"name": name, "kind": kind, "kind_label": name, "description": "", "npc": npc,
            "eac": npc / 9.2, "cost_per_home": npc / 9.2 / 5120, "vat_npc": 1_000_000.0,
            "optimism_bias_npc": 0.0, "risk_npc": 0.0,
            "cost_by_category": {"staff": npc * 0.6, "materials": npc * 0.4},
            "yearly_costs": yearly, "discounted_costs": yearly, "quality_pct": 64.0,
            "quality_score": 38.4, "price_score": 40.0, "total_score": total,
            "eligible": eligible, "rank": rank, "optimism_bias_pct": 0.0,
            "market_tested_share_pct": None,
            "cost_lines": [{"category": "staff", "label": "Staff", "vat": "none",
                            "description": "=SUM(A1:A2) operatives", "amounts": yearly}],
            "risks": []}


@pytest.fixture
def snapshot() -> dict[str, Any]:
    return make_snapshot()


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def pdf_text() -> Callable[[bytes], str]:
    """The text of every page of a PDF as pypdf reads it back, runs of white space as one."""
    return _pdf_text
