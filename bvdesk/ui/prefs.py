"""The person's own preferences (user name, recent files) and window state, kept apart.

Preferences belong to the person at the desk, not the landlord, so they live in an ini file in
the user's config folder (``paths.config_dir``), never in the database. Window geometry goes in a
separate file so that clearing it never touches a preference.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from bvdesk.paths import config_dir

RECENT_MAX = 8
SETTINGS_VERSION = 1


def _settings(name: str) -> QSettings:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / name), QSettings.Format.IniFormat)


def _login_name() -> str:
    from bvdesk.operations.opening import default_user

    return default_user()


class Preferences:
    """Typed access to the preferences file; each key is declared once here."""

    def __init__(self) -> None:
        self._store = _settings("preferences.ini")
        if self._store.value("settings_version") is None:
            self._store.setValue("settings_version", SETTINGS_VERSION)

    @property
    def user_name(self) -> str:
        return self.chosen_user_name or _login_name()

    @user_name.setter
    def user_name(self, name: str) -> None:
        self._store.setValue("user_name", name.strip())

    @property
    def chosen_user_name(self) -> str:
        """The name the person chose, or "" for none: opening a database then records the
        login name, found on the worker, so start-up does not load the database layer for it."""
        value = self._store.value("user_name", "")
        return str(value) if value else ""

    def recent_files(self) -> list[Path]:
        raw = self._store.value("recent_files", [])
        items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        return [Path(p) for p in items if p]

    def add_recent(self, path: Path) -> None:
        path = Path(path).resolve()
        recent = [p for p in self.recent_files() if p != path]
        self._store.setValue("recent_files", [str(p) for p in [path, *recent][:RECENT_MAX]])

    def recent_servers(self) -> list[str]:
        """Team servers' databases opened lately: addresses without any password."""
        raw = self._store.value("recent_servers", [])
        items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        return [str(u) for u in items if u]

    def add_recent_server(self, address: str) -> None:
        """Remember a server database's address (``Database.url``, which never holds a
        password)."""
        recent = [u for u in self.recent_servers() if u != address]
        self._store.setValue("recent_servers", [address, *recent][:RECENT_MAX])

    def sync(self) -> None:
        self._store.sync()


class WindowState:
    """Window and splitter geometry, remembered between runs."""

    def __init__(self) -> None:
        self._store = _settings("window-state.ini")

    def save(self, key: str, state: QByteArray) -> None:
        self._store.setValue(key, state)

    def load(self, key: str) -> QByteArray | None:
        value = self._store.value(key)
        return value if isinstance(value, QByteArray) else None
