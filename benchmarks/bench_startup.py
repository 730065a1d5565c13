"""Start-up: from a fresh process to bvdesk's main window showing the demo's home page.

The baseline, measured in the same run, is a bare PySide6 ``QMainWindow`` in a fresh process:
the floor for any Qt desktop app. Each timed run is a new process (the two alternate, so a busy
machine slows both alike); the time runs from starting the process until the window is exposed
and painted. Three marks are taken for bvdesk:

- first painted: the window's first frame;
- home page with its figures: the home page painted with the demo's figures (the figures kept
  when the database was last closed, which the app shows while the file is unchanged since);
- database open and idle: the database open, the home page's figures read from it again, and
  nothing left running.

Each bvdesk run ends by closing its window, as a person does (that is when the figures are kept).

Both are measured twice: with cached bytecode, and without (every run compiles all it imports,
standard library included, into an empty cache folder: a first start after installing).

Run: ``python benchmarks/bench_startup.py [--runs N]`` (offscreen unless DISPLAY is set).
Goal: bvdesk's median within 3x of the bare window's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD = r"""
import os, sys, time
start = float(sys.argv[2])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
marks = {}

def painted(window):
    handle = window.windowHandle()
    if handle is None or not handle.isExposed():
        return False
    window.repaint()
    return True

if sys.argv[1] == "bare":
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()

    def check():
        if painted(window):
            marks["shown"] = marks["home"] = marks["ready"] = time.time() - start
            app.quit()
        else:
            QTimer.singleShot(1, check)
else:
    from pathlib import Path
    from bvdesk.ui.app import application, make_window
    app = application()
    window = make_window(Path(sys.argv[3]))
    window.show()
    opened = []
    window.database_opened.connect(opened.append)

    def check():
        if "shown" not in marks and painted(window):
            marks["shown"] = time.time() - start
        if ("home" not in marks and window.page_built("home") and window.home.data is not None
                and painted(window)):
            marks["home"] = time.time() - start
        if "home" in marks and opened and not window.runner.busy:
            marks["ready"] = time.time() - start
            window.close()
            app.quit()
        else:
            QTimer.singleShot(1, check)

QTimer.singleShot(0, check)
app.exec()
print("MARKS", marks["shown"], marks["home"], marks["ready"])
"""


def _run(kind: str, db: Path, env: dict[str, str], cold: bool) -> tuple[float, float, float]:
    run_env = dict(env)
    if cold:
        run_env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="bench-pyc-")
    start = time.time()
    out = subprocess.run([sys.executable, "-c", _CHILD, kind, repr(start), str(db)],
                         env=run_env, capture_output=True, text=True, timeout=300)
    line = [x for x in out.stdout.splitlines() if x.startswith("MARKS")]
    if out.returncode != 0 or not line:
        raise SystemExit(f"{kind} run failed:\n{out.stderr[-2000:]}")
    shown, home, ready = map(float, line[0].split()[1:])
    return shown, home, ready


def _spread(values: list[float]) -> str:
    return (f"min {min(values):.3f}  median {statistics.median(values):.3f}  "
            f"max {max(values):.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each (at least 5)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    env = dict(os.environ, BVDESK_HOME=str(folder / "home"))
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    db = folder / "demo.bvdesk"
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from "
                    "bvdesk.operations.demo import create_demo; create_demo(Path(sys.argv[1]))",
                    str(db)], env=env, check=True)
    print(f"platform: {env.get('QT_QPA_PLATFORM') or 'display ' + env['DISPLAY']}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    results: dict[str, float] = {}
    for cold in (False, True):
        title = "without cached bytecode" if cold else "with cached bytecode"
        _run("bare", db, env, cold)
        # Warm-up: the first open makes the daily backup, and closing keeps the home figures.
        _run("app", db, env, cold)
        bare: list[float] = []
        marks: tuple[list[float], list[float], list[float]] = ([], [], [])
        for _ in range(max(5, args.runs)):
            bare.append(_run("bare", db, env, cold)[0])
            for series, value in zip(marks, _run("app", db, env, cold), strict=True):
                series.append(value)
        floor = statistics.median(bare)
        results[title] = statistics.median(marks[1]) / floor
        print(f"\n{title} ({len(bare)} runs each, alternating):")
        print(f"  bare QMainWindow shown         : {_spread(bare)}")
        for name, series in zip(("bvdesk window first painted ", "bvdesk home page with figures",
                                 "bvdesk database open and idle"), marks, strict=True):
            print(f"  {name}  : {_spread(series)}  "
                  f"(ratio {statistics.median(series) / floor:.2f}x)")
    print("\nratio bvdesk home page with its figures / bare window (medians): " + "; ".join(
        f"{title}: {ratio:.2f}x" for title, ratio in results.items()) + " (goal <= 3x)")


if __name__ == "__main__":
    main()
