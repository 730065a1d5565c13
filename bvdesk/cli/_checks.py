"""Every command-line value is checked before a command runs, with a message naming the flag.

- Whole numbers (``type=int``) are held to a range by what they become: IDs fit the database
  (1 to 2**63 - 1), homes, years and counts to what a landlord could mean. Anything else at
  least fits the database's integer.
- Text that becomes a database value cannot carry unpaired surrogates (what a mangled shell
  argument gives) or control characters, and is held to the length its column keeps.
- File names (``--db``, ``-o``, input files) must be names the file system can hold and encode;
  ``--db`` may also be a ``postgresql://`` address, and no other scheme.

``install`` wraps the argument types of every parser in the command tree once the command
modules have added theirs, so a new command is checked without remembering to.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bvdesk.errors import FileProblem

#: The largest integer SQLite (and PostgreSQL's bigint) stores.
MAX_INTEGER = 2**63 - 1
#: (lowest, highest, what it is) by argument name; other integers fit the database's.
INTEGER_RANGES: dict[str, tuple[int, int, str]] = {
    "id": (1, MAX_INTEGER, "an ID"),
    "review": (1, MAX_INTEGER, "a review ID"),
    "version": (1, 1_000_000, "a version number"),
    "homes": (0, 10_000_000, "a number of homes"),
    "years": (0, 400, "a number of years"),
    "keep": (1, 10_000, "a number of backups to keep"),
}
#: Longest text kept, by argument name (the column's length); other text up to ``MAX_TEXT``.
TEXT_LENGTHS = {"org": 200, "code": 40, "title": 200, "by": 120, "name": 120,
                "service": 200, "user": 120, "region": 60, "org_type": 30, "stock_band": 20,
                "peer_group": 120}
MAX_TEXT = 100_000
#: Text that may run over several lines.
MULTILINE = frozenset({"note", "reason", "description", "mapping"})
#: Arguments that name files.
PATHS = frozenset({"output", "file", "files", "db"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_SERVER_SCHEMES = frozenset({"postgresql", "postgres"})


def install(parser: argparse.ArgumentParser) -> None:
    """Wrap the type of every argument of ``parser`` and its sub-commands with its check."""
    for action in parser._actions:  # argparse keeps no public list of them
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                install(sub)
            continue
        if action.nargs == 0 or action.choices is not None or action.dest in PATHS:
            continue
        if action.type is int:
            action.type = _integer(action.dest)
        elif action.type is None:
            action.type = _text(action.dest)


def _integer(dest: str) -> Callable[[str], int]:
    low, high, what = INTEGER_RANGES.get(dest, (-MAX_INTEGER - 1, MAX_INTEGER, "a number"))

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{_shown(text)} is not a whole number (expected {what})") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{_shown(text)} is out of range: {what} from {low:,} to {high:,}")
        return value

    parse.__name__ = "whole number"
    return parse


def _text(dest: str) -> Callable[[str], str]:
    limit = TEXT_LENGTHS.get(dest, MAX_TEXT)

    def parse(text: str) -> str:
        problem = text_problem(text, multiline=dest in MULTILINE)
        if problem:
            raise argparse.ArgumentTypeError(problem)
        if len(text) > limit:
            raise argparse.ArgumentTypeError(
                f"is {len(text):,} characters long; at most {limit:,} are kept")
        return text

    parse.__name__ = "text"
    return parse


def text_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why ``text`` cannot be kept as a value, or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return ("contains characters that are not valid text (perhaps a garbled shell "
                "argument); type it again")
    allowed = "\t\n\r" if multiline else ""
    for char in text:
        if unicodedata.category(char) == "Cc" and char not in allowed:
            return (f"contains a control character (U+{ord(char):04X}); remove it and "
                    "try again")
    return None


def check_paths(args: argparse.Namespace) -> None:
    """Check every file-name argument ``args`` carries; ``--db`` may be a server address.

    Raises:
        FileProblem: a name that cannot be a file name here, or an unknown address scheme.
    """
    db = getattr(args, "db", None)
    if db is not None:
        check_database_argument(db)
    for dest, flag in (("output", "-o"), ("file", "FILE"), ("files", "FILE")):
        value = getattr(args, dest, None)
        for item in value if isinstance(value, list) else [value] if value is not None else []:
            problem = path_problem(item)
            if problem:
                raise FileProblem(f"{flag} {_shown(item)}: {problem}.")


def check_suffix(path: str, suffix: str, what: str) -> None:
    """``-o`` names a file of the kind written: a PDF saved as ``report.xlsx`` opens nowhere.

    Raises:
        FileProblem: the name ends otherwise; nothing is written.
    """
    if Path(path).suffix.lower() != suffix:
        raise FileProblem(f"-o {_shown(Path(path).name)}: {what} is written as a {suffix} "
                          f"file; give a name ending {suffix}. Nothing was written.")


def check_database_argument(text: str) -> None:
    """``--db`` names a file, or a ``postgresql://`` server; say plainly what else is wrong."""
    if not text.strip():
        raise FileProblem("--db was given an empty name: give the database file (or leave "
                          "--db out to use your default database).")
    scheme = _SCHEME.match(text)
    if scheme and scheme.group(1).lower() not in _SERVER_SCHEMES:
        raise FileProblem(f"--db {_shown(text)}: bvdesk does not know '{scheme.group(1)}://' "
                          "addresses. Give a database file, or a postgresql:// address for a "
                          "team server; nothing was written.")
    if scheme:
        return
    problem = path_problem(text)
    if problem:
        raise FileProblem(f"--db {_shown(text)}: {problem}.")


def path_problem(text: str) -> str | None:
    """Why ``text`` cannot name a file on this system, or None."""
    if "\x00" in text:
        return "a file name cannot contain a NUL character"
    try:
        os.fsencode(text)
    except UnicodeEncodeError:
        return ("the name contains characters the file system cannot store (perhaps a garbled "
                "shell argument); type it again")
    try:
        os.stat(text)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG or getattr(exc, "winerror", None) == 206:
            return "the name is longer than the file system allows"
        if exc.errno == errno.ELOOP:
            return "the name leads round a loop of symbolic links"
    except ValueError as exc:
        return f"the name cannot be used ({exc})"
    return None


def _shown(text: str) -> str:
    """``text`` for a message: short, and printable whatever it holds."""
    safe = text.encode("utf-8", "backslashreplace").decode("utf-8")
    safe = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in safe)
    return repr(safe[:60] + ("..." if len(safe) > 60 else ""))


def database_file(args: argparse.Namespace, default: Callable[[], Path]) -> Path | None:
    """The database file a command works on (None for a server), for output checks."""
    named: Any = getattr(args, "db", None) or os.environ.get("BVDESK_DB")
    if named and _SCHEME.match(named):
        return None
    return Path(named) if named else default()
