"""Runs spreadsheet files through bvdesk's importers, each file in its own forked child.

Usage: ``python foreign_worker.py < jobs.json`` where the JSON is a list of
``{"path": ..., "importers": ["indicators", "appraisal"]}``. The libraries are imported once
here; each file then goes through its importers in a child forked from this process (so it
starts in milliseconds), under an address-space limit and an alarm, with standard output and
standard error sent to files. Up to one child per CPU runs at a time. One JSON line per file and
importer is printed (``path``, ``importer`` and the following), in the order they finish:

``outcome``
    ``read`` (the importer returned, with its problems reported by cell), ``refused`` (a
    ``BvdeskError``: the clear message a user sees), ``unexpected`` (any other exception, with its
    traceback: a defect), or ``killed`` (the child died: a signal, an abort in native code, or
    the alarm, which shows as signal 14).
``seconds``, ``peak_mb``
    Wall-clock time and peak resident memory of the child (for all its importers).
``stdout``
    Whatever reached standard output (a reader library printing would corrupt ``--json``).
"""

from __future__ import annotations

import gc
import json
import os
import resource
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from bvdesk.errors import BvdeskError
from bvdesk.excel.appraisal_workbook import read_appraisal_workbook
from bvdesk.operations.indicator_import import read_files

#: Far above the 400 MB a file may take, so an overrun shows as a measured peak, not a failure
#: to start; well below what would hurt the machine.
ADDRESS_SPACE = 1536 * 1024**2
ALARM_SECONDS = 60


def _run(path: Path, importer: str) -> dict[str, str]:
    try:
        if importer == "appraisal":
            read = read_appraisal_workbook(path)
            detail = f"{len(read.issues)} problems"
        else:  # as the import wizard and a dry run read, with progress and preview rows
            parsed = read_files(None, [path], progress=lambda _fraction: None)
            parsed.preview()
            result = parsed.result
            detail = f"{len(result.rows)} values, {len(result.errors)} errors"
    except BvdeskError as exc:
        return {"outcome": "refused", "message": exc.message}
    except BaseException:  # noqa: BLE001 - the point of this harness: report what escapes
        return {"outcome": "unexpected", "message": traceback.format_exc(limit=-6)}
    return {"outcome": "read", "message": detail}


def _child(job: dict[str, Any], folder: Path) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    signal.alarm(ALARM_SECONDS)
    out = os.open(folder / "stdout", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    err = os.open(folder / "stderr", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(out, 1)  # native code and libraries that kept the original stream land here too
    os.dup2(err, 2)
    outcomes = {importer: _run(Path(job["path"]), importer) for importer in job["importers"]}
    sys.stdout.flush()
    sys.stderr.flush()
    (folder / "result.json").write_text(json.dumps(outcomes), "utf-8")


def _report(job: dict[str, Any], folder: Path, status: int, usage: Any,
            seconds: float) -> list[dict[str, Any]]:
    code = os.waitstatus_to_exitcode(status)
    result_file = folder / "result.json"
    if code == 0 and result_file.exists():
        outcomes = json.loads(result_file.read_text("utf-8"))
    else:
        killed = {"outcome": "killed", "message": f"exit status {code}: " + (
            folder / "stderr").read_text("utf-8", errors="replace")[-2000:]}
        outcomes = {importer: killed for importer in job["importers"]}
    shared = {"path": job["path"], "seconds": round(seconds, 3),
              "peak_mb": round(usage.ru_maxrss / 1024),
              "stdout": (folder / "stdout").read_text("utf-8", errors="replace")[:2000]}
    return [{**shared, "importer": importer, **outcome} for importer, outcome in outcomes.items()]


def main() -> None:
    jobs = json.load(sys.stdin)
    gc.freeze()  # the collector leaves the parent's objects alone: fewer pages copied per child
    parallel = max(1, len(os.sched_getaffinity(0)))
    running: dict[int, tuple[dict[str, Any], Path, float]] = {}
    with tempfile.TemporaryDirectory(prefix="foreign-") as scratch:
        pending = list(enumerate(jobs))
        while pending or running:
            while pending and len(running) < parallel:
                number, job = pending.pop(0)
                folder = Path(scratch) / str(number)
                folder.mkdir()
                started = time.perf_counter()
                pid = os.fork()
                if pid == 0:
                    try:
                        _child(job, folder)
                    finally:
                        os._exit(0)
                running[pid] = (job, folder, started)
            pid, status, usage = os.wait4(-1, 0)
            job, folder, started = running.pop(pid)
            for line in _report(job, folder, status, usage, time.perf_counter() - started):
                print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
