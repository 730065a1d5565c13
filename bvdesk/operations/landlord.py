"""Creating a landlord's database: the organisation, the services and the indicator catalogue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from bvdesk.domain.names import match_key
from bvdesk.domain.vocabulary import OrganisationType, StockBand
from bvdesk.errors import InputRefused
from bvdesk.store import catalogue, sqlite_file
from bvdesk.store.db import Database
from bvdesk.store.models import Organisation
from bvdesk.store.server import is_server_url


@dataclass(frozen=True, slots=True)
class Landlord:
    id: int
    name: str
    code: str | None
    homes: int | None


def init_database(path: Path | str, org_name: str, code: str | None = None, *,
                  homes: int | None = None, region: str | None = None,
                  user: str | None = None,
                  clock: Callable[[], dt.datetime] | None = None) -> Database:
    """Create an empty database for a landlord and return it open for writing.

    A new file is built under a temporary name and moved into place only once it is complete,
    so an interrupted ``init`` leaves nothing behind; an unfinished file an older version left
    is replaced.

    Raises:
        InputRefused: the file already holds a landlord, or a value is out of range.
        DatabaseProblem: the path holds something else, or the file cannot be created.
    """
    org_name = org_name.strip()
    if not org_name:
        raise InputRefused("The landlord needs a name.")

    def fill(db: Database) -> None:
        add_landlord(db, org_name, code, homes=homes, region=region)

    if not holds_database(path):
        build_database(Path(path), fill, user=user, clock=clock)
        return Database.open(path, write=True, user=user)
    db = Database.open(path, write=True, create=True, user=user)
    if clock is not None:
        db.clock = clock
    try:
        fill(db)
    except BaseException:
        db.close()
        raise
    return db


def holds_database(path: Path | str) -> bool:
    """Whether ``path`` is a server URL or a complete bvdesk database file (not missing, not
    an unfinished one an interrupted creation left)."""
    return is_server_url(path) or sqlite_file.inspect(Path(path)) is sqlite_file.Kind.DATABASE


def build_database(path: Path, fill: Callable[[Database], None], *, user: str | None = None,
                   clock: Callable[[], dt.datetime] | None = None) -> None:
    """Create a database file at ``path`` and ``fill`` it, all or nothing: it is built under a
    temporary name beside ``path`` and moved into place when ``fill`` has finished.

    Raises:
        DatabaseProblem: ``path`` holds something other than an unfinished database, or the
            file cannot be created (a full disk among the reasons); nothing is left behind.
    """
    with sqlite_file.creating(path) as temp:
        db = Database.open(temp, write=True, create=True, user=user)
        if clock is not None:
            db.clock = clock
        try:
            fill(db)
        finally:
            db.close()


def add_landlord(db: Database, name: str, code: str | None = None, *, homes: int | None = None,
                 region: str | None = None) -> None:
    """Seed the shipped catalogue (``store.catalogue``) and add the landlord itself.

    Raises:
        InputRefused: the database already holds a landlord.
    """
    with db.session() as session:
        if session.scalar(select(Organisation).where(Organisation.is_self)) is not None:
            raise InputRefused(f"{db.name} already holds a landlord; choose a new "
                               "file name.")
        catalogue.seed(session)
        session.add(Organisation(
            code=code, name=name, match_key=match_key(name), is_self=True,
            org_type=OrganisationType.HOUSING_ASSOCIATION.value, homes=homes, region=region,
            stock_band=StockBand.for_homes(homes).value if homes else None))


def get_landlord(db: Database) -> Landlord:
    with db.read() as session:
        org = session.scalar(select(Organisation).where(Organisation.is_self))
        if org is None:
            raise InputRefused(f"{db.name} has no landlord yet: run 'bvdesk init'.")
        return Landlord(org.id, org.name, org.code, org.homes)
