"""Evidence files: attach by dialog or by dropping files, open and remove them.

Files are kept inside the database with their SHA-256, so the review's evidence travels with
it and cannot change unnoticed. Each is listed by name, size and the date it was added; its
title, source, dates and what it supports can be edited. Removing a file is recorded in the
audit log, and a file that belongs to a signed-off version cannot be removed.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from bvdesk.operations import editing
from bvdesk.operations.editing import Row
from bvdesk.ui.widgets import Card, button, label, show_error
from bvdesk.ui.workspace.editors import RecordPanel, file_size
from bvdesk.ui.workspace.store import ReviewStore


def describe(row: Row, today: dt.date) -> str:
    """File name, size, when it was added and its expiry, in words."""
    text = f"{row['file_name']} ({file_size(row['size'])}), added {row['added_at']:%d %b %Y}"
    expires = row["expires"]
    if expires is not None:
        if expires < today:
            text += f". EXPIRED on {expires:%d %b %Y}: replace it with current evidence."
        else:
            text += f". Valid until {expires:%d %b %Y}."
    return text


def copy_out(content: tuple[str, bytes]) -> Path:
    """Write an evidence file to a private temporary folder, to open it in its own program."""
    name, data = content
    path = Path(tempfile.mkdtemp(prefix="bvdesk-evidence-")) / Path(name).name
    path.write_bytes(data)
    return path


class EvidencePage(QScrollArea):
    """The review's evidence files."""

    def __init__(self, store: ReviewStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setAcceptDrops(True)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(4, 4, 12, 4)
        layout.addWidget(label("Evidence", name="pageTitle"))
        layout.addWidget(label("Documents that back up the review: survey reports, minutes, "
                               "benchmarking returns. Attach them here or drop files on this "
                               "page; they are kept inside the database, each with a "
                               "fingerprint that shows it has not changed since.",
                               name="pageSubtitle", wrap=True))
        card = Card("Evidence files")
        bar = QHBoxLayout()
        bar.addStretch(1)
        self.attach_button = button("&Attach Files...", "Attach evidence files")
        self.open_button = button("&Open", "Open the selected evidence file")
        self.remove_button = button("Re&move...", "Remove the selected evidence file")
        self.attach_button.clicked.connect(self._browse)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.confirm_remove)
        bar.addWidget(self.attach_button)
        bar.addWidget(self.open_button)
        bar.addWidget(self.remove_button)
        card.body.addLayout(bar)
        # At 1024x768 the names take the room and wrap; the date added and the size step aside
        # to the row's tooltip (and the file's details below) rather than the table scrolling.
        self.panel = RecordPanel(store, "evidence", ["file_name", "size", "added_at", "title",
                                                    "expires"],
                                 ["title", "source", "dated", "expires", "supports"],
                                 stretch=("file_name", "title"), fold=("added_at", "size"))
        self.panel.add_button.hide()
        self.panel.delete_button.hide()
        # What the readiness check reads here: a judgement is supported when a file names it.
        supports = self.panel.form.editor("supports")  # type: ignore[union-attr]
        assert isinstance(supports, QLineEdit)
        supports.setPlaceholderText("e.g. judgement 3, or its key line of enquiry")
        supports.setToolTip("The self-assessment judgement this file backs up: 'judgement' and "
                            "its number in the Self-assessment stage's table, or the key line "
                            "of enquiry as it is written there.")
        self.panel.table.setMinimumHeight(220)
        card.body.addWidget(self.panel)
        self.details = label("", name="muted", wrap=True, selectable=True)
        self.details.setAccessibleName("File details")
        card.body.addWidget(self.details)
        layout.addWidget(card, 1)
        self.setWidget(content)
        self.panel.table.selectionModel().currentRowChanged.connect(
            lambda *_a: self._show_details())
        store.on_loaded(self._show_details)
        store.rows_changed.connect(lambda name: self._show_details() if name == "evidence"
                                   else None)

    def help_topic(self) -> tuple[str, str]:
        """The evidence guide (F1)."""
        return "evidence", ""

    def _show_details(self) -> None:
        row_id = self.panel.selected_id()
        row = self.store.row("evidence", row_id) if row_id is not None else None
        self.details.setText(describe(row, dt.date.today()) if row else
                             "No evidence attached yet.")
        self.details.setToolTip(f"SHA-256 {row['sha256']}: the fingerprint that shows the "
                                "file has not changed since it was attached." if row else "")
        self.open_button.setEnabled(row is not None)
        self.attach_button.setEnabled(not self.store.locked)
        self.remove_button.setEnabled(row is not None and not self.store.locked)
        self.remove_button.setToolTip("A signed-off review's evidence is part of its record "
                                      "and cannot be removed; reopen the review first."
                                      if self.store.locked else "")

    def _browse(self) -> None:
        # From the home folder, as bvdesk's other file dialogs (it opened in the folder bvdesk
        # happened to be started from).
        paths, _f = QFileDialog.getOpenFileNames(self, "Attach Evidence", str(Path.home()))
        self.attach([Path(p) for p in paths])

    def attach(self, paths: list[Path]) -> None:
        """Keep copies of ``paths`` in the database as evidence for this review."""
        review_id = self.store.review_id
        if review_id is None or not paths or self.store.locked:
            return

        def work(db: Any) -> list[Row]:
            return [editing.attach_evidence(db, review_id, path) for path in paths]

        self.store.ctx.run_db(work, on_done=lambda _rows: self.store.reload_entity("evidence"),
                              on_error=self.store.failed, label="Attaching evidence",
                              progress=True)

    def confirm_remove(self) -> QMessageBox | None:
        """Ask before removing the selected file; the removal cannot be undone."""
        row_id = self.panel.selected_id()
        row = self.store.row("evidence", row_id) if row_id is not None else None
        if row is None:
            return None
        box = QMessageBox(QMessageBox.Icon.Question, "Remove Evidence",
                          f"Remove {row['file_name']} from this review?",
                          QMessageBox.StandardButton.Cancel, self)
        box.setInformativeText("The file is deleted from the database and the removal is "
                               "recorded in the audit log. This cannot be undone.")
        remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda chosen: self._remove(row.id) if chosen is remove
                                  else None)
        box.open()
        return box

    def _remove(self, evidence_id: int) -> None:
        self.store.ctx.run_db(editing.remove_evidence, evidence_id,
                              on_done=lambda _row: self.store.reload_entity("evidence"),
                              on_error=lambda exc: show_error(self, exc),
                              label="Removing evidence")

    def open_selected(self) -> None:
        row_id = self.panel.selected_id()
        if row_id is not None:
            self.store.ctx.run_db(editing.evidence_content, row_id, on_done=self._open)

    def _open(self, content: tuple[str, bytes]) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy_out(content))))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and not self.store.locked:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.attach([Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])
        event.acceptProposedAction()
