"""A club's wide workbook whose column headings are written as landlords write them."""

from openpyxl import Workbook

from bvdesk.excel.indicator_reader import Layout, parse
from bvdesk.operations.indicator_import import shipped_catalogue

HEADINGS = {
    "Av. re-let time": "indicator:BV212",
    "Cost per property - responsive repairs (£)": "indicator:CPP-RR",
    "ASB cases resolved %": "indicator:ASB-RES",
    "Cost per home - major works £": "indicator:CPP-MW",
    "Management cost per unit (£)": "indicator:MGMT-CPD",
    "Rent collected - general needs": "indicator:BV66a",
    "Avg time for non-urgent repairs (days)": "indicator:BV73",
    # Current arrears, or former tenant arrears: the person is asked.
    "Arrears - former tenants": None,
    # Void loss is a percentage of the rent roll, not pounds.
    "Rent lost through voids (£)": None,
}


def test_headings_as_landlords_write_them_are_read_as_their_indicators(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "2023-24"
    sheet.append(["London benchmarking club: members' returns"])
    sheet.append([])
    sheet.append(["Landlord", *HEADINGS])
    sheet.append(["Thames Homes", 31.5, 905, 72.4, 1210, 402, 98.9, 12.5, 3.1, 96000])
    path = tmp_path / "club.xlsx"
    book.save(path)

    result = parse([path], shipped_catalogue())

    [info] = result.sheets
    assert info.layout is Layout.WIDE
    roles = {column.header: column.role for column in info.columns}
    assert roles == {"Landlord": "organisation", **HEADINGS}
    values = {row.indicator: (row.value, row.cell) for row in result.rows}
    assert values == {"BV212": (31.5, "B4"), "CPP-RR": (905, "C4"), "ASB-RES": (72.4, "D4"),
                      "CPP-MW": (1210, "E4"), "MGMT-CPD": (402, "F4"), "BV66a": (98.9, "G4"),
                      "BV73": (12.5, "H4")}
    assert {row.year for row in result.rows} == {2023}
