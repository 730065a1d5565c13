"""The home page's figures as plain values, and the copy of them that opens the app at once.

The dashboard (where the landlord stands, what must be market-tested, how far each review has
got) is computed by ``operations.dashboard`` from the database. Its value types live here, apart
from the database layer, so the desktop app can show the home page before that layer has loaded.

When the app closes a database file it ``remember``s the dashboard of that file as it was closed,
with the file's size, modification time and identity. The next start ``recall``s it only while
the file is exactly as it was left (no other program has written to it, no log beside it), shows
it at once, and replaces it with the figures read from the database as soon as that is open. A
copy that does not match, cannot be read or was written by another version is ignored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import logging
import os
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from bvdesk import __version__
from bvdesk.domain.benchmark import PersistenceRule, Position
from bvdesk.domain.vocabulary import Stage
from bvdesk.domain.years import FinancialYear
from bvdesk.paths import cache_dir

log = logging.getLogger(__name__)

#: Bumped whenever the stored form changes; older copies are then ignored.
FORMAT = 1
#: Files SQLite keeps beside a database while it is open or was not closed cleanly.
_SIDECARS = ("-wal", "-journal")


@dataclass(frozen=True, slots=True)
class BenchmarkRow(Position):
    """One indicator's position (quartiles, band, rank, gap) with what it is and its history."""

    indicator: str
    name: str
    unit: str
    polarity: str
    decimals: int
    service: str | None
    service_name: str | None
    years_in_bottom_quartile: int
    persistent: bool

    def to_json(self) -> dict[str, Any]:
        head = ("indicator", "name", "unit", "polarity", "decimals", "service", "service_name")
        data = {key: getattr(self, key) for key in head}
        data.update({f.name: _rounded(getattr(self, f.name)) for f in fields(Position)})
        data["bottom_quartile"] = self.bottom_quartile
        data["years_in_bottom_quartile"] = self.years_in_bottom_quartile
        data["persistent"] = self.persistent
        return data


@dataclass(frozen=True, slots=True)
class FlaggedService:
    """A service with indicators in the bottom quartile (or persistently so)."""

    service: str | None
    service_name: str
    indicators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Flag:
    indicators: tuple[str, ...]
    services: tuple[FlaggedService, ...]

    def __bool__(self) -> bool:
        return bool(self.indicators)

    def to_json(self) -> dict[str, Any]:
        return {"indicators": list(self.indicators),
                "services": [{"service": s.service, "name": s.service_name,
                              "indicators": list(s.indicators)} for s in self.services]}


@dataclass(frozen=True, slots=True)
class BenchmarkReport:
    organisation: str
    year: FinancialYear
    peer_group: str | None
    rule: PersistenceRule
    rows: tuple[BenchmarkRow, ...]
    compete_trigger: Flag
    intervention_risk: Flag

    def to_json(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation, "year": str(self.year),
            "peer_group": self.peer_group,
            "persistence_rule": {"consecutive": self.rule.consecutive,
                                 "years_bad": self.rule.years_bad, "window": self.rule.window},
            "rows": [row.to_json() for row in self.rows],
            "compete_trigger": self.compete_trigger.to_json(),
            "intervention_risk": self.intervention_risk.to_json(),
        }


def _rounded(value: Any) -> Any:
    """Floats without interpolation noise (91.57499999999999 -> 91.575) for JSON output."""
    return round(value, 9) if isinstance(value, float) else value


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    id: int
    title: str
    service: str
    service_code: str
    stage: str
    stage_label: str
    version: int
    locked: bool
    start_date: dt.date | None
    end_date: dt.date | None

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "service": self.service,
                "service_code": self.service_code, "stage": self.stage, "version": self.version,
                "signed_off": self.locked,
                "start_date": self.start_date.isoformat() if self.start_date else None,
                "end_date": self.end_date.isoformat() if self.end_date else None}


@dataclass(frozen=True, slots=True)
class ReviewNeeds:
    review_id: int
    stages: Mapping[Stage, tuple[str, ...]] = field(default_factory=dict)
    bottom_quartile: tuple[str, ...] = ()

    def missing(self, stage: Stage) -> tuple[str, ...]:
        return self.stages.get(stage, ())

    @property
    def total(self) -> int:
        return sum(len(items) for items in self.stages.values())


@dataclass(frozen=True, slots=True)
class ReviewStatus:
    summary: ReviewSummary
    needs: ReviewNeeds


@dataclass(frozen=True, slots=True)
class Dashboard:
    landlord: str
    benchmark: BenchmarkReport | None
    reviews: tuple[ReviewStatus, ...]
    #: Services flagged for market testing that no open review covers.
    unreviewed_trigger: tuple[str, ...]


# --- the copy kept between sessions -----------------------------------------------------------


def _stamp(database: Path) -> list[int] | None:
    """What identifies the file's contents as they are now, or None while SQLite keeps a log
    beside it (the file is open elsewhere, or was not closed cleanly)."""
    try:
        if any(Path(f"{database}{suffix}").exists() for suffix in _SIDECARS):
            return None
        status = database.stat()
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns, status.st_ino, status.st_dev]


def _copy_of(database: Path) -> Path:
    name = hashlib.sha256(str(database.resolve()).encode("utf-8", "surrogatepass"))
    return cache_dir() / "home" / f"{name.hexdigest()[:32]}.json"


def remember(database: Path, figures: Dashboard) -> None:
    """Keep ``figures`` as the home page of ``database`` as it is now (closed)."""
    stamp = _stamp(database)
    if stamp is None:
        return
    target = _copy_of(database)
    text = json.dumps({"format": FORMAT, "bvdesk": __version__,
                       "database": str(database.resolve()), "stamp": stamp,
                       "dashboard": _encode(figures)})
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.part")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, target)
    except OSError as exc:  # a cache that cannot be written is only a slower next start
        log.info("home page figures not kept: %s", exc)


def recall(database: Path) -> Dashboard | None:
    """The figures ``remember`` kept for ``database``, if the file is unchanged since."""
    try:
        stored = json.loads(_copy_of(database).read_text(encoding="utf-8"))
        if (stored["format"], stored["bvdesk"]) != (FORMAT, __version__) \
                or stored["database"] != str(database.resolve()):
            return None
        stamp = _stamp(database)
        if stamp is None or stored["stamp"] != stamp:
            return None
        figures: Dashboard = _decode(Dashboard, stored["dashboard"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return figures


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, enum.Enum):
        return _encode(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_encode(item) for item in value]
    if isinstance(value, Mapping):
        return [[_encode(key), _encode(item)] for key, item in value.items()]
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__}")


def _decode(kind: Any, data: Any) -> Any:
    """``data`` (from ``_encode``) back as a ``kind``, checked against the type hints."""
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        if data is None and type(None) in args:
            return None
        (inner,) = [arg for arg in args if arg is not type(None)]
        return _decode(inner, data)
    if origin is tuple:
        return tuple(_decode(args[0], item) for item in data)
    if origin in (Mapping, dict):
        return {_decode(args[0], key): _decode(args[1], item) for key, item in data}
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        build: Any = kind
        return build(**{f.name: _decode(hints[f.name], data[f.name])
                       for f in fields(kind) if f.init})
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(data)
    if kind is dt.date:
        return dt.date.fromisoformat(data)
    if kind is float and isinstance(data, (int, float)) and not isinstance(data, bool):
        return float(data)
    if kind in (str, int, bool) and type(data) is kind:
        return data
    raise ValueError(f"{data!r} is not a {kind}")
