"""bvdesk review link: the Scope stage's indicators from the command line.

A new user who started a review without --indicators was told by 'bvdesk check --review' to
"Link the performance indicators the review will use", and no command could."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bvdesk.cli import main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_link_and_unlink_indicators_then_the_check_no_longer_asks(
        capsys: pytest.CaptureFixture[str], tmp_db_path: Path) -> None:
    db = str(tmp_db_path)
    assert _run(capsys, "--db", db, "review", "new", "--service", "voids", "--title",
                "Lettings")[0] == 0
    _code, before, _err = _run(capsys, "--db", db, "check", "--review", "1")
    assert "Link the performance indicators the review will use." in before

    code, out, err = _run(capsys, "--db", db, "review", "link", "1", "bv212, VOIDLOSS,NOPE")
    assert code == 1 and "Unknown indicator code: NOPE. Nothing was changed." in err
    code, out, err = _run(capsys, "--db", db, "review", "link", "1", "bv212, VOIDLOSS")
    assert (code, out) == (0, "Review 1: linked BV212, VOIDLOSS.\n"), err
    code, out, _err = _run(capsys, "--db", db, "review", "link", "1", "SUST,BV212")
    assert out == "Review 1: linked SUST (BV212 already linked).\n"
    code, out, _err = _run(capsys, "--db", db, "--json", "review", "link", "1", "SUST",
                           "--unlink")
    assert json.loads(out) == {"review": 1, "unlinked": ["SUST"],
                               "indicators": ["BV212", "VOIDLOSS"]}
    _code, after, _err = _run(capsys, "--db", db, "check", "--review", "1")
    assert "Link the performance indicators" not in after

    code, _out, err = _run(capsys, "--db", db, "review", "link", "7", "BV212")
    assert code == 1 and "There is no review 7" in err
