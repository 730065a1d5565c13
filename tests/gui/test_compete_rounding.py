"""The Compete screen rounds as the documents do: a score that is an exact half (33.25 points)
reads the same on screen as in the submission the command line prints (33.3, a half rounded
up), where the screen's own formatting rounded it to even (33.2)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from journey_steps import go_to_stage, open_review, results_on_screen
from person import WAIT_MS, click_tab, field, settle, type_into
from pypdf import PdfReader
from PySide6.QtWidgets import QLineEdit, QTabWidget
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow

REVIEW = "Responsive repairs: Best Value review 2009/10"
#: At a price weight of 50%, this option's quality score is 50% of 66.5%: 33.25 points.
OPTION = "Partial market test (30% of turnover)"
NPC, EAC, PER_HOME, PRICE, QUALITY, TOTAL = 2, 3, 4, 6, 7, 8


def _submission_text(window: MainWindow, tmp_path: Path) -> str:
    """The submission as ``bvdesk report`` writes it from the same database, read back."""
    pdf = tmp_path / "submission.pdf"
    assert window.ctx.db is not None
    done = subprocess.run([sys.executable, "-m", "bvdesk", "report", "1", "--edition",
                           "regulator", "-o", str(pdf), "--db", str(window.ctx.db.path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    pages = PdfReader(io.BytesIO(pdf.read_bytes())).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_an_exact_half_reads_the_same_on_screen_and_in_the_submission(
        qtbot: QtBot, demo_window: MainWindow, tmp_path: Path) -> None:
    window = demo_window
    open_review(qtbot, window, REVIEW)
    go_to_stage(qtbot, window, "5. Compete")
    click_tab(qtbot, field(window, "Option details", QTabWidget), "Appraisal Settings")
    type_into(qtbot, field(window, "Price weight (%)", QLineEdit), "50")
    # At the demo's 40% it scores 39.9 for quality; the results follow the weight typed.
    qtbot.waitUntil(lambda: results_on_screen(window)[OPTION][QUALITY] != "39.9",
                    timeout=WAIT_MS)
    settle(qtbot, window)

    row = results_on_screen(window)[OPTION]
    assert row[QUALITY] == "33.3"
    submission = _submission_text(window, tmp_path)
    # The submission's options table: quality, price and total scores, side by side.
    assert f"{row[QUALITY]} {row[PRICE]} {row[TOTAL]}" in submission
    # And its costs: net present, a year, and per home in whole pounds (the screen showed pence).
    assert f"{row[NPC]} {row[EAC]} {row[PER_HOME]}" in submission
