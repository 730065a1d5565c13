"""The layers hold: domain <- store, excel, reports <- operations <- ui, cli; only bvdesk.ui
imports Qt, and the domain imports no DB or file format."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

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


# --- the whole order, read from the source -------------------------------------------------------

#: Each layer and the layers it may import (besides itself). The top-level helper modules
#: (bvdesk.paths, bvdesk.errors, bvdesk.__init__) sit below everything.
_BASE = frozenset({"bvdesk", "bvdesk.paths", "bvdesk.errors"})
_MAY_IMPORT: dict[str, frozenset[str]] = {
    "domain": frozenset(),
    "store": frozenset({"domain"}),
    "excel": frozenset({"domain"}),
    "reports": frozenset({"domain"}),
    "resources": frozenset(),
    "operations": frozenset({"domain", "store", "excel", "reports"}),
    "ui": frozenset({"operations", "domain"}),
    "cli": frozenset({"operations", "domain"}),
}
#: The one place a layer reaches beside itself: ``bvdesk`` with no command starts the desktop app.
_LAUNCHERS = {"bvdesk.cli._app": frozenset({"ui"})}
_ROOT = Path(bvdesk.__file__).resolve().parent


def _layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "bvdesk" or module in _BASE or module == "bvdesk.__main__":
        return None
    return parts[1]


def _imports(path: Path, module: str) -> list[tuple[int, str]]:
    """Every bvdesk module ``path`` imports, at any depth (lazy and type-checking imports too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module.split(".")[:-node.level + (path.name == "__init__.py") or None]
                base = ".".join(package + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.append((node.lineno, base))
    return [(line, name) for line, name in found if name.split(".")[0] == "bvdesk"]


def _layer_violations(root: Path) -> list[str]:
    problems = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root.parent).with_suffix("")
        module = ".".join(relative.parts).removesuffix(".__init__")
        layer = _layer_of(module)
        if layer is None:
            continue
        allowed = _MAY_IMPORT[layer] | {layer} | _LAUNCHERS.get(module, frozenset())
        for line, imported in _imports(path, module):
            target = _layer_of(imported)
            if target is not None and target not in allowed:
                problems.append(f"{relative}.py:{line} ({layer}) imports {imported} ({target})")
    return problems


def test_no_module_imports_a_layer_above_or_beside_it() -> None:
    assert _layer_violations(_ROOT) == []


def test_the_layer_check_finds_an_import_running_up(tmp_path: Path) -> None:
    package = tmp_path / "bvdesk"
    for name in ("domain", "store", "ui"):
        (package / name).mkdir(parents=True)
        (package / name / "__init__.py").write_text("")
    (package / "domain" / "money.py").write_text("def f():\n    from bvdesk.store import db\n")
    (package / "store" / "db.py").write_text("from ..ui import window\n")
    (package / "ui" / "window.py").write_text("from bvdesk.store.db import x\n")
    assert _layer_violations(package) == [
        "bvdesk/domain/money.py:2 (domain) imports bvdesk.store (store)",
        "bvdesk/store/db.py:1 (store) imports bvdesk.ui (ui)",
        "bvdesk/ui/window.py:1 (ui) imports bvdesk.store.db (store)",
    ]
