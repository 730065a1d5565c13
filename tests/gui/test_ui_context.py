"""Screens hear of every write from the context that ran it, never from the caller."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from bvdesk.operations import reviews
from bvdesk.operations.opening import Database
from bvdesk.ui.context import AppContext
from bvdesk.ui.prefs import Preferences
from bvdesk.ui.tasks import TaskRunner


def test_a_write_is_announced_by_topic_and_a_read_by_nothing(qtbot: QtBot,
                                                             tmp_db_path: Path) -> None:
    runner = TaskRunner(None)
    ctx = AppContext(runner, Preferences())
    ctx.db = Database.open(tmp_db_path, write=True)
    heard: list[str] = []
    ctx.data_changed.connect(heard.append)
    try:
        with qtbot.waitSignal(runner.idle, timeout=10_000):
            ctx.run_db(reviews.list_reviews)
        assert heard == []
        created: list[int] = []
        with qtbot.waitSignal(ctx.data_changed, timeout=10_000):
            ctx.run_db(reviews.create_review, "repairs", "Repairs", on_done=created.append)
        assert heard == ["review"] and created
    finally:
        runner.shutdown()
        ctx.db.close()
