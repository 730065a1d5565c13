"""The app at 200% scaling: same layout, twice the pixels (run in its own process, because
the scale factor is fixed when Qt starts)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from bvdesk.ui.app import application, make_window
app = application()
window = make_window(Path(sys.argv[1]))
window.resize(1280, 800)
window.show()
def shoot(_owner):
    def done():
        if window.runner.busy:
            QTimer.singleShot(50, done)
            return
        image = window.grab()
        image.save(sys.argv[2])
        print(json.dumps({"ratio": window.devicePixelRatio(), "width": image.width(),
                          "height": image.height(), "title": window.windowTitle(),
                          "reviews": len(window.reviews.model.rows())}))
        app.quit()
    done()
window.database_opened.connect(shoot)
QTimer.singleShot(60000, app.quit)
app.exec()
"""


@pytest.mark.slow
def test_window_at_200_percent(demo_db_path: Path, tmp_path: Path) -> None:
    shot = tmp_path / "at-200.png"
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(demo_db_path), str(shot)],
                          env=env, capture_output=True, text=True, timeout=120, check=True)
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    assert facts["ratio"] == 2.0
    assert (facts["width"], facts["height"]) == (2560, 1600)
    assert facts["title"] == "Northvale Homes - bvdesk" and facts["reviews"] == 3
    assert shot.stat().st_size > 50_000


STAGES_SCRIPT = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from bvdesk.domain.vocabulary import Stage
from bvdesk.ui.app import application, make_window
app = application()
window = make_window(Path(sys.argv[1]))
window.resize(1024, 768)
window.show()
stages = list(Stage)
wide = {}
def settle(then):
    def check():
        if window.runner.busy:
            QTimer.singleShot(50, check)
        else:
            QTimer.singleShot(100, then)
    check()
def visit(index=0):
    ws = window.workspace
    if index == len(stages):
        print(json.dumps({"ratio": window.devicePixelRatio(), "width": window.width(),
                          "wide": wide}))
        app.quit()
        return
    ws.show_stage(stages[index])
    def measure():
        page = ws.page(stages[index])
        if page.horizontalScrollBar().maximum() > 0:
            wide[stages[index].label] = page.horizontalScrollBar().maximum()
        visit(index + 1)
    settle(measure)
def opened(_owner):
    window.open_review(1)
    settle(visit)
window.database_opened.connect(opened)
QTimer.singleShot(90000, app.quit)
app.exec()
"""


@pytest.mark.slow
def test_every_stage_fits_1024_by_768_at_200_percent(demo_db_path: Path) -> None:
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", STAGES_SCRIPT, str(demo_db_path)],
                          env=env, capture_output=True, text=True, timeout=150, check=True)
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    assert facts["ratio"] == 2.0 and facts["width"] == 1024
    assert facts["wide"] == {}
