"""Helpers for the command-line tests: running a command in-process, and a tiny disk of their
own."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bvdesk.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``bvdesk ARGV...`` in this process: its exit status, standard output and error."""
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _mount_tiny_disk(folder: Path, size: str) -> list[str]:
    """The command prefix that runs a program with ``folder`` on a tiny tmpfs of its own, in a
    private mount namespace (so nothing outside the test sees it); skips where not allowed."""
    for prefix in (["unshare", "--mount", "--propagation", "private"],
                   ["unshare", "--user", "--map-root-user", "--mount"]):
        if shutil.which(prefix[0]) is None:
            continue
        probe = subprocess.run([*prefix, "sh", "-c",
                                f"mount -t tmpfs -o size={size} tmpfs '{folder}'"],
                               capture_output=True, timeout=30)
        if probe.returncode == 0:
            return prefix
    pytest.skip("cannot mount a small file system here (needs unshare and mount rights)")


def on_full_disk(folder: Path, script: str, size: str = "96k") -> subprocess.CompletedProcess[str]:
    """Run ``script`` (shell) with ``folder`` on a tmpfs of ``size``."""
    folder.mkdir(exist_ok=True)
    prefix = _mount_tiny_disk(folder, size)
    return subprocess.run([*prefix, "sh", "-c",
                           f"mount -t tmpfs -o size={size} tmpfs '{folder}' && {script}"],
                          capture_output=True, text=True, timeout=300)
