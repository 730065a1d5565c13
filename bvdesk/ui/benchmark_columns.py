"""The columns of the benchmark table, shared by the home page and the Compare stage.

A module of its own so that the home page, shown at start-up, does not load the review
workspace (and its charts) to borrow them.
"""

from __future__ import annotations

from bvdesk.domain.livefigures import format_measure
from bvdesk.operations.home_figures import BenchmarkRow
from bvdesk.ui import theme
from bvdesk.ui.models import Column


def _quartile_cell(row: BenchmarkRow) -> tuple[str, str]:
    background, text, _words = theme.QUARTILES[row.quartile]
    return background, text


def _measure(row: BenchmarkRow, value: float | None) -> str:
    """A figure in the indicator's unit: 99.71%, £1,203, 15.6 days."""
    return "-" if value is None else format_measure(value, row.unit, row.decimals)


def _gap(row: BenchmarkRow) -> str:
    """The distance to the top quartile; for a percentage, in percentage points."""
    value = row.gap_to_top_quartile
    if value is None:
        return "-"
    if row.unit == "percent":
        return f"{value:,.{row.decimals}f} pts"
    return format_measure(value, row.unit, row.decimals)


def _trend(row: BenchmarkRow) -> str:
    if row.persistent:
        return "Persistently in bottom quartile"
    years = row.years_in_bottom_quartile
    if not years:
        return "Not in bottom quartile"
    return f"{years} year{'s' if years != 1 else ''} in bottom quartile"


BENCHMARK_COLUMNS = (
    Column("Indicator", lambda r: r.indicator),
    Column("Name", lambda r: r.name, tip=lambda r: f"{r.indicator}: {r.name}"),
    Column("Value", lambda r: _measure(r, r.value), align_right=True,
           sort=lambda r: r.value),
    Column("n", lambda r: str(r.n) + (" (small)" if r.small_sample else ""), align_right=True),
    Column("25th", lambda r: _measure(r, r.p25), align_right=True, sort=lambda r: r.p25),
    Column("Median", lambda r: _measure(r, r.median), align_right=True,
           sort=lambda r: r.median),
    Column("75th", lambda r: _measure(r, r.p75), align_right=True, sort=lambda r: r.p75),
    Column("Quartile", lambda r: theme.quartile_words(r.quartile), colours=_quartile_cell,
           sort=lambda r: r.quartile),
    Column("Trend", _trend, sort=lambda r: (r.persistent, r.years_in_bottom_quartile)),
    Column("Gap to top", _gap, align_right=True, sort=lambda r: r.gap_to_top_quartile),
)
