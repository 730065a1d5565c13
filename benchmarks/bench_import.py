"""Import benchmark: 200,000 indicator values against bare calamine and openpyxl reads.

Generates a long-layout workbook (1,000 organisations x 40 indicators x 5 years; percentage
indicators written as fractions in percent-formatted cells, as club extracts do), then times,
each in a fresh process so the peak memory of each is its own:

- a bare python-calamine read of every row (the goal: a full import within 2x of it);
- a bare openpyxl read-only pass over every row;
- the full import (parse, validate, write to a new database) with peak memory (goal: under
  300 MB).

The calamine read and the import alternate ``--repeat`` times; min, median and max of each are
printed and the medians compared, so a busy machine does not flatter or condemn either.

Run: python benchmarks/bench_import.py [--keep DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ORGS, INDICATORS, YEARS, FIRST_YEAR = 1000, 40, 5, 2005
EXTRA_CODES = [f"X{n:02d}" for n in range(INDICATORS)]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _catalogue_codes() -> list[tuple[str, str]]:
    from bvdesk.paths import resource as shipped

    items = json.loads(shipped("catalogue", "indicators.json").read_text("utf-8"))
    codes = [(i["code"], i["unit"]) for i in items if i["unit"] != "yes_no"]
    extra = [(code, "count") for code in EXTRA_CODES]
    return (codes + extra)[:INDICATORS]


def generate(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    rnd = random.Random(7)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append(["Organisation", "Indicator", "Year", "Value"])
    for org in range(ORGS):
        name = f"Organisation {org:04d} Housing Association"
        for code, unit in _catalogue_codes():
            for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
                if unit == "percent":
                    value = WriteOnlyCell(sheet, value=round(rnd.uniform(0.5, 1.0), 4))
                    value.number_format = "0.0%"
                else:
                    value = round(rnd.uniform(1, 500), 2)
                sheet.append([name, code, f"{year}/{(year + 1) % 100:02d}", value])
    book.save(path)


def step_calamine(path: Path) -> dict[str, float]:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    rows = sum(1 for _ in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())
    return {"seconds": time.perf_counter() - start, "rows": rows, "peak_mb": _peak_mb()}


def step_openpyxl(path: Path) -> dict[str, float]:
    from openpyxl import load_workbook

    start = time.perf_counter()
    book = load_workbook(path, read_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    rows = sum(1 for _ in sheet.iter_rows(max_col=4, values_only=True))
    book.close()
    return {"seconds": time.perf_counter() - start, "rows": rows, "peak_mb": _peak_mb()}


def step_import(path: Path, db_path: Path) -> dict[str, float]:
    from bvdesk.operations.indicator_import import import_files
    from bvdesk.operations.landlord import init_database
    from bvdesk.store.models import Indicator

    db = init_database(db_path, "Organisation 0000 Housing Association")
    with db.session() as session:
        for code in EXTRA_CODES:
            session.add(Indicator(code=code, name=f"Local measure {code}", unit="count",
                                  polarity="higher", is_custom=True))
    start = time.perf_counter()
    report = import_files(db, [path])
    seconds = time.perf_counter() - start
    db.close()
    return {"seconds": seconds, "imported": report.imported, "errors": len(report.errors),
            "warnings": len(report.warnings), "peak_mb": _peak_mb()}


def _child(step: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--step", step, *args], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the workbook here")
    parser.add_argument("--repeat", type=int, default=5, metavar="N",
                        help="calamine reads and imports to run; the medians are compared")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        steps = {"calamine": step_calamine, "openpyxl": step_openpyxl, "import": step_import}
        print(json.dumps(steps[args.step](*map(Path, args.args))))
        return
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    workbook = folder / "long-200k.xlsx"
    if not workbook.exists():
        start = time.perf_counter()
        generate(workbook)
        print(f"generated {workbook} in {time.perf_counter() - start:.1f} s")
    openpyxl = _child("openpyxl", str(workbook))
    db_path = folder / "bench.sqlite"
    calamine_runs, import_runs = [], []
    for _ in range(args.repeat):  # alternate, so a busy machine slows both alike
        calamine_runs.append(_child("calamine", str(workbook)))
        for stale in folder.glob("bench.sqlite*"):
            stale.unlink()
        import_runs.append(_child("import", str(workbook), str(db_path)))
    calamine = sorted(calamine_runs, key=lambda run: run["seconds"])[len(calamine_runs) // 2]
    full = sorted(import_runs, key=lambda run: run["seconds"])[len(import_runs) // 2]
    full["peak_mb"] = max(run["peak_mb"] for run in import_runs)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, runs in (("calamine", calamine_runs), ("import", import_runs)):
        times = sorted(run["seconds"] for run in runs)
        print(f"{name:>8}: min {times[0]:.2f}  median {times[len(times) // 2]:.2f}  "
              f"max {times[-1]:.2f} s")
    print("each run (calamine / import, s): " + ", ".join(
        f"{c['seconds']:.2f}/{i['seconds']:.2f}" for c, i in zip(calamine_runs, import_runs,
                                                                  strict=True)))
    rows = calamine["rows"] - 1
    print(f"rows: {rows:,}; imported {full['imported']:,} values, {full['errors']} errors, "
          f"{full['warnings']} warnings")
    print(f"calamine read : {calamine['seconds']:6.2f} s  ({rows / calamine['seconds']:,.0f} "
          f"rows/s, peak {calamine['peak_mb']:.0f} MB)")
    print(f"openpyxl read : {openpyxl['seconds']:6.2f} s  ({rows / openpyxl['seconds']:,.0f} "
          f"rows/s, peak {openpyxl['peak_mb']:.0f} MB)")
    print(f"full import   : {full['seconds']:6.2f} s  ({rows / full['seconds']:,.0f} rows/s, "
          f"peak {full['peak_mb']:.0f} MB)")
    print(f"ratio import/calamine (medians): {full['seconds'] / calamine['seconds']:.2f} "
          "(goal <= 2); "
          f"import/openpyxl: {full['seconds'] / openpyxl['seconds']:.2f}; "
          f"peak {full['peak_mb']:.0f} MB (goal < 300)")


if __name__ == "__main__":
    main()
