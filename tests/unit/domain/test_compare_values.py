"""Reading cell values and normalising organisation names."""

import pytest

from bvdesk.domain.names import match_key, squash
from bvdesk.domain.values import MISSING, parse_number


@pytest.mark.parametrize(("raw", "expected"), [
    (95, 95.0), (0.5, 0.5), ("1,234", 1234.0), ("£1,234.50", 1234.5), (" 95% ", 95.0),
    ("\u221212.5", -12.5), ("(123)", -123.0), ("£(1,234)", -1234.0), ("1\u00a0234", 1234.0),
    ("+7", 7.0), (".5", 0.5), ("26.7 days", 26.7), ("1 Day", 1.0),
])
def test_numbers_in_many_spellings(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "  ", "n/a", "N/A", "-", "–", "—", "*", "..", "na"])
def test_missing_markers_are_missing_not_zero(raw):
    assert parse_number(raw) is MISSING


@pytest.mark.parametrize("raw", ["abc", "1,23", "12..3", "(-5)", True, "days", "3 dayss"])
def test_not_numbers_are_refused(raw):
    with pytest.raises(ValueError):
        parse_number(raw)


def test_yes_no_only_for_yes_no_indicators():
    assert parse_number("Yes", yes_no=True) == 1.0 and parse_number("no", yes_no=True) == 0.0
    with pytest.raises(ValueError):
        parse_number("Yes")


def test_match_key_treats_ha_and_ltd_alike():
    assert match_key("Riverside Housing Association Ltd.") == match_key("RIVERSIDE  HA Limited")
    assert match_key("St. Mary's H.A.") == match_key("St Marys HA")
    assert match_key("Brick & Mortar Homes") == match_key("Brick and Mortar Homes")
    assert match_key("North Homes") != match_key("South Homes")


def test_match_key_reads_saint_as_st():
    # A landlord's own returns spelt out in full must still be the landlord, not a new peer.
    assert match_key("Saint Annes Housing Association") == match_key("St. Anne's HA")
    assert match_key("ST ANNE'S HOUSING ASSOCIATION") == match_key("Saint Anne's H.A.")
    assert match_key("Saint Annes HA") != match_key("Sainte Annes HA")
    assert match_key("Saintfield Homes") != match_key("Stfield Homes")


def test_squash_ignores_case_space_and_punctuation():
    assert squash("Financial  Year") == squash("financial-year") == "financialyear"
