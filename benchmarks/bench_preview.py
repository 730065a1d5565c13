"""Report preview: from the click to the first page of the regulator submission on screen.

In a fresh app on the demo database, a review's workspace is opened and the report preview is
asked for, as the Report button does; the time runs until the PDF is loaded in the preview and
its first page is rasterised at the preview's width (what the view draws first). The baseline,
measured in the same process, is the bare render of the same document (the review read and the
regulator PDF produced, ``operations.reports.render_bytes``), the least any preview can take.

Three clicks are timed: a new user's first click straight after start-up, before the app's
idle warm-up has loaded the report modules; the first click once the warm-up is done (a fresh
process again); and repeated clicks (median of five), each against the bare render (median of
five, after the clicks, all modules loaded).

Run: ``python benchmarks/bench_preview.py``. Goal: click-to-first-page within 1.5x of the bare
render.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_CHILD = r"""
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QEventLoop, QSize, QTimer
from PySide6.QtPdf import QPdfDocument
from bvdesk.ui.app import application, make_window, warm_up

def wait(signal=None, ms=60000, until=None):
    loop = QEventLoop()
    if signal is not None:
        signal.connect(lambda *_a: loop.quit())
    if until is not None:
        timer = QTimer()
        timer.timeout.connect(lambda: until() and loop.quit())
        timer.start(1)
    QTimer.singleShot(ms, loop.quit)
    loop.exec()

app = application()
window = make_window(Path(sys.argv[2]))
warm = warm_up(window) if sys.argv[1] == "warm" else None
window.show()
wait(window.database_opened)
wait(until=lambda: not window.runner.busy)
if warm is not None:
    wait(warm.finished)
review_id = window.reviews.model.rows()[0].id if window.reviews.model.rowCount() else None
if review_id is None:
    wait(until=lambda: window.reviews.model.rowCount() > 0)
    review_id = window.reviews.model.rows()[0].id
window.open_review(review_id)
wait(until=lambda: not window.runner.busy)

def click():
    start = time.perf_counter()
    dialog = window.show_report(review_id)
    wait(dialog.rendered)
    wait(until=lambda: dialog.document.status() == QPdfDocument.Status.Ready)
    width = dialog.view.viewport().width()
    size = dialog.document.pagePointSize(0)
    dialog.document.render(0, QSize(width, int(width * size.height() / size.width())))
    seconds = time.perf_counter() - start
    dialog.close()
    wait(until=lambda: not window.runner.busy)
    return seconds

first = click()
again = [click() for _ in range(5)]
from bvdesk.operations.reports import render_bytes
bare = []
for _ in range(5):
    start = time.perf_counter()
    render_bytes(window.ctx.db, review_id, "regulator")
    bare.append(time.perf_counter() - start)
print("RESULT " + json.dumps({"first": first, "again": again, "bare": bare}))
window.close()
"""


def _child(mode: str, db: Path, env: dict[str, str]) -> dict[str, object]:
    import json

    out = subprocess.run([sys.executable, "-c", _CHILD, mode, str(db)], env=env,
                         capture_output=True, text=True, timeout=600)
    line = [x for x in out.stdout.splitlines() if x.startswith("RESULT ")]
    if out.returncode != 0 or not line:
        raise SystemExit(f"{mode} run failed:\n{out.stderr[-3000:]}")
    return json.loads(line[0][7:])


def _spread(values: list[float]) -> str:
    return (f"min {min(values) * 1000:6.0f}  median {statistics.median(values) * 1000:6.0f}  "
            f"max {max(values) * 1000:6.0f} ms")


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    env = dict(os.environ, BVDESK_HOME=str(folder / "home"))
    db = folder / "demo.bvdesk"
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from "
                    "bvdesk.operations.demo import create_demo; create_demo(Path(sys.argv[1]))",
                    str(db)], env=env, check=True)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    cold = _child("cold", db, env)
    warm = _child("warm", db, env)
    bare = [*cold["bare"], *warm["bare"]]  # type: ignore[misc]
    floor = statistics.median(bare)
    again = [*cold["again"], *warm["again"]]  # type: ignore[misc]
    print(f"bare render (review read + regulator PDF): {_spread(bare)}")
    print(f"first click, before the warm-up : {cold['first'] * 1000:6.0f} ms  "
          f"(ratio {cold['first'] / floor:.2f}x)")  # type: ignore[operator]
    print(f"first click, after the warm-up  : {warm['first'] * 1000:6.0f} ms  "
          f"(ratio {warm['first'] / floor:.2f}x)")  # type: ignore[operator]
    print(f"repeated clicks                 : {_spread(again)}  "
          f"(ratio {statistics.median(again) / floor:.2f}x)")
    print(f"ratio click-to-first-page / bare render, after the warm-up: "
          f"{warm['first'] / floor:.2f}x first, {statistics.median(again) / floor:.2f}x "  # type: ignore[operator]
          "repeated (goal <= 1.5x)")


if __name__ == "__main__":
    t = time.perf_counter()
    main()
    print(f"({time.perf_counter() - t:.0f} s)")
