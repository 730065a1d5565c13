"""Charts (QtCharts), each shown with a table of the same numbers for people who cannot see it.

``ChartWithTable`` pairs a chart view with a small read-only table, side by side when there is
room and the table under the chart when there is not; the builders below fill both from the
benchmark and appraisal DTOs.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCharts import (
    QAreaSeries,
    QBarCategoryAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, QObject, QPointF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QTableView, QWidget

from bvdesk.domain.livefigures import fixed, format_measure
from bvdesk.operations.benchmark import IndicatorHistory, PeerDistribution
from bvdesk.ui import theme
from bvdesk.ui.models import Column, DtoTableModel
from bvdesk.ui.widgets import excel_table, fit_columns

PEER = QColor("#9fb7c4")
SELF = QColor(theme.ACCENT)
#: Narrower than this, the table goes under the chart: side by side, the chart would be too
#: narrow for its title, legend and axis labels (the trend's three-entry legend needs 440
#: pixels of the chart's three fifths).
SIDE_BY_SIDE = 760
#: The chart's own margins and its title's padding, inside the view's width.
TITLE_PADDING = 32


def wrap_title(lines: Sequence[str], metrics: QFontMetrics, width: int) -> list[str]:
    """The title's lines broken between words to be no wider than ``width``, as a chart cuts a
    title short that is wider than itself; a word wider than the whole line is cut short."""
    wrapped: list[str] = []
    for line in lines:
        current = ""
        for word in line.split():
            joined = f"{current} {word}" if current else word
            if current and metrics.horizontalAdvance(joined) > width:
                wrapped.append(current)
                joined = word
            current = joined
        wrapped.append(metrics.elidedText(current, Qt.TextElideMode.ElideRight, width))
    return wrapped


class ChartWithTable(QWidget):
    """A chart and the same data as a table: on its right when there is room, else below it."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.setBackgroundRoundness(6)
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setAccessibleName(f"{name} chart")
        self.view.setMinimumHeight(240)
        self.view.installEventFilter(self)
        self._title: list[str] = []
        self.table = QTableView()
        self.table.setAccessibleName(f"{name} data")
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        fit_columns(self.table, 0)
        self.table.setMinimumSize(230, 120)
        excel_table(self.table)
        self.model = DtoTableModel([], parent=self)
        layout.addWidget(self.view, 3)
        layout.addWidget(self.table, 2)

    def set_table(self, columns: Sequence[Column], rows: Sequence[object]) -> None:
        self.model = DtoTableModel(columns, rows, self)
        self.table.setModel(self.model)
        fit_columns(self.table, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt name
        side = event.size().width() >= SIDE_BY_SIDE
        self._layout.setDirection(QBoxLayout.Direction.LeftToRight if side
                                  else QBoxLayout.Direction.TopToBottom)
        super().resizeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self._show_title()
        return False

    def reset(self, title: str) -> None:
        """Empty the chart and title it: ``title`` is plain text, a line break where the title
        should go onto a new line; longer lines wrap to the chart's width (the whole title is
        the chart's tooltip)."""
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        self._title = title.splitlines()
        self.view.setToolTip("\n".join(self._title))
        self._show_title()

    def _show_title(self) -> None:
        """The title wrapped to the chart's width: the chart would cut it short instead."""
        width = self.view.width() - TITLE_PADDING
        if width <= 0:
            return
        lines = wrap_title(self._title, QFontMetrics(self.chart.titleFont()), width)
        self.chart.setTitle("<br>".join(escape(line) for line in lines))


def _fmt(value: float | None, data: PeerDistribution | IndicatorHistory) -> str:
    """A figure of the indicator as the benchmark table beside the chart and the documents
    print it (its own decimals, a half rounded up)."""
    return "-" if value is None else format_measure(value, data.unit, data.decimals)


def distribution_range(values: Sequence[float]) -> tuple[float, float]:
    """The value axis of the peers' bars: from nought, unless the values sit so close together
    far from it (rent collected, 97% to 99.6%) that every bar would look the same height; then
    from a little below the lowest, so the differences the table beside lists can be seen."""
    low, high = min(values), max(values)
    spread = high - low
    if low <= 0 or spread >= high / 2:
        return min(0.0, low), high * 1.05 or 1.0
    room = spread or abs(high) * 0.05 or 1.0
    return max(0.0, low - room * 0.5), high + room * 0.2


def show_distribution(panel: ChartWithTable, data: PeerDistribution) -> None:
    """Every peer's value as a bar, the landlord's bar highlighted; quartiles in the title."""
    q = data.quartiles
    words = ("" if q is None else f"\n25th {_fmt(q.p25, data)}, median "
             f"{_fmt(q.median, data)}, 75th {_fmt(q.p75, data)}")
    panel.reset(f"{data.name}, {data.year}: peers, lowest first{words}")
    peers = QBarSet("Peers")
    own = QBarSet("This landlord")
    for bars, colour in ((peers, PEER), (own, SELF)):
        # Outlined in their own colour: a bar narrower than a pixel (a thousand peers) is
        # still drawn, the landlord's among them, where a fill alone vanished.
        bars.setColor(colour)
        bars.setBorderColor(colour)
    for point in data.points:
        peers.append(0.0 if point.is_self else point.value)
        own.append(point.value if point.is_self else 0.0)
    series = QStackedBarSeries()
    series.append(peers)
    series.append(own)
    series.setBarWidth(0.9)
    panel.chart.addSeries(series)
    axis_x = QBarCategoryAxis()
    axis_x.append([str(n) for n in range(1, len(data.points) + 1)])
    axis_x.setLabelsVisible(False)
    axis_x.setTitleText(f"{len(data.points)} organisations")
    axis_y = QValueAxis()
    axis_y.setLabelFormat("%.0f")
    panel.chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    panel.chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_x)
    series.attachAxis(axis_y)
    if data.points:
        low, high = distribution_range([p.value for p in data.points])
        axis_y.setRange(low, high)
        axis_y.applyNiceNumbers()
        if axis_y.max() - axis_y.min() < 10:
            axis_y.setLabelFormat("%.1f")
    panel.set_table(
        [Column("Organisation", lambda p: ("\u25b6 " if p.is_self else "") + p.organisation),
         Column("Value", lambda p: _fmt(p.value, data), align_right=True)],
        data.points)


def show_history(panel: ChartWithTable, data: IndicatorHistory) -> None:
    """The landlord's value year by year over the peers' interquartile band and median."""
    panel.reset(f"{data.name}\nfive-year trend against the peers")
    years = [str(p.year) for p in data.points]
    upper, lower, median, own = QLineSeries(), QLineSeries(), QLineSeries(), QLineSeries()
    own.setName(data.organisation)
    median.setName("Peer median")
    for number, point in enumerate(data.points):
        if point.p25 is not None and point.p75 is not None and point.median is not None:
            lower.append(QPointF(number, point.p25))
            upper.append(QPointF(number, point.p75))
            median.append(QPointF(number, point.median))
        if point.value is not None:
            own.append(QPointF(number, point.value))
    band = QAreaSeries(upper, lower)
    # The area series does not own its boundary lines: parent them so Python cannot free them.
    upper.setParent(band)
    lower.setParent(band)
    band.setName("Peers' 25th-75th")
    band.setColor(QColor(207, 232, 227, 160))
    band.setBorderColor(QColor("#8fc9bd"))
    median.setPen(QPen(QColor(theme.MUTED), 2, Qt.PenStyle.DashLine))
    own.setPen(QPen(SELF, 3))
    own.setPointsVisible(True)
    axis_x = QCategoryAxis()  # each year's label under its own point
    axis_x.setRange(-0.4, max(0, len(years) - 1) + 0.4)
    axis_x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    for number, year in enumerate(years):
        axis_x.append(year, number)
    axis_y = QValueAxis()
    axis_y.setLabelFormat("%.0f")
    panel.chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    panel.chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    values = [v for p in data.points for v in (p.p25, p.p75, p.value) if v is not None]
    for series in (band, median, own):
        panel.chart.addSeries(series)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
    if values:
        span = (max(values) - min(values)) or 1.0
        axis_y.setRange(min(values) - span * 0.1, max(values) + span * 0.1)
    panel.set_table(
        [Column("Year", lambda p: str(p.year)),
         Column("Value", lambda p: _fmt(p.value, data), align_right=True),
         Column("Median", lambda p: _fmt(p.median, data), align_right=True),
         Column("Quartile", lambda p: theme.quartile_words(p.quartile),
                colours=lambda p: _quartile_colours(p.quartile))],
        data.points)


def _quartile_colours(quartile: int | None) -> tuple[str, str] | None:
    if quartile is None:
        return None
    background, text, _words = theme.QUARTILES[quartile]
    return background, text


def show_tornado(panel: ChartWithTable, title: str,
                 bars: Sequence[tuple[str, float, float]]) -> None:
    """Horizontal bars: how far each cost moving changes the result (low and high)."""
    panel.reset(title)
    low, high = QBarSet("Cost 20% lower"), QBarSet("Cost 20% higher")
    low.setColor(QColor("#1b7a43"))
    high.setColor(QColor("#b3261e"))
    labels = []
    # Bars are numbered on the chart; the table beside it names each one in full.
    for number, (_name, down, up) in enumerate(reversed(bars), start=1):
        labels.append(str(len(bars) - number + 1))
        low.append(down)
        high.append(up)
    series = QHorizontalBarSeries()
    series.append(low)
    series.append(high)
    panel.chart.addSeries(series)
    axis_y = QBarCategoryAxis()
    axis_y.append(labels)
    axis_y.setTruncateLabels(False)
    axis_y.setTitleText("# (see table)")
    axis_x = QValueAxis()
    axis_x.setLabelFormat("%.1f")
    panel.chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    panel.chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_y)
    series.attachAxis(axis_x)
    numbered = [(number, *bar) for number, bar in enumerate(bars, start=1)]
    panel.set_table(
        [Column("#", lambda b: str(b[0])),
         Column("Cost", lambda b: b[1], tip=lambda b: b[1]),
         Column("Lower", lambda b: fixed(b[2], 1, sign=True), align_right=True),
         Column("Higher", lambda b: fixed(b[3], 1, sign=True), align_right=True)], numbered)
