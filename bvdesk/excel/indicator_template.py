"""The blank indicator workbook: a long-layout Data sheet, instructions, and the code list."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from bvdesk.excel.indicator_reader import IndicatorSpec

HEADERS = ("Organisation", "Organisation code", "Indicator", "Year", "Value")
#: Rows prepared with drop-downs and text formats.
PREPARED_ROWS = 5000

INSTRUCTIONS = (
    "How to fill in this workbook",
    "",
    "1. Enter one row per organisation, indicator and year on the Data sheet.",
    "2. Organisation: the landlord's name as you usually write it. 'HA' and 'Housing "
    "Association', 'Ltd' and 'Limited' are treated alike.",
    "3. Organisation code (optional): the code used in your benchmarking club; it is matched "
    "before the name.",
    "4. Indicator: pick a code from the drop-down (the Indicators sheet lists them all).",
    "5. Year: the financial year, e.g. 2004/05. 2004 means 2004/05.",
    "6. Value: a number. Percentages as whole numbers (95 for 95%), or as 0.95 in a cell "
    "formatted as a percentage. Leave the cell blank, or write n/a, when there is no value: "
    "it is then skipped, never read as zero.",
    "7. Do not add averages, medians or totals: bvdesk skips such rows because they would "
    "distort the quartiles.",
    "8. Optional: add columns headed Homes, Region and Type (Housing association, LSVT, ALMO, "
    "Council or Other) to describe each peer; peer groups by size, region and kind of landlord "
    "use them. Your own landlord's details are kept as set in bvdesk.",
    "",
    "Import with: bvdesk import indicators FILE.xlsx (or File > Import indicators in the app).",
)


def write_template(path: Path | IO[bytes], indicators: Sequence[IndicatorSpec],
                   polarity: dict[str, str] | None = None) -> Path | IO[bytes]:
    """Write the blank template to ``path`` (an .xlsx file, or a binary stream) and return it."""
    polarity = polarity or {}
    book = Workbook()
    data = book.active
    data.title = "Data"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    data.append(HEADERS)
    for cell in data[1]:
        cell.font, cell.fill = bold, fill
    for letter, width in zip("ABCDE", (40, 18, 14, 10, 12), strict=True):
        data.column_dimensions[letter].width = width
    data.freeze_panes = "A2"
    for row in range(2, PREPARED_ROWS + 2):
        data.cell(row=row, column=4).number_format = "@"

    codes = book.create_sheet("Indicators")
    codes.append(("Code", "Indicator name", "Unit", "Better when"))
    for cell in codes[1]:
        cell.font = bold
    for spec in indicators:
        codes.append((spec.code, spec.name, spec.unit,
                      {"higher": "higher", "lower": "lower"}.get(polarity.get(spec.code, ""),
                                                                 "")))
    codes.column_dimensions["A"].width = 12
    codes.column_dimensions["B"].width = 60

    check = DataValidation(type="list", formula1=f"=Indicators!$A$2:$A${len(indicators) + 1}",
                           allow_blank=True, showErrorMessage=True,
                           errorTitle="Unknown indicator",
                           error="Pick an indicator code from the list (see the Indicators "
                                 "sheet).")
    check.add(f"C2:C{PREPARED_ROWS + 1}")
    data.add_data_validation(check)

    notes = book.create_sheet("Instructions", 0)
    for line in INSTRUCTIONS:
        notes.append((line,))
    notes["A1"].font = Font(bold=True, size=14)
    notes.column_dimensions["A"].width = 110
    book.active = 1
    book.save(path)
    return path
