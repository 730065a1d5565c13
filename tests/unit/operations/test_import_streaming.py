"""A large import writes while it reads, shows progress through the writes, and is still one
all-or-nothing transaction; the import wizard's preview, dry run and import share one read."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import event, func, select

from bvdesk.excel.indicator_reader import ImportCancelled
from bvdesk.operations.indicator_import import import_files, read_files
from bvdesk.store.db import Database
from bvdesk.store.models import AuditEntry, ImportRun, IndicatorValue, Organisation

ROWS = 12_000
CODES = ("BV66a", "BV66b", "BV72", "BV73", "BV184a", "BV212")


@pytest.fixture
def db(tmp_db_path: Path) -> Iterator[Database]:
    with Database.open(tmp_db_path, write=True, user="tester") as database:
        yield database


@pytest.fixture(scope="module")
def big_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("streaming") / "long.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append(["Organisation", "Indicator", "Year", "Value"])
    for number in range(ROWS):
        org, rest = divmod(number, len(CODES) * 10)
        sheet.append([f"Peer Housing {org:04d}", CODES[rest % len(CODES)],
                      f"{2000 + rest // len(CODES)}/{(2001 + rest // len(CODES)) % 100:02d}",
                      50 + number % 40])
    book.save(path)
    return path


def _counts(db: Database) -> tuple[int, int, int, int]:
    with db.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(model))  # type: ignore
                     for model in (IndicatorValue, ImportRun, Organisation, AuditEntry))


@pytest.mark.sqlite_only  # watches INSERTs; a server takes the values by COPY
def test_values_are_written_while_the_file_is_read_and_progress_runs_through_the_writes(
        db: Database, big_book: Path) -> None:
    reported: list[float] = []
    inserts_at: list[float] = []

    def watch(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.startswith("INSERT INTO indicator_value"):
            inserts_at.append(reported[-1] if reported else 0.0)

    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        report = import_files(db, [big_book], progress=reported.append)
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
    assert report.written and report.imported == ROWS
    assert len(inserts_at) > 1, "the values went in as one batch after the whole file was read"
    assert inserts_at[0] < 0.5, "the first values were written only after most of the read"
    assert len([f for f in reported if inserts_at[0] < f < 1.0]) >= 3
    assert reported == sorted(reported) and reported[-1] == 1.0


@pytest.mark.sqlite_only  # watches INSERTs; a server takes the values by COPY
def test_cancel_during_the_writes_leaves_nothing_written(db: Database, big_book: Path) -> None:
    before = _counts(db)
    reported: list[float] = []
    inserted: list[int] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def watch(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.startswith("INSERT INTO indicator_value"):
            inserted.append(1)

    try:
        with pytest.raises(ImportCancelled, match="nothing was written"):
            import_files(db, [big_book], progress=reported.append,
                         cancelled=lambda: len(inserted) >= 1 and reported[-1] > 0.6)
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
    assert inserted, "the cancel came before any write"
    assert _counts(db) == before


class _Opens:
    """Counts how often a file is opened (the interpreter's own audit events)."""

    active: Path | None = None
    count = 0

    @classmethod
    def hook(cls, name: str, args: tuple[object, ...]) -> None:
        if name == "open" and cls.active is not None and args and args[0] is not None:
            try:
                if Path(str(args[0])).resolve() == cls.active:
                    cls.count += 1
            except (OSError, ValueError):
                pass


sys.addaudithook(_Opens.hook)


def test_the_wizard_reads_each_file_once_for_preview_dry_run_and_import(
        db: Database, big_book: Path) -> None:
    _Opens.active, _Opens.count = big_book.resolve(), 0
    try:
        parsed = read_files(db, [big_book])
        opened_to_read = _Opens.count
        preview = parsed.preview()
        dry = import_files(db, [big_book], dry_run=True, parsed=parsed)
        real = import_files(db, [big_book], parsed=parsed)
        opened_after = _Opens.count
    finally:
        _Opens.active = None
    assert opened_to_read >= 1
    assert opened_after == opened_to_read
    assert preview.sheets[0].rows[0][1] == "BV66a" and len(preview.sheets[0].rows) == 20
    assert (dry.imported, dry.written) == (ROWS, False)
    assert (real.imported, real.written) == (ROWS, True)
    assert _counts(db)[0] == ROWS


def test_a_file_changed_since_it_was_read_is_read_again(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "club.xlsx"

    def save(value: float) -> None:
        book = Workbook()
        book.active.title = "2003-04"
        book.active.append(["Landlord", "BV212"])
        book.active.append(["North HA", value])
        book.save(path)

    save(25)
    parsed = read_files(db, [path])
    save(26)
    report = import_files(db, [path], parsed=parsed)
    with db.read() as session:
        assert session.scalars(select(IndicatorValue.value)).all() == [26.0]
    assert report.imported == 1


def test_a_value_written_in_an_earlier_batch_comes_out_again_when_a_later_one_conflicts(
        db: Database, big_book: Path, tmp_path: Path) -> None:
    clash = tmp_path / "clash.xlsx"
    book = Workbook()
    book.active.append(["Organisation", "Indicator", "Year", "Value"])
    book.active.append(["Peer Housing 0000", "BV66a", "2000/01", 99])
    book.save(clash)
    report = import_files(db, [big_book, clash], skip_invalid=True)
    assert report.written and report.imported == ROWS - 1
    assert [e.row for e in report.errors] == [2]
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(IndicatorValue)) == ROWS - 1
        assert session.scalar(select(func.count()).select_from(IndicatorValue).where(
            IndicatorValue.year == 2000, IndicatorValue.value.in_([50, 99]),
            IndicatorValue.organisation_id == select(Organisation.id).where(
                Organisation.name == "Peer Housing 0000").scalar_subquery())) == 0


def test_peers_first_met_in_a_large_file_are_added_as_peers_with_their_values(
        db: Database, big_book: Path) -> None:
    """The import gives new peers their keys itself and inserts them beside their values: each
    is an ordinary peer (not the landlord, no aliases, the usual type), named once, with its
    own values, and a peer added afterwards gets a key of its own."""
    import_files(db, [big_book])
    with db.session() as session:
        session.add(Organisation(name="Added Later Homes", match_key="added later homes"))
    with db.read() as session:
        peers = session.execute(select(
            Organisation.id, Organisation.name, Organisation.is_self, Organisation.aliases,
            Organisation.org_type, Organisation.row_version).where(
            Organisation.name.like("Peer Housing %"))).all()
        per_peer = dict(session.execute(
            select(IndicatorValue.organisation_id, func.count()).group_by(
                IndicatorValue.organisation_id)).all())
        later = session.scalar(select(Organisation.id).where(
            Organisation.name == "Added Later Homes"))
    assert len(peers) == len({peer.name for peer in peers}) == ROWS // (len(CODES) * 10)
    assert {(peer.is_self, tuple(peer.aliases), peer.org_type, peer.row_version)
            for peer in peers} == {(False, (), "housing_association", 1)}
    assert {per_peer[peer.id] for peer in peers} == {len(CODES) * 10}
    assert later not in per_peer and later > max(peer.id for peer in peers)
