"""An organisation added before a spelling rule was learnt still answers to its other spellings:
'Saint' has been read as 'St' since, and a peer stored as 'Saint Annes Housing Association'
(its key then 'saintannesha') is matched by an import naming 'St Anne's HA'."""

from __future__ import annotations

from pathlib import Path

from engines import raw_sql

from bvdesk.operations.indicator_import import import_files
from bvdesk.operations.peer_groups import find_organisation
from bvdesk.store.db import Database
from bvdesk.store.models import Organisation


def _stored_before_the_rule(db_path: Path) -> None:
    with Database.open(db_path, write=True, user="tester") as db, db.session() as session:
        session.add(Organisation(name="Saint Annes Housing Association",
                                 match_key="saintannesha", is_self=False))


def test_an_import_finds_a_peer_stored_under_its_old_key(tmp_db_path: Path,
                                                          tmp_path: Path) -> None:
    _stored_before_the_rule(tmp_db_path)
    values = tmp_path / "returns.csv"
    values.write_text("Organisation,Indicator,Year,Value\nSt. Anne's HA,BV66a,2008/09,97.1\n",
                      encoding="utf-8")
    with Database.open(tmp_db_path, write=True, user="tester") as db:
        report = import_files(db, [values])
    assert report.written and report.imported == 1
    assert report.new_organisations == ()
    names = [name for (name,) in raw_sql(tmp_db_path, "SELECT name FROM organisation")]
    assert [name for name in names if "Anne" in name] == ["Saint Annes Housing Association"]


def test_a_peer_group_finds_it_by_the_new_spelling(tmp_db_path: Path) -> None:
    _stored_before_the_rule(tmp_db_path)
    with Database.open(tmp_db_path, write=False) as db, db.read() as session:
        assert find_organisation(session, "St Anne's HA").name == \
            "Saint Annes Housing Association"
