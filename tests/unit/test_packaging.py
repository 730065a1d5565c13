"""The wheel carries every package and the top-level resources/ as ``bvdesk/resources``."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _listed_packages() -> set[str]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return set(tomllib.load(file)["tool"]["setuptools"]["packages"])


def test_every_package_in_the_tree_is_listed_in_pyproject() -> None:
    in_tree = {".".join(init.parent.relative_to(ROOT).parts)
               for init in (ROOT / "bvdesk").rglob("__init__.py")}
    assert in_tree | {"bvdesk.resources"} == _listed_packages()


@pytest.mark.slow
def test_wheel_carries_catalogue_fonts_icons_and_migrations(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--disable-pip-version-check", "-w", str(tmp_path),
                    str(ROOT)], check=True, capture_output=True, timeout=300)
    wheel, = tmp_path.glob("bvdesk-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for shipped in ("bvdesk/resources/__init__.py",
                    "bvdesk/resources/catalogue/indicators.json",
                    "bvdesk/resources/catalogue/services.json",
                    "bvdesk/resources/fonts/DejaVuSans.ttf",
                    "bvdesk/resources/fonts/LICENSE-DejaVu.txt",
                    "bvdesk/resources/icons/bvdesk.png",
                    "bvdesk/resources/icons/bvdesk.svg",
                    "bvdesk/resources/schema/review-package.schema.json",
                    "bvdesk/resources/methodology.md",
                    "bvdesk/store/migrations/script.py.mako"):
        assert shipped in names, f"{shipped} is missing from {wheel.name}"
    for package in _listed_packages():
        assert f"{package.replace('.', '/')}/__init__.py" in names
