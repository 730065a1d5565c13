"""Runs bvdesk commands on hostile files, each in its own forked child, as a user would.

Usage: ``python hostile_worker.py DATABASE < jobs.json`` where the JSON is a list of
``{"name": ..., "argv": [...]}``. Each child runs ``bvdesk ARGV --db COPY`` on a fresh copy of
DATABASE under an address-space limit and an alarm. The worker prints one JSON line per job with
the exit status (negative: killed by that signal), the wall-clock seconds, the peak resident
memory and what the command wrote. A hang shows as -14 (SIGALRM).
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import shutil
import signal
import sys
import time
from pathlib import Path

from bvdesk.cli import command_modules
from bvdesk.cli import main as bvdesk
from bvdesk.operations.indicator_import import load_catalogue
from bvdesk.store.db import Database

ADDRESS_SPACE = 3 * 1024**3
ALARM_SECONDS = 60


def _child(database: Path, argv: list[str], out: Path, err: Path) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    signal.alarm(ALARM_SECONDS)
    with open(out, "w", encoding="utf-8") as stdout, open(err, "w", encoding="utf-8") as stderr:
        sys.stdout, sys.stderr = stdout, stderr
        os.dup2(stderr.fileno(), 2)  # tracebacks from native code land here too
        code = bvdesk([*argv, "--db", str(database)])
        stdout.flush()
        stderr.flush()
    os._exit(code)


def main() -> None:
    for module in command_modules():  # import once here, not in every child
        importlib.import_module(module)
    template = Path(sys.argv[1])
    with Database.open(template, write=False) as db:  # configure mappers, warm query caches
        load_catalogue(db)
    for n, job in enumerate(json.load(sys.stdin)):
        folder = template.parent / f"run{n}"
        folder.mkdir()
        database = folder / "landlord.sqlite"
        shutil.copyfile(template, database)
        out, err = folder / "stdout.txt", folder / "stderr.txt"
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            try:
                _child(database, job["argv"], out, err)
            finally:
                os._exit(70)
        _, status, usage = os.wait4(pid, 0)
        print(json.dumps({
            "name": job["name"], "database": str(database),
            "exit": os.waitstatus_to_exitcode(status),
            "seconds": round(time.perf_counter() - started, 2),
            "peak_mb": round(usage.ru_maxrss / 1024),
            "stdout": out.read_text("utf-8", errors="replace"),
            "stderr": err.read_text("utf-8", errors="replace")}), flush=True)


if __name__ == "__main__":
    main()
