"""Peer groups: named sets of organisations to benchmark against, by rule or by list.

A rule is a mapping of organisation attribute to the allowed values, e.g.
``{"org_type": ["housing_association"], "region": ["London"], "stock_band": ["1000_2499"]}``;
an organisation belongs when it matches every attribute named. A list group names its members.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bvdesk.domain.names import match_key
from bvdesk.errors import InputRefused
from bvdesk.store.db import Database
from bvdesk.store.models import Organisation, PeerGroup, PeerGroupMember

#: Organisation attributes a rule may constrain.
RULE_FIELDS = ("org_type", "region", "stock_band")


@dataclass(frozen=True, slots=True)
class PeerGroupInfo:
    id: int
    name: str
    description: str
    rule: dict[str, list[str]] | None
    members: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.members)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "rule": self.rule,
                "size": self.size, "members": list(self.members)}


def find_organisation(session: Session, name: str) -> Organisation:
    """The organisation called ``name`` (by code, name, or alias, ignoring case and punctuation).

    Raises:
        InputRefused: no organisation, or more than one, answers to the name.
    """
    key = match_key(name)
    orgs = session.scalars(select(Organisation)).all()
    by_code = [o for o in orgs if o.code and match_key(o.code) == key]
    found = by_code or [o for o in orgs if key in (o.match_key, match_key(o.name))
                        or any(match_key(alias) == key for alias in o.aliases or ())]
    if not found:
        raise InputRefused(f"There is no organisation called '{name}'.")
    if len(found) > 1:
        names = ", ".join(sorted(o.name for o in found))
        raise InputRefused(f"'{name}' could be any of: {names}. Use the organisation's code.")
    return found[0]


def _clean_rule(rule: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    unknown = sorted(set(rule) - set(RULE_FIELDS))
    if unknown:
        raise InputRefused(f"A peer group rule can only use {', '.join(RULE_FIELDS)}; "
                           f"not {', '.join(unknown)}.")
    cleaned = {field: sorted({str(v) for v in values}) for field, values in rule.items()}
    if not any(cleaned.values()):
        raise InputRefused("A peer group rule needs at least one value to match.")
    return {field: values for field, values in cleaned.items() if values}


def _known_values(session: Session, rule: Mapping[str, Sequence[str]]) -> None:
    """Refuse a rule value no organisation has (a mistyped region matches nobody, silently)."""
    for field, values in rule.items():
        known = {v for v in session.scalars(select(getattr(Organisation, field)).distinct())
                 if v is not None}
        unknown = [v for v in values if v not in known]
        if unknown:
            what = field.replace("_", " ")
            raise InputRefused(f"No organisation has the {what} {', '.join(map(repr, unknown))}. "
                               f"Known: {', '.join(sorted(known)) or 'none yet'}.")


def _matches(org: Organisation, rule: Mapping[str, Sequence[str]]) -> bool:
    return all(getattr(org, field) in values for field, values in rule.items())


def resolve_members(session: Session, group: PeerGroup) -> set[int]:
    """The organisation ids in ``group`` now (a rule group follows the organisations' data)."""
    if group.rule:
        return {org.id for org in session.scalars(select(Organisation))
                if _matches(org, group.rule)}
    return {member.organisation_id for member in group.members}


def peer_set(session: Session, group_name: str | None) -> set[int] | None:
    """Member ids of the named group, or None for "every organisation"."""
    if group_name is None:
        return None
    return resolve_members(session, _group(session, group_name))


def _group(session: Session, name: str) -> PeerGroup:
    group = session.scalar(select(PeerGroup).where(PeerGroup.name == name.strip()))
    if group is None:
        names = ", ".join(session.scalars(select(PeerGroup.name).order_by(PeerGroup.name)))
        raise InputRefused(f"There is no peer group called '{name}'."
                           + (f" Groups: {names}." if names else ""))
    return group


def _info(session: Session, group: PeerGroup) -> PeerGroupInfo:
    ids = resolve_members(session, group)
    names = sorted(session.scalars(select(Organisation.name).where(Organisation.id.in_(ids))))
    return PeerGroupInfo(group.id, group.name, group.description,
                         dict(group.rule) if group.rule else None, tuple(names))


def _member_ids(session: Session, members: Iterable[str]) -> list[int]:
    """The organisations ``members`` name, each named once.

    Raises:
        InputRefused: a name answers to no organisation (or to several), or two names are the
            same organisation (by its code and by its name, say).
    """
    named: dict[int, str] = {}
    for name in members:
        org = find_organisation(session, name)
        if org.id in named:
            first = named[org.id]
            how = (f"'{first}' is named twice" if match_key(first) == match_key(name)
                   else f"'{first}' and '{name}' are the same organisation")
            raise InputRefused(f"{how}: {org.name}{f' ({org.code})' if org.code else ''}. Name "
                               "each member once.")
        named[org.id] = name
    return sorted(named)


def create_peer_group(db: Database, name: str, *, rule: Mapping[str, Iterable[str]] | None = None,
                      members: Iterable[str] | None = None,
                      description: str = "") -> PeerGroupInfo:
    """Create a group by ``rule`` or by a list of ``members`` (names or codes), not both."""
    name = name.strip()
    if not name:
        raise InputRefused("A peer group needs a name.")
    if (rule is None) == (members is None):
        raise InputRefused("Define a peer group either by a rule or by a list of members.")
    with db.session() as session:
        if session.scalar(select(PeerGroup).where(PeerGroup.name == name)) is not None:
            raise InputRefused(f"There is already a peer group called '{name}'.")
        group = PeerGroup(name=name, description=description,
                          rule=_clean_rule(rule) if rule is not None else None)
        if group.rule:
            _known_values(session, group.rule)
        if members is not None:
            group.members = [PeerGroupMember(organisation_id=org_id)
                             for org_id in _member_ids(session, members)]
        session.add(group)
        session.flush()
        return _info(session, group)


def edit_peer_group(db: Database, name: str, *, new_name: str | None = None,
                    description: str | None = None,
                    rule: Mapping[str, Iterable[str]] | None = None,
                    members: Iterable[str] | None = None) -> PeerGroupInfo:
    """Rename, redescribe, or redefine a group (a new rule or member list replaces the old)."""
    if rule is not None and members is not None:
        raise InputRefused("Define a peer group either by a rule or by a list of members.")
    with db.session() as session:
        group = _group(session, name)
        if new_name is not None and new_name.strip() != group.name:
            if session.scalar(select(PeerGroup).where(PeerGroup.name == new_name.strip())):
                raise InputRefused(f"There is already a peer group called '{new_name}'.")
            group.name = new_name.strip()
        if description is not None:
            group.description = description
        if rule is not None:
            group.rule = _clean_rule(rule)
            _known_values(session, group.rule)
            group.members = []
        if members is not None:
            group.rule = None
            group.members = [PeerGroupMember(organisation_id=org_id)
                             for org_id in _member_ids(session, members)]
        session.flush()
        return _info(session, group)


def list_peer_groups(db: Database) -> list[PeerGroupInfo]:
    with db.read() as session:
        groups = session.scalars(select(PeerGroup).order_by(PeerGroup.name)).all()
        return [_info(session, group) for group in groups]


def delete_peer_group(db: Database, name: str) -> None:
    with db.session() as session:
        session.delete(_group(session, name))
