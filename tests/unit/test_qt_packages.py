"""README and ./dev name the same Debian packages for Qt, enough to open a window."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _dev_packages() -> list[str]:
    found = re.search(r'^qt_packages="([^"]+)"', (ROOT / "dev").read_text(), re.MULTILINE)
    assert found
    return found.group(1).split()


def test_dev_names_what_the_xcb_platform_needs() -> None:
    packages = _dev_packages()
    # The xcb platform plugin's own libraries: without libxcb-cursor0 Qt cannot open a window.
    for needed in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0",
                   "libxkbcommon-x11-0", "libgl1", "libegl1", "fonts-dejavu-core"):
        assert needed in packages


def test_readme_lists_the_same_packages_as_dev() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"`{' '.join(_dev_packages())}`" in readme
