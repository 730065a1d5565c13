"""Build bvdesk for people without Python: the one-folder bundle, the Linux tarball, the installer.

    python installer/build.py TARGET [TARGET ...]

Targets (run in the order given):
    icons         redraw resources/icons/bvdesk.png and .ico from bvdesk.svg
    bundle        PyInstaller one-folder build for this system -> dist/bvdesk/
    linux-bundle  bundle plus .desktop file and icon -> dist/bvdesk-VERSION-linux-x86_64.tar.gz
    nsis          Windows installer -> dist/bvdesk-VERSION-windows-x64-installer.exe; on Windows it
                  wraps dist/bvdesk/ (build it first), elsewhere a placeholder payload, which checks
                  the script but is not an installer to ship (its name ends -placeholder.exe)
    all           bundle and nsis on Windows; linux-bundle and nsis elsewhere

Needs the ``installer`` extra (PyInstaller) and, for nsis, makensis (NSIS 3) on the PATH.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
BUNDLE = DIST / "bvdesk"
ICON_DIR = ROOT / "resources" / "icons"
WINDOWS = sys.platform == "win32"
#: Files at the top of the Windows bundle (PyInstaller puts everything else in _internal).
WINDOWS_PROGRAMS = ("bvdesk.exe", "bvdesk-cli.exe")


def version() -> str:
    """The package version, read from the source without importing bvdesk."""
    text = (ROOT / "bvdesk" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if not match:
        raise SystemExit("bvdesk/__init__.py has no __version__")
    return match.group(1)


def numeric_version(text: str) -> str:
    """Four numbers for Windows version resources: '1.2' -> '1.2.0.0', '1.2.0rc1' -> '1.2.0.0'."""
    release = re.match(r"\d+(?:\.\d+)*", text)
    parts = release.group(0).split(".") if release else []
    return ".".join((parts + ["0"] * 4)[:4])


def run(command: list[str]) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True)


def icons() -> None:
    run([sys.executable, str(HERE / "make_icons.py")])


def bundle() -> None:
    run([sys.executable, "-m", "PyInstaller", str(HERE / "bvdesk.spec"), "--noconfirm",
         "--log-level", "WARN", "--distpath", str(DIST), "--workpath", str(WORK)])


def linux_bundle() -> Path:
    """The tarball: bvdesk/ with the program, a .desktop file, the icon and their installer."""
    bundle()
    shutil.copy2(HERE / "linux" / "bvdesk.desktop", BUNDLE / "bvdesk.desktop")
    shutil.copy2(HERE / "linux" / "install-desktop-entry.sh", BUNDLE / "install-desktop-entry.sh")
    shutil.copy2(ICON_DIR / "bvdesk.png", BUNDLE / "bvdesk.png")
    machine = platform.machine().lower() or "unknown"
    tarball = DIST / f"bvdesk-{version()}-linux-{machine}.tar.gz"
    with tarfile.open(tarball, "w:gz", compresslevel=1) as tar:
        tar.add(BUNDLE, arcname="bvdesk")
    print(f"wrote {tarball} ({tarball.stat().st_size / 1e6:.0f} MB)")
    return tarball


def placeholder_payload(folder: Path) -> Path:
    """A stand-in for the Windows bundle, shaped like it, so the script compiles off Windows."""
    internal = folder / "_internal"
    internal.mkdir(parents=True)
    note = "Placeholder: build the real bundle on Windows (installer/README.md).\n"
    for name in WINDOWS_PROGRAMS:
        (folder / name).write_text(note, encoding="utf-8")
    (internal / "README.txt").write_text(note, encoding="utf-8")
    return folder


def compile_installer(payload: Path, outfile: Path) -> Path:
    """Run makensis on bvdesk.nsi around the bundle folder ``payload``."""
    makensis = shutil.which("makensis")
    if makensis is None:
        raise SystemExit("makensis not found: install NSIS 3 (Debian: apt-get install nsis; "
                         "Windows: https://nsis.sourceforge.io)")
    run([makensis, "-V2", "-WX", f"-DVERSION={version()}",
         f"-DVERSION_NUMERIC={numeric_version(version())}", f"-DBUNDLE_DIR={payload}",
         f"-DICON={ICON_DIR / 'bvdesk.ico'}", f"-DOUTFILE={outfile}", str(HERE / "bvdesk.nsi")])
    return outfile


def nsis() -> Path:
    DIST.mkdir(exist_ok=True)
    name = f"bvdesk-{version()}-windows-x64-installer"
    if WINDOWS:
        if not (BUNDLE / WINDOWS_PROGRAMS[0]).exists():
            raise SystemExit(f"{BUNDLE} has no {WINDOWS_PROGRAMS[0]}: run the bundle target first")
        outfile = compile_installer(BUNDLE, DIST / f"{name}.exe")
    else:
        with tempfile.TemporaryDirectory() as scratch:
            payload = placeholder_payload(Path(scratch) / "bvdesk")
            outfile = compile_installer(payload, DIST / f"{name}-placeholder.exe")
    print(f"wrote {outfile} ({outfile.stat().st_size / 1e6:.1f} MB)")
    return outfile


def everything() -> None:
    if WINDOWS:
        bundle()
    else:
        linux_bundle()
    nsis()


TARGETS: dict[str, Callable[[], object]] = {
    "icons": icons, "bundle": bundle, "linux-bundle": linux_bundle, "nsis": nsis,
    "all": everything,
}


def main(argv: list[str]) -> int:
    if not argv or any(target not in TARGETS for target in argv):
        print(__doc__, file=sys.stderr)
        return 2
    os.chdir(ROOT)
    for target in argv:
        started = time.perf_counter()
        TARGETS[target]()
        print(f"{target}: {time.perf_counter() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
