"""Peer groups: named sets of organisations to benchmark against, by rule or by list.

A rule is a mapping of organisation attribute to the allowed values, e.g.
``{"org_type": ["housing_association"], "region": ["London"], "stock_band": ["1000_2499"]}``;
an organisation belongs when it matches every attribute named. A list group names its members.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bvdesk.domain.names import match_key
from bvdesk.domain.vocabulary import Labelled, OrganisationType, StockBand
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
        InputRefused: no organisation, or more than one, answers to the name; one that answers
            to none names the nearest.
    """
    orgs = session.scalars(select(Organisation)).all()
    found = _answering(orgs, name)
    if len(found) != 1:
        raise InputRefused(_not_found({name: _nearest(orgs, name)}) if not found
                           else _ambiguous(name, found))
    return found[0]


def _answering(orgs: Sequence[Organisation], name: str) -> list[Organisation]:
    """The organisations that answer to ``name``: by code, else by name or alias."""
    key = match_key(name)
    by_code = [o for o in orgs if o.code and match_key(o.code) == key]
    return by_code or [o for o in orgs if key in (o.match_key, match_key(o.name))
                       or any(match_key(alias) == key for alias in o.aliases or ())]


#: How alike (difflib's ratio) a known name must be to be offered, and how much less alike than
#: the nearest one it may be: landlords' names share words ("Homes", "Housing Trust"), so a
#: name alike only in those is not offered beside one that is plainly meant.
NEAR_ENOUGH = 0.6
NEAR_MARGIN = 0.1


def _nearest(orgs: Sequence[Organisation], name: str, count: int = 3) -> list[str]:
    """The organisations whose code, name or alias reads most like ``name``, nearest first, as
    a person knows them (name and code)."""
    matcher = difflib.SequenceMatcher(b=match_key(name))
    best: dict[int, tuple[float, str]] = {}
    for org in orgs:
        for text in (org.code or "", org.name, *(org.aliases or ())):
            matcher.set_seq1(match_key(text))
            if matcher.real_quick_ratio() < NEAR_ENOUGH or matcher.quick_ratio() < NEAR_ENOUGH:
                continue
            ratio = matcher.ratio()
            if ratio >= max(NEAR_ENOUGH, best.get(org.id, (0.0, ""))[0]):
                best[org.id] = (ratio, _shown(org))
    if not best:
        return []
    top = max(ratio for ratio, _shown_as in best.values())
    near = sorted((r for r in best.values() if r[0] >= top - NEAR_MARGIN),
                  key=lambda r: (-r[0], r[1]))
    return [shown for _ratio, shown in near[:count]]


def _shown(org: Organisation) -> str:
    return f"{org.name} ({org.code})" if org.code else org.name


def _or(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def _not_found(unknown: Mapping[str, Sequence[str]]) -> str:
    """Every name that answers to no organisation, each with the nearest ones there are."""
    quoted = {name: f"'{name}'" for name in unknown}
    if len(unknown) == 1:
        (name, near), = unknown.items()
        return (f"There is no organisation called {quoted[name]}. Did you mean {_or(near)}?"
                if near else f"There is no organisation called {quoted[name]}, nor one with "
                             "a name like it.")
    return (f"There is no organisation called {_or(list(quoted.values()))}:\n" + "\n".join(
        f"- {quoted[name]}: " + (f"did you mean {_or(near)}?" if near else
                                 "no organisation has a name like it.")
        for name, near in unknown.items()))


def _ambiguous(name: str, found: Sequence[Organisation]) -> str:
    names = ", ".join(sorted(o.name for o in found))
    return f"'{name}' could be any of: {names}. Use the organisation's code."


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
            said = ", ".join(f"'{_said(field, value)}'" for value in unknown)
            held = sorted(_said(field, value) for value in known)
            raise InputRefused(f"No organisation has the {_RULE_WORDS[field]} {said}. "
                               f"The organisations have: {', '.join(held) or 'none yet'}.")


#: A rule's fields as a person says them, and the vocabularies whose labels their values have.
_RULE_WORDS = {"org_type": "kind of landlord", "region": "region", "stock_band": "stock band"}
_RULE_VOCABULARIES: dict[str, type[Labelled]] = {"org_type": OrganisationType,
                                                 "stock_band": StockBand}


def _said(field: str, value: str) -> str:
    """A rule value as a person reads it: 'LSVT', '2,500-4,999' (a region as it is)."""
    vocabulary = _RULE_VOCABULARIES.get(field)
    return vocabulary(value).label if vocabulary is not None and value in set(vocabulary) \
        else value


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
        InputRefused: names that answer to no organisation (all of them, each with the nearest
            organisations), a name that answers to several, or two names that are the same
            organisation (by its code and by its name, say).
    """
    members = list(members)
    orgs = session.scalars(select(Organisation)).all()
    found = {name: _answering(orgs, name) for name in dict.fromkeys(members)}
    unknown = {name: _nearest(orgs, name) for name, answering in found.items() if not answering}
    if unknown:
        raise InputRefused(_not_found(unknown))
    for name, answering in found.items():
        if len(answering) > 1:
            raise InputRefused(_ambiguous(name, answering))
    named: dict[int, str] = {}
    for name in members:
        org = found[name][0]
        if org.id in named:
            first = named[org.id]
            how = (f"'{first}' is named twice" if match_key(first) == match_key(name)
                   else f"'{first}' and '{name}' are the same organisation")
            raise InputRefused(f"{how}: {_shown(org)}. Name each member once.")
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
