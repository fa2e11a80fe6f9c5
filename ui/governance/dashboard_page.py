"""统计: bar charts of the compounds, the three organisations, residents by tag, problems,
fee collection by compound and survey coverage and satisfaction.

Clicking a bar opens the list behind it (the registry filtered by management mode, the
organisation page's missing list, the problem ledger filtered by category, a compound's
arrears, a survey's coverage or results)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.dashboard import fee_totals
from app.errors import AppError
from app.governance.dto import percent
from app.services import Services
from ui.governance.dashboard_links import DashboardLinks
from ui.tasks import Task, TaskRunner


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


@dataclass(frozen=True)
class _Figures:
    summary: dict[str, Any]
    households_by_tag: dict[str, int]
    closure: list[Any]
    fees: list[Any]
    surveys: list[Any]


def _gather(services: Services) -> _Figures:
    """Every figure of the page (run on the task runner: seconds at district scale)."""
    figures = services.governance.figures
    return _Figures(
        services.stats.summary(),
        figures.households_by_tag(),
        figures.closure_by_category(),
        services.dashboard.fees_by_compound(),
        services.dashboard.surveys(),
    )


class DashboardPage(QWidget):
    """The figures are counted on the task runner; `loaded` says they are drawn."""

    loaded = Signal()

    def __init__(
        self, services: Services, links: DashboardLinks, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self.links = links
        self.runner = TaskRunner(parent=self)
        self._task: Task | None = None
        self._again = False
        self._drawn: _Figures | None = None
        self._category_ids: list[int] = []
        self.fee_compound_ids: list[int] = []
        self.survey_ids: list[int] = []
        self.modes_chart = BarChart(self._on_mode_clicked, self)
        self.orgs_chart = BarChart(lambda _i, _k: self.links.missing_organisations(), self)
        self.tags_chart = BarChart(lambda _i, _k: None, self)
        self.problems_chart = BarChart(self._on_problem_clicked, self)
        self.fees_chart = BarChart(self._on_fee_clicked, self)
        self.surveys_chart = BarChart(self._on_survey_clicked, self)
        self.headline = QLabel(self)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refresh_button = QPushButton(self.tr("刷新"), self)
        self.brief_button = QPushButton(self.tr("工作简报…"), self)
        self.notice_button = QPushButton(self.tr("张贴通知…"), self)
        self.refresh_button.clicked.connect(self.reload)
        self.brief_button.clicked.connect(lambda: self.links.brief())
        self.notice_button.clicked.connect(lambda: self.links.notice())
        top = QHBoxLayout()
        top.addWidget(self.headline, 1)
        for b in (self.refresh_button, self.brief_button, self.notice_button):
            top.addWidget(b)
        grid = QGridLayout()
        # Three across, two down: each chart keeps the height its labels need on a
        # 1366x768 laptop; a smaller window scrolls.
        grid.addWidget(self.modes_chart, 0, 0)
        grid.addWidget(self.orgs_chart, 0, 1)
        grid.addWidget(self.fees_chart, 0, 2)
        grid.addWidget(self.tags_chart, 1, 0)
        grid.addWidget(self.problems_chart, 1, 1)
        grid.addWidget(self.surveys_chart, 1, 2)
        charts = QWidget(self)
        charts.setLayout(grid)
        grid.setContentsMargins(0, 0, 0, 0)
        area = QScrollArea(self)
        area.setWidget(charts)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(area, 1)
        layout.addWidget(QLabel(self.tr("提示：点击柱形可打开对应的明细列表。"), self))
        self.reload()

    def reload(self) -> None:
        """Count again in the background; the charts shown stay until the new figures
        are in (a district's figures take a second or two)."""
        if self._task is not None and not self._task.done:
            self._again = True
            return
        self._again = False
        self.refresh_button.setEnabled(False)
        if self.modes_chart.bars is None:
            self.headline.setText(self.tr("正在统计……"))
        services = self._services
        self._task = self.runner.run(lambda _p, _c: _gather(services))
        self._task.finished.connect(self._on_gathered)
        self._task.failed.connect(self._on_gather_failed)

    def _on_gather_failed(self, exc: object) -> None:
        self.refresh_button.setEnabled(True)
        message = exc.message if isinstance(exc, AppError) else self.tr("统计失败")
        self.headline.setText(message)

    def _on_gathered(self, data: object) -> None:
        self.refresh_button.setEnabled(True)
        if self._again:
            self.reload()
            return
        assert isinstance(data, _Figures)
        if data != self._drawn:  # unchanged figures keep their charts (no flicker)
            self.draw(data)
            self._drawn = data
        self.loaded.emit()

    def draw(self, data: _Figures) -> None:
        summary = data.summary
        modes = summary["by_management_mode"]
        self.modes_chart.show_bars(
            Bars(
                self.tr("楼院按管理模式（个）"),
                list(modes),
                [(self.tr("楼院"), [float(m["compounds"]) for m in modes.values()], "#3b78c3")],
            )
        )
        orgs = summary["organisations"]
        kinds = list(orgs["by_kind"])
        with_kind = [sum(c["with_kind"][k] for c in orgs["by_community"]) for k in kinds]
        self.orgs_chart.show_bars(
            Bars(
                self.tr("三类组织覆盖（楼院数，共 {0} 个）").format(orgs["compounds"]),
                [*kinds, self.tr("三类齐全")],
                [(self.tr("楼院"), [float(v) for v in [*with_kind, orgs["complete"]]], "#c0392b")],
            )
        )
        residents = summary["residents_by_tag"]
        households = data.households_by_tag
        self.tags_chart.show_bars(
            Bars(
                self.tr("居民与住户（按标签）"),
                list(residents),
                [
                    (self.tr("居民"), [float(v) for v in residents.values()], "#2e8b57"),
                    (self.tr("住户"), [float(households[t]) for t in residents], "#9bc7a8"),
                ],
            )
        )
        rows = data.closure
        self._category_ids = [r.key for r in rows]
        self.problems_chart.show_bars(
            Bars(
                self.tr("楼院问题（件）"),
                [r.name for r in rows],
                [
                    (self.tr("问题"), [float(r.total) for r in rows], "#e67e22"),
                    (self.tr("已办结"), [float(r.closed) for r in rows], "#27ae60"),
                    (self.tr("逾期"), [float(r.overdue) for r in rows], "#c0392b"),
                ],
            )
        )
        fees_and_surveys = self._show_fees_and_surveys(data)
        p = summary["problems"]
        avg = p["average_days"]
        self.headline.setText(
            self.tr(
                "楼院 {0} 个，住户 {1} 户，居民 {2} 人；三类组织全覆盖 {3} 个（{4}%）；"
                "问题 {5} 件，办结率 {6}%，平均办理 {7} 天，逾期 {8} 件"
            ).format(
                summary["compounds"],
                summary["households"],
                summary["residents"],
                orgs["complete"],
                orgs["coverage_rate"],
                p["total"],
                p["closure_rate"],
                "—" if avg is None else avg,
                p["overdue"],
            )
            + "\n"
            + fees_and_surveys
        )

    def _show_fees_and_surveys(self, data: _Figures) -> str:
        """Draw the two charts; return the headline's fee and survey sentence."""
        fees = data.fees
        self.fee_compound_ids = [r.compound_id for r in fees]
        self.fees_chart.show_bars(
            Bars(
                self.tr("物业费收缴率（按楼院，%）"),
                [r.compound_name for r in fees],
                [
                    (
                        self.tr("收缴率"),
                        [float(percent(r.paid_fen, r.charged_fen)) for r in fees],
                        "#8e44ad",
                    )
                ],
                percent=True,
            )
        )
        surveys = data.surveys
        self.survey_ids = [f.survey_id for f in surveys]
        self.surveys_chart.show_bars(
            Bars(
                self.tr("调查覆盖率与满意度（%）")
                + ("" if all(f.satisfaction_valid for f in surveys) else self.tr("　* 无满意度题")),
                [_short(f.title) + ("" if f.satisfaction_valid else "*") for f in surveys],
                [
                    (
                        self.tr("覆盖率"),
                        [float(percent(f.reached, f.households)) for f in surveys],
                        "#2980b9",
                    ),
                    (
                        self.tr("满意率"),
                        [
                            float(percent(f.satisfaction_satisfied, f.satisfaction_valid))
                            for f in surveys
                        ],
                        "#16a085",
                    ),
                ],
                percent=True,
            )
        )
        totals = fee_totals(fees)
        text = (
            self.tr("物业费收缴率 {0}%（{1} 个楼院，欠费 {2} 户）").format(
                percent(totals.paid_fen, totals.charged_fen),
                totals.compounds,
                totals.households_in_arrears,
            )
            if totals.compounds
            else self.tr("尚未收取物业费")
        )
        if surveys:
            last = surveys[-1]
            text += self.tr("；入户调查 {0} 次，最近“{1}”覆盖 {2} 户（{3}%）").format(
                len(surveys), last.title, last.reached, percent(last.reached, last.households)
            )
            if last.satisfaction_valid:
                text += self.tr("，满意率 {0}%").format(
                    percent(last.satisfaction_satisfied, last.satisfaction_valid)
                )
        return text

    def _on_fee_clicked(self, index: int, _set: int) -> None:
        if 0 <= index < len(self.fee_compound_ids):
            self.links.compound_arrears(self.fee_compound_ids[index])

    def _on_survey_clicked(self, index: int, set_index: int) -> None:
        if 0 <= index < len(self.survey_ids):
            self.links.survey(self.survey_ids[index], "coverage" if set_index == 0 else "results")

    def _on_mode_clicked(self, index: int, _set: int) -> None:
        bars = self.modes_chart.bars
        if bars is not None and 0 <= index < len(bars.categories):
            self.links.registry_by_mode(bars.categories[index])

    def _on_problem_clicked(self, index: int, set_index: int) -> None:
        if 0 <= index < len(self._category_ids):
            self.links.problems_by_category(self._category_ids[index], set_index == 2)


def _short(title: str, width: int = 10) -> str:
    """Survey titles shortened for the category axis."""
    return title if len(title) <= width else title[: width - 1] + "…"
