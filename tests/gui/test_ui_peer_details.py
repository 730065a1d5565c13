"""A club workbook with Homes, Region and Type columns: the import wizard shows it reads them
as the peers' details (a column it did not know showed 'Ignore'), says how many peers they
describe, and a peer group by region then finds the imported peers."""

from __future__ import annotations

from pathlib import Path

from journey_steps import open_import_wizard, wizard_next
from openpyxl import Workbook
from person import WAIT_MS, click, field, settle
from PySide6.QtWidgets import QComboBox, QLabel, QTableWidget, QWizard
from pytestqt.qtbot import QtBot

from bvdesk.operations.peer_groups import create_peer_group
from bvdesk.ui.mainwindow import MainWindow


def _club(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "2024-25"
    sheet.append(["Member", "Homes", "Region", "Type", "Re-let time"])
    sheet.append(["Fellside Homes", 2900, "North West", "Housing association", 29.6])
    sheet.append(["Eden Valley Housing", "4,150", "North West", "Stock transfer", 33.0])
    sheet.append(["Wolds Rural HA", 1200, "Yorkshire and the Humber", "RSL", 41.2])
    book.save(path)
    return path


def test_the_wizard_reads_the_peers_homes_region_and_kind(
        qtbot: QtBot, empty_window: MainWindow, tmp_path: Path) -> None:
    wizard = open_import_wizard(qtbot, empty_window, _club(tmp_path / "club.xlsx"))
    # The first rows as the spreadsheet shows them: 2900 homes, not the 2900.0 read.
    sample = field(wizard, "Sample rows", QTableWidget)
    qtbot.waitUntil(lambda: sample.rowCount() == 3, timeout=WAIT_MS)
    assert [sample.item(r, 1).text() for r in range(3)] == ["2900", "4,150", "1200"]
    assert sample.item(0, 4).text() == "29.6"
    assert [field(wizard, f"Read column {letter} as", QComboBox).currentText()
            for letter in "BCD"] == ["Homes (the organisation's stock)", "Region",
                                     "Kind of landlord"]
    wizard_next(qtbot, wizard, empty_window)
    summary = field(wizard, "Import summary", QLabel)
    qtbot.waitUntil(lambda: "would import" in summary.text(), timeout=WAIT_MS)
    assert "homes, region or kind of landlord set for 3 peer organisations" in summary.text()
    click(qtbot, wizard.button(QWizard.WizardButton.CommitButton))
    qtbot.waitUntil(lambda: field(wizard, "Import summary", QLabel).text().startswith(
        "Imported"), timeout=WAIT_MS)  # on the last page
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    settle(qtbot, empty_window)

    group = create_peer_group(empty_window.ctx.db, "North West", rule={"region": ["North West"]})
    assert set(group.members) == {"Fellside Homes", "Eden Valley Housing"}
