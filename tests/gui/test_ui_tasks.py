"""The background task runner: results on the GUI thread, delayed progress, cancel, errors."""

from __future__ import annotations

import gc
import threading

from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from bvdesk.errors import Cancelled, InputRefused
from bvdesk.ui.tasks import TaskRunner, TaskState


def test_result_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner(None)
    seen: list[tuple[int, bool]] = []
    main = threading.get_ident()
    with qtbot.waitSignal(runner.idle, timeout=5000):
        runner.run(lambda _s: threading.get_ident(),
                   on_done=lambda worker: seen.append((worker, threading.get_ident() == main)))
    assert seen and seen[0][0] != main and seen[0][1]
    runner.shutdown()


def test_slow_task_shows_progress_and_can_be_cancelled(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    runner = TaskRunner(window)
    started = threading.Event()

    def work(state: TaskState) -> str:
        started.set()
        while not state.cancelled():
            state.progress(0.5)
            threading.Event().wait(0.01)
        return "stopped"

    task = runner.run(work, label="Counting", cancellable=True)
    try:
        assert not gc.isenabled()
        qtbot.waitUntil(lambda: runner.dialog.isVisible(), timeout=5000)
        assert runner.dialog.labelText() == "Counting..."
        assert runner.dialog.value() == 500
        with qtbot.waitSignal(task.succeeded, timeout=5000) as done:
            runner.dialog.findChild(QPushButton).click()
        assert done.args == ["stopped"]
        qtbot.waitUntil(lambda: not runner.dialog.isVisible(), timeout=5000)
        assert gc.isenabled()
    finally:
        task.cancel()
        runner.shutdown()


def test_quick_task_never_flashes_a_dialog(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    runner = TaskRunner(window)
    with qtbot.waitSignal(runner.idle, timeout=5000):
        runner.run(lambda _s: 1, label="Quick")
    assert not runner.dialog.isVisible()
    runner.shutdown()


def test_unhandled_failure_is_reported(qtbot: QtBot) -> None:
    runner = TaskRunner(None)

    def fail(_state: TaskState) -> None:
        raise InputRefused("That cannot be done.")

    with qtbot.waitSignal(runner.error, timeout=5000) as failed:
        runner.run(fail)
    assert failed.args[0].message == "That cannot be done."
    runner.shutdown()


def test_an_idle_window_shows_no_progress_dialog(qtbot: QtBot) -> None:
    # QProgressDialog starts its own timer to show itself; the shared dialog must never appear
    # empty on a window that has nothing running.
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    runner = TaskRunner(window)
    qtbot.wait(4500)  # past QProgressDialog's default minimum duration of 4 s
    assert not runner.dialog.isVisible()
    runner.shutdown()


def test_cancel_says_so_until_the_work_has_stopped_and_is_no_error(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    runner = TaskRunner(window)
    release = threading.Event()
    errors: list[BaseException] = []
    runner.error.connect(errors.append)

    def work(state: TaskState) -> None:
        while not state.cancelled():
            state.progress(0.3)
            threading.Event().wait(0.01)
        release.wait(5)  # rolling back takes a moment
        raise Cancelled("The import was cancelled; nothing was written.")

    task = runner.run(work, label="Importing", cancellable=True)
    try:
        qtbot.waitUntil(lambda: runner.dialog.isVisible(), timeout=5000)
        cancel = runner.dialog.findChild(QPushButton)
        cancel.click()
        qtbot.waitUntil(lambda: runner.dialog.labelText() == "Cancelling...", timeout=5000)
        assert not cancel.isEnabled()
        with qtbot.waitSignal(task.finished, timeout=5000):
            release.set()
        qtbot.waitUntil(lambda: not runner.dialog.isVisible(), timeout=5000)
        assert errors == [] and isinstance(task.error, Cancelled)
    finally:
        release.set()
        runner.shutdown()
