"""A writer lock beside the database file, so two bvdesk processes never write at once.

The lock is an OS file lock on ``<db>.lock``: the OS releases it if the process dies, so a crash
never leaves a stale lock. The file holds who has it, for the message the second process shows.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
from pathlib import Path
from typing import IO

from bvdesk.errors import DatabaseProblem


class WriterLock:
    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".lock")
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        try:
            _lock(handle)
        except OSError:
            handle.seek(0)
            holder = _describe(handle.read())
            handle.close()
            raise DatabaseProblem(
                f"{self.path.with_suffix('').name} is already open for writing{holder}. "
                "Close bvdesk there first, or open a copy of the file.") from None
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"user": _user(), "host": socket.gethostname(),
                                 "pid": os.getpid()}))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            self._handle.seek(0)
            self._handle.truncate()
            _unlock(self._handle)
        finally:
            self._handle.close()
            self._handle = None

    @property
    def held(self) -> bool:
        return self._handle is not None


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _describe(text: str) -> str:
    try:
        info = json.loads(text)
        return f" by {info['user']} on {info['host']} (process {info['pid']})"
    except (ValueError, KeyError, TypeError):
        return " by another program"


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
