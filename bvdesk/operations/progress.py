"""One progress helper for every long task: a fraction, split into steps, and the cancel flag.

A long operation takes ``progress`` and ``cancelled`` as plain callables (the UI passes its task
state's, the CLI nothing) and wraps them once with ``Progress.of``. It then hands each part of
the work its own share of the range instead of scaling fractions by hand::

    progress = Progress.of(progress, cancelled)
    read, write = progress.steps(3, 1)      # reading is about three times the writing
    for sheet in read.items(sheets, len(sheets)):
        ...
    write(0.5)                               # half the writes: 87.5% overall
    write.check("The import was cancelled; nothing was written.")

Reports never go backwards (a step that reports less than an earlier one is dropped), so a
progress bar only moves forward; throttling is the receiver's business.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from bvdesk.errors import Cancelled

__all__ = ["Cancelled", "Progress"]

T = TypeVar("T")


class _Sink:
    __slots__ = ("is_cancelled", "last", "report")

    def __init__(self, report: Callable[[float], None] | None,
                 is_cancelled: Callable[[], bool] | None) -> None:
        self.report = report
        self.is_cancelled = is_cancelled
        self.last = -1.0


class Progress:
    """A share of one task's progress (the whole task to begin with); callable with 0..1."""

    __slots__ = ("_sink", "_span", "_start")

    def __init__(self, report: Callable[[float], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> None:
        self._sink = _Sink(report, cancelled)
        self._start = 0.0
        self._span = 1.0

    @classmethod
    def of(cls, progress: Callable[[float], None] | None = None,
           cancelled: Callable[[], bool] | None = None) -> Progress:
        """``progress`` itself if it is already a ``Progress``, else a new one around both."""
        if isinstance(progress, Progress):
            return progress
        return cls(progress, cancelled)

    def __call__(self, fraction: float) -> None:
        """Report that ``fraction`` (0..1) of this share is done."""
        sink = self._sink
        value = self._start + self._span * min(max(float(fraction), 0.0), 1.0)
        if value <= sink.last:
            return
        sink.last = value
        if sink.report is not None:
            sink.report(value)

    def done(self) -> None:
        self(1.0)

    def steps(self, *weights: float) -> list[Progress]:
        """This share split into consecutive steps, each as large as its weight."""
        total = float(sum(weights))
        if total <= 0:
            raise ValueError("steps need a positive total weight")
        parts: list[Progress] = []
        start = self._start
        for weight in weights:
            span = self._span * weight / total
            parts.append(self._part(start, span))
            start += span
        return parts

    def split(self, count: int) -> list[Progress]:
        """This share split into ``count`` equal steps (none for zero)."""
        return self.steps(*([1.0] * count)) if count > 0 else []

    def items(self, iterable: Iterable[T], total: int) -> Iterator[T]:
        """Each item of ``iterable``, reporting before each that so many of ``total`` are done."""
        count = 0
        for count, item in enumerate(iterable):
            self(count / total if total else 0.0)
            yield item
        self.done()

    def cancelled(self) -> bool:
        is_cancelled = self._sink.is_cancelled
        return is_cancelled is not None and is_cancelled()

    def check(self, message: str = "Cancelled; nothing was changed.") -> None:
        """Raise ``Cancelled(message)`` if the person has asked to cancel."""
        if self.cancelled():
            raise Cancelled(message)

    def _part(self, start: float, span: float) -> Progress:
        part = Progress.__new__(Progress)
        part._sink = self._sink
        part._start = start
        part._span = span
        return part
