"""Properties of the appraisal that must hold for any options, checked by brute force."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bvdesk.domain.appraisal import (
    AppraisalInputs,
    AppraisalParameters,
    CostLineInput,
    Criterion,
    OptionInput,
    appraise,
)
from bvdesk.domain.vocabulary import CostCategory, OptionKind, PriceMethod

KINDS = [OptionKind.IN_HOUSE, OptionKind.EXTERNAL, OptionKind.IMPROVED_IN_HOUSE,
         OptionKind.PARTNERSHIP, OptionKind.EXTERNAL]

option_specs = st.lists(
    st.tuples(st.integers(50, 300), st.integers(0, 10)), min_size=2, max_size=5)


def build(specs, weight, method):
    options = tuple(
        OptionInput(f"O{i}", KINDS[i], (CostLineInput(
            CostCategory.CONTRACT_PRICE if KINDS[i].is_externally_tested else CostCategory.STAFF,
            (float(npc),)),), scores={"Q": float(score)})
        for i, (npc, score) in enumerate(specs))
    params = AppraisalParameters(base_date=dt.date(2012, 4, 1), period_years=0,
                                 price_weight=weight, price_method=method)
    return AppraisalInputs(params, options, (Criterion("Q", 1.0),))


@settings(max_examples=40, deadline=None)
@given(option_specs, st.integers(0, 100), st.sampled_from(list(PriceMethod)))
def test_scores_stay_within_their_weights(specs, weight, method):
    result = appraise(build(specs, weight, method))
    for option in result.options:
        assert -1e-9 <= option.price_score <= weight + 1e-9
        assert -1e-9 <= option.quality_score <= 100 - weight + 1e-9
        assert option.total_score == pytest.approx(option.price_score + option.quality_score)
    eligible = [o for o in result.options if o.eligible]
    if result.recommended is not None:
        best = result.option(result.recommended)
        assert best.rank == 1
        assert all(best.total_score >= o.total_score - 1e-9 for o in eligible)


@settings(max_examples=30, deadline=None)
@given(option_specs, st.integers(0, 100), st.sampled_from(list(PriceMethod)))
def test_weight_flip_is_the_nearest_weight_that_changes_the_recommendation(specs, weight,
                                                                          method):
    result = appraise(build(specs, weight, method))
    flip = result.weight_flip_price_weight

    def recommended_at(w):
        return appraise(build(specs, w, method)).recommended

    if flip is None:
        assert {recommended_at(w) for w in range(0, 101, 5)} == {result.recommended}
        return
    assert 0 <= flip <= 100
    # Strictly between the current weight and the flip point, nothing changes ...
    for fraction in (0.25, 0.5, 0.9):
        between = weight + (flip - weight) * fraction
        if abs(between - flip) > 1e-6:
            assert recommended_at(between) == result.recommended
    # ... and no weight nearer than the flip point on the other side changes it either.
    distance = abs(flip - weight)
    for w in (weight - distance * 0.99, weight + distance * 0.99):
        if 0 <= w <= 100:
            assert recommended_at(w) == result.recommended


@settings(max_examples=30, deadline=None)
@given(option_specs)
def test_switching_value_levels_the_two_totals(specs):
    result = appraise(build(specs, 40, PriceMethod.RELATIVE))
    if result.switching_value_pct is None:
        return
    external, in_house = result.switching_between
    moved = [(npc * (1 + result.switching_value_pct / 100) if f"O{i}" == external else npc,
              score) for i, (npc, score) in enumerate(specs)]
    after = appraise(build(moved, 40, PriceMethod.RELATIVE))
    assert after.option(external).total_score == pytest.approx(
        after.option(in_house).total_score, abs=1e-6)
