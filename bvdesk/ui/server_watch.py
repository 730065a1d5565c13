"""Colleagues' saves on a team server reach the open screens (LISTEN/NOTIFY).

While a server database is open, a thread of its own waits for the server's announcements and
hands the topics colleagues wrote to the GUI thread, where they go out on the context's
``data_changed`` like the app's own saves: each screen refreshes what it shows of them. A file
has one writer, so there is nothing to hear.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from bvdesk.ui.context import AppContext


class ServerWatcher(QObject):
    """Follows ``ctx.db``: listens while it is a server database, stops when it closes."""

    #: Emitted from the listening thread; delivered on the GUI thread (queued).
    heard = Signal(object)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self._ctx = ctx
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None
        self.heard.connect(self._announce)
        ctx.database_changed.connect(self.follow)

    def follow(self) -> None:
        self.stop()
        db = self._ctx.db
        if db is None or not db.is_server:
            return
        from bvdesk.operations.team import watch

        stop = threading.Event()
        self._stop = stop
        self._thread = threading.Thread(target=self._listen, args=(watch, db, stop),
                                        name="bvdesk-server-watch", daemon=True)
        self._thread.start()

    def _listen(self, watch: object, db: object, stop: threading.Event) -> None:
        try:
            watch(db, self.heard.emit, stop.is_set)  # type: ignore[operator]
        except Exception:  # the connection dropped: the app's own saves still refresh its screens
            return

    def _announce(self, topics: frozenset[str]) -> None:
        self._ctx.colleague_saved.emit(topics)
        for topic in sorted(topics):
            self._ctx.data_changed.emit(topic)

    def stop(self) -> None:
        if self._stop is not None:
            self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self._stop = self._thread = None
