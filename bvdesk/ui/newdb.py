"""The New Landlord Database dialog: who the landlord is and where the file goes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from bvdesk.errors import BvdeskError, InputRefused
from bvdesk.operations.editing import coerce, field_spec
from bvdesk.paths import DATABASE_SUFFIX, data_dir
from bvdesk.ui.widgets import button, label


class LandlordField(QWidget):
    """One field of the landlord's record typed as text, checked as the record's field is
    (``operations.editing``: a whole number of homes in range, a region that fits), with what
    is wrong with it said beside it."""

    def __init__(self, name: str, placeholder: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.edit = QLineEdit()
        self.edit.setAccessibleName(field_spec("landlord", name).label)
        self.edit.setPlaceholderText(placeholder)
        # Under the box, only while there is something to say: the box keeps the form's width.
        self.problem = label("", name="fieldError", wrap=True)
        self.problem.setVisible(False)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.edit)
        column.addWidget(self.problem)

    def value(self) -> Any:
        """What was typed, as the record stores it (None for a blank number).

        Raises:
            InputRefused: it cannot be stored; the message is shown beside the field, which
                takes the focus.
        """
        try:
            value = coerce("landlord", self.name, self.edit.text())
        except InputRefused as exc:
            self.problem.setText(exc.message)
            self.problem.setVisible(True)
            self.edit.setFocus()
            raise
        self.problem.setText("")
        self.problem.setVisible(False)
        return value


class NewDatabaseDialog(QDialog):
    """Signals:
    create_requested(object): (path, landlord name, code or None, homes or None, region or
        None).
    """

    create_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Landlord Database")
        self.setMinimumWidth(520)
        form = QFormLayout(self)
        form.addRow(label("A new, empty database for one landlord. You can import indicator "
                          "values and start reviews once it is created.", wrap=True))
        self.name = QLineEdit()
        self.name.setAccessibleName("Landlord name")
        self.name.setPlaceholderText("e.g. Riverside Homes")
        self.code = QLineEdit()
        self.code.setAccessibleName("Landlord code")
        self.code.setPlaceholderText("Optional, e.g. the regulator's registration number")
        self.homes = LandlordField("homes", "Optional, e.g. 1,100")
        self.region = LandlordField("region", "Optional, e.g. North West")
        self.path = QLineEdit(str(data_dir() / f"landlord{DATABASE_SUFFIX}"))
        self.path.setAccessibleName("Database file")
        browse = button("Browse...", "Choose the database file")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.problem = label("", name="fieldError", wrap=True)
        form.addRow("Landlord &name:", self.name)
        form.addRow("&Code:", self.code)
        homes_label = label("&Homes owned:")
        homes_label.setBuddy(self.homes.edit)
        form.addRow(homes_label, self.homes)
        region_label = label("&Region:")
        region_label.setBuddy(self.region.edit)
        form.addRow(region_label, self.region)
        file_label = label("&File:")
        file_label.setBuddy(self.path)  # a row holding a layout gets no buddy of its own
        form.addRow(file_label, row)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create Database")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, "New Database File", self.path.text(),
                                               f"bvdesk databases (*{DATABASE_SUFFIX})")
        if path:
            self.path.setText(path if path.endswith(DATABASE_SUFFIX) else path + DATABASE_SUFFIX)

    def _accept(self) -> None:
        name = self.name.text().strip()
        path_text = self.path.text().strip()
        if not name:
            self.problem.setText("Type the landlord's name: it appears on every report.")
            self.name.setFocus()
            return
        if not path_text:
            self.problem.setText("Choose where to keep the database file.")
            self.path.setFocus()
            return
        try:
            homes, region = self.homes.value(), self.region.value()
        except InputRefused:
            self.problem.setText("")
            return
        path = Path(path_text).expanduser()
        if path.exists() and path.stat().st_size > 0:
            self.problem.setText(f"{path.name} already exists. Choose a new file name, or use "
                                 "File > Open to open it.")
            self.path.setFocus()
            return
        self.problem.setText("")
        self.create_requested.emit((path, name, self.code.text().strip() or None, homes,
                                    region or None))

    def show_problem(self, exc: BaseException) -> None:
        self.problem.setText(exc.message if isinstance(exc, BvdeskError)
                             else f"The database could not be created: {exc}")
