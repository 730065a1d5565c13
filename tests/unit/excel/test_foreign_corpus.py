"""Every spreadsheet of the foreign corpus through both importers: read or refused, never more.

The corpus (``../shared/corpus`` beside the repository: 1,334 files from the test suites of
other spreadsheet projects, listed in its ``SOURCES.md``) holds damaged, fuzzed and oddly written
workbooks. Each file goes through the indicator and the appraisal importer in its own forked
child (``tests/corpus/foreign_worker.py``) under an address-space limit and an alarm. A file may
be read (its problems reported by cell) or refused with a ``BvdeskError``; anything else that
escapes, a killed child, a slow or greedy file, or a byte on standard output fails the test.
Run with ``-s`` to see the counts, the slowest file and the peak memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).parents[3]
CORPUS = REPO.parent / "shared" / "corpus"
WORKER = REPO / "tests" / "corpus" / "foreign_worker.py"
SECONDS = 30
PEAK_MB = 400


@pytest.fixture(scope="module")
def files() -> list[Path]:
    if not (CORPUS / "SOURCES.md").is_file():
        pytest.skip(f"the foreign corpus is not at {CORPUS} (CI keeps a copy there)")
    return sorted(path for path in CORPUS.rglob("*")
                  if path.is_file() and path.name != "SOURCES.md")


@pytest.fixture(scope="module")
def results(files: list[Path]) -> dict[tuple[str, str], dict[str, Any]]:
    jobs = [{"path": str(path), "importers": ["indicators", "appraisal"]} for path in files]
    done = subprocess.run([sys.executable, str(WORKER)], input=json.dumps(jobs),
                          capture_output=True, text=True, check=True, timeout=1200)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    counts = Counter((line["importer"], line["outcome"]) for line in lines)
    slowest = max(lines, key=lambda line: line["seconds"])
    greediest = max(lines, key=lambda line: line["peak_mb"])
    print(f"\n{len(files)} files: {dict(counts)}; slowest {slowest['seconds']} s "
          f"({Path(slowest['path']).name}); peak {greediest['peak_mb']} MB "
          f"({Path(greediest['path']).name})")
    return {(str(Path(line["path"]).relative_to(CORPUS)), line["importer"]): line
            for line in lines}


def test_every_file_is_read_or_refused_quickly_quietly_and_in_bounded_memory(
        files: list[Path], results: dict[tuple[str, str], dict[str, Any]]) -> None:
    assert len(results) == 2 * len(files), "a file went unreported"
    failures = []
    for (name, importer), result in sorted(results.items()):
        said = f"{name} ({importer}): {result['outcome']}, {result['seconds']} s, " \
               f"{result['peak_mb']} MB: {result['message'][-1500:]}"
        if result["outcome"] not in ("read", "refused"):
            failures.append(said)
        elif result["seconds"] > SECONDS or result["peak_mb"] >= PEAK_MB:
            failures.append(f"too slow or too large: {said}")
        elif result["stdout"]:
            failures.append(f"printed {result['stdout'][:200]!r}: {said}")
        elif result["outcome"] == "refused" and (Path(name).name not in result["message"]
                                                 or "\n" in result["message"].strip()):
            failures.append(f"a refusal must name the file in one message: {said}")
    assert not failures, "\n".join(failures)


#: Files the issues name, and what a user must get from the indicator importer.
NAMED = [
    ("python-excel+xlrd/tests__samples__corrupted_error.xls", "refused", "is damaged"),
    ("python-excel+xlrd/tests__samples__corrupted_error.xls", "refused", "seen[2] == 4"),
    ("tafia+calamine/tests__OOM_alloc3.xls", "refused", "is damaged"),
    ("jmcnamara+XlsxWriter/xlsxwriter__test__comparison__xlsx_files__comment03.xlsx",
     "refused", "sheet 'Sheet1' declares the range A1:XFD1048576"),
    ("tablib-3.10.0/tests__files__bad__dimensions.xlsx", "refused",
     "sheet 'Sheet1' declares the range A1:AMJ1048576"),
    ("tafia+calamine/tests__issue_174.xlsx", "refused",
     "sheet 'Sheet1' declares the range A1:XFD1048576"),
    ("tafia+calamine/tests__capitalized_wbook_stream.xls", "read", ""),
    ("csvkit-2.2.0/examples__test__utf16__big.csv", "read", ""),
    ("csvkit-2.2.0/examples__test__utf16__little.csv", "read", ""),
    ("tafia+calamine/tests__OOM_alloc2.xls", "read", ""),
    ("python-excel+xlrd/tests__samples__biff4_no_format_no_window2.xls", "read", ""),
]


@pytest.mark.parametrize(("name", "outcome", "words"), NAMED)
def test_files_named_in_the_issues(name: str, outcome: str, words: str,
                                   results: dict[tuple[str, str], dict[str, Any]]) -> None:
    result = results[(name, "indicators")]
    assert result["outcome"] == outcome, result
    assert words in result["message"]


@pytest.mark.parametrize("name", [
    "jmcnamara+XlsxWriter/xlsxwriter__test__comparison__xlsx_files__chartsheet01.xlsx",
    "tafia+calamine/tests__any_sheets.xlsx"])
def test_chart_sheets_reach_the_appraisal_reader(
        name: str, results: dict[tuple[str, str], dict[str, Any]]) -> None:
    """These gave "'Chartsheet' object has no attribute 'iter_rows'"; now the reader reports
    the sheets an appraisal workbook needs."""
    result = results[(name, "appraisal")]
    assert (result["outcome"], result["message"]) == ("read", "5 problems")
