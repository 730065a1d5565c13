"""Benchmark-table benchmark: 500 organisations x 40 indicators x 10 years (200,000 values).

Times the full ``benchmark`` operation (quartiles, bands, ranks and the bottom-quartile history
of every indicator for the landlord) against a baseline measured in the same run: a bare sqlite3
read of the same values with a sort of every indicator-year group, the least work any
implementation must do.

Run: python benchmarks/bench_benchmark.py
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ORGS, INDICATORS, YEARS, FIRST_YEAR = 500, 40, 10, 2000


def build(path: Path) -> None:
    from sqlalchemy import select

    from bvdesk.domain.names import match_key
    from bvdesk.operations.landlord import init_database
    from bvdesk.store.models import Indicator, IndicatorValue, Organisation

    rnd = random.Random(11)
    with init_database(path, "Organisation 000") as db, db.session() as session:
        existing = session.scalars(select(Indicator.id)).all()
        for n in range(INDICATORS - len(existing)):
            session.add(Indicator(code=f"X{n:02d}", name=f"Local measure {n}", unit="count",
                                  polarity="higher" if n % 2 else "lower", is_custom=True))
        session.flush()
        indicator_ids = session.scalars(select(Indicator.id)).all()[:INDICATORS]
        connection = session.connection()
        connection.execute(Organisation.__table__.insert(), [
            {"name": f"Organisation {n:03d}", "match_key": match_key(f"Organisation {n:03d}"),
             "is_self": False} for n in range(1, ORGS)])
        org_ids = session.scalars(select(Organisation.id)).all()
        connection.execute(IndicatorValue.__table__.insert(), [
            {"organisation_id": org, "indicator_id": ind, "year": year,
             "value": round(rnd.uniform(0, 100), 2), "quality_note": ""}
            for org in org_ids for ind in indicator_ids
            for year in range(FIRST_YEAR, FIRST_YEAR + YEARS)])


def baseline(path: Path) -> float:
    start = time.perf_counter()
    connection = sqlite3.connect(path)
    groups: dict[tuple[int, int], list[float]] = defaultdict(list)
    for indicator, year, value in connection.execute(
            "SELECT indicator_id, year, value FROM indicator_value"):
        groups[indicator, year].append(value)
    for values in groups.values():
        values.sort()
    connection.close()
    return time.perf_counter() - start


def run(path: Path) -> tuple[float, int]:
    from bvdesk.operations.benchmark import benchmark
    from bvdesk.store.db import Database

    with Database.open(path, write=False) as db:
        start = time.perf_counter()
        report = benchmark(db)
        return time.perf_counter() - start, len(report.rows)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-benchmark-"))
    path = folder / "bench.sqlite"
    start = time.perf_counter()
    build(path)
    print(f"built {ORGS} organisations x {INDICATORS} indicators x {YEARS} years in "
          f"{time.perf_counter() - start:.1f} s")
    base = min(baseline(path) for _ in range(3))
    full, rows = min(run(path) for _ in range(3))
    print(f"baseline (bare read + sort of every group): {base:.3f} s")
    print(f"benchmark table ({rows} indicators, {YEARS} years of history): {full:.3f} s")
    print(f"ratio benchmark/baseline: {full / base:.2f}")


if __name__ == "__main__":
    main()
