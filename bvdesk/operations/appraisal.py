"""The options appraisal of a review: gather its inputs, appraise, and replace them from a workbook.

``load_inputs`` reads everything the appraisal needs in one read session and returns the
domain's frozen ``AppraisalInputs``; the UI keeps that and re-runs ``domain.appraisal.appraise``
on every edit. ``appraise_review`` does both steps. Compulsory competition is decided by the
benchmark: any indicator linked to the review's service (or to the review itself) in the bottom
quartile in the landlord's latest year.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bvdesk.domain.appraisal import (
    AppraisalInputs,
    AppraisalParameters,
    AppraisalResult,
    CostLineInput,
    Criterion,
    OptionInput,
    RiskInput,
    appraise,
)
from bvdesk.domain.discounting import DEFAULT_DISCOUNT_SCHEDULE, parse_discount_schedule
from bvdesk.domain.vat import DEFAULT_VAT_TABLE, parse_vat_table
from bvdesk.domain.vocabulary import CostCategory, OptionKind, PriceMethod, VatTreatment
from bvdesk.errors import InputRefused, RecordChanged
from bvdesk.operations.benchmark import benchmark
from bvdesk.operations.outputs import write_bytes
from bvdesk.operations.progress import Progress
from bvdesk.operations.reviews import get_review
from bvdesk.operations.settings import SPECS
from bvdesk.store.db import Database
from bvdesk.store.models import (
    AppraisalSettings,
    AuditEntry,
    CostLine,
    ImportRun,
    Indicator,
    Option,
    Organisation,
    QualityCriterion,
    QualityScore,
    Review,
    ReviewIndicator,
    Risk,
    Setting,
)

if TYPE_CHECKING:
    from bvdesk.excel.appraisal_workbook import Issue


@dataclass(frozen=True, slots=True)
class _Loaded:
    inputs: AppraisalInputs
    indicator_codes: tuple[str, ...]


def load_inputs(db: Database, review_id: int) -> AppraisalInputs:
    """Everything ``appraise`` needs for review ``review_id``, compulsory competition included.

    Raises:
        InputRefused: no such review, or stored data the appraisal cannot use (an unknown
            option kind, an unreadable VAT table or discount schedule).
    """
    with db.read() as session:
        loaded = _load(session, review_id)
    bottom, unchecked = _bottom_quartile(db, loaded.indicator_codes)
    inputs = loaded.inputs
    return AppraisalInputs(parameters=inputs.parameters, options=inputs.options,
                           criteria=inputs.criteria, bottom_quartile_indicators=bottom,
                           vat_table=inputs.vat_table,
                           discount_schedule=inputs.discount_schedule, notes=inputs.notes,
                           competition_unchecked=unchecked)


def appraise_review(db: Database, review_id: int) -> AppraisalResult:
    """Appraise the options of review ``review_id``.

    Raises:
        InputRefused: as ``load_inputs``, or inputs the method cannot appraise.
    """
    return appraise_inputs(load_inputs(db, review_id))


def settings_in_use(db: Database, review_id: int) -> dict[str, Any]:
    """The appraisal settings review ``review_id`` is appraised with while it has none of its
    own (its start date as the base date, the landlord's default price weight, VAT by the base
    date): what setting up the appraisal starts from, so that doing so moves no figure.

    Raises:
        InputRefused: no such review.
    """
    with db.read() as session:
        review = get_review(session, review_id)
        params = _parameters(session, review, [])
    return {"base_date": params.base_date, "period_years": params.period_years,
            "discount_rate": params.discount_rate_pct, "vat_rate": params.vat_rate_pct,
            "price_weight": params.price_weight, "price_method": params.price_method.value,
            "quality_threshold_pct": params.quality_threshold_pct}


def appraise_inputs(inputs: AppraisalInputs) -> AppraisalResult:
    """``domain.appraisal.appraise``, with its refusals worded as ``InputRefused``."""
    try:
        return appraise(inputs)
    except ValueError as exc:
        raise InputRefused(f"The appraisal cannot be worked out: {exc}.") from exc


# --- loading -----------------------------------------------------------------------------------


def _load(session: Session, review_id: int) -> _Loaded:
    review = get_review(session, review_id)
    notes: list[str] = []
    params = _parameters(session, review, notes)
    criteria = tuple(Criterion(c.name, c.weight) for c in review.criteria)
    names = {c.id: c.name for c in review.criteria}
    options = session.scalars(
        select(Option).where(Option.review_id == review_id).order_by(Option.position, Option.id)
        .options(selectinload(Option.cost_lines), selectinload(Option.risks),
                 selectinload(Option.scores))).all()
    return _Loaded(
        inputs=AppraisalInputs(
            parameters=params, criteria=criteria,
            options=tuple(_option(option, names, notes) for option in options),
            vat_table=_stored(session, "vat_table", parse_vat_table, DEFAULT_VAT_TABLE),
            discount_schedule=_stored(session, "discount_schedule", parse_discount_schedule,
                                      DEFAULT_DISCOUNT_SCHEDULE),
            notes=tuple(notes)),
        indicator_codes=_linked_indicators(session, review))


def _parameters(session: Session, review: Review, notes: list[str]) -> AppraisalParameters:
    stored = review.appraisal
    homes = stored.homes_served if stored is not None else None
    if homes is None:
        homes = session.scalar(select(Organisation.homes).where(Organisation.is_self))
        if homes:
            notes.append(f"Homes served is not set; the landlord's {homes:,} homes are used "
                         "for the cost per home.")
    if stored is None:
        base = review.start_date or review.created_at.date()
        weight = session.scalar(select(Setting.value).where(Setting.key == "default_price_weight"))
        notes.append(f"The appraisal settings have not been set; the defaults are used (base "
                     f"date {base.day} {base:%B %Y}, 10 years).")
        return AppraisalParameters(
            base_date=base, homes_served=homes,
            price_weight=float(SPECS["default_price_weight"].default if weight is None
                               else weight))
    return AppraisalParameters(
        base_date=stored.base_date, period_years=stored.period_years,
        discount_rate_pct=stored.discount_rate, vat_rate_pct=stored.vat_rate,
        price_weight=stored.price_weight,
        price_method=_vocabulary(PriceMethod, stored.price_method, "price method"),
        quality_threshold_pct=stored.quality_threshold_pct, homes_served=homes)


def _option(option: Option, criteria: dict[int, str], notes: list[str]) -> OptionInput:
    if not option.cost_lines:
        notes.append(f"{option.name} has no costs yet.")
    return OptionInput(
        name=option.name, kind=_vocabulary(OptionKind, option.kind, "option kind"),
        description=option.description, optimism_bias_pct=option.optimism_bias_pct,
        market_tested_share_pct=option.market_tested_share_pct, id=option.id,
        cost_lines=tuple(CostLineInput(
            category=_vocabulary(CostCategory, line.category, "cost category"),
            vat=_vocabulary(VatTreatment, line.vat, "VAT treatment"),
            amounts=tuple(float(a or 0.0) for a in line.amounts), description=line.description)
            for line in option.cost_lines),
        risks=tuple(RiskInput(r.description, r.probability, r.impact, r.year)
                    for r in option.risks),
        scores={criteria[s.criterion_id]: s.score for s in option.scores
                if s.criterion_id in criteria})


def _vocabulary(enum: Any, value: str, what: str) -> Any:
    try:
        return enum(value)
    except ValueError as exc:
        raise InputRefused(f"The stored {what} '{value}' is not one bvdesk knows.") from exc


def _stored(session: Session, key: str, parse: Any, default: Any) -> Any:
    value = session.scalar(select(Setting.value).where(Setting.key == key))
    if value is None:
        return default
    try:
        return parse(value)
    except ValueError as exc:
        raise InputRefused(f"The '{SPECS[key].label}' setting cannot be used: {exc}.") from exc


def _linked_indicators(session: Session, review: Review) -> tuple[str, ...]:
    by_service = session.scalars(select(Indicator.code).where(
        Indicator.service_id == review.service_id)).all()
    by_review = session.scalars(select(Indicator.code).join(
        ReviewIndicator, ReviewIndicator.indicator_id == Indicator.id).where(
        ReviewIndicator.review_id == review.id)).all()
    return tuple(sorted(set(by_service) | set(by_review)))


def _bottom_quartile(db: Database, codes: Sequence[str]) -> tuple[frozenset[str], str | None]:
    """The linked indicators in the bottom quartile, or why benchmarking cannot say."""
    if not codes:
        return frozenset(), "no indicator is linked to this service."
    try:
        report = benchmark(db, indicators=codes)
    except InputRefused as exc:
        return frozenset(), exc.message
    return frozenset(row.indicator for row in report.rows if row.bottom_quartile), None


# --- writing -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReplaceSummary:
    review_id: int
    options: int
    cost_lines: int
    risks: int
    criteria: int
    #: Quality scores (not in ``to_json``: the import run records the counts it always has).
    scores: int = 0

    def to_json(self) -> dict[str, int]:
        return {"review": self.review_id, "options": self.options,
                "cost_lines": self.cost_lines, "risks": self.risks, "criteria": self.criteria}


def replace_appraisal(db: Database, review_id: int, parameters: AppraisalParameters,
                      options: Sequence[OptionInput], criteria: Sequence[Criterion], *,
                      source: Path | None = None,
                      expected: MadeFrom | None = None,
                      progress: Progress | None = None) -> ReplaceSummary:
    """Replace the review's appraisal settings, options and criteria, in one transaction.

    ``source`` is the workbook they came from, recorded as an import run. ``expected`` is the
    appraisal the workbook was made from; when the review's appraisal is no longer that one,
    nothing is replaced. ``progress`` is checked for a cancel before the transaction commits.

    Raises:
        InputRefused: no such review; ReviewLocked when it is signed off;
        AppraisalChangedSinceWorkbook: the appraisal is no longer the ``expected`` one;
        Cancelled: the person cancelled; nothing was replaced.
    """
    named = {c.name for c in criteria}
    summary = ReplaceSummary(review_id=review_id, options=len(options),
                             cost_lines=sum(len(o.cost_lines) for o in options),
                             risks=sum(len(o.risks) for o in options), criteria=len(criteria),
                             scores=sum(name in named for o in options for name in o.scores))
    with db.session() as session:
        review = get_review(session, review_id)
        if expected is not None and _appraisal_rows(session, review_id)[0] != expected.fingerprint:
            raise _changed(session, review_id, expected, source)
        if source is not None:
            session.add(ImportRun(kind="appraisal", file_name=source.name,
                                  sha256=hashlib.sha256(source.read_bytes()).hexdigest(),
                                  at=db.clock(), by=db.user, counts=summary.to_json()))
        review.appraisal = _settings_row(parameters, review.appraisal)
        review.criteria = []
        review.options = []
        session.flush()
        review.options = [_option_row(option, position)
                          for position, option in enumerate(options)]
        review.criteria = [QualityCriterion(name=c.name, weight=c.weight, position=position)
                           for position, c in enumerate(criteria)]
        session.flush()
        by_name = {c.name: c.id for c in review.criteria}
        session.add_all(QualityScore(criterion_id=by_name[name], option_id=row.id, score=score)
                        for row, option in zip(review.options, options, strict=True)
                        for name, score in option.scores.items() if name in by_name)
        if progress is not None:
            session.flush()
            progress.check(_IMPORT_CANCELLED)
    return summary


class AppraisalChangedSinceWorkbook(RecordChanged):
    """The review's appraisal changed after the workbook was made from it; nothing was written.
    ``what_changed`` is the message without its advice (for a face that words its own)."""

    def __init__(self, what_changed: str) -> None:
        super().__init__(f"{what_changed} Make a new workbook from the review and copy your "
                         "figures into it, or import this one again choosing to replace the "
                         "changes.")
        self.what_changed = what_changed


def _appraisal_rows(session: Session, review_id: int) -> tuple[str, set[tuple[str, str]]]:
    """A fingerprint of the review's appraisal rows (which rows, at which version), and the rows
    as the audit log names them. Any save to the appraisal, or a replacement, changes it."""
    on_review = Option.review_id == review_id
    queries = (
        ("appraisal_settings", select(AppraisalSettings.review_id, AppraisalSettings.row_version)
         .where(AppraisalSettings.review_id == review_id)),
        ("option", select(Option.id, Option.row_version).where(on_review)),
        ("cost_line", select(CostLine.id, CostLine.row_version).join(Option).where(on_review)),
        ("risk", select(Risk.id, Risk.row_version).join(Option).where(on_review)),
        ("quality_criterion", select(QualityCriterion.id, QualityCriterion.row_version)
         .where(QualityCriterion.review_id == review_id)),
        ("quality_score", select(QualityScore.criterion_id, QualityScore.option_id,
                                 QualityScore.row_version)
         .join(Option, QualityScore.option_id == Option.id).where(on_review)),
    )
    versions: list[str] = []
    rows: set[tuple[str, str]] = set()
    for entity, query in queries:
        for *identity, version in session.execute(query):
            entity_id = ":".join(str(part) for part in identity)
            rows.add((entity, entity_id))
            versions.append(f"{entity}:{entity_id}:{version}")
    digest = hashlib.sha256("\n".join(sorted(versions)).encode()).hexdigest()
    return digest, rows


def _changed(session: Session, review_id: int, made: MadeFrom,
             source: Path | None) -> AppraisalChangedSinceWorkbook:
    """The refusal, naming the latest change to the review's appraisal since the workbook was
    made (a save to one of its rows, or a row of it added or deleted)."""
    _, rows = _appraisal_rows(session, review_id)
    options = {entity_id for entity, entity_id in rows if entity == "option"}
    owners = {"review_id": {str(review_id)}, "option_id": options}

    def of_review(entry: AuditEntry) -> bool:
        return ((entry.entity, entry.entity_id) in rows
                or entry.field in owners and bool({entry.old, entry.new} & owners[entry.field]))

    last = next(filter(of_review, session.scalars(
        select(AuditEntry).where(AuditEntry.id > made.last_audit,
                                 AuditEntry.entity.in_(_APPRAISAL_TABLES))
        .order_by(AuditEntry.id.desc()))), None)
    by = ""
    if last is not None:
        try:
            when = dt.datetime.fromisoformat(last.at).strftime("%d %b %Y at %H:%M")
        except ValueError:
            when = last.at
        by = f" (last by {last.user} on {when})"
    workbook = source.name if source is not None else "the workbook"
    return AppraisalChangedSinceWorkbook(
        f"The appraisal of review {review_id} has changed since {workbook} was made from it"
        f"{by}. Importing the workbook would overwrite those changes, so nothing was changed.")


_APPRAISAL_TABLES = ("appraisal_settings", "option", "cost_line", "risk", "quality_criterion",
                     "quality_score")


@dataclass(frozen=True, slots=True)
class MadeFrom:
    """What a workbook was made from: a review's appraisal (its fingerprint) as it stood after
    the audit log's entry ``last_audit``. Kept in the workbook as text."""

    review_id: int
    fingerprint: str
    last_audit: int

    def __str__(self) -> str:
        return f"review {self.review_id} appraisal {self.fingerprint} after {self.last_audit}"

    @classmethod
    def parse(cls, text: str | None) -> MadeFrom | None:
        match = _MADE_FROM.fullmatch(text or "")
        return cls(int(match[1]), match[2], int(match[3])) if match else None


_MADE_FROM = re.compile(r"review (\d+) appraisal ([0-9a-f]{64}) after (\d+)")


def _settings_row(params: AppraisalParameters,
                  row: AppraisalSettings | None) -> AppraisalSettings:
    row = row or AppraisalSettings()
    row.base_date = params.base_date
    row.period_years = params.period_years
    row.discount_rate = params.discount_rate_pct
    row.vat_rate = params.vat_rate_pct
    row.price_weight = params.price_weight
    row.price_method = params.price_method.value
    row.quality_threshold_pct = params.quality_threshold_pct
    row.homes_served = params.homes_served
    return row


def _option_row(option: OptionInput, position: int) -> Option:
    row = Option(name=option.name, kind=option.kind.value, description=option.description,
                 optimism_bias_pct=option.optimism_bias_pct,
                 market_tested_share_pct=option.market_tested_share_pct, position=position)
    row.cost_lines = [CostLine(category=line.category.value, vat=line.vat.value,
                               description=line.description, amounts=list(line.amounts),
                               position=index) for index, line in enumerate(option.cost_lines)]
    row.risks = [Risk(description=r.description, probability=r.probability, impact=r.impact,
                      year=r.year) for r in option.risks]
    return row



# --- workbook ----------------------------------------------------------------------------------


class AppraisalImportRefused(InputRefused):
    """The workbook has problems; nothing was imported. ``issues`` locates each one."""

    def __init__(self, message: str, issues: Sequence[Issue]) -> None:
        super().__init__(message)
        self.issues = tuple(issues)


#: Problems listed in the refusal message (all of them are in ``issues``).
SHOWN_ISSUES = 25
_EXPORT_CANCELLED = "The export was cancelled; no workbook was written."
_IMPORT_CANCELLED = "The import was cancelled; nothing was changed."


def write_template(path: Path | str, *, db: Database | None = None,
                   review_id: int | None = None, base_date: dt.date | None = None,
                   period_years: int | None = None,
                   progress: Callable[[float], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> Path:
    """Write an appraisal workbook: the review's current appraisal, or a new one.

    Raises:
        InputRefused: no such review; FileProblem: the file cannot be written;
        Cancelled: ``cancelled()`` became true; no file was written.
    """
    # openpyxl loads only for the workbook commands, not for every use of the appraisal.
    from bvdesk.excel.appraisal_workbook import (
        AppraisalData,
        starter_data,
        write_appraisal_workbook,
    )

    if db is not None and review_id is not None:
        with db.read() as session:
            inputs = _load(session, review_id).inputs
            made_from: str | None = str(MadeFrom(
                review_id, _appraisal_rows(session, review_id)[0],
                session.scalar(select(func.max(AuditEntry.id))) or 0))
        params = inputs.parameters
        if period_years is not None:
            params = replace(params, period_years=period_years)
        if base_date is not None:
            params = replace(params, base_date=base_date)
        data = AppraisalData(params, inputs.options, inputs.criteria)
    else:
        data = starter_data(base_date or dt.date.today(),
                            10 if period_years is None else period_years)
        made_from = None
    reading, writing = Progress.of(progress, cancelled).steps(1, 3)
    reading.check(_EXPORT_CANCELLED)
    book = io.BytesIO()
    write_appraisal_workbook(book, data, made_from=made_from)
    writing.check(_EXPORT_CANCELLED)
    write_bytes(path, book.getvalue(), database=db.path if db is not None else None)
    writing.done()
    return Path(path)


def import_appraisal(db: Database, review_id: int, path: Path | str, *,
                     replace_changes: bool = False,
                     progress: Callable[[float], None] | None = None,
                     cancelled: Callable[[], bool] | None = None) -> ReplaceSummary:
    """Replace the review's appraisal with a workbook's, all or nothing.

    A workbook made from this review records the appraisal it was made from; if the review's
    appraisal has changed since (a colleague's save, another import), the import is refused
    unless ``replace_changes``. A workbook without the record (a blank one, an older one, one
    made from another review) is imported as it is.

    Raises:
        AppraisalImportRefused: the workbook has problems (each located); nothing was written.
        AppraisalChangedSinceWorkbook: the review's appraisal changed since the workbook was
        made from it; nothing was written.
        FileProblem: the file is missing or not a workbook. InputRefused: no such review;
        ReviewLocked: the review is signed off.
        Cancelled: ``cancelled()`` became true; nothing was written.
    """
    from bvdesk.excel.appraisal_workbook import read_appraisal_workbook

    reading, saving = Progress.of(progress, cancelled).steps(3, 1)
    path = Path(path)
    with db.read() as session:
        get_review(session, review_id)
    result = read_appraisal_workbook(path)
    reading.done()
    reading.check(_IMPORT_CANCELLED)
    if result.data is None:
        lines = [f"  {issue}" for issue in result.issues[:SHOWN_ISSUES]]
        more = len(result.issues) - SHOWN_ISSUES
        if more > 0:
            lines.append(f"  ... and {more} more")
        raise AppraisalImportRefused(
            f"{path.name} was not imported: {len(result.issues)} problem"
            f"{'s' if len(result.issues) != 1 else ''} to fix, and nothing was changed.\n"
            + "\n".join(lines), result.issues)
    data = result.data
    expected = MadeFrom.parse(result.made_from)
    if expected is not None and (expected.review_id != review_id or replace_changes):
        expected = None
    summary = replace_appraisal(db, review_id, data.parameters, data.options, data.criteria,
                                source=path, expected=expected, progress=saving)
    saving.done()
    return summary
