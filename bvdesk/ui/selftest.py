"""``bvdesk --self-test``: prove an installed copy works, without a screen and without user data.

It builds the demo database in a temporary folder, opens it in the main window (offscreen),
renders the regulator report to a PDF and reads the PDF back with QtPdf. That touches what an
installation can lose: the Qt platform plugins, the bundled fonts, icons and catalogue, the
Alembic migrations, reportlab and the PDF viewer. Preferences, recent files and window geometry
go to the temporary folder too, so the user's own are left alone.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: How long the window may take to open the demo database before the test gives up.
OPEN_TIMEOUT_MS = 120_000


class SelfTestFailed(Exception):
    """A check failed; the message says which and why, for the person running the test."""


@dataclass(frozen=True)
class Outcome:
    landlord: str
    pages: int
    pdf_bytes: int
    seconds: float


def run() -> int:
    """Run the self-test; print the outcome; return 0 if everything worked, else 1."""
    started = time.perf_counter()
    try:
        with _isolated_home() as home, _unhandled_errors() as errors:
            outcome = _check(home, started)
        if errors:
            raise SelfTestFailed(f"the window hit an error: {errors[0]}")
    except SelfTestFailed as exc:
        print(f"bvdesk self-test FAILED: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the reason is the whole point of the test
        print(f"bvdesk self-test FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"bvdesk self-test passed: opened {outcome.landlord} in the main window and rendered "
          f"the regulator report ({outcome.pages} pages, {outcome.pdf_bytes // 1024} KB) "
          f"in {outcome.seconds:.1f} s.")
    return 0


@contextmanager
def _isolated_home() -> Iterator[Path]:
    """A temporary ``BVDESK_HOME`` for the duration of the test."""
    saved = os.environ.get("BVDESK_HOME")
    # Windows may hold a just-closed file a moment longer; a leftover temp folder is harmless.
    with tempfile.TemporaryDirectory(prefix="bvdesk-selftest-",
                                     ignore_cleanup_errors=True) as folder:
        os.environ["BVDESK_HOME"] = str(Path(folder) / "home")
        try:
            yield Path(folder)
        finally:
            if saved is None:
                os.environ.pop("BVDESK_HOME", None)
            else:
                os.environ["BVDESK_HOME"] = saved


@contextmanager
def _unhandled_errors() -> Iterator[list[str]]:
    """Collect exceptions raised in Qt slots (Qt reports them through ``sys.excepthook``)."""
    errors: list[str] = []
    saved = sys.excepthook

    def hook(kind: type[BaseException], value: BaseException, trace: Any) -> None:
        errors.append(f"{kind.__name__}: {value}")
        saved(kind, value, trace)

    sys.excepthook = hook
    try:
        yield errors
    finally:
        sys.excepthook = saved


def _check(folder: Path, started: float) -> Outcome:
    from bvdesk.operations.demo import create_demo

    _choose_platform()
    database = create_demo(folder / "demo.bvdesk")
    landlord = _open_in_window(database)
    pages, size = _render_report(database, folder / "report.pdf")
    return Outcome(landlord, pages, size, time.perf_counter() - started)


def _choose_platform() -> None:
    """Draw offscreen, unless ``QT_QPA_PLATFORM`` asks for another platform plugin (to test the
    real one, e.g. ``xcb``) or a Qt application, and so its platform, already exists."""
    from PySide6.QtCore import QCoreApplication

    if QCoreApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _open_in_window(database: Path) -> str:
    """Open ``database`` in a shown main window; return the landlord's name from the window."""
    from PySide6.QtGui import QFontDatabase

    from bvdesk.ui import theme
    from bvdesk.ui.app import make_window

    window = make_window(None)
    try:
        window.show()
        if theme.FONT_FAMILY not in QFontDatabase.families():
            raise SelfTestFailed(f"the bundled font {theme.FONT_FAMILY} did not load, so text "
                                 "would show as boxes (are the resources/fonts missing?)")
        window.open_database(database)
        opened = _wait_for(window.database_opened, OPEN_TIMEOUT_MS)
        if opened is None:
            raise SelfTestFailed(f"the main window did not open {database.name} within "
                                 f"{OPEN_TIMEOUT_MS // 1000} s")
        if opened[0] is None:
            raise SelfTestFailed(f"the main window could not open {database.name}: "
                                 f"{window.welcome.message.text()}")
        name = str(opened[0].name)
        if name not in window.windowTitle():
            raise SelfTestFailed(f"the window title {window.windowTitle()!r} does not name "
                                 f"the landlord {name!r}")
        _settle(window)
        listed = window.reviews.model.rowCount()
        if listed < 1:
            raise SelfTestFailed("the Reviews page lists none of the demo's reviews")
        shot = window.grab()
        if shot.isNull() or shot.width() < 100:
            raise SelfTestFailed("the main window could not be drawn offscreen")
        return name
    finally:
        window.close()
        window.deleteLater()


def _settle(window: Any) -> None:
    """Let the window finish loading its pages (each load may start the next) before closing."""
    deadline = time.monotonic() + OPEN_TIMEOUT_MS / 1000
    while window.runner.busy:
        remaining_ms = int((deadline - time.monotonic()) * 1000)
        if remaining_ms <= 0:
            raise SelfTestFailed("the main window was still busy loading the demo after "
                                 f"{OPEN_TIMEOUT_MS // 1000} s")
        _wait_for(window.runner.idle, remaining_ms)


def _wait_for(signal: Any, timeout_ms: int) -> tuple[Any, ...] | None:
    """Run the event loop until ``signal`` fires (its arguments) or the time is up (None)."""
    from PySide6.QtCore import QEventLoop, QTimer

    received: list[tuple[Any, ...]] = []
    loop = QEventLoop()

    def got(*args: Any) -> None:
        received.append(args)
        loop.quit()

    signal.connect(got)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(got)
    return received[0] if received else None


def _render_report(database: Path, output: Path) -> tuple[int, int]:
    """Render the regulator report of the demo's first review; check it; (pages, bytes)."""
    from bvdesk.operations.opening import Database
    from bvdesk.operations.reports import render_report
    from bvdesk.operations.reviews import list_reviews

    with Database.open(database, write=False, user="self-test") as db:
        reviews = list_reviews(db)
        if not reviews:
            raise SelfTestFailed("the demo database has no reviews")
        rendered = render_report(db, reviews[0].id, "regulator", output)
    problem = pdf_problem(output, rendered.pages)
    if problem:
        raise SelfTestFailed(f"the regulator report {problem}")
    return rendered.pages, output.stat().st_size


def pdf_problem(path: Path, pages: int) -> str | None:
    """Why the PDF at ``path`` is not a readable ``pages``-page report with real text, or None.

    Reads it back with QtPdf (the in-app preview) and draws the first page: a report whose
    fonts did not embed, or a file cut short, fails here.
    """
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    data = path.read_bytes() if path.exists() else b""
    if not data.startswith(b"%PDF-"):
        return f"at {path} is not a PDF file"
    if b"/FontFile2" not in data:
        return "embeds no TrueType font, so its text depends on the reader's fonts"
    document = QPdfDocument()
    try:
        if document.load(str(path)) != QPdfDocument.Error.None_:
            return f"at {path} cannot be read back ({document.error().name})"
        if document.pageCount() != pages or pages < 1:
            return f"has {document.pageCount()} pages; the renderer reported {pages}"
        image = document.render(0, QSize(240, 340))
        if image.isNull() or _is_blank(image):
            return "has a blank first page"
    finally:
        document.close()
    return None


def _is_blank(image: Any) -> bool:
    """Whether every sampled pixel of ``image`` has the same colour."""
    first = image.pixel(0, 0)
    return all(image.pixel(x, y) == first
               for x in range(0, image.width(), 4) for y in range(0, image.height(), 4))
