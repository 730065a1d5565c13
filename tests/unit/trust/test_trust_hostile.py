"""The hostile corpus (tests/corpus) through ``bvdesk import indicators``, as a user would run it.

Every file gets a clear refusal (exit 2, one plain sentence, nothing written) or is handled
(imported, or its problems reported by cell, exit 0 or 1): never a crash, a traceback or a hang,
and the peak memory stays bounded. Each run is a forked child with an address-space limit and an
alarm (``hostile_worker.py``); the seconds and megabytes are printed with ``-s``.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytestmark = pytest.mark.slow

WORKER = Path(__file__).with_name("hostile_worker.py")
CORPUS = Path(__file__).parents[2] / "corpus" / "hostile_files.py"
PEAK_MB = 1024
READABLE_CHARS = 20_000
MODES = ("", "--skip-invalid")


def _load_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hostile_files", CORPUS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


hostile_files = _load_corpus()
NAMES = [generate.__name__ for generate in hostile_files.GENERATORS]

@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("corpus")
    return {generate.__name__: generate(folder) for generate in hostile_files.GENERATORS}


@pytest.fixture(scope="module")
def runs(corpus: dict[str, Any], _template_db: Path,
         tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict[str, Any]]:
    """Every file imported plainly and with --skip-invalid (which writes whatever is valid)."""
    jobs = [{"name": f"{name}|{mode}",
             "argv": ["import", "indicators", str(case.path), *([mode] if mode else [])]}
            for name, case in corpus.items() for mode in MODES]
    template = tmp_path_factory.mktemp("hostile-runs") / "template.sqlite"
    template.write_bytes(_template_db.read_bytes())
    done = subprocess.run([sys.executable, str(WORKER), str(template)], input=json.dumps(jobs),
                          capture_output=True, text=True, check=True, timeout=900)
    results = {}
    for line in done.stdout.splitlines():
        result = json.loads(line)
        name, mode = result["name"].split("|")
        results[(name, mode)] = result
        print(f"{name:24} {mode:15} exit {result['exit']:3} {result['seconds']:6.2f} s "
              f"{result['peak_mb']:5} MB")
    return results


def _values(database: str) -> tuple[int, list[float]]:
    with closing(sqlite3.connect(database)) as connection:
        runs = connection.execute("SELECT count(*) FROM import_run").fetchone()[0]
        values = [row[0] for row in connection.execute("SELECT value FROM indicator_value")]
    return runs, values


@pytest.mark.parametrize("mode", MODES, ids=["plain", "skip-invalid"])
@pytest.mark.parametrize("name", NAMES)
def test_hostile_file_is_refused_or_handled(name: str, mode: str, corpus: dict[str, Any],
                                           runs: dict[tuple[str, str], dict[str, Any]]) -> None:
    case = corpus[name]
    result = runs[(name, mode)]
    said = result["stdout"] + result["stderr"]
    assert result["exit"] in (0, 1, 2), f"killed or crashed: {result}"
    assert "Traceback" not in said
    assert len(said) < READABLE_CHARS, "the message must stay readable"
    assert result["peak_mb"] < PEAK_MB
    runs_written, values = _values(result["database"])
    if case.expect == "refused":
        assert result["exit"] == 2
        assert result["stderr"].startswith(f"bvdesk: {case.path.name}")
        assert result["stderr"].count("\n") == 1
        for word in case.words:
            assert word in result["stderr"].lower()
        assert (runs_written, values) == (0, [])
    else:
        assert result["exit"] in (0, 1)
        assert result["stdout"].strip()
        if result["exit"] == 1 or not mode and "error:" in result["stdout"]:
            assert (runs_written, values) == (0, [])
        assert all(math.isfinite(v) for v in values)


def test_the_corpus_covers_the_issue(corpus: dict[str, Any]) -> None:
    labels = " / ".join(case.name for case in corpus.values())
    for needed in ("corrupt zip", "text renamed .xlsx", "password-protected",
                   "decompression bomb", "billion laughs", "external-entity",
                   "million-row", "huge strings", "NaN and infinities", "dates before 1900",
                   "negative percentages", "mixed types"):
        assert needed in labels
