"""Properties of the three-way merge behind review package imports."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bvdesk.operations.packages import NO_BASE, merge

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=3))
records = st.dictionaries(st.sampled_from(["a", "b", "c"]), scalars, min_size=3, max_size=3)
documents = st.fixed_dictionaries({
    "title": scalars, "scope": scalars, "amounts": st.lists(st.integers(0, 3), max_size=3),
    "challenges": st.lists(records, max_size=3)})


def _never(_path: str) -> None:
    return None


@settings(max_examples=200)
@given(documents, documents)
def test_a_change_on_one_side_only_is_taken_without_conflict(base: dict[str, Any],
                                                             changed: dict[str, Any]) -> None:
    assert merge(base, changed, base, _never)[::2] == (changed, [])
    assert merge(base, base, changed, _never)[::2] == (changed, [])
    assert merge(base, changed, changed, _never)[::2] == (changed, [])


@settings(max_examples=200)
@given(documents, scalars, scalars)
def test_changes_to_different_fields_both_survive(base: dict[str, Any], title: Any,
                                                  scope: Any) -> None:
    mine, theirs = {**base, "title": title}, {**base, "scope": scope}
    merged, _, conflicts = merge(base, mine, theirs, _never)
    assert conflicts == []
    assert merged == {**base, "title": title, "scope": scope}


@settings(max_examples=200)
@given(documents, documents, documents, st.sampled_from(["mine", "theirs"]))
def test_every_conflict_is_settled_by_the_choice_and_nothing_else_is_lost(
        base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any], side: str) -> None:
    merged, _, conflicts = merge(base, mine, theirs, lambda _path: side)
    chosen = mine if side == "mine" else theirs
    for key in ("title", "scope", "amounts"):  # leaves: exactly one of the three versions
        assert merged[key] in (mine[key], theirs[key])
        if mine[key] != theirs[key] and base[key] not in (mine[key], theirs[key]):
            assert merged[key] == chosen[key]
            assert key in [c.path for c in conflicts]


@settings(max_examples=100)
@given(documents, documents)
def test_without_a_common_base_every_difference_is_a_conflict(mine: dict[str, Any],
                                                              theirs: dict[str, Any]) -> None:
    merged, taken, conflicts = merge(NO_BASE, mine, theirs, _never)
    assert taken == []
    assert (conflicts == []) == (mine == theirs)
    assert merged == mine  # nothing settled: nothing of theirs is taken
