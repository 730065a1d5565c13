"""The installer build: what the bundle ships, the NSIS script, the Linux desktop entry."""

from __future__ import annotations

import configparser
import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

import bvdesk

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
MAKENSIS = shutil.which("makensis")


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"installer_{name}", INSTALLER / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


contents = _load("contents")
build = _load("build")


# --- what the bundle contains ----------------------------------------------------------------


def test_bundle_ships_catalogue_fonts_icons_and_every_migration() -> None:
    shipped = {Path(source).relative_to(ROOT).as_posix(): target
               for source, target in contents.data_files()}
    migrations = sorted(p.relative_to(ROOT).as_posix()
                        for p in (ROOT / "bvdesk/store/migrations/versions").glob("*.py"))
    expected = {"resources/catalogue/indicators.json": "bvdesk/resources/catalogue",
                "resources/fonts/DejaVuSans.ttf": "bvdesk/resources/fonts",
                "resources/fonts/LICENSE-DejaVu.txt": "bvdesk/resources/fonts",
                "resources/icons/bvdesk.png": "bvdesk/resources/icons",
                "resources/icons/bvdesk.ico": "bvdesk/resources/icons",
                "bvdesk/store/migrations/env.py": "bvdesk/store/migrations",
                "bvdesk/store/migrations/script.py.mako": "bvdesk/store/migrations",
                **{path: "bvdesk/store/migrations/versions" for path in migrations}}
    assert migrations
    for path, folder in expected.items():
        assert path in shipped, f"{path} is not bundled"
        assert shipped[path] == folder


def test_bundle_data_files_exist_and_leave_caches_out() -> None:
    for source, _target in contents.data_files():
        assert Path(source).is_file()
        assert "__pycache__" not in source and not source.endswith(".pyc")


def test_every_qt_module_bvdesk_imports_is_kept_in_the_bundle() -> None:
    used: set[str] = set()
    for path in (ROOT / "bvdesk").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used.update(re.findall(r"PySide6\.(Qt\w+)", text))
        for names in re.findall(r"from PySide6 import \(?([\w, \n]+)\)?", text):
            used.update(n.strip() for n in names.split(",") if n.strip().startswith("Qt"))
    assert {"QtCore", "QtWidgets"} <= used
    missing = used - contents.QT_KEEP
    assert not missing, f"bvdesk imports {sorted(missing)}, which the bundle leaves out"


def test_qml_quick_and_webengine_are_left_out() -> None:
    excluded = set(contents.excludes())
    assert {"PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets"} <= excluded
    assert "PySide6.QtWidgets" not in excluded and "PySide6.QtPdf" not in excluded
    assert {"pytest", "tkinter"} <= excluded
    assert not contents.wanted_file("PySide6/Qt/lib/libQt6Quick.so.6")
    assert not contents.wanted_file("libQt6Qml.so.6")
    assert not contents.wanted_file("PySide6/Qt/plugins/platforminputcontexts/"
                                      "libqtvirtualkeyboardplugin.so")
    assert contents.wanted_file("PySide6/Qt/lib/libQt6Widgets.so.6")
    assert contents.wanted_file("PySide6/Qt/plugins/platforms/libqoffscreen.so")
    assert not contents.wanted_file("PySide6\\Qt\\translations\\qtbase_de.qm")


def test_spec_uses_the_entry_script_and_icon_that_exist() -> None:
    spec = (INSTALLER / "bvdesk.spec").read_text(encoding="utf-8")
    assert '"launch.py"' in spec and (INSTALLER / "launch.py").is_file()
    assert 'collect_submodules("bvdesk")' in spec
    assert (ROOT / "resources/icons/bvdesk.ico").is_file()


def test_icon_has_the_sizes_windows_asks_for() -> None:
    from PIL import Image

    with Image.open(ROOT / "resources/icons/bvdesk.ico") as ico:
        sizes = ico.info["sizes"]
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= sizes
    with Image.open(ROOT / "resources/icons/bvdesk.png") as png:
        assert png.size == (256, 256) and png.mode == "RGBA"


# --- versions ----------------------------------------------------------------------------------


def test_build_takes_the_version_from_the_package() -> None:
    assert build.version() == bvdesk.__version__


@pytest.mark.parametrize(("version", "numeric"), [
    ("0.1.0", "0.1.0.0"), ("1.2", "1.2.0.0"), ("2.0.0rc1", "2.0.0.0"),
    ("1.2.3.4.5", "1.2.3.4"), ("0.3.0.dev2+g1234", "0.3.0.0"),
])
def test_windows_numeric_version(version: str, numeric: str) -> None:
    assert build.numeric_version(version) == numeric


# --- NSIS ----------------------------------------------------------------------------------------


@pytest.mark.skipif(MAKENSIS is None, reason="makensis (NSIS) is not installed")
def test_nsis_script_compiles_into_an_installer_carrying_the_version(tmp_path: Path) -> None:
    payload = build.placeholder_payload(tmp_path / "bundle")
    installer = build.compile_installer(payload, tmp_path / "setup-test.exe")
    data = installer.read_bytes()
    assert data[:2] == b"MZ"
    assert bvdesk.__version__.encode("utf-16-le") in data  # the Windows version resource


@pytest.mark.skipif(MAKENSIS is None, reason="makensis (NSIS) is not installed")
def test_nsis_refuses_to_compile_without_the_build_definitions(tmp_path: Path) -> None:
    result = subprocess.run([str(MAKENSIS), "-V1", str(INSTALLER / "bvdesk.nsi")],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode != 0


def test_uninstaller_deletes_named_files_only() -> None:
    script = (INSTALLER / "bvdesk.nsi").read_text(encoding="utf-8")
    uninstall = script[script.index('Section "Uninstall"'):]
    uninstall = uninstall[:uninstall.index("SectionEnd")]
    commands = [line.strip() for line in uninstall.splitlines()
                if line.strip() and not line.strip().startswith(";")]
    recursive = [c for c in commands if c.startswith("RMDir /r")]
    assert recursive == ['RMDir /r "$INSTDIR\\_internal"']
    assert 'RMDir "$INSTDIR"' in commands  # removed only when nothing else is left in it
    assert not [c for c in commands if c.startswith("Delete") and "*" in c]
    assert "APPDATA" not in uninstall.upper()


# --- Linux desktop entry ----------------------------------------------------------------------


def test_desktop_entry_declares_the_app() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(INSTALLER / "linux" / "bvdesk.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Name"] == "bvdesk"
    assert section["Icon"] == "bvdesk" and section["Terminal"] == "false"
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(INSTALLER / "linux" / "bvdesk.desktop")],
                       check=True)


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_desktop_entry_installs_pointing_at_the_unpacked_bundle(tmp_path: Path) -> None:
    bundle = tmp_path / "opt" / "bvdesk"
    bundle.mkdir(parents=True)
    for name in ("bvdesk.desktop", "install-desktop-entry.sh"):
        shutil.copy2(INSTALLER / "linux" / name, bundle / name)
    shutil.copy2(ROOT / "resources/icons/bvdesk.png", bundle / "bvdesk.png")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share")}
    script = str(bundle / "install-desktop-entry.sh")

    subprocess.run(["sh", script], check=True, env=env, capture_output=True)
    installed = tmp_path / "share" / "applications" / "bvdesk.desktop"
    assert f'Exec="{bundle}/bvdesk"' in installed.read_text(encoding="utf-8").splitlines()
    assert (tmp_path / "share/icons/hicolor/256x256/apps/bvdesk.png").is_file()

    subprocess.run(["sh", script, "--remove"], check=True, env=env, capture_output=True)
    assert not installed.exists()
