"""The layers hold: only bvdesk.ui imports Qt, and the domain imports no DB or file format."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import bvdesk

_PROBE = """
import importlib, json, pkgutil, sys
import bvdesk
SKIP = ("bvdesk.ui", "bvdesk.__main__", "bvdesk.store.migrations")

def walk(path, prefix):
    # pkgutil.walk_packages would import bvdesk.ui's subpackages to look inside them.
    for info in pkgutil.iter_modules(path, prefix):
        if info.name.startswith(SKIP):
            continue
        yield info.name
        if info.ispkg:
            yield from walk(importlib.import_module(info.name).__path__, info.name + ".")

names = list(walk(bvdesk.__path__, "bvdesk."))
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names, "loaded": sorted(sys.modules)}))
"""


def _import_all_but_ui() -> dict[str, list[str]]:
    result = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                            check=True, timeout=120)
    return json.loads(result.stdout)


def test_no_module_outside_ui_imports_pyside6() -> None:
    probe = _import_all_but_ui()
    assert len(probe["modules"]) > 20
    qt = [m for m in probe["loaded"] if m.split(".")[0] in ("PySide6", "shiboken6")]
    assert qt == []


def test_domain_imports_no_database_file_format_or_qt() -> None:
    code = ("import importlib, json, pkgutil, sys\nimport bvdesk.domain as d\n"
            "[importlib.import_module(m.name) for m in pkgutil.walk_packages(d.__path__, "
            "'bvdesk.domain.')]\nprint(json.dumps(sorted(sys.modules)))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                       text=True, check=True, timeout=60).stdout)
    banned = {"sqlalchemy", "openpyxl", "reportlab", "PySide6", "python_calamine", "xlrd"}
    assert banned.isdisjoint(m.split(".")[0] for m in loaded)


def test_every_package_is_walked() -> None:
    packages = {m.name for m in pkgutil.iter_modules(bvdesk.__path__) if m.ispkg}
    assert {"domain", "store", "operations", "excel", "reports", "ui", "cli"} <= packages
