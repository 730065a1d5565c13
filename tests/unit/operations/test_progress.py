"""One progress helper for every long task: sub-ranges add up, cancel is checked in one place."""

from __future__ import annotations

import pytest

from bvdesk.errors import BvdeskError
from bvdesk.operations.progress import Cancelled, Progress


def _recorder() -> tuple[list[float], Progress]:
    seen: list[float] = []
    return seen, Progress(seen.append)


def test_steps_share_the_range_by_weight_and_never_go_backwards() -> None:
    seen, progress = _recorder()
    read, write = progress.steps(3, 1)
    read(0.5)
    read(1.0)
    write(0.5)
    write(1.0)
    assert seen == pytest.approx([0.375, 0.75, 0.875, 1.0])


def test_nested_steps_and_items() -> None:
    seen, progress = _recorder()
    first, second = progress.steps(1, 1)
    for _item in first.items(range(4), 4):
        pass
    for part in second.split(2):
        part(1.0)
    assert seen == pytest.approx([0.0, 0.125, 0.25, 0.375, 0.5, 0.75, 1.0])


def test_a_step_reporting_less_than_before_is_ignored() -> None:
    seen, progress = _recorder()
    progress(0.6)
    progress(0.4)
    progress.done()
    assert seen == pytest.approx([0.6, 1.0])


def test_check_raises_cancelled_once_the_cancel_flag_is_set() -> None:
    flag = {"cancelled": False}
    progress = Progress(None, lambda: flag["cancelled"])
    step = progress.steps(1, 1)[1]
    step.check()
    flag["cancelled"] = True
    assert step.cancelled()
    with pytest.raises(Cancelled) as raised:
        step.check("The restore was cancelled; the database is as it was.")
    assert isinstance(raised.value, BvdeskError)
    assert "as it was" in raised.value.message


def test_wraps_plain_callables_and_passes_a_progress_through() -> None:
    seen, progress = _recorder()
    assert Progress.of(progress) is progress
    wrapped = Progress.of(seen.append, lambda: False)
    wrapped(0.25)
    assert seen == [0.25]
    silent = Progress.of(None)
    silent(0.5)
    assert not silent.cancelled()
