"""The demo database: Northvale Homes, a fictional landlord of 5,120 homes, and 44 fictional peers.

Everything is generated from a fixed seed and a fixed clock, so every run gives the same data.
Northvale is persistently in the bottom quartile on responsive repairs: the competition trigger
that the first demo review (at the Compete stage) answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from sqlalchemy import select
from sqlalchemy.orm import Session

from bvdesk.domain.names import match_key
from bvdesk.domain.vocabulary import (
    ConsultMethod,
    CostCategory,
    OptionKind,
    OrganisationType,
    Polarity,
    PriceSource,
    Rag,
    Stage,
    StockBand,
    VatTreatment,
)
from bvdesk.operations.landlord import add_landlord, build_database, init_database
from bvdesk.operations.reviews import create_review
from bvdesk.store import audit, sqlite_file
from bvdesk.store.db import Database
from bvdesk.store.models import (
    Action,
    AppraisalSettings,
    ConsultationActivity,
    CostLine,
    Evidence,
    ImportRun,
    Indicator,
    IndicatorValue,
    Judgement,
    Option,
    Organisation,
    PeerGroup,
    PeerGroupMember,
    QualityCriterion,
    QualityScore,
    Review,
    Risk,
    table_of,
)
from bvdesk.store.server import is_server_url

SEED = 20091
CLOCK = dt.datetime(2010, 3, 1, 9, 0, 0)
FIRST_YEAR = 2005
YEARS = 5
LANDLORD = "Northvale Homes"

#: Indicator code -> (sector mean, spread, lowest, highest, yearly drift towards better).
_PROFILES: dict[str, tuple[float, float, float, float, float]] = {
    "BV66a": (98.4, 1.1, 92.0, 100.5, 0.1), "BV66b": (5.2, 1.8, 0.8, 14.0, 0.1),
    "BV66c": (10.5, 3.5, 1.0, 25.0, 0.2), "BV66d": (0.32, 0.14, 0.02, 0.9, 0.0),
    "HC-ARR": (4.6, 1.4, 1.2, 10.0, 0.1), "FTA": (0.8, 0.35, 0.1, 2.5, 0.0),
    "VOIDLOSS": (1.5, 0.55, 0.3, 4.0, 0.05), "BV212": (33.0, 9.0, 14.0, 80.0, 1.0),
    "HC-VAC": (1.8, 0.7, 0.3, 5.0, 0.05), "BV72": (93.0, 3.8, 75.0, 100.0, 0.4),
    "BV73": (12.5, 3.6, 5.0, 30.0, 0.3), "GNPI20": (94.0, 3.2, 80.0, 100.0, 0.3),
    "APPT": (93.0, 3.8, 78.0, 100.0, 0.3), "BV184a": (22.0, 9.0, 0.5, 50.0, 3.0),
    "BV184b": (16.0, 7.0, -5.0, 45.0, 0.0), "BV63": (66.0, 4.5, 52.0, 80.0, 0.8),
    "BV74": (80.0, 4.8, 62.0, 93.0, 0.5), "BV75": (64.0, 6.5, 45.0, 85.0, 0.5),
    "SAT-REP": (78.0, 5.5, 58.0, 92.0, 0.4), "MGMT-CPD": (455.0, 105.0, 240.0, 800.0, -8.0),
    "CPP-RR": (860.0, 170.0, 480.0, 1400.0, -15.0), "CPP-MW": (1120.0, 290.0, 500.0, 2100.0, 0.0),
    "OVH": (14.0, 2.8, 7.0, 24.0, 0.1), "BV211a": (64.0, 9.0, 40.0, 85.0, 0.8),
    "BV164": (1.0, 0.0, 0.0, 1.0, 0.0), "GAS": (99.1, 0.8, 95.0, 100.0, 0.1),
    "COMPL": (88.0, 5.5, 70.0, 100.0, 0.4), "ASB-RES": (80.0, 7.5, 55.0, 97.0, 0.4),
    "EST-SAT": (74.0, 6.5, 55.0, 90.0, 0.4), "SUST": (90.0, 3.8, 78.0, 98.0, 0.2),
}

#: Northvale's own figures where they must agree with its reviews: the repairs cost per home is
#: the status quo's cost in the repairs appraisal (£4,407,250 a year over 5,120 homes is £861).
_NORTHVALE_FIGURES = {"CPP-RR": (842.0, 850.0, 857.0, 866.0, 861.0)}

#: Where Northvale stands on each service, in standard deviations (positive = better).
_NORTHVALE_STANDING = {"repairs": -1.6, "voids": -0.4, "rent": 0.5, "customer": 0.2}

_PLACES = (
    "Ashdown", "Brackenfield", "Calderbrook", "Dunmere", "Eastleigh Vale", "Fairholme",
    "Glenmore", "Harwood", "Ivybridge Park", "Kestrel", "Larkhill", "Marshfield", "Netherby",
    "Oakwell", "Pennine Edge", "Queensmead", "Riverside Crescent", "Saltmarsh", "Thornbury",
    "Upperdale", "Valewood", "Westmoor", "Yarrow", "Ambleside Court", "Beacon", "Copperfield",
    "Dovecote", "Elmstead", "Foxglove", "Greystone", "Hawthorn", "Ironbridge", "Juniper",
    "Kingsmere", "Lowther", "Millbrook", "Northgate", "Orchard", "Priory", "Redbrick",
    "Stonebridge", "Tallis", "Wharfedale", "Cymdeithas Tai Ŵyl",
)
_SUFFIXES = ("Housing Association", "Homes", "Housing Trust", "Housing Group", "HA Ltd",
             "Community Housing")
_REGIONS = ("North East", "North West", "Yorkshire and the Humber", "East Midlands",
            "West Midlands", "East of England", "London", "South East", "South West")


@dataclass(frozen=True, slots=True)
class _Org:
    id: int
    standing: float
    services: dict[str, float]


@overload
def create_demo(path: Path) -> Path: ...
@overload
def create_demo(path: Path | str) -> Path | str: ...
def create_demo(path: Path | str) -> Path | str:
    """Create the demo database at ``path`` (a file, or a server URL), or leave an existing one
    as it is."""
    if is_server_url(path):
        with Database.open(path, write=False, create=True) as existing, existing.read() as session:
            if session.scalar(select(Organisation.id).where(Organisation.is_self)) is not None:
                return path
    else:
        path = Path(path)
        if sqlite_file.inspect(path) is sqlite_file.Kind.DATABASE:
            Database.open(path, write=False).close()
            return path
        # Built under a temporary name and moved into place when complete (all or nothing).
        build_database(path, _fill, user="demo", clock=lambda: CLOCK)
        return path
    db = init_database(path, LANDLORD, "NVH", homes=5120, region="Yorkshire and the Humber",
                       user="demo", clock=lambda: CLOCK)
    try:
        _fill_peers_and_reviews(db)
    finally:
        db.close()
    return path


def _fill(db: Database) -> None:
    add_landlord(db, LANDLORD, "NVH", homes=5120, region="Yorkshire and the Humber")
    _fill_peers_and_reviews(db)


def _fill_peers_and_reviews(db: Database) -> None:
    rng = random.Random(SEED)
    with db.session() as session:
        orgs = _organisations(session, rng)
        _values(session, db, rng, orgs)
        _peer_groups(session)
    _repairs_review(db)
    _voids_review(db)
    _rent_review(db)


# --- organisations and indicator values ------------------------------------------------------


def _organisations(session: Session, rng: random.Random) -> list[_Org]:
    own = session.scalar(select(Organisation).where(Organisation.is_self))
    assert own is not None
    own.contact_address = "Northvale House, 12 Mill Street, Wakefield WF1 1AB"
    own.contact_phone = "01924 555 010"
    own.contact_email = "talk@northvale.example"
    own.website = "www.northvale.example"
    own.get_involved = ("Join our Repairs Scrutiny Panel or our tenants' panel: we meet "
                        "once a month, in the evening, and pay your travel. Ring us or email "
                        "us and ask for the involvement team.")
    orgs = [_Org(own.id, 0.1, dict(_NORTHVALE_STANDING))]
    for i, place in enumerate(_PLACES, start=1):
        suffix = "" if place.startswith("Cymdeithas") else " " + _SUFFIXES[i % len(_SUFFIXES)]
        homes = int(round(rng.lognormvariate(8.6, 0.7), -1))
        homes = max(600, min(homes, 32000))
        org = Organisation(
            code=f"L{i:03d}", name=f"{place}{suffix}", match_key=match_key(f"{place}{suffix}"),
            org_type=(OrganisationType.LSVT if i % 4 == 0
                      else OrganisationType.HOUSING_ASSOCIATION).value,
            region=_REGIONS[i % len(_REGIONS)], homes=homes,
            stock_band=StockBand.for_homes(homes).value)
        session.add(org)
        session.flush()
        orgs.append(_Org(org.id, rng.gauss(0, 1), {}))
    return orgs


def _values(session: Session, db: Database, rng: random.Random, orgs: list[_Org]) -> None:
    indicators = {i.code: i for i in session.scalars(select(Indicator))}
    run = ImportRun(kind="demo", file_name="demo data", sha256="0" * 64, at=CLOCK, by="demo",
                    counts={})
    session.add(run)
    session.flush()
    rows = []
    for code, (mean, spread, low, high, drift) in _PROFILES.items():
        indicator = indicators[code]
        service = indicator.service.code if indicator.service else ""
        sign = 1 if indicator.polarity == Polarity.HIGHER.value else -1
        for org in orgs:
            standing = org.services.get(service, org.standing)
            for offset in range(YEARS):
                if org.id != orgs[0].id and rng.random() < 0.06:
                    continue  # peers do not report every indicator every year
                if indicator.unit == "yes_no":
                    value = 0.0 if rng.random() < 0.08 else 1.0
                else:
                    noise = rng.gauss(0, 0.55)
                    value = mean + sign * (spread * (0.85 * standing + noise) + drift * offset)
                    value = round(min(high, max(low, value)), indicator.decimals)
                if org.id == orgs[0].id and code in _NORTHVALE_FIGURES:
                    value = _NORTHVALE_FIGURES[code][offset]
                rows.append({"organisation_id": org.id, "indicator_id": indicator.id,
                             "year": FIRST_YEAR + offset, "value": value,
                             "source_file": "demo data", "imported_at": CLOCK,
                             "import_id": run.id, "quality_note": ""})
    session.execute(table_of(IndicatorValue).insert(), rows)
    run.counts = {"imported": len(rows), "updated": 0, "unchanged": 0}
    audit.record(session.connection(), [audit.Change(
        "import", "import_run", str(run.id), None, None, f"{len(rows)} demo values")],
        user=db.user, at=CLOCK)


def _peer_groups(session: Session) -> None:
    session.add(PeerGroup(name="All landlords", description="Every organisation with data.",
                          rule={}))
    session.add(PeerGroup(name="Similar size", description="2,500 to 9,999 homes.",
                          rule={"stock_band": [StockBand.FROM_2500.value,
                                               StockBand.FROM_5000.value]}))
    northern = PeerGroup(name="Northern benchmarking club",
                         description="Eleven northern landlords who meet quarterly.")
    members = session.scalars(select(Organisation).where(
        Organisation.region.in_(("North East", "North West", "Yorkshire and the Humber")))
        .order_by(Organisation.id).limit(11))
    northern.members = [PeerGroupMember(organisation_id=o.id) for o in members]
    session.add(northern)


# --- reviews ---------------------------------------------------------------------------------


def _repairs_review(db: Database) -> None:
    review_id = create_review(
        db, "repairs", "Responsive repairs: Best Value review 2009/10",
        ["BV73", "GNPI20", "APPT", "SAT-REP", "CPP-RR", "BV72"],
        scope="Day-to-day responsive repairs to 5,120 general needs homes, including emergency "
              "and Right to Repair jobs, delivered by the in-house repairs team (62 FTE). Gas "
              "servicing and void works are outside the scope.",
        team=[("Helen Ashworth", "Director of Property Services (chair)", False),
              ("Tom Okafor", "Repairs Manager", False),
              ("Priya Nair", "Finance Business Partner", False),
              ("Margaret Lewis", "Tenant member, Repairs Scrutiny Panel", True),
              ("Dafydd Pritchard", "Tenant member, Tenants' Forum", True)],
        uid=_uid("repairs"))
    with db.session() as session:
        review = session.get(Review, review_id)
        assert review is not None
        review.stage = Stage.COMPETE.value
        review.start_date = dt.date(2009, 6, 1)
        review.end_date = dt.date(2010, 5, 31)
        review.board_meeting_date = dt.date(2010, 6, 15)
        review.board_paper_author = "Helen Ashworth, Director of Property Services"
        review.board_agenda_ref = "6"
        review.objectives = ("Repairs done right first time, at a time that suits the tenant, "
                             "at a cost in line with the best of our peers.")
        review.context = {"homes": 5120, "tenants": 4870, "budget": 4_410_000,
                          "unit_cost": 861, "stock": "General needs 4,610; sheltered 510",
                          "region": "Yorkshire and the Humber"}
        _answer_challenges(review, (
            "Yes. The repairing covenant in every tenancy and the Right to Repair regulations "
            "make responsive repairs a legal obligation; how we provide them is our choice.",
            "Tenants told us (STATUS 2008) they want appointments kept and repairs done first "
            "time. Our objectives were not measurable before this review; they now are.",
            "Repairs, voids and gas are bundled in one team. Splitting voids out would let us "
            "test each part of the market separately.",
            "Yes: three regional contractors and a neighbouring landlord's DLO have said they "
            "would bid. A partial market test of 30% of turnover is one option.",
            "{{CPP-RR}} per home a year, in the {{CPP-RR:quartile}} against a peer median of "
            "{{CPP-RR:median}}, but with 18% overheads and a quarter of vehicle costs "
            "avoidable.",
            "Fewer trades visits per job, multi-skilled operatives, and online booking.",
        ))
        review.consultations = [
            ConsultationActivity(
                method=ConsultMethod.POSTAL_SURVEY.value, held_on=dt.date(2009, 9, 14),
                sample_frame="Tenants with a completed repair in the last 6 months",
                population=3400, issued=1200, responses=412, satisfied=301, valid_answers=398,
                representativeness="Under-represents tenants under 35 (11% of responses, 19% "
                                   "of tenants); weighted in the analysis.",
                findings="{{survey:1:satisfied}} satisfied with the last repair; appointments "
                         "missed was the top complaint.",
                changes="Appointments kept is now a quality criterion weighted 25% in the "
                        "options appraisal."),
            ConsultationActivity(
                method=ConsultMethod.FOCUS_GROUP.value, held_on=dt.date(2009, 10, 7),
                sample_frame="Tenants in sheltered schemes", issued=14, responses=11,
                findings="Older tenants value the same operative returning and clear ID.",
                changes="Continuity of operatives written into the draft specification."),
            ConsultationActivity(
                method=ConsultMethod.MYSTERY_SHOPPING.value, held_on=dt.date(2009, 11, 2),
                sample_frame="30 repair requests made by tenant mystery shoppers from our "
                             "Repairs Scrutiny Panel", issued=30,
                responses=30, findings="21 of 30 calls got an appointment at first contact.",
                changes="Call handling scripts rewritten; repeat exercise planned for 2010."),
        ]
        review.appraisal = AppraisalSettings(
            base_date=dt.date(2010, 4, 1), period_years=10, price_weight=40.0,
            price_method="relative", quality_threshold_pct=50.0, homes_served=5120)
        review.options = _repairs_options()
        session.flush()
        review.criteria = _criteria(review.options, [
            ("Appointments kept and right first time", 25, [5, 7, 8, 7, 6]),
            ("Tenant satisfaction and customer care", 25, [6, 7, 7, 7, 7]),
            ("Deliverability and mobilisation risk", 20, [9, 8, 5, 6, 6]),
            ("Workforce and local employment", 15, [8, 8, 5, 6, 7]),
            ("Innovation and continuous improvement", 15, [4, 6, 8, 7, 7]),
        ])
        review.actions = [
            _action(session, "Introduce appointment slots for every responsive repair",
                    "Tom Okafor", (2010, 4, 1), (2010, 9, 30), "APPT", 97.0, 2011, Rag.AMBER,
                    finding="Appointments kept: {{APPT}}, {{APPT:rank}} among our peers; "
                            "missed appointments were tenants' top complaint."),
            _action(session, "Reduce average time for non-urgent repairs", "Tom Okafor",
                    (2010, 4, 1), (2012, 3, 31), "BV73", 9.0, 2014, Rag.RED,
                    finding="Non-urgent repairs take {{BV73}} on average, in the "
                            "{{BV73:quartile}}."),
            _action(session, "Retender materials supply through a regional consortium",
                    "Priya Nair", (2010, 5, 1), (2010, 12, 31), None, None, None, Rag.GREEN,
                    deliverable="Consortium contract signed; 8% saving on materials"),
            _action(session, "Report repairs performance to the Repairs Scrutiny Panel quarterly",
                    "Helen Ashworth", (2010, 4, 1), (2011, 3, 31), "SAT-REP", 82.0, 2011,
                    Rag.GREEN),
        ]
        review.judgements = [
            Judgement(kloe="Responsive repairs and maintenance", stars=1, position=0,
                      prospects="promising",
                      rationale="A fair service: costs in line with peers ({{CPP-RR}} a home, "
                                "{{CPP-RR:quartile}}) but non-urgent repairs take {{BV73}}, "
                                "in the {{BV73:quartile}}, and only {{APPT}} of appointments "
                                "are kept. The review has tested the market and the plan is "
                                "resourced."),
            Judgement(kloe="Value for money", stars=1, position=1,
                      rationale="Cost per home {{CPP-RR}} against a peer median of "
                                "{{CPP-RR:median}}, for a service in the bottom quartile on "
                                "repair times ({{BV73:rank}}); overheads are high at 18%."),
        ]
        review.evidence = [
            _evidence("Repairs tenant survey 2009 summary.txt",
                      "Tenant survey of repairs, September 2009. 412 responses from 1,200 "
                      "issued (34%). 301 of 398 satisfied.", "Research team",
                      dt.date(2009, 10, 30), supports="judgement 1"),
            _evidence("Repairs cost analysis 2009-10.txt",
                      "Responsive repairs budget 2009/10: £4,410,000 for 5,120 homes (£861 a "
                      "home). Overheads 18% of the total; a quarter of vehicle costs avoidable.",
                      "Finance", dt.date(2010, 2, 12), supports="judgement 2")]


_IRR, _NO_VAT = VatTreatment.IRRECOVERABLE.value, VatTreatment.NONE.value


def run(amount: float, start: int = 1, years: int = 10) -> list[float]:
    """A running cost from year ``start`` to the end of the appraisal period."""
    return [0.0] * start + [amount] * (years + 1 - start)


def once(amount: float, years: int = 10) -> list[float]:
    """A one-off cost in year 0."""
    return [amount] + [0.0] * years


def line(category: CostCategory, vat: str, amounts: list[float], text: str,
         position: int) -> CostLine:
    return CostLine(category=category.value, vat=vat, amounts=amounts, description=text,
                    position=position)


def _repairs_options() -> list[Option]:
    irr, none = _IRR, _NO_VAT

    in_house = Option(name="In-house (status quo)", kind=OptionKind.IN_HOUSE.value, position=0,
                      description="The repairs team as it is today.")
    in_house.cost_lines = [
        line(CostCategory.STAFF, none, run(2_300_000), "62 FTE operatives and supervisors", 0),
        line(CostCategory.MATERIALS, irr, run(1_050_000), "Materials from merchants", 1),
        line(CostCategory.VEHICLES_PREMISES, irr, run(420_000), "Vans, depot and stores", 2),
        line(CostCategory.OVERHEADS_AVOIDABLE, none, run(380_000), "Allocated overheads", 3),
    ]
    improved = Option(name="Improved in-house", kind=OptionKind.IMPROVED_IN_HOUSE.value,
                      position=1, optimism_bias_pct=3.0,
                      description="Multi-skilled operatives, appointments, mobile working.")
    improved.cost_lines = [
        line(CostCategory.STAFF, none, run(2_150_000), "56 FTE after multi-skilling", 0),
        line(CostCategory.MATERIALS, irr, run(980_000), "Consortium materials prices", 1),
        line(CostCategory.VEHICLES_PREMISES, irr, run(400_000), "Smaller van fleet", 2),
        line(CostCategory.OVERHEADS_AVOIDABLE, none, run(380_000), "Allocated overheads", 3),
        line(CostCategory.IMPROVEMENT_INVESTMENT, irr,
             [250_000, 60_000, 60_000] + [0.0] * 8, "Mobile working system and training", 4),
        line(CostCategory.REDUNDANCY, none, once(90_000), "Six voluntary redundancies", 5),
    ]
    improved.risks = [Risk(description="Savings from multi-skilling arrive late",
                           probability=0.3, impact=150_000, year=1)]
    external = Option(name="External contract", kind=OptionKind.EXTERNAL.value, position=2,
                      optimism_bias_pct=5.0, price_source=PriceSource.TENDER.value,
                      price_source_note="Lowest of three compliant tenders returned in January "
                                        "2010",
                      description="Ten-year schedule-of-rates contract for all responsive "
                                  "repairs, with TUPE transfer of the team.")
    external.cost_lines = [
        line(CostCategory.CONTRACT_PRICE, irr, run(3_250_000), "Tendered schedule of rates", 0),
        line(CostCategory.CLIENT_SIDE, none, run(162_500), "Contract management (5%)", 1),
        line(CostCategory.OVERHEADS_STRANDED, none, run(190_000), "Overheads left behind", 2),
        line(CostCategory.PROCUREMENT, none, once(120_000), "OJEU procurement and legal", 3),
        line(CostCategory.STAFF_TRANSFER, none, once(180_000), "TUPE and pension bond", 4),
        line(CostCategory.MOBILISATION, none, once(150_000), "Mobilisation, dual running", 5),
    ]
    external.risks = [Risk(description="Contractor insolvency and re-procurement",
                           probability=0.05, impact=900_000, year=4),
                      Risk(description="Pension deficit on admitted body",
                           probability=0.25, impact=300_000, year=10)]
    partial = Option(name="Partial market test (30% of turnover)",
                     kind=OptionKind.PARTIAL_MARKET_TEST.value, position=3,
                     market_tested_share_pct=30.0, optimism_bias_pct=4.0,
                     price_source=PriceSource.SOFT_MARKET_TEST.value,
                     price_source_note="Soft market test of the eastern patch with four "
                                       "regional contractors, November 2009",
                     description="The eastern patch tendered; the in-house team keeps the rest.")
    partial.cost_lines = [
        line(CostCategory.STAFF, none, run(1_610_000), "In-house team for 70% of homes", 0),
        line(CostCategory.MATERIALS, irr, run(735_000), "Materials for the in-house patch", 1),
        line(CostCategory.VEHICLES_PREMISES, irr, run(310_000), "Vans and depot", 2),
        line(CostCategory.CONTRACT_PRICE, irr, run(975_000), "Eastern patch contract", 3),
        line(CostCategory.CLIENT_SIDE, none, run(60_000), "Contract management", 4),
        line(CostCategory.OVERHEADS_AVOIDABLE, none, run(380_000), "Allocated overheads", 5),
        line(CostCategory.PROCUREMENT, none, once(80_000), "Procurement", 6),
    ]
    partnership = Option(name="Joint venture with Kestrel Homes",
                         kind=OptionKind.PARTNERSHIP.value, position=4, optimism_bias_pct=8.0,
                         price_source=PriceSource.ESTIMATE.value,
                         price_source_note="Business case prepared with Kestrel Homes, "
                                           "December 2009",
                         description="A jointly owned repairs company: no VAT on labour.")
    partnership.cost_lines = [
        line(CostCategory.CONTRACT_PRICE, none, run(2_700_000), "Labour through the JV", 0),
        line(CostCategory.MATERIALS, irr, run(1_000_000), "Materials through the JV", 1),
        line(CostCategory.CLIENT_SIDE, none, run(110_000), "Client team", 2),
        line(CostCategory.OVERHEADS_STRANDED, none, run(120_000), "Overheads left behind", 3),
        line(CostCategory.PROCUREMENT, none, once(200_000), "Legal set-up of the JV", 4),
    ]
    partnership.risks = [Risk(description="Partner withdraws", probability=0.1,
                              impact=400_000, year=3)]
    return [in_house, improved, external, partial, partnership]


def _criteria(options: list[Option],
              rows: list[tuple[str, float, list[float]]]) -> list[QualityCriterion]:
    criteria = []
    for position, (name, weight, scores) in enumerate(rows):
        criterion = QualityCriterion(name=name, weight=weight, position=position)
        criterion.scores = [QualityScore(option_id=o.id, score=s)
                            for o, s in zip(options, scores, strict=False)]
        criteria.append(criterion)
    return criteria


def _voids_review(db: Database) -> None:
    review_id = create_review(
        db, "voids", "Voids and lettings review", ["BV212", "VOIDLOSS", "HC-VAC", "SUST"],
        scope="Re-letting general needs homes: void works, allocations and sign-up.",
        team=[("Sanjay Patel", "Head of Housing Management (chair)", False),
              ("Ruth Evans", "Lettings Team Leader", False),
              ("Gwen Ellis", "Tenant member", True)],
        uid=_uid("voids"))
    with db.session() as session:
        review = session.get(Review, review_id)
        assert review is not None
        review.stage = Stage.CONSULT.value
        review.start_date = dt.date(2009, 11, 1)
        review.board_meeting_date = dt.date(2010, 3, 16)
        review.board_paper_author = "Sanjay Patel, Head of Housing Management"
        review.board_agenda_ref = "8"
        review.context = {"homes": 5120, "relets_per_year": 410}
        _answer_challenges(review, (
            "Yes: letting homes quickly is core to our purpose and our rent income.",
            "Tenants want homes let in good condition; the lettings standard is out of date.",
        ))
        review.consultations = [ConsultationActivity(
            method=ConsultMethod.TELEPHONE_SURVEY.value, held_on=dt.date(2010, 1, 18),
            sample_frame="New tenants in the last 12 months", population=410, issued=200,
            responses=86, findings="Condition of the home at letting was the main concern.")]
        review.appraisal = AppraisalSettings(
            base_date=dt.date(2010, 4, 1), period_years=5, price_weight=50.0,
            price_method="linear", quality_threshold_pct=50.0, homes_served=5120)
        status_quo = Option(name="In-house (status quo)", kind=OptionKind.IN_HOUSE.value,
                            position=0, description="Void works by the repairs team.")
        status_quo.cost_lines = [
            line(CostCategory.STAFF, _NO_VAT, run(610_000, years=5), "Voids and lettings staff",
                 0),
            line(CostCategory.MATERIALS, _IRR, run(340_000, years=5), "Void works materials", 1),
            line(CostCategory.OVERHEADS_AVOIDABLE, _NO_VAT, run(95_000, years=5), "Overheads",
                 2),
        ]
        improved = Option(name="Improved in-house", kind=OptionKind.IMPROVED_IN_HOUSE.value,
                          position=1, optimism_bias_pct=5.0,
                          description="A dedicated voids team with a new lettings standard.")
        improved.cost_lines = [
            line(CostCategory.STAFF, _NO_VAT, run(640_000, years=5), "Dedicated voids team", 0),
            line(CostCategory.MATERIALS, _IRR, run(300_000, years=5), "Void works materials", 1),
            line(CostCategory.OVERHEADS_AVOIDABLE, _NO_VAT, run(95_000, years=5), "Overheads",
                 2),
            line(CostCategory.IMPROVEMENT_INVESTMENT, _NO_VAT, once(40_000, years=5),
                 "Lettings standard and training", 3),
        ]
        review.options = [status_quo, improved]
        session.flush()
        review.criteria = _criteria(review.options, [
            ("Homes let in good condition", 40, [5, 8]),
            ("Speed of re-letting", 35, [5, 7]),
            ("Deliverability", 25, [9, 7]),
        ])
        review.actions = [_action(session, "Agree a new lettings standard with tenants",
                                  "Ruth Evans", (2010, 2, 1), (2010, 6, 30), None, None, None,
                                  Rag.AMBER,
                                  deliverable="Lettings standard approved by board")]


def _rent_review(db: Database) -> None:
    review_id = create_review(
        db, "rent", "Rent collection and arrears recovery review",
        ["BV66a", "BV66b", "HC-ARR", "FTA", "BV66c", "BV66d"],
        scope="Collecting rent and service charges from 4,870 tenancies and recovering "
              "current and former tenant arrears.",
        team=[("Alison Grant", "Director of Finance (chair)", False),
              ("Mark Bellamy", "Income Manager", False),
              ("Joan Whitaker", "Tenant member", True)],
        uid=_uid("rent"))
    with db.session() as session:
        review = session.get(Review, review_id)
        assert review is not None
        review.stage = Stage.SELF_ASSESSMENT.value
        review.start_date = dt.date(2008, 9, 1)
        review.end_date = dt.date(2009, 12, 31)
        review.objectives = "Top-quartile collection while sustaining tenancies."
        review.context = {"homes": 5120, "tenants": 4870, "rent_roll": 17_800_000}
        review.board_approval_date = dt.date(2010, 2, 18)
        review.board_minute_ref = "B/2010/07"
        review.board_meeting_date = dt.date(2010, 2, 18)
        review.board_paper_author = "Alison Grant, Director of Finance"
        review.board_agenda_ref = "7"
        review.vfm_statement = (
            "Rent collection of {{BV66a}} is in the {{BV66a:quartile}} of our peers and current "
            "tenant arrears of {{BV66b}} are in the {{BV66b:quartile}}, having fallen every year "
            "since 2006/07. Buying in money advice ({{option:3:npc}} over five years) scores "
            "best on price and quality together, so it is the best value of the options "
            "tested.")
        _answer_challenges(review, (
            "Yes: collecting rent is essential to our financial viability.",
            "Tenants want help early, not letters; objectives now include tenancy "
            "sustainment.",
            "Income officers hold mixed patches; a specialist early-arrears team was tested.",
            "Debt advice could be bought from a money advice charity; collection stays in "
            "house.",
            "{{option:1:cost_per_home}} a home a year in house today, 12% of it overhead.",
            "Text reminders, direct debit by default and a welfare benefits adviser.",
        ))
        review.consultations = [ConsultationActivity(
            method=ConsultMethod.CUSTOMER_PANEL.value, held_on=dt.date(2009, 3, 10),
            sample_frame="Customer panel (480 members)", population=480, issued=480,
            responses=233, satisfied=171, valid_answers=221,
            findings="Most want text reminders; few knew about money advice.",
            changes="Text reminders introduced; money advice referral in every arrears case.")]
        review.appraisal = AppraisalSettings(
            base_date=dt.date(2009, 4, 1), period_years=5, price_weight=40.0,
            price_method="relative", quality_threshold_pct=50.0, homes_served=5120)
        status_quo = Option(name="In-house (status quo)", kind=OptionKind.IN_HOUSE.value,
                            position=0, description="Income officers on mixed patches.")
        status_quo.cost_lines = [
            line(CostCategory.STAFF, _NO_VAT, run(520_000, years=5), "Nine income officers", 0),
            line(CostCategory.OVERHEADS_AVOIDABLE, _NO_VAT, run(70_000, years=5), "Overheads",
                 1),
        ]
        improved = Option(name="Improved in-house", kind=OptionKind.IMPROVED_IN_HOUSE.value,
                          position=1, optimism_bias_pct=3.0,
                          description="An early-arrears team, text reminders, direct debit.")
        improved.cost_lines = [
            line(CostCategory.STAFF, _NO_VAT, run(545_000, years=5), "Income team and adviser",
                 0),
            line(CostCategory.OVERHEADS_AVOIDABLE, _NO_VAT, run(70_000, years=5), "Overheads",
                 1),
            line(CostCategory.IMPROVEMENT_INVESTMENT, _IRR, once(35_000, years=5),
                 "Text messaging system", 2),
        ]
        advice = Option(name="Money advice bought in", kind=OptionKind.PARTIAL_MARKET_TEST.value,
                        market_tested_share_pct=10.0, position=2, optimism_bias_pct=5.0,
                        price_source=PriceSource.QUOTE.value,
                        price_source_note="Quotation from Calder Valley Money Advice, "
                                          "February 2009",
                        description="Income team in house; debt advice from a charity.")
        advice.cost_lines = [
            line(CostCategory.STAFF, _NO_VAT, run(500_000, years=5), "Income officers", 0),
            line(CostCategory.CONTRACT_PRICE, _IRR, run(48_000, years=5),
                 "Money advice service contract", 1),
            line(CostCategory.CLIENT_SIDE, _NO_VAT, run(4_000, years=5), "Contract monitoring",
                 2),
            line(CostCategory.OVERHEADS_AVOIDABLE, _NO_VAT, run(70_000, years=5), "Overheads",
                 3),
            line(CostCategory.PROCUREMENT, _NO_VAT, once(8_000, years=5), "Procurement", 4),
        ]
        review.options = [status_quo, improved, advice]
        session.flush()
        review.criteria = _criteria(review.options, [
            ("Collection and arrears performance", 40, [6, 8, 8]),
            ("Support to sustain tenancies", 35, [4, 7, 9]),
            ("Deliverability", 25, [9, 8, 7]),
        ])
        review.actions = [
            _action(session, "Direct debit as the default payment method for new tenancies",
                    "Mark Bellamy", (2010, 4, 1), (2011, 3, 31), "BV66a", 99.85, 2011,
                    Rag.GREEN, finding="Collection is {{BV66a}}, just short of the top "
                                       "quartile ({{BV66a:top_quartile}})."),
            _action(session, "Welfare benefits adviser for tenants in arrears", "Mark Bellamy",
                    (2010, 4, 1), (2011, 3, 31), "BV66b", 3.5, 2011, Rag.GREEN,
                    finding="Few tenants in arrears knew about money advice (customer panel, "
                            "{{survey:1:satisfied}} satisfied with the service)."),
        ]
        review.judgements = [
            Judgement(kloe="Rent collection and arrears recovery", stars=2,
                      prospects="promising", position=0,
                      rationale="A good service: collection of {{BV66a}} ({{BV66a:quartile}}, "
                                "ranked {{BV66a:rank}}), current arrears of {{BV66b}} "
                                "({{BV66b:quartile}}), and tenants involved in redesigning "
                                "recovery."),
            Judgement(kloe="Value for money", stars=2, prospects="promising", position=1,
                      rationale="Collection costs {{option:1:cost_per_home}} a home a year with "
                                "second-quartile results; the recommended option adds money "
                                "advice for {{option:3:cost_per_home}} a home."),
            Judgement(kloe="Prospects for improvement", prospects="excellent", position=2,
                      rationale="Current arrears fell from {{BV66b:2006/07}} in 2006/07 to "
                                "{{BV66b}} in 2009/10, and the last two improvement plans "
                                "were delivered."),
        ]
        review.evidence = [
            _evidence("Income team performance report 2009-10.txt",
                      "Rent collected, current and former tenant arrears by month, April 2009 "
                      "to January 2010, as reported to the Housing Committee.", "Income team",
                      dt.date(2010, 2, 5), supports="judgement 1"),
            _evidence("Income team costs 2009-10.txt",
                      "Income team staff and overheads 2009/10: £590,000 for 5,120 homes.",
                      "Finance", dt.date(2010, 2, 12), supports="judgement 2"),
            _evidence("Improvement plans 2005-2009 outturn.txt",
                      "Both previous rent improvement plans delivered in full; current arrears "
                      "down each year since 2006/07.", "Performance team",
                      dt.date(2010, 1, 20), supports="judgement 3")]


def _uid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://bvdesk.invalid/demo/{name}"))


def _answer_challenges(review: Review, answers: tuple[str, ...]) -> None:
    for item, answer in zip(review.challenges, answers, strict=False):
        item.answer = answer


def _action(session: Session, title: str, owner: str, start: tuple[int, int, int],
            due: tuple[int, int, int], indicator: str | None, target: float | None,
            target_year: int | None, status: Rag, *, deliverable: str = "",
            finding: str = "") -> Action:
    """An action; one linked to an indicator takes its baseline from the data."""
    indicator_id = (session.scalar(select(Indicator.id).where(Indicator.code == indicator))
                    if indicator else None)
    return Action(title=title, owner=owner, start_date=dt.date(*start), due_date=dt.date(*due),
                  indicator_id=indicator_id, target_value=target, target_year=target_year,
                  status=status.value, deliverable=deliverable, finding=finding)


def _evidence(name: str, text: str, source: str, dated: dt.date, *,
              supports: str = "") -> Evidence:
    content = text.encode("utf-8")
    return Evidence(file_name=name, content=content, size=len(content),
                    sha256=hashlib.sha256(content).hexdigest(), title=name.rsplit(".", 1)[0],
                    source=source, dated=dated, added_at=CLOCK, supports=supports)
