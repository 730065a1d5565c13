"""Importing indicator values: parse every file, validate, then write in one transaction.

Nothing is written when any error is found (unless ``skip_invalid``), on a dry run, or when the
user cancels. Each file gets an ``ImportRun``; the audit log gets one entry summarising each run,
one per organisation added as a peer, and one per value that changed (old and new).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from bvdesk.domain.names import match_key
from bvdesk.domain.years import FinancialYear
from bvdesk.errors import InputRefused
from bvdesk.excel.indicator_reader import (
    Catalogue,
    ColumnInfo,
    ImportCancelled,
    IndicatorSpec,
    Issue,
    Layout,
    ParsedValue,
    ParseResult,
    Severity,
    SheetInfo,
    parse,
    preview,
)
from bvdesk.excel.indicator_reader import Role as Role  # re-exported for the import wizard
from bvdesk.excel.indicator_template import write_template
from bvdesk.operations.outputs import write_bytes
from bvdesk.paths import resource
from bvdesk.store.audit import Change, record
from bvdesk.store.db import Database
from bvdesk.store.models import ImportRun, Indicator, IndicatorValue, Organisation

KIND = "indicators"


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
        }

    def summary(self) -> str:
        if self.written:
            head = "Imported"
        elif self.dry_run:
            head = "Dry run, nothing written: would import"
        elif not (self.imported or self.updated or self.new_organisations):
            head = "Nothing changed: every value is already in the database. Read"
        else:
            head = "Nothing written because of the errors below. The files would import"
        text = (f"{head} {self.imported:,} new values, {self.updated:,} updated, "
                f"{self.unchanged:,} unchanged; {self.missing:,} missing cells skipped")
        if self.new_organisations:
            text += f"; {len(self.new_organisations):,} new peer organisations"
        if self.rejected:
            text += f"; {self.rejected:,} rows rejected"
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
    with db.read() as session:
        return Catalogue(IndicatorSpec(i.code, i.name, tuple(i.aliases or ()), i.unit)
                         for i in session.scalars(select(Indicator)))


def _shipped() -> tuple[list[IndicatorSpec], dict[str, str]]:
    items = json.loads(resource("catalogue", "indicators.json").read_text("utf-8"))
    return ([IndicatorSpec(i["code"], i["name"], tuple(i.get("aliases", ())), i["unit"])
             for i in items], {i["code"]: i["polarity"] for i in items})


def shipped_catalogue() -> Catalogue:
    return Catalogue(_shipped()[0])


def preview_file(path: Path | str, db: Database | None = None, *, rows: int = 20,
                 mapping: Mapping[str, str] | None = None) -> FilePreview:
    """What the importer sees in each sheet of ``path``, for the import wizard.

    Raises:
        FileProblem: the file is unsafe or unreadable.
    """
    catalogue = load_catalogue(db) if db is not None else shipped_catalogue()
    try:
        infos, samples = preview(Path(path), catalogue, rows=rows, mapping=mapping)
    except ValueError as exc:
        raise InputRefused(f"The column mapping cannot be used: {exc}.") from exc
    return FilePreview(Path(path).name, tuple(
        SheetPreview(i.name, i.layout, i.header_row, i.columns,
                     tuple(tuple(r) for r in samples.get(i.name, [])), i.skipped, i.year)
        for i in infos))


# --- import ----------------------------------------------------------------------------------


class _Organisations:
    """Resolves (name, code) from a file to an organisation id, or to a new peer."""

    def __init__(self, connection: Connection) -> None:
        table = Organisation.__table__
        self.by_code: dict[str, int] = {}
        self.by_key: dict[str, int] = {}
        for org_id, code, key, aliases in connection.execute(select(
                table.c.id, table.c.code, table.c.match_key, table.c.aliases
        ).order_by(table.c.id)):
            if code:
                self.by_code[code.strip().lower()] = org_id
            self.by_key.setdefault(key, org_id)
            for alias in aliases or ():
                self.by_key.setdefault(match_key(alias), org_id)
        #: New organisations: reference -> (name, code).
        self.new: dict[str, tuple[str, str | None]] = {}
        self._cache: dict[tuple[str, str | None], int | str] = {}

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


def _check_conflicts(rows: list[ParsedValue], orgs: _Organisations,
                     indicator_ids: Mapping[str, int]
                     ) -> tuple[dict[tuple[int | str, int, int], ParsedValue], list[Issue]]:
    """One value per (organisation, indicator, year), and an error for each conflict (both
    conflicting values are left out)."""
    chosen: dict[tuple[int | str, int, int], ParsedValue] = {}
    issues: list[Issue] = []
    conflicted: dict[tuple[int | str, int, int], list[ParsedValue]] = {}
    refs: dict[tuple[str, str | None], int | str] = {}
    for row in rows:
        pair = (row.organisation, row.org_code)
        ref = refs.get(pair)
        if ref is None:
            ref = refs[pair] = orgs.ref(*pair)
        key = (ref, indicator_ids[row.indicator], row.year)
        first = chosen.get(key)
        if first is None:
            chosen[key] = row
        elif first.value != row.value:
            conflicted.setdefault(key, [first]).append(row)
            issues.append(Issue(
                row.file, row.sheet, row.row, row.column,
                f"{row.organisation}, {row.indicator}, {_year_text(row.year)}: {row.value:g} "
                f"here but {first.value:g} in {first.where}. Keep one of them."))
    for key in conflicted:
        del chosen[key]
    return chosen, issues


def _year_text(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


def import_files(db: Database, paths: Sequence[Path | str], *,
                 year: int | FinancialYear | None = None,
                 dry_run: bool = False, skip_invalid: bool = False,
                 mapping: Mapping[str, str] | None = None,
                 progress: Callable[[float], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Import indicator values from workbooks and CSV files.

    With any error nothing is written and the report lists every issue (``written`` False),
    unless ``skip_invalid``, which writes the valid values and counts the rejected rows.

    Raises:
        FileProblem: a file is missing, unsafe or unreadable (nothing is written).
        InputRefused: the mapping is unusable.
        ImportCancelled: ``cancelled()`` became true (nothing is written).
    """
    paths = [Path(p) for p in paths]
    if isinstance(year, FinancialYear):
        year = year.start
    catalogue = load_catalogue(db)

    def parse_progress(fraction: float) -> None:
        if progress is not None:
            progress(0.7 * fraction)

    try:
        result = parse(paths, catalogue, year=year, mapping=mapping, progress=parse_progress,
                       cancelled=cancelled)
    except ValueError as exc:
        raise InputRefused(f"The column mapping cannot be used: {exc}.") from exc
    _check_cancel(cancelled)
    with db.session() as session:
        connection = session.connection()
        indicator_ids = dict(connection.execute(select(Indicator.code, Indicator.id)).all())
        orgs = _Organisations(connection)
        chosen, conflicts = _check_conflicts(result.rows, orgs, indicator_ids)
        issues = [*result.issues, *conflicts]
        errors = [i for i in issues if i.severity is Severity.ERROR]
        rejected = len({(i.file, i.sheet, i.row) for i in errors if i.row is not None})
        write = not dry_run and (not errors or skip_invalid)
        counts, run_ids = _apply(db, connection, paths, chosen, orgs, result, write=write,
                                 cancelled=cancelled)
        write = bool(run_ids)
    if progress is not None:
        progress(1.0)
    return ImportReport(
        files=tuple(p.name for p in paths), dry_run=dry_run, written=write,
        imported=counts["imported"], updated=counts["updated"],
        unchanged=counts["unchanged"], missing=result.missing, rejected=rejected,
        aggregates=result.aggregates,
        new_organisations=tuple(sorted(name for name, _code in orgs.new.values())),
        sheets=tuple(result.sheets), issues=tuple(issues), import_ids=tuple(run_ids))


def _check_cancel(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise ImportCancelled("The import was cancelled; nothing was written.")


def _apply(db: Database, connection: Connection, paths: list[Path],
           chosen: dict[tuple[int | str, int, int], ParsedValue], orgs: _Organisations,
           result: ParseResult, *, write: bool,
           cancelled: Callable[[], bool] | None) -> tuple[dict[str, int], list[int]]:
    """Compare with the stored values and, when ``write``, insert and update them."""
    existing = _existing(connection, chosen)
    new_rows: list[tuple[tuple[int | str, int, int], ParsedValue]] = []
    changed: list[tuple[int, float, ParsedValue]] = []
    unchanged: list[ParsedValue] = []
    for key, row in chosen.items():
        stored = existing.get(key)
        if stored is None:
            new_rows.append((key, row))
        elif stored[1] == row.value:
            unchanged.append(row)
        else:
            changed.append((stored[0], stored[1], row))
    counts = {"imported": len(new_rows), "updated": len(changed), "unchanged": len(unchanged),
              "missing": result.missing}
    per_file = _per_file(paths, new_rows, changed, unchanged)
    if not write or not (new_rows or changed or orgs.new):
        return counts, []
    _check_cancel(cancelled)
    at = db.clock()
    changes: list[Change] = []
    org_ids = _insert_organisations(connection, orgs, changes)
    run_ids = _insert_runs(connection, paths, at, db.user, per_file)
    table = IndicatorValue.__table__
    if new_rows:
        stamp = _bound(connection, table.c.imported_at, at)
        _insert_many(connection, table, _VALUE_COLUMNS, [
            (org_ids.get(key[0], key[0]), key[1], key[2], row.value, row.file, stamp,
             run_ids[row.file], "") for key, row in new_rows])
    if changed:
        connection.execute(
            update(table).where(table.c.id == bindparam("row_id")).values(
                value=bindparam("new_value"), source_file=bindparam("source"),
                imported_at=bindparam("at"), import_id=bindparam("run")),
            [{"row_id": row_id, "new_value": row.value, "source": row.file, "at": at,
              "run": run_ids[row.file]} for row_id, _old, row in changed])
        changes.extend(Change("update", "indicator_value", str(row_id), "value", repr(old),
                              repr(row.value)) for row_id, old, row in changed)
    _check_cancel(cancelled)
    summary = [Change("import", "import_run", str(run_id), None, None,
                      json.dumps({"file": name, **per_file[name]}, sort_keys=True))
               for name, run_id in run_ids.items()]
    record(connection, [*summary, *changes], user=db.user, at=at)
    return counts, list(run_ids.values())


def _per_file(paths: list[Path], new_rows: list[tuple[Any, ParsedValue]],
              changed: list[tuple[int, float, ParsedValue]],
              unchanged: list[ParsedValue]) -> dict[str, dict[str, int]]:
    """Imported, updated and unchanged counts for each file's ImportRun."""
    if len(paths) == 1:
        return {paths[0].name: {"imported": len(new_rows), "updated": len(changed),
                                "unchanged": len(unchanged)}}
    counts = {p.name: {"imported": 0, "updated": 0, "unchanged": 0} for p in paths}
    for _key, row in new_rows:
        counts[row.file]["imported"] += 1
    for _id, _old, row in changed:
        counts[row.file]["updated"] += 1
    for row in unchanged:
        counts[row.file]["unchanged"] += 1
    return counts


def _existing(connection: Connection, chosen: Iterable[tuple[int | str, int, int]]
              ) -> dict[tuple[int | str, int, int], tuple[int, float]]:
    keys = list(chosen)
    org_ids = {k[0] for k in keys if isinstance(k[0], int)}
    if not org_ids:
        return {}
    table = IndicatorValue.__table__
    query = select(table.c.organisation_id, table.c.indicator_id, table.c.year, table.c.id,
                   table.c.value).where(table.c.indicator_id.in_({k[1] for k in keys}),
                                        table.c.year.in_({k[2] for k in keys}))
    return {(org, ind, year): (row_id, value)
            for org, ind, year, row_id, value in connection.execute(query) if org in org_ids}


def _insert_organisations(connection: Connection, orgs: _Organisations,
                          changes: list[Change]) -> dict[int | str, int]:
    """Add the new peers in one statement; return their ids by reference."""
    if not orgs.new:
        return {}
    table = Organisation.__table__
    before = connection.execute(select(func.max(table.c.id))).scalar() or 0
    connection.execute(table.insert(), [
        {"name": name, "code": code, "match_key": match_key(name), "is_self": False}
        for name, code in orgs.new.values()])
    added = connection.execute(select(table.c.id, table.c.code, table.c.match_key).where(
        table.c.id > before)).all()
    by_code = {code.strip().lower(): org_id for org_id, code, _key in added if code}
    by_key = {key: org_id for org_id, code, key in added if not code}
    ids: dict[int | str, int] = {}
    for ref, (name, code) in orgs.new.items():
        ids[ref] = by_code[code.strip().lower()] if code else by_key[match_key(name)]
        changes.append(Change("insert", "organisation", str(ids[ref]), "name", None, name))
    return ids


_VALUE_COLUMNS = ("organisation_id", "indicator_id", "year", "value", "source_file",
                  "imported_at", "import_id", "quality_note")


def _bound(connection: Connection, column: Any, value: Any) -> Any:
    """``value`` as the driver receives it for ``column`` (e.g. a datetime as SQLite text)."""
    processor = column.type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    return processor(value) if processor else value


def _insert_many(connection: Connection, table: Any, columns: Sequence[str],
                 rows: list[tuple[Any, ...]]) -> None:
    """Insert many rows through the driver's executemany, skipping per-row SQLAlchemy work.

    The statement is compiled by SQLAlchemy for the connection's dialect; rows must already
    hold driver-ready values (see ``_bound``). Falls back to a Core executemany when the
    dialect does not take positional parameters in the same order.
    """
    compiled = table.insert().compile(dialect=connection.dialect, column_keys=list(columns))
    if connection.dialect.positional and tuple(compiled.positiontup or ()) == tuple(columns):
        connection.exec_driver_sql(str(compiled), rows)
    else:
        connection.execute(table.insert(), [dict(zip(columns, row, strict=True))
                                            for row in rows])


def _insert_runs(connection: Connection, paths: list[Path], at: Any, user: str,
                 counts: dict[str, dict[str, int]]) -> dict[str, int]:
    table = ImportRun.__table__
    runs: dict[str, int] = {}
    for path in paths:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda h=handle: h.read(1 << 20), b""):
                digest.update(block)
        key = connection.execute(table.insert().values(
            kind=KIND, file_name=path.name, sha256=digest.hexdigest(), at=at, by=user,
            counts=counts[path.name])).inserted_primary_key
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
