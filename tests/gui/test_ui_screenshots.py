"""Screenshots of the main screens, for people to look at (never compared pixel by pixel).

They go to ``$BVDESK_SCREENSHOTS`` when set (``docs/screenshots`` for the README), else under
the test's tmp_path.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, wait_idle

from bvdesk.domain.vocabulary import Stage
from bvdesk.ui.mainwindow import MainWindow
from bvdesk.ui.report_dialog import ReportDialog


def _save(widget: QWidget, folder: Path, name: str, *, showing: QWidget | None = None) -> Path:
    """Save ``widget`` as ``name``.png, checking first that it shows what the name says:
    ``showing`` is on screen inside it, and the picture is a laid-out screen (text and
    colour), not a blank or half-painted one."""
    if showing is not None:
        assert showing.isVisible() and widget.isAncestorOf(showing), f"{name}: wrong page"
    image = widget.grab().toImage()
    assert (image.width(), image.height()) == (widget.width(), widget.height())
    step = 5
    samples = [image.pixelColor(x, y) for x in range(0, image.width(), step)
               for y in range(0, image.height(), step)]
    ink = sum(1 for colour in samples if colour.lightness() < 100) / len(samples)
    colours = {colour.rgb() for colour in samples}
    assert 0.002 < ink < 0.5, f"{name}: {ink:.1%} dark pixels (blank or unpainted?)"
    assert len(colours) > 20, f"{name}: only {len(colours)} colours"
    path = folder / f"{name}.png"
    assert image.save(str(path))
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
    _save(window, folder, "home", showing=window.home)

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
    _save(window, folder, "benchmarking", showing=view.distribution)

    window.show_page("reviews")
    row = window.reviews.model.find(lambda r: r.service_code == "repairs")
    window.reviews.table.selectRow(row)
    qtbot.waitUntil(lambda: window.reviews.summary.card.isVisible(), timeout=WAIT_MS)
    _save(window, folder, "reviews", showing=window.reviews.summary.card)

    window.open_review(window.reviews.model.row_at(row).id)
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.store.review is not None, timeout=WAIT_MS)
    for stage, name in ((Stage.COMPARE, "workspace-compare"),
                        (Stage.CONSULT, "workspace-consult"),
                        (Stage.IMPROVEMENT_PLAN, "workspace-plan")):
        ws.show_stage(stage)
        wait_idle(qtbot, window)
        _save(window, folder, name, showing=ws.page(stage))

    ws.show_stage(Stage.COMPETE)
    compete = ws.page(Stage.COMPETE)
    qtbot.waitUntil(lambda: compete.result is not None, timeout=WAIT_MS)
    compete.verticalScrollBar().setValue(compete.tabs.parentWidget().y() - 8)
    _save(window, folder, "workspace-compete-costs", showing=compete.tabs)
    compete.ensureWidgetVisible(compete.tornado, 0, 0)
    qtbot.waitUntil(lambda: compete.tornado.chart.plotArea().left() > 20, timeout=WAIT_MS)
    _save(window, folder, "workspace-compete-results", showing=compete.tornado)

    with qtbot.waitSignal(ws.report_requested, timeout=WAIT_MS):
        ws.report_button.click()
    dialog = window.findChild(ReportDialog)
    qtbot.waitUntil(lambda: dialog.document.pageCount() > 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: _has_ink(dialog.view), timeout=WAIT_MS)
    _save(dialog, folder, "report-preview", showing=dialog.view)
    dialog.close()

    book = Workbook()
    book.active.append(["Landlord", "Year", "BV66a", "BV72"])
    book.active.append(["Northvale Homes", "2009/10", 2.1, 91.0])
    book.save(tmp_path / "values.xlsx")
    wizard = window.import_indicators()
    wizard.files_page.files.add_paths([tmp_path / "values.xlsx"])
    wizard.next()
    qtbot.waitUntil(lambda: wizard.mapping_page.preview is not None, timeout=WAIT_MS)
    _save(wizard, folder, "import-wizard", showing=wizard.mapping_page)
    wizard.reject()


def test_a_blank_or_wrong_screen_is_not_saved_as_a_screenshot(qtbot: QtBot,
                                                              tmp_path: Path) -> None:
    blank = QWidget()
    qtbot.addWidget(blank)
    blank.resize(400, 300)
    blank.show()
    with pytest.raises(AssertionError, match="blank or unpainted"):
        _save(blank, tmp_path, "blank")
    other = QWidget()
    qtbot.addWidget(other)
    with pytest.raises(AssertionError, match="wrong page"):
        _save(blank, tmp_path, "blank", showing=other)
    assert not (tmp_path / "blank.png").exists()


def test_screenshots_of_every_stage_at_1024_by_768(qtbot: QtBot, demo_window: MainWindow,
                                                   tmp_path: Path) -> None:
    """``stage-N-name.png``: each stage of the repairs review on a 1024x768 screen."""
    folder = Path(os.environ.get("BVDESK_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    window = demo_window
    window.resize(1024, 768)
    row = window.reviews.model.find(lambda r: r.service_code == "repairs")
    window.open_review(window.reviews.model.row_at(row).id)
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.store.review is not None, timeout=WAIT_MS)
    for stage in Stage:
        ws.show_stage(stage)
        wait_idle(qtbot, window)
        page = ws.page(stage)
        if stage == Stage.COMPETE:
            qtbot.waitUntil(lambda p=page: p.result is not None, timeout=WAIT_MS)
        qtbot.wait(100)
        assert page.horizontalScrollBar().maximum() == 0, stage
        shot = _save(window, folder, f"stage-{stage.position + 1}-{stage.value}")
        assert window.grab().size().width() == 1024, shot
