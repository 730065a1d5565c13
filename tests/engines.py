"""Reaching a test database behind bvdesk's back, on either engine (a file path or a URL)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def is_server(location: Path | str) -> bool:
    return isinstance(location, str) and location.startswith("postgresql://")


def raw_sql(location: Path | str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Run one statement as another program would (sqlite3, or psql's driver), committed, and
    return its rows. Parameters are written ``?`` for both engines."""
    if is_server(location):
        import psycopg

        with psycopg.connect(str(location), autocommit=True) as connection:
            cursor = connection.execute(sql.replace("?", "%s"), params)
            return list(cursor.fetchall()) if cursor.description else []
    connection = sqlite3.connect(location)
    try:
        with connection:
            return list(connection.execute(sql, params).fetchall())
    finally:
        connection.close()
