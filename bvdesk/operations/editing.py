"""Generic, validated editing of a review's records, for the desktop app.

The app edits one field at a time: every edit is saved as it is made, in one session, and returns
the old value so the app can undo it. Several fields of one row (a command line's edit) are saved
the same way in one session, all of them or none. Rows are named by entity (the table name) and
id. Values arrive as the user typed them (text) or as Python values; ``coerce`` checks and
converts them and refuses, in plain English, what cannot be stored. Locked (signed-off) reviews
are refused by the store's sign-off hook.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bvdesk.domain.livefigures import fixed
from bvdesk.domain.survey import response_rate, satisfaction
from bvdesk.domain.vocabulary import (
    ConsultMethod,
    CostCategory,
    Labelled,
    OptionKind,
    PriceMethod,
    PriceSource,
    Prospects,
    Rag,
    Stage,
    StockBand,
    VatTreatment,
)
from bvdesk.domain.years import FinancialYear
from bvdesk.errors import EditConflict, FileProblem, InputRefused, RecordChanged
from bvdesk.operations.livefigures import typed_baseline_problem
from bvdesk.store.conflicts import last_saved, said_when
from bvdesk.store.db import Database
from bvdesk.store.models import (
    Action,
    AppraisalSettings,
    Base,
    ChallengeItem,
    ConsultationActivity,
    CostLine,
    Evidence,
    ImportProfile,
    Indicator,
    Judgement,
    Option,
    Organisation,
    QualityCriterion,
    QualityScore,
    Review,
    ReviewIndicator,
    Risk,
    SignOff,
    TeamMember,
)

TEXT, INT, FLOAT, DATE, BOOL, CHOICE, AMOUNTS = (
    "text", "int", "float", "date", "bool", "choice", "amounts")

#: Largest file kept as evidence inside the database.
MAX_EVIDENCE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One editable field: its kind, its label, and the limits on what it may hold."""

    name: str
    kind: str
    label: str
    required: bool = False
    choices: type[Labelled] | None = None
    minimum: float | None = None
    maximum: float | None = None
    #: Percentages typed as "25%" are stored as a fraction (probability).
    fraction: bool = False
    #: The longest text the database column holds (None: no limit).
    max_length: int | None = None
    #: Words for each whole number, for fields chosen from a short list (stars 0-3).
    labels: Mapping[int, str] | None = None
    #: Set by bvdesk (a file's name and size), shown but never edited.
    read_only: bool = False
    #: How the value is measured: "£", "%", "days", "bytes" (shown with every figure).
    unit: str = ""
    #: A financial year, typed as 2008/09, 2008-09, 2008/2009 or 2008 and kept as the year it
    #: starts in (``domain.years.FinancialYear``).
    year: bool = False


@dataclass(frozen=True, slots=True)
class EntitySpec:
    name: str
    label: str
    model: type[Base]
    #: The column naming the parent row ("review_id" or "option_id").
    parent: str
    fields: Mapping[str, FieldSpec]
    #: Values a new row starts with (besides the parent), e.g. a name to edit.
    defaults: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Row:
    """A record as plain values (``values`` holds every column except binary content)."""

    entity: str
    id: int
    values: Mapping[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


@dataclass(frozen=True, slots=True)
class FieldEdit:
    entity: str
    id: int
    field: str
    old: Any
    new: Any


def _f(name: str, kind: str, label: str, **kw: Any) -> tuple[str, FieldSpec]:
    return name, FieldSpec(name, kind, label, **kw)


def _spec(name: str, label: str, model: type[Base], parent: str,
          *fields: tuple[str, FieldSpec], defaults: Mapping[str, Any] | None = None) -> EntitySpec:
    columns = model.__table__.columns
    limited = {key: replace(spec, max_length=getattr(columns[key].type, "length", None))
               if spec.kind == TEXT else spec for key, spec in fields}
    # A number, date or choice the table must hold cannot be cleared (text, yes/no and amounts
    # clear to "", no and none, which the table holds).
    limited = {key: replace(spec, required=True)
               if spec.kind not in (TEXT, BOOL, AMOUNTS) and not columns[key].nullable
               else spec for key, spec in limited.items()}
    return EntitySpec(name, label, model, parent, limited, defaults or {})


_COUNT = {"minimum": 0}
#: The self-assessment's star ratings in words.
STARS = {0: "0 stars: poor", 1: "1 star: fair", 2: "2 stars: good", 3: "3 stars: excellent"}
_PCT = {"minimum": 0, "maximum": 100}

ENTITIES: dict[str, EntitySpec] = {spec.name: spec for spec in (
    _spec("review", "review", Review, "id",
          _f("title", TEXT, "Title", required=True),
          _f("scope", TEXT, "Scope"),
          _f("objectives", TEXT, "Objectives"),
          _f("stage", CHOICE, "Stage", choices=Stage, required=True),
          _f("start_date", DATE, "Start date"),
          _f("end_date", DATE, "End date"),
          _f("board_approval_date", DATE, "Board approval date"),
          _f("board_minute_ref", TEXT, "Board minute reference"),
          _f("board_meeting_date", DATE, "Board meeting date"),
          _f("board_paper_author", TEXT, "Board paper author"),
          _f("board_agenda_ref", TEXT, "Board agenda item"),
          _f("vfm_statement", TEXT, "Value for money statement")),
    _spec("landlord", "landlord profile", Organisation, "id",
          _f("name", TEXT, "Name", required=True),
          _f("homes", INT, "Homes owned", minimum=0, maximum=10_000_000),
          _f("region", TEXT, "Region"),
          _f("contact_address", TEXT, "Address for tenants"),
          _f("contact_phone", TEXT, "Telephone"),
          _f("contact_email", TEXT, "Email"),
          _f("website", TEXT, "Website"),
          _f("get_involved", TEXT, "How tenants can get involved")),
    _spec("team_member", "team member", TeamMember, "review_id",
          _f("name", TEXT, "Name", required=True),
          _f("role", TEXT, "Role"),
          _f("is_tenant", BOOL, "Tenant member"),
          defaults={"name": "New team member"}),
    _spec("challenge_item", "challenge question", ChallengeItem, "review_id",
          _f("question", TEXT, "Question", required=True),
          _f("answer", TEXT, "Answer and evidence"),
          defaults={"question": "Your own challenge question"}),
    _spec("consultation", "consultation activity", ConsultationActivity, "review_id",
          _f("method", CHOICE, "Method", choices=ConsultMethod, required=True),
          _f("held_on", DATE, "Date"),
          _f("sample_frame", TEXT, "Sample frame"),
          _f("population", INT, "Population surveyed from (N)", minimum=1),
          _f("issued", INT, "Issued", **_COUNT),
          _f("responses", INT, "Responses", **_COUNT),
          _f("satisfied", INT, "Very or fairly satisfied", **_COUNT),
          _f("valid_answers", INT, "Valid answers", **_COUNT),
          _f("representativeness", TEXT, "Representativeness check"),
          _f("findings", TEXT, "Key findings"),
          _f("changes", TEXT, "You said, we did"),
          defaults={"method": ConsultMethod.POSTAL_SURVEY.value}),
    _spec("appraisal_settings", "appraisal settings", AppraisalSettings, "review_id",
          _f("base_date", DATE, "Base date", required=True),
          _f("period_years", INT, "Appraisal period (years)", minimum=1, maximum=60),
          _f("discount_rate", FLOAT, "Discount rate (%)", minimum=0, maximum=50),
          _f("vat_rate", FLOAT, "VAT rate (%)", minimum=0, maximum=100),
          _f("price_weight", FLOAT, "Price weight (%)", **_PCT),
          _f("price_method", CHOICE, "Price scoring", choices=PriceMethod),
          _f("quality_threshold_pct", FLOAT, "Quality threshold (%)", **_PCT),
          _f("homes_served", INT, "Homes served", minimum=1)),
    _spec("option", "option", Option, "review_id",
          _f("name", TEXT, "Name", required=True),
          _f("kind", CHOICE, "Kind", choices=OptionKind, required=True),
          _f("description", TEXT, "Description"),
          _f("optimism_bias_pct", FLOAT, "Optimism bias (%)", minimum=0, maximum=200),
          _f("market_tested_share_pct", FLOAT, "Share market tested (%)", **_PCT),
          _f("price_source", CHOICE, "Where the price comes from", choices=PriceSource),
          _f("price_source_note", TEXT, "Price source (who, when)"),
          defaults={"name": "New option", "kind": OptionKind.EXTERNAL.value}),
    _spec("cost_line", "cost line", CostLine, "option_id",
          _f("category", CHOICE, "Category", choices=CostCategory, required=True),
          _f("vat", CHOICE, "VAT", choices=VatTreatment, required=True),
          _f("description", TEXT, "Description"),
          _f("amounts", AMOUNTS, "Amounts by year"),
          defaults={"category": CostCategory.OTHER.value, "vat": VatTreatment.NONE.value}),
    _spec("risk", "risk", Risk, "option_id",
          _f("description", TEXT, "Risk", required=True),
          _f("probability", FLOAT, "Probability", minimum=0, maximum=1, fraction=True),
          _f("impact", FLOAT, "Impact (£)", minimum=0),
          _f("year", INT, "Year", minimum=0, maximum=60),
          defaults={"description": "New risk", "probability": 0.1, "impact": 0.0}),
    _spec("quality_criterion", "quality criterion", QualityCriterion, "review_id",
          _f("name", TEXT, "Criterion", required=True),
          _f("weight", FLOAT, "Weight", minimum=0),
          defaults={"name": "New criterion", "weight": 10.0}),
    _spec("action", "improvement action", Action, "review_id",
          _f("title", TEXT, "Action", required=True),
          _f("owner", TEXT, "Owner"),
          _f("start_date", DATE, "Start"),
          _f("due_date", DATE, "Due"),
          _f("resources_gbp", FLOAT, "Resources (£)", minimum=0),
          _f("resources_fte", FLOAT, "Resources (FTE)", minimum=0),
          _f("indicator_id", INT, "Linked indicator"),
          _f("baseline_value", FLOAT, "Baseline"),
          _f("baseline_year", INT, "Baseline year", year=True, minimum=1990, maximum=2100),
          _f("target_value", FLOAT, "Target"),
          _f("target_year", INT, "Target year", year=True, minimum=1990, maximum=2100),
          _f("deliverable", TEXT, "Deliverable"),
          _f("milestones", TEXT, "Milestones"),
          _f("status", CHOICE, "Status", choices=Rag, required=True),
          _f("finding", TEXT, "Finding it responds to"),
          defaults={"title": "New action", "status": Rag.GREEN.value}),
    _spec("judgement", "judgement", Judgement, "review_id",
          _f("kloe", TEXT, "Key line of enquiry", required=True),
          _f("stars", INT, "Stars (0-3)", minimum=0, maximum=3, labels=STARS),
          _f("prospects", CHOICE, "Prospects", choices=Prospects),
          _f("rationale", TEXT, "Rationale and evidence"),
          defaults={"kloe": "New line of enquiry"}),
    _spec("evidence", "evidence file", Evidence, "review_id",
          _f("file_name", TEXT, "File", read_only=True),
          _f("size", INT, "Size", read_only=True, unit="bytes"),
          _f("added_at", DATE, "Added", read_only=True),
          _f("title", TEXT, "Title"),
          _f("source", TEXT, "Source"),
          _f("dated", DATE, "Dated"),
          _f("expires", DATE, "Expires"),
          _f("supports", TEXT, "Supports")),
)}

#: Entities ordered by a ``position`` column, which new rows are appended to.
#: Rows whose names must differ under one review (the appraisal tells options and criteria
#: apart by name): a second "New option" is added as "New option 2".
_NAMED_APART = {"option", "quality_criterion"}
_POSITIONED = {"team_member", "challenge_item", "option", "cost_line", "quality_criterion",
               "action", "judgement"}


def entity(name: str) -> EntitySpec:
    try:
        return ENTITIES[name]
    except KeyError:
        raise InputRefused(f"'{name}' is not something a review holds.") from None


def field_spec(entity_name: str, field_name: str) -> FieldSpec:
    spec = entity(entity_name)
    try:
        return spec.fields[field_name]
    except KeyError:
        raise InputRefused(f"A {spec.label} has no field '{field_name}'.") from None


# --- checking values (pure: safe on any thread) ------------------------------------------------


def coerce(entity_name: str, field_name: str, value: Any) -> Any:
    """Check ``value`` for a field and convert it to what the database stores.

    Text is accepted for every kind ("1,250", "25%", "31/03/2010", "Postal survey").

    Raises:
        InputRefused: the value cannot be stored in the field, with what to type instead.
    """
    spec = field_spec(entity_name, field_name)
    if spec.read_only:
        raise InputRefused(f"The {spec.label.lower()} is set by bvdesk and cannot be changed.")
    if isinstance(value, str) and spec.kind != TEXT:
        value = value.strip()
        if value == "":
            value = None
    if value is None:
        if spec.required:
            raise InputRefused(f"{spec.label} cannot be empty.")
        return _EMPTY.get(spec.kind)
    converter = _CONVERTERS[spec.kind]
    return converter(spec, value)


def _text(spec: FieldSpec, value: Any) -> str:
    text = str(value)
    if spec.required and not text.strip():
        raise InputRefused(f"{spec.label} cannot be empty.")
    if spec.max_length is not None and len(text) > spec.max_length:
        raise InputRefused(f"{spec.label} can be at most {spec.max_length} characters; this one "
                           f"has {len(text):,}. Shorten it, and put the detail in the scope or "
                           "a note.")
    return text


_NUMBER = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


def parse_number(text: str) -> float:
    """A number as people type it: "1,250.50", "£1,250", "(300)" for -300, "25%" for 25."""
    cleaned = text.strip().replace("£", "").replace(" ", "").rstrip("%")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    if not cleaned or not _NUMBER.match(cleaned):
        raise ValueError(text)
    number = float(cleaned.replace(",", ""))
    return -number if negative else number


def _in_range(spec: FieldSpec, number: float) -> None:
    # A fraction typed as a percentage (a probability of 5%) is limited in percent: 100%, not 1.
    said = (lambda limit: f"{_limit(limit * 100)}%") if spec.fraction else _limit
    if spec.minimum is not None and number < spec.minimum:
        raise InputRefused(f"{spec.label} cannot be less than {said(spec.minimum)}.")
    if spec.maximum is not None and number > spec.maximum:
        raise InputRefused(f"{spec.label} cannot be more than {said(spec.maximum)}.")


def _limit(number: float) -> str:
    """A limit as people read it: 3, 0.5, 2100 (a year), 10,000,000 (not 1e+07)."""
    return f"{number:,.0f}" if abs(number) >= 10_000 and number == int(number) else f"{number:g}"


def _float(spec: FieldSpec, value: Any) -> float:
    if isinstance(value, bool):
        raise InputRefused(f"{spec.label} must be a number.")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value)
        try:
            number = parse_number(text)
        except ValueError:
            raise InputRefused(f"{spec.label} must be a number, such as 1,250.50; "
                               f"'{text}' is not.") from None
        if spec.fraction and text.strip().endswith("%"):
            number /= 100
    if number != number or number in (float("inf"), float("-inf")):
        raise InputRefused(f"{spec.label} must be a number.")
    _in_range(spec, number)
    return number


def _int(spec: FieldSpec, value: Any) -> int:
    if spec.year:
        return _year(spec, value)
    number = _float(FieldSpec(spec.name, FLOAT, spec.label), value)
    if number != int(number):
        raise InputRefused(f"{spec.label} must be a whole number; '{value}' is not.")
    _in_range(spec, number)
    return int(number)


def _year(spec: FieldSpec, value: Any) -> int:
    """A financial year as ``FinancialYear.parse`` reads it, kept as the year it starts in."""
    try:
        year = FinancialYear.parse(value)
    except ValueError as exc:
        raise InputRefused(f"{spec.label}: {exc}.") from None
    low, high = FinancialYear(int(spec.minimum or 1900)), FinancialYear(int(spec.maximum or 2200))
    if not low <= year <= high:
        raise InputRefused(f"{spec.label} must be between {low} and {high}; {year} is not.")
    return year.start


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %b %Y", "%d %B %Y", "%d-%m-%Y")


def _date(spec: FieldSpec, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InputRefused(f"{spec.label} must be a date such as 31/03/2010; '{text}' is not.")


def _bool(spec: FieldSpec, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "y", "true", "1"):
        return True
    if text in ("no", "n", "false", "0"):
        return False
    raise InputRefused(f"{spec.label} must be yes or no.")


def _choice(spec: FieldSpec, value: Any) -> str:
    assert spec.choices is not None
    try:
        return str(spec.choices.parse(str(value)).value)
    except ValueError as exc:
        raise InputRefused(f"{spec.label}: {exc}.") from None


def _amounts(spec: FieldSpec, value: Any) -> list[float]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise InputRefused(f"{spec.label} must be a list of amounts, one per year.")
    amount = FieldSpec(spec.name, FLOAT, "Each amount")
    return [0.0 if item in (None, "") else _float(amount, item) for item in value]


_EMPTY: dict[str, Any] = {TEXT: "", BOOL: False, AMOUNTS: []}
_CONVERTERS = {TEXT: _text, INT: _int, FLOAT: _float, DATE: _date, BOOL: _bool,
               CHOICE: _choice, AMOUNTS: _amounts}


# --- rules across a record's fields (pure) ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _NotMore:
    """``low`` may not be more (or later) than ``high``, when both are given."""

    low: str
    high: str
    #: Why, for counts (appended to the message).
    because: str = ""


RULES: dict[str, tuple[_NotMore, ...]] = {
    "review": (_NotMore("start_date", "end_date"),),
    "action": (_NotMore("start_date", "due_date"), _NotMore("baseline_year", "target_year")),
    "evidence": (_NotMore("dated", "expires"),),
    "consultation": (
        _NotMore("issued", "population", "questionnaires go to people in the population"),
        _NotMore("responses", "issued", "each response comes from a questionnaire issued"),
        _NotMore("valid_answers", "responses", "each answer comes from a response"),
        _NotMore("satisfied", "valid_answers", "the satisfied are counted among the valid "
                                               "answers"),
    ),
}


def _rule_problem(entity_name: str, rule: _NotMore, values: Mapping[str, Any],
                  changed: str | None) -> str | None:
    low, high = values.get(rule.low), values.get(rule.high)
    if low is None or high is None or low <= high:
        return None
    low_spec, high_spec = field_spec(entity_name, rule.low), field_spec(entity_name, rule.high)
    low_text, high_text = (_shown(low_spec, low), _shown(high_spec, high))
    if low_spec.kind == DATE:
        if changed == rule.high:
            return (f"{high_spec.label} ({high_text}) is before the "
                    f"{low_spec.label.lower()} ({low_text}).")
        return (f"{low_spec.label} ({low_text}) is after the {high_spec.label.lower()} "
                f"({high_text}).")
    because = f": {rule.because}" if rule.because else ""
    return (f"{low_spec.label} ({low_text}) cannot be more than {high_spec.label.lower()} "
            f"({high_text}){because}.")


def _shown(spec: FieldSpec, value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if spec.year and isinstance(value, int):
        return str(FinancialYear(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # as the screen shows it: a score of 9, not 9.0
    return f"{value:,}" if isinstance(value, int) and abs(value) >= 10000 else str(value)


def consistency_problems(entity_name: str, values: Mapping[str, Any]) -> list[str]:
    """Every rule a record's values break together (e.g. 600 answers from 500 responses)."""
    return [problem for rule in RULES.get(entity_name, ())
            if (problem := _rule_problem(entity_name, rule, values, None))]


def check_consistent(entity_name: str, values: Mapping[str, Any], changed: str) -> None:
    """Refuse a new value of ``changed`` that breaks a rule with another field of its record.

    Only rules involving ``changed`` are checked, so a record that is already inconsistent can
    still be corrected one field at a time.

    Raises:
        InputRefused: what the two values are and why they cannot both hold.
    """
    for rule in RULES.get(entity_name, ()):
        if changed in (rule.low, rule.high):
            problem = _rule_problem(entity_name, rule, values, changed)
            if problem:
                raise InputRefused(problem)


def survey_results(values: Mapping[str, Any]) -> tuple[str, bool]:
    """A survey's response rate and % satisfied with its 95% interval, or why there are none.

    ``values`` holds the consultation's counts (issued, responses, valid_answers, satisfied,
    population; None where not given). Returns the sentence to show and whether it is a result
    (False: the counts are impossible together, and nothing is computed from them).
    """
    problems = consistency_problems("consultation", values)
    if problems:
        return " ".join(problems) + " Correct the counts to see the results.", False
    issued, responses = values.get("issued"), values.get("responses")
    satisfied, valid = values.get("satisfied"), values.get("valid_answers")
    parts = []
    try:
        if issued and responses is not None:
            parts.append(f"Response rate {fixed(response_rate(responses, issued), 1)}%")
        if valid and satisfied is not None:
            parts.append(f"{satisfaction(satisfied, valid, values.get('population'))} "
                         "satisfied")
    except ValueError as exc:
        return f"{str(exc).capitalize()}. Correct the counts to see the results.", False
    if not parts:
        return "Enter the counts to see the response rate and % satisfied.", True
    return ";  ".join(parts), True


# --- reading ------------------------------------------------------------------------------


def _values(obj: Base) -> dict[str, Any]:
    table = obj.__table__
    return {c.key: getattr(obj, c.key) for c in table.columns if c.key != "content"}


def _row(name: str, obj: Base) -> Row:
    values = _values(obj)
    key = "review_id" if name == "appraisal_settings" else "id"
    return Row(name, values[key], values)


def _load(session: Any, spec: EntitySpec, row_id: int) -> Any:
    obj = session.get(spec.model, row_id)
    if obj is None:
        deleted = last_saved(session, spec.model.__tablename__, str(row_id), None, None)
        if deleted is None:  # never there, as far as the audit log knows: a number mistyped
            raise InputRefused(f"There is no {spec.label} {row_id}. Nothing was saved.")
        raise InputRefused(f"The {spec.label} {row_id} was deleted by {deleted.by}"
                           f"{said_when(deleted)}. Nothing of yours was saved. Refresh to see "
                           "the current records.")
    return obj


def get_row(db: Database, entity_name: str, row_id: int) -> Row:
    spec = entity(entity_name)
    with db.read() as session:
        return _row(entity_name, _load(session, spec, row_id))


def list_rows(db: Database, entity_name: str, parent_id: int) -> list[Row]:
    """The rows under a review (or, for cost lines and risks, under an option), in order."""
    spec = entity(entity_name)
    model = spec.model
    parent = getattr(model, spec.parent)
    columns = model.__table__.c
    order = [columns.position] if entity_name in _POSITIONED else []
    key = columns.review_id if entity_name == "appraisal_settings" else columns.id
    with db.read() as session:
        found = session.scalars(select(model).where(parent == parent_id)
                                .order_by(*order, key))
        return [_row(entity_name, obj) for obj in found]


# --- writing ------------------------------------------------------------------------------


#: ``update_field``'s ``seen`` when the caller does not say what it was looking at.
UNSEEN: Any = object()

#: How many times a save is tried again when a colleague's save lands between its read and its
#: write without touching the same value (then it is simply made again on top of theirs).
_ATTEMPTS = 5

_T = TypeVar("_T")


class ChangedMeanwhile(EditConflict):
    """An ``EditConflict`` that also says when the colleague saved (``at``, None when the audit
    log does not say; ``when`` in words, as the message has it), which record it was
    (``where``: the field's label with the row named), the two values as the message shows them
    (``shown``: for amounts by year, only the years both changed), and for a quality score the
    (criterion id, option id) it is kept under (``key``)."""

    def __init__(self, message: str, *, where: str, at: dt.datetime | None, when: str,
                 shown: tuple[str, str], key: tuple[int, ...], **conflict: Any) -> None:
        super().__init__(message, **conflict)
        self.where = where
        self.at = at
        self.when = when
        self.shown = shown
        self.key = key


def update_field(db: Database, entity_name: str, row_id: int, field_name: str,
                 value: Any, *, seen: Any = UNSEEN) -> FieldEdit:
    """Set one field of one row; returns the old and new values (for undo).

    ``seen`` is the value the user was looking at when they typed (what the screen showed). When
    a colleague has saved a different value since, nothing is saved and ``EditConflict`` carries
    their value and this one, who saved theirs and when, so the user can keep either; without
    ``seen`` the value is set whatever it was (the user chose to keep theirs). A colleague saving
    between this read and this write is caught by the row's version: the save is made again on
    what they saved, and refused the same way if they saved this very field.

    Amounts by year are one cell per year: a colleague's change to other years is kept, and
    only a year both changed is a conflict (what the user keeps then includes their other years).

    Raises:
        InputRefused: the value does not fit the field, or the row is gone.
        EditConflict: a colleague saved a different value meanwhile.
        ReviewLocked: the review is signed off.
    """
    return update_fields(db, entity_name, row_id, {field_name: value},
                         seen=None if seen is UNSEEN else {field_name: seen})[0]


def update_fields(db: Database, entity_name: str, row_id: int, values: Mapping[str, Any],
                  *, seen: Mapping[str, Any] | None = None,
                  also: Callable[[Session], None] | None = None) -> list[FieldEdit]:
    """Set several fields of one row at once, all of them or none; returns each field's old and
    new values, in the order given.

    Every value is checked as ``update_field`` checks one, and the rules across the record's
    fields are checked on the row as it will be (so the order of the fields does not matter:
    issued and responses can grow together). ``seen`` holds, by field, what the user was looking
    at; a colleague's different value saved since in any of those fields refuses the whole edit
    as ``update_field``'s conflict (fields left out of ``seen`` are set whatever they were). It
    is one transaction: when any field is refused nothing is written, and the audit log records
    one entry per field changed. ``also`` is more of the same edit, done first in the same
    transaction (Settings' other values): what it refuses, it refuses with the rest.

    Raises:
        InputRefused: a value does not fit its field (every such field is named), the values
            break a rule together, or the row is gone.
        EditConflict: a colleague saved a different value meanwhile in one of the fields.
        ReviewLocked: the review is signed off.
    """
    problems: list[str] = []
    new: dict[str, Any] = {}
    for field_name, value in values.items():
        try:
            new[field_name] = coerce(entity_name, field_name, value)
        except InputRefused as exc:
            problems.append(exc.message)
    if problems:
        raise InputRefused(" ".join(problems))
    spec = entity(entity_name)

    def save(seen: dict[str, Any], read: list[Any]) -> list[FieldEdit]:
        with db.session() as session:
            if also is not None:
                also(session)
            obj = _load(session, spec, row_id)
            old = {name: getattr(obj, name) for name in new}
            old.update({name: list(was) for name, was in old.items() if isinstance(was, list)})
            read.append(old)
            saving = {name: value if seen[name] is UNSEEN or old[name] in (seen[name], value)
                      else _on_theirs(session, entity_name, obj, name, seen[name], old[name],
                                      value)
                      for name, value in new.items()}
            after = {**_values(obj), **saving}
            for name in saving:
                check_consistent(entity_name, after, name)
            with session.no_autoflush:  # the lock and the audit log see the checked row only
                for name, value in saving.items():
                    setattr(obj, name, value)
                if entity_name == "action":
                    problem = next(filter(None, (typed_baseline_problem(session, obj, name, value)
                                                 for name, value in saving.items())), None)
                    if problem:
                        raise InputRefused(problem)
            if entity_name == "landlord" and "homes" in saving:
                # The stock band follows the homes: peer groups by size are drawn on it.
                homes = saving["homes"]
                obj.stock_band = StockBand.for_homes(homes).value if homes else None
        return [FieldEdit(entity_name, row_id, name, old[name], saving[name]) for name in saving]

    return _again_on_theirs(save, {name: (seen or {}).get(name, UNSEEN) for name in new},
                            (RecordChanged,))


def keep_mine(db: Database, conflict: EditConflict) -> None:
    """Save what the user typed over the colleague's value a conflict showed (the user chose
    their own); a third save landing meanwhile is a conflict again.

    Raises:
        EditConflict: someone saved yet another value since the conflict was shown.
    """
    if isinstance(conflict, ChangedMeanwhile) and conflict.entity == "quality_score":
        criterion_id, option_id = conflict.key
        set_score(db, criterion_id, option_id, conflict.mine, seen=conflict.theirs)
    else:
        update_field(db, conflict.entity, conflict.row_id, conflict.field, conflict.mine,
                     seen=conflict.theirs)


def _again_on_theirs(save: Callable[[Any, list[Any]], _T], seen: Any,
                     races: tuple[type[Exception], ...]) -> _T:
    """Run ``save(seen, read)``; when a colleague's save lands between its read and its write
    (one of ``races``), run it again with what it read as the value seen, so that their save is
    either kept under this one or, when they saved the same value, refused as a conflict."""
    for _ in range(_ATTEMPTS - 1):
        read: list[Any] = []
        try:
            return save(seen, read)
        except races:
            if not read:
                raise
            if isinstance(seen, dict):  # several fields: what each read, where none was seen
                seen = {name: read[0][name] if was is UNSEEN else was
                        for name, was in seen.items()}
            elif seen is UNSEEN:
                seen = read[0]
    return save(seen, [])


def _on_theirs(session: Session, entity_name: str, obj: Any, field_name: str, seen: Any,
               theirs: Any, mine: Any) -> Any:
    """What to save when a colleague saved ``theirs`` over the value ``seen`` while the user
    typed ``mine``: for amounts by year, their years with the user's changed years on top, unless
    both changed the same year; any other field is a conflict."""
    if field_spec(entity_name, field_name).kind != AMOUNTS or not isinstance(seen, list):
        raise _lost_race(session, entity_name, obj, field_name, theirs, mine)
    width = max(len(seen), len(theirs), len(mine))
    was, now, typed = (list(v) + [0.0] * (width - len(v)) for v in (seen, theirs, mine))
    merged = [typed[year] if typed[year] != was[year] else now[year] for year in range(width)]
    both = [year for year in range(width)
            if was[year] != typed[year] and was[year] != now[year] != typed[year]]
    if both:
        raise _lost_race(session, entity_name, obj, field_name, theirs, merged, years=both)
    return merged


def _lost_race(session: Session, entity_name: str, obj: Any, field_name: str, theirs: Any,
               mine: Any, *, years: list[int] | None = None) -> ChangedMeanwhile:
    """A lost race, worded with who saved what and when (the audit log's last entry for the
    field, when it recorded the value found), naming the record for a row of a table."""
    spec = field_spec(entity_name, field_name)
    where = spec.label + _naming(session, entity_name, _values(obj), field_name)
    key = tuple(inspect(obj).identity or ())
    shown_theirs, shown_mine = _shown(spec, theirs), _shown(spec, mine)
    if years:
        where = f"{', '.join(f'year {year}' for year in years)} of {where[0].lower()}{where[1:]}"
        shown_theirs, shown_mine = (", ".join(_shown(spec, values[year]) for year in years)
                                    for values in (theirs, mine))
    return _conflict(session, entity_name, key, field_name, where, theirs, mine,
                     (shown_theirs, shown_mine))


def _conflict(session: Session, entity_name: str, key: tuple[int, ...], field_name: str,
              where: str, theirs: Any, mine: Any, shown: tuple[str, str]) -> ChangedMeanwhile:
    table = _MODELS[entity_name].__tablename__
    saved = last_saved(session, table, ":".join(map(str, key)), field_name, theirs)
    who = saved.by if saved is not None else "a colleague"
    message = (f"{where[0].upper()}{where[1:]} was changed by {who}{said_when(saved)} while you "
               f"were editing it: {who} saved {shown[0]!r}, you typed {shown[1]!r}. Nothing of "
               "yours was saved; choose which to keep.")
    return ChangedMeanwhile(message, where=where, at=saved.at if saved is not None else None,
                            when=said_when(saved), shown=shown, key=key, entity=entity_name,
                            row_id=key[0], field=field_name, theirs=theirs, mine=mine,
                            by=saved.by if saved is not None else None)


#: Fields that name a row, in the order looked for.
_NAMING_FIELDS = ("name", "title", "question", "kloe", "description", "file_name")


def _naming(session: Session, entity_name: str, values: Mapping[str, Any],
            field_name: str) -> str:
    """' (risk 'Contractor fails', option 'In-house')': which row of a table, for messages
    about its ``field_name`` (named by another field, or by its kind: a cost line's category);
    '' for records a review has one of (the review, its appraisal settings, the landlord)."""
    if entity_name in ("review", "landlord", "appraisal_settings"):
        return ""
    if entity_name == "quality_score":
        criterion = session.get(QualityCriterion, values["criterion_id"])
        named = [f"criterion '{criterion.name}'" if criterion is not None else ""]
    else:
        spec = entity(entity_name)
        name = next((values[key] for key in _NAMING_FIELDS if key != field_name
                     and values.get(key)), None)
        choice = next((field for field in spec.fields.values() if field.choices is not None
                       and field.name != field_name and values.get(field.name)), None)
        if name is None and choice is not None and choice.choices is not None:
            name = choice.choices(values[choice.name]).label
        named = [f"{spec.label} '{name}'" if name else f"{spec.label} {values['id']}"]
    if "option_id" in values:
        option = session.get(Option, values["option_id"])
        named.append(f"option '{option.name}'" if option is not None else "")
    return " (" + ", ".join(part for part in named if part) + ")"


def add_row(db: Database, entity_name: str, parent_id: int,
            values: Mapping[str, Any] | None = None) -> Row:
    """Append a new row under ``parent_id``, starting from the entity's defaults."""
    spec = entity(entity_name)
    if entity_name == "review":
        raise InputRefused("Create reviews with New Review.")
    chosen = {**spec.defaults, **(values or {})}
    checked = {name: coerce(entity_name, name, value) for name, value in chosen.items()}
    problems = consistency_problems(entity_name, checked)
    if problems:
        raise InputRefused(" ".join(problems))
    if entity_name == "appraisal_settings":
        checked.setdefault("base_date", db.clock().date())
    with db.session() as session:
        if entity_name in _POSITIONED:
            model: Any = spec.model
            last = session.scalar(select(func.max(model.position))
                                  .where(getattr(model, spec.parent) == parent_id))
            checked.setdefault("position", 0 if last is None else last + 1)
        if entity_name in _NAMED_APART and "name" not in (values or {}):
            checked["name"] = _unused_name(session, spec, parent_id, checked["name"])
        obj = spec.model(**{spec.parent: parent_id}, **checked)
        session.add(obj)
        session.flush()
        return _row(entity_name, obj)


def _unused_name(session: Session, spec: EntitySpec, parent_id: int, name: str) -> str:
    """``name``, or ``name 2``, ``name 3``...: the first not taken under the same parent."""
    model: Any = spec.model
    taken = set(session.scalars(select(model.name).where(
        getattr(model, spec.parent) == parent_id)))
    number = 1
    candidate = name
    while candidate in taken:
        number += 1
        candidate = f"{name} {number}"
    return candidate


def delete_row(db: Database, entity_name: str, row_id: int) -> Row:
    """Delete a row; returns it as it was, so ``restore_row`` can put it back."""
    spec = entity(entity_name)
    if entity_name in ("review", "evidence", "appraisal_settings"):
        raise InputRefused(f"A {spec.label} cannot be deleted here.")
    with db.session() as session:
        obj = _load(session, spec, row_id)
        snapshot = _row(entity_name, obj)
        children = _children(session, entity_name, obj)
        session.delete(obj)
    return Row(entity_name, snapshot.id, {**snapshot.values, "_children": children})


def _children(session: Any, entity_name: str, obj: Any) -> list[tuple[str, dict[str, Any]]]:
    """Rows deleted along with ``obj`` (an option's cost lines, risks and scores)."""
    if entity_name == "option":
        rows: list[tuple[str, dict[str, Any]]] = []
        rows += [("cost_line", _values(c)) for c in obj.cost_lines]
        rows += [("risk", _values(r)) for r in obj.risks]
        rows += [("quality_score", _values(s)) for s in obj.scores]
        return rows
    if entity_name == "quality_criterion":
        return [("quality_score", _values(s)) for s in obj.scores]
    return []


_MODELS: dict[str, type[Base]] = {**{name: s.model for name, s in ENTITIES.items()},
                                  "quality_score": QualityScore}


def restore_row(db: Database, row: Row) -> Row:
    """Put back a row removed by ``delete_row``, with its id and the rows deleted with it."""
    spec = entity(row.entity)
    values = dict(row.values)
    children = values.pop("_children", [])
    with db.session() as session:
        session.add(spec.model(**values))
        session.flush()
        for child_entity, child_values in children:
            session.add(_MODELS[child_entity](**child_values))
    return Row(row.entity, row.id, values)


# --- quality scores and linked indicators ---------------------------------------------------


def list_scores(db: Database, review_id: int) -> dict[tuple[int, int], float]:
    """{(criterion id, option id): score} for a review."""
    with db.read() as session:
        rows = session.execute(
            select(QualityScore.criterion_id, QualityScore.option_id, QualityScore.score)
            .join(QualityCriterion, QualityCriterion.id == QualityScore.criterion_id)
            .where(QualityCriterion.review_id == review_id))
        return {(c, o): s for c, o, s in rows}


_SCORE = FieldSpec("score", FLOAT, "A quality score", minimum=0, maximum=10)


def coerce_score(value: Any) -> float | None:
    """A quality score 0-10 as typed; None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _float(_SCORE, value)


def set_score(db: Database, criterion_id: int, option_id: int,
              value: Any, *, seen: Any = UNSEEN) -> float | None:
    """Set (or with an empty value, clear) one quality score 0-10; returns the old score.

    ``seen`` is the score the user was looking at (None: an empty cell), checked as
    ``update_field`` checks it: a colleague's different score saved meanwhile is a conflict
    saying what they saved, who and when, and nothing is saved.

    Raises:
        InputRefused: not a score 0-10, or the criterion or option is gone.
        EditConflict: a colleague saved a different score meanwhile.
        ReviewLocked: the review is signed off.
    """
    score = coerce_score(value)

    def save(seen: Any, read: list[Any]) -> float | None:
        with db.session() as session:
            return _score_in(session, criterion_id, option_id, score, seen, read)

    # Two desktops adding the same score at once: the second finds the first's row taken.
    return _again_on_theirs(save, seen, (RecordChanged, IntegrityError))


def update_criterion(db: Database, criterion_id: int, values: Mapping[str, Any], *,
                     seen: Mapping[str, Any],
                     scores: Mapping[int, tuple[Any, Any]]) -> list[FieldEdit]:
    """A quality criterion's fields (``update_fields``) and its ``scores`` (by option id: the
    score the user saw, and the new one, each checked as ``set_score`` checks it) in one
    transaction: all of them, or none when any is refused (a row pasted into the quality grid).

    Raises:
        InputRefused: a value does not fit its field, or a score is not 0-10.
        EditConflict: a colleague saved a different value or score meanwhile.
        ReviewLocked: the review is signed off.
    """
    checked = {option_id: (shown, coerce_score(score))
               for option_id, (shown, score) in scores.items()}

    def save_scores(session: Session) -> None:
        for option_id, (shown, score) in checked.items():
            _score_in(session, criterion_id, option_id, score, shown, [])

    return update_fields(db, "quality_criterion", criterion_id, values, seen=seen,
                         also=save_scores)


def _score_in(session: Session, criterion_id: int, option_id: int, score: float | None,
              seen: Any, read: list[Any]) -> float | None:
    key = (criterion_id, option_id)
    row = session.get(QualityScore, key)
    old = row.score if row is not None else None
    read.append(old)
    if seen is not UNSEEN and old != seen and old != score:
        where = "Quality score" + _naming(session, "quality_score", {
            "criterion_id": criterion_id, "option_id": option_id}, "score")
        raise _conflict(session, "quality_score", key, "score", where, old, score,
                        (_shown(_SCORE, old), _shown(_SCORE, score)))
    if score is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        _load(session, ENTITIES["quality_criterion"], criterion_id)
        _load(session, ENTITIES["option"], option_id)
        session.add(QualityScore(criterion_id=criterion_id, option_id=option_id, score=score))
    else:
        row.score = score
    return old


@dataclass(frozen=True, slots=True)
class LinkedIndicator:
    indicator_id: int
    code: str
    name: str
    target: float | None


def linked_indicators(db: Database, review_id: int) -> list[LinkedIndicator]:
    with db.read() as session:
        rows = session.execute(
            select(Indicator.id, Indicator.code, Indicator.name, ReviewIndicator.target)
            .join(ReviewIndicator, ReviewIndicator.indicator_id == Indicator.id)
            .where(ReviewIndicator.review_id == review_id).order_by(Indicator.code))
        return [LinkedIndicator(*row) for row in rows]


def indicator_catalogue(db: Database) -> list[tuple[str, str]]:
    """Every indicator in the catalogue as (code, name), by code."""
    with db.read() as session:
        return [tuple(row) for row in session.execute(  # type: ignore[misc]
            select(Indicator.code, Indicator.name).order_by(Indicator.code))]


def indicator_choices(db: Database) -> list[tuple[str, str, tuple[str, ...]]]:
    """Every indicator as (code, name, the other names it goes by), by code: what a person may
    search for ('void turnaround' finds re-let time)."""
    with db.read() as session:
        return [(code, name, tuple(aliases or ())) for code, name, aliases in session.execute(
            select(Indicator.code, Indicator.name, Indicator.aliases).order_by(Indicator.code))]


def set_indicator_link(db: Database, review_id: int, code: str, linked: bool) -> bool:
    """Link (or unlink) an indicator to a review by code; returns whether it was linked.

    A colleague linking (or unlinking) the same indicator at the same moment is no conflict:
    both asked for the same thing.
    """
    def save(_seen: Any, read: list[Any]) -> bool:
        with db.session() as session:
            indicator = session.scalar(select(Indicator).where(
                func.lower(Indicator.code) == code.strip().lower()))
            if indicator is None:
                raise InputRefused(f"There is no indicator '{code}' in the catalogue.")
            existing = session.get(ReviewIndicator, (review_id, indicator.id))
            was = existing is not None
            read.append(was)
            if linked and existing is None:
                session.add(ReviewIndicator(review_id=review_id, indicator_id=indicator.id))
            elif not linked and existing is not None:
                session.delete(existing)
        return was

    return _again_on_theirs(save, UNSEEN, (RecordChanged, IntegrityError))


# --- import profiles (saved column mappings for the import wizard) ----------------------------


def import_profiles(db: Database) -> dict[str, dict[str, str]]:
    """Saved column mappings by name."""
    with db.read() as session:
        return {p.name: dict(p.mapping) for p in session.scalars(
            select(ImportProfile).order_by(ImportProfile.name))}


def save_import_profile(db: Database, name: str, mapping: Mapping[str, str]) -> None:
    """Save (or replace) a named column mapping: header text -> role or indicator code."""
    name = name.strip()
    if not name:
        raise InputRefused("Give the profile a name, so you can choose it next time.")
    with db.session() as session:
        profile = session.scalar(select(ImportProfile).where(ImportProfile.name == name))
        if profile is None:
            session.add(ImportProfile(name=name, mapping=dict(mapping)))
        else:
            profile.mapping = dict(mapping)


# --- evidence files ---------------------------------------------------------------------------


def attach_evidence(db: Database, review_id: int, path: Path, *, title: str = "",
                    supports: str = "") -> Row:
    """Keep a copy of a file in the database with its SHA-256."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_EVIDENCE_BYTES:
            raise InputRefused(f"{path.name} is {size / 1e6:.0f} MB; evidence files can be at "
                               f"most {MAX_EVIDENCE_BYTES // 10**6} MB. Attach a smaller copy.")
        content = path.read_bytes()
    except OSError as exc:
        raise FileProblem(f"Cannot read {path}: {exc.strerror}.") from exc
    with db.session() as session:
        evidence = Evidence(review_id=review_id, file_name=path.name, content=content,
                            sha256=hashlib.sha256(content).hexdigest(), size=len(content),
                            title=title or path.stem, supports=supports,
                            dated=dt.date.fromtimestamp(path.stat().st_mtime),
                            added_at=db.clock())
        session.add(evidence)
        session.flush()
        return _row("evidence", evidence)


def remove_evidence(db: Database, evidence_id: int) -> Row:
    """Remove an evidence file from a review (the audit log records the removal).

    Evidence that belongs to a signed-off version stays with it: a file cannot be removed while
    the review is signed off, nor after reopening if it was attached before the last sign-off.

    Raises:
        InputRefused: the file is part of a signed-off version, or is gone; says which.
    """
    with db.session() as session:
        evidence = _load(session, ENTITIES["evidence"], evidence_id)
        review = session.get(Review, evidence.review_id)
        assert review is not None
        name = evidence.file_name
        if review.locked:
            raise InputRefused(f"{name} cannot be removed: the review is signed off, and its "
                               "evidence is part of the signed-off record. Reopen the review "
                               "to change its evidence.")
        last = session.scalars(select(SignOff).where(SignOff.review_id == review.id)
                               .order_by(SignOff.at.desc())).first()
        if last is not None and evidence.added_at <= last.at:
            raise InputRefused(f"{name} cannot be removed: it was part of version "
                               f"{last.version}, signed off on {last.at:%d %b %Y}, and stays "
                               "with that version. Attach a newer file instead, and give it a "
                               "title that says what it replaces.")
        row = _row("evidence", evidence)
        session.delete(evidence)
    return row


def evidence_content(db: Database, evidence_id: int) -> tuple[str, bytes]:
    with db.read() as session:
        evidence = _load(session, ENTITIES["evidence"], evidence_id)
        return evidence.file_name, evidence.content
