"""An import pauses Python's garbage collector while it reads and writes (a large import is a
fifth faster), and always leaves it as it found it: running again after a finished, a refused
or a cancelled import, and still paused when something else had paused it. Its threads take
short turns with the interpreter meanwhile, and the process's turn is put back after it."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook

from bvdesk.errors import FileProblem
from bvdesk.excel.indicator_reader import ImportCancelled
from bvdesk.operations.indicator_import import import_files, read_files
from bvdesk.store.db import Database


@pytest.fixture
def db(tmp_db_path: Path) -> Iterator[Database]:
    with Database.open(tmp_db_path, write=True, user="tester") as database:
        yield database


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "club.xlsx"
    workbook = Workbook()
    workbook.active.title = "2003-04"
    workbook.active.append(["Landlord", "BV212"])
    workbook.active.append(["North HA", 25])
    workbook.save(path)
    return path


def test_the_collector_is_paused_during_an_import_and_runs_again_after_it(
        db: Database, book: Path) -> None:
    seen: list[tuple[float, bool]] = []

    turns: list[tuple[float, float]] = []
    before = sys.getswitchinterval()

    def hear(fraction: float) -> None:
        seen.append((fraction, gc.isenabled()))
        turns.append((fraction, sys.getswitchinterval()))

    report = import_files(db, [book], progress=hear)
    assert report.written and gc.isenabled()
    read_files(db, [book], progress=hear)
    assert gc.isenabled()
    during = [running for fraction, running in seen if fraction < 1.0]
    assert len(during) >= 2 and not any(during)
    assert max(turn for fraction, turn in turns if fraction < 1.0) <= 0.001 < before
    assert sys.getswitchinterval() == before


def test_the_collector_runs_again_after_a_cancelled_or_refused_import(
        db: Database, book: Path, tmp_path: Path) -> None:
    with pytest.raises(ImportCancelled):
        import_files(db, [book], cancelled=lambda: True)
    assert gc.isenabled()
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(FileProblem):
        import_files(db, [damaged])
    assert gc.isenabled() and sys.getswitchinterval() == 0.005  # Python's own


def test_a_collector_paused_by_something_else_stays_paused(db: Database, book: Path) -> None:
    gc.disable()
    try:
        import_files(db, [book])
        assert not gc.isenabled()
    finally:
        gc.enable()
