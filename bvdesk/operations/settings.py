"""Landlord-wide settings, kept in the database beside the data they govern.

Each setting is declared once here (key, default, label). User-level preferences (the user name,
recent files) are not here: they belong to the person, not the landlord, and live in the UI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bvdesk.errors import InputRefused
from bvdesk.store.db import Database
from bvdesk.store.models import Setting


@dataclass(frozen=True, slots=True)
class SettingSpec:
    key: str
    default: Any
    label: str


SPECS: dict[str, SettingSpec] = {spec.key: spec for spec in (
    SettingSpec("persistence_consecutive", 2,
                "Bottom quartile this many consecutive years is persistent"),
    SettingSpec("persistence_years_bad", 3, "... or bottom quartile in this many years"),
    SettingSpec("persistence_window", 5, "... out of the last this many years"),
    SettingSpec("small_sample_n", 8, "Warn when fewer peers than this have a value"),
    SettingSpec("top_quartile_years", 5, "Years to reach the top quartile"),
    SettingSpec("default_price_weight", 40.0, "Default price weight (%)"),
    SettingSpec("vat_table", None, "VAT rates by date (blank: the built-in table)"),
    SettingSpec("discount_schedule", None, "Discount rates (blank: the Green Book schedule)"),
    SettingSpec("backups_kept", 10, "Automatic backups kept per database"),
)}


def get_setting(db: Database, key: str) -> Any:
    """The stored value of ``key``, or its declared default."""
    with db.read() as session:
        return setting_in(session, key)


def setting_in(session: Session, key: str) -> Any:
    """``get_setting`` inside a session the caller already has open."""
    stored = session.scalar(select(Setting.value).where(Setting.key == key))
    return SPECS[key].default if stored is None else stored


def all_settings(db: Database) -> dict[str, Any]:
    with db.read() as session:
        stored = {row.key: row.value for row in session.scalars(select(Setting))}
    return {key: spec.default if stored.get(key) is None else stored[key]
            for key, spec in SPECS.items()}


def set_setting(db: Database, key: str, value: Any) -> None:
    if key not in SPECS:
        raise KeyError(key)
    with db.session() as session:
        _store(session, key, value)


def _store(session: Session, key: str, value: Any) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def save_settings_in(session: Session, values: Mapping[str, Any],
                     seen: Mapping[str, Any]) -> None:
    """Store ``values``, the settings a person changed, each against the value they ``seen``
    (what their screen showed), in the caller's ``session`` (Settings saves them with the
    landlord's fields: ``profile.save_settings_page``). A setting a colleague saved differently
    meanwhile is not overwritten: nothing is saved and the refusal names it; settings nobody
    changed are left as they are, whoever saved them last.

    Raises:
        InputRefused: a colleague changed one of these settings meanwhile.
    """
    clashes = [f"{SPECS[key].label} ({_shown(setting_in(session, key))} saved by a "
               f"colleague, you typed {_shown(value)})"
               for key, value in values.items()
               if setting_in(session, key) not in (seen[key], value)]
    if clashes:
        raise InputRefused("A colleague changed these settings while you were editing them: "
                           + "; ".join(clashes) + ". Nothing was saved; open Settings again "
                           "to see their values.")
    for key, value in values.items():
        _store(session, key, value)


def _shown(value: Any) -> str:
    if value is None:
        return "blank"
    return f"{value:g}" if isinstance(value, (int, float)) else "a different table"

