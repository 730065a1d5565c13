"""The landlord whose database it is: its homes, region and contact details, as Settings shows
and changes them."""

from __future__ import annotations

from typing import Any

from bvdesk.cli._framework import Commands, Context
from bvdesk.errors import InputRefused

GROUP = ("landlord", "The landlord whose database it is")


#: The contact details' options, in the order Settings shows them: (option, field, help).
CONTACT_OPTIONS = (
    ("--address", "contact_address", "the address tenants write to"),
    ("--phone", "contact_phone", "the telephone number tenants ring"),
    ("--email", "contact_email", "the email address tenants write to"),
    ("--website", "website", "the landlord's website"),
    ("--get-involved", "get_involved", "how tenants can get involved, as the tenant summary "
                                       "tells them"))


def register(commands: Commands) -> None:
    commands.add("show", _show, "Show the landlord's name, code, homes owned, region and "
                 "contact details", group=GROUP[0], group_help=GROUP[1])
    setter = commands.add("set", _set, "Change the homes the landlord owns, its region or how "
                          "tenants reach it (the regulator submission's Homes owned, the cost "
                          "per home of an appraisal that sets no homes served, and the tenant "
                          "summary's contact details), all or none", group=GROUP[0],
                          group_help=GROUP[1])
    setter.add_argument("--homes", metavar="N",
                        help="homes owned, a whole number as you would type it in Settings "
                             "(5120 or 5,120); '' to clear it")
    setter.add_argument("--region", metavar="REGION", help="e.g. North West; '' to clear it")
    for option, field, help_text in CONTACT_OPTIONS:
        setter.add_argument(option, dest=field, metavar="TEXT", help=f"{help_text}; '' to clear it")


def _show(ctx: Context) -> int:
    from bvdesk.operations.landlord import get_landlord
    from bvdesk.operations.profile import (
        CONTACT_FIELDS,
        field_label,
        landlord_facts,
        landlord_profile,
    )

    with ctx.open_db(write=False) as db:
        landlord = get_landlord(db)
        facts, contact = landlord_facts(db), landlord_profile(db)
    data = {"landlord": landlord.name, "code": landlord.code, **facts, **contact}
    labels = (("landlord", "Landlord"), ("code", "Code"), ("homes", "Homes owned"),
              ("region", "Region"), *((field, field_label(field)) for field in CONTACT_FIELDS))
    width = 2 + max(len(label) for _key, label in labels)
    ctx.emit(data, lambda: "\n".join(f"{label + ':':<{width}}{_shown(data[key])}"
                                     for key, label in labels))
    return 0


def _set(ctx: Context) -> int:
    from bvdesk.operations.landlord import get_landlord
    from bvdesk.operations.profile import field_label, landlord_fields, save_landlord

    fields = ("homes", "region", *(field for _option, field, _help in CONTACT_OPTIONS))
    values = {field: getattr(ctx.args, field) for field in fields
              if getattr(ctx.args, field) is not None}
    if not values:
        raise InputRefused("Nothing to change: give --homes N, --region REGION or a contact "
                           "detail (--address, --phone, --email, --website, --get-involved).")
    with ctx.open_db(write=True) as db:
        stored = landlord_fields(db)
        edits = save_landlord(db, values, {field: stored[field] for field in values})
        name = get_landlord(db).name
        now = landlord_fields(db)
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
