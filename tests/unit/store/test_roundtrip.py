"""Every entity survives a round trip through the database unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import inspect, select

from bvdesk.store import models as m
from bvdesk.store.db import Database


def _columns(obj: m.Base) -> dict[str, object]:
    return {attr.key: getattr(obj, attr.key) for attr in inspect(obj).mapper.column_attrs}


def test_round_trip_of_every_entity(tmp_db_path: Path) -> None:
    day = dt.date(2009, 10, 1)
    with Database.open(tmp_db_path) as db:
        with db.session() as s:
            service = s.scalar(select(m.ServiceArea).where(m.ServiceArea.code == "repairs"))
            indicator = s.scalar(select(m.Indicator).where(m.Indicator.code == "BV73"))
            assert service is not None and indicator is not None
            peer = m.Organisation(code="P1", name="Kestrel Homes", match_key="kestrelhomes",
                                  aliases=["Kestrel HA"], org_type="lsvt", region="London",
                                  stock_band="5000_9999", homes=6100)
            run = m.ImportRun(kind="indicators", file_name="club.xlsx", sha256="a" * 64,
                              at=dt.datetime(2010, 1, 2, 3, 4, 5), by="bob",
                              counts={"imported": 1})
            s.add_all([peer, run, m.ImportProfile(name="Club extract", mapping={"LA": "org"}),
                       m.Setting(key="backups_kept", value=5),
                       m.Indicator(code="MY1", name="Own measure", aliases=["mine"], unit="count",
                                   polarity="lower", decimals=0, is_custom=True)])
            s.flush()
            s.add(m.IndicatorValue(organisation_id=peer.id, indicator_id=indicator.id, year=2008,
                                   value=12.5, numerator=250.0, denominator=20.0,
                                   source_file="club.xlsx", import_id=run.id,
                                   imported_at=dt.datetime(2010, 1, 2), quality_note="estimate"))
            group = m.PeerGroup(name="London", rule={"region": ["London"]})
            group.members = [m.PeerGroupMember(organisation_id=peer.id)]
            s.add(group)
            review = m.Review(service_id=service.id, title="Repairs", scope="All repairs",
                              objectives="Better", stage="compete", start_date=day,
                              end_date=day, context={"homes": 5000},
                              board_approval_date=day, board_minute_ref="B/10/3",
                              vfm_statement="Good value", created_at=dt.datetime(2009, 1, 1))
            review.team = [m.TeamMember(name="Ann", role="Chair", is_tenant=True)]
            review.indicators = [m.ReviewIndicator(indicator_id=indicator.id, target=9.0,
                                                   note="n")]
            review.challenges = [m.ChallengeItem(question="Why?", answer="Because",
                                                 is_standard=True)]
            review.consultations = [m.ConsultationActivity(
                method="postal_survey", held_on=day, sample_frame="All", population=5000,
                issued=1000, responses=300, satisfied=200, valid_answers=290,
                representativeness="ok", findings="f", changes="c")]
            review.appraisal = m.AppraisalSettings(base_date=day, period_years=10,
                                                   discount_rate=0.035, vat_rate=0.175,
                                                   price_weight=40, price_method="linear",
                                                   quality_threshold_pct=50, homes_served=5000)
            option = m.Option(name="External", kind="external", description="d",
                              optimism_bias_pct=5.0, market_tested_share_pct=None)
            option.cost_lines = [m.CostLine(category="contract_price", vat="irrecoverable",
                                            description="price", amounts=[0.0, 100.5, 100.5])]
            option.risks = [m.Risk(description="insolvency", probability=0.1, impact=1000.0,
                                   year=2)]
            review.options = [option]
            criterion = m.QualityCriterion(name="Quality", weight=60)
            review.criteria = [criterion]
            s.add(review)
            s.flush()
            s.add(m.QualityScore(criterion_id=criterion.id, option_id=option.id, score=7.5))
            review.actions = [m.Action(title="Do it", owner="Tom", start_date=day, due_date=day,
                                       resources_gbp=1000.0, resources_fte=0.5,
                                       indicator_id=indicator.id, baseline_value=17.0,
                                       baseline_year=2008, target_value=9.0, target_year=2012,
                                       deliverable="d", milestones="m", status="amber",
                                       finding="compare")]
            review.judgements = [m.Judgement(kloe="Repairs", stars=1, prospects="promising",
                                             rationale="r")]
            review.evidence = [m.Evidence(file_name="a.pdf", content=b"%PDF", sha256="b" * 64,
                                          size=4, title="A", source="S", dated=day, expires=day,
                                          supports="challenge:1",
                                          added_at=dt.datetime(2009, 1, 1))]
            review.signoffs = [m.SignOff(version=1, by="Chief", at=dt.datetime(2010, 1, 1),
                                         note="ok", snapshot={"title": "Repairs"})]
        with db.read() as s:
            written = {type(o).__name__ + str(inspect(o).identity): _columns(o)
                       for cls in m.Base.__subclasses__() if cls is not m.AuditEntry
                       for o in s.scalars(select(cls))}
    with Database.open(tmp_db_path, write=False) as db, db.read() as s:
        read_back = {type(o).__name__ + str(inspect(o).identity): _columns(o)
                     for cls in m.Base.__subclasses__() if cls is not m.AuditEntry
                     for o in s.scalars(select(cls))}
    assert read_back == written
    kinds = {key.split("(")[0] for key in read_back}
    expected = {cls.__name__ for cls in m.Base.__subclasses__()} - {"AuditEntry"}
    assert kinds == expected, f"entities with no row in the round trip: {expected - kinds}"
