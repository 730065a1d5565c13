"""At 1024x768 the main tables fit the window without sideways scrolling, and their name column
shows its longest name whole (walkthrough at 1024x768, issue 11)."""

from __future__ import annotations

import pytest
from journey_steps import go_to_stage, open_review
from person import (
    click_cell,
    click_list_item,
    click_row,
    click_tab,
    field,
    hover,
    hover_at,
    press,
    scroll_to,
    settle,
)
from PySide6.QtCharts import QCategoryAxis, QChartView
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QTableView,
    QTabWidget,
    QToolButton,
)
from pytestqt.qtbot import QtBot

from bvdesk.ui.mainwindow import MainWindow
from bvdesk.ui.stagestrip import StageStrip


def table_on_screen(window: MainWindow, name: str) -> QTableView:
    return next(t for t in window.findChildren(QTableView)
                if t.isVisible() and t.accessibleName() == name)


def assert_fits(qtbot: QtBot, table: QTableView, name_column: int, *,
                sideways: bool = False) -> None:
    """*sideways*: the table has more columns than 1024x768 has room for."""
    qtbot.wait(50)
    assert sideways or not table.horizontalScrollBar().isVisible(), \
        f"{table.accessibleName()} scrolls sideways"
    model = table.model()
    names = [str(model.index(r, name_column).data() or "") for r in range(model.rowCount())]
    longest = max(names, key=table.fontMetrics().horizontalAdvance)
    width = table.columnWidth(name_column)
    if table.fontMetrics().horizontalAdvance(longest) < width:
        return  # on one line
    row = names.index(longest)  # or wrapped onto lines the row is tall enough to show
    assert table.wordWrap(), f"{longest!r} is cut short in {table.accessibleName()}"
    longest_word = max(longest.split(), key=table.fontMetrics().horizontalAdvance)
    assert table.fontMetrics().horizontalAdvance(longest_word) < width
    assert table.rowHeight(row) >= table.sizeHintForRow(row), \
        f"{longest!r} is cut short in {table.accessibleName()}"


def at_1024(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1024, 768)
    qtbot.waitUntil(lambda: window.width() == 1024, timeout=2000)
    settle(qtbot, window)


def compete_at_1024(qtbot: QtBot, window: MainWindow) -> None:
    at_1024(qtbot, window)
    open_review(qtbot, window, "Responsive repairs")
    go_to_stage(qtbot, window, "5. Compete")


@pytest.mark.slow
def test_benchmarking_indicators_fit_at_1024(qtbot: QtBot, demo_window: MainWindow) -> None:
    at_1024(qtbot, demo_window)
    click_list_item(qtbot, demo_window.sidebar, "Benchmarking")
    settle(qtbot, demo_window)
    assert_fits(qtbot, table_on_screen(demo_window, "Indicator benchmark"), 1)
    assert_fits(qtbot, table_on_screen(demo_window, "Peer distribution data"), 0)
    trend = table_on_screen(demo_window, "Trend data")
    assert_fits(qtbot, trend, 0)
    for name in ("Peer distribution chart", "Trend chart"):  # titles whole, on short lines
        view = chart_on_screen(demo_window, name)
        metrics = QFontMetrics(view.chart().titleFont())
        for line in view.chart().title().split("<br>"):
            assert metrics.horizontalAdvance(line) < view.width() - 20, line
    quartile = 3  # 'Bottom quartile' whole, not 'Bottom ...'
    assert trend.fontMetrics().horizontalAdvance(str(trend.model().index(0, quartile).data())) \
        < trend.columnWidth(quartile)


@pytest.mark.slow
def test_compete_and_consult_tables_fit_at_1024(qtbot: QtBot, demo_window: MainWindow) -> None:
    compete_at_1024(qtbot, demo_window)
    assert_fits(qtbot, table_on_screen(demo_window, "Options"), 0)
    go_to_stage(qtbot, demo_window, "4. Consult")
    assert_fits(qtbot, table_on_screen(demo_window, "Consultation activitys"), 0)


@pytest.mark.slow
def test_appraisal_results_fit_at_1024_with_every_figure_at_hand(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    compete_at_1024(qtbot, demo_window)
    results = table_on_screen(demo_window, "Appraisal results")
    scroll_to(results)
    assert_fits(qtbot, results, 1)  # the key figures; the rest on hover and below the table
    header = results.horizontalHeader()
    shown_headers = [results.model().headerData(c, Qt.Orientation.Horizontal)
                     for c in range(header.count()) if not header.isSectionHidden(c)]
    assert {"Rank", "Option", "NPC", "Total"} <= set(shown_headers)
    hidden = [results.model().headerData(c, Qt.Orientation.Horizontal)
              for c in range(header.count()) if header.isSectionHidden(c)]
    if hidden:  # with the stages above the stage, every figure may have room in the table
        tip = hover(qtbot, results, 0, 1)
        assert all(f"{title}: " in tip for title in hidden), tip
    details = field(demo_window, "Chosen result's figures", QLabel)
    assert "per home" in details.text() and "Price score" in details.text()

    tabs = field(demo_window, "Option details", QTabWidget)
    scroll_to(tabs)
    for title in ("Costs", "Risks", "Quality Scores", "Description", "Appraisal Settings"):
        click_tab(qtbot, tabs, title)  # every tab's name in sight, the chosen one bold
        qtbot.wait(50)
        arrows = [b for b in tabs.tabBar().findChildren(QToolButton) if b.isVisible()]
        assert not arrows, f"the tabs scroll with '{title}' chosen"



def chart_on_screen(window: MainWindow, name: str) -> QChartView:
    return next(w for w in window.findChildren(QChartView)
                if w.isVisible() and w.accessibleName() == name)


def assert_chart_words_whole(view: QChartView) -> None:
    """The title's lines and the legend side by side fit the chart."""
    chart = view.chart()
    metrics = QFontMetrics(chart.titleFont())
    for line in chart.title().split("<br>"):
        assert metrics.horizontalAdvance(line) < view.width() - 20, line
    legend = QFontMetrics(chart.legend().font())
    marker = 2 * legend.height() + 8  # the colour box and the gaps either side of a label
    needs = sum(legend.horizontalAdvance(m.label()) + marker for m in chart.legend().markers())
    assert needs < view.width() - 20, [m.label() for m in chart.legend().markers()]


@pytest.mark.slow
def test_sensitivity_and_trend_charts_are_legible_at_1024(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    compete_at_1024(qtbot, demo_window)
    tornado = chart_on_screen(demo_window, "Sensitivity chart")
    scroll_to(tornado)
    assert_chart_words_whole(tornado)
    bars = tornado.chart().axes(Qt.Orientation.Vertical)[0]
    room = tornado.chart().plotArea().height() / len(bars.categories())
    assert QFontMetrics(bars.labelsFont()).height() <= room  # a number beside every bar

    go_to_stage(qtbot, demo_window, "3. Compare")
    indicators = table_on_screen(demo_window, "Indicator benchmark")
    assert_fits(qtbot, indicators, 1)  # the figures that step aside show on hover
    median = next(c for c in range(indicators.model().columnCount())
                  if indicators.model().headerData(c, Qt.Orientation.Horizontal) == "Median")
    assert not indicators.isColumnHidden(median) or "Median: " in hover(qtbot, indicators, 0, 1)
    trend = chart_on_screen(demo_window, "Trend chart")
    scroll_to(trend)
    assert_chart_words_whole(trend)
    years = trend.chart().axes(Qt.Orientation.Horizontal)[0]
    assert isinstance(years, QCategoryAxis)  # each year under its own point
    labels = years.categoriesLabels()
    assert len(labels) == 5, labels
    room = trend.chart().plotArea().width() / len(labels)
    for year in labels:
        assert QFontMetrics(years.labelsFont()).horizontalAdvance(year) < room - 8, year


@pytest.mark.slow
def test_quality_scores_of_five_options_fit_at_1024(qtbot: QtBot, demo_window: MainWindow) -> None:
    compete_at_1024(qtbot, demo_window)
    click_tab(qtbot, field(demo_window, "Option details", QTabWidget), "Quality Scores")
    settle(qtbot, demo_window)
    quality = table_on_screen(demo_window, "Quality scores")
    scroll_to(quality)
    model = quality.model()
    assert model.columnCount() == 2 + 5
    assert_fits(qtbot, quality, 0)  # five options side by side
    header = quality.horizontalHeader()
    bold = QFont(header.font())
    bold.setBold(True)
    for column in range(2, 7):  # each option's name whole, read upwards, above its scores
        name = str(model.headerData(column, Qt.Orientation.Horizontal))
        wrapped = QFontMetrics(bold).boundingRect(QRect(0, 0, header.height() - 12, 10_000),
                                                  Qt.TextFlag.TextWordWrap, name)
        assert wrapped.width() <= header.height() - 12, name
        assert wrapped.height() <= quality.columnWidth(column), name


@pytest.mark.slow
def test_cost_grid_shows_every_year_and_total_whole(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    """Whole, or the table scrolls sideways: the bold totals were cut to '1,045,0...' once."""
    open_review(qtbot, demo_window, "Voids and lettings")
    go_to_stage(qtbot, demo_window, "5. Compete")
    grid = table_on_screen(demo_window, "Cost grid")
    scroll_to(grid)
    settle(qtbot, demo_window)
    model = grid.model()
    years = [c for c in range(model.columnCount())
             if str(model.headerData(c, Qt.Orientation.Horizontal)).startswith("Year")]
    assert len(years) == 6  # year 0 and the five years of Voids and lettings
    total = model.rowCount() - 1
    assert model.index(total, 0).data() == "Total"
    bold = QFont(grid.font())
    bold.setBold(True)
    for column in years:
        text = str(model.index(total, column).data())
        assert QFontMetrics(bold).horizontalAdvance(text) + 6 < grid.columnWidth(column), text


@pytest.mark.slow
def test_cost_grid_keeps_each_lines_category_in_sight_in_the_later_years(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    """Eleven years of seven-figure amounts sit side by side at 1024x768 (in three figures,
    test_walkthrough_welsh); in the narrowest window bvdesk allows the grid scrolls sideways
    and, scrolled to year 10, the category column stays put, as a spreadsheet's frozen pane."""
    compete_at_1024(qtbot, demo_window)
    demo_window.resize(960, 768)
    qtbot.waitUntil(lambda: demo_window.width() == 960, timeout=2000)
    settle(qtbot, demo_window)
    grid = table_on_screen(demo_window, "Cost grid")
    click_cell(qtbot, grid, 0, 4)
    press(qtbot, demo_window, Qt.Key.Key_End)  # the last year
    settle(qtbot, demo_window)
    assert grid.horizontalScrollBar().value() > 0
    pinned = table_on_screen(demo_window, "Cost line categories")
    model = grid.model()
    year_10 = model.columnCount() - 1
    assert grid.visualRect(model.index(0, year_10)).isValid()
    left = grid.viewport().mapTo(grid, QPoint(0, 0)).x()
    assert pinned.x() == left and pinned.columnWidth(0) == grid.columnWidth(0)
    for row in range(model.rowCount()):  # each line's category beside its year-10 amount
        assert pinned.model().index(row, 0).data() == model.index(row, 0).data()
        assert pinned.rowViewportPosition(row) == grid.rowViewportPosition(row)
        assert pinned.rowHeight(row) == grid.rowHeight(row)
    assert model.index(model.rowCount() - 1, 0).data() == "Total"


def ticked(said: str) -> list[str]:
    return said.split("Complete: ")[1].split(".")[0].split(", ")


@pytest.mark.slow
def test_reviews_summary_ticks_the_stages_that_hold_what_they_need(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    """Responsive repairs is at Compete with its self-assessment done and its improvement plan
    not; Voids and lettings is at Consult with its scope unfinished and its improvement plan
    done: the strip ticks what each stage holds, not every stage before the one reached."""
    at_1024(qtbot, demo_window)
    click_list_item(qtbot, demo_window.sidebar, "Reviews")
    settle(qtbot, demo_window)
    click_row(qtbot, table_on_screen(demo_window, "Reviews"), "Responsive repairs")
    settle(qtbot, demo_window)
    strip = field(demo_window, "Review stages", StageStrip)
    said = strip.accessibleDescription()
    assert "stage 5 of 8: Compete" in said, said
    assert ticked(said) == ["Scope", "Challenge", "Compare", "Consult", "Compete",
                            "Self-assessment"], said
    assert "Still needed: Improvement plan (2 items), Sign-off (3 items)." in said, said
    plan = 5  # hovering over a stage says what it still needs
    spot = QPoint(round((plan + 0.5) * (strip.box_width() + 4)), strip.height() // 2)
    tip = hover_at(qtbot, strip, spot)
    assert tip.startswith("Improvement plan still needs:"), tip
    assert "BV72" in tip

    click_row(qtbot, table_on_screen(demo_window, "Reviews"), "Voids and lettings")
    settle(qtbot, demo_window)
    said = strip.accessibleDescription()
    assert "stage 4 of 8: Consult" in said, said
    assert ticked(said) == ["Compare", "Improvement plan"], said


def test_a_stage_entry_wraps_before_its_mark_not_inside_it(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    at_1024(qtbot, demo_window)
    open_review(qtbot, demo_window, "Responsive repairs")
    stages = field(demo_window, "Review stages", QListWidget)
    entries = [stages.item(r).text() for r in range(stages.count())]
    marked = [e for e in entries if "do" in e]
    assert marked
    for entry in marked:  # '2 to do \u25c0' stays on one line when the entry wraps
        tail = entry[entry.rindex("    ") + 4:]
        assert " " not in tail, entry


@pytest.mark.slow
def test_review_list_shows_every_demo_review_whole_at_1024(
        qtbot: QtBot, demo_window: MainWindow) -> None:
    at_1024(qtbot, demo_window)
    click_list_item(qtbot, demo_window.sidebar, "Reviews")
    settle(qtbot, demo_window)
    reviews = table_on_screen(demo_window, "Reviews")
    assert_fits(qtbot, reviews, 0)
    assert not reviews.verticalScrollBar().isVisible(), "three reviews need scrolling"
