"""Rendering a report reports its progress page by page and can be cancelled (nothing saved)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bvdesk.errors import Cancelled
from bvdesk.operations.reports import render_bytes, render_report
from bvdesk.store.db import Database


def test_progress_runs_through_the_layout_to_one(demo_db_path: Path) -> None:
    seen: list[float] = []
    with Database.open(demo_db_path, write=False) as db:
        pdf, pages = render_bytes(db, 1, "regulator", progress=seen.append)
    assert pdf.startswith(b"%PDF") and pages > 1
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert len([f for f in seen if 0.2 < f < 0.95]) >= 5, "no progress while laying out"


def test_cancel_while_laying_out_saves_nothing(demo_db_path: Path, tmp_path: Path) -> None:
    seen: list[float] = []
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "submission.pdf"
    with Database.open(demo_db_path) as db, pytest.raises(Cancelled):
        render_report(db, 1, "regulator", target, progress=seen.append,
                      cancelled=lambda: bool(seen) and seen[-1] > 0.4)
    assert seen[-1] < 1.0
    assert list(folder.iterdir()) == []


def test_the_excel_export_reports_progress_and_a_cancel_writes_nothing(
        demo_db_path: Path, tmp_path: Path) -> None:
    from bvdesk.operations.reports import export_workbook

    folder = tmp_path / "out"
    folder.mkdir()
    seen: list[float] = []
    with Database.open(demo_db_path) as db:
        export_workbook(db, 1, folder / "done.xlsx", progress=seen.append)
        assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 3
        with pytest.raises(Cancelled, match="nothing was saved"):
            export_workbook(db, 1, folder / "cancelled.xlsx", progress=seen.append,
                            cancelled=lambda: True)
    assert [p.name for p in folder.iterdir()] == ["done.xlsx"]
