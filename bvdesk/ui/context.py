"""What every screen shares: the open database, the task runner, undo history, preferences."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from bvdesk.ui.prefs import Preferences
from bvdesk.ui.tasks import Task, TaskRunner, TaskState

if TYPE_CHECKING:
    from bvdesk.operations.opening import Database


class AppContext(QObject):
    """The app's shared state. Screens never keep a session; they ask for work to be run.

    Signals:
        database_changed(): another database was opened (or the current one closed).
        data_changed(str): something was written; the argument names what (a topic of
            ``operations.changes``: "review", "indicators", "peers" or "settings").
    """

    database_changed = Signal()
    data_changed = Signal(str)
    #: On a team server: colleagues saved data of these topics (also sent on data_changed).
    colleague_saved = Signal(object)

    def __init__(self, runner: TaskRunner, prefs: Preferences,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.prefs = prefs
        self.db: Database | None = None
        self.undo = QUndoStack(self)
        # On a team server, colleagues' saves arrive on data_changed too.
        from bvdesk.ui.server_watch import ServerWatcher

        self.server_watch = ServerWatcher(self)

    def run_db(self, function: Callable[..., Any], *args: Any,
               on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None,
               label: str = "", progress: bool = False, cancellable: bool = False,
               with_state: bool = False) -> Task | None:
        """Run ``function(db, *args)`` on the database worker; results arrive on the GUI thread.

        Whatever the function wrote is announced afterwards on ``data_changed``, one signal per
        topic (read from the audit log, so no caller can forget it).
        With ``with_state``, the function also gets ``progress=`` and ``cancelled=`` callables.
        Returns None, running nothing, when no database is open (a screen refreshing after its
        database was closed).
        """
        db = self.db
        if db is None:
            return None

        def work(state: TaskState) -> tuple[Any, frozenset[str]]:
            from bvdesk.operations import changes

            before = changes.mark(db)
            if with_state:
                result = function(db, *args, progress=state.progress, cancelled=state.cancelled)
            else:
                result = function(db, *args)
            return result, changes.topics_since(db, before)

        def done(outcome: tuple[Any, frozenset[str]]) -> None:
            result, topics = outcome
            if on_done is not None:
                on_done(result)
            for topic in sorted(topics):
                self.data_changed.emit(topic)

        return self.runner.run(work, on_done=done, on_error=on_error, label=label,
                               progress=progress, cancellable=cancellable)
