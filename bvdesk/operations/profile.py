"""The landlord's profile: how tenants reach it and take part, printed in the tenant summary.

The fields are the ``landlord`` entity's (``operations.editing``), so every change is checked,
undoable and recorded in the audit log like any other edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from bvdesk.errors import InputRefused
from bvdesk.operations import settings
from bvdesk.operations.editing import ENTITIES, FieldEdit, get_row, update_fields
from bvdesk.store.db import Database
from bvdesk.store.models import Organisation

#: The contact fields, in the order they are shown.
CONTACT_FIELDS = ("contact_address", "contact_phone", "contact_email", "website", "get_involved")
#: What documents say of the landlord besides its name: the homes it owns (the regulator
#: submission's "Homes owned"; the cost per home of an appraisal that sets no homes served)
#: and its region.
FACT_FIELDS = ("homes", "region")


def field_label(field: str) -> str:
    """The label a person sees for ``field``."""
    return ENTITIES["landlord"].fields[field].label


def _own_id(db: Database) -> int:
    with db.read() as session:
        own = session.scalar(select(Organisation.id).where(Organisation.is_self))
    if own is None:
        raise InputRefused("This database has no landlord set up yet.")
    return own


def landlord_profile(db: Database) -> dict[str, str]:
    """The contact fields of the landlord whose database this is.

    Raises:
        InputRefused: the database has no landlord.
    """
    own = _own_id(db)
    with db.read() as session:
        org = session.get(Organisation, own)
        assert org is not None
        return {field: getattr(org, field) or "" for field in CONTACT_FIELDS}


def _contact_changes(db: Database, values: Mapping[str, str], shown: Mapping[str, str] | None
                     ) -> tuple[dict[str, str], dict[str, Any]]:
    """The contact fields Settings saves (those the person changed from what the dialog
    ``shown``; without it, those that differ from the stored ones), and what the person saw in
    each, for ``save_settings_page``."""
    unknown = sorted(set(values) - set(CONTACT_FIELDS))
    if unknown:
        raise InputRefused(f"The landlord profile has no field {', '.join(unknown)}.")
    own = _own_id(db)
    with db.read() as session:
        org = session.get(Organisation, own)
        assert org is not None
        stored = {field: getattr(org, field) for field in CONTACT_FIELDS}
    changed: dict[str, str] = {}
    seen: dict[str, Any] = {}
    for field, value in values.items():
        before = (stored[field] or "") if shown is None else shown[field].strip()
        if value.strip() == before:
            continue
        # What the screen showed, as stored ("" on screen is a field never filled in).
        seen[field] = stored[field] if (stored[field] or "") == before else before
        changed[field] = value.strip()
    return changed, seen


def landlord_facts(db: Database) -> dict[str, Any]:
    """The homes and region of the landlord whose database this is, as stored (None: not set).

    Raises:
        InputRefused: the database has no landlord.
    """
    row = get_row(db, "landlord", _own_id(db))
    return {field: row[field] for field in FACT_FIELDS}


def landlord_fields(db: Database) -> dict[str, Any]:
    """The landlord's facts and contact details as stored (None: never filled in): what
    ``save_landlord`` checks a colleague's change against."""
    row = get_row(db, "landlord", _own_id(db))
    return {field: row[field] for field in (*FACT_FIELDS, *CONTACT_FIELDS)}


def save_landlord(db: Database, values: Mapping[str, Any],
                  seen: Mapping[str, Any]) -> list[FieldEdit]:
    """Store ``values``, the landlord's contact details and facts a person changed (as typed or
    as stored), each against the value they ``seen``, all of them or none; returns the edits
    made, one for each field given. (Settings saves them with its settings, as the dialog
    showed them: ``save_settings_page``.)

    Raises:
        InputRefused: an unknown field, or a value the field does not accept (the number of
            homes must be a whole number from 0 to 10,000,000).
        EditConflict: a colleague saved a different value in a field this person changed.
    """
    unknown = sorted(set(values) - {*CONTACT_FIELDS, *FACT_FIELDS})
    if unknown:
        raise InputRefused(f"The landlord has no field {', '.join(unknown)}.")
    typed = {field: value.strip() if field in CONTACT_FIELDS else value
             for field, value in values.items()}
    return update_fields(db, "landlord", _own_id(db), typed,
                         seen={field: seen[field] for field in values})


def _known_facts(values: Mapping[str, Any]) -> None:
    unknown = sorted(set(values) - set(FACT_FIELDS))
    if unknown:
        raise InputRefused(f"The landlord's facts have no field {', '.join(unknown)}.")


def save_settings_page(db: Database, values: Mapping[str, Any], seen: Mapping[str, Any],
                       contact: Mapping[str, str], shown_contact: Mapping[str, str] | None,
                       facts: Mapping[str, Any], seen_facts: Mapping[str, Any]
                       ) -> list[FieldEdit]:
    """What Settings saves, in one transaction: the landlord-wide settings a person changed
    (``settings.save_settings_in``), the contact details (None: not shown, so not saved) and the
    homes and region, each against what the screen showed. All of it, or none when any is
    refused; returns the landlord's edits.

    Raises:
        InputRefused: a value a field does not accept, or a colleague changed a setting
            meanwhile (naming each).
        EditConflict: a colleague saved a different value in a landlord's field this person
            changed.
    """
    changed, seen_contact = (_contact_changes(db, contact, shown_contact)
                             if shown_contact is not None else ({}, {}))
    _known_facts(facts)
    return update_fields(db, "landlord", _own_id(db), {**changed, **facts},
                         seen={**seen_contact, **{field: seen_facts[field] for field in facts}},
                         also=lambda session: settings.save_settings_in(session, values, seen))
