"""Bar charts for small screens: whole category labels, value labels that never overlap,
value axes in 1-2-5 steps with every tick labelled (统计 and the survey results)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QResizeEvent
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class Bars:
    title: str
    categories: list[str]
    sets: list[tuple[str, list[float], str]]  # label, values, colour
    percent: bool = False  # values are percentages: axis 0-100, labels "77.0%"


def nice_scale(top: float, intervals: int = 5) -> tuple[float, int]:
    """An axis from 0 whose ticks are 1, 2 or 5 x 10^n apart and whole, covering `top`
    with room for the value labels above the bars: (axis maximum, tick count)."""
    if top <= 0:
        return 1.0, 2
    raw = top * 1.1 / intervals
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1.0)
    count = math.ceil(top * 1.1 / step)
    return count * step, count + 1


class BarChart(QChartView):
    """One bar chart; `on_click(category index, set index)` is called for a clicked bar.

    Category labels are always whole: where they would not fit side by side under their
    bars the chart lies on its side (bars from the left, one label per line). Value labels
    that do not fit across their bar are turned upright, and left out where even that does
    not fit (the value then shows when the pointer is over the bar): they never overlap.
    The value axis has 1-2-5 ticks, as many as its labels have room for.
    """

    PLOT_WIDTH = 300  # the plot area's width at the chart's minimum size (about)

    def __init__(self, on_click: Callable[[int, int], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(260)
        self.setMinimumWidth(360)
        self._on_click = on_click
        self.series: QAbstractBarSeries | None = None
        self.bars: Bars | None = None
        self.axis_x: QBarCategoryAxis | None = None  # the category axis
        self.axis_y: QValueAxis | None = None  # the value axis
        self.horizontal = False
        self.label_mode = "flat"  # value labels: flat, upright or hover (left out)

    def show_bars(self, bars: Bars) -> None:
        self.bars = bars
        chart = QChart()
        chart.setTitle(bars.title)
        chart.legend().setVisible(len(bars.sets) > 1)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        metrics = QFontMetrics(chart.font())
        longest = max((metrics.horizontalAdvance(c) for c in bars.categories), default=0)
        # Qt Charts cuts a category label longer than about half its slot ("机械厂…"); on
        # its side a label needs a slot of about twice its height.
        slot = self.PLOT_WIDTH / max(1, len(bars.categories))
        self.horizontal = longest + 8 > slot * 0.45
        if self.horizontal:
            self.setMinimumHeight(max(260, len(bars.categories) * self.row_height() + 150))
        series: QAbstractBarSeries = (
            QHorizontalBarSeries(chart) if self.horizontal else QBarSeries(chart)
        )
        for n, (label, values, colour) in enumerate(bars.sets):
            bar_set = QBarSet(label)
            bar_set.append(values)
            bar_set.setColor(QColor(colour))
            bar_set.setLabelColor(QColor("#333333"))  # the theme's white is lost outside the bar
            bar_set.clicked.connect(lambda index, k=n: self._on_click(index, k))
            series.append(bar_set)
        series.hovered.connect(self._on_hovered)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        if bars.percent:
            series.setLabelsFormat("@value%")
            series.setLabelsPrecision(3)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis(chart)
        axis_x.append(bars.categories)
        axis_y = QValueAxis(chart)
        axis_y.setLabelFormat("%d")
        if self.horizontal:
            chart.addAxis(axis_x, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(axis_y, Qt.AlignmentFlag.AlignBottom)
        else:
            chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        old = self.chart()
        self.setChart(chart)
        self.series, self.axis_x, self.axis_y = series, axis_x, axis_y
        if old is not None:
            old.deleteLater()
        self.fit_labels()

    def row_height(self) -> int:
        """The slot a category label needs on a chart lying on its side."""
        return max(30, int(QFontMetrics(self.font()).height() * 1.8))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_labels()

    def value_ticks(self) -> int:
        """How many value ticks the value axis has room for (every one labelled)."""
        assert self.axis_y is not None
        metrics = QFontMetrics(self.axis_y.labelsFont())
        plot = self.chart().plotArea()
        if self.horizontal:
            room = plot.width() or max(1, self.width() - 140)
            label = metrics.horizontalAdvance("00000") * 1.6
        else:
            room = plot.height() or max(1, self.height() - 120)
            label = metrics.height() * 1.6
        return max(1, min(5, int(room // label)))

    def bar_thickness(self) -> float:
        """Across one bar, in pixels."""
        assert self.bars is not None and self.series is not None
        plot = self.chart().plotArea()
        room = (plot.height() if self.horizontal else plot.width()) or self.PLOT_WIDTH
        slot = room / max(1, len(self.bars.categories))
        return slot * self.series.barWidth() / max(1, len(self.bars.sets))

    def fit_labels(self) -> None:
        """Value ticks, and value labels turned or left out, for the room there is now."""
        bars, series, axis_y = self.bars, self.series, self.axis_y
        if bars is None or series is None or axis_y is None:
            return
        intervals = self.value_ticks()
        if bars.percent:
            step = next(st for st in (20, 50, 100) if 100 // st <= intervals)
            axis_y.setRange(0, 100.0)
            axis_y.setTickCount(100 // step + 1)
        else:
            top = max((v for _, values, _ in bars.sets for v in values), default=0)
            maximum, ticks = nice_scale(top, intervals)
            axis_y.setRange(0, maximum)
            axis_y.setTickCount(ticks)
        if not bars.categories:
            return
        metrics = QFontMetrics(series.barSets()[0].labelFont() if series.barSets() else self.font())
        thickness = self.bar_thickness()
        texts = [_value_text(v, bars.percent) for _, values, _ in bars.sets for v in values]
        widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
        across = metrics.height() if self.horizontal else widest  # label size across a bar
        upright = widest if self.horizontal else metrics.height()
        if across <= thickness + 2:
            series.setLabelsVisible(True)
            series.setLabelsAngle(0)
            self.label_mode = "flat"
        elif not self.horizontal and upright <= thickness + 2:
            series.setLabelsVisible(True)
            series.setLabelsAngle(-90)
            self.label_mode = "upright"
        else:
            series.setLabelsVisible(False)
            self.label_mode = "hover"

    def _on_hovered(self, status: bool, index: int, bar_set: QBarSet) -> None:
        if not status or self.bars is None or not 0 <= index < len(self.bars.categories):
            self.setToolTip("")
            return
        value = _value_text(bar_set.at(index), self.bars.percent)
        category = self.bars.categories[index]
        self.setToolTip(f"{category}　{bar_set.label()}：{value}")


def _value_text(value: float, percent: bool) -> str:
    return f"{value:.3g}%" if percent else f"{value:g}"
