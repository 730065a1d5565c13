"""Screenshots of the main screens, for people to look at (never compared pixel by pixel).

They go to ``$BVDESK_SCREENSHOTS`` when set (``docs/screenshots`` for the README), else under
the test's tmp_path.
"""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, wait_idle

from bvdesk.domain.vocabulary import Stage
from bvdesk.ui.mainwindow import MainWindow
from bvdesk.ui.report_dialog import ReportDialog


def _save(widget: QWidget, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 10_000
    return path


def _has_ink(widget: QWidget) -> bool:
    """True once something dark is drawn (QPdfView renders pages in the background)."""
    image = widget.grab().toImage()
    return any(image.pixelColor(x, y).lightness() < 100
               for x in range(0, image.width(), 7) for y in range(0, image.height(), 7))


def test_screenshots_of_the_main_screens(qtbot: QtBot, demo_window: MainWindow,
                                         tmp_path: Path) -> None:
    folder = Path(os.environ.get("BVDESK_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    window = demo_window
    window.resize(1366, 860)
    qtbot.waitUntil(lambda: window.home.data is not None, timeout=WAIT_MS)
    _save(window, folder, "home")

    window.show_page("benchmarking")
    view = window.benchmarking.view
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=WAIT_MS)
    chosen = view.model.find(lambda r: r.persistent)
    view.table.selectRow(chosen)
    name = view.model.row_at(chosen).name
    qtbot.waitUntil(lambda: view.distribution.chart.title().startswith(name)
                    and view.history.chart.title().startswith(name), timeout=WAIT_MS)
    # QtCharts lays out axes and titles on a later pass; wait until the plots have made room.
    qtbot.waitUntil(lambda: view.distribution.chart.plotArea().left() > 20
                    and view.history.chart.plotArea().left() > 20, timeout=WAIT_MS)
    _save(window, folder, "benchmarking")

    window.show_page("reviews")
    row = window.reviews.model.find(lambda r: r.service_code == "repairs")
    window.reviews.table.selectRow(row)
    qtbot.waitUntil(lambda: window.reviews.summary.card.isVisible(), timeout=WAIT_MS)
    _save(window, folder, "reviews")

    window.open_review(window.reviews.model.row_at(row).id)
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.store.review is not None, timeout=WAIT_MS)
    for stage, name in ((Stage.COMPARE, "workspace-compare"),
                        (Stage.CONSULT, "workspace-consult"),
                        (Stage.IMPROVEMENT_PLAN, "workspace-plan")):
        ws.show_stage(stage)
        wait_idle(qtbot, window)
        _save(window, folder, name)

    ws.show_stage(Stage.COMPETE)
    compete = ws.page(Stage.COMPETE)
    qtbot.waitUntil(lambda: compete.result is not None, timeout=WAIT_MS)
    compete.verticalScrollBar().setValue(compete.tabs.parentWidget().y() - 8)
    _save(window, folder, "workspace-compete-costs")
    compete.ensureWidgetVisible(compete.tornado, 0, 0)
    qtbot.waitUntil(lambda: compete.tornado.chart.plotArea().left() > 20, timeout=WAIT_MS)
    _save(window, folder, "workspace-compete-results")

    with qtbot.waitSignal(ws.report_requested, timeout=WAIT_MS):
        ws.report_button.click()
    dialog = window.findChild(ReportDialog)
    qtbot.waitUntil(lambda: dialog.document.pageCount() > 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: _has_ink(dialog.view), timeout=WAIT_MS)
    _save(dialog, folder, "report-preview")
    dialog.close()

    book = Workbook()
    book.active.append(["Landlord", "Year", "BV66a", "BV72"])
    book.active.append(["Northvale Homes", "2009/10", 2.1, 91.0])
    book.save(tmp_path / "values.xlsx")
    wizard = window.import_indicators()
    wizard.files_page.files.add_paths([tmp_path / "values.xlsx"])
    wizard.next()
    qtbot.waitUntil(lambda: wizard.mapping_page.preview is not None, timeout=WAIT_MS)
    _save(wizard, folder, "import-wizard")
    wizard.reject()
