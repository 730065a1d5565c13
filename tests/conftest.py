"""Every test is headless, and keeps its files and databases under tmp_path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Before anything imports Qt: with no display, Qt would abort the whole run.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bvdesk.operations.demo import create_demo  # noqa: E402 - after the platform is chosen
from bvdesk.operations.landlord import init_database  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Data, config and backups go under tmp_path, never the developer's own folders."""
    monkeypatch.setenv("BVDESK_HOME", str(tmp_path / "bvdesk-home"))
    monkeypatch.delenv("BVDESK_DB", raising=False)


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "empty.sqlite"
    init_database(path, "Test Homes", "TST", homes=3000).close()
    return path


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return create_demo(tmp_path_factory.mktemp("demo") / "demo.sqlite")


def _copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


@pytest.fixture
def tmp_db_path(_template_db: Path, tmp_path: Path) -> Path:
    """A fresh, migrated database for the landlord "Test Homes" (code TST, 3,000 homes)."""
    return _copy(_template_db, tmp_path / "landlord.sqlite")


@pytest.fixture
def demo_db_path(_demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database (Northvale Homes, 44 peers, three reviews)."""
    return _copy(_demo_template, tmp_path / "demo.sqlite")


@pytest.fixture(autouse=True)
def _quick_tier_runs_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """``./dev quick`` (BVDESK_QUICK=1) leaves out every test that starts another process: such
    a test is skipped at the moment it tries, so the quick tier needs no list to keep."""
    if os.environ.get("BVDESK_QUICK") != "1":
        return
    import subprocess

    def refuse(*_args: object, **_kwargs: object) -> None:
        pytest.skip("starts another process: left out of the quick tier (./dev test runs it)")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    monkeypatch.setattr(os, "fork", refuse)
