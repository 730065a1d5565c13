"""A review's records from the command line: list, add, edit and delete the rows of any entity
the app edits (team, Challenge answers, consultation, options and their costs and risks, plan
actions, judgements...), through the same operations, checks, locks and audit as the app."""

from __future__ import annotations

import argparse
import datetime as dt
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bvdesk.cli import _checks
from bvdesk.cli._framework import REVIEW_ID, Commands, Context
from bvdesk.domain.years import FinancialYear

if TYPE_CHECKING:
    from bvdesk.operations.editing import EntitySpec, FieldSpec, Row
    from bvdesk.operations.livefigures import DataBaseline
    from bvdesk.operations.opening import Database

ROW_HELP = "the row's id ('bvdesk review rows' shows it)"
ENTITY_HELP = "the kind of row, e.g. action or option (all are listed below)"
#: The quality scores: a table of options by criteria rather than rows, set by ``add``.
SCORE = "quality_score"
#: An action's linked indicator, typed and shown by its code.
INDICATOR = "indicator_id"
#: Fields ``add_row`` does not check against the rest of the record as ``update_fields`` does
#: (a typed baseline where the linked indicator's data gives one): set after the row is added,
#: and the row removed again if one is refused.
_SAVED_AFTER = {"action": ("baseline_value", "baseline_year")}
#: An action's fields the data gives where its linked indicator has a value in the review's
#: base year (``operations.livefigures``: what the plan and the documents show).
_FROM_DATA = ("baseline_value", "baseline_year")
#: Separates the years of a cost line's amounts: amounts=120000;120000;125000.
YEARS = ";"
#: An empty value in a message, as ``bvdesk review set`` says it.
EMPTY = "(empty)"


def _entities() -> dict[str, EntitySpec]:
    """The entities a review holds rows of, under the review itself or under one of its
    options (not the review's own fields, which ``bvdesk review set`` changes)."""
    from bvdesk.operations.editing import ENTITIES

    return {name: spec for name, spec in ENTITIES.items()
            if spec.parent in ("review_id", "option_id")}


def _entity_list(*, fields: bool = False) -> str:
    """Each entity's name and label (and with ``fields``, the names of its fields)."""
    kinds = [(name, spec.label + (" (of an option)" if spec.parent == "option_id" else ""),
              [key for key, field in spec.fields.items() if not field.read_only])
             for name, spec in _entities().items()]
    kinds.append((SCORE, "quality score (of an option on a criterion; add sets it)",
                  ["criterion", "option", "score"]))
    lines = []
    for name, label, names in kinds:
        lines.append(f"  {name:<20} {label}")
        if fields:
            lines += textwrap.wrap(", ".join(names), 78, initial_indent=" " * 23,
                                   subsequent_indent=" " * 23)
    return "\n".join(lines)


def _assignment(text: str) -> tuple[str, str]:
    """FIELD=VALUE, the value checked as any text kept (it may run over several lines)."""
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not FIELD=VALUE (e.g. role=Chair)")
    problem = _checks.text_problem(value, multiline=True) or _checks.text_problem(name)
    if problem:
        raise argparse.ArgumentTypeError(f"{name.strip()}: {problem}")
    return name.strip(), value


def register(commands: Commands) -> None:
    group, group_help = "review", "Service reviews"

    def kinds() -> str:  # written when help is asked for: it loads the editing layer
        return ("ENTITY is one of (with its fields):\n" + _entity_list(fields=True) + "\n\n"
                + textwrap.fill(
                     "Values are typed as on screen: dates 31/03/2010, numbers 1,250.50, choices "
                     "by their words (method='postal survey'), yes or no; a cost line's amounts "
                     f"one per year separated by '{YEARS}' ('amounts=120000{YEARS}120000{YEARS}"
                     "125000', quoted for the shell); FIELD= empties a field. An action's "
                     "indicator_id is the code of an indicator linked to the review. Evidence is "
                     "added from a file: review add ID evidence file=PATH supports='judgement 1'.",
                     80))

    def add(name: str, handler: Any, help: str) -> argparse.ArgumentParser:
        parser = commands.add(name, handler, help, group=group, group_help=group_help)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.description = textwrap.fill(help, 80)  # raw, for the list of kinds below
        plain_help = parser.format_help

        def format_help() -> str:
            parser.epilog = kinds()
            return plain_help()

        parser.format_help = format_help  # type: ignore[method-assign]
        return parser

    rows = add("rows", _rows, "List a review's rows of one kind (team_member, challenge_item, "
               "consultation, action, judgement, option, cost_line, risk...), with their ids")
    rows.add_argument("id", type=int, metavar="ID", help=REVIEW_ID)
    rows.add_argument("entity", metavar="ENTITY", help=ENTITY_HELP)
    rows.add_argument("--option", type=int, metavar="N",
                      help="for cost lines and risks: only those of option N")

    adder = add("add", _add, "Add a row to a review (or, for cost lines and risks, to one of "
                "its options) with the fields given; prints the new row's id")
    adder.add_argument("id", type=int, metavar="ID", help=REVIEW_ID)
    adder.add_argument("entity", metavar="ENTITY", help=ENTITY_HELP)
    adder.add_argument("assignments", nargs="+", type=_assignment, metavar="FIELD=VALUE",
                       help="a field and its value, as typed on screen (see below)")
    adder.add_argument("--option", type=int, metavar="N",
                       help="the option a cost line or risk belongs to")

    edit = add("edit", _edit, "Change fields of a row (all of them or none)")
    edit.add_argument("entity", metavar="ENTITY", help=ENTITY_HELP)
    edit.add_argument("row", type=int, metavar="ROW", help=ROW_HELP)
    edit.add_argument("assignments", nargs="+", type=_assignment, metavar="FIELD=VALUE",
                      help="a field and its value, as typed on screen (see below)")

    delete = add("delete", _delete, "Delete a row (an option with its cost lines, risks and "
                 "scores)")
    delete.add_argument("entity", metavar="ENTITY", help=ENTITY_HELP)
    delete.add_argument("row", type=int, metavar="ROW", help=ROW_HELP)


# --- reading a command's words ------------------------------------------------------------------


def _one(label: str) -> str:
    """``A team member``, ``An improvement action``, ``The appraisal settings``: a kind of row
    as the subject of a sentence."""
    if label.endswith("settings"):
        return f"The {label}"
    return f"{'An' if label[0] in 'aeiou' else 'A'} {label}"


def _verb(label: str, singular: str) -> str:
    """``has`` or ``have``, ``belongs`` or ``belong``, agreeing with ``_one(label)``."""
    if not label.endswith("settings"):
        return singular
    return "have" if singular == "has" else singular.removesuffix("s")


def _not_of_an_option(spec: EntitySpec) -> Exception:
    from bvdesk.errors import InputRefused

    return InputRefused(f"{_one(spec.label)} {_verb(spec.label, 'belongs')} to the review, not "
                        "to an option: leave out --option.")


def _spec(name: str) -> EntitySpec:
    from bvdesk.errors import InputRefused

    if name == SCORE:
        raise InputRefused("A quality score is set, or with score= cleared, by 'bvdesk review "
                           "add ID quality_score criterion=NAME option=NAME score=0-10'.")
    specs = _entities()
    if name not in specs:
        raise InputRefused(f"'{name}' is not something a review holds. Choose one of:\n"
                           + _entity_list())
    return specs[name]


def _fields(spec: EntitySpec, assignments: list[tuple[str, str]],
            indicators: Mapping[int, str] | None = None) -> dict[str, Any]:
    """The assignments as {field: value as typed}, every field named and every value checked by
    the operations' own rules (``coerce``), before anything is saved. An action's indicator is
    named by its code, one of ``indicators`` (the review's, by id)."""
    from bvdesk.errors import InputRefused
    from bvdesk.operations import editing

    editable = [name for name, field in spec.fields.items() if not field.read_only]
    typed: dict[str, Any] = {}
    for name, text in assignments:
        if name not in editable:
            raise InputRefused(f"{_one(spec.label)} {_verb(spec.label, 'has')} no field "
                               f"'{name}' to set. Nothing was "
                               f"saved. The fields are: {', '.join(editable)}.")
        if name in typed:
            raise InputRefused(f"{name} is given twice. Nothing was saved.")
        value: Any = text
        if spec.fields[name].kind == editing.AMOUNTS:
            value = [] if not text.strip() else [year.strip() for year in text.split(YEARS)]
        elif name == INDICATOR and text.strip():
            value = _indicator_id(text, indicators or {})
        try:
            editing.coerce(spec.name, name, value)
        except InputRefused as exc:
            raise InputRefused(f"{name}={text!r}: {exc.message} Nothing was saved.") from None
        typed[name] = value
    return typed


def _indicator_id(code: str, indicators: Mapping[int, str]) -> int:
    from bvdesk.errors import InputRefused

    found = next((key for key, known in indicators.items()
                  if known.casefold() == code.strip().casefold()), None)
    if found is None:
        raise InputRefused(f"{INDICATOR}={code!r}: the review has no indicator '{code}' linked "
                           f"(it has {', '.join(indicators.values()) or 'none'}). Link it "
                           "first with 'bvdesk review link'. Nothing was saved.")
    return found


def _linked(db: Database, review_id: int) -> dict[int, str]:
    """The review's indicators, code by id."""
    from bvdesk.operations import editing

    return {i.indicator_id: i.code for i in editing.linked_indicators(db, review_id)}


def _option_of(db: Database, review_id: int, option_id: int) -> Row:
    from bvdesk.errors import InputRefused
    from bvdesk.operations import editing

    # A number that is no option of this review, whether some other review's or none at all.
    option = next((row for row in editing.list_rows(db, "option", review_id)
                   if row.id == option_id), None)
    if option is None:
        raise InputRefused(f"Option {option_id} is not one of review {review_id}'s options. "
                           f"'bvdesk review rows {review_id} option' lists them.")
    return option


# --- showing rows as a person reads them ------------------------------------------------------


def _shown(field: FieldSpec, value: Any) -> str:
    from bvdesk.operations import editing

    if value is None or value == "" or value == []:
        return "-"
    if field.choices is not None:
        return field.choices(value).label
    if field.labels is not None and value in field.labels:
        return field.labels[value]
    if field.kind == editing.BOOL:
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if field.year:
        return str(FinancialYear(value))
    if field.fraction:
        return f"{value * 100:g}%"
    if field.kind == editing.AMOUNTS:
        return f"{YEARS} ".join(_money(amount) for amount in value)
    if isinstance(value, float):
        return _money(value) if "£" in (field.unit + field.label) else _number(value)
    if isinstance(value, int) and not isinstance(value, bool):
        # 25,340 homes, as landlord show and the documents print them.
        return f"{value:,} {field.unit}".rstrip()
    return str(value)


def _number(value: float) -> str:
    """A number as typed, with thousands separators and never in exponent form: a weight of
    12.5, a target of 1,250,000 (``:g`` printed 1.25e+06)."""
    from bvdesk.domain.livefigures import trimmed

    return trimmed(value, 6)


def _money(amount: float) -> str:
    """2,300,000 or 1,250.50: pence only when there are any."""
    return f"{amount:,.2f}".removesuffix(".00")


def _row_json(spec: EntitySpec, row: Row) -> dict[str, Any]:
    data: dict[str, Any] = {"id": row.id}
    if spec.parent == "option_id":
        data["option"] = row["option_id"]
    data.update({name: row[name] for name in spec.fields})
    return data


def _readable(field: FieldSpec, value: Any, codes: Mapping[int, str]) -> str:
    """``_shown``, with an action's indicator by its code."""
    return codes.get(value, str(value)) if field.name == INDICATOR and value else _shown(
        field, value)


def _said(field: FieldSpec, value: Any, codes: Mapping[int, str]) -> str:
    """``_readable`` in a message, where an empty value is said as ``review set`` says it."""
    return EMPTY if value is None or value == "" or value == [] else _readable(field, value, codes)


def _sentence(text: str) -> str:
    """``text`` ended with one full stop, also when the value said last has its own."""
    return text if text.endswith((".", "!", "?")) else text + "."


def _baseline_shown(row: Row, baseline: DataBaseline, field: FieldSpec) -> str:
    """An action's baseline (or its year) as the plan and the documents give it: from the data,
    with what was typed beside it when it differs (the documents do not use it)."""
    from bvdesk.domain.livefigures import format_measure

    if field.name == "baseline_year":
        shown, typed = f"{FinancialYear(baseline.year)}, from the data", row["baseline_year"]
    else:
        shown = (f"{format_measure(baseline.value, baseline.unit, baseline.decimals)}, from the "
                 f"data ({baseline.code} in the review's base year)")
        typed = row["baseline_value"]
    if typed is not None and typed != (baseline.year if field.year else baseline.value):
        shown += f"; typed {_shown(field, typed)}, not used"
    return shown


def _row_text(spec: EntitySpec, row: Row, option: str, codes: Mapping[int, str],
              baseline: DataBaseline | None = None) -> str:
    head = f"{spec.label.capitalize()} {row.id}" + (f" (option {option})" if option else "")
    width = max(len(field.label) for field in spec.fields.values()) + 1
    lines = [head] + [f"  {field.label + ':':<{width}} "
                      + _field_text(row, name, field, codes, baseline)
                      .replace("\n", "\n" + " " * (width + 3))
                      for name, field in spec.fields.items()]
    if spec.name == "consultation":  # what the Consult screen shows beneath the counts
        from bvdesk.operations.editing import survey_results

        lines.append(f"  {'Results:':<{width}} "
                     + survey_results({name: row[name] for name in spec.fields})[0])
    return "\n".join(lines)


def _field_text(row: Row, name: str, field: FieldSpec, codes: Mapping[int, str],
                baseline: DataBaseline | None) -> str:
    """A field of ``row`` as a person reads it; an action's baseline and target in its
    indicator's unit, as the documents print them, when the data gives a baseline."""
    if baseline is None:
        return _readable(field, row[name], codes)
    if name in _FROM_DATA:
        return _baseline_shown(row, baseline, field)
    if name == "target_value" and row[name] is not None:
        from bvdesk.domain.livefigures import format_measure

        return format_measure(row[name], baseline.unit, baseline.decimals)
    return _readable(field, row[name], codes)


# --- the commands ---------------------------------------------------------------------------


def _rows(ctx: Context) -> int:
    from bvdesk.operations import editing
    from bvdesk.operations.livefigures import action_baseline
    from bvdesk.operations.reviews import review_detail

    if ctx.args.entity == SCORE:
        return _scores(ctx)
    spec = _spec(ctx.args.entity)
    review_id = ctx.args.id
    found: list[tuple[str, Row]] = []
    with ctx.open_db(write=False) as db:
        review_detail(db, review_id)  # says so plainly when there is no such review
        codes = _linked(db, review_id)
        if spec.parent == "option_id":
            options = ([_option_of(db, review_id, ctx.args.option)]
                       if ctx.args.option is not None
                       else editing.list_rows(db, "option", review_id))
            for option in options:
                found += [(f"{option.id} '{option['name']}'", row)
                          for row in editing.list_rows(db, spec.name, option.id)]
        elif ctx.args.option is not None:
            raise _not_of_an_option(spec)
        else:
            found = [("", row) for row in editing.list_rows(db, spec.name, review_id)]
        baselines = {row.id: action_baseline(db, row.id) for _option, row in found
                     if spec.name == "action" and row[INDICATOR] is not None}

    def text() -> str:
        if not found:
            return f"Review {review_id} has no {spec.label} yet."
        return "\n\n".join(_row_text(spec, row, option, codes, baselines.get(row.id))
                           for option, row in found)

    def data(row: Row) -> dict[str, Any]:
        """The row's fields; an action's with the baseline the data gives it (or null)."""
        if spec.name != "action":
            return _row_json(spec, row)
        baseline = baselines.get(row.id)
        return {**_row_json(spec, row), "data_baseline": None if baseline is None else {
            "indicator": baseline.code, "value": baseline.value, "year": baseline.year}}

    ctx.emit({"review": review_id, "entity": spec.name, "label": spec.label,
              "rows": [data(row) for _option, row in found]}, text)
    return 0


def _add(ctx: Context) -> int:
    from bvdesk.errors import InputRefused
    from bvdesk.operations import editing
    from bvdesk.operations.reviews import review_detail

    if ctx.args.entity == SCORE:
        return _score(ctx)
    spec = _spec(ctx.args.entity)
    review_id = ctx.args.id
    if spec.parent != "option_id" and ctx.args.option is not None:
        raise _not_of_an_option(spec)
    if spec.name == "evidence":
        return _attach(ctx, spec)
    with ctx.open_db(write=True) as db:
        review_detail(db, review_id)  # says so plainly when there is no such review
        values = _fields(spec, ctx.args.assignments, _linked(db, review_id))
        if spec.parent == "option_id":
            if ctx.args.option is None:
                raise InputRefused(f"{_one(spec.label)} belongs to an option: name it with "
                                   f"--option N ('bvdesk review rows {review_id} option' lists "
                                   "them).")
            parent = _option_of(db, review_id, ctx.args.option).id
        else:
            parent = review_id
        if spec.name == "appraisal_settings" and editing.list_rows(db, spec.name, review_id):
            raise InputRefused(f"Review {review_id} has its appraisal settings already: change "
                               f"them with 'bvdesk review edit appraisal_settings {review_id} "
                               "FIELD=VALUE'.")
        later = {name: values.pop(name) for name in _SAVED_AFTER.get(spec.name, ())
                 if name in values}
        row = editing.add_row(db, spec.name, parent, values)
        try:
            editing.update_fields(db, spec.name, row.id, later)
        except Exception:
            editing.delete_row(db, spec.name, row.id)
            raise
        row = editing.get_row(db, spec.name, row.id)
    ctx.emit({"id": row.id, "entity": spec.name, **_row_json(spec, row)}, str(row.id))
    return 0


def _attach(ctx: Context, spec: EntitySpec) -> int:
    """``review add ID evidence file=PATH [FIELD=VALUE...]``: keep a copy of the file, as the
    app's Attach does, with its details; a detail refused removes the file again."""
    from bvdesk.errors import FileProblem, InputRefused
    from bvdesk.operations import editing
    from bvdesk.operations.reviews import review_detail

    assignments = dict(ctx.args.assignments)
    path = assignments.pop("file", "")
    if not path.strip():
        raise InputRefused("Name the file to attach: file=PATH.")
    problem = _checks.path_problem(path)
    if problem:
        raise FileProblem(f"file={path!r}: {problem}.")
    values = _fields(spec, list(assignments.items()))
    problems = editing.consistency_problems(spec.name, {
        name: editing.coerce(spec.name, name, value) for name, value in values.items()})
    if problems:
        raise InputRefused(" ".join(problems) + " Nothing was saved.")
    with ctx.open_db(write=True) as db:
        review_detail(db, ctx.args.id)  # says so plainly when there is no such review
        row = editing.attach_evidence(db, ctx.args.id, Path(path),
                                      title=values.pop("title", ""),
                                      supports=values.pop("supports", ""))
        try:
            editing.update_fields(db, spec.name, row.id, values)
        except Exception:
            editing.remove_evidence(db, row.id)
            raise
        row = editing.get_row(db, spec.name, row.id)
    ctx.emit({"id": row.id, "entity": spec.name, **_row_json(spec, row)}, str(row.id))
    return 0


def _edit(ctx: Context) -> int:
    """``review edit ENTITY ROW FIELD=VALUE...``: the fields saved at once, each against the
    value read here (a colleague's save to one of them meanwhile refuses the whole edit)."""
    from bvdesk.operations import editing

    spec = _spec(ctx.args.entity)
    with ctx.open_db(write=True) as db:
        row = editing.get_row(db, spec.name, ctx.args.row)
        codes = _linked(db, row["review_id"]) if spec.name == "action" else {}
        typed = _fields(spec, ctx.args.assignments, codes)
        edits = editing.update_fields(db, spec.name, row.id, typed,
                                      seen={name: row[name] for name in typed})
    changed = [e for e in edits if e.old != e.new]

    def text() -> str:
        if not changed:
            return f"{spec.label.capitalize()} {ctx.args.row}: nothing changed."
        return "\n".join(_sentence(f"{spec.label.capitalize()} {ctx.args.row}: "
                                   f"{spec.fields[e.field].label} changed from "
                                   f"{_said(spec.fields[e.field], e.old, codes)} to "
                                   f"{_said(spec.fields[e.field], e.new, codes)}")
                         for e in changed)

    ctx.emit({"entity": spec.name, "id": ctx.args.row,
              "changed": {e.field: {"old": e.old, "new": e.new} for e in changed}}, text)
    return 0


def _delete(ctx: Context) -> int:
    from bvdesk.operations import editing

    spec = _spec(ctx.args.entity)
    with ctx.open_db(write=True) as db:
        if spec.name == "evidence":
            row = editing.remove_evidence(db, ctx.args.row)
        else:
            row = editing.delete_row(db, spec.name, ctx.args.row)
    name = next((row.values[key] for key in ("name", "title", "question", "kloe", "description",
                                             "file_name") if row.values.get(key)), "")
    children = len(row.values.get("_children", []))
    text = (f"Deleted {spec.label} {row.id}" + (f" '{name}'" if name else "")
            + (f" with its {children} cost lines, risks and scores" if children else "") + ".")
    ctx.emit({"entity": spec.name, "deleted": row.id, "with": children}, text)
    return 0


# --- quality scores ---------------------------------------------------------------------------


def _scores(ctx: Context) -> int:
    """``review rows ID quality_score``: every option's score on every criterion."""
    from bvdesk.operations import editing
    from bvdesk.operations.reviews import review_detail

    with ctx.open_db(write=False) as db:
        review_detail(db, ctx.args.id)  # says so plainly when there is no such review
        criteria = editing.list_rows(db, "quality_criterion", ctx.args.id)
        options = ([_option_of(db, ctx.args.id, ctx.args.option)] if ctx.args.option is not None
                   else editing.list_rows(db, "option", ctx.args.id))
        scores = editing.list_scores(db, ctx.args.id)
    table = [(c, o, scores.get((c.id, o.id))) for o in options for c in criteria]

    def text() -> str:
        if not table:
            return f"Review {ctx.args.id} has no options and criteria to score yet."
        return "\n".join(f"Option {o.id} '{o['name']}' on criterion {c.id} '{c['name']}': "
                         f"{'-' if score is None else f'{score:g}'}" for c, o, score in table)

    ctx.emit({"review": ctx.args.id, "entity": SCORE, "label": "quality score",
              "rows": [{"criterion": c.id, "option": o.id, "score": score}
                       for c, o, score in table]}, text)
    return 0


def _score(ctx: Context) -> int:
    """``review add ID quality_score criterion=NAME option=NAME score=N``: set (or with an empty
    score, clear) one option's score on one criterion, through ``editing.set_score``."""
    from bvdesk.errors import InputRefused
    from bvdesk.operations import editing
    from bvdesk.operations.reviews import review_detail

    given = dict(ctx.args.assignments)
    if ctx.args.option is not None:
        given.setdefault("option", str(ctx.args.option))
    wanted = ("criterion", "option", "score")
    extra = sorted(set(given) - set(wanted))
    missing = [name for name in wanted if name not in given]
    if extra or missing:
        what = (f"A quality score has no field '{extra[0]}'" if extra
                else f"Give the quality score's {' and '.join(missing)}")
        raise InputRefused(f"{what}: criterion=NAME option=NAME score=0-10 (score= clears it). "
                           "Nothing was saved.")
    try:
        score = editing.coerce_score(given["score"])
    except InputRefused as exc:
        raise InputRefused(f"score={given['score']!r}: {exc.message} Nothing was saved.") from None
    with ctx.open_db(write=True) as db:
        review_detail(db, ctx.args.id)  # says so plainly when there is no such review
        criterion = _named(editing.list_rows(db, "quality_criterion", ctx.args.id),
                           "criterion", given["criterion"], ctx.args.id)
        option = _named(editing.list_rows(db, "option", ctx.args.id), "option",
                        given["option"], ctx.args.id)
        old = editing.set_score(db, criterion.id, option.id, score)
    old_text, new_text = (EMPTY if value is None else f"{value:g}" for value in (old, score))
    ctx.emit({"criterion": criterion.id, "option": option.id, "score": score, "old": old},
             f"Option {option.id} '{option['name']}' on criterion {criterion.id} "
             f"'{criterion['name']}': " + (f"score changed from {old_text} to {new_text}."
                                           if old != score else
                                           f"score was already {new_text}; nothing changed."))
    return 0


def _named(rows: list[Row], what: str, text: str, review_id: int) -> Row:
    """The row of ``rows`` called ``text`` (its name, ignoring case, or its id)."""
    from bvdesk.errors import InputRefused

    key = text.strip().casefold()
    found = next((row for row in rows if str(row["name"]).casefold() == key
                  or str(row.id) == key), None)
    if found is None:
        names = ", ".join(f"{row.id} '{row['name']}'" for row in rows) or "none yet"
        raise InputRefused(f"{what}={text!r}: review {review_id} has no {what} of that name or "
                           f"id (it has {names}). Nothing was saved.")
    return found
