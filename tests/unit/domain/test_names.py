"""Column headings read as landlords write them: units apart, abbreviations as words."""

import pytest

from bvdesk.domain.names import heading_key, read_heading


@pytest.mark.parametrize(("written", "key", "unit"), [
    ("Average re-let time", "averagerelettime", None),
    ("Av. re-let time", "averagerelettime", None),
    ("Avg relet time (days)", "averagerelettime", "days"),
    ("Ave re-let time days", "averagerelettime", "days"),
    ("ASB cases resolved %", "asbcasesresolved", "percent"),
    ("ASB cases resolved (%)", "asbcasesresolved", "percent"),
    ("% non-decent homes", "nondecenthomes", "percent"),
    ("Management cost per dwelling (£)", "managementcostperproperty", "pounds"),
    ("Management cost per home £", "managementcostperproperty", "pounds"),
    ("Management cost per unit (pounds)", "managementcostperproperty", "pounds"),
    ("No. of evictions", "numberofevictions", None),
    ("No of evictions", "numberofevictions", None),
    ("Overheads as % of turnover", "overheadsaspercentageofturnover", None),
    ("Overheads as percent of turnover", "overheadsaspercentageofturnover", None),
    ("Satisfaction with repairs & maintenance", "satisfactionwithrepairsandmaintenance", None),
])
def test_a_heading_reads_as_its_words_with_its_unit_apart(written, key, unit):
    heading = read_heading(written)
    assert (heading.key, heading.unit) == (key, unit)


def test_a_number_of_days_in_a_heading_is_not_its_unit():
    heading = read_heading("Repairs completed within 7 days")
    assert (heading.key, heading.unit) == ("repairscompletedwithin7days", None)


def test_words_that_only_begin_like_an_abbreviation_stay_as_written():
    assert heading_key("Avoidable contact") == "avoidablecontact"
    assert heading_key("Notices of seeking possession") == "noticesofseekingpossession"
    assert heading_key("No access appointments") == "noaccessappointments"


def test_a_qualifier_after_a_spaced_dash_is_kept_in_the_key_and_dropped_from_the_stem():
    heading = read_heading("Cost per home - responsive repairs (£)")
    assert heading.key == "costperpropertyresponsiverepairs"
    assert heading.stem == "costperproperty"
    assert heading.unit == "pounds"
    assert read_heading("Rent collected – general needs").stem == "rentcollected"


def test_a_dash_inside_a_word_is_no_qualifier():
    heading = read_heading("Non-decent homes")
    assert heading.stem is None
    assert heading.words == {"nondecent", "home"}


def test_words_are_singular_and_in_any_order():
    assert read_heading("Arrears - former tenants").words \
        == read_heading("former tenant arrears").words == {"former", "tenant", "arrear"}
