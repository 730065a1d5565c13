"""Alembic is loaded only when a database's schema is behind.

Opening an up-to-date database is on the path of every start of the app and of every command;
Alembic takes a fifth of a second to import, so it is imported only to upgrade.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from bvdesk.store.db import Database, alembic_config, head_revision, known_revisions

_PROBE = """
import json, sys
from bvdesk.store.db import Database
with Database.open(sys.argv[1], write=True) as db:
    pass
print(json.dumps("alembic" in sys.modules))
"""


def _alembic_loaded_opening(path: Path) -> bool:
    result = subprocess.run([sys.executable, "-c", _PROBE, str(path)], capture_output=True,
                            text=True, timeout=60, check=True)
    return json.loads(result.stdout.splitlines()[-1])


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "current.bvdesk"
    Database.open(path, create=True).close()
    assert _alembic_loaded_opening(path) is False


def test_opening_a_database_behind_imports_alembic_and_upgrades_it(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "old.bvdesk"
    with Database.open(path, create=True) as db, db.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    assert _alembic_loaded_opening(path) is True
    with Database.open(path, write=False) as db, db.engine.connect() as connection:
        assert connection.exec_driver_sql(
            "SELECT version_num FROM alembic_version").scalar() == head_revision()


def test_revisions_read_from_the_files_agree_with_alembic() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert [head_revision()] == list(script.get_heads())
    assert known_revisions() == {rev.revision for rev in script.walk_revisions()}
