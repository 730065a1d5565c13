import pytest

from bvdesk.domain.trajectory import linear_trajectory, reaches
from bvdesk.domain.vocabulary import Polarity


def test_straight_line_from_baseline_to_target_worked_example():
    points = linear_trajectory(2009, 17.4, 2014, 9.0)
    assert [year for year, _ in points] == [2009, 2010, 2011, 2012, 2013, 2014]
    assert [round(value, 2) for _, value in points] == [17.4, 15.72, 14.04, 12.36, 10.68, 9.0]


def test_same_year_is_just_the_target():
    assert linear_trajectory(2010, 5.0, 2010, 3.5) == [(2010, 3.5)]


def test_target_before_baseline_is_refused():
    with pytest.raises(ValueError, match="before the baseline"):
        linear_trajectory(2012, 1.0, 2010, 2.0)


def test_reaches_respects_polarity():
    assert reaches(9.0, 9.5, Polarity.LOWER)
    assert not reaches(9.0, 9.5, Polarity.HIGHER)
    assert reaches(9.5, 9.5, Polarity.HIGHER)
