"""Importing indicator values: parse every file, validate, then write in one transaction.

Nothing is written when any error is found (unless ``skip_invalid``), on a dry run, or when the
user cancels. Each file gets an ``ImportRun``; the audit log gets one entry summarising each run,
one per organisation added as a peer, and one per value that changed (old and new).
"""

from __future__ import annotations

import csv
import functools
import gc
import hashlib
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from bvdesk.domain.names import match_key
from bvdesk.domain.vocabulary import OrganisationType, StockBand
from bvdesk.domain.wording import count
from bvdesk.domain.years import FinancialYear
from bvdesk.errors import InputRefused
from bvdesk.excel.indicator_reader import (
    Catalogue,
    ColumnInfo,
    IndicatorSpec,
    Layout,
    OrganisationFacts,
    ParsedValue,
    ParseResult,
    Severity,
    SheetInfo,
    parse,
)
from bvdesk.excel.indicator_reader import ImportCancelled as ImportCancelled  # re-exported
from bvdesk.excel.indicator_reader import Issue as Issue  # re-exported
from bvdesk.excel.indicator_reader import Role as Role  # re-exported for the import wizard
from bvdesk.excel.indicator_template import write_template
from bvdesk.operations.outputs import write_bytes
from bvdesk.operations.progress import Progress
from bvdesk.paths import resource
from bvdesk.store.audit import Change, record
from bvdesk.store.db import Database
from bvdesk.store.keys import KeyReserve, missing_keys
from bvdesk.store.models import ImportRun, Indicator, IndicatorValue, Organisation, table_of

KIND = "indicators"


@dataclass(frozen=True, slots=True)
class Overwritten:
    """A value already in the database that the import replaces (in a dry run: would)."""

    organisation: str
    indicator: str
    year: int
    old: float
    new: float

    def __str__(self) -> str:
        return (f"{self.organisation}, {self.indicator}, {_year_text(self.year)}: "
                f"{self.old:g} \u2192 {self.new:g}")

    def to_json(self) -> dict[str, Any]:
        return {"organisation": self.organisation, "indicator": self.indicator,
                "year": _year_text(self.year), "old": self.old, "new": self.new}


@dataclass(frozen=True, slots=True)
class ImportReport:
    files: tuple[str, ...]
    dry_run: bool
    #: True when something was written: not a dry run, no error (or ``skip_invalid``), and
    #: at least one value or organisation new or changed.
    written: bool
    imported: int
    updated: int
    unchanged: int
    missing: int
    rejected: int
    aggregates: int
    new_organisations: tuple[str, ...]
    sheets: tuple[SheetInfo, ...]
    issues: tuple[Issue, ...]
    import_ids: tuple[int, ...]
    #: Each value already stored that the import replaces, by organisation, indicator, year.
    overwritten: tuple[Overwritten, ...] = ()
    #: Peers whose homes, region or kind of landlord the files set or change.
    peer_details: int = 0

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)

    def to_json(self) -> dict[str, Any]:
        return {
            "files": list(self.files), "dry_run": self.dry_run, "written": self.written,
            "imported": self.imported, "updated": self.updated, "unchanged": self.unchanged,
            "missing": self.missing, "rejected": self.rejected, "aggregates": self.aggregates,
            "new_organisations": list(self.new_organisations),
            "sheets": [{"file": s.file, "sheet": s.name,
                        "layout": s.layout.value if s.layout else None,
                        "header_row": s.header_row, "skipped": s.skipped} for s in self.sheets],
            "errors": [i.to_json() for i in self.errors],
            "warnings": [i.to_json() for i in self.warnings],
            "import_ids": list(self.import_ids),
            "overwritten": [o.to_json() for o in self.overwritten],
            "peer_details": self.peer_details,
        }

    @property
    def nothing_valid(self) -> bool:
        """True when the files hold no valid value at all: there was nothing to import."""
        return not (self.imported or self.updated or self.unchanged)

    def summary(self) -> str:
        if self.nothing_valid and (self.errors or self.rejected):
            return (f"Nothing to import: no valid values were found (errors in "
                    f"{count(self.rejected, 'row')}, "
                    f"{count(self.missing, 'missing cell')} skipped).")
        if self.written:
            head = "Imported"
        elif self.dry_run:
            head = "Dry run, nothing written: would import"
        elif not (self.imported or self.updated or self.new_organisations
                  or self.peer_details):
            head = "Nothing changed: every value is already in the database. Read"
        else:
            head = "Nothing written because of the errors below. The files would import"
        text = (f"{head} {count(self.imported, 'new value')}, {self.updated:,} updated, "
                f"{self.unchanged:,} unchanged; {count(self.missing, 'missing cell')} skipped")
        if self.new_organisations:
            text += f"; {count(len(self.new_organisations), 'new peer organisation')}"
        if self.peer_details:
            text += (f"; homes, region or kind of landlord set for "
                     f"{count(self.peer_details, 'peer organisation')}")
        if self.rejected:  # a row of several values keeps those without an error
            text += f"; errors in {count(self.rejected, 'row')}"
        return text + "."


@dataclass(frozen=True, slots=True)
class SheetPreview:
    name: str
    layout: Layout | None
    header_row: int | None
    columns: tuple[ColumnInfo, ...]
    rows: tuple[tuple[Any, ...], ...]
    skipped: str | None
    year: int | None


@dataclass(frozen=True, slots=True)
class FilePreview:
    file: str
    sheets: tuple[SheetPreview, ...]


# --- catalogue -------------------------------------------------------------------------------


def load_catalogue(db: Database) -> Catalogue:
    """The database's indicators; a shipped percentage that is a share of a whole keeps its
    ceiling (100%) while it is still a percentage."""
    shipped = {spec.code: spec.at_most for spec in _shipped()[0]}
    with db.read() as session:
        return Catalogue(IndicatorSpec(i.code, i.name, tuple(i.aliases or ()), i.unit,
                                       None if i.is_custom else shipped.get(i.code))
                         for i in session.scalars(select(Indicator)))


@functools.cache
def _shipped() -> tuple[list[IndicatorSpec], dict[str, str]]:
    items = json.loads(resource("catalogue", "indicators.json").read_text("utf-8"))
    return ([IndicatorSpec(i["code"], i["name"], tuple(i.get("aliases", ())), i["unit"],
                           i.get("at_most")) for i in items],
            {i["code"]: i["polarity"] for i in items})


def shipped_catalogue() -> Catalogue:
    return Catalogue(_shipped()[0])


# --- import ----------------------------------------------------------------------------------

#: Parsed values compared with the database and written together, while the read goes on.
BATCH_ROWS = 4_096
_CANCELLED = "The import was cancelled; nothing was written."

Key = tuple[int | str, int, int]  # (organisation id or new reference, indicator id, year)


@dataclass(frozen=True, slots=True)
class ParsedFiles:
    """Files read once, for the import wizard's preview, dry run and import to share.

    ``import_files(..., parsed=)`` uses it when the files, year and mapping are the same and no
    file has changed since it was read; otherwise the files are read again.
    """

    paths: tuple[Path, ...]
    year: int | None
    mapping: tuple[tuple[str, str], ...]
    stamps: tuple[tuple[int, int], ...]
    digests: tuple[str, ...]
    result: ParseResult

    def preview(self) -> FilePreview:
        """What the importer saw in each sheet of the first file, with its first rows."""
        name = self.paths[0].name
        return FilePreview(name, tuple(
            SheetPreview(i.name, i.layout, i.header_row, i.columns,
                         tuple(tuple(r) for r in self.result.samples.get((name, i.name), [])),
                         i.skipped, i.year)
            for i in self.result.sheets if i.file == name))

    def matches(self, paths: Sequence[Path], year: int | None,
                mapping: Mapping[str, str] | None) -> bool:
        return (tuple(paths) == self.paths and year == self.year
                and _mapping_key(mapping) == self.mapping and _stamps(paths) == self.stamps)


def _mapping_key(mapping: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((mapping or {}).items()))


def _stamps(paths: Sequence[Path]) -> tuple[tuple[int, int], ...] | None:
    try:
        return tuple((s.st_size, s.st_mtime_ns) for s in (p.stat() for p in paths))
    except OSError:
        return None


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while files are read (and written).

    A large import holds every value it has read until it ends (hundreds of thousands of
    them) and makes several objects for each row; the collector, started again and again by
    those, would go over all the values held each time: a fifth of a 200,000-row import's
    time. The few reference cycles made meanwhile (by the database layer) wait for it to run
    again, at the end (unless something else had paused it, which is then left as it was).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


#: How long a thread may hold the interpreter while another waits for it, during an import.
_TURN = 0.001


@contextmanager
def _short_turns() -> Iterator[None]:
    """Let threads take turns with the interpreter every millisecond, not every five, while
    files are read (and written).

    The insert thread (and calamine's band loader) needs the interpreter for a moment after
    each statement (each band), while the reader holds it nearly all the time; every such
    moment waited up to the whole turn, as long as reading a batch takes: a 200,000-row
    import's reader waited a third of a second for its inserts. A shorter turn costs the
    reader little (the interpreter changes hands only when a thread asks for it). The
    setting is the process's; it is put back as it was."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, _TURN))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def read_files(db: Database | None, paths: Sequence[Path | str], *,
               year: int | FinancialYear | None = None,
               mapping: Mapping[str, str] | None = None, rows: int = 20,
               progress: Callable[[float], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> ParsedFiles:
    """Read every file once (nothing is written), keeping each sheet's first ``rows`` rows.

    Raises:
        FileProblem: a file is missing, unsafe or unreadable.
        InputRefused: the mapping is unusable.
        ImportCancelled: ``cancelled()`` became true.
    """
    files = [Path(p) for p in paths]
    start = year.start if isinstance(year, FinancialYear) else year
    catalogue = load_catalogue(db) if db is not None else shipped_catalogue()
    stamps = _stamps(files)
    reading, hashing = Progress.of(progress, cancelled).steps(9, 1)
    try:
        with _collector_paused(), _short_turns():
            result = parse(files, catalogue, year=start, mapping=mapping, progress=reading,
                           cancelled=reading.cancelled, samples=rows)
    except ValueError as exc:
        raise InputRefused(f"The column mapping cannot be used: {exc}.") from exc
    digests = tuple(_digest(p) for p in hashing.items(files, len(files)))
    return ParsedFiles(tuple(files), start, _mapping_key(mapping), stamps or (), digests,
                       result)


class _Organisations:
    """Resolves (name, code) from a file to an organisation id, or to a new peer."""

    def __init__(self, connection: Connection) -> None:
        table = table_of(Organisation)
        self.by_code: dict[str, int] = {}
        self.by_key: dict[str, int] = {}
        #: Stored peers' details (the landlord's own are not an import's to change).
        self.details: dict[int, OrganisationFacts] = {}
        for org_id, code, name, key, aliases, homes, region, kind, is_self in connection.execute(
                select(table.c.id, table.c.code, table.c.name, table.c.match_key,
                       table.c.aliases, table.c.homes, table.c.region, table.c.org_type,
                       table.c.is_self).order_by(table.c.id)):
            if not is_self:
                self.details[org_id] = OrganisationFacts(homes, region, kind)
            if code:
                self.by_code[code.strip().lower()] = org_id
            # The key stored when it was added, and the key its name has now ('Saint' read as
            # 'St' since): an organisation added before answers to both.
            self.by_key.setdefault(key, org_id)
            self.by_key.setdefault(match_key(name), org_id)
            for alias in aliases or ():
                self.by_key.setdefault(match_key(alias), org_id)
        #: New organisations: reference -> (name, code).
        self.new: dict[str, tuple[str, str | None]] = {}
        self._cache: dict[tuple[str, str | None], int | str] = {}

    def met(self, name: str, code: str | None) -> int | str | None:
        """What ``ref`` gave for (name, code), if it was asked."""
        return self._cache.get((name, code))

    def ref(self, name: str, code: str | None) -> int | str:
        """An existing id, or a string reference to a new organisation."""
        cached = self._cache.get((name, code))
        if cached is not None:
            return cached
        found: int | str | None = None
        if code:
            found = self.by_code.get(code.strip().lower())
        key = match_key(name)
        if found is None and name != code:  # a name to match, not just an unknown code
            found = self.by_key.get(key)
        if found is None:
            found = f"code:{code.strip().lower()}" if code else f"name:{key}"
            self.new.setdefault(found, (name, code))
        self._cache[(name, code)] = found
        return found


class _RowStream(list[ParsedValue]):
    """The list the reader appends values to. At each of the reader's progress reports (every
    few thousand rows) what it has read so far goes to ``sink`` and is let go, so a large file
    is compared and written while it is still being read."""

    def __init__(self, sink: Callable[[list[ParsedValue]], None],
                 progress: Callable[[float], None]) -> None:
        super().__init__()
        self._sink = sink
        self._progress = progress
        self.total = 0

    def progress(self, fraction: float) -> None:
        self.flush()
        self._progress(fraction)

    def flush(self) -> None:
        if not list.__len__(self):
            return
        batch = self[:]  # a plain list, copied whole (list() would iterate this subclass)
        self.clear()
        self.total += len(batch)
        self._sink(batch)

    def __bool__(self) -> bool:
        return self.total > 0 or list.__len__(self) > 0


_NEW, _UNCHANGED, _UPDATED = 0, 1, 2


class _Writer:
    """Takes parsed values batch by batch: one value per (organisation, indicator, year),
    compared with the stored one and, while the import may still be written, written at once.

    Everything happens in the caller's one transaction: the caller rolls it back when the import
    ends with errors (and no ``skip_invalid``), on a dry run, or when nothing changed. A
    batch's new peers and values are inserted on a thread of their own while the next batch is
    read (the database driver lets other threads run while the database works), one batch at a
    time; new peers get their keys at once, so no batch waits to learn them. The connection
    takes one statement at a time, so anything else that uses it waits for that insert first
    (``_settle``), and ``close`` must be called before the transaction ends.
    """

    def __init__(self, db: Database, connection: Connection, paths: list[Path], *,
                 write: bool, skip_invalid: bool, issues: list[Issue],
                 digests: Sequence[str] | None, progress: Progress) -> None:
        self.db = db
        self.connection = connection
        self.paths = paths
        self.writing = write
        self.skip_invalid = skip_invalid
        self.parse_issues = issues
        self.digests = digests
        self.progress = progress
        self.at = db.clock()
        self.indicator_ids: dict[str, int] = dict(
            connection.execute(select(Indicator.code, Indicator.id)).all())
        self.orgs = _Organisations(connection)
        #: key -> the first value read for it
        self.chosen: dict[Key, ParsedValue] = {}
        #: key -> (outcome, stored id, stored value) for values already in the database
        self.outcome: dict[Key, tuple[int, int, float]] = {}
        #: key -> the stored value the import replaces, in words
        self.overwritten: dict[Key, Overwritten] = {}
        self.conflicted: set[Key] = set()
        self.conflicts: list[Issue] = []
        self.counts = {name: [0, 0, 0] for name in dict.fromkeys(p.name for p in paths)}
        self.org_ids: dict[int | str, int] = {}
        self.org_changes: list[Change] = []
        #: Peers whose details the import sets or changes: id (or new peer's reference) ->
        #: (before, after); see ``describe``.
        self.described: dict[int | str, tuple[OrganisationFacts, OrganisationFacts]] = {}
        self.updates: dict[Key, Change] = {}
        self.run_ids: dict[str, int] = {}
        self._issues_seen = 0
        table = table_of(IndicatorValue)
        self._stamp = _bound(connection, table.c.imported_at, self.at)
        self._value_defaults = _defaults(connection, table, {*_VALUE_COLUMNS, "source_file",
                                                             "import_id", "imported_at"})
        self._peer_defaults = _defaults(connection, table_of(Organisation), _PEER_COLUMNS)
        self._inserting: list[Future[Any]] = []
        self._org_keys = KeyReserve(table_of(Organisation))
        #: The organisations and indicators the values written refer to, checked once at the
        #: end (the session does not look each one up: see ``Database.session(bulk=True)``).
        self._referenced: tuple[set[int], set[int]] = (set(), set())
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="import-insert")

    def _settle(self) -> None:
        """Wait for the inserts under way, if any (raising what the first failed one
        raised)."""
        inserting, self._inserting = self._inserting, []
        for future in inserting:
            future.result()

    def close(self) -> None:
        """Let the inserts under way end (when the import stops on an error before
        ``finish``), before the caller ends the transaction, and let go of the values read:
        freed now, while the garbage collector is paused, instead of being gone over by its
        first run after the import (see ``_collector_paused``)."""
        self._thread.shutdown()
        self._inserting = []
        self.chosen.clear()

    # --- per batch ---------------------------------------------------------------------------

    def add(self, batch: list[ParsedValue]) -> None:
        """Compare (and while writing, write) one batch; conflicts are settled after it."""
        if self.progress.cancelled():
            raise ImportCancelled(_CANCELLED)
        ids, ref, chosen = self.indicator_ids, self.orgs.ref, self.chosen
        fresh: list[tuple[Key, ParsedValue]] = []
        clashes: list[tuple[Key, ParsedValue]] = []
        keep, clash = fresh.append, clashes.append
        refs: dict[tuple[str, str | None], int | str] = {}
        first_for = chosen.setdefault
        name: str | None = None
        code: str | None = None
        org: int | str = ""
        for row in batch:
            # ParsedValue is a named tuple: (organisation, org_code, indicator, year, value...).
            # A file's rows come an organisation at a time, each row naming it with the same
            # strings as the one before.
            if row[0] is not name or row[1] is not code:
                name, code = pair = row[:2]
                known = refs.get(pair)
                if known is None:
                    known = refs[pair] = ref(*pair)
                org = known
            key = (org, ids[row[2]], row[3])
            first = first_for(key, row)
            if first is row:
                keep((key, row))
            elif first.value != row.value:
                clash((key, row))
        stored = self._existing(fresh, {org for org in refs.values() if isinstance(org, int)})
        inserts: list[tuple[Key, ParsedValue]] = fresh
        updates: list[tuple[Key, int, float, ParsedValue]] = []
        counts = self.counts
        if stored:
            inserts = []
            for key, row in fresh:
                found = stored.get(key)
                if found is None:
                    inserts.append((key, row))
                elif found[1] == row.value:
                    self.outcome[key] = (_UNCHANGED, found[0], found[1])
                    counts[row.file][_UNCHANGED] += 1
                else:
                    self.outcome[key] = (_UPDATED, found[0], found[1])
                    self.overwritten[key] = Overwritten(row.organisation, row.indicator,
                                                        row.year, found[1], row.value)
                    counts[row.file][_UPDATED] += 1
                    updates.append((key, found[0], found[1], row))
        if len(counts) == 1:
            next(iter(counts.values()))[_NEW] += len(inserts)
        else:
            for _key, row in inserts:
                counts[row.file][_NEW] += 1
        if self.writing:
            self._write(inserts, updates)
        for key, row in clashes:
            self._conflict(key, chosen[key], row)
        self._stop_on_errors()

    def _conflict(self, key: Key, first: ParsedValue, row: ParsedValue) -> None:
        self.conflicts.append(Issue(
            row.file, row.sheet, row.row, row.column,
            f"{row.organisation}, {row.indicator}, {_year_text(row.year)}: {row.value:g} "
            f"here but {first.value:g} in {first.where}. Keep one of them."))
        if key in self.conflicted:
            return
        self.conflicted.add(key)  # both values stay out: take the first one back
        outcome, row_id, old = self.outcome.pop(key, (_NEW, None, None))
        self.overwritten.pop(key, None)
        self.counts[first.file][outcome] -= 1
        if not self.writing:
            return
        self._settle()
        table = table_of(IndicatorValue)
        if outcome == _NEW:
            self.connection.execute(table.delete().where(
                table.c.organisation_id == self.org_ids.get(key[0], key[0]),
                table.c.indicator_id == key[1], table.c.year == key[2]))
        elif outcome == _UPDATED:
            self.connection.execute(update(table).where(table.c.id == row_id).values(
                value=old))
            self.updates.pop(key, None)

    def _stop_on_errors(self) -> None:
        """Once an error is found, an import without ``skip_invalid`` will be rolled back:
        stop writing (the rest is still compared, for the counts)."""
        if not self.writing or self.skip_invalid:
            return
        issues = self.parse_issues
        new = issues[self._issues_seen:]
        self._issues_seen = len(issues)
        if self.conflicts or any(i.severity is Severity.ERROR for i in new):
            self.writing = False

    def _existing(self, fresh: list[tuple[Key, ParsedValue]],
                  org_ids: set[int]) -> dict[Key, tuple[int, float]]:
        """The stored (id, value) of the values in ``fresh`` that have one (and perhaps of
        others): ``org_ids`` holds the stored organisations among theirs."""
        if not (org_ids and fresh):
            return {}
        self._settle()
        keys = [key for key, _row in fresh]
        table = table_of(IndicatorValue)
        query = select(table.c.organisation_id, table.c.indicator_id, table.c.year,
                       table.c.id, table.c.value).where(
            table.c.organisation_id.in_(org_ids), table.c.indicator_id.in_({k[1] for k in keys}),
            table.c.year.in_({k[2] for k in keys}))
        return {(org, ind, year): (row_id, value)
                for org, ind, year, row_id, value in self.connection.execute(query)}

    def _write(self, inserts: list[tuple[Key, ParsedValue]],
               updates: list[tuple[Key, int, float, ParsedValue]]) -> None:
        if not (inserts or updates or len(self.org_ids) < len(self.orgs.new)):
            return
        if not self.run_ids:
            self._settle()
            self.run_ids = _insert_runs(self.connection, self.paths, self.at, self.db.user,
                                        self.digests)
        organisations = self._new_organisations()
        table = table_of(IndicatorValue)
        if updates:
            self._settle()
            self.connection.execute(
                update(table).where(table.c.id == bindparam("row_id")).values(
                    value=bindparam("new_value"), source_file=bindparam("source"),
                    imported_at=bindparam("at"), import_id=bindparam("run"),
                    # A colleague's open edit of the same value is then refused, not lost.
                    row_version=table.c.row_version + 1),
                [{"row_id": row_id, "new_value": row.value, "source": row.file, "at": self.at,
                  "run": self.run_ids[row.file]} for _key, row_id, _old, row in updates])
            for key, row_id, old, row in updates:
                self.updates[key] = Change("update", "indicator_value", str(row_id), "value",
                                           repr(old), repr(row.value))
        org_ids = self.org_ids
        by_file: dict[str, list[tuple[Any, ...]]] = {}
        if len(self.run_ids) == 1 and inserts:
            by_file[inserts[0][1].file] = [(org_ids.get(org, org), indicator, year, row.value)
                                           for (org, indicator, year), row in inserts]
        else:
            for (org, indicator, year), row in inserts:
                by_file.setdefault(row.file, []).append(
                    (org_ids.get(org, org), indicator, year, row.value))
        organisation_ids, indicator_ids = self._referenced
        for rows in by_file.values():
            organisation_ids.update(map(itemgetter(0), rows))
            indicator_ids.update(map(itemgetter(1), rows))
        if organisations or by_file:
            self._settle()  # one batch's insert at a time: the reader stays a batch ahead
            self._inserting.append(self._thread.submit(self._insert_rows, organisations,
                                                       by_file))

    def _insert_rows(self, organisations: list[tuple[Any, ...]],
                     by_file: dict[str, list[tuple[Any, ...]]]) -> None:
        """Insert a batch's new peers, then its new values (on the insert thread)."""
        if organisations:
            _insert_many(self.connection, table_of(Organisation), _PEER_COLUMNS, organisations,
                         self._peer_defaults)
        for name, rows in by_file.items():  # each file's source and run bound once
            _insert_many(self.connection, table_of(IndicatorValue), _VALUE_COLUMNS, rows, {
                "source_file": name, "import_id": self.run_ids[name],
                "imported_at": self._stamp, **self._value_defaults})

    def _new_organisations(self) -> list[tuple[Any, ...]]:
        """The rows of the peers first met since the last batch, with their keys: taken at
        once (see ``KeyReserve``), so the values that refer to them are ready without waiting
        for the database."""
        waiting = list(islice(self.orgs.new.items(), len(self.org_ids), None))
        if not waiting:
            return []
        if not self._org_keys.ready(len(waiting)):
            self._settle()  # the connection takes one statement at a time
        rows = []
        for org_id, (ref, (name, code)) in zip(
                self._org_keys.take(self.connection, len(waiting)), waiting, strict=True):
            self.org_ids[ref] = org_id
            self.org_changes.append(Change("insert", "organisation", str(org_id), "name", None,
                                           name))
            rows.append((org_id, name, code, match_key(name)))
        return rows

    # --- the end -----------------------------------------------------------------------------

    def describe(self, facts: Mapping[tuple[str, str | None], OrganisationFacts]) -> None:
        """Note the peers whose homes, region or kind of landlord the files set or change
        (not the landlord's own, which its settings keep); ``finish`` writes them."""
        for (name, code), given in facts.items():
            ref = self.orgs.met(name, code)
            if ref is None:  # none of its values could be read: it is not added for them
                continue
            before = self.orgs.details.get(ref) if isinstance(ref, int) else (
                OrganisationFacts())
            if before is None:  # the landlord itself
                continue
            after = replace(before, **{field: value for field, value in asdict(given).items()
                                       if value is not None})
            if after != before:
                self.described[ref] = (before, after)

    def _write_details(self) -> None:
        """Set the noted peers' details, with an audit entry for each one changed."""
        rows = []
        for ref, (before, after) in self.described.items():
            org_id = self.org_ids.get(ref, ref)
            band = StockBand.for_homes(after.homes).value if after.homes is not None else None
            rows.append({"org": org_id, "homes": after.homes, "band": band,
                         "region": after.region,
                         "kind": after.org_type or OrganisationType.HOUSING_ASSOCIATION.value})
            old, new = asdict(before), asdict(after)
            self.org_changes.extend(
                Change("update", "organisation", str(org_id), field, _audited(old[field]),
                       _audited(new[field]))
                for field in new if new[field] != old[field])
        if rows:
            table = table_of(Organisation)
            self.connection.execute(
                update(table).where(table.c.id == bindparam("org")).values(
                    # A band set without homes stays, unless the file gives the homes.
                    homes=bindparam("homes"),
                    stock_band=func.coalesce(bindparam("band"), table.c.stock_band),
                    region=bindparam("region"), org_type=bindparam("kind"),
                    row_version=table.c.row_version + 1), rows)

    def finish(self, write: bool, progress: Progress) -> list[int]:
        """Complete a written import (run counts, audit); the ids of its import runs, or none
        when nothing is to be kept (the caller then rolls back). ``progress`` hears when the
        last values are in (half of it), before the counts and the audit entries."""
        self._settle()
        self._stop_on_errors()
        if not write or not self.writing:
            return []
        self._write([], [])  # peers whose values all stayed out are still added
        self._settle()
        progress(0.5)
        if self.described and not self.run_ids:  # only peers' details change
            self.run_ids = _insert_runs(self.connection, self.paths, self.at, self.db.user,
                                        self.digests)
        if not self.run_ids:
            return []
        self._check_references()
        self._write_details()
        per_file = self.per_file()
        table = table_of(ImportRun)
        for name, run_id in self.run_ids.items():
            self.connection.execute(update(table).where(table.c.id == run_id).values(
                counts=per_file[name]))
        summary = [Change("import", "import_run", str(run_id), None, None,
                          json.dumps({"file": name, **per_file[name]}, sort_keys=True))
                   for name, run_id in self.run_ids.items()]
        record(self.connection, [*summary, *self.org_changes, *self.updates.values()],
               user=self.db.user, at=self.at)
        return list(self.run_ids.values())

    def _check_references(self) -> None:
        """Every organisation and indicator the values written refer to exists (the import
        runs in a bulk session: see ``Database.session``). Their import runs are this
        transaction's own."""
        organisation_ids, indicator_ids = self._referenced
        missing = (missing_keys(self.connection, table_of(Organisation), organisation_ids)
                   or missing_keys(self.connection, table_of(Indicator), indicator_ids))
        if missing:
            raise RuntimeError(f"The import refers to rows that do not exist: {sorted(missing)}")

    def per_file(self) -> dict[str, dict[str, int]]:
        return {name: {"imported": c[_NEW], "updated": c[_UPDATED], "unchanged": c[_UNCHANGED]}
                for name, c in self.counts.items()}

    def total(self, outcome: int) -> int:
        return sum(c[outcome] for c in self.counts.values())


def _year_text(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


def import_files(db: Database, paths: Sequence[Path | str], *,
                 year: int | FinancialYear | None = None,
                 dry_run: bool = False, skip_invalid: bool = False,
                 mapping: Mapping[str, str] | None = None,
                 progress: Callable[[float], None] | None = None,
                 cancelled: Callable[[], bool] | None = None,
                 parsed: ParsedFiles | None = None) -> ImportReport:
    """Import indicator values from workbooks and CSV files.

    The files are read once (or not at all, when ``parsed`` holds them unchanged) and the
    values are written while they are read, all in one transaction. With any error nothing is
    written and the report lists every issue (``written`` False), unless ``skip_invalid``,
    which writes the valid values and counts the rejected rows.

    Raises:
        FileProblem: a file is missing, unsafe or unreadable (nothing is written).
        InputRefused: the mapping is unusable.
        ImportCancelled: ``cancelled()`` became true (nothing is written).
    """
    files = [Path(p) for p in paths]
    start = year.start if isinstance(year, FinancialYear) else year
    reuse = parsed if parsed is not None and parsed.matches(files, start, mapping) else None
    reading, finishing = Progress.of(progress, cancelled).steps(9, 1)
    catalogue = load_catalogue(db) if reuse is None else None
    with _collector_paused(), _short_turns(), db.session(bulk=not dry_run) as session:
        connection = session.connection()
        if connection.dialect.name == "postgresql" and not dry_run:
            from bvdesk.store.server import lock_imports

            lock_imports(connection)
        issues: list[Issue] = [] if reuse is None else reuse.result.issues
        writer = _Writer(db, connection, files, write=not dry_run, skip_invalid=skip_invalid,
                         issues=issues, digests=reuse.digests if reuse else None,
                         progress=reading)
        try:
            if reuse is None:
                assert catalogue is not None
                stream = _RowStream(writer.add, reading)
                try:
                    result = parse(files, catalogue, year=start, mapping=mapping,
                                   progress=stream.progress, cancelled=reading.cancelled,
                                   rows=stream)
                except ValueError as exc:
                    raise InputRefused(f"The column mapping cannot be used: {exc}.") from exc
                writer.parse_issues = result.issues
                stream.flush()
            else:
                result = reuse.result
                batches = range(0, len(result.rows), BATCH_ROWS)
                for first in reading.items(batches, len(batches)):
                    writer.add(result.rows[first:first + BATCH_ROWS])
            if finishing.cancelled():
                raise ImportCancelled(_CANCELLED)
            all_issues = [*result.issues, *writer.conflicts]
            errors = [i for i in all_issues if i.severity is Severity.ERROR]
            rejected = len({(i.file, i.sheet, i.row) for i in errors if i.row is not None})
            writer.describe(result.organisations)
            run_ids = writer.finish(not dry_run and (not errors or skip_invalid), finishing)
        finally:
            writer.close()
        if not run_ids:
            session.rollback()  # a dry run, errors, or nothing new: nothing is kept
    finishing.done()
    return ImportReport(
        files=tuple(p.name for p in files), dry_run=dry_run, written=bool(run_ids),
        imported=writer.total(_NEW), updated=writer.total(_UPDATED),
        unchanged=writer.total(_UNCHANGED), missing=result.missing, rejected=rejected,
        aggregates=result.aggregates,
        new_organisations=tuple(sorted(name for name, _code in writer.orgs.new.values())),
        sheets=tuple(result.sheets), issues=tuple(all_issues), import_ids=tuple(run_ids),
        overwritten=tuple(sorted(writer.overwritten.values(),
                                 key=lambda o: (o.organisation, o.indicator, o.year))),
        peer_details=len(writer.described))


def _audited(value: Any) -> str | None:
    return None if value is None else str(value)


_VALUE_COLUMNS = ("organisation_id", "indicator_id", "year", "value")
_PEER_COLUMNS = ("id", "name", "code", "match_key")
#: Rows one INSERT statement takes at most: a batch of new values in one statement, so the
#: insert thread waits for the interpreter once a batch, not once a statement (1,000 rows a
#: statement is a quarter faster than 166 in one thread, 5,000 no faster than 1,000).
_ROWS_A_STATEMENT = 5_000


def _bound(connection: Connection, column: Any, value: Any) -> Any:
    """``value`` as the driver receives it for ``column`` (e.g. a datetime as SQLite text)."""
    processor = column.type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    return processor(value) if processor else value


def _defaults(connection: Connection, table: Any, given: Iterable[str]) -> dict[str, Any]:
    """The driver-ready defaults of ``table``'s columns other than ``given`` that have one set
    in Python (SQLAlchemy puts those in every INSERT it compiles), for ``_insert_many``."""
    given = set(given)
    found: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        if column.name in given or default is None or not (default.is_scalar
                                                            or default.is_callable):
            continue
        found[column.name] = _bound(connection, column,
                                    default.arg(None) if default.is_callable else default.arg)
    return found


def _insert_many(connection: Connection, table: Any, columns: Sequence[str],
                 rows: list[tuple[Any, ...]], constants: Mapping[str, Any]) -> None:
    """Insert many rows, skipping per-row SQLAlchemy work: ``rows`` hold the values of
    ``columns``, and ``constants`` the values every row shares, all driver-ready (see
    ``_bound``).

    A server takes the rows by COPY. Otherwise each statement inserts up to
    ``_ROWS_A_STATEMENT`` rows, as many as its parameters allow (``INSERT ... SELECT`` from a
    ``VALUES`` list, the shared values bound once), through the driver's executemany, so the
    database parses and runs one statement for hundreds of rows. The statement's head is
    compiled by SQLAlchemy for the dialect.
    """
    if connection.dialect.name == "postgresql":
        from bvdesk.store.server import copy_rows

        shared = tuple(constants.values())
        copy_rows(connection, table.name, [*columns, *constants],  # COPY: a server's bulk path
                  ((*row, *shared) for row in rows))
        return
    assert connection.dialect.paramstyle == "qmark", connection.dialect.paramstyle
    head, order = _insert_head(connection.dialect, table, (*columns, *constants))
    shared = tuple(constants[name] for name in order if name in constants)
    picked = ", ".join("?" if name in constants else f"column{columns.index(name) + 1}"
                       for name in order)
    group = f"({', '.join(['?'] * len(columns))})"
    # SQLite binds at most 32,766 parameters a statement from 3.32 on, 999 before.
    limit = 32_766 if (connection.dialect.server_version_info or ()) >= (3, 32) else 999
    per = min(_ROWS_A_STATEMENT, (limit - len(shared)) // len(columns))
    full = len(rows) - len(rows) % per
    for size, first, stop in ((per, 0, full), (len(rows) - full, full, len(rows))):
        if first < stop:
            connection.exec_driver_sql(
                f"{head} SELECT {picked} FROM (VALUES {', '.join([group] * size)})",
                [(*shared, *chain.from_iterable(rows[at:at + size]))
                 for at in range(first, stop, size)])


@functools.lru_cache(maxsize=8)
def _insert_head(dialect: Any, table: Any, names: tuple[str, ...]
                 ) -> tuple[str, tuple[str, ...]]:
    """``INSERT INTO table (...)`` as SQLAlchemy compiles it for ``dialect`` with ``names``
    (and any column with a default set in Python), and the columns in its order: compiled
    once, not for each batch of an import."""
    compiled = table.insert().compile(dialect=dialect, column_keys=list(names))
    return str(compiled).rsplit(" VALUES ", 1)[0], tuple(compiled.positiontup or ())


def _insert_runs(connection: Connection, paths: list[Path], at: Any, user: str,
                 digests: Sequence[str] | None) -> dict[str, int]:
    """One import run per file; its counts are filled in when the import completes."""
    table = table_of(ImportRun)
    runs: dict[str, int] = {}
    for number, path in enumerate(paths):
        digest = digests[number] if digests is not None else _digest(path)
        key = connection.execute(table.insert().values(
            kind=KIND, file_name=path.name, sha256=digest, at=at, by=user,
            counts={"imported": 0, "updated": 0, "unchanged": 0})).inserted_primary_key
        assert key is not None  # a one-row INSERT always has its key
        runs[path.name] = int(key[0])
    return runs


def write_indicator_template(path: Path | str, db: Database | None = None) -> Path:
    """Write the blank long-layout workbook, listing the database's indicators (or, without a
    database, the shipped catalogue)."""
    if db is None:
        specs, polarity = _shipped()
    else:
        with db.read() as session:
            rows = session.scalars(select(Indicator).order_by(Indicator.id)).all()
            specs = [IndicatorSpec(i.code, i.name, tuple(i.aliases or ()), i.unit) for i in rows]
            polarity = {i.code: i.polarity for i in rows}
    target = Path(path)
    if target.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputRefused(f"{target.name}: the template is an Excel workbook; name it .xlsx.")
    book = io.BytesIO()
    write_template(book, specs, polarity)
    write_bytes(target, book.getvalue(), database=db.path if db is not None else None)
    return target


def write_issues_csv(db: Database | None, path: Path | str, issues: Sequence[Issue]) -> Path:
    """Every problem an import found, as a CSV file people can open in Excel (UTF-8 with the
    byte-order mark Excel looks for), written through the one output writer.

    Raises:
        FileProblem: the target is refused (the database, a device...) or cannot be written.
    """
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(["File", "Sheet", "Row", "Column", "Problem", "Severity"])
    for issue in issues:
        writer.writerow([issue.file, issue.sheet or "", issue.row or "", issue.column or "",
                         issue.message, issue.severity.value])
    return write_bytes(path, text.getvalue().encode("utf-8-sig"),
                       database=db.path if db is not None else None)
