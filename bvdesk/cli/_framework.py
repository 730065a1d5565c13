"""Shared machinery for CLI commands: options, output, exit status, error reporting.

Exit status: 0 success; 1 input refused (nothing written); 2 usage error or unreadable file;
130 interrupted (Ctrl+C), nothing half-written.

Command modules import what their handlers need inside the handlers, so that ``bvdesk --help``
and each command pay only for what they use.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bvdesk import __version__
from bvdesk.cli import _checks
from bvdesk.errors import (
    BackupNotChanged,
    BvdeskError,
    Cancelled,
    DamagedDatabase,
    InputRefused,
    NoIndicatorValues,
    NoSuchReview,
    NotOnServer,
    ReviewLocked,
    RoleMissing,
)
from bvdesk.paths import default_database

if TYPE_CHECKING:
    from bvdesk.operations.opening import Database
    from bvdesk.operations.progress import Progress

Handler = Callable[["Context"], int]


@dataclass
class Context:
    """What a command handler gets: its parsed arguments and a way to speak."""

    args: argparse.Namespace
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)

    @property
    def db_target(self) -> Path | str:
        """The database: a file, or a ``postgresql://`` URL (from ``--db`` or ``BVDESK_DB``)."""
        from bvdesk.operations.opening import is_server_url

        named = self.args.db or os.environ.get("BVDESK_DB")
        return named if is_server_url(named) else self.db_path

    @property
    def db_path(self) -> Path:
        """The database file, for commands that work on files only."""
        from bvdesk.operations.opening import is_server_url

        named = self.args.db or os.environ.get("BVDESK_DB")
        if is_server_url(named):
            raise InputRefused(f"'bvdesk {self.args.command}' works on a database file, not on "
                               "a server: your IT team's backups protect a server database "
                               "(see docs/team-server.md).")
        return Path(self.args.db) if self.args.db else default_database()

    @property
    def as_json(self) -> bool:
        return bool(self.args.json)

    def open_db(self, *, write: bool, create: bool = False) -> Database:
        from bvdesk.operations.opening import Database

        db = Database.open(self.db_target, write=write, create=create,
                           user=getattr(self.args, "user", None))
        if db.backup_of is not None and db.path is not None:
            self.warn(f"bvdesk: {db.backup_of.described(db.path)} It is read as it was "
                      "taken, and not changed.")
        return db

    def emit(self, data: Any, text: Callable[[], str] | str) -> None:
        """Print ``data`` as JSON with ``--json``, else the human-readable text."""
        if self.as_json:
            json.dump(data, self.out, indent=2, ensure_ascii=False, default=str)
            self.out.write("\n")
        else:
            body = text() if callable(text) else text
            if body:
                self.out.write(body.rstrip("\n") + "\n")

    def warn(self, message: str) -> None:
        self.err.write(message.rstrip("\n") + "\n")

    @contextmanager
    def long_task(self, label: str) -> Iterator[Progress]:
        """Progress and cancel for a command that can take a while, handed to the operation as
        ``progress=`` and ``cancelled=``.

        On a terminal (never with ``--json``, never when standard error is redirected) standard
        error shows ``label`` and the share done. Ctrl+C asks the work to stop at its next safe
        point: the operation then raises ``Cancelled``, having kept nothing, and the command
        exits 130 saying so. A second Ctrl+C interrupts at once.
        """
        from bvdesk.operations.progress import Progress

        stop = threading.Event()
        meter = _Meter(self.err, label) if not self.as_json and _is_terminal(self.err) else None

        def interrupt(_signum: int, _frame: object) -> None:
            if stop.is_set():
                raise KeyboardInterrupt
            stop.set()
            if meter is not None:
                meter.stopping()

        catch = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, interrupt) if catch else None
        try:
            yield Progress(meter, stop.is_set)
        finally:
            if catch:
                signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
            if meter is not None:
                meter.clear()


#: Help for a command's review ID, the same wherever a review is named.
REVIEW_ID = "the review's ID ('bvdesk review list' shows them)"


def said_at(at: dt.datetime) -> str:
    """``2 December 2026 at 16:40``: a moment as the documents write its day."""
    return f"{at.day} {at:%B %Y} at {at:%H:%M}"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class _Meter:
    """A one-line progress display on a terminal: ``label: 42%``, redrawn in place."""

    #: Seconds between redraws; reaching 100% is always drawn.
    INTERVAL = 0.1

    def __init__(self, stream: TextIO, label: str) -> None:
        self._stream = stream
        self._label = label
        self._shown = ""
        self._at = 0.0
        self._stopping = False

    def __call__(self, fraction: float) -> None:
        now = time.monotonic()
        text = f"{self._label}: {int(fraction * 100)}%"
        if self._stopping or text == self._shown or (now - self._at < self.INTERVAL
                                                      and fraction < 1.0):
            return
        self._at = now
        self._draw(text)

    def stopping(self) -> None:
        """Ctrl+C was pressed: say so until the work has stopped."""
        self._stopping = True
        self._draw(f"{self._label}: stopping...")

    def clear(self) -> None:
        if self._shown:
            self._draw("")

    def _draw(self, text: str) -> None:
        with suppress(OSError, ValueError):
            self._stream.write("\r" + text.ljust(len(self._shown)) + "\r" * (not text))
            self._stream.flush()
        self._shown = text


class _UsageError(SystemExit):
    """A command line argparse refused (exit status 2), carrying its message for ``--json``."""

    def __init__(self, message: str) -> None:
        super().__init__(2)
        self.message = message


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        if message.endswith("required: SUBCOMMAND"):
            # 'bvdesk review' alone: what it can do, not only that something is missing.
            self.print_help(sys.stderr)
            message = f"'{self.prog}' needs one of the commands listed above."
        else:
            self.print_usage(sys.stderr)
        sys.stderr.write(f"bvdesk: {message}\n")
        raise _UsageError(message)


class Commands:
    """The command tree. Modules add leaves with ``add`` (under a group for ``a b`` commands)."""

    def __init__(self) -> None:
        self.parser = _Parser(prog="bvdesk", description="Best Value self-assessment for "
                              "registered social landlords. With no command, opens the app.")
        self.parser.add_argument("--version", action="version", version=f"bvdesk {__version__}")
        self.parser.add_argument("--self-test", action="store_true",
                                 help="open the app offscreen on a demo database, render a "
                                      "report, and exit 0 (or 1 with the reason)")
        self._common(self.parser)
        self._top = self.parser.add_subparsers(dest="command", metavar="COMMAND",
                                               parser_class=_Parser)
        self._groups: dict[str, argparse._SubParsersAction[Any]] = {}

    @staticmethod
    def _common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                            help="database file (default: $BVDESK_DB, else your data folder)")
        parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                            help="print machine-readable JSON")
        parser.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS,
                            help="name recorded in the audit log (default: your login)")

    def group(self, name: str, help: str) -> argparse._SubParsersAction[Any]:
        if name not in self._groups:
            parser = self._top.add_parser(name, help=help, description=help)
            self._groups[name] = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND",
                                                       required=True, parser_class=_Parser)
        return self._groups[name]

    def add(self, name: str, handler: Handler, help: str, *,
            group: str | None = None, group_help: str = "") -> argparse.ArgumentParser:
        where = self.group(group, group_help) if group else self._top
        parser = where.add_parser(name, help=help, description=help)
        self._common(parser)
        parser.set_defaults(handler=handler)
        return parser


def cli_hint(exc: BvdeskError) -> str | None:
    """What to type next, for an error that operations/ worded for any user."""
    if isinstance(exc, NoSuchReview):
        return "'bvdesk review list' shows the reviews."
    if isinstance(exc, BackupNotChanged):
        return f"'bvdesk restore \"{exc.backup}\" --db \"{exc.source}\"' does that."
    if isinstance(exc, ReviewLocked) and exc.review_id is not None:
        return f"'bvdesk review reopen {exc.review_id} --by NAME --reason TEXT' does it."
    hints = {DamagedDatabase: "'bvdesk restore BACKUP' restores one.",
             RoleMissing: "The administrator grants roles with 'bvdesk server grant LOGIN ROLE'.",
             NotOnServer: "'bvdesk transfer --from FILE --to postgresql://...' moves it.",
             NoIndicatorValues: "'bvdesk import indicators FILE' imports them."}
    return next((hint for kind, hint in hints.items() if isinstance(exc, kind)), None)


def run(commands: Commands, argv: list[str]) -> int:
    """Parse ``argv``, check its values, and run the command; returns the exit status.

    With ``--json`` standard output carries exactly one JSON document, errors included; a reader
    that stops early (``| head -1``) ends the command quietly.
    """
    try:
        code = _run(commands, argv)
        sys.stdout.flush()
        return code
    except _UsageError as exc:
        if "--json" in argv:
            _json_error(sys.stdout, exc.message)
        raise
    except BrokenPipeError:
        # Whoever read our output has stopped reading: nothing more to say, to anyone.
        with suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _json_error(out: TextIO, message: str) -> None:
    json.dump({"error": message}, out, ensure_ascii=False)
    out.write("\n")


def _ask_passwords_at_the_terminal(argv: list[str]) -> None:
    """When a team server wants a password that libpq's pgpass and PGPASSWORD do not give, ask
    at the terminal (never echoed, never saved); without a terminal the server's refusal
    stands."""
    named = [*argv, os.environ.get("BVDESK_DB") or ""]
    if not any(a.lower().startswith(("postgresql://", "postgres://")) for a in named):
        return
    if sys.stdin is None or not sys.stdin.isatty():
        return
    import getpass

    from bvdesk.operations.opening import use_password_prompt

    def ask(address: str) -> str | None:
        try:
            return getpass.getpass(f"Password for {address}: ") or None
        except EOFError:
            return None

    use_password_prompt(ask)


def _run(commands: Commands, argv: list[str]) -> int:
    _checks.install(commands.parser)
    args = commands.parser.parse_args(argv)
    for name, default in (("db", None), ("json", False), ("user", None)):
        if not hasattr(args, name):
            setattr(args, name, default)
    handler: Handler | None = getattr(args, "handler", None)
    context = Context(args)
    _ask_passwords_at_the_terminal(argv)
    try:
        _checks.check_paths(args)
        if handler is None:
            from bvdesk.cli._app import launch

            return launch(args)
        if getattr(args, "output", None) is not None:
            from bvdesk.operations.outputs import check_target

            check_target(args.output, _checks.database_file(args, default_database))
        return handler(context)
    except BvdeskError as exc:
        if context.as_json:
            _json_error(context.out, exc.message)
        hint = cli_hint(exc)
        context.warn(f"bvdesk: {exc.message}" + (f" {hint}" if hint else ""))
        # On the command line only Ctrl+C cancels (see ``Context.long_task``).
        return 130 if isinstance(exc, Cancelled) else exc.exit_code
    except KeyboardInterrupt:
        if context.as_json:
            _json_error(context.out, "interrupted; nothing further was written.")
        context.warn("bvdesk: interrupted; nothing further was written.")
        return 130
