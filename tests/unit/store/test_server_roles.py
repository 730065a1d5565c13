"""Who may do what on a team server, enforced by the server: a reader changes nothing, by any
path; an officer edits but cannot sign off or touch a signed-off review; an approver signs off."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator

import psycopg
import pytest
from engines import raw_sql

from bvdesk.cli import main
from bvdesk.errors import DatabaseProblem
from bvdesk.operations import editing, signoff
from bvdesk.operations.landlord import init_database
from bvdesk.operations.reviews import create_review
from bvdesk.store.db import Database
from bvdesk.store.models import Base
from bvdesk.store.server import parse


def _as_login(url: str, login: str) -> str:
    parts = urllib.parse.urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{login}@{host}"))


@pytest.fixture
def team(empty_server_db: str) -> Iterator[dict[str, str]]:
    """A landlord's database with a reader, an officer and an approver, granted by bvdesk."""
    init_database(empty_server_db, "Test Homes", "TST").close()
    dbname = parse(empty_server_db).dbname
    logins = {role: f"{dbname}_{role}" for role in ("reader", "officer", "approver")}
    try:
        for role, login in logins.items():
            raw_sql(empty_server_db, f"CREATE ROLE {login} LOGIN")
            assert main(["server", "grant", login, role, "--db", empty_server_db]) == 0
        yield {role: _as_login(empty_server_db, login) for role, login in logins.items()}
    finally:
        for login in logins.values():
            raw_sql(empty_server_db, f"DROP OWNED BY {login}")
            raw_sql(empty_server_db, f"DROP ROLE IF EXISTS {login}")
        groups = raw_sql(empty_server_db, "SELECT rolname FROM pg_roles WHERE rolname LIKE ?",
                         (f"bvdesk_{dbname}_%",))
        for (group,) in groups:
            raw_sql(empty_server_db, f"DROP OWNED BY {group}")
        for (group,) in reversed(groups):
            raw_sql(empty_server_db, f"DROP ROLE {group}")


def _refused(url: str, sql: str) -> bool:
    try:
        raw_sql(url, sql)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def test_grant_lists_the_roles(team: dict[str, str], empty_server_db: str,
                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["server", "roles", "--json", "--db", empty_server_db]) == 0
    out = capsys.readouterr().out
    for role in ("reader", "officer", "approver"):
        assert f'_{role}": "{role}"' in out


def test_a_reader_changes_nothing_through_bvdesk(team: dict[str, str],
                                                 empty_server_db: str) -> None:
    with Database.open(empty_server_db) as db:
        review_id = create_review(db, "repairs", "Repairs review")
    before = raw_sql(empty_server_db, "SELECT count(*) FROM audit_log")
    with Database.open(team["reader"]) as db:
        assert editing.get_row(db, "review", review_id)["title"] == "Repairs review"
        with pytest.raises(DatabaseProblem, match="does not let your login"):
            create_review(db, "repairs", "Another")
        with pytest.raises(DatabaseProblem, match="does not let your login"):
            editing.update_field(db, "review", review_id, "title", "Renamed")
        with pytest.raises(DatabaseProblem, match="does not let your login"):
            signoff.sign_off(db, review_id, "A Reader", override_reason="trying")
    assert raw_sql(empty_server_db, "SELECT count(*) FROM audit_log") == before
    assert raw_sql(empty_server_db, "SELECT title FROM review") == [("Repairs review",)]


def test_a_reader_changes_nothing_with_raw_sql(team: dict[str, str]) -> None:
    reader = team["reader"]
    for table in [t.name for t in Base.metadata.sorted_tables] + ["alembic_version"]:
        first = next(iter(Base.metadata.tables[table].columns)).name \
            if table != "alembic_version" else "version_num"
        assert _refused(reader, f'INSERT INTO "{table}" DEFAULT VALUES'), table
        assert _refused(reader, f'UPDATE "{table}" SET "{first}" = "{first}"'), table
        assert _refused(reader, f'DELETE FROM "{table}"'), table
        assert _refused(reader, f'TRUNCATE "{table}"'), table
        assert _refused(reader, f'ALTER TABLE "{table}" ADD COLUMN sneaky int'), table
        assert _refused(reader, f'DROP TABLE "{table}"'), table
    assert _refused(reader, "CREATE TABLE public.sneaky (id int)")
    assert _refused(reader, "SELECT nextval(pg_get_serial_sequence('review', 'id'))")


def test_an_officer_edits_but_cannot_sign_off_or_forge_the_log(team: dict[str, str],
                                                               empty_server_db: str) -> None:
    officer = team["officer"]
    with Database.open(officer) as db:
        review_id = create_review(db, "repairs", "Repairs review")
        editing.update_field(db, "review", review_id, "title", "Repairs review 2010")
        with pytest.raises(DatabaseProblem, match="does not let your login"):
            signoff.sign_off(db, review_id, "An Officer", override_reason="trying")
    login = parse(officer).user
    assert raw_sql(empty_server_db, 'SELECT DISTINCT "user" FROM audit_log WHERE entity = '
                                    "'review'") == [(login,)]
    assert _refused(officer, "UPDATE review SET locked = true")
    assert _refused(officer, "DELETE FROM audit_log")
    assert _refused(officer, "UPDATE audit_log SET new = 'x'")
    assert _refused(officer, "INSERT INTO audit_log (at, \"user\", action, entity, entity_id, "
                             "prev_hash, hash) VALUES ('now', 'someone_else', 'update', 'review', "
                             "'1', '', '')")


def test_a_signed_off_review_is_locked_for_every_login_on_the_server(
        team: dict[str, str], empty_server_db: str) -> None:
    with Database.open(team["officer"]) as db:
        review_id = create_review(db, "repairs", "Repairs review")
    with Database.open(team["approver"]) as db:
        signoff.sign_off(db, review_id, "The Approver", override_reason="test")
    officer = team["officer"]
    items = raw_sql(empty_server_db, "SELECT count(*) FROM challenge_item")
    # Row-level security hides the locked rows from an officer's changes: nothing happens.
    raw_sql(officer, "UPDATE challenge_item SET answer = 'changed'")
    raw_sql(officer, "DELETE FROM challenge_item")
    raw_sql(officer, f"DELETE FROM review WHERE id = {review_id}")
    raw_sql(officer, f"UPDATE review SET title = 'Renamed' WHERE id = {review_id}")
    assert _refused(officer, f"INSERT INTO challenge_item (review_id, question, answer, "
                             f"is_standard, position) VALUES ({review_id}, 'q', 'a', false, 9)")
    assert raw_sql(empty_server_db, "SELECT count(*) FROM challenge_item") == items
    assert raw_sql(empty_server_db, "SELECT count(*) FROM challenge_item WHERE answer <> ''") \
        == [(0,)]
    assert raw_sql(empty_server_db, "SELECT title, locked FROM review") == [
        ("Repairs review", True)]
