"""The desktop app's longest event-loop stall while heavy work runs in the background.

A 10 ms QTimer records the gap between its ticks on the GUI thread. The worst gap is measured
first with the app idle (the baseline, in this same run), then while the app imports a
200,000-row workbook and renders the regulator report (every edition of the demo review) on its
background workers. A responsive app keeps the worst gap near the baseline; anything past ~100 ms
is a noticeable freeze.

The first opening of a review's workspace (before the app's idle warm-up has loaded it) is
measured too: the stall a person clicking a stage at once would see.

Run: ``python benchmarks/bench_ui_stall.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from openpyxl import Workbook  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer  # noqa: E402

from bvdesk.operations import indicator_import, reports  # noqa: E402
from bvdesk.operations.demo import create_demo  # noqa: E402
from bvdesk.ui.app import application  # noqa: E402
from bvdesk.ui.mainwindow import MainWindow  # noqa: E402

CODES = ("BV66a", "BV66b", "BV72", "BV73", "BV184a", "BV212", "BV211a", "BV185", "APPT",
         "GNPI20")


def write_workbook(path: Path, rows: int) -> Path:
    """A long-layout workbook: organisation, indicator, year, value."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append(["Organisation", "Indicator", "Year", "Value"])
    per_org = len(CODES) * 10
    for number in range(rows):
        org, rest = divmod(number, per_org)
        code = CODES[rest % len(CODES)]
        year = 2000 + rest // len(CODES)
        sheet.append([f"Benchmark Housing {org:05d}", code, f"{year}/{(year + 1) % 100:02d}",
                      50 + (number * 7919) % 500 / 10])
    book.save(path)
    return path


class StallMeter:
    """Records the worst gap between ticks of a 10 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.clock = QElapsedTimer()
        self.last = 0
        self.worst = 0
        self.gaps: list[int] = []
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.worst = 0
        self.gaps = []
        self.clock.start()
        self.last = 0
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        gap = now - self.last
        self.last = now
        self.gaps.append(gap)
        self.worst = max(self.worst, gap)
        if gap > 50 and os.environ.get("BENCH_DEBUG"):
            print(f"  stall {gap} ms ending at {now} ms")

    def stop(self) -> tuple[int, float]:
        self.timer.stop()
        ordered = sorted(self.gaps)
        p99 = ordered[int(len(ordered) * 0.99)] if ordered else 0
        return self.worst, p99


def wait_idle(window: MainWindow) -> None:
    """Run the event loop until the window's background work is done."""
    loop = QEventLoop()
    window.runner.idle.connect(loop.quit)
    QTimer.singleShot(0, lambda: None if window.runner.busy else loop.quit())
    loop.exec()
    window.runner.idle.disconnect(loop.quit)


def run_for(milliseconds: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    application()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["BVDESK_HOME"] = folder
        started = time.perf_counter()
        book = write_workbook(Path(folder) / "values.xlsx", args.rows)
        print(f"wrote {args.rows:,}-row workbook in {time.perf_counter() - started:.1f} s")
        db_path = create_demo(Path(folder) / "demo.sqlite")
        window = MainWindow()
        window.show()
        window.open_database(db_path)
        wait_idle(window)
        review_id = window.reviews.model.rows()[0].id
        meter = StallMeter()

        meter.start()
        run_for(2000)
        idle_worst, idle_p99 = meter.stop()

        # A review opened before the idle warm-up has loaded the workspace: the worst case of
        # "the first click on a stage" (the app's warm-up normally loads and builds it first).
        meter.start()
        window.open_review(review_id)
        wait_idle(window)
        run_for(500)
        stage_worst, stage_p99 = meter.stop()

        finished: dict[str, float] = {}
        started = time.perf_counter()
        meter.start()
        window.ctx.run_db(indicator_import.import_files, [book], with_state=True,
                          on_done=lambda r: finished.setdefault("import",
                                                                time.perf_counter() - started),
                          label="Importing", progress=True, cancellable=True)
        for edition in ("regulator", "board", "tenant"):
            window.ctx.run_db(reports.render_bytes, review_id, edition,
                              on_done=lambda r, e=edition: finished.setdefault(
                                  e, time.perf_counter() - started))
        wait_idle(window)
        run_for(1000)  # what happens just after the work ends counts too
        busy_worst, busy_p99 = meter.stop()
        window.close()
    print(f"import of {args.rows:,} rows done after {finished.get('import', 0):.1f} s; "
          f"three report editions done after {finished.get('tenant', 0):.1f} s")
    print(f"idle:      worst gap {idle_worst} ms, 99th percentile {idle_p99} ms")
    print(f"first open of a review's workspace, before any warm-up: worst gap {stage_worst} ms, "
          f"99th percentile {stage_p99} ms")
    print(f"busy:      worst gap {busy_worst} ms, 99th percentile {busy_p99} ms")
    print(f"ratio busy/idle worst gap: {busy_worst / max(idle_worst, 1):.1f}x "
          f"(longest stall {busy_worst} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
