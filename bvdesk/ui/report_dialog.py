"""Report preview: any edition rendered inside the app (QtPdf), then saved, printed or exported.

Rendering runs on the database worker; the PDF arrives as bytes and is shown without touching
the disk. Saving goes through ``operations.reports.render_report`` so every saved PDF is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPainter, QShortcut, QShowEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bvdesk.errors import Cancelled
from bvdesk.operations import reports
from bvdesk.operations.file_names import review_file_name
from bvdesk.operations.reports import ExportedWorkbook, RenderedReport
from bvdesk.ui.context import AppContext
from bvdesk.ui.screen_fit import fit_to_screen
from bvdesk.ui.tasks import Task
from bvdesk.ui.widgets import button, label, show_error

EDITIONS = (("regulator", "Regulator submission"), ("board", "Board paper"),
            ("tenant", "Tenant summary"))
#: Dots per inch used to rasterise pages for printing.
PRINT_DPI = 200
#: Each zoom step, and the smallest and largest zoom.
ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.25, 5.0


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
        # A long saved file name is cut short rather than widening the dialog off the screen.
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
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
        self.close_button = button("&Close", "Close the preview")
        self.close_button.clicked.connect(self.close)
        bar.addWidget(self.close_button)
        layout.addLayout(bar)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setAccessibleName("Report preview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout.addLayout(self._navigation_bar())
        layout.addWidget(self.view, 1)
        self._buffer: QBuffer | None = None
        self._task: Task | None = None
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_dialog)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_dialog)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self.zoom_by(ZOOM_STEP))
        QShortcut(QKeySequence("Ctrl+="), self, lambda: self.zoom_by(ZOOM_STEP))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self.zoom_by(1 / ZOOM_STEP))
        QShortcut(QKeySequence("Ctrl+0"), self, self.fit_width)
        self.view.pageNavigator().currentPageChanged.connect(self._page_shown)
        self.view.zoomFactorChanged.connect(lambda _f: self._show_zoom())

    def _navigation_bar(self) -> QHBoxLayout:
        """Previous/next page, the page number, and zoom."""
        bar = QHBoxLayout()
        self.previous_button = button("\u25c0 Pre&vious", "Previous page")
        self.next_button = button("&Next \u25b6", "Next page")
        self.page_box = QSpinBox()
        self.page_box.setAccessibleName("Page number")
        self.page_box.setRange(1, 1)
        self.page_box.setKeyboardTracking(False)
        self.page_count = label("of 1")
        self.previous_button.clicked.connect(lambda: self.go_to_page(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to_page(self.current_page() + 1))
        self.page_box.valueChanged.connect(lambda number: self.go_to_page(number - 1))
        page_caption = label("Pa&ge")
        page_caption.setBuddy(self.page_box)
        for widget in (self.previous_button, page_caption, self.page_box, self.page_count,
                       self.next_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        self.zoom_out_button = button("\u2212", "Zoom out", tip="Zoom out (Ctrl+-)")
        self.zoom_label = label("Fit width")
        self.zoom_label.setAccessibleName("Zoom")
        self.zoom_label.setMinimumWidth(70)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in_button = button("+", "Zoom in", tip="Zoom in (Ctrl++)")
        self.fit_button = button("&Fit Width", "Fit the page to the window's width",
                                 tip="Ctrl+0")
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(1 / ZOOM_STEP))
        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(ZOOM_STEP))
        self.fit_button.clicked.connect(self.fit_width)
        for widget in (self.zoom_out_button, self.zoom_label, self.zoom_in_button,
                       self.fit_button):
            bar.addWidget(widget)
        self.fit_button.setEnabled(False)
        return bar

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_to_screen(self)

    # --- zoom and pages -----------------------------------------------------------------

    def zoom_factor(self) -> float:
        """The zoom now: 1.0 is the page at its printed size."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom:
            return self.view.zoomFactor()
        if not self.document.pageCount():
            return 1.0
        page = self.document.pagePointSize(0)
        # At zoom 1 a point is drawn as one 72 dpi pixel scaled to the screen's logical dpi.
        drawn = page.width() * self.logicalDpiX() / 72
        return self.view.viewport().width() / drawn if drawn > 0 else 1.0

    def zoom_by(self, factor: float) -> None:
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom_factor() * factor))
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(zoom)
        self._show_zoom()

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._show_zoom()

    def _show_zoom(self) -> None:
        custom = self.view.zoomMode() == QPdfView.ZoomMode.Custom
        self.zoom_label.setText(f"{self.view.zoomFactor():.0%}" if custom else "Fit width")
        self.fit_button.setEnabled(custom)

    def current_page(self) -> int:
        """The page at the top of the preview (0 is the first)."""
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        pages = self.document.pageCount()
        if pages == 0:
            return
        page = max(0, min(pages - 1, page))
        if page != self.current_page():
            self.view.pageNavigator().jump(page, QPointF(0, 0), self.view.zoomFactor())
        self._page_shown(page)

    def _page_shown(self, page: int) -> None:
        pages = max(1, self.document.pageCount())
        self.page_box.blockSignals(True)
        self.page_box.setRange(1, pages)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self.page_count.setText(f"of {pages}")
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < pages - 1)

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
        self._page_shown(0)
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
        """Ask where to save the PDF, suggesting a name such as 'Northvale Homes - Responsive
        repairs review 2009-10 - regulator submission.pdf'."""
        self.ctx.run_db(review_file_name, self.review_id, self.edition_key,
                        on_done=lambda name: self._ask_path("Save Report", name,
                                                            "PDF files (*.pdf)", self.save_to),
                        on_error=lambda e: show_error(self, e))

    def _ask_path(self, title: str, name: str, kinds: str,
                  then: Callable[[Path], None]) -> None:
        dialog = QFileDialog(self, title, str(Path.home() / name), kinds)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(Path(name).suffix.lstrip("."))
        dialog.selectFile(name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: then(Path(path)))
        dialog.open()

    def save_to(self, path: Path) -> None:
        self.ctx.run_db(reports.render_report, self.review_id, self.edition_key, path,
                        with_state=True, on_done=self._saved,
                        on_error=lambda e: None if isinstance(e, Cancelled) else show_error(
                            self, e), label="Saving the report", progress=True,
                        cancellable=True)

    def _saved(self, result: RenderedReport | ExportedWorkbook) -> None:
        self.status.setText(f"Saved {result.path.name}")
        self.status.setToolTip(f"Saved {result.path}")
        self.saved.emit(result)

    def export_dialog(self) -> None:
        self.ctx.run_db(review_file_name, self.review_id, "workbook",
                        on_done=lambda name: self._ask_path("Export to Excel", name,
                                                            "Excel workbooks (*.xlsx)",
                                                            self.export_to),
                        on_error=lambda e: show_error(self, e))

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
