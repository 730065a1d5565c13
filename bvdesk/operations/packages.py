"""Review packages (``.bvreview``): exchanging a review between colleagues as a file.

A package is a zip holding ``review.json`` (the review and everything under it, see
docs/review-package.md and resources/schema/review-package.schema.json), the evidence files under
``evidence/`` and ``manifest.json`` with the SHA-256 of every other member. Reviews are matched
across databases by ``Review.uid``.

Importing a review that already exists is a three-way merge against the version last exchanged
(exported or imported) by this database: changes made on one side only are taken, and a field
changed differently on both sides is a conflict, resolved only by an explicit choice.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from sqlalchemy import Date, DateTime, select
from sqlalchemy.orm import Session

from bvdesk import __version__
from bvdesk.errors import FileProblem, InputRefused, ReviewLocked
from bvdesk.operations.outputs import write_with
from bvdesk.operations.progress import Progress
from bvdesk.operations.reviews import get_review
from bvdesk.paths import resource
from bvdesk.store.db import Database
from bvdesk.store.models import (
    Action,
    AppraisalSettings,
    Base,
    ChallengeItem,
    ConsultationActivity,
    CostLine,
    Evidence,
    Indicator,
    Judgement,
    Option,
    QualityCriterion,
    QualityScore,
    Review,
    ReviewIndicator,
    Risk,
    ServiceArea,
    Setting,
    SignOff,
    TeamMember,
)

FORMAT = "bvdesk-review-package"
FORMAT_VERSION = 1
DOCUMENT = "review.json"
MANIFEST = "manifest.json"
#: Refuse packages beyond these limits before reading them (zip bombs, absurd files).
MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 2 * 1024**3
MAX_DOCUMENT_BYTES = 256 * 1024**2
MAX_RATIO = 200
BASE_KEY = "review_package_base:{uid}"
_EXPORT_CANCELLED = "The export was cancelled; no package was written."
_IMPORT_CANCELLED = "The import was cancelled; nothing was changed."

#: Child collections copied column by column: document key, model.
_SIMPLE_CHILDREN: tuple[tuple[str, type[Base]], ...] = (
    ("team", TeamMember), ("challenges", ChallengeItem), ("consultations", ConsultationActivity),
    ("judgements", Judgement), ("signoffs", SignOff),
)
#: Columns never written to the document: local ids and foreign keys (replaced by references),
#: and what a database keeps for itself: row versions, and the submission PDF kept at sign-off
#: (a sign-off arrives with its frozen snapshot and renders from it there).
_LOCAL = {"id", "review_id", "option_id", "criterion_id", "indicator_id", "service_id",
          "row_version", "submission", "submission_pages"}
#: Values compared as a whole when merging, never field by field.
_LEAVES = {"snapshot", "amounts", "aliases"}


class _Marker:
    """A value that is not in a document, for merging."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


#: A field or list item that a document does not have.
ABSENT: Any = _Marker("absent")
#: The base of a merge when the two sides were never exchanged: nothing is known to be common.
NO_BASE: Any = _Marker("no base")


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Conflict:
    """A field changed differently here and in the package since they were last exchanged."""

    path: str
    mine: Any
    theirs: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.path, "mine": _shown(self.mine), "theirs": _shown(self.theirs)}


@dataclass(frozen=True, slots=True)
class ExportResult:
    review_id: int
    uid: str
    file: Path
    evidence_files: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"review": self.review_id, "uid": self.uid, "file": str(self.file),
                "evidence_files": self.evidence_files, "sha256": self.sha256}


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did, or (``applied`` False) the conflicts that stopped it."""

    uid: str
    title: str
    review_id: int | None
    created: bool
    applied: bool
    taken: tuple[str, ...]
    conflicts: tuple[Conflict, ...]

    def to_json(self) -> dict[str, Any]:
        return {"uid": self.uid, "title": self.title, "review": self.review_id,
                "created": self.created, "applied": self.applied, "taken": list(self.taken),
                "conflicts": [c.to_json() for c in self.conflicts]}


@dataclass(frozen=True, slots=True)
class Package:
    """A package read and verified: its document and evidence files by SHA-256."""

    document: dict[str, Any]
    files: Mapping[str, bytes]

    @property
    def review(self) -> dict[str, Any]:
        review: dict[str, Any] = self.document["review"]
        return review


# --- export ------------------------------------------------------------------------------------


def export_review(db: Database, review_id: int, target: Path | str, *,
                  progress: Callable[[float], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Write review ``review_id`` to ``target`` as a package; it becomes the exchange base (in a
    database open read-only nothing can be recorded: the package is written all the same).

    Raises:
        InputRefused: no such review.
        FileProblem: the file cannot be written (nothing is left half-written).
        Cancelled: ``cancelled()`` became true; no file was written, nothing was changed.
    """
    reading, packing = Progress.of(progress, cancelled).steps(1, 4)
    target = Path(target)
    with db.read() as session:
        review = get_review(session, review_id)
        document: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION,
                    "exported_at": db.clock().isoformat(timespec="seconds"),
                    "exported_by": db.user, "bvdesk_version": __version__,
                    "review": review_document(review)}
        files = {e.sha256: e.content for e in review.evidence}
    reading.done()
    reading.check(_EXPORT_CANCELLED)
    written = write_with(target, lambda temp: _zip(temp, document, files, packing),
                         database=db.path)
    if not db.read_only:
        with db.session() as session:
            _set_base(session, document["review"])
    return ExportResult(review_id, document["review"]["uid"], target, len(files),
                        _sha256(written))


def review_document(review: Review) -> dict[str, Any]:
    """The review and everything under it as plain JSON values, without local ids."""
    doc = _row(review)
    doc["service"] = _row(review.service)
    for key, _model in _SIMPLE_CHILDREN:
        doc[key] = [_row(child) for child in getattr(review, key)]
    doc["indicators"] = sorted(({**_row(link), "indicator": _row(link.indicator)}
                                for link in review.indicators),
                               key=lambda item: item["indicator"]["code"])
    doc["appraisal"] = _row(review.appraisal) if review.appraisal is not None else None
    options = list(review.options)
    doc["options"] = [{**_row(o), "cost_lines": [_row(c) for c in o.cost_lines],
                       "risks": [_row(r) for r in o.risks]} for o in options]
    position = {o.id: i for i, o in enumerate(options)}
    doc["criteria"] = [{**_row(c), "scores": sorted(
        ({"option": position[s.option_id], "score": s.score} for s in c.scores),
        key=lambda s: s["option"])} for c in review.criteria]
    doc["actions"] = [{**_row(a), "indicator": a.indicator.code if a.indicator else None}
                      for a in review.actions]
    doc["evidence"] = [{**_row(e, skip={"content"}), "path": f"evidence/{e.sha256}"}
                       for e in review.evidence]
    return doc


def _row(obj: Base, skip: frozenset[str] | set[str] = frozenset()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attr in obj.__mapper__.column_attrs:
        if attr.key in _LOCAL or attr.key in skip:
            continue
        value = getattr(obj, attr.key)
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        out[attr.key] = value
    return out


def _zip(path: Path, document: dict[str, Any], files: Mapping[str, bytes],
         progress: Progress) -> None:
    """Write the package to ``path``, asking to cancel before each member (``path`` is the
    output writer's temporary file: a cancel leaves nothing)."""
    # Key order is kept: renderers print JSON objects (the context, snapshots) in that order.
    body = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    members = {DOCUMENT: body, **{f"evidence/{sha}": content for sha, content in files.items()}}
    manifest = {"algorithm": "sha256",
                "files": {name: hashlib.sha256(data).hexdigest()
                          for name, data in sorted(members.items())}}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
        for name, data in _by_size(members, progress, _EXPORT_CANCELLED):
            archive.writestr(name, data)
        progress.check(_EXPORT_CANCELLED)


def _by_size(members: Mapping[str, bytes], progress: Progress,
             cancelled: str) -> Iterator[tuple[str, bytes]]:
    """Each member, asking to cancel before it and reporting the share of bytes done after."""
    total = sum(len(data) for data in members.values()) or 1
    done = 0
    for name, data in members.items():
        progress.check(cancelled)
        yield name, data
        done += len(data)
        progress(done / total)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- reading and verifying ----------------------------------------------------------------------


def read_package(source: Path | str, *, progress: Callable[[float], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> Package:
    """Read a package and check it against its manifest.

    Raises:
        FileProblem: not a readable package, too large, or tampered with (a hash mismatch).
        Cancelled: ``cancelled()`` became true.
    """
    unpacking, verifying, checking = Progress.of(progress, cancelled).steps(4, 2, 1)
    source = Path(source)
    try:
        with zipfile.ZipFile(source) as archive:
            members = _members(archive, source.name, unpacking)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise FileProblem(f"{source.name} is not a bvdesk review package (it is not a "
                          "readable zip file).") from exc
    try:
        manifest = json.loads(members.pop(MANIFEST))
        document = json.loads(members[DOCUMENT])
    except (KeyError, ValueError, UnicodeDecodeError) as exc:
        raise FileProblem(f"{source.name} is not a bvdesk review package (no readable "
                          f"{DOCUMENT} and {MANIFEST}).") from exc
    _verify(source.name, manifest, members, verifying)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise FileProblem(f"{source.name} is not a bvdesk review package.")
    if document.get("format_version") != FORMAT_VERSION:
        raise FileProblem(f"{source.name} is a review package of format version "
                          f"{document.get('format_version')}; this bvdesk reads version "
                          f"{FORMAT_VERSION}. Install the latest bvdesk to import it.")
    checking.check(_IMPORT_CANCELLED)
    _check_schema(source.name, document)
    _check_evidence(source.name, document, members)
    checking.done()
    files = {name.removeprefix("evidence/"): data for name, data in members.items()
             if name.startswith("evidence/")}
    return Package(document, files)


def _members(archive: zipfile.ZipFile, name: str, progress: Progress) -> dict[str, bytes]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise FileProblem(f"{name} holds {len(infos)} files; a review package holds at most "
                          f"{MAX_MEMBERS}. It was not imported.")
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    document = next((i for i in infos if i.filename == DOCUMENT), None)
    if total > MAX_TOTAL_BYTES or total / packed > MAX_RATIO or \
            (document is not None and document.file_size > MAX_DOCUMENT_BYTES):
        raise FileProblem(f"{name} would unpack to {total:,} bytes from {packed:,}: too large "
                          "or too compressed to be a review package. It was not imported.")
    members: dict[str, bytes] = {}
    done = 0
    for info in infos:
        progress.check(_IMPORT_CANCELLED)
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise FileProblem(f"{name} is encrypted; export the review again without a "
                              "password.")
        with archive.open(info) as handle:
            data = handle.read(info.file_size + 1)
        if len(data) != info.file_size:
            raise FileProblem(f"{name}: {info.filename} is not the size its zip entry "
                              "declares; the package is damaged or tampered with.")
        members[info.filename] = data
        done += info.file_size
        progress(done / (total or 1))
    return members


def _verify(name: str, manifest: Any, members: Mapping[str, bytes],
            progress: Progress) -> None:
    listed = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(listed, dict):
        raise FileProblem(f"{name}: the manifest has no list of files; the package is damaged.")
    unlisted = sorted(set(members) - set(listed))
    missing = sorted(set(listed) - set(members))
    if unlisted or missing:
        raise FileProblem(f"{name} was changed after it was exported: "
                          + "; ".join([*(f"{m} is not in the manifest" for m in unlisted),
                                       *(f"{m} is missing" for m in missing)])
                          + ". It was not imported.")
    in_order = {member: members[member] for member in sorted(listed)}
    for member, data in _by_size(in_order, progress, _IMPORT_CANCELLED):
        if hashlib.sha256(data).hexdigest() != listed[member]:
            raise FileProblem(f"{name} was changed after it was exported: {member} does not "
                              "match the SHA-256 in its manifest. It was not imported.")


@functools.cache
def _validator() -> Draft202012Validator:
    schema = json.loads(resource("schema", "review-package.schema.json").read_text("utf-8"))
    return Draft202012Validator(schema)


def _check_schema(name: str, document: dict[str, Any]) -> None:
    """Refuse a document that does not follow the published schema, naming the first fault."""
    error = best_match(_validator().iter_errors(document))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "the document"
        raise FileProblem(f"{name} does not follow the review package format: at {where}, "
                          f"{_shown(error.message)}. It was not imported.")


def _check_evidence(name: str, document: dict[str, Any], members: Mapping[str, bytes]) -> None:
    review = document.get("review")
    if not isinstance(review, dict) or not isinstance(review.get("uid"), str):
        raise FileProblem(f"{name}: {DOCUMENT} holds no review.")
    for item in review.get("evidence", []):
        data = members.get(item.get("path", ""))
        if data is None or hashlib.sha256(data).hexdigest() != item.get("sha256"):
            raise FileProblem(f"{name}: the evidence file {item.get('file_name')!r} is missing "
                              "or does not match its SHA-256. It was not imported.")


# --- import --------------------------------------------------------------------------------------


def import_review(db: Database, source: Path | str, *, keep: str | None = None,
                  choices: Mapping[str, str] | None = None,
                  progress: Callable[[float], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Bring a package in: a new review, or a merge into the review with the same uid.

    ``keep`` ("mine" or "theirs") settles every conflict; ``choices`` settles single fields by
    path (as listed in the conflicts). With a conflict left unsettled nothing is written and the
    result lists the conflicts (``applied`` False).

    Raises:
        FileProblem: the package is unreadable or tampered with.
        ReviewLocked: the local review is signed off.
        InputRefused: an unknown choice.
        Cancelled: ``cancelled()`` became true; nothing was changed (the one transaction of
            the import is rolled back).
    """
    reading, merging, saving = Progress.of(progress, cancelled).steps(5, 1, 3)
    choose = _chooser(keep, choices or {})
    package = read_package(source, progress=reading)
    with db.session(allow_locked=True) as session:
        merging.check(_IMPORT_CANCELLED)
        result = _bring_in(session, package, choose)
        merging.done()
        session.flush()
        saving.check(_IMPORT_CANCELLED)
    saving.done()
    return result


def _bring_in(session: Session, package: Package,
              choose: Callable[[str], str | None]) -> ImportResult:
    """A new review made from the package, or the package merged into the review with its uid
    (nothing written when a conflict is left unsettled)."""
    theirs = package.review
    review = session.scalars(select(Review).where(Review.uid == theirs["uid"])).first()
    if review is None:
        created = _create(session, theirs, package.files)
        _set_base(session, theirs)
        return ImportResult(theirs["uid"], theirs["title"], created.id, True, True, (), ())
    mine = review_document(review)
    base = _get_base(session, theirs["uid"])
    merged, taken, conflicts = merge(base, mine, theirs, choose)
    unsettled = tuple(c for c in conflicts if choose(c.path) is None)
    if unsettled:
        return ImportResult(theirs["uid"], theirs["title"], review.id, False, False, (),
                            unsettled)
    if merged != mine:
        if review.locked:
            raise ReviewLocked(f"Review {review.id} is signed off and read-only: the "
                               "package was not imported. Reopen it as a new version first.",
                               review.id)
        _apply(session, review, merged, package.files)
    _set_base(session, merged)
    return ImportResult(theirs["uid"], theirs["title"], review.id, False, True,
                        tuple(taken), tuple(conflicts))


def _chooser(keep: str | None, choices: Mapping[str, str]) -> Callable[[str], str | None]:
    for value in (keep, *choices.values()):
        if value is not None and value not in ("mine", "theirs"):
            raise InputRefused(f"Choose 'mine' or 'theirs', not {value!r}.")
    return lambda path: choices.get(path, keep)


# --- merging -------------------------------------------------------------------------------------


def merge(base: Any, mine: Any, theirs: Any, choose: Callable[[str], str | None]
          ) -> tuple[Any, list[str], list[Conflict]]:
    """Three-way merge of two documents against their common base (``NO_BASE`` when unknown).

    Returns the merged document, the paths taken from ``theirs``, and every conflict (resolved by
    ``choose`` where it gives an answer, else kept as ``mine`` in the merged document).
    """
    taken: list[str] = []
    conflicts: list[Conflict] = []
    merged = _merge(base, mine, theirs, "", choose, taken, conflicts)
    return merged, taken, conflicts


def _merge(base: Any, mine: Any, theirs: Any, path: str, choose: Callable[[str], str | None],
           taken: list[str], conflicts: list[Conflict]) -> Any:
    if mine == theirs or theirs == base:
        return mine
    if mine == base:
        taken.extend(_changed(base, theirs, path))
        return theirs
    leaf = path.rsplit(".", 1)[-1] in _LEAVES
    if not leaf and isinstance(mine, dict) and isinstance(theirs, dict):
        old = base if isinstance(base, dict) else {}
        out = {}
        for key in [*mine, *(k for k in theirs if k not in mine)]:
            value = _merge(NO_BASE if base is NO_BASE else old.get(key, ABSENT),
                           mine.get(key, ABSENT), theirs.get(key, ABSENT),
                           f"{path}.{key}" if path else key, choose, taken, conflicts)
            if value is not ABSENT:
                out[key] = value
        return out
    if not leaf and _records(mine) and _records(theirs):
        old_items = base if isinstance(base, list) else []
        items = [_merge(NO_BASE if base is NO_BASE else _at(old_items, i), _at(mine, i),
                        _at(theirs, i), f"{path}[{i}]", choose, taken, conflicts)
                 for i in range(max(len(mine), len(theirs)))]
        return [item for item in items if item is not ABSENT]
    conflicts.append(Conflict(path, mine, theirs))
    if choose(path) == "theirs":
        taken.append(path)
        return theirs
    return mine


def _changed(old: Any, new: Any, path: str) -> list[str]:
    """The paths of the fields that differ between ``old`` and ``new``."""
    if old == new:
        return []
    if path.rsplit(".", 1)[-1] not in _LEAVES:
        if isinstance(old, dict) and isinstance(new, dict):
            return [p for key in [*old, *(k for k in new if k not in old)]
                    for p in _changed(old.get(key, ABSENT), new.get(key, ABSENT),
                                      f"{path}.{key}" if path else key)]
        if _records(old) and _records(new):
            return [p for i in range(max(len(old), len(new)))
                    for p in _changed(_at(old, i), _at(new, i), f"{path}[{i}]")]
    return [path or "review"]


def _records(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _at(items: list[Any], index: int) -> Any:
    return items[index] if index < len(items) else ABSENT


def _shown(value: Any) -> Any:
    if value is ABSENT:
        return None
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) \
        else value
    return text if len(text) <= 200 else text[:197] + "..."


def _get_base(session: Session, uid: str) -> Any:
    row = session.get(Setting, BASE_KEY.format(uid=uid))
    return NO_BASE if row is None or row.value is None else row.value


def _set_base(session: Session, review: dict[str, Any]) -> None:
    key = BASE_KEY.format(uid=review["uid"])
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=review))
    elif row.value != review:
        row.value = review


# --- writing a document into the database --------------------------------------------------------


def _create(session: Session, doc: dict[str, Any], files: Mapping[str, bytes]) -> Review:
    review = Review(uid=doc["uid"])
    _apply(session, review, doc, files)
    session.add(review)
    session.flush()
    return review


def _apply(session: Session, review: Review, doc: dict[str, Any],
           files: Mapping[str, bytes]) -> None:
    """Make ``review`` match ``doc``; collections are replaced only where they differ."""
    current = review_document(review) if review.id is not None else {}
    _fill(review, doc)
    review.service = _by_code(session, ServiceArea, doc["service"])
    for key, model in _SIMPLE_CHILDREN:
        if current.get(key) != doc[key]:
            setattr(review, key, [_fill(model(), item) for item in doc[key]])
    if current.get("indicators") != doc["indicators"]:
        review.indicators = [
            _fill(ReviewIndicator(indicator=_by_code(session, Indicator, i["indicator"])), i)
            for i in doc["indicators"]]
    if current.get("appraisal") != doc["appraisal"]:
        review.appraisal = _fill(AppraisalSettings(), doc["appraisal"]) \
            if doc["appraisal"] is not None else None
    if current.get("options") != doc["options"] or current.get("criteria") != doc["criteria"]:
        options = [_option(item) for item in doc["options"]]
        review.options = options
        review.criteria = [_criterion(item, options) for item in doc["criteria"]]
    if current.get("actions") != doc["actions"]:
        review.actions = [_action(session, item) for item in doc["actions"]]
    if current.get("evidence") != doc["evidence"]:
        review.evidence = [_evidence(item, files) for item in doc["evidence"]]


_Row = TypeVar("_Row", bound=Base)


def _fill(obj: _Row, values: Mapping[str, Any]) -> _Row:
    for attr in obj.__mapper__.column_attrs:
        if attr.key in _LOCAL or attr.key not in values:
            continue
        value = values[attr.key]
        column_type = attr.columns[0].type
        try:
            if value is not None and isinstance(column_type, DateTime):
                value = dt.datetime.fromisoformat(value)
            elif value is not None and isinstance(column_type, Date):
                value = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise InputRefused(f"The package gives {attr.key} as {_shown(value)}, which is not "
                               "a date; it was not imported.") from exc
        setattr(obj, attr.key, value)
    return obj


def _by_code(session: Session, model: type[ServiceArea] | type[Indicator],
             values: Mapping[str, Any]) -> Any:
    """The service or indicator with the package's code, added from the package if missing."""
    found = session.scalars(select(model).where(model.code == values["code"])).first()
    if found is None:
        found = _fill(model(), values)
        session.add(found)
    return found


def _option(item: Mapping[str, Any]) -> Option:
    option = _fill(Option(), item)
    option.cost_lines = [_fill(CostLine(), line) for line in item["cost_lines"]]
    option.risks = [_fill(Risk(), risk) for risk in item["risks"]]
    return option


def _criterion(item: Mapping[str, Any], options: list[Option]) -> QualityCriterion:
    criterion = _fill(QualityCriterion(), item)
    for score in item["scores"]:
        try:
            option = options[score["option"]]
        except (IndexError, TypeError) as exc:
            raise InputRefused(f"The package scores criterion {item['name']!r} against an "
                               "option it does not contain; it was not imported.") from exc
        criterion.scores.append(QualityScore(option=option, score=score["score"]))
    return criterion


def _action(session: Session, item: Mapping[str, Any]) -> Action:
    action = _fill(Action(), item)
    code = item.get("indicator")
    if code is not None:
        action.indicator = session.scalars(select(Indicator).where(Indicator.code == code)).first()
        if action.indicator is None:
            raise InputRefused(f"The action {item['title']!r} measures indicator {code}, which "
                               "is neither in this database nor in the package.")
    return action


def _evidence(item: Mapping[str, Any], files: Mapping[str, bytes]) -> Evidence:
    evidence = _fill(Evidence(), item)
    evidence.content = files[item["sha256"]]
    return evidence



