"""Every command that takes -o writes through the one atomic writer: it never writes over the
open database, its companions, another database, or a device; and it keeps what it replaces."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

import pytest
from cli_helpers import on_full_disk
from openpyxl import load_workbook

from bvdesk.cli import main

#: Files on disk are what these tests are about (a server has none).
pytestmark = pytest.mark.sqlite_only

#: Every command with -o, as run against review 1 of the demo (signed off first, so that the
#: submission has something to write).
OUTPUT_COMMANDS = [
    ["report", "1"],
    ["export", "1"],
    ["review", "export", "1"],
    ["review", "submission", "1"],
    ["template", "indicators"],
    ["template", "appraisal"],
    ["template", "appraisal", "--review", "1"],
    ["backup"],
]


def _targets(db: Path) -> dict[str, Path]:
    folder = db.parent
    other = folder / "other.bvdesk"
    shutil.copyfile(db, other)
    link = folder / "link-to-db.xlsx"
    link.symlink_to(db)
    hard = folder / "hard-link.pdf"
    os.link(db, hard)
    backups = folder / f"{db.stem}-backups"
    backups.mkdir(exist_ok=True)
    return {"the open database": db, "its lock": db.with_name(db.name + ".lock"),
            "its write-ahead log": db.with_name(db.name + "-wal"),
            "its backup folder": backups / "report.pdf",
            "another bvdesk file": other, "a symbolic link to it": link,
            "a hard link to it": hard, "a device": Path("/dev/full")}


def _signed_off(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(["--db", str(db), "review", "signoff", "1", "--by", "Chair",
                     "--override-reason", "a test of outputs"])
    except SystemExit:  # a version without the readiness check has no --override-reason
        code = main(["--db", str(db), "review", "signoff", "1", "--by", "Chair"])
    assert code == 0, capsys.readouterr()
    capsys.readouterr()


def test_no_output_can_replace_the_database_its_files_another_database_or_a_device(
        demo_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _signed_off(demo_db_path, capsys)
    targets = _targets(demo_db_path)
    before = {name: (path.read_bytes() if path.is_file() else None)
              for name, path in targets.items() if name != "a device"}
    for command in OUTPUT_COMMANDS:
        for name, target in targets.items():
            code = main(["--db", str(demo_db_path), *command, "-o", str(target)])
            err = capsys.readouterr().err
            assert code == 2, f"{command} -o {name}: exit {code}, {err}"
            assert "Traceback" not in err and "nothing was written" in err.lower() or \
                "folder" in err, f"{command} -o {name}: {err}"
    after = {name: (path.read_bytes() if path.is_file() else None)
             for name, path in targets.items() if name != "a device"}
    assert after == before
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert main(["--db", str(demo_db_path), "check"]) == 0, capsys.readouterr()


def test_an_output_keeps_the_permissions_of_the_file_it_replaces(
        demo_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kept = tmp_path / "board.pdf"
    kept.write_bytes(b"an older report")
    kept.chmod(0o640)
    fresh = tmp_path / "new" / "figures.xlsx"
    old_mask = os.umask(0o027)
    try:
        assert main(["--db", str(demo_db_path), "report", "1", "-o", str(kept)]) == 0
        assert main(["--db", str(demo_db_path), "export", "1", "-o", str(fresh)]) == 0
    finally:
        os.umask(old_mask)
    assert kept.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640  # 0o666 less the umask, as any save
    assert sorted(p.name for p in tmp_path.rglob(".*")) == []


def test_a_link_to_a_document_is_followed_and_kept(
        demo_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / "shared" / "template.xlsx"
    document.parent.mkdir()
    document.write_bytes(b"old")
    link = tmp_path / "template-link.xlsx"
    link.symlink_to(document)
    assert main(["--db", str(demo_db_path), "template", "indicators", "-o", str(link)]) == 0
    assert link.is_symlink()
    assert load_workbook(document).sheetnames[0] == "Instructions"


@pytest.mark.parametrize("command", [["template", "indicators"], ["template", "appraisal"]])
def test_a_template_on_a_full_disk_leaves_the_earlier_file_and_no_broken_one(
        tmp_path: Path, command: list[str]) -> None:
    disk = tmp_path / "disk"
    script = (f"printf 'earlier' > '{disk}/t.xlsx' && "
              f"head -c 60000 /dev/zero > '{disk}/filler' ; "
              f"'{sys.executable}' -m bvdesk {' '.join(command)} -o '{disk}/t.xlsx' "
              f"--db '{tmp_path}/none.bvdesk'; echo exit=$?; cat '{disk}/t.xlsx'; echo; "
              f"ls -A '{disk}'")
    result = on_full_disk(disk, script, size="64k")
    assert "Traceback" not in result.stderr, result.stderr
    assert "The disk is full" in result.stderr, result.stderr
    assert result.stdout.split() == ["exit=2", "earlier", "filler", "t.xlsx"]
