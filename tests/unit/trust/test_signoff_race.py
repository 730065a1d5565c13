"""A sign-off racing an edit, in two real processes on one database: either the edit lands
first and is in the signed-off version, or it is refused afterwards saying the review is signed
off; never an edit landing in a version after it was frozen.

On a server both processes are inside their transactions at once (the test waits until one is
blocked on the other's lock). A file has one writer at a time: the second process is told who
holds the file and, run again once that one has finished (as a person would), meets the same
two outcomes.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from engines import is_server, raw_sql

from bvdesk.operations.signoff import reopen, signed_off_snapshot
from bvdesk.store.db import Database

REVIEW = 1
EDITED = "Edited by a colleague during the sign-off"
SIGNED = "review 1 is signed off and read-only: nothing was changed."
HELD_FILE = "is already open for writing by"

#: One client: waits at the starting line (a file), then runs a bvdesk command; with "hold" its
#: first save stays open inside its transaction until the release file appears. "answer ID
#: TEXT" edits a challenge answer through the operations (the command line has no such edit).
_CLIENT = textwrap.dedent("""
    import sys, time
    from pathlib import Path

    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from bvdesk.cli import main
    from bvdesk.errors import BvdeskError
    from bvdesk.operations import editing
    from bvdesk.store.db import Database

    start, release, hold, db, *args = sys.argv[1:]
    held = []

    def hold_open(session, _context):
        if not held:
            held.append(True)
            print("saving", flush=True)
            while not Path(release).exists():
                time.sleep(0.01)

    if hold == "hold":
        event.listen(Session, "after_flush_postexec", hold_open)
    print("ready", flush=True)
    while not Path(start).exists():
        time.sleep(0.005)
    if args[0] != "answer":
        sys.exit(main(["--db", db, "--user", "client", *args]))
    try:
        with Database.open(db, user="client") as database:
            editing.update_field(database, "challenge_item", int(args[1]), "answer", args[2])
    except BvdeskError as exc:
        print(f"bvdesk: {exc.message}", file=sys.stderr)
        sys.exit(exc.exit_code)
""")


@dataclass
class Outcome:
    code: int
    err: str


class Client:
    """One process, started at once and waiting at the starting line."""

    def __init__(self, folder: Path, db: Path | str, args: list[str], *, hold: bool) -> None:
        self.start, self.release = folder / f"start-{id(self)}", folder / f"release-{id(self)}"
        self.db, self.args, self.hold = db, args, hold
        self.process = self._spawn()

    def _spawn(self) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", _CLIENT, str(self.start), str(self.release),
             "hold" if self.hold else "-", str(self.db), *self.args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert self._line(process) == "ready"
        return process

    @staticmethod
    def _line(process: subprocess.Popen[str]) -> str:
        assert process.stdout is not None
        return process.stdout.readline().strip()

    def go(self) -> None:
        self.start.touch()

    def wait_saving(self) -> None:
        """Until the client is inside its transaction, its first save made, not committed."""
        assert self._line(self.process) == "saving"

    def let_commit(self) -> None:
        self.release.touch()

    def outcome(self) -> Outcome:
        _out, err = self.process.communicate(timeout=120)
        return Outcome(self.process.returncode, err)

    def again(self) -> Outcome:
        """Run the command again from the start (the person trying once more)."""
        self.hold = False
        self.process = self._spawn()
        return self.outcome()


pytestmark = pytest.mark.parametrize("db_engine", ["sqlite", "postgresql"], indirect=True)


def _blocked_on_a_lock(location: Path | str) -> None:
    """Until a backend of this database waits for a row lock (the other client's)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if raw_sql(location, "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                             "current_database() AND wait_event_type = 'Lock'")[0][0]:
            return
        time.sleep(0.02)
    raise AssertionError("neither client waited for the other")


def _answer_item(location: Path | str) -> int:
    return int(raw_sql(location, "SELECT min(id) FROM challenge_item WHERE review_id = ?",
                       (REVIEW,))[0][0])


def _edit(location: Path | str, kind: str) -> list[str]:
    if kind == "review set":
        return ["review", "set", str(REVIEW), "vfm_statement", EDITED]
    return ["answer", str(_answer_item(location)), EDITED]


def _now(location: Path | str, kind: str) -> str:
    """The edited value as the database holds it."""
    if kind == "review set":
        return str(raw_sql(location, "SELECT vfm_statement FROM review WHERE id = ?",
                           (REVIEW,))[0][0])
    return str(raw_sql(location, "SELECT answer FROM challenge_item WHERE id = ?",
                       (_answer_item(location),))[0][0])


def _now_and_frozen(location: Path | str, kind: str) -> tuple[str, str]:
    """The edited value as the database holds it and as the signed-off version froze it."""
    with Database.open(location, write=False) as db:
        frozen = signed_off_snapshot(db, REVIEW)
    if kind == "review set":
        return _now(location, kind), frozen["review"]["vfm_statement"]
    return _now(location, kind), frozen["challenge"][0]["answer"]


SIGN_OFF = ["signoff", str(REVIEW), "--by", "Jo Chair", "--override-reason", "Interim"]
KINDS = ["review set", "challenge answer"]


def _second_while_first_saves(location: Path | str, first: Client, second: Client) -> Outcome:
    """Start ``first`` and hold it inside its transaction, its save made; start ``second``; let
    ``first`` commit (it must succeed) and return how ``second`` ended. On a server ``second``
    is inside its own transaction, waiting for ``first``'s lock, before ``first`` commits; a file
    tells ``second`` who holds it, and ``second`` is run again once ``first`` has finished."""
    first.go()
    first.wait_saving()
    second.go()
    if is_server(location):
        _blocked_on_a_lock(location)
        first.let_commit()
        assert first.outcome().code == 0
        return second.outcome()
    held = second.outcome()
    assert (held.code, HELD_FILE in held.err) == (2, True), held.err
    first.let_commit()
    assert first.outcome().code == 0
    return second.again()


@pytest.mark.parametrize("kind", KINDS)
def test_an_edit_saving_when_the_sign_off_starts_is_in_the_signed_off_version(
        demo_db_path: Path | str, tmp_path: Path, kind: str) -> None:
    edit = Client(tmp_path, demo_db_path, _edit(demo_db_path, kind), hold=True)
    signoff = Client(tmp_path, demo_db_path, SIGN_OFF, hold=False)
    signed = _second_while_first_saves(demo_db_path, edit, signoff)
    assert signed.code == 0, signed.err
    assert _now_and_frozen(demo_db_path, kind) == (EDITED, EDITED)


@pytest.mark.parametrize("kind", KINDS)
def test_an_edit_arriving_while_the_sign_off_saves_is_refused_as_signed_off(
        demo_db_path: Path | str, tmp_path: Path, kind: str) -> None:
    before = _now(demo_db_path, kind)
    signoff = Client(tmp_path, demo_db_path, SIGN_OFF, hold=True)
    edit = Client(tmp_path, demo_db_path, _edit(demo_db_path, kind), hold=False)
    refused = _second_while_first_saves(demo_db_path, signoff, edit)
    assert (refused.code, SIGNED in refused.err.lower()) == (1, True), refused.err
    assert _now_and_frozen(demo_db_path, kind) == (before, before)


@pytest.mark.parametrize("kind", KINDS)
def test_sign_offs_and_edits_started_together_end_one_way_or_the_other(
        demo_db_path: Path | str, tmp_path: Path, kind: str) -> None:
    """Rounds with the edit started a little later each time, so that it meets the sign-off at
    each of its steps (reading, checking, freezing, saving); reopened between rounds."""
    for round_, delay in enumerate((0.0, 0.05, 0.1, 0.2, 0.4, 0.8)):
        typed = f"{EDITED} (round {round_})"
        edit_args = [*_edit(demo_db_path, kind)[:-1], typed]
        clients = [Client(tmp_path, demo_db_path, SIGN_OFF, hold=False),
                   Client(tmp_path, demo_db_path, edit_args, hold=False)]
        clients[0].go()
        time.sleep(delay)
        clients[1].go()
        outcomes = [client.outcome() for client in clients]
        if not is_server(demo_db_path):
            # One found the file held by the other: it is run again, as a person would.
            for number, outcome in enumerate(outcomes):
                if outcome.code == 2 and HELD_FILE in outcome.err:
                    outcomes[number] = clients[number].again()
        signed, edited = outcomes
        assert signed.code == 0, signed.err
        now, frozen = _now_and_frozen(demo_db_path, kind)
        if edited.code == 0:
            assert now == frozen == typed, f"round {round_}"
        else:
            assert (edited.code, SIGNED in edited.err.lower()) == (1, True), edited.err
            assert now == frozen != typed, f"round {round_}"
        with Database.open(demo_db_path) as db:
            reopen(db, REVIEW, "Jo Chair", "Next round")


def test_two_approvers_signing_off_at_once_one_signs_and_the_other_is_told_by_whom(
        demo_db_path: Path | str, tmp_path: Path) -> None:
    first = Client(tmp_path, demo_db_path, [*SIGN_OFF[:3], "Jo Chair", *SIGN_OFF[4:]],
                   hold=True)
    second = Client(tmp_path, demo_db_path, [*SIGN_OFF[:3], "Sam Vice", *SIGN_OFF[4:]],
                    hold=False)
    told = _second_while_first_saves(demo_db_path, first, second)
    assert told.code == 1
    assert "Review 1 (version 1) is already signed off by Jo Chair on" in told.err, told.err
    signed = raw_sql(demo_db_path, 'SELECT "by" FROM signoff WHERE review_id = ?', (REVIEW,))
    assert signed == [("Jo Chair",)]
