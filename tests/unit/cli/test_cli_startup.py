"""The command line starts fast: help and --version load none of the heavy libraries.

Each command imports what it needs when it runs, so that a batch script calling bvdesk many
times, and every call of the Windows bundle, does not pay for reportlab, openpyxl, SQLAlchemy
and Alembic on every start.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

_PROBE = """
import contextlib, json, sys
from bvdesk.cli import main
with contextlib.suppress(SystemExit):
    main(sys.argv[1:])
heavy = ("sqlalchemy", "alembic", "openpyxl", "reportlab", "python_calamine", "PySide6", "xlrd")
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(heavy))))
"""


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["import", "indicators", "--help"],
                                  ["review", "list", "--help"]])
def test_help_and_version_load_no_heavy_library(args: list[str]) -> None:
    result = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True,
                            text=True, timeout=60, check=True)
    assert json.loads(result.stdout.splitlines()[-1]) == []


_GUI_PROBE = """
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
import bvdesk.ui.app
before_window = set(sys.modules)
from PySide6.QtCore import QEventLoop, QTimer
from bvdesk.ui.app import make_window
window = make_window(Path(sys.argv[1]))
window.show()
loop = QEventLoop()
opened = []
window.database_opened.connect(lambda owner: (opened.append(owner is not None), loop.quit()))
QTimer.singleShot(60000, loop.quit)
loop.exec()
if window.runner.busy:  # the home page reads its figures
    window.runner.idle.connect(loop.quit)
    loop.exec()
heavy = ("alembic", "openpyxl", "reportlab", "python_calamine", "xlrd", "jsonschema",
         "PySide6.QtCharts", "PySide6.QtPdf", "bvdesk.reports", "bvdesk.ui.workspace",
         "bvdesk.ui.report_dialog", "bvdesk.ui.import_wizard", "bvdesk.excel")
print(json.dumps({
    "opened": opened, "page": window.stack.currentWidget() is window.page("home"),
    "before_window": sorted(m for m in ("sqlalchemy", "bvdesk.store") if m in before_window),
    "shown": sorted(m for m in heavy if m in sys.modules)}))
"""


@pytest.mark.sqlite_only  # the desktop app opening a file
def test_the_app_shows_the_home_page_of_the_demo_without_the_heavy_libraries(
        demo_db_path: Path) -> None:
    """The window and its first page load what they show: the review workspace, charts, PDF
    preview, reports, spreadsheets and migrations load on first use or once the app is idle; the
    database layer loads on the worker that opens the database, not before the window exists."""
    result = subprocess.run([sys.executable, "-c", _GUI_PROBE, str(demo_db_path)],
                            capture_output=True, text=True, timeout=120, check=True)
    found = json.loads(result.stdout.splitlines()[-1])
    assert found["opened"] == [True]
    assert found["page"] is True
    assert found["before_window"] == []
    assert found["shown"] == []


_SECOND_START_PROBE = """
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtCore import QEventLoop, QTimer
from bvdesk.ui.app import make_window
window = make_window(Path(sys.argv[1]))
kept = window.page_built("home") and window.home.data is not None
layer_at_home = "sqlalchemy" in sys.modules
window.show()
loop = QEventLoop()
window.database_opened.connect(lambda owner: loop.quit())
QTimer.singleShot(60000, loop.quit)
loop.exec()
if window.runner.busy:
    window.runner.idle.connect(loop.quit)
    loop.exec()
figures = window.home.data
window.close()
print(json.dumps({"kept": kept, "layer_at_home": layer_at_home, "landlord": figures.landlord,
                  "reviews": len(figures.reviews)}))
"""


@pytest.mark.sqlite_only  # the desktop app opening a file
def test_a_second_start_shows_the_home_page_before_the_database_layer_loads(
        demo_db_path: Path) -> None:
    """The first start reads the home page from the database; closing the window keeps its
    figures, and the next start shows them before SQLAlchemy is even loaded."""
    runs = [json.loads(subprocess.run(
        [sys.executable, "-c", _SECOND_START_PROBE, str(demo_db_path)], capture_output=True,
        text=True, timeout=120, check=True).stdout.splitlines()[-1]) for _ in range(2)]
    assert runs[0]["kept"] is False
    assert runs[1] == {"kept": True, "layer_at_home": False, "landlord": "Northvale Homes",
                       "reviews": 3}


_COMMAND_PROBE = """
import contextlib, io, json, sys
from bvdesk.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main(sys.argv[1:])
heavy = ("alembic", "openpyxl", "reportlab", "python_calamine", "xlrd", "jsonschema", "PySide6",
         "bvdesk.reports", "bvdesk.excel")
print(json.dumps(sorted(h for h in heavy if h in sys.modules)))
"""


@pytest.mark.parametrize(("command", "loaded"), [
    (["review", "list"], []),
    (["report", "1", "--edition", "regulator", "-o", "{out}/r.pdf"],
     ["bvdesk.reports", "reportlab"]),
    (["export", "1", "-o", "{out}/r.xlsx"], ["bvdesk.excel", "openpyxl"]),
])
def test_each_command_loads_only_the_libraries_it_uses(
        demo_db_path: Path, tmp_path: Path, command: list[str], loaded: list[str]) -> None:
    args = [a.format(out=tmp_path) for a in command] + ["--db", str(demo_db_path)]
    result = subprocess.run([sys.executable, "-c", _COMMAND_PROBE, *args], capture_output=True,
                            text=True, timeout=120, check=True)
    assert json.loads(result.stdout.splitlines()[-1]) == loaded
