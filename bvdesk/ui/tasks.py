"""Background work for the desktop app: nothing slow ever runs on the GUI thread.

Database work goes to one single-worker executor (SQLite has one writer, and it keeps edits in the
order they were made); CPU work that never touches the database (rendering a PDF already loaded,
parsing a workbook) goes to a small second pool. A work function receives a ``TaskState`` and
returns a plain value or DTO; its result comes back on the GUI thread through a queued signal.

A progress dialog appears only when a task runs longer than ``PROGRESS_DELAY_MS`` and then stays
at least ``PROGRESS_MIN_VISIBLE_MS``, so quick edits never flash a dialog.

Automatic garbage collection is paused while any task runs. A full collection holds the GIL for
as long as it takes to scan every live object, and a 200,000-row import keeps that many alive:
when the worker triggered one, the GUI froze for up to 170 ms. The objects work functions make
are freed by reference counting; whatever cycles they leave are collected when the work ends.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from bvdesk.errors import BvdeskError, Cancelled

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 600
PROGRESS_MIN_VISIBLE_MS = 500
#: Progress reports closer together than this are dropped (the last one always arrives).
PROGRESS_THROTTLE_S = 0.05


class TaskState:
    """What a work function may use: report progress, read the cancel flag."""

    def __init__(self, task: Task) -> None:
        self._task = task
        self._last = 0.0
        self._event = threading.Event()

    def progress(self, fraction: float) -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - self._last < PROGRESS_THROTTLE_S:
            return
        self._last = now
        self._task.progressed.emit(max(0.0, min(1.0, float(fraction))))

    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        self._event.set()


class Task(QObject):
    """One piece of background work.

    Signals:
        succeeded(object): the work function's return value (GUI thread).
        failed(object): the exception it raised (GUI thread).
        progressed(float): 0..1, throttled.
        finished(): after ``succeeded`` or ``failed``.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(float)
    finished = Signal()
    # One object argument: a (succeeded, value) pair. PySide6 6.12 mis-counts references to
    # True and False sent through a queued bool argument, which crashed the interpreter.
    _done = Signal(object)

    def __init__(self, label: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.state = TaskState(self)
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    def cancel(self) -> None:
        self.state.cancel()

    @property
    def cancelled(self) -> bool:
        return self.state.cancelled()

    def _run(self, work: Callable[[TaskState], Any]) -> None:
        """Runs on a worker thread."""
        try:
            result = work(self.state)
        except BaseException as exc:  # noqa: BLE001 - every failure is reported to the GUI thread
            if not isinstance(exc, BvdeskError):
                log.error("background task %r failed:\n%s", self.label, traceback.format_exc())
            self._done.emit((False, exc))
        else:
            self._done.emit((True, result))

    def _on_done(self, outcome: tuple[bool, Any]) -> None:
        ok, value = outcome
        self.done = True
        if ok:
            self.result = value
            self.succeeded.emit(value)
        else:
            self.error = value
            self.failed.emit(value)
        self.finished.emit()


class TaskRunner(QObject):
    """Starts tasks and shows their progress; one runner per main window.

    Signals:
        idle(): no task is running any more (tests wait on it).
        error(object): a task failed and nobody handled it; the window shows it.
    """

    idle = Signal()
    error = Signal(object)

    def __init__(self, window: QWidget | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bvdesk-db")
        self._cpu = ThreadPoolExecutor(max_workers=2, thread_name_prefix="bvdesk-cpu")
        self._running: set[Task] = set()
        self._retired: list[Task] = []
        self._paused_gc = False
        #: One progress dialog, built (and styled) now so that showing it later is cheap.
        self.dialog = _make_dialog(window) if window is not None else None

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def run(self, work: Callable[[TaskState], Any], *,
            on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None,
            label: str = "", cancellable: bool = False, progress: bool = True,
            pool: str = "db") -> Task:
        """Run ``work(state)`` in the background and call ``on_done(result)`` on the GUI thread.

        Without ``on_error``, a failure is sent to ``error`` for the window to show. With
        ``progress`` true, a dialog labelled ``label`` appears if the task takes a while.
        """
        # Python owns each task (no Qt parent): it is freed once nothing refers to it, never
        # deleted under a reference that is still held.
        task = Task(label or "Working")
        if on_done is not None:
            task.succeeded.connect(on_done)
        if on_error is not None:
            task.failed.connect(on_error)
        else:
            task.failed.connect(self._unhandled)
        task.finished.connect(lambda: self._finished(task))
        if not self._running and gc.isenabled():
            gc.disable()
            self._paused_gc = True
        self._running.add(task)
        if progress and self._window is not None:
            _ProgressWatcher(task, self, cancellable)
        executor = self._cpu if pool == "cpu" else self._db
        executor.submit(task._run, work)
        return task

    def call(self, function: Callable[..., Any], *args: Any,
             on_done: Callable[[Any], None] | None = None, **kwargs: Any) -> Task:
        """Shorthand: run ``function(*args)`` on the database worker without progress."""
        return self.run(lambda _state: function(*args), on_done=on_done, progress=False,
                        **kwargs)

    def shutdown(self) -> None:
        """Ask long tasks to stop, then wait: queued edits still reach the database."""
        for task in list(self._running):
            task.cancel()
        self._db.shutdown(wait=True)
        self._cpu.shutdown(wait=True, cancel_futures=True)

    def _unhandled(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            return  # the person asked for it, and saw it stop
        self.error.emit(exc)

    def _finished(self, task: Task) -> None:
        self._running.discard(task)
        # Keep the task alive until its own signal emission has finished.
        self._retired.append(task)
        QTimer.singleShot(0, self._retired.clear)
        if not self._running:
            if self._paused_gc:
                gc.enable()
                self._paused_gc = False
            self.idle.emit()


def _make_dialog(window: QWidget) -> QProgressDialog:
    dialog = QProgressDialog("", "Cancel", 0, 1000, window)
    dialog.setWindowTitle("bvdesk")
    dialog.setWindowModality(Qt.WindowModality.NonModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.ensurePolished()
    # A QProgressDialog starts a timer in its constructor that shows it after the minimum
    # duration (4 s) even if it is never used; reset() stops it. The watcher shows it itself.
    dialog.reset()
    dialog.hide()
    # Cancel asks the task to stop; the dialog stays (saying so) until the work has stopped
    # and rolled back, instead of vanishing while the database is still being written.
    dialog.canceled.disconnect(dialog.cancel)
    return dialog


class _ProgressWatcher(QObject):
    """Shows the runner's progress dialog for a task that runs longer than the delay."""

    def __init__(self, task: Task, runner: TaskRunner, cancellable: bool) -> None:
        super().__init__(runner)
        self._task = task
        self._label = task.label
        self._finished = False
        self._runner = runner
        self._cancellable = cancellable
        self._dialog: QProgressDialog | None = None
        self._shown_at = 0.0
        self._fraction = 0.0
        task.progressed.connect(self._on_progress)
        task.finished.connect(self._on_finished)
        QTimer.singleShot(PROGRESS_DELAY_MS, self._show)

    def _show(self) -> None:
        dialog = self._runner.dialog
        if self._finished or self._dialog is not None or dialog is None:
            return
        if dialog.isVisible():
            return  # another task's progress is showing; this one waits its turn quietly
        dialog.setLabelText(self._label + "...")
        dialog.setAccessibleName(f"Progress: {self._label}")
        cancel = dialog.findChild(QPushButton)
        if cancel is not None:
            cancel.setVisible(self._cancellable)
            cancel.setEnabled(True)
        dialog.canceled.connect(self._cancel)
        dialog.setValue(int(self._fraction * 1000))
        dialog.show()
        self._dialog = dialog
        self._shown_at = time.monotonic()

    def _on_progress(self, fraction: float) -> None:
        self._fraction = fraction
        if self._dialog is not None:
            self._dialog.setValue(int(fraction * 1000))

    def _cancel(self) -> None:
        if not self._finished:
            self._task.cancel()
            if self._dialog is not None:
                self._dialog.setLabelText("Cancelling...")
                button = self._dialog.findChild(QPushButton)
                if button is not None:
                    button.setEnabled(False)

    def _on_finished(self) -> None:
        self._finished = True
        if self._dialog is None:
            self.deleteLater()
            return
        shown_ms = (time.monotonic() - self._shown_at) * 1000
        QTimer.singleShot(max(0, int(PROGRESS_MIN_VISIBLE_MS - shown_ms)), self._close)

    def _close(self) -> None:
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self._cancel)
            self._dialog.hide()
            self._dialog = None
        self.deleteLater()
