"""Steps of the journeys, each done as a person does it (see person.py), and what a person
reads off the screen to check it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from person import (
    WAIT_MS,
    click,
    click_button,
    click_list_item,
    click_row,
    field,
    messages,
    press,
    settle,
    shown,
    type_and_ok,
    when_dialog,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QTableView,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow


def open_demo(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS):
        click_button(qtbot, window, "Open the Demo")
    settle(qtbot, window)


def open_review(qtbot: QtBot, window: MainWindow, title: str) -> None:
    """Reviews in the sidebar, then a double-click on the review."""
    click_list_item(qtbot, window.sidebar, "Reviews")
    settle(qtbot, window)
    click_row(qtbot, field(window, "Reviews"), title, double=True)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: shown(window.workspace), timeout=WAIT_MS)


def go_to_stage(qtbot: QtBot, window: MainWindow, stage: str) -> None:
    click_row(qtbot, field(window, "Review stages", QListWidget), stage)
    settle(qtbot, window)


def sign_off_as(qtbot: QtBot, window: MainWindow, name: str, reason: str) -> None:
    """Sign Off Review: the approver's name, then (while items are outstanding) why anyway."""
    named = when_dialog(type_and_ok(name), title="Sign Off Review")
    overridden = when_dialog(type_and_ok(reason), title="Sign Off With Items Outstanding")
    click_button(qtbot, window, "Sign Off Review")
    qtbot.waitUntil(lambda: bool(named), timeout=WAIT_MS)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "signed off" in window.workspace.subtitle.text(), timeout=WAIT_MS)
    assert overridden or "Ready to sign off" in field(window, "Readiness check", QLabel).text()


def start_new_review(qtbot: QtBot, window: MainWindow, title: str) -> None:
    """Reviews in the sidebar, New Review, the title typed, Create Review; its workspace opens."""
    click_list_item(qtbot, window.sidebar, "Reviews")
    settle(qtbot, window)
    created = when_dialog(type_and_ok(title, ok="Create Review"))
    click_button(qtbot, window, "New Review")
    qtbot.waitUntil(lambda: bool(created), timeout=WAIT_MS)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.workspace.title.text() == title, timeout=WAIT_MS)


def screen_text(label: QLabel) -> str:
    return QTextDocumentFragment.fromHtml(label.text()).toPlainText()


def appraise_json(window: MainWindow, review_id: int) -> dict:
    """What ``bvdesk appraise ID --json`` says of the same review, in the same database."""
    done = subprocess.run([sys.executable, "-m", "bvdesk", "appraise", str(review_id), "--json",
                           "--db", str(window.ctx.db.path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def results_on_screen(window: MainWindow) -> dict[str, list[str]]:
    table = field(window, "Appraisal results", QTableView)
    model = table.model()
    return {model.index(r, 1).data(): [model.index(r, c).data()
                                       for c in range(model.columnCount())]
            for r in range(model.rowCount())}


def assert_screen_matches_cli(window: MainWindow) -> None:
    review_id = window.workspace.store.review_id
    cli = appraise_json(window, review_id)
    shown_rows = results_on_screen(window)
    assert sorted(shown_rows) == sorted(o["name"] for o in cli["options"])
    for option in cli["options"]:
        row = shown_rows[option["name"]]
        assert row[0] == str(option["rank"])
        assert row[2] == f"\u00a3{option['npc']:,.0f}", option["name"]
    headline = screen_text(field(window, "Recommendation", QLabel))
    if cli["recommended"]:
        assert f"Recommended: {cli['recommended']}" in headline
    else:
        assert "Recommended" not in headline
    decision = " ".join(screen_text(field(window, "Decision statements and warnings",
                                          QLabel)).split())
    if cli["switching"]:
        assert cli["switching"] in decision
    assert cli["decision"] in decision
    for warning in cli["warnings"]:
        assert warning in decision


def cost_block(*rows: tuple[str, str, str, float]) -> str:
    """Rows as Excel puts them on the clipboard: category, VAT, description, years 0-10."""
    lines = ["Category\tVAT\tDescription\t" + "\t".join(f"Year {y}" for y in range(11))]
    for category, vat, description, yearly in rows:
        lines.append("\t".join([category, vat, description, "",
                                *(f"{yearly:,.0f}" for _ in range(10))]))
    return "\r\n".join(lines) + "\r\n"


def close_message(qtbot: QtBot) -> str:
    """Read the message box on screen and click its OK."""
    qtbot.waitUntil(lambda: bool(messages()), timeout=WAIT_MS)
    box = next(b for b in QApplication.topLevelWidgets()
               if isinstance(b, QMessageBox) and b.isVisible())
    text = box.text()
    click_button(qtbot, box, "OK")
    return text


def messy_workbook(path: Path) -> Path:
    """A club return as they come: a title row, a blank row, a year written '2006/7', and a
    column heading no catalogue knows."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Club returns"
    sheet.append(["Repairs benchmarking club 2006/7"])
    sheet.append([])
    sheet.append(["Landlord", "Year", "Rent collected %", "Happy with repairs (survey)"])
    sheet.append(["Northvale Homes", "2006/7", 97.5, 70.1])
    sheet.append(["Riverside Homes", "2006/7", 98.2, 81.0])
    book.save(path)
    return path


def choose_file(path: Path) -> Callable[[QWidget], None]:
    """An answer to a file dialog: type the file's full name and press Enter."""

    def answer(dialog: QWidget) -> None:
        name = next(e for e in dialog.findChildren(QLineEdit) if e.isVisible())
        name.setFocus()
        several = (isinstance(dialog, QFileDialog)
                   and dialog.fileMode() == QFileDialog.FileMode.ExistingFiles)
        QTest.keyClicks(name, f'"{path}"' if several else str(path))
        QTest.keyClick(name, Qt.Key.Key_Return)

    return answer


def wizard_next(qtbot: QtBot, wizard: QWizard, window: MainWindow) -> None:
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    settle(qtbot, window)


def open_import_wizard(qtbot: QtBot, window: MainWindow, book: Path) -> QWizard:
    """Ctrl+I, Add Files and ``book`` typed in the file dialog, then Next: the wizard shows
    how it reads the first file."""
    chosen = when_dialog(choose_file(book))
    press(qtbot, window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QWizard),
                    timeout=WAIT_MS)
    wizard = QApplication.activeModalWidget()
    assert isinstance(wizard, QWizard)
    click_button(qtbot, wizard, "Add Files")
    qtbot.waitUntil(lambda: bool(chosen), timeout=WAIT_MS)
    wizard_next(qtbot, wizard, window)
    return wizard
