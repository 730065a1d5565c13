"""The app on a team server: it opens the server's database, and a colleague's save shows."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from person import field, menu, press_button, type_into, when_dialog
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, open_window

from bvdesk.domain.vocabulary import Stage
from bvdesk.operations.demo import create_demo
from bvdesk.store.server import parse

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



def test_connect_to_a_team_server_from_the_file_menu(qtbot: QtBot, empty_server_db: str) -> None:
    create_demo(empty_server_db)
    address = parse(empty_server_db)
    if address.host.startswith("/"):
        pytest.skip("the dialog connects over TCP; the test server is on a socket")
    window = open_window(qtbot, None)

    def fill(dialog: QWidget) -> None:
        for name, text in (("Server", address.host), ("Database", address.dbname),
                           ("Login", address.user or "postgres")):
            type_into(qtbot, field(dialog, name, QLineEdit), text)
        type_into(qtbot, field(dialog, "Password", QLineEdit), "hunter2")
        field(dialog, "Port", QSpinBox).setValue(address.port or 5432)
        encryption = field(dialog, "Encryption", QComboBox)
        encryption.setCurrentIndex(encryption.findData("prefer"))  # the test server has no TLS
        press_button("Connect")(dialog)

    try:
        answered = when_dialog(fill, title="Connect to a Team Server")
        with qtbot.waitSignal(window.database_opened, timeout=WAIT_MS):
            menu(qtbot, window, "File", "Connect to a Team Server")
        assert answered and window.ctx.db is not None and window.ctx.db.is_server
        assert window.landlord.name == "Northvale Homes"
        # The password is used to connect, never shown, nor kept in the address remembered.
        assert "hunter2" not in window.status_db.text()
        assert window.prefs.recent_servers()[0] == window.ctx.db.url
        assert "hunter2" not in str(window.ctx.db.url)
        window.recent_menu.aboutToShow.emit()  # as when File > Open Recent opens
        assert any(action.text().endswith(str(window.ctx.db.url))
                   for action in window.recent_menu.actions())
    finally:
        window.close()
        window.ctx.server_watch.stop()


_RENAME = textwrap.dedent("""
    import sys
    from bvdesk.operations import editing
    from bvdesk.store.db import Database

    with Database.open(sys.argv[1]) as db:
        editing.update_field(db, "review", 2, "title", "Renamed by a colleague")
""")


def test_an_open_review_shows_a_colleagues_change_without_losing_typing(
        qtbot: QtBot, empty_server_db: str) -> None:
    create_demo(empty_server_db)
    window = open_window(qtbot, empty_server_db)  # type: ignore[arg-type]
    try:
        window.open_review(2)
        workspace = window.workspace
        qtbot.waitUntil(lambda: workspace.store.review is not None, timeout=WAIT_MS)
        workspace.show_stage(Stage.SIGN_OFF)
        editor = workspace.page(Stage.SIGN_OFF).form.editor("board_minute_ref")
        assert isinstance(editor, QLineEdit)
        editor.setFocus()
        qtbot.keyClicks(editor, "BD/2010/14")  # typing, not yet saved
        assert editor.text() == "BD/2010/14" and editor.isModified()
        qtbot.wait(500)  # the listener is connected
        with qtbot.waitSignal(window.ctx.colleague_saved, timeout=WAIT_MS):
            subprocess.run([sys.executable, "-c", _RENAME, empty_server_db], check=True,
                           timeout=60)
        qtbot.wait(700)
        assert editor.text() == "BD/2010/14"  # nothing reloaded under the typing
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: workspace.store.review is not None
                        and workspace.store.review["title"] == "Renamed by a colleague",
                        timeout=WAIT_MS)
        assert editor.text() == "BD/2010/14"
        assert workspace.store.review["board_minute_ref"] == "BD/2010/14"
    finally:
        window.close()
        window.ctx.server_watch.stop()
