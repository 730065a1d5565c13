"""The app on a team server: it opens the server's database, and a colleague's save shows."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, open_window

from bvdesk.operations.demo import create_demo

pytestmark = pytest.mark.slow

_COLLEAGUE = textwrap.dedent("""
    import sys
    from bvdesk.operations import editing
    from bvdesk.store.db import Database

    with Database.open(sys.argv[1]) as db:
        editing.update_field(db, "review", 2, "title", "Voids review, as renamed by a colleague")
""")


def test_a_colleagues_save_refreshes_the_open_window(qtbot: QtBot,
                                                     empty_server_db: str) -> None:
    create_demo(empty_server_db)
    window = open_window(qtbot, empty_server_db)  # type: ignore[arg-type]
    try:
        assert window.ctx.db is not None and window.ctx.db.is_server
        assert empty_server_db.split("?")[0] in window.status_db.text()
        qtbot.waitUntil(lambda: window.reviews.model.rowCount() == 3, timeout=WAIT_MS)
        qtbot.wait(500)  # the listener is connected
        with qtbot.waitSignal(window.ctx.data_changed, timeout=WAIT_MS,
                              check_params_cb=lambda topic: topic == "review"):
            subprocess.run([sys.executable, "-c", _COLLEAGUE, empty_server_db], check=True,
                           timeout=60)
        qtbot.waitUntil(lambda: any(r.title.endswith("renamed by a colleague")
                                    for r in window.reviews.model.rows()), timeout=WAIT_MS)
    finally:
        window.close()
        window.ctx.server_watch.stop()
