"""The dashboard's fee and survey charts on the demo data, and where their bars lead."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.governance.dto import percent
from app.services import Services
from ui.main_window import MainWindow
from ui.settings import Settings


@pytest.fixture
def window(qtbot, demo_services: Services, prefs: Settings) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = MainWindow(demo_services, prefs)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w


def _open_dashboard(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Open 统计 and wait for its figures (counted in the background)."""
    board = window.governance.dashboard
    window.nav.setCurrentRow(window.stack.indexOf(board))
    qtbot.waitUntil(
        lambda: board._drawn is not None and board._task is not None and board._task.done,
        timeout=30000,
    )


def test_fee_chart_shows_compounds_with_charges_and_opens_their_arrears(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    demo_services: Services,
) -> None:
    board = window.governance.dashboard
    _open_dashboard(qtbot, window)
    fees = demo_services.dashboard.fees_by_compound()
    assert len(fees) >= 2, "the demo bills a few compounds"
    chart = board.fees_chart
    assert chart.bars is not None and chart.series is not None
    assert chart.bars.categories == [r.compound_name for r in fees]
    (rates,) = chart.series.barSets()
    assert [rates.at(i) for i in range(rates.count())] == [
        float(percent(r.paid_fen, r.charged_fen)) for r in fees
    ]
    assert "物业费收缴率" in board.headline.text()
    target = fees[-1]
    rates.clicked.emit(len(fees) - 1)
    page = window.fees_page
    assert window.stack.currentWidget() is page
    assert page.compound_combo.currentText() == target.compound_name
    assert page.tabs.currentWidget() is page.arrears_tab
    qtbot.waitUntil(lambda: not page.busy())  # read in the background
    assert page.arrears_tab.model.rowCount() == target.households_in_arrears
    assert f"欠费 {target.households_in_arrears} 户" in page.arrears_tab.total_label.text()


def test_survey_chart_shows_coverage_and_satisfaction_and_opens_the_survey(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    demo_services: Services,
) -> None:
    board = window.governance.dashboard
    _open_dashboard(qtbot, window)
    surveys = demo_services.dashboard.surveys()
    assert len(surveys) >= 2
    chart = board.surveys_chart
    assert chart.series is not None and chart.bars is not None
    coverage, satisfaction = chart.series.barSets()
    assert (coverage.label(), satisfaction.label()) == ("覆盖率", "满意率")
    first = surveys[0]
    assert coverage.at(0) == float(percent(first.reached, first.households))
    assert satisfaction.at(0) == float(
        percent(first.satisfaction_satisfied, first.satisfaction_valid)
    )
    page = window.surveys_page
    # The satisfaction bar of the first survey opens its results ...
    satisfaction.clicked.emit(0)
    assert window.stack.currentWidget() is page
    current = page.current()
    assert current is not None and current.id == first.survey_id
    assert page.tabs.currentWidget() is page.results
    assert page.results.survey_id == first.survey_id
    qtbot.waitUntil(lambda: not page.loading())  # the page reads the figures off-thread
    rate = percent(first.satisfaction_satisfied, first.satisfaction_valid)
    assert f"综合满意率 {rate}%" in page.results.summary.text()
    # ... and the coverage bar of the last one its 走访情况.
    _open_dashboard(qtbot, window)
    last = surveys[-1]
    coverage.clicked.emit(len(surveys) - 1)
    current = page.current()
    assert current is not None and current.id == last.survey_id
    assert page.tabs.currentWidget() is page.coverage
    assert page.coverage.survey_id == last.survey_id


def _is_nice(step: float) -> bool:
    import math

    magnitude = 10 ** math.floor(math.log10(step))
    return round(step / magnitude, 6) in (1, 2, 5, 10)


def test_chart_labels_are_whole_never_overlap_and_ticks_are_nice(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
) -> None:
    from PySide6.QtGui import QFontMetrics

    window.resize(1366, 728)
    board = window.governance.dashboard
    _open_dashboard(qtbot, window)
    charts = [
        board.modes_chart,
        board.orgs_chart,
        board.tags_chart,
        board.problems_chart,
        board.fees_chart,
        board.surveys_chart,
    ]
    for chart in charts:
        bars, series, axis_x, axis_y = chart.bars, chart.series, chart.axis_x, chart.axis_y
        assert bars and series and axis_x and axis_y
        plot = chart.chart().plotArea()
        n = len(bars.categories)
        assert axis_x.categories() == bars.categories
        metrics = QFontMetrics(axis_x.labelsFont())
        longest = max(metrics.horizontalAdvance(c) for c in bars.categories)
        if chart.horizontal:  # one whole label per row, rows tall enough for Qt Charts
            assert plot.height() / n >= chart.row_height() * 0.9, bars.title
            assert plot.left() >= longest, bars.title  # the labels' column is wide enough
        else:
            assert longest + 8 <= plot.width() / n * 0.45, bars.title
        # Value labels: across their bar, upright, or left out (then shown on hover).
        labels = QFontMetrics(series.barSets()[0].labelFont())
        texts = [f"{series.barSets()[k].at(i):g}" for k in range(len(bars.sets)) for i in range(n)]
        widest = max(labels.horizontalAdvance(t + "%") for t in texts)
        across = labels.height() if chart.horizontal else widest
        if chart.label_mode == "flat":
            assert series.isLabelsVisible() and across <= chart.bar_thickness() + 2, bars.title
        elif chart.label_mode == "upright":
            assert labels.height() <= chart.bar_thickness() + 2, bars.title
        else:
            assert not series.isLabelsVisible(), bars.title
        # Ticks: 0 to the top in 1-2-5 steps, every one with room for its label.
        ticks = axis_y.tickCount()
        step = (axis_y.max() - axis_y.min()) / (ticks - 1)
        assert axis_y.min() == 0 and _is_nice(step) and step == int(step), (bars.title, step)
        assert ticks - 1 <= chart.value_ticks(), bars.title
        top = max(v for _, values, _ in bars.sets for v in values)
        assert axis_y.max() >= top
    assert board.problems_chart.horizontal  # eight categories lie on their side


def test_nice_scale() -> None:
    from ui.charts import nice_scale

    assert nice_scale(35) == (40, 5)  # 0 10 20 30 40, not 0/8/17/26/35
    assert nice_scale(535) == (600, 4)  # 0 200 400 600
    assert nice_scale(4, 5) == (5, 6)
    assert nice_scale(0) == (1.0, 2)
    top, ticks = nice_scale(1917, 3)
    assert top == 3000 and ticks == 4


def test_charts_are_drawn_one_per_pass_of_the_event_loop(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    demo_services: Services,
) -> None:
    """Seven charts built and painted at once held the window for ~60 ms at district scale:
    they are drawn one per pass, the headline when the last is in."""
    from ui.charts import BarChart
    from ui.governance.dashboard_page import _gather

    board = window.governance.dashboard
    _open_dashboard(qtbot, window)
    charts = board.findChildren(BarChart)
    assert len(charts) == 7
    for chart in charts:
        chart.bars = None
    board._drawn = None
    board.headline.setText("")
    with qtbot.waitSignal(board.loaded, timeout=5000):
        board._on_gathered(_gather(demo_services))
        assert sum(chart.bars is not None for chart in charts) == 1
        assert board.headline.text() == ""
    assert all(chart.bars is not None for chart in charts)
    assert "办结率" in board.headline.text()
