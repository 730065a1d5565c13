"""Found walking through the app as a new user: once the import had written its values, the
wizard still offered Cancel beside Done, as if the import could be called off."""

from __future__ import annotations

from pathlib import Path

from journey_steps import messy_workbook, open_import_wizard, wizard_next
from person import WAIT_MS, choose, click, field, settle
from PySide6.QtWidgets import QComboBox, QLabel, QWizard
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow


def test_after_the_import_the_wizard_offers_done_and_no_cancel(
        qtbot: QtBot, empty_window: MainWindow, tmp_path: Path) -> None:
    book = messy_workbook(tmp_path / "club return 2006-7.xlsx")
    wizard = open_import_wizard(qtbot, empty_window, book)
    choose(qtbot, field(wizard, "Read column D as", QComboBox), "SAT-REP")
    settle(qtbot, empty_window)
    wizard_next(qtbot, wizard, empty_window)
    assert wizard.button(QWizard.WizardButton.CancelButton).isVisible()  # nothing written yet
    click(qtbot, wizard.button(QWizard.WizardButton.CommitButton))
    qtbot.waitUntil(lambda: field(wizard, "Import summary", QLabel).text().startswith(
        "Imported"), timeout=WAIT_MS)

    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    settle(qtbot, empty_window)
