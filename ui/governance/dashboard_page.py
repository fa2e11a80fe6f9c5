"""统计: bar charts of the compounds, the three organisations, residents by tag, problems,
fee collection by compound and survey coverage and satisfaction.

Clicking a bar opens the list behind it (the registry filtered by management mode, the
organisation page's missing list, the problem ledger filtered by category, a compound's
arrears, a survey's coverage or results)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
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
from ui.charts import BarChart, Bars
from ui.governance.dashboard_links import DashboardLinks
from ui.tasks import Task, TaskRunner


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
        self,
        services: Services,
        links: DashboardLinks,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self.links = links
        self.runner = runner
        self._task: Task | None = None
        self._again = False
        self._drawn: _Figures | None = None
        self._pending: list[tuple[BarChart, Bars]] = []
        self._draw_generation = 0
        self._headline = ""
        self._category_ids: list[int] = []
        self.fee_compound_ids: list[int] = []
        self.survey_ids: list[int] = []
        self.modes_chart = BarChart(self._on_mode_clicked, self)
        self.orgs_chart = BarChart(lambda _i, _k: self.links.missing_organisations(), self)
        self.tags_chart = BarChart(self._on_tag_clicked, self)
        self.problems_chart = BarChart(self._on_problem_clicked, self)
        self.fees_chart = BarChart(self._on_fee_clicked, self)
        self.surveys_chart = BarChart(self._on_survey_clicked, self)
        self.forces_chart = BarChart(self._on_force_clicked, self)
        self.force_kinds: list[str] = []
        self.headline = QLabel(self)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.headline.setWordWrap(True)
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
        area = self._charts_area()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(area, 1)
        layout.addWidget(QLabel(self.tr("提示：点击柱形可打开对应的明细列表。"), self))
        self.reload()

    def _charts_area(self) -> QScrollArea:
        """The charts in a grid that scrolls when the window is small."""
        grid = QGridLayout()
        # Three across, three down (the charts with many categories get two columns): each
        # chart keeps the height its labels need on a 1366x768 laptop; a smaller window scrolls.
        grid.addWidget(self.modes_chart, 0, 0)
        grid.addWidget(self.orgs_chart, 0, 1)
        grid.addWidget(self.fees_chart, 0, 2)
        grid.addWidget(self.problems_chart, 1, 0, 1, 2)
        grid.addWidget(self.surveys_chart, 1, 2)
        grid.addWidget(self.forces_chart, 2, 0, 1, 2)
        grid.addWidget(self.tags_chart, 2, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        charts = QWidget(self)
        charts.setLayout(grid)
        grid.setContentsMargins(0, 0, 0, 0)
        area = QScrollArea(self)
        area.setWidget(charts)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        return area

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
        if data == self._drawn:  # unchanged figures keep their charts (no flicker)
            self.loaded.emit()
            return
        self.draw(data)
        self._draw_generation += 1
        self._draw_next(self._draw_generation, data)

    def _put(self, chart: BarChart, bars: Bars) -> None:
        self._pending.append((chart, bars))

    def _draw_next(self, generation: int, data: _Figures) -> None:
        """One chart per pass of the event loop (each takes a few milliseconds to build and as
        many to paint: all seven at once held the window for ~60 ms); the headline last."""
        if generation != self._draw_generation:
            return  # newer figures are being drawn
        if self._pending:
            chart, bars = self._pending.pop(0)
            chart.show_bars(bars)
            QTimer.singleShot(0, self, partial(self._draw_next, generation, data))
            return
        self.headline.setText(self._headline)
        self._drawn = data
        self.loaded.emit()

    def draw(self, data: _Figures) -> None:
        """Work out every chart's bars (`_put`, drawn by `_draw_next`) and the headline."""
        self._pending = []
        summary = data.summary
        modes = summary["by_management_mode"]
        self._put(
            self.modes_chart,
            Bars(
                self.tr("楼院按管理模式（个）"),
                list(modes),
                [(self.tr("楼院"), [float(m["compounds"]) for m in modes.values()], "#3b78c3")],
            ),
        )
        orgs = summary["organisations"]
        kinds = list(orgs["by_kind"])
        with_kind = [sum(c["with_kind"][k] for c in orgs["by_community"]) for k in kinds]
        self._put(
            self.orgs_chart,
            Bars(
                self.tr("三类组织覆盖（楼院数，共 {0} 个）").format(orgs["compounds"]),
                [*kinds, self.tr("三类齐全")],
                [(self.tr("楼院"), [float(v) for v in [*with_kind, orgs["complete"]]], "#c0392b")],
            ),
        )
        residents = summary["residents_by_tag"]
        households = data.households_by_tag
        self._put(
            self.tags_chart,
            Bars(
                self.tr("居民与住户（按标签）"),
                list(residents),
                [
                    (self.tr("居民"), [float(v) for v in residents.values()], "#2e8b57"),
                    (self.tr("住户"), [float(households[t]) for t in residents], "#9bc7a8"),
                ],
            ),
        )
        rows = data.closure
        self._category_ids = [r.key for r in rows]
        self._put(
            self.problems_chart,
            Bars(
                self.tr("楼院问题（件）"),
                [r.name for r in rows],
                [
                    (self.tr("问题"), [float(r.total) for r in rows], "#e67e22"),
                    (self.tr("已办结"), [float(r.closed) for r in rows], "#27ae60"),
                    (self.tr("逾期"), [float(r.overdue) for r in rows], "#c0392b"),
                ],
            ),
        )
        fees_and_surveys = self._show_fees_and_surveys(data)
        forces = self._show_forces(summary)
        p = summary["problems"]
        avg = p["average_days"]
        self._headline = (
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
            + "\n"
            + forces
        )

    def _show_fees_and_surveys(self, data: _Figures) -> str:
        """Draw the two charts; return the headline's fee and survey sentence."""
        fees = data.fees
        self.fee_compound_ids = [r.compound_id for r in fees]
        self._put(
            self.fees_chart,
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
            ),
        )
        surveys = data.surveys
        self.survey_ids = [f.survey_id for f in surveys]
        self._put(
            self.surveys_chart,
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
            ),
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

    def _show_forces(self, summary: dict[str, Any]) -> str:
        """The 治理力量 chart (people by kind); return the headline's sentence in the
        bulletins' terms."""
        forces = summary["forces"]
        self.force_kinds = [k for k, n in forces["by_kind"].items() if n]
        self._put(
            self.forces_chart,
            Bars(
                self.tr("治理力量（人，共 {0} 人）").format(forces["total"]),
                [SHORT_KINDS.get(k, k) for k in self.force_kinds],
                [
                    (
                        self.tr("人数"),
                        [float(forces["by_kind"][k]) for k in self.force_kinds],
                        "#d35400",
                    )
                ],
            ),
        )
        grids = summary["grids"]
        party = summary["party_members"]
        companies = summary["property_companies"]
        text = self.tr(
            "治理力量 {0} 人；{1} 个网格中 {2} 个建有党组织（{3} 个未建）；"
            "党员 {4} 名，{5} 名在已建党组织的网格"
        ).format(
            forces["total"],
            grids["with_party_organisation"] + grids["without_party_organisation"],
            grids["with_party_organisation"],
            grids["without_party_organisation"],
            party["total"],
            party["in_covered_grids"],
        )
        if companies["public_compounds_served"]:
            text += self.tr(
                "；公办物业入驻 {0} 个楼院（原无主管 {1} 个），收费不高于 {2} 元/㎡"
            ).format(
                companies["public_compounds_served"],
                companies["ownerless_compounds_served"],
                companies["max_price"] or "—",
            )
        text += self.tr("；交叉任职 {0} 人；治理力量办结问题 {1} 件").format(
            summary["cross_appointments"]["total"],
            sum(summary["problems"]["solved_by_force_kind"].values()),
        )
        return text

    def _on_force_clicked(self, index: int, _set: int) -> None:
        if 0 <= index < len(self.force_kinds):
            self.links.forces_by_kind(self.force_kinds[index])

    def _on_fee_clicked(self, index: int, _set: int) -> None:
        if 0 <= index < len(self.fee_compound_ids):
            self.links.compound_arrears(self.fee_compound_ids[index])

    def _on_survey_clicked(self, index: int, set_index: int) -> None:
        if 0 <= index < len(self.survey_ids):
            self.links.survey(self.survey_ids[index], "coverage" if set_index == 0 else "results")

    def _on_tag_clicked(self, index: int, set_index: int) -> None:
        bars = self.tags_chart.bars
        if bars is not None and 0 <= index < len(bars.categories):
            # 居民 bar: the residents with the tag; 住户 bar: their households
            self.links.registry_by_tag(bars.categories[index], set_index == 0)

    def _on_mode_clicked(self, index: int, _set: int) -> None:
        bars = self.modes_chart.bars
        if bars is not None and 0 <= index < len(bars.categories):
            self.links.registry_by_mode(bars.categories[index])

    def _on_problem_clicked(self, index: int, set_index: int) -> None:
        if 0 <= index < len(self._category_ids):
            self.links.problems_by_category(self._category_ids[index], set_index == 2)


# 治理力量 kinds short enough for the category axis
SHORT_KINDS = {
    "社区工作者": "社工",
    "网格年轻历练干部": "历练",
    "党员中心户": "中心户",
    "新就业群体": "新就业",
    "物业人员": "物业",
}


def _short(title: str, width: int = 10) -> str:
    """Survey titles shortened for the category axis."""
    return title if len(title) <= width else title[: width - 1] + "…"
