"""Moving a landlord's database between a desk and a team server: ``bvdesk transfer``.

The whole database goes across (reviews, evidence files, peers, indicator values, settings and
the audit log with its chain), and is checked (row counts, the chain and its last entry, every
evidence file's hash) before anything is kept. A file target is built under a temporary name and
appears only once the copy is checked; a server target must be an empty database, and takes the
copy in one transaction. A cancel, like any failure, keeps nothing: no file appears, and the
server database holds no row of the copy.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bvdesk.errors import InputRefused
from bvdesk.operations.progress import Progress
from bvdesk.store import sqlite_file
from bvdesk.store.copying import CopyReport, copy_database
from bvdesk.store.db import Database
from bvdesk.store.server import is_server_url, parse


def transfer(source: Path | str, target: Path | str, *,
             progress: Callable[[float], None] | None = None,
             cancelled: Callable[[], bool] | None = None) -> CopyReport:
    """Copy the landlord's database at ``source`` to ``target`` (each a file or a server URL).

    Raises:
        InputRefused: source and target are the same.
        DatabaseProblem: either end cannot be used, the target holds data, or the copy did not
            check out (nothing was kept).
        Cancelled: ``cancelled()`` became true; nothing was kept in the target.
    """
    if _same(source, target):
        raise InputRefused("The source and the target are the same database.")
    opening, copying = Progress.of(progress, cancelled).steps(1, 9)
    with Database.open(source if is_server_url(source) else Path(source), write=False) as origin:
        opening.check(_CANCELLED)
        if is_server_url(target):
            with Database.open(target, write=True, create=True) as destination:
                opening.done()
                return copy_database(origin, destination, progress=copying,
                                     cancelled=copying.cancelled)
        path = Path(target)
        with sqlite_file.creating(path) as temp:
            destination = Database.open(temp, write=True, create=True, user=origin.user)
            try:
                opening.done()
                return copy_database(origin, destination, progress=copying,
                                     cancelled=copying.cancelled)
            finally:
                destination.close()


_CANCELLED = "The transfer was cancelled; nothing was kept."


def _same(source: Path | str, target: Path | str) -> bool:
    if is_server_url(source) and is_server_url(target):
        a, b = parse(source), parse(target)
        return (a.host, a.port, a.dbname) == (b.host, b.port, b.dbname)
    if is_server_url(source) or is_server_url(target):
        return False
    return Path(source).resolve() == Path(target).resolve()


def shown(location: Path | str) -> str:
    """A location for messages: a file's path, a server's URL without any password."""
    return parse(location).shown if is_server_url(location) else str(location)


def report_json(source: Path | str, target: Path | str, report: CopyReport) -> dict[str, Any]:
    return {"from": shown(source), "to": shown(target), **report.to_json()}
