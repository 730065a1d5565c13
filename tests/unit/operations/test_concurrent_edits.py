"""Many writers, nothing lost: a save that lost a race is refused, showing both values."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from engines import is_server, raw_sql

from bvdesk.errors import EditConflict, RecordChanged
from bvdesk.operations import editing
from bvdesk.operations.reviews import create_review
from bvdesk.store.db import Database
from bvdesk.store.models import Review


def test_a_save_based_on_a_stale_value_is_refused_and_theirs_stands(tmp_db_path: Path) -> None:
    with Database.open(tmp_db_path) as db:
        review_id = create_review(db, "repairs", "Repairs review")
        seen = editing.get_row(db, "review", review_id)["title"]
        editing.update_field(db, "review", review_id, "title", "Theirs", seen=seen)
        with pytest.raises(EditConflict,
                           match="Theirs.*Mine.*Nothing of yours was saved") as caught:
            editing.update_field(db, "review", review_id, "title", "Mine", seen=seen)
        assert (caught.value.theirs, caught.value.mine, caught.value.by) == (
            "Theirs", "Mine", db.user)
        assert editing.get_row(db, "review", review_id)["title"] == "Theirs"
        # Keeping mine is a save without the check, recorded like any other.
        editing.update_field(db, "review", review_id, "title", caught.value.mine)
        assert editing.get_row(db, "review", review_id)["title"] == "Mine"


def test_the_same_value_typed_twice_is_no_conflict(tmp_db_path: Path) -> None:
    with Database.open(tmp_db_path) as db:
        review_id = create_review(db, "repairs", "Repairs review")
        editing.update_field(db, "review", review_id, "scope", "Both typed this", seen="")
        editing.update_field(db, "review", review_id, "scope", "Both typed this", seen="")
        assert editing.get_row(db, "review", review_id)["scope"] == "Both typed this"


def test_every_update_moves_the_rows_version_and_the_audit_log_leaves_it_out(
        tmp_db_path: Path) -> None:
    with Database.open(tmp_db_path) as db:
        review_id = create_review(db, "repairs", "Repairs review")
        before = editing.get_row(db, "review", review_id)["row_version"]
        editing.update_field(db, "review", review_id, "title", "Renamed")
        assert editing.get_row(db, "review", review_id)["row_version"] == before + 1
    assert raw_sql(tmp_db_path, "SELECT count(*) FROM audit_log WHERE field = 'row_version'") \
        == [(0,)]


_CLIENT = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from bvdesk.errors import EditConflict, RecordChanged
    from bvdesk.operations import editing
    from bvdesk.store.db import Database

    url, mine, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    with Database.open(url) as db:
        seen = editing.get_row(db, "review", 1)["title"]
        print("ready", flush=True)
        while not go.exists():
            time.sleep(0.005)
        try:
            editing.update_field(db, "review", 1, "title", mine, seen=seen)
            print(json.dumps({"saved": mine}))
        except EditConflict as exc:
            print(json.dumps({"conflict": [exc.theirs, exc.mine]}))
""")


def _at_once(go: Path, clients: list[list[str]]) -> list[dict[str, Any]]:
    """Start each client (a script and its arguments, the starting line's file added), let them
    all go together once every one is ready, and return the JSON each printed last."""
    started = [subprocess.Popen([sys.executable, "-c", script, *args, str(go)],
                                stdout=subprocess.PIPE, text=True) for script, *args in clients]
    for client in started:
        assert client.stdout is not None and client.stdout.readline().strip() == "ready"
    go.touch()
    return [json.loads(client.communicate(timeout=60)[0].splitlines()[-1]) for client in started]


def test_two_clients_saving_the_same_field_one_wins_the_other_is_told(
        tmp_db_path: Path, tmp_path: Path) -> None:
    if not is_server(tmp_db_path):
        pytest.skip("a database file has one writer at a time (the writer lock)")
    with Database.open(tmp_db_path) as db:
        create_review(db, "repairs", "Repairs review")
    results = _at_once(tmp_path / "go", [[_CLIENT, str(tmp_db_path), value]
                                         for value in ("Alice's title", "Bob's title")])
    saved = [r["saved"] for r in results if "saved" in r]
    conflicts = [r["conflict"] for r in results if "conflict" in r]
    assert len(saved) == 1 and len(conflicts) == 1
    winner = saved[0]
    assert conflicts[0][0] == winner and conflicts[0][1] != winner
    assert raw_sql(tmp_db_path, "SELECT title FROM review WHERE id = 1") == [(winner,)]


def test_a_save_landing_between_read_and_write_is_caught_by_the_version(
        tmp_db_path: Path) -> None:
    if not is_server(tmp_db_path):
        pytest.skip("a database file has one writer at a time (the writer lock)")
    with Database.open(tmp_db_path) as db:
        review_id = create_review(db, "repairs", "Repairs review")
    with Database.open(tmp_db_path) as mine, Database.open(tmp_db_path) as colleague:
        with pytest.raises(RecordChanged, match="nothing of yours was saved"):
            with mine.session() as session:
                review = session.get(Review, review_id)
                assert review is not None
                editing.update_field(colleague, "review", review_id, "scope", "Theirs")
                review.title = "Mine"
    assert raw_sql(tmp_db_path, f"SELECT title, scope FROM review WHERE id = {review_id}") == [
        ("Repairs review", "Theirs")]


_SCORE_CLIENT = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from bvdesk.errors import EditConflict
    from bvdesk.operations import editing
    from bvdesk.store.db import Database

    url, criterion, option, mine, go = sys.argv[1:6]
    with Database.open(url) as db:
        print("ready", flush=True)
        while not Path(go).exists():
            time.sleep(0.005)
        try:
            editing.set_score(db, int(criterion), int(option), mine, seen=None)
            print(json.dumps({"saved": float(mine)}))
        except EditConflict as exc:
            print(json.dumps({"conflict": [exc.theirs, exc.mine], "message": exc.message}))
""")


def test_two_clients_scoring_the_same_empty_cell_one_wins_the_other_is_told(
        tmp_db_path: Path, tmp_path: Path) -> None:
    if not is_server(tmp_db_path):
        pytest.skip("a database file has one writer at a time (the writer lock)")
    with Database.open(tmp_db_path) as db:
        review_id = create_review(db, "repairs", "Repairs review")
        option = editing.add_row(db, "option", review_id, {"name": "In-house"})
        criterion = editing.add_row(db, "quality_criterion", review_id, {"name": "Speed"})
    results = _at_once(tmp_path / "go", [[_SCORE_CLIENT, str(tmp_db_path), str(criterion.id),
                                          str(option.id), value] for value in ("6", "8")])
    saved = [r["saved"] for r in results if "saved" in r]
    conflicts = [r for r in results if "conflict" in r]
    assert len(saved) == 1 and len(conflicts) == 1, results
    assert conflicts[0]["conflict"] == [saved[0], 14.0 - saved[0]]
    # Scores as the grid shows them: 8, not 8.0.
    assert f"saved '{saved[0]:g}', you typed '{14.0 - saved[0]:g}'" in conflicts[0]["message"]
    assert raw_sql(tmp_db_path, "SELECT score FROM quality_score") == [(saved[0],)]
