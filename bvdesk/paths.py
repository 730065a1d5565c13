"""Where bvdesk keeps its files. All paths come from here; nothing is created at import time.

``BVDESK_HOME`` moves everything (data, config, backups) under one folder; ``BVDESK_DB`` and
``--db`` choose the database file.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import platformdirs

APP_NAME = "bvdesk"
#: The extension the Windows installer associates with bvdesk (an SQLite file inside).
DATABASE_SUFFIX = ".bvdesk"


def data_dir() -> Path:
    home = os.environ.get("BVDESK_HOME")
    if home:
        return Path(home) / "data"
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True))


def config_dir() -> Path:
    home = os.environ.get("BVDESK_HOME")
    if home:
        return Path(home) / "config"
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False, roaming=True))


def cache_dir() -> Path:
    """What bvdesk keeps only to be quicker (losing it loses nothing)."""
    home = os.environ.get("BVDESK_HOME")
    if home:
        return Path(home) / "cache"
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def default_database() -> Path:
    """The database used when neither ``--db`` nor ``BVDESK_DB`` names one."""
    env = os.environ.get("BVDESK_DB")
    if env:
        return Path(env)
    return data_dir() / f"landlord{DATABASE_SUFFIX}"


def backup_dir(database: Path) -> Path:
    """Backups sit beside the database they protect, so they travel with it."""
    return database.parent / f"{database.stem}-backups"


def resource(*parts: str) -> Path:
    """A file shipped in ``resources/`` (installed as the ``bvdesk.resources`` package data).

    The folder is found through the import system, so a source checkout, an editable install,
    a wheel and the PyInstaller bundle all resolve it the same way.
    """
    spec = importlib.util.find_spec("bvdesk.resources")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("bvdesk's resources folder is missing from this installation")
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)
