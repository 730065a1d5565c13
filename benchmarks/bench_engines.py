"""The same work on both engines: an SQLite file against a PostgreSQL server, in one run.

Two workloads, each timed on a file and on a server, alternately, ``--repeat`` times in fresh
processes, and the medians compared (goal: the server within 2x of the file):

- the 200,000-row indicator import (``bench_import``'s workbook: 1,000 organisations x 40
  indicators x 5 years), parse, validate and write, into a new landlord's database;
- the 500 x 40 x 10 benchmark table (``bench_benchmark``'s data: quartiles, bands, ranks and
  the bottom-quartile history of every indicator).

The server is ``--server URL`` or ``$BVDESK_TEST_PG``: a login that may create databases (two
are made, ``bench_engines_*``, and dropped at the end). Over a local socket the comparison is of
the engines; over a network it includes the network.

Run: python benchmarks/bench_engines.py [--server URL] [--repeat N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_benchmark  # noqa: E402 - the benchmarks folder is not a package
import bench_import  # noqa: E402


def _admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql)


def _database(server: str, name: str) -> str:
    """A new, empty database ``name`` on the server (replacing a leftover), as a URL."""
    _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(server, f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(server)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def step_import(workbook: str, target: str) -> dict[str, float]:
    """One import into a new database: a file path, or an empty server database."""
    result = bench_import.step_import(Path(workbook), target)  # type: ignore[arg-type]
    return {"seconds": result["seconds"], "imported": result["imported"]}


def step_table(target: str) -> dict[str, float]:
    seconds, rows = bench_benchmark.run(target)  # type: ignore[arg-type]
    return {"seconds": seconds, "rows": rows}


def _child(step: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--step", step, *args], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.splitlines()[-1])


def _median(runs: list[dict[str, float]]) -> float:
    times = sorted(run["seconds"] for run in runs)
    return times[len(times) // 2]


def _line(name: str, runs: list[dict[str, float]]) -> str:
    times = sorted(run["seconds"] for run in runs)
    return (f"{name:<24} min {times[0]:6.2f}  median {times[len(times) // 2]:6.2f}  "
            f"max {times[-1]:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", default=os.environ.get("BVDESK_TEST_PG"), metavar="URL",
                        help="a PostgreSQL login that may create databases "
                             "(default: $BVDESK_TEST_PG)")
    parser.add_argument("--repeat", type=int, default=3, metavar="N")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the workbook here")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        steps = {"import": step_import, "table": step_table}
        print(json.dumps(steps[args.step](*args.args)))
        return
    if not args.server:
        parser.error("give a server: --server postgresql://USER@HOST/postgres "
                     "(or set BVDESK_TEST_PG)")
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-engines-"))
    folder.mkdir(parents=True, exist_ok=True)
    workbook = folder / "long-200k.xlsx"
    if not workbook.exists():
        bench_import.generate(workbook)

    imports: dict[str, list[dict[str, float]]] = {"file": [], "server": []}
    for _ in range(args.repeat):  # alternate, so a busy machine slows both alike
        for stale in folder.glob("import.sqlite*"):
            stale.unlink()
        imports["file"].append(_child("import", str(workbook), str(folder / "import.sqlite")))
        url = _database(args.server, "bench_engines_import")
        imports["server"].append(_child("import", str(workbook), url))
    _admin(args.server, 'DROP DATABASE IF EXISTS "bench_engines_import" WITH (FORCE)')

    table_file = folder / "table.sqlite"
    for stale in folder.glob("table.sqlite*"):
        stale.unlink()
    bench_benchmark.build(table_file)
    table_url = _database(args.server, "bench_engines_table")
    start = time.perf_counter()
    bench_benchmark.build(table_url)  # type: ignore[arg-type]
    built = time.perf_counter() - start
    tables: dict[str, list[dict[str, float]]] = {"file": [], "server": []}
    try:
        for _ in range(args.repeat):
            tables["file"].append(_child("table", str(table_file)))
            tables["server"].append(_child("table", table_url))
    finally:
        _admin(args.server, 'DROP DATABASE IF EXISTS "bench_engines_table" WITH (FORCE)')

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; server built the "
          f"500 x 40 x 10 table in {built:.1f} s")
    print(_line("import 200k, file", imports["file"]))
    print(_line("import 200k, server", imports["server"]))
    print(_line("benchmark table, file", tables["file"]))
    print(_line("benchmark table, server", tables["server"]))
    rows = imports["server"][0]["imported"]
    assert rows == imports["file"][0]["imported"], "the two imports differ"
    print(f"imported {rows:,.0f} values on each engine")
    import_ratio = _median(imports["server"]) / _median(imports["file"])
    table_ratio = _median(tables["server"]) / _median(tables["file"])
    print(f"ratio server/file (medians): import {import_ratio:.2f}, benchmark table "
          f"{table_ratio:.2f} (goal <= 2)")


if __name__ == "__main__":
    main()
