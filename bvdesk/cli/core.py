"""Core commands: create and inspect a landlord's database, reviews, backups and checks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bvdesk.cli._framework import REVIEW_ID, Commands, Context, said_at

if TYPE_CHECKING:
    from bvdesk.operations.opening import Database
    from bvdesk.operations.reviews import ReviewDetail


def register(commands: Commands) -> None:
    init = commands.add("init", _init, "Create an empty database for a landlord")
    init.add_argument("--org", required=True, metavar="NAME", help="the landlord's name")
    init.add_argument("--code", metavar="CODE", help="the landlord's code in benchmarking data")
    init.add_argument("--homes", type=int, metavar="N", help="number of homes owned")
    init.add_argument("--region", metavar="REGION", help="the landlord's region, e.g. North West")
    commands.add("demo", _demo, "Create (or open) the demo database: Northvale Homes and 44 "
                 "fictional peers")

    group = ("review", "Service reviews")
    commands.add("list", _review_list, "List the reviews", group=group[0], group_help=group[1])
    new = commands.add("new", _review_new, "Start a review of a service; prints the new "
                       "review's ID", group=group[0], group_help=group[1])
    new.add_argument("--service", required=True, metavar="NAME", help="service code or name")
    new.add_argument("--title", required=True, metavar="TEXT",
                     help="the review's title, e.g. 'Responsive repairs 2009/10'")
    new.add_argument("--indicators", default="", metavar="CODE,...",
                     help="indicator codes to link, comma-separated")
    link = commands.add("link", _review_link, "Link indicators to a review (or unlink them)",
                        group=group[0], group_help=group[1])
    link.add_argument("id", type=int, metavar="ID", help=REVIEW_ID)
    link.add_argument("codes", metavar="CODE,...", help="indicator codes, comma-separated")
    link.add_argument("--unlink", action="store_true", help="unlink them instead")
    show = commands.add("show", _review_show, "Show a review's summary", group=group[0],
                        group_help=group[1])
    show.add_argument("id", type=int, metavar="ID", help=REVIEW_ID)
    setter = commands.add("set", _review_set, "Set one field of a review (for example "
                          "board_meeting_date, board_paper_author, board_agenda_ref)",
                          group=group[0], group_help=group[1])
    setter.add_argument("id", type=int, metavar="ID", help=REVIEW_ID)
    setter.add_argument("field", metavar="FIELD", help="the field's name, e.g. board_agenda_ref")
    setter.add_argument("value", metavar="VALUE",
                        help="the new value as you would type it on screen (dates dd/mm/yyyy); "
                        "'' to clear it")

    backup = commands.add("backup", _backup, "Copy the database consistently, even while the "
                          "app has it open")
    backup.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="the backup file to write")
    check = commands.add("check", _check, "Check the database: integrity, links and the audit "
                         "trail; with --review, whether a review is ready to sign off")
    check.add_argument("--review", type=int, metavar="ID",
                       help="list what the review still needs and what contradicts itself")


def _init(ctx: Context) -> int:
    from bvdesk.operations.landlord import get_landlord, init_database

    with init_database(ctx.db_target, ctx.args.org, ctx.args.code, homes=ctx.args.homes,
                       region=ctx.args.region, user=ctx.args.user) as db:
        landlord = get_landlord(db)
        where = db.location
    ctx.emit({"database": where, "landlord": landlord.name, "code": landlord.code},
             f"Created {where} for {landlord.name}.")
    return 0


def _demo(ctx: Context) -> int:
    from bvdesk.operations.demo import create_demo
    from bvdesk.operations.opening import is_server_url

    target = ctx.db_target
    if is_server_url(target):
        with ctx.open_db(write=False, create=True) as db:
            existed = _has_landlord(db)
            where = db.location
    else:
        from bvdesk.operations.landlord import holds_database

        existed = holds_database(target)
        where = str(target)
    create_demo(target)
    ctx.emit({"database": where, "created": not existed},
             f"{'Opened' if existed else 'Created'} the demo database {where}.")
    return 0


def _has_landlord(db: Database) -> bool:
    from bvdesk.errors import InputRefused
    from bvdesk.operations.landlord import get_landlord

    try:
        get_landlord(db)
    except InputRefused:
        return False
    return True


def _review_list(ctx: Context) -> int:
    from bvdesk.operations.reviews import list_reviews

    with ctx.open_db(write=False) as db:
        reviews = list_reviews(db)

    def text() -> str:
        if not reviews:
            return "No reviews yet. Start one with 'bvdesk review new'."
        stages = [r.stage_label + (" (signed off)" if r.locked else "") for r in reviews]
        # Columns as wide as their longest entry: "Sign-off (signed off)" ran into the service.
        wide = max(len("Stage"), *map(len, stages)), max(len("Service"),
                                                          *(len(r.service) for r in reviews))
        lines = [f"{'ID':>4}  {'Stage':<{wide[0]}}  {'Service':<{wide[1]}}  Title"]
        for r, stage in zip(reviews, stages, strict=True):
            lines.append(f"{r.id:>4}  {stage:<{wide[0]}}  {r.service:<{wide[1]}}  {r.title}")
        return "\n".join(lines)

    ctx.emit([r.to_json() for r in reviews], text)
    return 0


def _review_new(ctx: Context) -> int:
    from bvdesk.operations.reviews import create_review

    codes = [c for c in ctx.args.indicators.split(",") if c.strip()]
    with ctx.open_db(write=True) as db:
        review_id = create_review(db, ctx.args.service, ctx.args.title, codes)
    ctx.emit({"id": review_id}, str(review_id))
    return 0


def _review_link(ctx: Context) -> int:
    from bvdesk.errors import InputRefused
    from bvdesk.operations import editing
    from bvdesk.operations.reviews import review_detail

    wanted = list(dict.fromkeys(c.strip() for c in ctx.args.codes.split(",") if c.strip()))
    linking = not ctx.args.unlink
    with ctx.open_db(write=True) as db:
        review_detail(db, ctx.args.id)  # says so plainly when there is no such review
        known = {code.lower(): code for code, _name in editing.indicator_catalogue(db)}
        unknown = [c for c in wanted if c.lower() not in known]
        if unknown or not wanted:
            codes_word = "code" if len(unknown) == 1 else "codes"
            raise InputRefused(f"Unknown indicator {codes_word}: {', '.join(unknown)}. Nothing "
                               "was changed. Choose codes from the catalogue of indicators."
                               if unknown else "Name the indicator codes to link.")
        codes = [known[c.lower()] for c in wanted]
        already = [c for c in codes
                   if editing.set_indicator_link(db, ctx.args.id, c, linking) == linking]
        detail = review_detail(db, ctx.args.id)
    changed = [c for c in codes if c not in already]
    verb = "linked" if linking else "unlinked"
    text = f"Review {ctx.args.id}: {verb} {', '.join(changed) or 'nothing'}"
    if already:
        text += f" ({', '.join(already)} {'already linked' if linking else 'not linked'})"
    ctx.emit({"review": ctx.args.id, verb: changed,
              "indicators": [code for code, _name in detail.indicators]}, text + ".")
    return 0


def _review_show(ctx: Context) -> int:
    from bvdesk.operations.reviews import review_detail

    with ctx.open_db(write=False) as db:
        detail = review_detail(db, ctx.args.id)

    def text() -> str:
        s = detail.summary
        lines = [f"Review {s.id}: {s.title}", f"Service:     {s.service}",
                 f"Stage:       {s.stage_label}" + (
                     f" (signed off by {detail.signed_off_by} on "
                     f"{said_at(detail.signed_off_at)})" if detail.signed_off_by
                     and detail.signed_off_at else ""),
                 f"Team:        {_team(detail) or '-'}",
                 f"Indicators:  {', '.join(c for c, _n in detail.indicators) or '-'}",
                 f"Challenge:   {detail.challenges_answered} of {detail.challenges} answered",
                 f"Consult:     {_count(detail.consultations, 'activity', 'activities')}",
                 f"Compete:     {_count(len(detail.options), 'option', 'options')}",
                 f"Plan:        {_count(detail.actions, 'action', 'actions')}",
                 f"Judgements:  {detail.judgements}",
                 f"Evidence:    {_count(detail.evidence, 'file', 'files')}"]
        return "\n".join(lines)

    ctx.emit(detail.to_json(), text)
    return 0


def _review_set(ctx: Context) -> int:
    import datetime as dt

    from bvdesk.errors import InputRefused
    from bvdesk.operations import editing
    from bvdesk.operations.reviews import review_detail

    fields = editing.entity("review").fields
    name = ctx.args.field
    if name not in fields or fields[name].read_only:
        editable = ", ".join(key for key, spec in fields.items() if not spec.read_only)
        raise InputRefused(f"A review has no field '{name}' to set. The fields are: {editable}.")
    spec = fields[name]
    with ctx.open_db(write=True) as db:
        review_detail(db, ctx.args.id)  # says so plainly when there is no such review
        edit = editing.update_field(db, "review", ctx.args.id, name, ctx.args.value)

    def shown(value: object) -> str:
        if value is None or value == "":
            return "(empty)"
        if spec.choices is not None:
            return spec.choices(str(value)).label
        return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)

    def sentence(text: str) -> str:
        """``text`` ended with one full stop, also when the value shown last has its own."""
        return text if text.endswith((".", "!", "?")) else text + "."

    changed = edit.old != edit.new
    text = (sentence(f"Review {ctx.args.id}: {spec.label} changed from {shown(edit.old)} to "
                     f"{shown(edit.new)}") if changed else
            f"Review {ctx.args.id}: {spec.label} was already {shown(edit.new)}; nothing changed.")
    ctx.emit({"review": ctx.args.id, "field": name, "label": spec.label, "old": edit.old,
              "new": edit.new, "changed": changed}, text)
    return 0


def _count(number: int, one: str, many: str) -> str:
    """'1 activity', '2 activities': the noun agrees with its number."""
    return f"{number} {one if number == 1 else many}"


def _team(detail: ReviewDetail) -> str:
    return ", ".join(name + (" (tenant)" if tenant else "") for name, _role, tenant in detail.team)


def _backup(ctx: Context) -> int:
    from bvdesk.operations.outputs import write_backup

    with ctx.open_db(write=False) as db:
        target = write_backup(db, Path(ctx.args.output))
        name = db.name
    ctx.emit({"backup": str(target)}, f"Backed up {name} to {target}.")
    return 0


def _check(ctx: Context) -> int:
    from bvdesk.domain.wording import count
    from bvdesk.operations.check import check_database

    if ctx.args.review is not None:
        return _check_review(ctx)
    from bvdesk.operations.transfer import shown as shown_location

    target = ctx.db_target
    problems = check_database(target)
    shown = shown_location(target) if isinstance(target, str) else target.name
    ctx.emit({"database": shown_location(target), "ok": not problems, "problems": problems},
             lambda: "No problems found." if not problems else
             f"{count(len(problems), 'problem')} in {shown}:\n" +
             "\n".join(f"- {p}" for p in problems))
    return 1 if problems else 0


def _check_review(ctx: Context) -> int:
    from bvdesk.operations.readiness import check_review

    with ctx.open_db(write=False) as db:
        ready = check_review(db, ctx.args.review)
    ctx.emit(ready.to_json(), ready.text)
    return 0 if ready.clean else 1
