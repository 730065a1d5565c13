"""The landlord whose database it is: its homes and region, as Settings shows and changes them."""

from __future__ import annotations

from typing import Any

from bvdesk.cli._framework import Commands, Context
from bvdesk.errors import InputRefused

GROUP = ("landlord", "The landlord whose database it is")


def register(commands: Commands) -> None:
    commands.add("show", _show, "Show the landlord's name, code, homes owned and region",
                 group=GROUP[0], group_help=GROUP[1])
    setter = commands.add("set", _set, "Change the homes the landlord owns or its region (the "
                          "regulator submission's Homes owned, and the cost per home of an "
                          "appraisal that sets no homes served)", group=GROUP[0],
                          group_help=GROUP[1])
    setter.add_argument("--homes", metavar="N",
                        help="homes owned, a whole number as you would type it in Settings "
                             "(5120 or 5,120); '' to clear it")
    setter.add_argument("--region", metavar="REGION", help="e.g. North West; '' to clear it")


def _show(ctx: Context) -> int:
    from bvdesk.operations.landlord import get_landlord
    from bvdesk.operations.profile import landlord_facts

    with ctx.open_db(write=False) as db:
        landlord = get_landlord(db)
        facts = landlord_facts(db)
    data = {"landlord": landlord.name, "code": landlord.code, **facts}
    ctx.emit(data, lambda: "\n".join(f"{label + ':':<14}{_shown(data[key])}" for key, label in (
        ("landlord", "Landlord"), ("code", "Code"), ("homes", "Homes owned"),
        ("region", "Region"))))
    return 0


def _set(ctx: Context) -> int:
    from bvdesk.operations.landlord import get_landlord
    from bvdesk.operations.profile import field_label, landlord_facts, save_landlord_facts

    values = {field: getattr(ctx.args, field) for field in ("homes", "region")
              if getattr(ctx.args, field) is not None}
    if not values:
        raise InputRefused("Nothing to change: give --homes N, --region REGION or both.")
    with ctx.open_db(write=True) as db:
        stored = landlord_facts(db)
        edits = save_landlord_facts(db, values, {field: stored[field] for field in values})
        name = get_landlord(db).name
        now = landlord_facts(db)
    changed = [edit.field for edit in edits if edit.old != edit.new]

    def text() -> str:
        said = [f"{field_label(field).lower()} {_shown(now[field])}"
                + (f" (was {_shown(stored[field])})" if field in changed else " (unchanged)")
                for field in values]
        return f"{name}: " + "; ".join(said) + "."

    ctx.emit({"landlord": name, **now, "changed": changed}, text)
    return 0


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "not set"
    return f"{value:,}" if isinstance(value, int) else str(value)
