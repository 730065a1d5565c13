"""A club file of hundreds of landlords: the peer distribution on the Benchmarking page still
shows every peer's bar and the landlord's own among them (bars narrower than a pixel vanished,
the landlord's with them)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from person import click_list_item, settle, shown
from PySide6.QtCharts import QChartView
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot
from ui_helpers import open_window

from bvdesk.operations.indicator_import import import_files
from bvdesk.store.db import Database
from bvdesk.ui.charts import PEER, SELF

PEERS = 1200


def _club(path: Path) -> Path:
    book = Workbook()
    book.active.append(["Organisation", "Indicator", "Year", "Value"])
    book.active.append(["Test Homes", "BV212", "2005/06", 31.5])
    for n in range(PEERS):
        book.active.append([f"Peer Housing {n:04d}", "BV212", "2005/06", 20 + n % 30])
    book.save(path)
    return path


def _pixels(view: QChartView, colour: QColor) -> int:
    """Pixels of (about) ``colour`` among the bars, not the legend's markers."""
    image = view.grab().toImage()
    area = view.mapFromScene(view.chart().mapToScene(view.chart().plotArea())).boundingRect()
    return sum(1 for y in range(area.top(), area.bottom(), 2)
               for x in range(area.left(), area.right())
               if _near(image.pixelColor(x, y), colour))


def _near(seen: QColor, colour: QColor) -> bool:
    """Of ``colour``, or nearly: a bar a pixel wide is drawn smoothed into its neighbours."""
    return sum(abs(a - b) for a, b in zip(seen.getRgb()[:3], colour.getRgb()[:3],
                                          strict=True)) < 90


def test_the_landlords_bar_shows_among_a_thousand_peers(qtbot: QtBot, tmp_db_path: Path,
                                                        tmp_path: Path) -> None:
    with Database.open(tmp_db_path, write=True, user="tester") as db:
        assert import_files(db, [_club(tmp_path / "club.xlsx")]).imported == PEERS + 1
    window = open_window(qtbot, tmp_db_path)
    try:
        click_list_item(qtbot, window.sidebar, "Benchmarking")
        settle(qtbot, window)
        assert shown(window.benchmarking)
        view = next(v for v in window.benchmarking.findChildren(QChartView)
                    if v.accessibleName() == "Peer distribution chart")
        qtbot.waitUntil(lambda: "1201 organisations" in " ".join(
            axis.titleText() for axis in view.chart().axes()), timeout=10_000)
        settle(qtbot, window)
        assert _pixels(view, SELF) > 0, "the landlord's bar is not drawn"
        assert _pixels(view, PEER) > 1000, "the peers' bars are hardly drawn"
    finally:
        window.close()
