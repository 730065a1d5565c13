"""What a person can do to the window: find what is on screen by its words, click, type, press
keys, paste, and answer the dialogs that pop up.

Journey tests use only these (and read what is on screen); they never call a screen's methods.
Widgets are found the way a person finds them: a visible button by its caption, a list item or
table row by its text, a field by the name a screen reader would speak.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QHelpEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMenuBar,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QTextEdit,
    QToolTip,
    QWidget,
)
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow

WAIT_MS = 20_000
#: Longer than the screens' debounce timers (rechecking a stage's needs, re-appraising).
SETTLE_MS = 300
#: How long a person looks at a dialog before answering it.
READ_MS = 250
W = TypeVar("W", bound=QWidget)


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def shown(widget: QWidget) -> bool:
    """Visible all the way up (a page behind another page of a stack is not); it may need
    scrolling to, which ``scroll_to`` does as a person would."""
    return widget.isVisible()


def scroll_to(widget: QWidget) -> None:
    """Scroll every scroll area around ``widget`` until it is in view."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 10, 10)
        parent = parent.parentWidget()


def settle(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until the window's background work has finished and its results are shown, as a
    person waits for the screen to catch up."""
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=WAIT_MS)
    qtbot.wait(SETTLE_MS)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=WAIT_MS)


def find(root: QWidget, kind: type[W], test: Callable[[W], bool], what: str) -> W:
    matches = [w for w in root.findChildren(kind) if shown(w) and test(w)]
    assert matches, f"nothing on screen is {what}"
    return matches[0]


def button(root: QWidget, caption: str) -> QAbstractButton:
    """The visible button whose caption (without its & mnemonic) starts with ``caption``."""
    return find(root, QAbstractButton, lambda b: _plain(b.text()).startswith(caption),
                f"a button '{caption}'")


def field(root: QWidget, name: str, kind: type[W] = QWidget) -> W:  # type: ignore[assignment]
    """The visible control a screen reader calls ``name``."""
    return find(root, kind, lambda w: w.accessibleName() == name, f"a field called '{name}'")


def _active(qtbot: QtBot, widget: QWidget) -> None:
    """The window under the mouse is the active one, as on a desktop (offscreen, a progress
    dialog that came and went can leave no window active, and focus would not move)."""
    window = widget.window()
    if QApplication.activeModalWidget() is None and not window.isActiveWindow():
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)


def click(qtbot: QtBot, widget: QWidget) -> None:
    assert shown(widget), f"{widget.accessibleName() or widget} is not on screen"
    assert widget.isEnabled(), f"{widget.accessibleName() or widget} is disabled"
    scroll_to(widget)
    _active(qtbot, widget)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_button(qtbot: QtBot, root: QWidget, caption: str) -> None:
    click(qtbot, button(root, caption))


def _item_point(view: QAbstractItemView, row: int, column: int) -> QPoint:
    index = view.model().index(row, column)
    view.scrollTo(index)
    rect = view.visualRect(index)
    assert rect.isValid() and not rect.isEmpty(), f"row {row} is not on screen"
    return rect.center()


def click_cell(qtbot: QtBot, view: QAbstractItemView, row: int, column: int = 0, *,
               double: bool = False) -> None:
    assert shown(view) and view.isEnabled()
    scroll_to(view)
    _active(qtbot, view)
    point = _item_point(view, row, column)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    if double:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def row_of(view: QAbstractItemView, text: str, column: int = 0) -> int:
    """The first row whose cell in ``column`` starts with ``text``."""
    model = view.model()
    for row in range(model.rowCount()):
        value = model.index(row, column).data()
        if isinstance(value, str) and value.startswith(text):
            return row
    raise AssertionError(f"no row starting '{text}' in {view.accessibleName()}: "
                         f"{[model.index(r, column).data() for r in range(model.rowCount())]}")


def click_row(qtbot: QtBot, view: QAbstractItemView, text: str, column: int = 0, *,
              double: bool = False) -> None:
    click_cell(qtbot, view, row_of(view, text, column), column, double=double)


def click_list_item(qtbot: QtBot, view: QListWidget, text: str) -> None:
    click_row(qtbot, view, text)


def click_tab(qtbot: QtBot, tabs: QTabWidget, title: str) -> None:
    bar = tabs.tabBar()
    for number in range(bar.count()):
        if _plain(bar.tabText(number)) == title:
            qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                             pos=bar.tabRect(number).center())
            return
    raise AssertionError(f"no tab '{title}'")


def type_into(qtbot: QtBot, widget: QWidget, text: str, *, replace: bool = True) -> None:
    """Click into a text field, select what is there, type ``text`` and press Tab to leave."""
    click(qtbot, widget)
    if replace:
        qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)
    if not isinstance(widget, QTextEdit | QPlainTextEdit):
        qtbot.keyClick(widget, Qt.Key.Key_Tab)


def focused(qtbot: QtBot, window: QWidget) -> QWidget:
    """The widget the keyboard types into. A dialog that came and went (a progress dialog) can
    leave the offscreen platform with no active window, which a real desktop gives back to the
    main window at once; so does this."""
    if QApplication.activeModalWidget() is None and not window.isActiveWindow():
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    # With no widget focused, a key goes to the active window itself.
    return QApplication.focusWidget() or window


def press(qtbot: QtBot, window: QWidget, key: Qt.Key,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Press a key (or a shortcut such as Ctrl+Z) where the keyboard focus is."""
    qtbot.keyClick(focused(qtbot, window), key, modifier)


def tab_to(qtbot: QtBot, window: QWidget, widget: QWidget, *, limit: int = 60) -> None:
    """Press Tab until the keyboard focus is on ``widget`` (or inside it)."""
    for _ in range(limit):
        current = focused(qtbot, window)
        if current is widget or widget.isAncestorOf(current):
            return
        # Tab moves between a table's cells; Ctrl+Tab leaves the table.
        in_table = isinstance(current, QAbstractItemView) and current.tabKeyNavigation()
        qtbot.keyClick(current, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier
                       if in_table else Qt.KeyboardModifier.NoModifier)
    raise AssertionError(f"Tab never reaches {widget.accessibleName() or widget}")


def key(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier =
        Qt.KeyboardModifier.NoModifier, widget: QWidget | None = None) -> None:
    """Press a key where the keyboard focus is (or on ``widget``)."""
    target = widget or QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier)


def paste(qtbot: QtBot, view: QWidget, text: str) -> None:
    """Put ``text`` on the clipboard (as a spreadsheet does) and press Ctrl+V on ``view``."""
    QGuiApplication.clipboard().setText(text)
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def choose(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Open a drop-down with the mouse and click the entry ``text``."""
    click(qtbot, combo)
    popup = combo.view()
    qtbot.waitUntil(lambda: shown(popup), timeout=WAIT_MS)
    # A drop-down ignores a release that comes sooner than a double click after it opened.
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    click_row(qtbot, popup, text, combo.modelColumn())
    qtbot.waitUntil(lambda: not shown(popup), timeout=WAIT_MS)


def menu(qtbot: QtBot, window: MainWindow, title: str, entry: str) -> None:
    """Click a menu in the menu bar, then one of its entries."""
    bar: QMenuBar = window.menuBar()
    action = next(a for a in bar.actions() if _plain(a.text()) == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(action).center())
    popup: QMenu = action.menu()
    qtbot.waitUntil(lambda: popup.isVisible(), timeout=WAIT_MS)
    item = next((a for a in popup.actions() if _plain(a.text()).startswith(entry)), None)
    assert item is not None, f"no '{entry}' in the {title} menu"
    assert item.isEnabled(), f"{title} > {entry} is disabled"
    qtbot.mouseClick(popup, Qt.MouseButton.LeftButton,
                     pos=popup.actionGeometry(item).center())


def when_dialog(answer: Callable[[QWidget], None], *,
                title: str | None = None) -> list[str]:
    """Answer the next modal dialog (optionally the one titled ``title``) with ``answer``.

    Schedules a check every 20 ms, so it also answers dialogs run with ``exec()``, which block
    the caller until answered. Returns a list that gets the dialog's title and text once it
    is answered.
    """
    answered: list[str] = []
    timer = QTimer()
    timer.setInterval(20)
    already = QApplication.activeModalWidget()  # the dialog asking is not the one to answer

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog is already or not dialog.isVisible():
            return
        if title is not None and dialog.windowTitle() != title:
            return
        timer.stop()
        answered.append(f"{dialog.windowTitle()}: {dialog_text(dialog)}")
        # A person reads the dialog first; it finishes laying itself out (a file dialog lists
        # its folder) in the meantime.
        QTimer.singleShot(READ_MS, lambda: respond(dialog))

    def respond(dialog: QWidget) -> None:
        if not shiboken6.isValid(dialog) or not dialog.isVisible():
            return  # answered already (closed by whoever asked, or by the person)
        try:
            answer(dialog)
        except Exception as exc:  # a dialog left open would block the test for good
            answered.append(f"could not answer: {exc!r}")
            if isinstance(dialog, QDialog):
                dialog.reject()
            raise

    timer.timeout.connect(look)
    timer.start()
    _timers.append(timer)
    return answered


#: Keeps the dialog watchers alive until they have answered.
_timers: list[QTimer] = []


def stop_watching() -> None:
    """Forget the dialogs still awaited (at the end of a test: none may answer the next)."""
    for timer in _timers:
        timer.stop()
    _timers.clear()


def dialog_text(dialog: QWidget) -> str:
    return " ".join(label.text() for label in dialog.findChildren(QLabel) if label.isVisible())


def type_and_ok(text: str, ok: str = "OK") -> Callable[[QWidget], None]:
    """An answer: type ``text`` in the dialog's text field, then click ``ok``."""

    def answer(dialog: QWidget) -> None:
        edit = next(e for e in dialog.findChildren(QWidget)
                    if isinstance(e, QLineEdit | QPlainTextEdit) and e.isVisible())
        QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(edit, text)
        QTest.mouseClick(button(dialog, ok), Qt.MouseButton.LeftButton)

    return answer


def press_button(caption: str) -> Callable[[QWidget], None]:
    """An answer: click the dialog's button ``caption``."""

    def answer(dialog: QWidget) -> None:
        QTest.mouseClick(button(dialog, caption), Qt.MouseButton.LeftButton)

    return answer


def messages() -> list[str]:
    """The text of every message box on screen."""
    return [box.text() for box in QApplication.topLevelWidgets()
            if isinstance(box, QMessageBox) and box.isVisible()]


def hover_at(qtbot: QtBot, widget: QWidget, spot: QPoint) -> str:
    """The tooltip a person sees resting the mouse at ``spot`` on ``widget``."""
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, spot,
                                              widget.mapToGlobal(spot)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    return QToolTip.text()


def hover(qtbot: QtBot, table: QAbstractItemView, row: int, column: int) -> str:
    """The tooltip a person sees resting the mouse on a cell."""
    spot = table.visualRect(table.model().index(row, column)).center()
    return hover_at(qtbot, table.viewport(), spot)
