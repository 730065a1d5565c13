"""Survey statistics, checked against hand-computed examples."""

import pytest

from bvdesk.domain.survey import response_rate, satisfaction


def test_satisfaction_without_population():
    # p = 320/400 = 0.8; margin = 1.96 * sqrt(0.8 * 0.2 / 400) = 1.96 * 0.02 = 0.0392
    result = satisfaction(320, 400)
    assert result.pct == pytest.approx(80.0)
    assert result.margin == pytest.approx(3.92)
    assert (result.low, result.high) == pytest.approx((76.08, 83.92))


def test_finite_population_correction_narrows_interval():
    # N = 1,001: FPC = sqrt((1001 - 400) / 1000) = sqrt(0.601) = 0.775242; 3.92 * 0.775242 = 3.0389
    result = satisfaction(320, 400, population=1001)
    assert result.margin == pytest.approx(3.0389, abs=1e-4)


def test_census_has_no_sampling_error():
    result = satisfaction(50, 100, population=100)
    assert result.margin == 0.0


def test_interval_is_clipped_to_percent_range():
    result = satisfaction(10, 10)
    assert result.high == 100.0 and result.low == 100.0


@pytest.mark.parametrize("satisfied, valid, population", [(11, 10, None), (-1, 10, None),
                                                          (5, 0, None), (5, 10, 9)])
def test_impossible_counts_are_refused(satisfied, valid, population):
    with pytest.raises(ValueError):
        satisfaction(satisfied, valid, population)


def test_response_rate():
    assert response_rate(412, 1200) == pytest.approx(34.333, abs=1e-3)
    with pytest.raises(ValueError):
        response_rate(5, 0)
