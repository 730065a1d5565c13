"""The options appraisal method, checked against worked examples computed by hand."""

import datetime as dt

import pytest

from bvdesk.domain.appraisal import (
    AppraisalInputs,
    AppraisalParameters,
    CostLineInput,
    Criterion,
    OptionInput,
    RiskInput,
    appraise,
)
from bvdesk.domain.vocabulary import CostCategory, OptionKind, PriceMethod, VatTreatment

BASE = dt.date(2012, 4, 1)  # VAT 20%; discount 3.5% for years 1-30
QUALITY = (Criterion("Quality", 1.0),)


def one_year(name, kind, npc, score, category=CostCategory.STAFF):
    """An option costing ``npc`` in year 0 only, with one quality score out of 10."""
    return OptionInput(name, kind, (CostLineInput(category, (float(npc),)),),
                       scores={"Quality": score})


def run(*options, criteria=QUALITY, indicators=(), **settings):
    params = AppraisalParameters(base_date=BASE, period_years=settings.pop("period_years", 0),
                                 **settings)
    return appraise(AppraisalInputs(params, tuple(options), criteria,
                                    bottom_quartile_indicators=frozenset(indicators)))


# --- whole-life cost ---------------------------------------------------------------------------


def test_npc_with_vat_optimism_bias_and_risk():
    # Base date 1 April 2012: VAT 20%, discount 3.5%; DF = 1, 1/1.035 = 0.966184,
    # 1/1.035^2 = 0.933511; sum of DF = 2.899694.
    # Contract price 1,000 a year + irrecoverable VAT = 1,200; + 10% optimism bias = 1,320.
    # Staff 500 a year, no VAT; + 10% optimism bias = 550.
    # Risk: 25% chance of 400 in year 1 = 100 (not uplifted by optimism bias).
    # Yearly costs: 1,870, 1,970, 1,870.
    # NPC = 1,870 + 1,970 x 0.966184 + 1,870 x 0.933511 = 1,870 + 1,903.38 + 1,745.67 = 5,519.05
    # The service runs in years 1 and 2 (year 0 is before it starts): sum of DF_1..DF_2 =
    # 0.966184 + 0.933511 = 1.899695; EAC = 5,519.05 / 1.899695 = 2,905.23;
    # per home (100 homes) = 29.05.
    option = OptionInput(
        "Contract", OptionKind.EXTERNAL,
        (CostLineInput(CostCategory.CONTRACT_PRICE, (1000.0,) * 3, VatTreatment.IRRECOVERABLE),
         CostLineInput(CostCategory.STAFF, (500.0,) * 3, VatTreatment.NONE)),
        risks=(RiskInput("Contractor fails", 0.25, 400.0, 1),),
        scores={"Quality": 7}, optimism_bias_pct=10.0)
    result = run(option, period_years=2, homes_served=100)
    contract = result.option("Contract")
    assert result.vat_rate_pct == 20.0
    assert contract.yearly_costs == pytest.approx((1870.0, 1970.0, 1870.0))
    assert contract.npc == pytest.approx(5519.05, abs=0.01)
    assert contract.eac == pytest.approx(2905.23, abs=0.01)
    assert contract.cost_per_home == pytest.approx(29.05, abs=0.01)
    # VAT: 200 x 1.1 x 2.899694 = 637.93; risk: 100 x 0.966184 = 96.62
    assert contract.vat_npc == pytest.approx(637.93, abs=0.01)
    assert contract.risk_npc == pytest.approx(96.62, abs=0.01)
    # Categories: contract 1,320 x 2.899694 = 3,827.60; staff 550 x 2.899694 = 1,594.83.
    assert contract.cost_by_category[CostCategory.CONTRACT_PRICE] == pytest.approx(3827.60,
                                                                                   abs=0.01)
    assert contract.cost_by_category[CostCategory.STAFF] == pytest.approx(1594.83, abs=0.01)


def test_an_option_costing_the_same_each_service_year_has_that_cost_as_its_eac():
    # Nothing in year 0; 4,407,250 in each of years 1-3 at 3.5%:
    # NPC = 4,407,250 x (0.9661836 + 0.9335107 + 0.9019427) = 4,407,250 x 2.8016370
    #     = 12,347,514.6.
    # EAC = NPC / (DF_1 + DF_2 + DF_3) = 4,407,250; per home (5,119 homes) = 860.96.
    status_quo = OptionInput("Status quo", OptionKind.IN_HOUSE, (CostLineInput(
        CostCategory.STAFF, (0.0, 4_407_250.0, 4_407_250.0, 4_407_250.0)),),
        scores={"Quality": 6})
    option = run(status_quo, period_years=3, homes_served=5119).option("Status quo")
    assert option.npc == pytest.approx(12_347_514.6, abs=0.1)
    assert option.eac == pytest.approx(4_407_250.0, abs=0.01)
    assert option.cost_per_home == pytest.approx(860.96, abs=0.01)


def test_one_off_costs_in_year_0_are_spread_over_the_service_years():
    # 1,000 one-off in year 0, then 500 in years 1 and 2, at 3.5%:
    # NPC = 1,000 + 500 x 1.899695 = 1,949.85; EAC = 1,949.85 / 1.899695 = 1,026.40.
    option = OptionInput("Contract", OptionKind.EXTERNAL, (CostLineInput(
        CostCategory.CONTRACT_PRICE, (1000.0, 500.0, 500.0)),), scores={"Quality": 6})
    result = run(option, period_years=2).option("Contract")
    assert result.npc == pytest.approx(1949.85, abs=0.01)
    assert result.eac == pytest.approx(1026.40, abs=0.01)
    assert result.cost_per_home is None


def test_recoverable_vat_and_user_vat_rate():
    # Recoverable VAT is not a cost; a user-set VAT rate of 17.5% replaces the 20% default:
    # 1,000 + 1,000 x 17.5% = 1,175.
    option = OptionInput("A", OptionKind.EXTERNAL, (
        CostLineInput(CostCategory.CONTRACT_PRICE, (1000.0,), VatTreatment.IRRECOVERABLE),
        CostLineInput(CostCategory.MATERIALS, (300.0,), VatTreatment.RECOVERABLE)),
        scores={"Quality": 5})
    assert run(option, vat_rate_pct=17.5).option("A").npc == pytest.approx(1475.0)


def test_cost_per_home_needs_homes_served():
    assert run(one_year("A", OptionKind.IN_HOUSE, 100, 5)).option("A").cost_per_home is None


def test_costs_and_risks_after_the_period_are_left_out_with_a_warning():
    option = OptionInput("A", OptionKind.IN_HOUSE,
                         (CostLineInput(CostCategory.STAFF, (100.0, 100.0)),),
                         risks=(RiskInput("Late", 0.5, 50.0, 3),), scores={"Quality": 5})
    result = run(option)
    assert result.option("A").npc == pytest.approx(100.0)
    assert any("after year 0" in w for w in result.warnings)
    assert any("'Late' falls in year 3" in w for w in result.warnings)


# --- scores ------------------------------------------------------------------------------------


def test_relative_price_score():
    # 40 x 100 / 105 = 38.10; the cheapest gets the full 40.
    result = run(one_year("Cheap", OptionKind.IN_HOUSE, 100, 5),
                 one_year("Dear", OptionKind.EXTERNAL, 105, 5, CostCategory.CONTRACT_PRICE))
    assert result.option("Cheap").price_score == pytest.approx(40.0)
    assert round(result.option("Dear").price_score, 2) == 38.10


def test_prices_are_scored_against_the_lowest_eligible_option():
    # "Cease" costs 50 but scores 2/10 (20% of the marks, below the 50% threshold): it is set
    # aside, so it does not set the benchmark price. Lowest eligible NPC = 100 ("In-house").
    # Relative: In-house 40 x 100/100 = 40.00; Contract 40 x 100/125 = 32.00; Cease would be
    # 40 x 100/50 = 80, capped at the full price weight, 40.
    # Totals (quality weight 60): In-house 40 + 0.6 x 60 = 76.00; Contract 32 + 0.8 x 60 =
    # 80.00, recommended. Scored against 50 instead, both would get 20 and 16 price points.
    result = run(one_year("In-house", OptionKind.IN_HOUSE, 100, 6),
                 one_year("Contract", OptionKind.EXTERNAL, 125, 8, CostCategory.CONTRACT_PRICE),
                 one_year("Cease", OptionKind.EXTERNAL, 50, 2))
    assert result.option("In-house").price_score == pytest.approx(40.0)
    assert result.option("Contract").price_score == pytest.approx(32.0)
    assert result.option("Cease").price_score == pytest.approx(40.0)
    assert result.option("In-house").total_score == pytest.approx(76.0)
    assert result.option("Contract").total_score == pytest.approx(80.0)
    assert result.recommended == "Contract"
    # Linear: Contract 40 x max(0, 1 - 25/100) = 30.00.
    linear = run(one_year("In-house", OptionKind.IN_HOUSE, 100, 6),
                 one_year("Contract", OptionKind.EXTERNAL, 125, 8, CostCategory.CONTRACT_PRICE),
                 one_year("Cease", OptionKind.EXTERNAL, 50, 2), price_method=PriceMethod.LINEAR)
    assert linear.option("Contract").price_score == pytest.approx(30.0)
    assert linear.option("Cease").price_score == pytest.approx(40.0)


def test_linear_price_score():
    # 40 x max(0, 1 - (105 - 100) / 100) = 40 x 0.95 = 38.00;
    # 40 x max(0, 1 - (250 - 100) / 100) = 40 x max(0, -0.5) = 0.
    result = run(one_year("Cheap", OptionKind.IN_HOUSE, 100, 5),
                 one_year("Dear", OptionKind.EXTERNAL, 105, 5),
                 one_year("Dearest", OptionKind.EXTERNAL, 250, 5),
                 price_method=PriceMethod.LINEAR)
    assert result.option("Dear").price_score == pytest.approx(38.0)
    assert result.option("Dearest").price_score == 0.0


def test_weighted_quality_score_and_total():
    # Weights 3 and 1, scores 8 and 4: (3 x 8 + 1 x 4) / (10 x 4) = 28 / 40 = 70% of the marks;
    # quality weight 60: 0.7 x 60 = 42; price 40 (the only option); total 82.
    criteria = (Criterion("Repairs", 3.0), Criterion("Tenants", 1.0))
    option = OptionInput("A", OptionKind.IN_HOUSE, (CostLineInput(CostCategory.STAFF, (10.0,)),),
                         scores={"Repairs": 8, "Tenants": 4})
    result = run(option, criteria=criteria).option("A")
    assert result.quality_pct == pytest.approx(70.0)
    assert result.quality_score == pytest.approx(42.0)
    assert result.total_score == pytest.approx(82.0)


def test_missing_score_counts_as_zero_with_a_warning():
    option = OptionInput("A", OptionKind.IN_HOUSE, (CostLineInput(CostCategory.STAFF, (10.0,)),))
    result = run(option)
    assert result.option("A").quality_score == 0.0
    assert "A has no score for Quality; counted as 0." in result.warnings


def test_without_criteria_every_option_is_eligible_on_price_alone():
    result = run(one_year("A", OptionKind.IN_HOUSE, 100, 0),
                 one_year("B", OptionKind.EXTERNAL, 90, 0), criteria=())
    assert all(o.eligible for o in result.options)
    assert result.recommended == "B"
    assert any("no weighted quality criteria" in w for w in result.warnings)


# --- decision rules ----------------------------------------------------------------------------


def test_quality_threshold_makes_an_option_ineligible():
    # "Cheap" 50, quality 4/10 = 40% of the marks: below the 50% threshold, so not eligible.
    # Prices are scored against the lowest eligible NPC (200, "Good"'s own), as a tender
    # evaluation sets non-compliant bids aside first: "Good" price 40 x 200/200 = 40, quality
    # 0.6 x 60 = 36, total 76; "Cheap" min(1, 200/50) x 40 = 40, quality 24, total 64.
    result = run(one_year("Cheap", OptionKind.EXTERNAL, 50, 4),
                 one_year("Good", OptionKind.IN_HOUSE, 200, 6))
    cheap = result.option("Cheap")
    assert cheap.total_score == pytest.approx(64.0)
    assert result.option("Good").total_score == pytest.approx(76.0)
    assert not cheap.eligible and cheap.rank == 2
    assert result.recommended == "Good"
    assert any("Cheap is not eligible: its quality is 40.0% of the available marks, below the "
               "threshold of 50%." in s for s in result.decision)


def test_no_eligible_option_means_no_recommendation():
    result = run(one_year("A", OptionKind.IN_HOUSE, 100, 2), quality_threshold_pct=60)
    assert result.recommended is None
    assert result.decision[0].startswith("No option can be recommended: none reaches")


def test_ties_go_to_the_lower_npc():
    # Price weight 50. "Dear" 125: price 50 x 100/125 = 40, quality 50 x 0.7 = 35, total 75.
    # "Cheap" 100: price 50, quality 50 x 0.5 = 25, total 75. Tie: the lower NPC wins.
    result = run(one_year("Dear", OptionKind.EXTERNAL, 125, 7),
                 one_year("Cheap", OptionKind.IN_HOUSE, 100, 5), price_weight=50)
    assert result.option("Dear").total_score == pytest.approx(75.0)
    assert result.option("Cheap").total_score == pytest.approx(75.0)
    assert result.recommended == "Cheap"
    assert result.option("Cheap").rank == 1 and result.option("Dear").rank == 2


def test_adequate_is_not_enough():
    # In-house 100, quality 6/10: price 40 x 90/100 = 36, quality 36, total 72.
    # External 90, quality 7/10: price 40, quality 42, total 82 > 72: external is indicated.
    result = run(one_year("In-house", OptionKind.IN_HOUSE, 100, 6),
                 one_year("Contract", OptionKind.EXTERNAL, 90, 7, CostCategory.CONTRACT_PRICE))
    assert result.recommended == "Contract"
    assert ("External procurement is indicated: Contract scores 82.00 against 72.00 for the "
            "best in-house option, In-house. Adequate is not enough: this holds whatever the "
            "in-house service's current performance.") in result.decision


def test_external_indicated_when_no_in_house_option_is_eligible():
    # In-house 50, quality 3/10 (30% of the marks, below the 50% threshold): price 40,
    # quality 18, total 58. Contract 100, quality 6/10: price 20, quality 36, total 56.
    # The in-house total is higher, but it is not eligible, so the market wins.
    result = run(one_year("In-house", OptionKind.IN_HOUSE, 50, 3),
                 one_year("Contract", OptionKind.EXTERNAL, 100, 6))
    assert result.option("In-house").total_score == pytest.approx(58.0)
    assert result.recommended == "Contract"
    assert result.decision[1] == (
        "External procurement is indicated: no in-house option reaches the quality threshold, "
        "while Contract does. Adequate is not enough: this holds whatever the in-house "
        "service's current performance.")


def test_in_house_competitive_when_it_scores_at_least_as_well():
    result = run(one_year("In-house", OptionKind.IN_HOUSE, 90, 7),
                 one_year("Contract", OptionKind.EXTERNAL, 100, 6))
    assert result.recommended == "In-house"
    assert any(s.startswith("The in-house service is competitive: In-house scores 82.00")
               for s in result.decision)
    assert not any("External procurement is indicated" in s for s in result.decision)


def test_compulsory_competition_not_satisfied_without_a_market_test():
    result = run(one_year("In-house", OptionKind.IN_HOUSE, 100, 6),
                 one_year("Improved", OptionKind.IMPROVED_IN_HOUSE, 110, 8),
                 one_year("Cease", OptionKind.CEASE, 20, 1), indicators={"BV212", "BV66a"})
    competition = result.compulsory_competition
    assert (competition.required, competition.satisfied) == (True, False)
    assert result.as_dict()["compulsory_competition"]["satisfied"] is False
    assert ("Compulsory competition applies because BV212 and BV66a are in the bottom quartile, "
            "but no option tests the market, so the appraisal is not compliant: add an external "
            "contract, partial market test, partnership or shared service option."
            ) in result.decision


def test_compulsory_competition_satisfied_by_a_partial_market_test():
    result = run(one_year("In-house", OptionKind.IN_HOUSE, 100, 6),
                 one_year("Half out", OptionKind.PARTIAL_MARKET_TEST, 95, 6),
                 one_year("Improved", OptionKind.IMPROVED_IN_HOUSE, 110, 8), indicators={"BV212"})
    competition = result.compulsory_competition
    assert (competition.required, competition.satisfied) == (True, True)
    assert any("BV212 is in the bottom quartile; the appraisal complies, as it tests the market "
               "with Half out." in s for s in result.decision)
    assert not any("fewer" in w.lower() or "only" in w.lower() for w in result.warnings)


def test_compulsory_competition_not_required_without_bottom_quartile():
    result = run(one_year("In-house", OptionKind.IN_HOUSE, 100, 6))
    assert (result.compulsory_competition.required,
            result.compulsory_competition.satisfied) == (False, True)
    assert any(s.startswith("Compulsory competition does not apply") for s in result.decision)


def test_fewer_than_three_options_warns():
    result = run(one_year("In-house", OptionKind.IN_HOUSE, 100, 6),
                 one_year("Contract", OptionKind.EXTERNAL, 90, 7))
    assert result.warnings == ("Only 2 options appraised: appraise at least three, including "
                               "retaining and improving the in-house service, so the choice is "
                               "not pre-judged.",)


# --- sensitivity -------------------------------------------------------------------------------


def test_switching_value_found_by_hand():
    # In-house 100 (quality 6 -> 36 points); Contract 90, all contract price (quality 7 -> 42).
    # Raise the contract price by x%: NPC_C = 90 (1 + x/100).
    # Up to NPC_C = 100, Contract stays cheapest: T_C = 40 + 42 = 82 and T_I = 36 + 0.4 NPC_C,
    # at most 76 < 82: no crossing there.
    # Beyond 100, In-house is cheapest: T_I = 40 + 36 = 76 and T_C = 42 + 4,000 / NPC_C.
    # 42 + 4,000 / NPC_C = 76  =>  NPC_C = 4,000 / 34 = 117.647  =>  x = 117.647 / 90 - 1
    # = 30.72%.
    result = run(one_year("In-house", OptionKind.IN_HOUSE, 100, 6),
                 one_year("Contract", OptionKind.EXTERNAL, 90, 7, CostCategory.CONTRACT_PRICE))
    assert result.switching_value_pct == pytest.approx(30.72, abs=0.005)
    assert result.switching_between == ("Contract", "In-house")


def test_switching_value_when_in_house_leads():
    # Linear method, price weight 40. In-house 100 (quality 8 -> 48, total 88);
    # Contract 120 all contract price (quality 8 -> 48; price 40 x (1 - 20/100) = 32; total 80).
    # Cutting the contract price by x%: NPC_C = 120 (1 - x/100). While NPC_C >= 100, T_C =
    # 48 + 40 (1 - (NPC_C - 100)/100) = 88 only at NPC_C = 100, i.e. x = -16.67%.
    result = run(one_year("In-house", OptionKind.IN_HOUSE, 100, 8),
                 one_year("Contract", OptionKind.EXTERNAL, 120, 8, CostCategory.CONTRACT_PRICE),
                 price_method=PriceMethod.LINEAR)
    assert result.switching_value_pct == pytest.approx(-16.67, abs=0.005)


def test_no_switching_value_without_a_contract_price_or_in_house_option():
    result = run(one_year("In-house", OptionKind.IN_HOUSE, 100, 6),
                 one_year("Contract", OptionKind.EXTERNAL, 90, 7, CostCategory.STAFF))
    assert result.switching_value_pct is None
    assert run(one_year("Contract", OptionKind.EXTERNAL, 90, 7,
                        CostCategory.CONTRACT_PRICE)).switching_value_pct is None


def test_weight_flip_found_by_hand():
    # A: NPC 100, quality 5/10; B: NPC 125, quality 9/10. Price shares 1 and 0.8.
    # At w = 40: T_A = 40 + 0.5 x 60 = 70, T_B = 0.8 x 40 + 0.9 x 60 = 86: B leads by 16.
    # Equal when w + 0.5 (100 - w) = 0.8 w + 0.9 (100 - w)  =>  0.6 w = 40  =>  w = 66.67.
    result = run(one_year("A", OptionKind.IN_HOUSE, 100, 5),
                 one_year("B", OptionKind.EXTERNAL, 125, 9))
    assert result.recommended == "B"
    assert result.weight_flip_price_weight == pytest.approx(66.667, abs=1e-3)
    assert not result.fragile
    flipped = run(one_year("A", OptionKind.IN_HOUSE, 100, 5),
                  one_year("B", OptionKind.EXTERNAL, 125, 9), price_weight=70)
    assert flipped.recommended == "A"


def test_fragile_when_the_flip_is_near_the_current_weight():
    # The same pair at w = 60: T_B = 48 + 36 = 84, T_A = 60 + 20 = 80: B leads by 4 points,
    # but the flip at 66.67 is within 10 points of 60.
    result = run(one_year("A", OptionKind.IN_HOUSE, 100, 5),
                 one_year("B", OptionKind.EXTERNAL, 125, 9), price_weight=60)
    assert result.recommended == "B" and result.fragile
    assert any("a price weight of 66.7 instead of 60 would change it" in s
               for s in result.decision)


def test_fragile_when_the_top_two_are_within_two_points():
    # A: 100, quality 5 -> 40 + 30 = 70. B: 105, quality 5.5 -> 38.10 + 33 = 71.10 (lead 1.10).
    result = run(one_year("A", OptionKind.IN_HOUSE, 100, 5),
                 one_year("B", OptionKind.EXTERNAL, 105, 5.5))
    assert result.recommended == "B" and result.fragile


def test_no_weight_flip_when_one_option_dominates():
    result = run(one_year("In-house", OptionKind.IN_HOUSE, 100, 6),
                 one_year("Contract", OptionKind.EXTERNAL, 90, 7))
    assert result.weight_flip_price_weight is None


def test_one_way_sensitivity_and_tornado():
    # In-house staff 100 (quality 6), Contract 90 (quality 7): Contract leads 82 to 72 (by 10).
    # In-house staff -20% -> 80: In-house 40 + 36 = 76; Contract 40 x 80/90 + 42 = 77.56;
    # lead 1.56, a change of -8.44.
    # In-house staff +20% -> 120: In-house 40 x 90/120 + 36 = 66; lead 16, a change of +6.
    result = run(one_year("In-house", OptionKind.IN_HOUSE, 100, 6),
                 one_year("Contract", OptionKind.EXTERNAL, 90, 7, CostCategory.CONTRACT_PRICE))
    point = next(p for p in result.one_way if p.option == "In-house" and p.change_pct == -20)
    assert point.npc_change == pytest.approx(-20.0)
    assert point.lead_change == pytest.approx(-8.444, abs=1e-3)
    assert point.recommended == "Contract"
    bars = result.tornado(20)
    assert [(b.option, b.category) for b in bars] == [
        ("In-house", CostCategory.STAFF), ("Contract", CostCategory.CONTRACT_PRICE)]
    assert (bars[0].low, bars[0].high) == pytest.approx((-8.444, 6.0), abs=1e-3)


# --- inputs and output -------------------------------------------------------------------------


@pytest.mark.parametrize("settings, message", [
    ({"price_weight": 120}, "price weight must be 0-100"),
    ({"quality_threshold_pct": -1}, "quality threshold"),
])
def test_impossible_settings_are_refused(settings, message):
    with pytest.raises(ValueError, match=message):
        run(one_year("A", OptionKind.IN_HOUSE, 100, 5), **settings)


def test_duplicate_option_names_are_refused():
    with pytest.raises(ValueError, match="both called 'A'"):
        run(one_year("A", OptionKind.IN_HOUSE, 100, 5), one_year("A", OptionKind.EXTERNAL, 90, 5))


def test_no_options_gives_no_recommendation_and_warns():
    result = run()
    assert result.recommended is None and result.options == ()
    assert result.warnings[0].startswith("No options appraised: appraise at least three")


def test_json_form_has_every_field_the_command_prints():
    data = run(one_year("In-house", OptionKind.IN_HOUSE, 100, 6),
               one_year("Contract", OptionKind.EXTERNAL, 90, 7, CostCategory.CONTRACT_PRICE),
               homes_served=10).as_dict()
    assert set(data) == {"options", "recommended", "switching_value_pct", "switching_between",
                         "switching", "weight_flip_price_weight", "fragile",
                         "compulsory_competition", "decision", "warnings"}
    assert data["switching_between"] == ["Contract", "In-house"]
    assert data["switching"] == ("Switching value: Contract would score as well as In-house if "
                                 "its contract price rose by 30.7%.")
    assert data["options"][1] == {
        "name": "Contract", "kind": "external", "npc": 90.0, "eac": 90.0, "cost_per_home": 9.0,
        "quality_score": 42.0, "price_score": 40.0, "total_score": 82.0, "eligible": True,
        "rank": 1}
    assert data["switching_value_pct"] == 30.72


def test_nothing_is_recommended_while_an_option_has_no_costs():
    # The uncosted option would score the full price weight at £0 and rank first.
    uncosted = OptionInput("New option", OptionKind.EXTERNAL, (), scores={"Quality": 9})
    result = run(one_year("In-house", OptionKind.IN_HOUSE, 100, 6), uncosted)
    assert result.recommended is None
    costed = run(one_year("In-house", OptionKind.IN_HOUSE, 100, 6),
                 one_year("New option", OptionKind.EXTERNAL, 120, 9))
    assert costed.recommended is not None


def test_the_decision_names_the_uncosted_option_rather_than_the_quality_threshold():
    # Both costed options pass the threshold (60% and 90% of the marks); only "Cease" has no
    # costs. The decision must say why nothing is recommended: the uncosted option, not a
    # quality threshold every costed option reaches.
    cease = OptionInput("Cease", OptionKind.CEASE, (), scores={"Quality": 0})
    result = run(one_year("In-house", OptionKind.IN_HOUSE, 100, 6),
                 one_year("Contract", OptionKind.EXTERNAL, 120, 9), cease)
    assert result.recommended is None
    assert result.decision[0] == ("No option can be recommended until every option is costed: "
                                  "Cease has no costs yet.")
    assert not any("quality threshold of" in s for s in result.decision[:1])


def test_a_named_option_with_brackets_gets_its_kind_without_nested_brackets():
    # "Cadw'r gwasanaeth yn fewnol (status quo) (in-house (status quo))" read as a typo; the
    # kind goes after a comma when the name or the kind has brackets of its own.
    result = run(one_year("Cadw'r gwasanaeth yn fewnol (status quo)", OptionKind.IN_HOUSE, 100, 6))
    assert result.decision[0].startswith(
        "Recommended: Cadw'r gwasanaeth yn fewnol (status quo), in-house (status quo), with ")
    plain = run(one_year("Keep it", OptionKind.IN_HOUSE, 100, 6))
    assert plain.decision[0].startswith("Recommended: Keep it, in-house (status quo), with ")
    contract = run(one_year("Acme", OptionKind.EXTERNAL, 100, 6))
    assert contract.decision[0].startswith("Recommended: Acme (external contract), with ")


def test_no_options_is_not_counted_as_only_zero_options():
    result = run()
    assert result.decision[0] == "No option can be recommended: none was appraised."
    assert not any("Only 0" in w for w in result.warnings)
    assert run(one_year("A", OptionKind.IN_HOUSE, 100, 5)).warnings[0].startswith(
        "Only 1 option appraised")
