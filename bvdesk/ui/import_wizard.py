"""The import wizard: pick or drop workbooks, check the layout and mapping, see every problem,
then import with a progress bar and cancel.

Nothing is written until the last page; the check page runs a dry run of the real import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from bvdesk.errors import BvdeskError
from bvdesk.operations import editing, indicator_import
from bvdesk.operations.indicator_import import (
    FilePreview,
    ImportCancelled,
    ImportReport,
    ParsedFiles,
    Role,
)
from bvdesk.ui.context import AppContext
from bvdesk.ui.models import Column, DtoTableModel
from bvdesk.ui.tasks import Task
from bvdesk.ui.widgets import button, excel_table, label, show_error

#: Overwritten values listed by name after a check or an import (the count covers them all).
SHOWN_OVERWRITTEN = 25
FILE_FILTER = "Workbooks and text (*.xlsx *.xlsm *.xls *.csv *.txt);;All files (*)"
ROLE_LABELS = {Role.ORGANISATION.value: "Organisation name",
               Role.ORG_CODE.value: "Organisation code",
               Role.INDICATOR.value: "Indicator code (long layout)",
               Role.YEAR.value: "Financial year", Role.VALUE.value: "Value",
               Role.HOMES.value: "Homes (the organisation's stock)",
               Role.REGION.value: "Region", Role.ORG_TYPE.value: "Kind of landlord"}

ISSUE_COLUMNS = (
    Column("File", lambda i: i.file),
    Column("Sheet", lambda i: i.sheet or ""),
    Column("Row", lambda i: "" if i.row is None else str(i.row), align_right=True,
           sort=lambda i: i.row or 0),
    Column("Column", lambda i: i.column or ""),
    Column("Problem", lambda i: i.message, tip=lambda i: i.message),
    Column("Severity", lambda i: i.severity.value.capitalize(),
           colours=lambda i: ("#fde7e5", "#7a1610") if i.severity.value == "error" else None),
)


class FileList(QListWidget):
    """A list of files that accepts files dropped from the desktop.

    Signals:
        changed(): files were added or removed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setAccessibleName("Files to import")

    def paths(self) -> list[Path]:
        return [Path(self.item(i).text()) for i in range(self.count())]

    def add_paths(self, paths: list[Path]) -> None:
        known = set(self.paths())
        for path in paths:
            if path not in known:
                self.addItem(str(path))
        self.changed.emit()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.add_paths([Path(u.toLocalFile()) for u in event.mimeData().urls()
                        if u.isLocalFile()])
        event.acceptProposedAction()


class FilesPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Choose the workbooks")
        self.setSubTitle("Add Excel or CSV files of indicator values, or drop them on the list. "
                         "Nothing is written until the last step.")
        layout = QVBoxLayout(self)
        self.files = FileList()
        self.files.changed.connect(self.completeChanged)
        layout.addWidget(self.files)
        row = QHBoxLayout()
        add = button("&Add Files...", "Add files to import")
        remove = button("&Remove", "Remove the selected file")
        add.clicked.connect(self._browse)
        remove.clicked.connect(self._remove)
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        template = button("Get a Blank &Template...", "Save a blank indicator template",
                          tip="An Excel workbook listing every indicator, to fill in and add "
                              "here")
        template.clicked.connect(self._ask_template)
        row.addWidget(template)
        layout.addLayout(row)
        self.template_note = label("", name="muted", wrap=True)
        layout.addWidget(self.template_note)
        form = QFormLayout()
        self.year = QLineEdit()
        self.year.setAccessibleName("Financial year for files without a year column")
        self.year.setPlaceholderText("e.g. 2009/10 (only if the files have no year column)")
        form.addRow("&Year:", self.year)
        layout.addLayout(form)

    def _browse(self) -> None:
        paths, _f = QFileDialog.getOpenFileNames(self, "Import Indicator Values",
                                                 str(Path.home()), FILE_FILTER)
        self.files.add_paths([Path(p) for p in paths])

    def _ask_template(self) -> None:
        dialog = QFileDialog(self, "Save a Blank Template",
                             str(Path.home() / "indicator values template.xlsx"),
                             "Excel workbooks (*.xlsx)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("xlsx")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.save_template(Path(path)))
        dialog.open()

    def save_template(self, path: Path) -> None:
        """Write the blank template (the existing operation) and say where it went."""
        from bvdesk.operations.indicator_import import write_indicator_template

        def done(written: Path) -> None:
            self.template_note.setText(f"Saved {written.name} in {written.parent}. Fill in "
                                       "your values, save it, then add it here.")

        def failed(exc: BaseException) -> None:
            self.template_note.setText(exc.message if isinstance(exc, BvdeskError)
                                       else f"The template could not be saved: {exc}")

        wizard = self.wizard()
        assert isinstance(wizard, ImportWizard)
        wizard.ctx.run_db(lambda db: write_indicator_template(path, db), on_done=done,
                          on_error=failed, label="Saving the template")

    def _remove(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self.files.changed.emit()

    def isComplete(self) -> bool:
        return self.files.count() > 0

    def year_start(self) -> int | None:
        """The start year typed (2009 for "2009/10"), or None."""
        text = self.year.text().strip()
        if not text:
            return None
        digits = text.split("/")[0].split("-")[0].strip()
        return int(digits) if digits.isdigit() else None


class MappingPage(QWizardPage):
    """What the reader detected in the first file, with the column mapping to correct."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle("Check the layout and columns")
        self.setSubTitle("This is what bvdesk found in the first file. Correct how any column "
                         "is read; save the mapping as a profile to use it next time.")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.profiles = QComboBox()
        self.profiles.setAccessibleName("Saved column mapping profile")
        self.profiles.activated.connect(self._profile_chosen)
        self.save_profile = button("Save as &Profile...", "Save the column mapping as a profile")
        self.save_profile.clicked.connect(self._save_profile)
        row.addWidget(label("Profile:"))
        row.addWidget(self.profiles, 1)
        row.addWidget(self.save_profile)
        layout.addLayout(row)
        self.detected = label("", name="muted", wrap=True)
        layout.addWidget(self.detected)
        self.columns = QTableWidget(0, 3)
        self.columns.setAccessibleName("Column mapping")
        self.columns.setHorizontalHeaderLabels(["Column", "Heading", "Read as"])
        self.columns.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.columns.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.ResizeToContents)
        self.columns.verticalHeader().hide()
        layout.addWidget(self.columns, 2)
        self.sample = QTableWidget()
        self.sample.setAccessibleName("Sample rows")
        self.sample.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(label("First rows:", name="muted"))
        layout.addWidget(self.sample, 2)
        self.mapping: dict[str, str] = {}
        self.preview: FilePreview | None = None
        #: The files as read for this preview; the check and the import use the same read.
        self.parsed: ParsedFiles | None = None
        self._saved: dict[str, dict[str, str]] = {}
        #: Every indicator (code, name): any column can be read as any of them.
        self._catalogue: list[tuple[str, str]] = []

    def initializePage(self) -> None:
        self._wizard.ctx.run_db(editing.import_profiles, on_done=self._profiles_loaded)
        if not self._catalogue:
            self._wizard.ctx.run_db(editing.indicator_catalogue, on_done=self._catalogue_loaded)
        self.refresh()

    def _catalogue_loaded(self, items: list[tuple[str, str]]) -> None:
        self._catalogue = list(items)
        if self.preview is not None:
            self._show(self.preview)

    def _profiles_loaded(self, profiles: dict[str, dict[str, str]]) -> None:
        self._saved = profiles
        self.profiles.clear()
        self.profiles.addItem("Detected automatically", None)
        for name in profiles:
            self.profiles.addItem(name, name)

    def _profile_chosen(self) -> None:
        name = self.profiles.currentData()
        self.mapping = dict(self._saved.get(name, {})) if name else {}
        self.refresh()

    def _save_profile(self) -> None:
        name, ok = QInputDialog.getText(self, "Save Profile", "Profile name:")
        if ok:
            self.save_as(name)

    def save_as(self, name: str) -> None:
        mapping = dict(self.mapping)
        self._wizard.ctx.run_db(editing.save_import_profile, name, mapping,
                                on_done=lambda _r: self.initializePage(),
                                on_error=self._wizard.show_problem)

    def refresh(self) -> None:
        paths = self._wizard.files_page.files.paths()
        if not paths:
            return
        self.detected.setText("Reading the files...")
        self.parsed = None
        self._wizard.ctx.run_db(_read, paths, self._wizard.files_page.year_start(),
                                dict(self.mapping), with_state=True, on_done=self._read,
                                on_error=self._wizard.show_problem,
                                label="Reading the workbooks", progress=True, cancellable=True)

    def _read(self, parsed: ParsedFiles) -> None:
        self.parsed = parsed
        self._show(parsed.preview())

    def _show(self, preview: FilePreview) -> None:
        self.preview = preview
        sheet = next((s for s in preview.sheets if s.layout is not None), None)
        if sheet is None or sheet.layout is None:
            reasons = "; ".join(f"{s.name}: {s.skipped}" for s in preview.sheets if s.skipped)
            self.detected.setText(f"No sheet of indicator values was recognised in "
                                  f"{preview.file}. {reasons}")
            self.columns.setRowCount(0)
            return
        others = len(preview.sheets) - 1
        self.detected.setText(
            f"{preview.file}, sheet \u201c{sheet.name}\u201d: {sheet.layout.value} layout, "
            f"headings on row {sheet.header_row}"
            + (f", year {sheet.year}/{(sheet.year + 1) % 100:02d}" if sheet.year else "")
            + (f"; {others} other sheet{'s' if others != 1 else ''}" if others else "") + ".")
        self.columns.setRowCount(len(sheet.columns))
        for number, column in enumerate(sheet.columns):
            self.columns.setItem(number, 0, _cell(column.letter))
            self.columns.setItem(number, 1, _cell(column.header))
            combo = self._role_combo(column.letter, column.role or "ignore")
            combo.activated.connect(lambda _i, h=column.header, c=combo: self.set_role(
                h, c.currentData()))
            self.columns.setCellWidget(number, 2, combo)
        # Wide enough to read each choice ("SAT-REP  Satisfaction with repairs and ...").
        combos = [self.columns.cellWidget(r, 2) for r in range(self.columns.rowCount())]
        self.columns.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Interactive)
        self.columns.setColumnWidth(2, max((c.sizeHint().width() for c in combos), default=0))
        self.sample.setColumnCount(len(sheet.columns))
        self.sample.setHorizontalHeaderLabels([c.letter for c in sheet.columns])
        self.sample.setRowCount(len(sheet.rows))
        # Numbered as in the spreadsheet, like the problems the check lists ("row 12").
        first = (sheet.header_row or 0) + 1
        self.sample.setVerticalHeaderLabels([str(first + r) for r in range(len(sheet.rows))])
        for r, values in enumerate(sheet.rows):
            for c, value in enumerate(values[:len(sheet.columns)]):
                self.sample.setItem(r, c, _cell(_as_written(value)))

    def _role_combo(self, letter: str, role: str) -> QComboBox:
        """Ignore, the roles, then every indicator in the catalogue by code and name."""
        combo = QComboBox()
        combo.setAccessibleName(f"Read column {letter} as")
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(34)
        combo.setMaxVisibleItems(20)
        combo.addItem("Ignore", "ignore")
        for value, text in ROLE_LABELS.items():
            combo.addItem(text, value)
        combo.insertSeparator(combo.count())
        code = role.split(":", 1)[1] if role.startswith("indicator:") else None
        known = {c for c, _n in self._catalogue}
        if code is not None and code not in known:
            combo.addItem(f"{code}  (indicator)", code)
        for catalogue_code, name in self._catalogue:
            combo.addItem(f"{catalogue_code}  {name}", catalogue_code)
        combo.setCurrentIndex(max(0, combo.findData(code if code is not None else role)))
        return combo

    def set_role(self, header: str, role: str) -> None:
        """Read the column headed ``header`` as ``role`` (a role, an indicator code, or
        "ignore")."""
        self.mapping[header] = role
        self.refresh()


def _as_written(value: object) -> str:
    """A cell's value as Excel shows it in General format: 2900, not the 2900.0 it is read as;
    numbers to 15 significant figures."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format(value, ".15g")
    return str(value)


def _cell(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class RunPage(QWizardPage):
    """Runs the import (a dry run to check, or the real thing) with progress and cancel."""

    def __init__(self, wizard: ImportWizard, *, dry_run: bool) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.dry_run = dry_run
        self.setTitle("Check for problems" if dry_run else "Import")
        self.setSubTitle("A trial run of the import: nothing is written yet." if dry_run else
                         "Writing the values to the database.")
        layout = QVBoxLayout(self)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setAccessibleName("Import progress")
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        self.cancel_button = button("&Cancel Import", "Cancel the import")
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        self.summary = label("", wrap=True, selectable=True)
        self.summary.setAccessibleName("Import summary")
        layout.addWidget(self.summary)
        self.issues = DtoTableModel(ISSUE_COLUMNS, parent=self)
        self.table = QTableView()
        self.table.setAccessibleName("Problems found")
        self.table.setModel(self.issues)
        excel_table(self.table)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for short in (1, 2, 3, 5):  # sheet, row, column, severity: the problem gets the rest
            header.setSectionResizeMode(short, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.skip_invalid = QCheckBox("Import the valid rows and skip the rows with errors")
        self.skip_invalid.setAccessibleName("Skip rows with errors")
        self.skip_invalid.setVisible(dry_run)
        self.skip_invalid.toggled.connect(self.completeChanged)
        self.export_button = button("&Export Problems...", "Export the problems to a CSV file")
        self.export_button.clicked.connect(self._export)
        bottom.addWidget(self.skip_invalid)
        bottom.addStretch(1)  # the button keeps its size where the box is hidden (importing)
        bottom.addWidget(self.export_button)
        layout.addLayout(bottom)
        self.report: ImportReport | None = None
        self.task: Task | None = None

    def initializePage(self) -> None:
        self.report = None
        self.summary.setText("Reading the files...")
        self.issues.set_rows([])
        self.progress.setValue(0)
        self.cancel_button.setEnabled(True)
        wizard = self._wizard
        skip = (wizard.check_page.skip_invalid.isChecked() if not self.dry_run else False)
        self.task = wizard.ctx.run_db(
            _run_import, wizard.files_page.files.paths(), wizard.files_page.year_start(),
            self.dry_run, skip, dict(wizard.mapping_page.mapping), wizard.mapping_page.parsed,
            with_state=True,
            on_done=self._done, on_error=self._failed, progress=False)
        if self.task is not None:
            self.task.progressed.connect(lambda f: self.progress.setValue(int(f * 1000)))
        self.completeChanged.emit()

    def cancel(self) -> None:
        if self.task is not None and not self.task.done:
            self.task.cancel()
            self.summary.setText("Cancelling...")

    def _done(self, report: ImportReport) -> None:
        self.report = report
        self.progress.setValue(1000)
        self.cancel_button.setEnabled(False)
        errors = len(report.errors)
        text = report.summary()
        if errors and report.written:
            text += (f" The rows with {errors} error{'s' if errors != 1 else ''} were skipped: "
                     "see the table.")
        elif errors:
            text += (f" {errors} error{'s' if errors != 1 else ''} found: see the table. "
                     "Correct the file and try again, or skip the rows with errors.")
        overwritten = report.overwritten
        if overwritten:
            verb = "would be overwritten" if report.dry_run or not report.written \
                else "were overwritten"
            listed = [f"\n  {o}" for o in overwritten[:SHOWN_OVERWRITTEN]]
            more = len(overwritten) - len(listed)
            text += (f"\n\n{len(overwritten)} value{'s' if len(overwritten) != 1 else ''} "
                     f"already held {verb} (old \u2192 new):" + "".join(listed)
                     + (f"\n  ... and {more} more" if more > 0 else ""))
        new = report.new_organisations
        if new:  # a landlord spelt another way, added as its own peer, shows up here
            shown = ", ".join(new[:SHOWN_OVERWRITTEN])
            others = f" and {len(new) - SHOWN_OVERWRITTEN} more" \
                if len(new) > SHOWN_OVERWRITTEN else ""
            added = "were added" if report.written else "would be added"
            text += f"\n\nNew organisations, which {added} as peers: {shown}{others}."
        self.summary.setText(text)
        self.issues.set_rows(report.issues)
        self.export_button.setEnabled(bool(report.issues))
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.cancel_button.setEnabled(False)
        self.progress.setValue(0)
        cancelled = isinstance(exc, ImportCancelled)
        self.summary.setText("The import was cancelled; nothing was written." if cancelled
                             else (exc.message if isinstance(exc, BvdeskError) else str(exc)))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self.report is None:
            return False
        if self.dry_run:
            return not self.report.errors or self.skip_invalid.isChecked()
        return True

    def _export(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, "Export Problems", "import-problems.csv",
                                               "CSV files (*.csv)")
        if path and self.report is not None:
            self._wizard.ctx.run_db(indicator_import.write_issues_csv, Path(path),
                                    list(self.report.issues),
                                    on_error=lambda exc: show_error(self, exc))


def _read(db: Any, paths: list[Path], year: int | None, mapping: dict[str, str], *,
          progress: Any, cancelled: Any) -> ParsedFiles:
    return indicator_import.read_files(db, paths, year=year, mapping=mapping or None,
                                       progress=progress, cancelled=cancelled)


def _run_import(db: Any, paths: list[Path], year: int | None, dry_run: bool, skip: bool,
                mapping: dict[str, str], parsed: ParsedFiles | None, *, progress: Any,
                cancelled: Any) -> ImportReport:
    return indicator_import.import_files(db, paths, year=year, dry_run=dry_run,
                                         skip_invalid=skip, mapping=mapping or None,
                                         parsed=parsed, progress=progress, cancelled=cancelled)


class ImportWizard(QWizard):
    """Import indicator values, step by step. Closing it (Escape, Cancel) before the import
    asks first, once files have been chosen."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Import Indicator Values")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.resize(900, 680)
        self.files_page = FilesPage(self)
        self.mapping_page = MappingPage(self)
        self.check_page = RunPage(self, dry_run=True)
        self.import_page = RunPage(self, dry_run=False)
        for page in (self.files_page, self.mapping_page, self.check_page, self.import_page):
            self.addPage(page)
        self.check_page.setCommitPage(True)
        self.check_page.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Done")
        # Once the import has run there is nothing left to cancel (its page has Cancel Import
        # while it runs): Done alone, not a Cancel that looks as if it undid the import.
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        # Escape, Cancel and the window's close button ask first (may_discard).
        cancel = self.button(QWizard.WizardButton.CancelButton)
        cancel.clicked.disconnect()
        cancel.clicked.connect(self._cancel)

    def may_discard(self) -> bool:
        """True when nothing would be lost by closing, or the user says to go ahead."""
        imported = self.currentPage() is self.import_page and self.import_page.report is not None
        if not self.files_page.files.count() or imported:
            return True
        answer = QMessageBox.question(
            self, "Import Indicator Values",
            "Stop this import? Nothing has been imported yet; the files and the column "
            "choices made here are let go.")
        return answer == QMessageBox.StandardButton.Yes

    def _cancel(self) -> None:
        if self.may_discard():
            self.reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self._cancel()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.isVisible() and not self.may_discard():
            event.ignore()
            return
        super().closeEvent(event)

    def show_problem(self, exc: BaseException) -> None:
        page = self.currentPage()
        message = exc.message if isinstance(exc, BvdeskError) else str(exc)
        if isinstance(page, MappingPage):
            page.detected.setText(message)
        elif isinstance(page, RunPage):
            page.summary.setText(message)
