"""The look of bvdesk: palette, style sheet, bundled fonts and the quartile colours.

Quartiles are always shown with their words as well as their colour (never colour alone), and the
colours were chosen to keep a 4.5:1 contrast against their text.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from bvdesk.paths import resource

INK = "#1d2b36"
MUTED = "#5b6b78"
ACCENT = "#136f63"
ACCENT_DARK = "#0d5249"
SIDEBAR = "#17303f"
SURFACE = "#f3f5f7"
CARD = "#ffffff"
BORDER = "#d5dce2"
DANGER = "#b3261e"
WARNING_BG = "#fff4d6"
OK_BG = "#e3f4ec"

#: Quartile 1 (top) to 4 (bottom): background, text, words.
QUARTILES: dict[int, tuple[str, str, str]] = {
    1: ("#1b7a43", "#ffffff", "Top quartile"),
    2: ("#a9dbb8", "#10331c", "Second quartile"),
    3: ("#ffd98a", "#3d2a00", "Third quartile"),
    4: ("#b3261e", "#ffffff", "Bottom quartile"),
}

#: RAG statuses: background, text.
RAG_COLOURS: dict[str, tuple[str, str]] = {
    "red": ("#b3261e", "#ffffff"),
    "amber": ("#ffd98a", "#3d2a00"),
    "green": ("#1b7a43", "#ffffff"),
    "complete": ("#5b6b78", "#ffffff"),
}

FONT_FAMILY = "DejaVu Sans"

STYLE_SHEET = f"""
QMainWindow, QDialog, QWizard {{ background: {SURFACE}; }}
QWidget {{ color: {INK}; }}
#sidebar {{ background: {SIDEBAR}; border: none; color: #e8eef2; outline: 0;
            padding-top: 8px; }}
#sidebar::item {{ padding: 10px 16px; border-left: 4px solid transparent; color: #e8eef2; }}
#sidebar::item:selected {{ background: #24485c; border-left: 4px solid #5fd0bd;
                           color: #ffffff; }}
#sidebar::item:hover {{ background: #1f4052; }}
#sidebar::item:disabled {{ color: #7d93a1; }}
#sidebar:focus {{ border-right: 3px solid #5fd0bd; }}
#sidebar::item:focus {{ text-decoration: underline; }}
#brand {{ background: {SIDEBAR}; color: #ffffff; font-size: 17pt; font-weight: bold;
          padding: 18px 16px 4px 16px; }}
#brandSub {{ background: {SIDEBAR}; color: #9fb7c4; padding: 0 16px 12px 16px; }}
#pageTitle {{ font-size: 18pt; font-weight: bold; color: {INK}; }}
#pageSubtitle {{ color: {MUTED}; }}
#card {{ background: {CARD}; border: 1px solid {BORDER}; border-radius: 8px; }}
#cardTitle {{ font-size: 11pt; font-weight: bold; color: {INK}; }}
#bigNumber {{ font-size: 22pt; font-weight: bold; color: {ACCENT_DARK}; }}
#muted {{ color: {MUTED}; }}
#missing {{ background: {WARNING_BG}; border: 1px solid #e9c46a; border-radius: 6px;
            padding: 8px; }}
#complete {{ background: {OK_BG}; border: 1px solid #8fd1b0; border-radius: 6px; padding: 8px; }}
#lockedBanner {{ background: #e8eaf6; border: 1px solid #9fa8da; border-radius: 6px;
                 padding: 8px; }}
#fieldError {{ color: {DANGER}; }}
QPushButton {{ background: {CARD}; border: 1px solid {BORDER}; border-radius: 5px;
               padding: 6px 14px; }}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:focus {{ border: 2px solid {ACCENT}; }}
QPushButton:disabled {{ color: #9aa5ae; }}
QPushButton#primary {{ background: {ACCENT}; color: #ffffff; border: 1px solid {ACCENT_DARK};
                       font-weight: bold; }}
QPushButton#primary:hover {{ background: {ACCENT_DARK}; }}
QPushButton#primary:disabled {{ background: #b7cfcb; color: #f4f7f6; border-color: #b7cfcb; }}
QTableView {{ background: {CARD}; border: 1px solid {BORDER}; gridline-color: #e6eaee;
              selection-background-color: #cfe8e3; selection-color: {INK};
              alternate-background-color: #f8fafb; }}
QHeaderView::section {{ background: #e9eef2; border: none; border-right: 1px solid {BORDER};
                        border-bottom: 1px solid {BORDER}; padding: 5px 6px;
                        font-weight: bold; }}
QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QSpinBox, QDoubleSpinBox, QDateEdit {{
    background: {CARD}; border: 1px solid {BORDER}; border-radius: 4px; padding: 4px; }}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QSpinBox:focus,
QDoubleSpinBox:focus, QDateEdit:focus {{ border: 2px solid {ACCENT}; }}
QLineEdit:read-only, QPlainTextEdit[readOnly="true"] {{ background: #f0f2f4; }}
QLineEdit:disabled, QPlainTextEdit:disabled, QComboBox:disabled, QDateEdit:disabled {{
    background: #e4e8eb; color: #8a969f; border-color: #d5dce1; }}
QCheckBox:disabled, QLabel:disabled {{ color: #8a969f; }}
#stageList {{ background: {CARD}; border: 1px solid {BORDER}; border-radius: 8px; outline: 0; }}
#stageList::item {{ padding: 9px 10px; border-bottom: 1px solid #eef1f3; }}
#stageList::item:selected {{ background: #cfe8e3; color: {INK}; }}
#stageList[across="true"]::item {{ padding: 4px 10px; border-bottom: none; }}
QTabWidget::pane {{ border: 1px solid {BORDER}; background: {CARD}; border-radius: 4px; }}
QTabBar::tab {{ padding: 6px 14px; }}
QTabBar::tab:selected {{ background: {CARD}; font-weight: bold; }}
QStatusBar {{ background: #e9eef2; }}
"""


def load_fonts() -> list[str]:
    """Register the bundled fonts so text never renders as boxes; returns the families."""
    families: list[str] = []
    folder = resource("fonts")
    if folder.is_dir():
        for path in sorted(folder.glob("*.ttf")):
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id >= 0:
                families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return sorted(set(families))


def apply(app: QApplication) -> None:
    """Fusion style, a light palette and the bvdesk style sheet."""
    families = load_fonts()
    app.setStyle(QStyleFactory.create("Fusion"))
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(SURFACE))
    palette.setColor(QPalette.ColorRole.Base, QColor(CARD))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#f8fafb"))
    palette.setColor(QPalette.ColorRole.Text, QColor(INK))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(INK))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor(INK))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    app.setPalette(palette)
    if FONT_FAMILY in families:
        font = QFont(FONT_FAMILY)
        font.setPointSizeF(max(app.font().pointSizeF(), 9.5))
        app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)


def quartile_words(quartile: int | None) -> str:
    if quartile is None:
        return "No data"
    return QUARTILES[quartile][2]
