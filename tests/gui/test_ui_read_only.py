"""The app opens a database the user may only read, read-only, and says so."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from ui_helpers import open_window

pytestmark = pytest.mark.gui


@pytest.fixture
def immutable_copy(demo_db_path: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the demo no one may write, root included (chattr +i), in a writable folder."""
    copy = tmp_path / "board" / "board-copy.bvdesk"
    copy.parent.mkdir()
    shutil.copyfile(demo_db_path, copy)
    if shutil.which("chattr") is None or subprocess.run(
            ["chattr", "+i", str(copy)], capture_output=True).returncode != 0:
        pytest.skip("cannot mark a file immutable on this file system")
    try:
        yield copy
    finally:
        subprocess.run(["chattr", "-i", str(copy)], check=True)


def test_a_file_the_user_may_only_read_opens_read_only_and_says_so(
        qtbot: QtBot, immutable_copy: Path) -> None:
    before = immutable_copy.read_bytes()
    window = open_window(qtbot, immutable_copy)
    assert window.windowTitle() == "Northvale Homes (read-only) - bvdesk"
    assert "read-only" in window.status_db.text()
    assert window.ctx.db is not None and window.ctx.db.read_only
    window.close()
    assert immutable_copy.read_bytes() == before
