"""The columns of the benchmark table, shared by the home page and the Compare stage.

A module of its own so that the home page, shown at start-up, does not load the review
workspace (and its charts) to borrow them.
"""

from __future__ import annotations

from bvdesk.operations.benchmark import BenchmarkRow
from bvdesk.ui import theme
from bvdesk.ui.models import Column


def _quartile_cell(row: BenchmarkRow) -> tuple[str, str]:
    background, text, _words = theme.QUARTILES[row.quartile]
    return background, text


def _number(value: float | None, decimals: int = 1) -> str:
    return "-" if value is None else f"{value:,.{decimals}f}"


BENCHMARK_COLUMNS = (
    Column("Indicator", lambda r: r.indicator),
    Column("Name", lambda r: r.name),
    Column("Value", lambda r: _number(r.value, r.decimals), align_right=True,
           sort=lambda r: r.value),
    Column("n", lambda r: str(r.n) + (" (small)" if r.small_sample else ""), align_right=True),
    Column("25th", lambda r: _number(r.p25, r.decimals), align_right=True),
    Column("Median", lambda r: _number(r.median, r.decimals), align_right=True),
    Column("75th", lambda r: _number(r.p75, r.decimals), align_right=True),
    Column("Quartile", lambda r: theme.quartile_words(r.quartile), colours=_quartile_cell,
           sort=lambda r: r.quartile),
    Column("Trend", lambda r: ("Persistently bottom" if r.persistent else
                               f"{r.years_in_bottom_quartile} yrs bottom"
                               if r.years_in_bottom_quartile else "Not in bottom")),
    Column("Gap to top", lambda r: _number(r.gap_to_top_quartile, r.decimals),
           align_right=True),
)
