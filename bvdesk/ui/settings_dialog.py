"""Settings: the user's name (a preference), and what the database keeps of the landlord: its
homes and region, its settings and its contact details.

Tables are edited as plain lines people can read: the VAT table as "2011-01-04  20" and the
discount schedule as "2003-01-01: 1=3.5, 31=3.0" (from year 1 at 3.5%, from year 31 at 3.0%).
A blank table means the built-in one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from bvdesk.domain.discounting import (
    DEFAULT_DISCOUNT_SCHEDULE,
    parse_discount_schedule,
    schedule_to_setting,
)
from bvdesk.domain.vat import DEFAULT_VAT_TABLE, parse_vat_table, vat_table_to_setting
from bvdesk.errors import BvdeskError, InputRefused
from bvdesk.operations import profile, settings
from bvdesk.operations.editing import ChangedMeanwhile, parse_number
from bvdesk.operations.opening import Database
from bvdesk.ui.context import AppContext
from bvdesk.ui.newdb import LandlordField
from bvdesk.ui.widgets import label

TABLES = ("vat_table", "discount_schedule")


def vat_lines(value: Any) -> str:
    table = parse_vat_table(value) if value is not None else DEFAULT_VAT_TABLE
    return "\n".join(f"{day}  {rate:g}" for day, rate in vat_table_to_setting(table))


def parse_vat_lines(text: str) -> list[list[Any]] | None:
    rows = []
    for number, line in enumerate(_lines(text), start=1):
        parts = line.replace(",", " ").split()
        if len(parts) != 2:
            raise ValueError(f"VAT line {number} should be a date and a rate, e.g. "
                             "2011-01-04  20")
        rows.append([parts[0], _number(parts[1], f"VAT line {number}")])
    if not rows:
        return None
    return vat_table_to_setting(parse_vat_table(rows))


def schedule_lines(value: Any) -> str:
    schedule = (parse_discount_schedule(value) if value is not None
                else DEFAULT_DISCOUNT_SCHEDULE)
    return "\n".join(f"{day}: " + ", ".join(f"{year}={rate:g}" for year, rate in bands)
                     for day, bands in schedule_to_setting(schedule))


def parse_schedule_lines(text: str) -> list[list[Any]] | None:
    entries = []
    for number, line in enumerate(_lines(text), start=1):
        day, _sep, rest = line.partition(":")
        if not rest.strip():
            raise ValueError(f"discount line {number} should look like "
                             "2003-01-01: 1=3.5, 31=3.0")
        bands = []
        for band in rest.split(","):
            year, _eq, rate = band.partition("=")
            if not rate:
                raise ValueError(f"discount line {number}: '{band.strip()}' should be "
                                 "year=rate, e.g. 31=3.0")
            bands.append([int(_number(year, f"discount line {number}")),
                          _number(rate, f"discount line {number}")])
        entries.append([day.strip(), bands])
    if not entries:
        return None
    return schedule_to_setting(parse_discount_schedule(entries))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _number(text: str, where: str) -> float:
    try:
        return parse_number(text)
    except ValueError:
        raise ValueError(f"{where}: '{text.strip()}' is not a number") from None


def _texts(editors: Mapping[str, QLineEdit | QPlainTextEdit]) -> dict[str, str]:
    """What each box holds as typed."""
    return {key: editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()
            for key, editor in editors.items()}


def _fact_text(key: str, value: Any) -> str:
    """The homes or the region as its box shows it."""
    if value is None:
        return ""
    return f"{value:,}" if key == "homes" else str(value)


class SettingsDialog(QDialog):
    """Signals:
    saved(): the settings were written.
    """

    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        page = QWidget()
        form = QFormLayout(page)
        self.user = QLineEdit(ctx.prefs.user_name)
        self.user.setAccessibleName("Your name")
        form.addRow(label("<b>You</b>"))
        form.addRow("Your &name (recorded with each change):", self.user)
        form.addRow(label("<b>This landlord's database</b>"))
        #: The landlord's homes and region, printed in the documents.
        self.facts = {"homes": LandlordField("homes", "e.g. 1,100"),
                      "region": LandlordField("region", "e.g. North West")}
        for key, fact in self.facts.items():
            fact_label = label(f"{profile.field_label(key)}:")
            fact_label.setBuddy(fact.edit)
            form.addRow(fact_label, fact)
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        for key, spec in settings.SPECS.items():
            editor: QLineEdit | QPlainTextEdit
            if key in TABLES:
                editor = QPlainTextEdit()
                editor.setMaximumHeight(110)
            else:
                editor = QLineEdit()
            editor.setAccessibleName(spec.label)
            self.fields[key] = editor
            form.addRow(f"{spec.label}:", editor)
        form.addRow(label("<b>How tenants reach you</b> (printed in the tenant summary)"))
        self.contact: dict[str, QLineEdit | QPlainTextEdit] = {}
        #: What the screen showed when the stored values arrived: only what the person changes
        #: is saved, against what they saw, so a colleague's other changes stay.
        self._shown_settings: dict[str, Any] | None = None
        self._shown_text: dict[str, str] = {}
        self._shown_contact: dict[str, str] | None = None
        self._shown_facts: dict[str, Any] | None = None
        self._shown_fact_text: dict[str, str] = {}
        for key in profile.CONTACT_FIELDS:
            text = profile.field_label(key)
            contact: QLineEdit | QPlainTextEdit
            if key in ("contact_address", "get_involved"):
                contact = QPlainTextEdit()
                contact.setTabChangesFocus(True)
                contact.setMaximumHeight(60)
            else:
                contact = QLineEdit()
            contact.setAccessibleName(text)
            self.contact[key] = contact
            form.addRow(f"{text}:", contact)
        scroll = QScrollArea()  # at 1024x768 the fields scroll; the buttons stay in sight
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(page)
        layout.addWidget(scroll, 1)
        self.problem = label("", name="fieldError", wrap=True)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # Every field in sight where the screen has room (a title bar's height kept free).
        margins, spacing = layout.contentsMargins(), 2 * layout.spacing()
        room = self.screen().availableGeometry().height() - 2 * buttons.sizeHint().height()
        self.resize(page.sizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
                    + margins.left() + margins.right(),
                    min(room, page.sizeHint().height() + buttons.sizeHint().height() + spacing
                        + margins.top() + margins.bottom()))
        if ctx.db is not None:
            ctx.run_db(settings.all_settings, on_done=self._show)
            ctx.run_db(profile.landlord_profile, on_done=self._show_contact)
            ctx.run_db(profile.landlord_facts, on_done=self._show_facts)

    def _show_facts(self, values: dict[str, Any]) -> None:
        for key, fact in self.facts.items():
            fact.edit.setText(_fact_text(key, values[key]))
        self._shown_facts = values
        self._shown_fact_text = {key: fact.edit.text() for key, fact in self.facts.items()}

    def _show_contact(self, values: dict[str, str]) -> None:
        for key, editor in self.contact.items():
            if isinstance(editor, QPlainTextEdit):
                editor.setPlainText(values.get(key, ""))
            else:
                editor.setText(values.get(key, ""))
        self._shown_contact = self.contact_values()

    def contact_values(self) -> dict[str, str]:
        """The contact details as typed."""
        return _texts(self.contact)

    def _show(self, values: dict[str, Any]) -> None:
        for key, editor in self.fields.items():
            value = values.get(key)
            if isinstance(editor, QLineEdit):
                editor.setText("" if value is None else f"{value:g}")
            elif key == "vat_table":
                editor.setPlainText(vat_lines(value))
            else:
                editor.setPlainText(schedule_lines(value))
        self._shown_settings = values
        self._shown_text = _texts(self.fields)

    def values(self) -> dict[str, Any]:
        """What was typed, checked and converted to stored values.

        Raises:
            InputRefused: something cannot be stored, saying what and where.
        """
        out: dict[str, Any] = {}
        try:
            for key, editor in self.fields.items():
                if isinstance(editor, QPlainTextEdit):
                    text = editor.toPlainText()
                    out[key] = (parse_vat_lines(text) if key == "vat_table"
                                else parse_schedule_lines(text))
                else:
                    default = settings.SPECS[key].default
                    number = _number(editor.text(), settings.SPECS[key].label)
                    out[key] = int(number) if isinstance(default, int) else number
        except ValueError as exc:
            raise InputRefused(f"{str(exc)[0].upper()}{str(exc)[1:]}.") from None
        return out

    def save(self) -> None:
        try:
            facts = {key: fact.value() for key, fact in self.facts.items()}
        except InputRefused:
            self.problem.setText("Nothing was saved: correct the field marked above.")
            return
        try:
            values = self.values()
        except InputRefused as exc:
            self.problem.setText(exc.message)
            return
        name = self.user.text().strip()
        if not name:
            self.problem.setText("Type your name: it is recorded with every change you make.")
            return
        self.ctx.prefs.user_name = name
        self.ctx.prefs.sync()

        shown, texts = self._shown_settings or {}, _texts(self.fields)
        changed = {key: value for key, value in values.items()
                   if key in shown and texts[key] != self._shown_text[key]}
        seen = {key: shown[key] for key in changed}
        contact, shown_contact = self.contact_values(), self._shown_contact
        shown_facts = self._shown_facts or {}
        changed_facts = {key: value for key, value in facts.items() if key in shown_facts
                         and self.facts[key].edit.text() != self._shown_fact_text[key]}
        seen_facts = {key: shown_facts[key] for key in changed_facts}

        def write(db: Database) -> None:
            db.user = name
            profile.save_settings_page(db, changed, seen, contact, shown_contact,
                                       changed_facts, seen_facts)

        self.ctx.run_db(write, on_done=self._done, on_error=self._failed)

    def _done(self, _result: object) -> None:
        self.saved.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        """Nothing was saved: say why, and keep everything typed. A colleague's save to a
        contact detail, the homes or the region becomes what the screen showed, so Save keeps
        what is typed there now, theirs or the person's own."""
        if isinstance(exc, ChangedMeanwhile) and exc.entity == "landlord":
            who = exc.by or "a colleague"
            self.problem.setText(
                f"Nothing was saved: {who} changed {exc.where[0].lower()}{exc.where[1:]}"
                f"{exc.when} while Settings was open, to {exc.shown[0]!r} (you typed "
                f"{exc.shown[1]!r}). Type the one to keep and press Save again.")
            if exc.field in self.contact and self._shown_contact is not None:
                self._shown_contact[exc.field] = "" if exc.theirs is None else str(exc.theirs)
            elif exc.field in self.facts and self._shown_facts is not None:
                self._shown_facts[exc.field] = exc.theirs
                self._shown_fact_text[exc.field] = _fact_text(exc.field, exc.theirs)
            return
        self.problem.setText(exc.message if isinstance(exc, BvdeskError) else str(exc))
