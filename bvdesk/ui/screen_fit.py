"""Windows that fit on the screen, frame and all (a 1024x768 screen is still common)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def fit_to_screen(window: QWidget) -> None:
    """Shrink ``window`` until it fits its screen's available area, title bar and borders
    included, and move it wholly onto that area. Call it once the window is shown, when its
    frame is known."""
    room = window.screen().availableGeometry()
    frame = window.frameGeometry()
    border_width = frame.width() - window.width()
    border_height = frame.height() - window.height()
    width = min(window.width(), room.width() - border_width)
    height = min(window.height(), room.height() - border_height)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    frame = window.frameGeometry()
    x = max(room.left(), min(frame.left(), room.right() + 1 - frame.width()))
    y = max(room.top(), min(frame.top(), room.bottom() + 1 - frame.height()))
    if (x, y) != (frame.left(), frame.top()):
        window.move(x, y)
