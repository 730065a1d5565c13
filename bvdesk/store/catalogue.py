"""The shipped indicator catalogue in a landlord's database, kept up to date without overruling
the landlord.

A database records which catalogue it was last brought up to (the ``catalogue`` setting: the
shipped files' SHA-256 and every service code, indicator code and alias it has been offered).
Opening it for writing compares that with the catalogue this bvdesk ships, one small read; when
they differ, what the shipped catalogue has added since is added: new services and indicators,
and new aliases of indicators the database already has. Nothing the database holds is changed
or removed, so a renamed indicator, a polarity the landlord set, their own aliases and custom
indicators stay as they are; what was offered once and then removed is not offered again; an
alias that would name another indicator of the database is left out. The additions go through
the ORM, so the audit log records each of them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bvdesk.domain.names import squash
from bvdesk.domain.vocabulary import Polarity, Unit
from bvdesk.paths import resource
from bvdesk.store.models import Indicator, Organisation, ServiceArea, Setting

#: The setting that records the catalogue the database was last brought up to.
STAMP_KEY = "catalogue"


@dataclass(frozen=True, slots=True)
class Shipped:
    """The catalogue this bvdesk ships: its version (a SHA-256 of the files) and contents."""

    version: str
    services: tuple[dict[str, Any], ...]
    indicators: tuple[dict[str, Any], ...]


@cache
def shipped() -> Shipped:
    texts = [resource("catalogue", name).read_bytes()
             for name in ("services.json", "indicators.json")]
    digest = hashlib.sha256(b"\0".join(texts)).hexdigest()
    services, indicators = (json.loads(text.decode("utf-8")) for text in texts)
    for item in indicators:
        Unit(item["unit"]), Polarity(item["polarity"])  # the catalogue must use known values
    return Shipped(digest, tuple(services), tuple(indicators))


def is_current(session: Session) -> bool:
    """Whether the database was last brought up to the shipped catalogue (one small read)."""
    stamp = session.get(Setting, STAMP_KEY)
    return stamp is not None and isinstance(stamp.value, dict) \
        and stamp.value.get("version") == shipped().version


def bring_up_to_date(session: Session) -> bool:
    """Add what the shipped catalogue offers that this database was never offered; returns
    whether anything (the record of what was offered included) was written.

    A database without a landlord yet (being created, or the empty target of a transfer) is
    left alone: ``bvdesk init`` seeds it when it adds the landlord.
    """
    if is_current(session):
        return False
    if session.scalar(select(Organisation.id).where(Organisation.is_self)) is None:
        return False
    seed(session)
    return True


def seed(session: Session) -> None:
    """Add the shipped services, indicators and aliases this database was never offered, and
    record what it has now been offered."""
    catalogue = shipped()
    stamp = session.get(Setting, STAMP_KEY)
    before: dict[str, Any] = dict(stamp.value) if stamp is not None and \
        isinstance(stamp.value, dict) else {}
    offered_services = set(before.get("services", ()))
    offered_aliases: dict[str, list[str]] = dict(before.get("indicators", {}))

    services = {s.code: s for s in session.scalars(select(ServiceArea))}
    for item in catalogue.services:
        if item["code"] not in services and item["code"] not in offered_services:
            services[item["code"]] = ServiceArea(**item)
            session.add(services[item["code"]])
    session.flush()

    indicators = list(session.scalars(select(Indicator).order_by(Indicator.id)))
    owner = _names(indicators)
    by_code = {squash(i.code): i for i in indicators}
    for item in catalogue.indicators:
        code = item["code"]
        offered = set(offered_aliases.get(code, ()))
        existing = by_code.get(squash(code))
        if existing is None and code not in offered_aliases:
            service = services.get(item["service"])
            # The ceiling of a share is the importer's, read from the catalogue itself.
            fields = {k: v for k, v in item.items()
                      if k not in ("service", "aliases", "at_most")}
            existing = Indicator(**fields, aliases=[], service_id=service.id if service else None)
            session.add(existing)
            by_code[squash(code)] = existing
            for text in (code, item["name"]):
                owner.setdefault(squash(text), existing)
        if existing is not None and existing.code == code and not existing.is_custom:
            added = [alias for alias in item["aliases"]
                     if alias not in offered and _free(owner, existing, alias)]
            if added:
                existing.aliases = [*(existing.aliases or ()), *added]
        offered_aliases[code] = sorted(offered | set(item["aliases"]))

    value = {"version": catalogue.version,
             "services": sorted(offered_services | {s["code"] for s in catalogue.services}),
             "indicators": dict(sorted(offered_aliases.items()))}
    if stamp is None:
        session.add(Setting(key=STAMP_KEY, value=value))
    else:
        stamp.value = value
    session.flush()


def _names(indicators: list[Indicator]) -> dict[str, Indicator]:
    """Each name an indicator answers to (code, name, aliases), squashed, and its indicator."""
    owner: dict[str, Indicator] = {}
    for indicator in indicators:
        for text in (indicator.code, indicator.name, *(indicator.aliases or ())):
            owner.setdefault(squash(text), indicator)
    return owner


def _free(owner: dict[str, Indicator], indicator: Indicator, alias: str) -> bool:
    """Whether ``alias`` may be added to ``indicator``: no other indicator answers to it, and
    none of ``indicator``'s aliases reads the same. If so it is now ``indicator``'s."""
    key = squash(alias)
    if not key or owner.setdefault(key, indicator) is not indicator:
        return False
    return all(squash(own) != key for own in indicator.aliases or ())
