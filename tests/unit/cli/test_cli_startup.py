"""The command line starts fast: help and --version load none of the heavy libraries.

Each command imports what it needs when it runs, so that a batch script calling bvdesk many
times, and every call of the Windows bundle, does not pay for reportlab, openpyxl, SQLAlchemy
and Alembic on every start.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

_PROBE = """
import contextlib, json, sys
from bvdesk.cli import main
with contextlib.suppress(SystemExit):
    main(sys.argv[1:])
heavy = ("sqlalchemy", "alembic", "openpyxl", "reportlab", "python_calamine", "PySide6", "xlrd")
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(heavy))))
"""


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["import", "indicators", "--help"],
                                  ["review", "list", "--help"]])
def test_help_and_version_load_no_heavy_library(args: list[str]) -> None:
    result = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True,
                            text=True, timeout=60, check=True)
    assert json.loads(result.stdout.splitlines()[-1]) == []
