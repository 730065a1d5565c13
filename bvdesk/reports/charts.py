"""Vector charts drawn with ``reportlab.graphics``: peer distribution, trend with quartile bands,
tornado. Each function returns a ``Drawing`` (a flowable) in the bundled font.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from bvdesk.reports.base import (
    CONDENSED,
    CONDENSED_BOLD,
    GREY,
    INK,
    NAVY,
    ORANGE,
    RULE,
    TEAL,
    TEAL_LIGHT,
    fit_text,
    register_fonts,
)
from bvdesk.reports.text import clean

PEER_BAR = colors.HexColor("#9DB4C8")
LABEL_SIZE = 7


@dataclass(frozen=True, slots=True)
class Peer:
    label: str
    value: float
    is_self: bool = False


@dataclass(frozen=True, slots=True)
class TrendPoint:
    year: str
    value: float | None
    p25: float | None = None
    median: float | None = None
    p75: float | None = None


@dataclass(frozen=True, slots=True)
class TornadoBar:
    label: str
    low: float
    high: float


Formatter = Callable[[float], str]
#: Formats a value to a number of decimals: axis ticks get as many as they need to be distinct.
AxisFormatter = Callable[[float, int], str]


@dataclass(frozen=True, slots=True)
class QuartileLabels:
    """What the lower-quartile (p25) and upper-quartile (p75) lines mean for an indicator: for a
    higher-is-better indicator p75 is where the top quartile starts, for lower-is-better p25."""

    p25: str
    p75: str
    median: str = "Median"

    @classmethod
    def for_polarity(cls, higher_is_better: bool, top: str = "Top quartile",
                     bottom: str = "Bottom quartile", median: str = "Median") -> QuartileLabels:
        return cls(p25=bottom, p75=top, median=median) if higher_is_better else \
            cls(p25=top, p75=bottom, median=median)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``low``..``high`` (1, 2, 2.5 or 5 times a power of ten)."""
    if math.isclose(low, high):
        pad = abs(low) * 0.1 or 1.0
        # A value that is not negative keeps a non-negative axis (no "-1%" under all zeros).
        low, high = (max(0.0, low - pad) if low >= 0 else low - pad), high + pad
    raw = (high - low) / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def tick_decimals(ticks: Sequence[float]) -> int:
    """The fewest decimals that print every tick exactly (0.25 needs two, 0.2 one)."""
    for decimals in range(7):
        if all(math.isclose(round(t, decimals), t, abs_tol=1e-9) for t in ticks):
            return decimals
    return 6


def spread_labels(ys: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Label positions as near ``ys`` as possible but at least ``gap`` apart, within
    ``low``..``high``: no label is dropped because another is close."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed = [0.0] * len(ys)
    floor = low
    for i in order:
        placed[i] = max(ys[i], floor)
        floor = placed[i] + gap
    overflow = max((placed[i] - high for i in order), default=0.0)
    if overflow > 0:
        ceiling = high
        for i in reversed(order):
            placed[i] = min(placed[i], ceiling)
            ceiling = placed[i] - gap
    return placed


def _drawing(width: float, height: float) -> Drawing:
    """An empty drawing whose default font is the bundled one (never Helvetica)."""
    register_fonts()
    return Drawing(width, height, initialFontName=CONDENSED, initialFontSize=LABEL_SIZE)


def _text(x: float, y: float, text: str, *, size: float = LABEL_SIZE, anchor: str = "start",
          color: colors.Color = INK, bold: bool = False) -> String:
    return String(x, y, clean(text), fontName=CONDENSED_BOLD if bold else CONDENSED,
                  fontSize=size, fillColor=color, textAnchor=anchor)


def _value_axis(group: Group, x0: float, x1: float, y0: float, y1: float, ticks: list[float],
                fmt: AxisFormatter) -> Callable[[float], float]:
    """Horizontal grid lines and labels for a vertical value axis; returns value -> y."""
    lo, hi = ticks[0], ticks[-1]
    decimals = tick_decimals(ticks)

    def to_y(value: float) -> float:
        return y0 + (value - lo) / (hi - lo) * (y1 - y0)

    for tick in ticks:
        y = to_y(tick)
        group.add(Line(x0, y, x1, y, strokeColor=RULE, strokeWidth=0.4))
        group.add(_text(x0 - 3, y - 2.4, fmt(tick, decimals), anchor="end", color=GREY))
    return to_y


def _axis_width(ticks: Sequence[float], fmt: AxisFormatter) -> float:
    decimals = tick_decimals(ticks)
    return float(max(stringWidth(fmt(t, decimals), CONDENSED, LABEL_SIZE) for t in ticks)) + 6


def _bar_range(values: Sequence[float]) -> tuple[float, float]:
    """The value range of a bar chart: from zero, unless the values sit far from it (97% to
    100%), when bars start near the lowest value so the differences show."""
    low, high = min(values), max(values)
    if low >= 0 and low > 0.4 * high:
        return low - (high - low) * 0.15, high
    return min(low, 0.0), max(high, 0.0)


def peer_distribution(peers: Sequence[Peer], fmt: AxisFormatter, decimals: int, *,
                      width: float, height: float, p25: float | None = None,
                      median: float | None = None, p75: float | None = None,
                      own_label: str = "Us",
                      labels: QuartileLabels = QuartileLabels("Lower quartile",
                                                              "Upper quartile")) -> Drawing:
    """Each peer's value as a bar in ascending order, the landlord's own bar highlighted (its
    value to ``decimals``), with the quartile lines drawn across and labelled by ``labels``."""
    drawing = _drawing(width, height)
    group = Group()
    values = [p.value for p in peers] + [v for v in (p25, median, p75) if v is not None]
    ticks = nice_ticks(*_bar_range(values)) if values else [0.0, 1.0]
    left = _axis_width(ticks, fmt)
    right = width - 4 - max(stringWidth(text, CONDENSED, LABEL_SIZE)
                            for text in (labels.p25, labels.p75, labels.median))
    bottom, top = 16, height - 8
    to_y = _value_axis(group, left, right, bottom, top, ticks, fmt)
    ordered = sorted(peers, key=lambda p: (p.value, p.label))
    slot = (right - left) / max(1, len(ordered))
    bar = max(1.0, slot * 0.72)
    base = to_y(min(max(ticks[0], 0.0), ticks[-1]))
    for i, peer in enumerate(ordered):
        x = left + i * slot + (slot - bar) / 2
        y = to_y(peer.value)
        fill = ORANGE if peer.is_self else PEER_BAR
        group.add(Rect(x, min(base, y), bar, abs(y - base), fillColor=fill, strokeColor=None))
        if peer.is_self:
            # Labelled under the axis, kept inside the plot at either end.
            label = f"{own_label}: {fmt(peer.value, decimals)}"
            half = stringWidth(label, CONDENSED_BOLD, LABEL_SIZE) / 2
            centre = min(max(x + bar / 2, left + half), right - half)
            group.add(_text(centre, bottom - 10, label, anchor="middle", color=ORANGE,
                            bold=True))
    # In value order, so that labels of lines at one value stack p25, median, p75 upwards.
    lines = [(value, label, color) for value, label, color in (
        (p25, labels.p25, TEAL), (median, labels.median, NAVY), (p75, labels.p75, TEAL))
        if value is not None]
    places = spread_labels([to_y(value) for value, _, _ in lines], LABEL_SIZE + 0.5,
                           2.4, height - LABEL_SIZE + 2.4)
    for (value, label, color), y_label in zip(lines, places, strict=True):
        y = to_y(value)
        group.add(Line(left, y, right, y, strokeColor=color, strokeWidth=0.8,
                       strokeDashArray=[3, 2]))
        group.add(_text(right + 3, y_label - 2.4, label, color=color))
    group.add(Line(left, base, right, base, strokeColor=GREY, strokeWidth=0.6))
    drawing.add(group)
    return drawing


def trend(points: Sequence[TrendPoint], fmt: AxisFormatter, *, width: float, height: float,
          own_label: str = "Us") -> Drawing:
    """The landlord's value by year over the peer interquartile band and median."""
    drawing = _drawing(width, height)
    group = Group()
    values = [v for p in points for v in (p.value, p.p25, p.median, p.p75) if v is not None]
    ticks = nice_ticks(min(values), max(values)) if values else [0.0, 1.0]
    left = _axis_width(ticks, fmt)
    right = width - 8
    bottom, top = 26, height - 8
    to_y = _value_axis(group, left, right, bottom, top, ticks, fmt)
    step = (right - left) / max(1, len(points))

    def to_x(i: int) -> float:
        return left + step * (i + 0.5)

    band = [(i, p) for i, p in enumerate(points) if p.p25 is not None and p.p75 is not None]
    if len(band) >= 2:
        upper = [c for i, p in band for c in (to_x(i), to_y(p.p75 or 0.0))]
        lower = [c for i, p in reversed(band) for c in (to_x(i), to_y(p.p25 or 0.0))]
        group.add(Polygon(upper + lower, fillColor=TEAL_LIGHT, strokeColor=None))
    medians = [c for i, p in enumerate(points) if p.median is not None
               for c in (to_x(i), to_y(p.median))]
    if len(medians) >= 4:
        group.add(PolyLine(medians, strokeColor=TEAL, strokeWidth=1, strokeDashArray=[3, 2]))
    own = [(i, p.value) for i, p in enumerate(points) if p.value is not None]
    if len(own) >= 2:
        group.add(PolyLine([c for i, v in own for c in (to_x(i), to_y(v))], strokeColor=ORANGE,
                           strokeWidth=1.6))
    for i, value in own:
        group.add(Rect(to_x(i) - 2, to_y(value) - 2, 4, 4, fillColor=ORANGE, strokeColor=None))
    for i, point in enumerate(points):
        group.add(_text(to_x(i), bottom - 10, point.year, anchor="middle", color=GREY))
    _legend(group, left, 3, [(ORANGE, own_label), (TEAL, "Peer median"),
                             (TEAL_LIGHT, "Middle half of peers")])
    drawing.add(group)
    return drawing


LOW_END = colors.HexColor("#2E7D7A")
HIGH_END = colors.HexColor("#B45F06")


def wrap_label(text: str, width: float, lines: int = 2, size: float = LABEL_SIZE) -> list[str]:
    """``text`` broken at spaces into at most ``lines`` lines of ``width`` points; only a
    last line that still does not fit is shortened."""
    words = clean(text).split()
    out: list[str] = []
    while words and len(out) < lines:
        line = words.pop(0)
        while words and stringWidth(f"{line} {words[0]}", CONDENSED, size) <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words:
        out[-1] = fit_text(f"{out[-1]} {' '.join(words)}", CONDENSED, size, width)
    return [fit_text(line, CONDENSED, size, width) for line in out]


def tornado(bars: Sequence[TornadoBar], base: float, fmt: AxisFormatter, *, width: float,
            label_width: float = 150, change_pct: int = 20, axis_title: str = "") -> Drawing:
    """How far the result moves when each input goes down (``low``) and up (``high``) by
    ``change_pct``: each end is coloured and labelled, the axis titled, labels wrapped."""
    register_fonts()
    wrapped = [wrap_label(b.label, label_width - 8) for b in bars]
    row = 22 if any(len(w) > 1 for w in wrapped) else 16
    legend, axis = 14, 30 if axis_title else 20
    height = row * len(bars) + legend + axis + 6
    drawing = _drawing(width, height)
    group = Group()
    values = [base] + [v for b in bars for v in (b.low, b.high)]
    ticks = nice_ticks(min(values), max(values), 4)
    end_label = stringWidth(f"+{change_pct}%", CONDENSED, LABEL_SIZE - 0.5) + 4
    left, right = label_width + end_label, width - end_label
    lo, hi = ticks[0], ticks[-1]
    decimals = tick_decimals(ticks)

    def to_x(value: float) -> float:
        return float(left + (value - lo) / (hi - lo) * (right - left))

    top = height - legend
    floor = axis
    order = sorted(range(len(bars)), key=lambda i: -abs(bars[i].high - bars[i].low))
    for n, i in enumerate(order):
        item = bars[i]
        y = top - (n + 1) * row
        centre = to_x(base)
        for value, colour, sign in ((item.low, LOW_END, "-"), (item.high, HIGH_END, "+")):
            end = to_x(value)
            a, b = sorted((centre, end))
            group.add(Rect(a, y + 4, max(0.5, b - a), row - 8, fillColor=colour,
                           strokeColor=None))
            if abs(end - centre) > 0.5:
                outward = end > centre
                group.add(_text(end + (2 if outward else -2), y + row / 2 - 2.2,
                                f"{sign}{change_pct}%", size=LABEL_SIZE - 0.5, color=colour,
                                anchor="start" if outward else "end"))
        lines = wrapped[i]
        first = y + row / 2 - 2.4 + (LABEL_SIZE + 0.5) * (len(lines) - 1) / 2
        for k, line in enumerate(lines):
            group.add(_text(label_width - 4, first - k * (LABEL_SIZE + 0.5), line,
                            anchor="end"))
    group.add(Line(to_x(base), floor, to_x(base), top, strokeColor=GREY, strokeWidth=1))
    for tick in ticks:
        x = to_x(tick)
        group.add(Line(x, floor, x, floor - 3, strokeColor=GREY, strokeWidth=0.5))
        group.add(_text(x, floor - 11, fmt(tick, decimals), anchor="middle", color=GREY))
    group.add(Line(left, floor, right, floor, strokeColor=GREY, strokeWidth=0.6))
    if axis_title:
        group.add(_text((left + right) / 2, 1, axis_title, anchor="middle", color=INK))
    _legend(group, left, height - legend + 4,
            [(LOW_END, f"Cost {change_pct}% lower"), (HIGH_END, f"Cost {change_pct}% higher")])
    drawing.add(group)
    return drawing


def ranked_bars(items: Sequence[Peer], fmt: Formatter, *, width: float,
                label_width: float = 150) -> Drawing:
    """One horizontal bar per item in the given order, each labelled with its value; items
    marked ``is_self`` (the recommended option) are highlighted."""
    row = 16
    height = row * len(items) + 8
    drawing = _drawing(width, height)
    group = Group()
    high = max([i.value for i in items] + [0.0]) or 1.0
    span = width - label_width - 70
    for n, item in enumerate(items):
        y = height - 4 - (n + 1) * row
        length = max(0.5, item.value / high * span)
        colour = ORANGE if item.is_self else PEER_BAR
        group.add(Rect(label_width, y + 3, length, row - 6, fillColor=colour, strokeColor=None))
        group.add(_text(label_width - 4, y + row / 2 - 2.4,
                        fit_text(item.label, CONDENSED, LABEL_SIZE, label_width - 8),
                        anchor="end", bold=item.is_self))
        group.add(_text(label_width + length + 4, y + row / 2 - 2.4, fmt(item.value),
                        bold=item.is_self, color=ORANGE if item.is_self else GREY))
    drawing.add(group)
    return drawing


def enlarged(drawing: Drawing, factor: float) -> Drawing:
    """``drawing`` scaled up by ``factor``, its lettering with it (for large-print editions)."""
    big = _drawing(drawing.width * factor, drawing.height * factor)
    group = Group(*drawing.contents)
    group.scale(factor, factor)
    big.add(group)
    return big


def _legend(group: Group, x: float, y: float, items: Sequence[tuple[colors.Color, str]]) -> None:
    for color, label in items:
        group.add(Rect(x, y, 8, 6, fillColor=color, strokeColor=None))
        group.add(_text(x + 11, y, label, color=GREY))
        x += 11 + stringWidth(label, CONDENSED, LABEL_SIZE) + 12
