"""The ``bvdesk`` command line: every batch task a user can do, and the desktop app's launcher.

Each module in this package (not starting with ``_``) adds its commands through
``register(commands)``; see ``bvdesk.cli._framework``.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Sequence

from bvdesk.cli._framework import Commands, run


def command_modules() -> list[str]:
    """The command modules, ``core`` first so that help lists the everyday commands first."""
    names = sorted(info.name for info in pkgutil.iter_modules(__path__)
                   if not info.name.startswith("_"))
    return [f"{__name__}.{name}" for name in sorted(names, key=lambda n: n != "core")]


def main(argv: Sequence[str] | None = None) -> int:
    commands = Commands()
    for name in command_modules():
        importlib.import_module(name).register(commands)
    return run(commands, list(sys.argv[1:] if argv is None else argv))
