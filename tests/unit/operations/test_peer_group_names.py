"""Members named for a peer group that are not found are all reported at once, each with the
nearest organisations the database knows, and nothing is saved."""

from __future__ import annotations

from pathlib import Path

import pytest

from bvdesk.cli import main
from bvdesk.errors import InputRefused
from bvdesk.operations.peer_groups import (
    create_peer_group,
    edit_peer_group,
    list_peer_groups,
)
from bvdesk.store.db import Database

TYPED = ["Ashdwn Homes", "Northvale Homes", "Brakenfield Housing Trust", "Qwerty Zzz"]


def test_every_unknown_member_is_named_with_the_nearest_organisations(
        demo_db_path: Path | str) -> None:
    with Database.open(demo_db_path) as db:
        with pytest.raises(InputRefused) as refused:
            create_peer_group(db, "Typed in haste", members=TYPED)
        assert refused.value.message == (
            "There is no organisation called 'Ashdwn Homes', 'Brakenfield Housing Trust' or "
            "'Qwerty Zzz':\n"
            "- 'Ashdwn Homes': did you mean Ashdown Homes (L001)?\n"
            "- 'Brakenfield Housing Trust': did you mean Brackenfield Housing Trust (L002)?\n"
            "- 'Qwerty Zzz': no organisation has a name like it.")
        assert "Typed in haste" not in [g.name for g in list_peer_groups(db)]


def test_one_unknown_member_and_an_edit(demo_db_path: Path | str) -> None:
    with Database.open(demo_db_path) as db:
        create_peer_group(db, "Pair", members=["L001", "L002"])
        with pytest.raises(InputRefused) as refused:
            edit_peer_group(db, "Pair", members=["Ashdown Homes", "Glenmor Homes"])
        assert refused.value.message == ("There is no organisation called 'Glenmor Homes'. "
                                         "Did you mean Glenmore Homes (L007)?")
        with pytest.raises(InputRefused, match="called 'Zzz', nor one with a name like it"):
            edit_peer_group(db, "Pair", members=["Zzz"])
        assert [g.members for g in list_peer_groups(db) if g.name == "Pair"] == [
            ("Ashdown Homes", "Brackenfield Housing Trust")]


def test_the_command_line_says_the_same(demo_db_path: Path | str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["peers", "create", "Typed in haste", "--members", ";".join(TYPED),
                   "--db", str(demo_db_path)])
    said = capsys.readouterr()
    assert status == 1 and said.out == ""
    assert "- 'Ashdwn Homes': did you mean Ashdown Homes (L001)?" in said.err
    assert "- 'Qwerty Zzz': no organisation has a name like it." in said.err


def test_a_rule_nobody_matches_is_refused_in_words(tmp_db_path: Path | str) -> None:
    """The kinds of landlord and stock bands are said as the screens say them, not as stored."""
    with Database.open(tmp_db_path) as db:
        with pytest.raises(InputRefused) as refused:
            create_peer_group(db, "Arm's length", rule={"org_type": ["almo"]})
        assert refused.value.message == (
            "No organisation has the kind of landlord 'ALMO'. The organisations have: "
            "Housing association.")
        with pytest.raises(InputRefused) as refused:
            create_peer_group(db, "Big ones", rule={"stock_band": ["10000_plus"]})
        assert refused.value.message.startswith(
            "No organisation has the stock band '10,000+'. The organisations have: ")
        assert "_" not in refused.value.message
