"""Primary keys handed out before the rows that take them are inserted.

A bulk writer that gives new rows their keys itself can use the keys at once (in the rows that
refer to them) while the rows are inserted on another thread, instead of waiting for each
insert to learn the keys the database chose.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, func, select


class KeyReserve:
    """New primary keys (the ``id`` column) of one table, for one transaction.

    On a server the keys come from the column's sequence, ``block`` at a time, so no other
    session takes them. On a file they follow the largest key: the caller must hold the
    file's write lock (have written in the transaction) before the first ``take``, which keeps
    every other writer out until the transaction ends.
    """

    def __init__(self, table: Any, block: int = 1024) -> None:
        self._table = table
        self._block = block
        self._free: list[int] = []
        self._next: int | None = None  # on a file: the next key

    def ready(self, count: int) -> bool:
        """Whether ``take(count)`` runs no statement (so needs the connection for nothing)."""
        return self._next is not None or len(self._free) >= count

    def take(self, connection: Connection, count: int) -> list[int]:
        """``count`` keys no row has."""
        if connection.dialect.name == "postgresql":
            if len(self._free) < count:
                self._free.extend(connection.exec_driver_sql(
                    "SELECT nextval(pg_get_serial_sequence(%(t)s, 'id')) "
                    "FROM generate_series(1, %(n)s)",
                    {"t": self._table.name, "n": max(self._block, count - len(self._free))}
                ).scalars())
            taken, self._free = self._free[:count], self._free[count:]
            return taken
        if self._next is None:
            self._next = (connection.execute(select(func.max(self._table.c.id))).scalar()
                          or 0) + 1
        first, self._next = self._next, self._next + count
        return list(range(first, first + count))


def missing_keys(connection: Connection, table: Any, keys: Iterable[int]) -> set[int]:
    """The ``keys`` that no row of ``table`` has (by its ``id``): a bulk writer's check of the
    references its rows make, a query per few hundred distinct keys rather than a lookup per
    row (see ``Database.session(bulk=True)``)."""
    wanted = sorted(set(keys))
    found: set[int] = set()
    for at in range(0, len(wanted), 500):
        found.update(connection.execute(select(table.c.id).where(
            table.c.id.in_(wanted[at:at + 500]))).scalars())
    return set(wanted) - found
