"""Importing indicator values into a database: counts, re-import, conflicts, audit, peers."""

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from bvdesk.errors import FileProblem
from bvdesk.excel.indicator_reader import ImportCancelled, Issue, Layout, Severity
from bvdesk.operations.indicator_import import import_files, read_files, write_issues_csv
from bvdesk.store.db import Database
from bvdesk.store.models import AuditEntry, ImportRun, IndicatorValue, Organisation


@pytest.fixture
def db(tmp_db_path):
    with Database.open(tmp_db_path, write=True, user="tester") as database:
        yield database


def _book(path, rows, title="2003-04"):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _stored(db):
    with db.read() as session:
        rows = session.execute(select(Organisation.name, IndicatorValue.year,
                                      IndicatorValue.value).join(IndicatorValue.organisation))
        return sorted(tuple(r) for r in rows)


def _count(db, model):
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model))


ROWS = [["Landlord", "BV212", "BV66a"],
        ["TEST HOMES.", 30, 97.5],              # the landlord itself, however written
        ["North Housing Association Ltd", 25, "n/a"],
        ["South HA", 40, 99]]


def test_import_then_reimport_changes_nothing(db, tmp_path):
    path = _book(tmp_path / "club.xlsx", ROWS)
    first = import_files(db, [path])
    assert (first.imported, first.updated, first.unchanged, first.missing) == (5, 0, 0, 1)
    assert first.written and first.new_organisations == ("North Housing Association Ltd",
                                                         "South HA")
    with db.read() as session:
        peers = session.execute(select(Organisation.name, Organisation.is_self)).all()
    assert sorted(peers) == [("North Housing Association Ltd", False), ("South HA", False),
                             ("Test Homes", True)]
    audit_before = _count(db, AuditEntry)
    again = import_files(db, [path])
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 5)
    assert not again.written and "Nothing changed" in again.summary()
    assert _count(db, AuditEntry) == audit_before and _count(db, ImportRun) == 1


def test_changed_values_are_updated_and_audited_with_old_and_new(db, tmp_path):
    import_files(db, [_book(tmp_path / "v1.xlsx", ROWS)])
    # "HA" and "Housing Association", "Ltd" and "Limited" are the same organisation.
    changed = [ROWS[0], ["Test-Homes", 28, 97.5], ["North HA Limited", 25, None],
               ["south h.a.", 40, 99]]
    report = import_files(db, [_book(tmp_path / "v2.xlsx", changed)])
    assert (report.imported, report.updated, report.unchanged) == (0, 1, 4)
    assert ("Test Homes", 2003, 28.0) in _stored(db)
    with db.read() as session:
        update, summary = session.execute(
            select(AuditEntry.action, AuditEntry.entity, AuditEntry.field, AuditEntry.old,
                   AuditEntry.new, AuditEntry.user).order_by(AuditEntry.id.desc()).limit(2)).all()
    assert tuple(update)[:5] == ("update", "indicator_value", "value", "30.0", "28.0")
    assert update.user == db.user
    assert summary.action == "import" and '"updated": 1' in summary.new


def test_any_error_writes_nothing_unless_skip_invalid(db, tmp_path):
    rows = [*ROWS, ["East HA", "lots", 96]]
    path = _book(tmp_path / "bad.xlsx", rows)
    report = import_files(db, [path])
    assert not report.written and _stored(db) == []
    assert [str(e) for e in report.errors] == [
        "bad.xlsx, sheet '2003-04', cell B5: 'lots' is not a number; expected a number for "
        "BV212."]
    assert report.rejected == 1
    skipped = import_files(db, [path], skip_invalid=True)
    assert skipped.written and skipped.imported == 6 and skipped.rejected == 1
    assert ("East HA", 2003, 96.0) in _stored(db)  # the row's other value is kept...
    assert skipped.summary().endswith("; errors in 1 row.")  # ...so the row is not "rejected"


def test_dry_run_validates_without_writing(db, tmp_path):
    report = import_files(db, [_book(tmp_path / "club.xlsx", ROWS)], dry_run=True)
    assert report.imported == 5 and not report.written
    assert _stored(db) == [] and _count(db, Organisation) == 1


def test_two_values_for_the_same_cell_name_both_cells(db, tmp_path):
    one = _book(tmp_path / "one.xlsx", ROWS)
    two = _book(tmp_path / "two.xlsx", [["Organisation", "Indicator", "Year", "Value"],
                                        ["South Housing Association", "BV212", "2003/04", 41]])
    report = import_files(db, [one, two])
    assert [str(e) for e in report.errors] == [
        "two.xlsx, sheet '2003-04', cell D2: South Housing Association, BV212, 2003/04: 41 here "
        "but 40 in one.xlsx, sheet '2003-04', cell B4. Keep one of them."]
    assert _stored(db) == []
    # With --skip-invalid both conflicting values stay out; the rest go in.
    report = import_files(db, [one, two], skip_invalid=True)
    assert report.imported == 4
    assert all(not (name == "South HA" and value in (40, 41)) for name, _y, value in _stored(db))


def test_organisation_codes_and_aliases_match(db, tmp_path):
    with db.session() as session:
        landlord = session.scalar(select(Organisation).where(Organisation.is_self))
        landlord.aliases = ["THL"]
    path = _book(tmp_path / "codes.xlsx", [
        ["Org code", "Organisation", "BV212"],
        ["TST", "Whatever the club calls us", 30],
        ["N1", "North", 20],
        [None, "THL", 31],
    ])
    report = import_files(db, [path], year=2004)
    # TST is the landlord's code; "THL" is its alias; N1 is a new peer with that code.
    assert report.new_organisations == ("North",)
    assert [str(e) for e in report.errors][0].endswith("31 here but 30 in codes.xlsx, "
                                                       "sheet '2003-04', cell C2. Keep one of "
                                                       "them.")


def test_cancel_rolls_back(db, tmp_path):
    path = _book(tmp_path / "club.xlsx", ROWS)
    with pytest.raises(ImportCancelled, match="cancelled; nothing was written"):
        import_files(db, [path], cancelled=lambda: True)
    assert _stored(db) == [] and _count(db, ImportRun) == 0


def test_progress_reaches_one(db, tmp_path):
    seen = []
    import_files(db, [_book(tmp_path / "club.xlsx", ROWS)], progress=seen.append)
    assert seen[-1] == 1.0 and seen == sorted(seen)


def test_unreadable_file_is_a_file_problem(db, tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("hello")
    with pytest.raises(FileProblem, match="not an Excel workbook"):
        import_files(db, [fake])


def test_preview_for_the_wizard(tmp_path):
    path = _book(tmp_path / "club.xlsx", [["Extract"], [], *ROWS])
    preview = read_files(None, [path]).preview()
    sheet = preview.sheets[0]
    assert (sheet.layout, sheet.header_row, sheet.year) == (Layout.WIDE, 3, 2003)
    assert [(c.letter, c.role) for c in sheet.columns] == [
        ("A", "organisation"), ("B", "indicator:BV212"), ("C", "indicator:BV66a")]
    assert sheet.rows[0] == ("TEST HOMES.", 30.0, 97.5) and len(sheet.rows) == 3


def test_each_file_gets_an_import_run_with_its_own_counts(db, tmp_path):
    one = _book(tmp_path / "one.xlsx", ROWS)
    two = _book(tmp_path / "two.xlsx", [["Organisation", "BV73"], ["East HA", 9]])
    report = import_files(db, [one, two])
    assert len(report.import_ids) == 2
    with db.read() as session:
        runs = session.execute(select(ImportRun.file_name, ImportRun.counts, ImportRun.by)
                               .order_by(ImportRun.id)).all()
    assert [(name, counts["imported"], by) for name, counts, by in runs] == [
        ("one.xlsx", 5, db.user), ("two.xlsx", 1, db.user)]


def test_the_problem_list_is_written_through_the_output_writer(tmp_db_path: Path,
                                                               tmp_path: Path) -> None:
    issues = [Issue("values.xlsx", "Sheet1", 11, "C", "'abc' is not a number", Severity.ERROR)]
    with Database.open(tmp_db_path, write=True) as db:
        written = write_issues_csv(db, tmp_path / "problems.csv", issues)
        assert written.read_text(encoding="utf-8-sig").splitlines() == [
            "File,Sheet,Row,Column,Problem,Severity",
            "values.xlsx,Sheet1,11,C,'abc' is not a number,error"]
        if db.path is not None:
            with pytest.raises(FileProblem, match="nothing was written"):
                write_issues_csv(db, db.path, issues)
