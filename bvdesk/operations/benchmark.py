"""Benchmarking: where the landlord stands among its peers, and what that triggers.

``benchmark`` gives one row per indicator the organisation and at least one other landlord in
its peer set have a value for in the year, with
quartiles, band, rank, gap, and the bottom-quartile history; at the top level the competition
trigger (bottom-quartile services must be market-tested) and the intervention risk (persistent
bottom quartile). ``indicator_history`` and ``peer_distribution`` feed the charts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from bvdesk.domain.benchmark import (
    MIN_COMPARED,
    PersistenceRule,
    Position,
    is_persistent,
    position,
    years_in_bottom,
)
from bvdesk.domain.quartiles import Quartiles, band
from bvdesk.domain.vocabulary import Polarity
from bvdesk.domain.years import FinancialYear
from bvdesk.errors import InputRefused, NoIndicatorValues
from bvdesk.operations.home_figures import BenchmarkReport as BenchmarkReport
from bvdesk.operations.home_figures import BenchmarkRow as BenchmarkRow
from bvdesk.operations.home_figures import Flag, FlaggedService
from bvdesk.operations.peer_groups import find_organisation, peer_set
from bvdesk.operations.settings import setting_in
from bvdesk.store.db import Database
from bvdesk.store.models import Indicator, IndicatorValue, Organisation, ServiceArea

YearLike = int | str | FinancialYear


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    year: FinancialYear
    value: float | None
    n: int
    p25: float | None
    median: float | None
    p75: float | None
    quartile: int | None


@dataclass(frozen=True, slots=True)
class IndicatorHistory:
    indicator: str
    name: str
    unit: str
    polarity: str
    organisation: str
    points: tuple[HistoryPoint, ...]
    #: The indicator's decimals, as its figures are printed everywhere else.
    decimals: int


@dataclass(frozen=True, slots=True)
class DistributionPoint:
    organisation: str
    value: float
    is_self: bool


@dataclass(frozen=True, slots=True)
class PeerDistribution:
    indicator: str
    name: str
    unit: str
    polarity: str
    year: FinancialYear
    points: tuple[DistributionPoint, ...]
    quartiles: Quartiles | None
    #: The indicator's decimals, as its figures are printed everywhere else.
    decimals: int


# --- loading -------------------------------------------------------------------------------


def _year(value: YearLike) -> FinancialYear:
    try:
        return FinancialYear.parse(value)
    except ValueError as exc:
        raise InputRefused(str(exc)) from exc


def _organisation(session: Session, org: str | None) -> Organisation:
    if org is not None:
        return find_organisation(session, org)
    found = session.scalar(select(Organisation).where(Organisation.is_self))
    if found is None:
        raise InputRefused("This database has no landlord yet: run 'bvdesk init'.")
    return found


def _indicator(session: Session, code: str) -> Indicator:
    found = session.scalar(select(Indicator).where(Indicator.code == code))
    if found is None:
        raise InputRefused(f"There is no indicator with the code '{code}'.")
    return found


class _Values:
    """Indicator values grouped by (indicator id, year), restricted to a peer set."""

    def __init__(self, session: Session, indicator_ids: Iterable[int] | None,
                 peers: set[int] | None, *, up_to: int | None = None) -> None:
        query = select(IndicatorValue.indicator_id, IndicatorValue.year,
                       IndicatorValue.organisation_id, IndicatorValue.value)
        if indicator_ids is not None:
            query = query.where(IndicatorValue.indicator_id.in_(list(indicator_ids)))
        if up_to is not None:
            query = query.where(IndicatorValue.year <= up_to)
        self.groups: dict[tuple[int, int], dict[int, float]] = defaultdict(dict)
        for indicator_id, year, org_id, value in session.execute(query):
            if peers is None or org_id in peers:
                self.groups[indicator_id, year][org_id] = value

    def peers(self, indicator_id: int, year: int) -> dict[int, float]:
        return self.groups.get((indicator_id, year), {})


def _peers_with(session: Session, peer_group: str | None, org_id: int) -> set[int] | None:
    members = peer_set(session, peer_group)
    return None if members is None else members | {org_id}


def _setting(session: Session, key: str) -> int:
    return int(setting_in(session, key))


def _rule(session: Session) -> PersistenceRule:
    try:
        return PersistenceRule(_setting(session, "persistence_consecutive"),
                               _setting(session, "persistence_years_bad"),
                               _setting(session, "persistence_window"))
    except ValueError as exc:
        raise InputRefused(f"The persistence settings are not usable: {exc}.") from exc


# --- benchmark -----------------------------------------------------------------------------


def benchmark(db: Database, *, year: YearLike | None = None, org: str | None = None,
              peer_group: str | None = None,
              indicators: Iterable[str] | None = None) -> BenchmarkReport:
    """Benchmark ``org`` (default: the landlord) in ``year`` (default: its latest year).

    Raises:
        InputRefused: unknown organisation, group or indicator; no data for the year, or
            none that another landlord in the peer set also has.
    """
    with db.read() as session:
        rule = _rule(session)
        small_n = _setting(session, "small_sample_n")
        years_to_top = _setting(session, "top_quartile_years")
        organisation = _organisation(session, org)
        org_name = organisation.name
        wanted = None if indicators is None else list(indicators)
        own = _own_values(session, organisation.id, wanted)
        # Of the indicators asked for: a landlord with values for others has none for these.
        what = "indicator values" if not wanted else f"value for {', '.join(wanted)}"
        fy = _year(year) if year is not None else _latest_year(own, org_name, what)
        current = {ind_id: by_year[fy.start] for ind_id, by_year in own.items()
                   if fy.start in by_year}
        if not current:
            raise InputRefused(f"{org_name} has no {what} {'in' if wanted else 'for'} {fy}.")
        peers = _peers_with(session, peer_group, organisation.id)
        values = _Values(session, current, peers, up_to=fy.start)
        catalogue = {ind.id: ind for ind in session.scalars(
            select(Indicator).where(Indicator.id.in_(list(current))))}
        services = {s.id: s for s in session.scalars(select(ServiceArea))}
        rows = []
        for ind_id in sorted(current, key=lambda i: catalogue[i].code):
            ind = catalogue[ind_id]
            peer_values = list(values.peers(ind_id, fy.start).values())
            if len(peer_values) < MIN_COMPARED:
                continue  # no other landlord reports it: nobody to stand among
            polarity = Polarity(ind.polarity)
            bands = {}  # a year nobody else reported has no band, and breaks a run
            for yr, own_value in own[ind_id].items():
                year_values = list(values.peers(ind_id, yr).values())
                if yr <= fy.start and len(year_values) >= MIN_COMPARED:
                    bands[yr] = band(own_value, Quartiles.of(year_values), polarity)
            pos = position(current[ind_id], peer_values, polarity, small_sample_n=small_n,
                           years_to_top=years_to_top)
            service = services.get(ind.service_id) if ind.service_id else None
            rows.append(BenchmarkRow(
                **{f.name: getattr(pos, f.name) for f in fields(Position)},
                indicator=ind.code, name=ind.name, unit=ind.unit, polarity=ind.polarity,
                decimals=ind.decimals, service=service.code if service else None,
                service_name=service.name if service else None,
                years_in_bottom_quartile=years_in_bottom(bands, fy.start),
                persistent=is_persistent(bands, fy.start, rule)))
    if not rows:
        among = f"in the peer group '{peer_group}'" if peer_group else "in the benchmarking data"
        raise InputRefused(f"{org_name} has values for {fy}, but no other landlord {among} has "
                           "a value for the same indicators that year: there is nobody to "
                           "compare with yet.")
    return BenchmarkReport(
        organisation=org_name, year=fy, peer_group=peer_group, rule=rule,
        rows=tuple(rows), compete_trigger=_flag(r for r in rows if r.bottom_quartile),
        intervention_risk=_flag(r for r in rows if r.persistent))


def _own_values(session: Session, org_id: int,
                codes: Iterable[str] | None) -> dict[int, dict[int, float]]:
    query = select(IndicatorValue.indicator_id, IndicatorValue.year, IndicatorValue.value).where(
        IndicatorValue.organisation_id == org_id)
    if codes is not None:
        wanted = list(codes)
        # Codes in any case, as a review's indicators are linked: bv72 is BV72.
        ids = {code.lower(): ind_id for code, ind_id in session.execute(
            select(Indicator.code, Indicator.id))}
        missing = [code for code in wanted if code.lower() not in ids]
        if missing:
            raise InputRefused(f"There is no indicator with the code {', '.join(missing)}.")
        query = query.where(IndicatorValue.indicator_id.in_(
            [ids[code.lower()] for code in wanted]))
    own: dict[int, dict[int, float]] = defaultdict(dict)
    for ind_id, year, value in session.execute(query):
        own[ind_id][year] = value
    return own


def _latest_year(own: dict[int, dict[int, float]], name: str, what: str) -> FinancialYear:
    years = [year for by_year in own.values() for year in by_year]
    if not years:
        # Worded for any user (the submission prints it as its Compare section); the command
        # line adds how to import them.
        raise NoIndicatorValues(f"{name} has no {what} yet.")
    return FinancialYear(max(years))


def _flag(rows: Iterable[BenchmarkRow]) -> Flag:
    chosen = list(rows)
    by_service: dict[tuple[str | None, str], list[str]] = defaultdict(list)
    for row in chosen:
        by_service[row.service, row.service_name or "Other"].append(row.indicator)
    services = tuple(FlaggedService(code, name, tuple(codes))
                     for (code, name), codes in sorted(by_service.items(), key=lambda kv: kv[0][1]))
    return Flag(tuple(row.indicator for row in chosen), services)


# --- charts --------------------------------------------------------------------------------


def indicator_history(db: Database, code: str, *, org: str | None = None,
                      peer_group: str | None = None, years: int = 5) -> IndicatorHistory:
    """The organisation's value and the peer quartiles for each of the last ``years`` years
    (ending with the latest year anyone in the peer set has a value)."""
    with db.read() as session:
        organisation = _organisation(session, org)
        ind = _indicator(session, code)
        values = _Values(session, [ind.id], _peers_with(session, peer_group, organisation.id))
        polarity = Polarity(ind.polarity)
        known = [year for (_ind, year) in values.groups]
        points: list[HistoryPoint] = []
        if known:
            last = max(known)
            for start in range(last - years + 1, last + 1):
                points.append(_history_point(values.peers(ind.id, start), organisation.id,
                                             start, polarity))
        return IndicatorHistory(ind.code, ind.name, ind.unit, ind.polarity, organisation.name,
                                tuple(points), ind.decimals)


def _history_point(peers: dict[int, float], org_id: int, start: int,
                   polarity: Polarity) -> HistoryPoint:
    if not peers:
        return HistoryPoint(FinancialYear(start), None, 0, None, None, None, None)
    quartiles = Quartiles.of(list(peers.values()))
    own = peers.get(org_id)
    compared = len(peers) >= MIN_COMPARED
    return HistoryPoint(FinancialYear(start), own, len(peers), quartiles.p25, quartiles.median,
                        quartiles.p75,
                        band(own, quartiles, polarity) if own is not None and compared else None)


def peer_distribution(db: Database, code: str, year: YearLike, *, peer_group: str | None = None,
                      org: str | None = None) -> PeerDistribution:
    """Every peer's value for one indicator and year, lowest first, the organisation flagged."""
    fy = _year(year)
    with db.read() as session:
        organisation = _organisation(session, org)
        ind = _indicator(session, code)
        peers = _Values(session, [ind.id], _peers_with(session, peer_group, organisation.id)
                        ).peers(ind.id, fy.start)
        names = dict(session.execute(select(Organisation.id, Organisation.name).where(
            Organisation.id.in_(list(peers)))).all())
        points = tuple(sorted((DistributionPoint(names[org_id], value, org_id == organisation.id)
                               for org_id, value in peers.items()),
                              key=lambda p: (p.value, p.organisation)))
        return PeerDistribution(ind.code, ind.name, ind.unit, ind.polarity, fy, points,
                                Quartiles.of([p.value for p in points]) if points else None,
                                ind.decimals)
