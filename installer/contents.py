"""What goes into the PyInstaller bundle: data files, hidden imports and left-out modules.

Imported by ``bvdesk.spec`` (PyInstaller puts the spec's folder on ``sys.path`` for us) and by
the installer tests, so the list the tests check is the list the build uses.
"""

from __future__ import annotations

import pkgutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Folders the app reads from disk at run time (source folder, place in the bundle), bundled
#: where the installed package has them so ``bvdesk.paths.resource`` and
#: ``bvdesk.store.db.MIGRATIONS`` find them unchanged: the indicator catalogue, fonts, icons and
#: templates of the top-level resources/ (the ``bvdesk.resources`` package), and the Alembic
#: scripts (loaded by file path, so they ship as source).
DATA_DIRS = (("resources", "bvdesk/resources"),
             ("bvdesk/store/migrations", "bvdesk/store/migrations"))

#: Qt modules bvdesk uses, and those they link against. Every other PySide6 module is left out.
QT_KEEP = frozenset({
    "QtCore", "QtGui", "QtWidgets",            # the app
    "QtCharts", "QtPdf", "QtPdfWidgets",       # charts and the report preview
    "QtSvg", "QtSvgWidgets", "QtPrintSupport",  # icons, printing
    "QtNetwork", "QtDBus", "QtOpenGL", "QtOpenGLWidgets",  # linked by the modules above
})

#: Qt files that other Qt files drag in but bvdesk never uses (the virtual keyboard plugin alone
#: pulls in Qml and Quick; EGLFS is for devices without a window system; the app is in English,
#: so Qt's own translations of its standard dialogs would only mix languages).
QT_UNWANTED_FILES = ("Qt6Qml", "Qt6Quick", "Qt6VirtualKeyboard", "qtvirtualkeyboard",
                     "Qt6WebEngine", "Qt63D", "Qt6EglFS", "Qt6EglFs", "qeglfs",
                     "egldeviceintegrations", "Qt/translations/")

#: Development-only packages that must never be frozen into the app.
DEV_ONLY = ("tkinter", "pytest", "_pytest", "pytestqt", "hypothesis", "IPython", "ruff")


def data_files() -> list[tuple[str, str]]:
    """(source file, destination folder) pairs for every bundled data file, caches left out."""
    pairs = []
    for folder, bundled_as in DATA_DIRS:
        source = ROOT / folder
        for path in sorted(source.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                destination = (Path(bundled_as) / path.parent.relative_to(source)).as_posix()
                pairs.append((str(path), destination))
    return pairs


def excluded_qt_modules() -> list[str]:
    """``PySide6.<name>`` for every PySide6 module outside ``QT_KEEP``, as installed here."""
    import PySide6

    return sorted(f"PySide6.{info.name}" for info in pkgutil.iter_modules(PySide6.__path__)
                  if info.name.startswith("Qt") and info.name not in QT_KEEP)


def excludes() -> list[str]:
    return excluded_qt_modules() + list(DEV_ONLY)


def wanted_file(destination: str) -> bool:
    """Whether a file PyInstaller collected (by its place in the bundle) should ship."""
    destination = destination.replace("\\", "/")
    return not any(part in destination for part in QT_UNWANTED_FILES)
