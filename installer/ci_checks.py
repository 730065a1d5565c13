"""Checks ci-bundle.sh makes on what the bundled bvdesk wrote, using the development venv.

    python installer/ci_checks.py fill-workbook TEMPLATE.xlsx OUT.xlsx
    python installer/ci_checks.py first-review REVIEWS.json     (prints the first review's id)
    python installer/ci_checks.py check-import IMPORT.json
    python installer/ci_checks.py check-pdf REPORT.pdf LANDLORD

Each exits 0 when the check passes, else 1 with the reason.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: Rows written into the bundle's own indicator template: two values for the demo landlord and
#: one for a peer the demo does not have, which the import must create.
ROWS = (
    ("Northvale Homes", "BV66a", "2010/11", 97.4),
    ("Northvale Homes", "BV66b", "2010/11", 4.1),
    ("Ashby Ridge Housing", "BV66a", "2010/11", 98.9),
)
NEW_PEER = "Ashby Ridge Housing"


def fill_workbook(template: Path, output: Path) -> str | None:
    from openpyxl import load_workbook

    workbook = load_workbook(template)
    sheet = workbook["Data"]
    header = [cell.value for cell in sheet[1]]
    columns = {name: header.index(name) + 1 for name in ("Organisation", "Indicator", "Year",
                                                         "Value")}
    for row, values in enumerate(ROWS, start=2):
        for name, value in zip(("Organisation", "Indicator", "Year", "Value"), values,
                               strict=True):
            sheet.cell(row, columns[name], value)
    workbook.save(output)
    return None


def first_review(listing: Path) -> str | None:
    reviews = json.loads(listing.read_text(encoding="utf-8"))
    if not reviews:
        return "the demo database lists no reviews"
    print(reviews[0]["id"])
    return None


def check_import(result: Path) -> str | None:
    data = json.loads(result.read_text(encoding="utf-8"))
    if data.get("imported") != len(ROWS) or data.get("rejected"):
        return f"expected {len(ROWS)} values imported and none rejected, got {data}"
    if data.get("new_organisations") != [NEW_PEER]:
        return f"expected the new peer {NEW_PEER!r}, got {data.get('new_organisations')}"
    return None


def check_pdf(report: Path, landlord: str) -> str | None:
    from pypdf import PdfReader

    reader = PdfReader(report)
    if not reader.pages:
        return f"{report} has no pages"
    text = "".join(page.extract_text() or "" for page in reader.pages[:2])
    if landlord not in text:
        return f"{report} does not name {landlord} on its first pages"
    fonts = set()
    for page in reader.pages:
        resources = page.get("/Resources")
        font_table = resources.get_object().get("/Font") if resources is not None else None
        for font in (font_table.get_object() if font_table is not None else {}).values():
            fonts.add(str(font.get_object().get("/BaseFont", "")))
    if not any("DejaVu" in name for name in fonts):
        return f"{report} does not use the bundled DejaVu fonts (fonts: {sorted(fonts)})"
    print(f"{report}: {len(reader.pages)} pages, fonts {', '.join(sorted(fonts))}")
    return None


def main(argv: list[str]) -> int:
    checks = {"fill-workbook": fill_workbook, "first-review": first_review,
              "check-import": check_import, "check-pdf": check_pdf}
    if not argv or argv[0] not in checks:
        print(__doc__, file=sys.stderr)
        return 2
    name, *args = argv
    paths = [Path(arg) for arg in args[:2]] if name == "fill-workbook" else [Path(args[0])]
    problem = checks[name](*paths, *args[len(paths):])
    if problem:
        print(f"ci-bundle: {name} failed: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
