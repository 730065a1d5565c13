"""Every test is headless, and keeps its files and databases under tmp_path.

The store, operations and CLI tests run on both engines: each test there that uses
``tmp_db_path`` or ``demo_db_path`` runs once on an SQLite file and once on a PostgreSQL
database (a URL string instead of a path) when ``BVDESK_TEST_PG`` names a server where the tests
may create databases; without it the PostgreSQL runs are skipped, saying how to run them. A test
about the SQLite file itself is marked ``sqlite_only``.
"""

from __future__ import annotations

import itertools
import os
import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything imports Qt: with no display, Qt would abort the whole run.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bvdesk.operations.demo import create_demo  # noqa: E402 - after the platform is chosen
from bvdesk.operations.landlord import init_database  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Data, config and backups go under tmp_path, never the developer's own folders."""
    monkeypatch.setenv("BVDESK_HOME", str(tmp_path / "bvdesk-home"))
    monkeypatch.delenv("BVDESK_DB", raising=False)


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "empty.sqlite"
    init_database(path, "Test Homes", "TST", homes=3000).close()
    return path


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(create_demo(tmp_path_factory.mktemp("demo") / "demo.sqlite"))


def _copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


# --- both engines ----------------------------------------------------------------------------

#: A PostgreSQL server where the tests may create and drop databases.
TEST_PG = os.environ.get("BVDESK_TEST_PG", "")
NO_SERVER = ("PostgreSQL run skipped: set BVDESK_TEST_PG=postgresql://USER@HOST:PORT/postgres "
             "(a login that may create databases) to run it; .ci/run starts a throwaway server")
#: Test folders whose database tests run on both engines.
BOTH_ENGINES = ("store", "operations", "cli")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every database test of the store, operations and CLI on both engines."""
    uses_db = {"tmp_db_path", "demo_db_path"} & set(metafunc.fixturenames)
    folder = Path(str(metafunc.definition.fspath)).parent
    if (uses_db and folder.name in BOTH_ENGINES and folder.parent.name == "unit"
            and metafunc.definition.get_closest_marker("sqlite_only") is None):
        metafunc.parametrize("db_engine", ["sqlite", "postgresql"], indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Without a server, skip the PostgreSQL runs by mark (so the summary folds them into one
    line per file, saying how to run them)."""
    if TEST_PG:
        return
    for item in items:
        callspec = getattr(item, "callspec", None)
        engine = callspec.params.get("db_engine") if callspec is not None else None
        if engine == "postgresql" or "empty_server_db" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.skip(reason=NO_SERVER))


@pytest.fixture
def db_engine(request: pytest.FixtureRequest) -> str:
    """The engine a database test runs on: "sqlite", or "postgresql" with a server."""
    engine = getattr(request, "param", "sqlite")
    if engine == "postgresql" and not TEST_PG:
        pytest.skip(NO_SERVER)
    return engine


def server_url(dbname: str) -> str:
    """``BVDESK_TEST_PG`` with its database name replaced."""
    parts = urllib.parse.urlsplit(TEST_PG)
    return urllib.parse.urlunsplit(parts._replace(path="/" + dbname))


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(TEST_PG, autocommit=True) as connection:
        connection.execute(sql)


class _Server:
    """Databases made for this test session on the test server, dropped at its end."""

    def __init__(self) -> None:
        self.prefix = f"bvtest_{os.getpid()}"
        self.counter = itertools.count()
        self.made: list[str] = []
        self.templates: dict[str, str] = {}

    def new(self, template: str | None = None) -> str:
        name = f"{self.prefix}_{next(self.counter)}"
        _admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self.made.append(name)
        return name

    def template(self, kind: str) -> str:
        if kind not in self.templates:
            name = self.new()
            url = server_url(name)
            if kind == "empty":
                init_database(url, "Test Homes", "TST", homes=3000).close()
            else:
                create_demo(url)
            self.templates[kind] = name
        return self.templates[kind]

    def drop(self, name: str) -> None:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.made:
            self.made.remove(name)


@pytest.fixture(scope="session")
def _server() -> Iterator[_Server]:
    server = _Server()
    yield server
    for name in list(server.made):
        server.drop(name)


def _server_copy(server: _Server, kind: str, request: pytest.FixtureRequest) -> str:
    name = server.new(template=server.template(kind))
    request.addfinalizer(lambda: server.drop(name))
    return server_url(name)


@pytest.fixture
def tmp_db_path(db_engine: str, request: pytest.FixtureRequest,
                tmp_path: Path) -> Path | str:
    """A fresh, migrated database for the landlord "Test Homes" (code TST, 3,000 homes): a file,
    or on PostgreSQL runs a database URL."""
    if db_engine == "postgresql":
        return _server_copy(request.getfixturevalue("_server"), "empty", request)
    return _copy(request.getfixturevalue("_template_db"), tmp_path / "landlord.sqlite")


@pytest.fixture
def demo_db_path(db_engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """A private copy of the demo database (Northvale Homes, 44 peers, three reviews): a file,
    or on PostgreSQL runs a database URL."""
    if db_engine == "postgresql":
        return _server_copy(request.getfixturevalue("_server"), "demo", request)
    return _copy(request.getfixturevalue("_demo_template"), tmp_path / "demo.sqlite")


@pytest.fixture(autouse=True)
def _quick_tier_runs_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """``./dev quick`` (BVDESK_QUICK=1) leaves out every test that starts another process: such
    a test is skipped at the moment it tries, so the quick tier needs no list to keep."""
    if os.environ.get("BVDESK_QUICK") != "1":
        return
    import subprocess

    def refuse(*_args: object, **_kwargs: object) -> None:
        pytest.skip("starts another process: left out of the quick tier (./dev test runs it)")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    monkeypatch.setattr(os, "fork", refuse)


@pytest.fixture
def empty_server_db(request: pytest.FixtureRequest) -> str:
    """The URL of a new, empty database on the test server (skipped without a server)."""
    if not TEST_PG:
        pytest.skip(NO_SERVER)
    server: _Server = request.getfixturevalue("_server")
    name = server.new()
    request.addfinalizer(lambda: server.drop(name))
    return server_url(name)
