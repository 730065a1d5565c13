"""Live figures: short tokens in narrative text, resolved against the data.

Worked example: Northvale's BV66a (rent collected, higher is better, 2 decimals) was 98.10% in
2008/09 and 99.71% in 2009/10, the base year; among 41 peers it ranks 3rd, in the top quartile,
peer median 98.40%. Option 2 costs £36,138,866 over the period; survey 1 found 301 of 398
satisfied (75.6%) from 412 responses to 1,200 issued (34.3%).
"""

from __future__ import annotations

import pytest

from bvdesk.domain.livefigures import (
    Figures,
    IndicatorFigures,
    OptionFigures,
    SurveyFigures,
    fixed,
    format_measure,
    half_up,
    resolve,
    tokens,
    trimmed,
)

FIGURES = Figures(
    base_year=2009,
    indicators={
        "BV66a": IndicatorFigures("BV66a", "Rent collected", "percent", "higher", 2,
                                  values={2008: 98.1, 2009: 99.71}, quartile=1, rank=3, n=41,
                                  median=98.4, top_threshold=99.2),
        "CPP-RR": IndicatorFigures("CPP-RR", "Cost per property: repairs", "pounds", "lower", 0,
                                   values={2009: 1203.0}, quartile=4, rank=41, n=41,
                                   median=860.0, top_threshold=760.0),
        "BV73": IndicatorFigures("BV73", "Non-urgent repair days", "days", "lower", 1,
                                 values={2009: 15.6}),
    },
    options=(OptionFigures("In-house (status quo)", 36_653_359.0, 4_407_250.0, 860.79, 77.5, 2),
             OptionFigures("Improved in-house", 36_138_866.0, 4_345_000.0, 848.63, 83.2, 1)),
    surveys=(SurveyFigures("Postal survey", satisfied_pct=75.628, response_rate=34.333,
                           responses=412),
             SurveyFigures("Focus group", satisfied_pct=None, response_rate=None,
                           responses=11)),
)


@pytest.mark.parametrize(("text", "expected"), [
    ("Collection was {{BV66a:2009/10}}.", "Collection was 99.71%."),
    ("Collection was {{BV66a}}.", "Collection was 99.71%."),
    ("Up from {{BV66a:2008}}.", "Up from 98.10%."),
    ("We are in the {{BV66a:quartile}}.", "We are in the top quartile."),
    ("Costs are in the {{CPP-RR:quartile}}, ranked {{CPP-RR:rank}}.",
     "Costs are in the bottom quartile, ranked 41 of 41."),
    ("Median {{CPP-RR:median}}, top quartile from {{CPP-RR:top_quartile}}.",
     "Median £860, top quartile from £760."),
    ("{{ bv73 }} on average", "15.6 days on average"),
    ("Costs {{option:2:npc}} ({{option:2:cost_per_home}} a home a year).",
     "Costs £36,138,866 (£849 a home a year)."),
    ("{{option:1:name}} scores {{option:1:score}}.", "In-house (status quo) scores 77.5."),
    ("{{survey:1:satisfied}} satisfied, {{survey:1:response_rate}} responded "
     "({{survey:1:responses}}).",
     "75.6% satisfied, 34.3% responded (412)."),
    ("No tokens here: {single braces} stay.", "No tokens here: {single braces} stay."),
])
def test_tokens_resolve_to_the_current_figure(text: str, expected: str) -> None:
    resolved, references = resolve(text, FIGURES)
    assert resolved == expected
    assert all(r.problem is None for r in references)


@pytest.mark.parametrize(("text", "problem"), [
    ("{{BV99}}", "there is no indicator BV99"),
    ("{{BV66a:2004/05}}", "there is no BV66a value for 2004/05 in the data"),
    ("{{BV73:quartile}}", "BV73 has no quartile position for the base year"),
    ("{{option:7:npc}}", "there is no option 7 (the review has 2)"),
    ("{{option:1:colour}}", "'colour' is not a figure of an option"),
    ("{{survey:2:satisfied}}", "activity 2 (focus group) has no satisfaction result"),
    ("{{survey:3:satisfied}}", "there is no consultation activity 3 (the review has 2)"),
    ("{{BV66a:sideways}}", "'sideways' is neither a year nor a figure of an indicator"),
    ("{{}}", "the figure is empty"),
])
def test_unknown_tokens_are_problems_and_never_print_raw(text: str, problem: str) -> None:
    resolved, references = resolve(text, FIGURES)
    assert [r.problem for r in references] == [problem]
    assert "{{" not in resolved and "}}" not in resolved
    assert resolved == f"[figure not available: {problem}]"


def test_tokens_lists_each_reference_in_order() -> None:
    assert tokens("A {{BV66a}} b {{ option:1:npc }} c {{BV66a}}") == [
        "BV66a", "option:1:npc", "BV66a"]


def test_an_indicator_with_no_base_year_value_says_so() -> None:
    figures = Figures(base_year=2010, indicators=FIGURES.indicators)
    _text, refs = resolve("{{BV66a}}", figures)
    assert refs[0].problem == "there is no BV66a value for 2010/11 in the data"


@pytest.mark.parametrize(("value", "unit", "decimals", "expected"), [
    (99.714, "percent", 2, "99.71%"), (1203.0, "pounds", 0, "£1,203"),
    (-12.5, "pounds", 2, "-£12.50"), (15.62, "days", 1, "15.6 days"),
    (1.0, "yes_no", 0, "Yes"), (64.0, "sap", 0, "64"), (1234.0, "count", 0, "1,234"),
])
def test_figures_print_in_their_unit(value: float, unit: str, decimals: int,
                                     expected: str) -> None:
    assert format_measure(value, unit, decimals) == expected


@pytest.mark.parametrize(("value", "most", "shown"), [
    (6.5, 2, "6.5"), (8.0, 2, "8"), (1_250_000.0, 6, "1,250,000"), (2.55, 1, "2.6"),
    # Any number a person can type is shown, however large: it was refused by the decimal
    # arithmetic past 22 digits with six places.
    (1e22, 6, "10,000,000,000,000,000,000,000"),
    (-3.5e25, 2, "-35,000,000,000,000,000,000,000,000"),
])
def test_numbers_are_shown_as_typed_however_large(value: float, most: int, shown: str) -> None:
    assert trimmed(value, most) == shown
    assert fixed(value, most).startswith(shown.split(".")[0])


def test_a_huge_number_keeps_every_figure_to_its_places() -> None:
    assert fixed(1e300, 6) == "1" + ",000" * 100 + ".000000"  # as typed: 12 figures read
    assert half_up(1e300, 6) == 1e300
