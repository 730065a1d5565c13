"""Operations speak the user's language; the command line adds its own flags to what they say."""

from pathlib import Path

import pytest

from bvdesk.cli import main
from bvdesk.errors import InputRefused
from bvdesk.operations import reviews, signoff
from bvdesk.store.db import Database


@pytest.mark.parametrize("call", [
    lambda db: signoff.sign_off(db, 1, "  "),
    lambda db: signoff.reopen(db, 1, "", "a reason"),
    lambda db: signoff.reopen(db, 1, "Chair", " "),
    lambda db: reviews.create_review(db, "repairs", "A review", ["NOPE-1"]),
])
def test_operations_name_no_command_line_flag_or_command(demo_db_path: Path, call) -> None:
    with Database.open(demo_db_path, write=True, user="tester") as db:
        with pytest.raises(InputRefused) as refused:
            call(db)
    assert "--" not in refused.value.message
    assert "bvdesk " not in refused.value.message


@pytest.mark.parametrize(("argv", "hint"), [
    (["signoff", "1", "--by", " "], "--by"),
    (["review", "reopen", "1", "--by", "Chair", "--reason", " "], "--reason"),
])
def test_the_command_line_adds_its_flag(demo_db_path: Path, capsys, argv, hint) -> None:
    assert main([*argv, "--db", str(demo_db_path)]) != 0
    assert hint in capsys.readouterr().err


def test_a_signed_off_review_says_reopen_it_and_only_the_command_line_says_how(
        demo_db_path: Path, capsys) -> None:
    """The app shows the operation's words (it has a Reopen button); the CLI adds its command."""
    from bvdesk.operations import editing

    with Database.open(demo_db_path, write=True, user="tester") as db:
        signoff.sign_off(db, 1, "Chair", override_reason="Agreed at the board")
        with pytest.raises(InputRefused) as refused:
            editing.update_field(db, "review", 1, "title", "A new title")
    assert refused.value.message == ("Review 1 is signed off and read-only: nothing was changed. "
                                     "Reopen it as a new version first to make changes.")
    assert main(["review", "set", "1", "title", "A new title", "--db", str(demo_db_path)]) == 1
    assert ("Reopen it as a new version first to make changes. 'bvdesk review reopen 1 --by "
            "NAME --reason TEXT' does it.") in capsys.readouterr().err


def test_a_second_new_option_gets_a_name_of_its_own(tmp_db_path: Path) -> None:
    from bvdesk.operations import editing

    with Database.open(tmp_db_path, write=True, user="tester") as db:
        review = reviews.create_review(db, "repairs", "A review", [])
        names = [editing.add_row(db, "option", review)["name"] for _ in range(3)]
        criteria = [editing.add_row(db, "quality_criterion", review)["name"]
                    for _ in range(2)]
    assert names == ["New option", "New option 2", "New option 3"]
    assert criteria == ["New criterion", "New criterion 2"]
