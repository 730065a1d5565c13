"""The report preview is a widget like any other: QWidget.render paints it (what grab(),
screenshots and accessibility tools use), and choosing an edition is render_edition."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS

from bvdesk.ui.mainwindow import MainWindow


def test_painting_the_preview_does_not_render_the_report_again(qtbot: QtBot,
                                                               demo_window: MainWindow) -> None:
    review = demo_window.reviews.model.rows()[0]
    dialog = demo_window.show_report(review.id)
    qtbot.waitUntil(lambda: dialog.document.pageCount() > 0, timeout=WAIT_MS)
    shown = dialog.status.text()

    pixmap = QPixmap(dialog.size())
    pixmap.fill(Qt.GlobalColor.transparent)
    with qtbot.assertNotEmitted(dialog.rendered, wait=200):
        dialog.render(pixmap)  # QWidget.render, once hidden by the dialog's own render()

    image = pixmap.toImage()
    assert image.pixelColor(image.width() // 2, image.height() // 2).alpha() > 0  # painted
    assert dialog.status.text() == shown  # not "Rendering..." again
    dialog.close()
