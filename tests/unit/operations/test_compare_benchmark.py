"""Benchmark operations on a small database whose answers are worked out by hand."""

import pytest
from sqlalchemy import select

from bvdesk.domain.names import match_key
from bvdesk.errors import InputRefused
from bvdesk.operations.benchmark import benchmark, indicator_history, peer_distribution
from bvdesk.operations.peer_groups import (
    create_peer_group,
    delete_peer_group,
    edit_peer_group,
    list_peer_groups,
)
from bvdesk.operations.settings import set_setting
from bvdesk.store.db import Database
from bvdesk.store.models import Indicator, IndicatorValue, Organisation

# Rent collected (BV66a, higher is better) and re-let days (BV212, lower is better).
VALUES = {
    "Test Homes": {("BV66a", 2001): 95, ("BV66a", 2002): 91, ("BV66a", 2003): 90,
                   ("BV212", 2003): 20},
    "Peer A": {("BV66a", 2001): 90, ("BV66a", 2002): 93, ("BV66a", 2003): 95,
               ("BV212", 2003): 30},
    "Peer B": {("BV66a", 2001): 91, ("BV66a", 2002): 94, ("BV66a", 2003): 97,
               ("BV212", 2003): 40},
    "Peer C": {("BV66a", 2001): 92, ("BV66a", 2002): 96, ("BV66a", 2003): 99,
               ("BV212", 2003): 25},
    # Peer D has no re-let figure (missing): it is simply not in that peer set.
    "Peer D": {("BV66a", 2003): 92},
    "Peer E": {("BV212", 2003): 50},
}


@pytest.fixture
def db(tmp_db_path):
    database = Database.open(tmp_db_path, write=True)
    with database.session() as session:
        codes = {i.code: i.id for i in session.scalars(select(Indicator))}
        orgs = {"Test Homes": session.scalar(select(Organisation).where(Organisation.is_self))}
        for name in VALUES:
            if name not in orgs:
                orgs[name] = Organisation(name=name, match_key=match_key(name),
                                          region="North" if name < "Peer C" else "South")
                session.add(orgs[name])
        session.flush()
        for name, values in VALUES.items():
            for (code, year), value in values.items():
                session.add(IndicatorValue(organisation_id=orgs[name].id,
                                           indicator_id=codes[code], year=year, value=value))
    yield database
    database.close()


def _row(report, code):
    return next(row for row in report.rows if row.indicator == code)


def test_benchmark_latest_year_against_all_peers(db):
    report = benchmark(db)
    assert str(report.year) == "2003/04"
    rent = _row(report, "BV66a")
    # 2003 values: 90 (own), 95, 97, 99, 92 -> sorted 90 92 95 97 99, n = 5:
    # p25 = 92, median = 95, p75 = 97; 90 < 92 -> quartile 4, rank 5;
    # gap = 97 - 90 = 7, improvement 7 / 5 = 1.4 a year.
    assert (rent.n, rent.p25, rent.median, rent.p75) == (5, 92, 95, 97)
    assert (rent.quartile, rent.rank, rent.gap_to_top_quartile) == (4, 5, 7)
    assert rent.improvement_per_year == pytest.approx(1.4)
    assert rent.bottom_quartile and rent.small_sample
    # 2002: 91, 93, 94, 96 -> p25 h = 0.75: 91 + 0.75 * 2 = 92.5; 91 < 92.5 -> quartile 4.
    # 2001: 95 is the best of 90, 91, 92, 95 -> quartile 1. So two years running: persistent.
    assert rent.years_in_bottom_quartile == 2 and rent.persistent
    relet = _row(report, "BV212")
    # 20, 30, 40, 25, 50 days -> sorted 20 25 30 40 50: p25 25, median 30, p75 40.
    # Lower is better: 20 <= 25 -> quartile 1, rank 1, gap 0.
    assert (relet.n, relet.p25, relet.median, relet.p75) == (5, 25, 30, 40)
    assert (relet.quartile, relet.rank, relet.gap_to_top_quartile) == (1, 1, 0)
    assert not relet.persistent and relet.years_in_bottom_quartile == 0
    assert report.compete_trigger.indicators == ("BV66a",)
    assert [s.service for s in report.compete_trigger.services] == ["rent"]
    assert report.intervention_risk.indicators == ("BV66a",)
    data = report.to_json()
    assert data["rows"][0]["indicator"] == "BV212" and data["rows"][0]["polarity"] == "lower"
    for key in ("indicator", "name", "unit", "polarity", "value", "n", "p25", "median", "p75",
                "quartile", "rank", "gap_to_top_quartile", "bottom_quartile",
                "years_in_bottom_quartile", "persistent", "small_sample"):
        assert key in data["rows"][0]


def test_persistence_setting_changes_the_verdict(db):
    set_setting(db, "persistence_consecutive", 3)
    # Two bottom years (2002, 2003) and 2001 in the top: neither 3 consecutive nor 3 of 5.
    assert not _row(benchmark(db), "BV66a").persistent


def test_an_earlier_year_and_another_organisation(db):
    report = benchmark(db, year="2001/02", org="peer a")
    rent = _row(report, "BV66a")
    # 2001: 90 is the worst of 90, 91, 92, 95: p25 h = 0.75 -> 90.75; 90 < 90.75 -> 4.
    assert (rent.quartile, rent.rank, rent.p25) == (4, 4, 90.75)
    assert report.organisation == "Peer A"


def test_peer_group_by_list_and_by_rule(db):
    create_peer_group(db, "Two peers", members=["Peer A", "peer b"])
    report = benchmark(db, peer_group="Two peers")
    rent = _row(report, "BV66a")
    # Own 90 with 95 and 97: n = 3, p25 h = 0.5 -> 90 + 0.5 * 5 = 92.5; quartile 4.
    assert (rent.n, rent.p25, rent.quartile) == (3, 92.5, 4)
    group = create_peer_group(db, "South", rule={"region": ["South"]})
    assert group.members == ("Peer C", "Peer D", "Peer E")
    relet = _row(benchmark(db, peer_group="South"), "BV212")
    # Own 20 with Peer C 25 and Peer E 50 (D has no value): n = 3, rank 1.
    assert (relet.n, relet.rank) == (3, 1)
    edited = edit_peer_group(db, "South", new_name="Southern", members=["Peer E"])
    assert edited.rule is None and edited.members == ("Peer E",)
    # Peer E has no rent figure: rent has nobody to be compared with, so no row (it was
    # 'top quartile, rank 1 of 1').
    assert [row.indicator for row in benchmark(db, peer_group="Southern").rows] == ["BV212"]
    assert [g.name for g in list_peer_groups(db)] == ["Southern", "Two peers"]
    delete_peer_group(db, "Two peers")
    with pytest.raises(InputRefused, match="no peer group called 'Two peers'"):
        benchmark(db, peer_group="Two peers")


def test_refusals_are_worded_for_a_person(db):
    with pytest.raises(InputRefused, match="no indicator values for 1999/00"):
        benchmark(db, year=1999)
    with pytest.raises(InputRefused, match="no organisation called 'Nobody'"):
        benchmark(db, org="Nobody")
    with pytest.raises(InputRefused, match="either by a rule or by a list"):
        create_peer_group(db, "Bad")


def test_history_and_distribution_for_charts(db):
    history = indicator_history(db, "BV66a", years=3)
    assert [str(p.year) for p in history.points] == ["2001/02", "2002/03", "2003/04"]
    assert [p.quartile for p in history.points] == [1, 4, 4]
    assert history.points[1].p25 == 92.5
    dist = peer_distribution(db, "BV212", 2003)
    assert [p.value for p in dist.points] == [20, 25, 30, 40, 50]
    assert [p.is_self for p in dist.points] == [True, False, False, False, False]
    assert dist.quartiles.median == 30


def test_only_some_indicators(db):
    report = benchmark(db, indicators=["BV212"])
    assert [row.indicator for row in report.rows] == ["BV212"]
    assert not report.compete_trigger and not report.intervention_risk
    with pytest.raises(InputRefused, match="no indicator with the code NOPE"):
        benchmark(db, indicators=["NOPE"])
