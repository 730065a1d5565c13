"""Report preview: any edition rendered inside the app (QtPdf), then saved, printed or exported.

Rendering runs on the database worker; the PDF arrives as bytes and is shown without touching
the disk. Saving goes through ``operations.reports.render_report`` so every saved PDF is audited.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from bvdesk.errors import Cancelled
from bvdesk.operations import reports
from bvdesk.operations.reports import ExportedWorkbook, RenderedReport
from bvdesk.ui.context import AppContext
from bvdesk.ui.tasks import Task
from bvdesk.ui.widgets import button, label, show_error

EDITIONS = (("regulator", "Regulator submission"), ("board", "Board paper"),
            ("tenant", "Tenant summary"))
#: Dots per inch used to rasterise pages for printing.
PRINT_DPI = 200


class ReportDialog(QDialog):
    """Preview, save, print and export one review's report.

    Signals:
        rendered(int): a preview is shown (the page count).
        saved(object): a ``RenderedReport`` or ``ExportedWorkbook`` was written.
    """

    rendered = Signal(int)
    saved = Signal(object)

    def __init__(self, ctx: AppContext, review_id: int, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.review_id = review_id
        self.pdf_bytes = b""
        self.setWindowTitle(f"Report: {title}")
        self.resize(980, 860)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.edition = QComboBox()
        self.edition.setAccessibleName("Report edition")
        for key, name in EDITIONS:
            self.edition.addItem(name, key)
        self.edition.currentIndexChanged.connect(lambda _i: self.render_edition())
        caption = label("&Edition:")
        caption.setBuddy(self.edition)
        bar.addWidget(caption)
        bar.addWidget(self.edition)
        self.status = label("", name="muted")
        bar.addWidget(self.status, 1)
        self.save_button = button("&Save PDF...", "Save the report as a PDF file")
        self.print_button = button("&Print...", "Print the report")
        self.excel_button = button("Export to E&xcel...", "Export the review to an Excel "
                                   "workbook")
        self.save_button.clicked.connect(self.save_dialog)
        self.print_button.clicked.connect(self.print_dialog)
        self.excel_button.clicked.connect(self.export_dialog)
        for widget in (self.save_button, self.print_button, self.excel_button):
            widget.setEnabled(widget is self.excel_button)
            bar.addWidget(widget)
        layout.addLayout(bar)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setAccessibleName("Report preview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout.addWidget(self.view, 1)
        self._buffer: QBuffer | None = None
        self._task: Task | None = None
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_dialog)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_dialog)

    @property
    def edition_key(self) -> str:
        return str(self.edition.currentData())

    def render_edition(self) -> None:
        if self._task is not None and not self._task.done:
            self._task.cancel()  # another edition was chosen: it replaces this one
        self.status.setText("Rendering...")
        self.save_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self._task = self.ctx.run_db(reports.render_bytes, self.review_id, self.edition_key,
                                     with_state=True, on_done=self._show,
                                     on_error=self._failed, label="Rendering the report",
                                     progress=True, cancellable=True)

    def _show(self, result: tuple[bytes, int]) -> None:
        data, pages = result
        self.pdf_bytes = data
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self.status.setText(f"{pages} page{'s' if pages != 1 else ''}")
        self.save_button.setEnabled(True)
        self.print_button.setEnabled(True)
        self.rendered.emit(pages)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            if self._task is None or self._task.done:  # not replaced by another edition
                self.status.setText("Rendering cancelled.")
            return
        self.status.setText("The report could not be rendered.")
        show_error(self, exc, doing="rendering the report")

    # --- saving and printing ------------------------------------------------------------------

    def save_dialog(self) -> None:
        suggested = str(Path.home() / f"review-{self.review_id}-{self.edition_key}.pdf")
        path, _f = QFileDialog.getSaveFileName(self, "Save Report", suggested,
                                               "PDF files (*.pdf)")
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        self.ctx.run_db(reports.render_report, self.review_id, self.edition_key, path,
                        with_state=True, on_done=self._saved,
                        on_error=lambda e: None if isinstance(e, Cancelled) else show_error(
                            self, e), label="Saving the report", progress=True,
                        cancellable=True)

    def _saved(self, result: RenderedReport | ExportedWorkbook) -> None:
        self.status.setText(f"Saved {result.path.name}")
        self.saved.emit(result)

    def export_dialog(self) -> None:
        suggested = str(Path.home() / f"review-{self.review_id}.xlsx")
        path, _f = QFileDialog.getSaveFileName(self, "Export to Excel", suggested,
                                               "Excel workbooks (*.xlsx)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        self.ctx.run_db(reports.export_workbook, self.review_id, path, with_state=True,
                        on_done=self._saved,
                        on_error=lambda e: None if isinstance(e, Cancelled) else show_error(
                            self, e), label="Exporting", progress=True, cancellable=True)

    def print_dialog(self) -> None:
        if self.document.pageCount() == 0:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print Report")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Print every page of the preview on ``printer``; returns the pages printed."""
        printer.setResolution(PRINT_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            show_error(self, OSError("The printer could not be started."), doing="printing")
            return 0
        try:
            pages = self.document.pageCount()
            for page in range(pages):
                if page:
                    printer.newPage()
                size = self.document.pagePointSize(page)
                pixels = QSize(int(size.width() * PRINT_DPI / 72),
                               int(size.height() * PRINT_DPI / 72))
                image: QImage = self.document.render(page, pixels)
                target = painter.viewport()
                scaled = pixels.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.setViewport(target.x(), target.y(), scaled.width(), scaled.height())
                painter.setWindow(image.rect())
                painter.drawImage(0, 0, image)
                painter.setViewport(target)
        finally:
            painter.end()
        return pages
