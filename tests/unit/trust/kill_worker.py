"""A fork server for the kill tests: imports bvdesk once, then forks one child per job.

Protocol (one JSON object per line on stdin): ``{"op": NAME, "db": PATH, ...}``. For each job it
prints the child's pid, then, when the child has ended, ``<exit status or -signal> <seconds>``.
The test kills the child with SIGKILL at a random moment in between. Forking from this small
process (not from pytest) keeps each kill point to milliseconds instead of a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from pathlib import Path

from bvdesk.operations.indicator_import import import_files
from bvdesk.operations.packages import import_review
from bvdesk.operations.restore import restore
from bvdesk.store.db import Database


def _run(job: dict[str, str]) -> None:
    if job["op"] == "import_package":
        with Database.open(Path(job["db"]), user="kill-test") as db:
            import_review(db, Path(job["package"]))
    elif job["op"] == "import_indicators":
        with Database.open(Path(job["db"]), user="kill-test") as db:
            report = import_files(db, [Path(job["workbook"])])
            if not report.written:
                raise RuntimeError(report.summary())
    elif job["op"] == "restore":
        restore(Path(job["db"]), Path(job["backup"]))
    elif job["op"] == "migrate":
        Database.open(Path(job["db"]), user="kill-test").close()
    else:
        raise ValueError(job["op"])


def main() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            try:
                _run(job)
            except BaseException:  # report it; the parent test fails on a non-zero status
                traceback.print_exc()
                os._exit(3)
            os._exit(0)
        print(pid, flush=True)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        print(f"{code} {time.perf_counter() - started:.4f}", flush=True)


if __name__ == "__main__":
    main()
