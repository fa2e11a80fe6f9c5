"""Coverage: reached / total per building and compound, and the households not reached yet
(a table, an .xlsx and a printable list for the next round of visits)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.jobs import IsCancelled, Progress
from app.services import Services
from app.surveys.dto import COVERAGE_HEADS, Coverage, CoverageRow, NotReachedRow, percent
from ui.governance.rows_model import Column, RowsModel
from ui.surveys.files import run_file_job
from ui.surveys.lazy_tab import LazyTab

HALF = Decimal("0.5")


def _part(k: int) -> Callable[[CoverageRow], object]:
    return lambda r: r.breakdown()[k]


COVERAGE_COLUMNS: list[Column[CoverageRow]] = [
    Column("楼院", lambda r: r.compound_name),
    Column(
        "楼栋", lambda r: f"{r.building}号楼" if r.building else ("小计" if r.compound_id else "")
    ),
    *(Column(head, _part(k), True) for k, head in enumerate(COVERAGE_HEADS[:-1])),
    Column(COVERAGE_HEADS[-1], lambda r: percent(r.rate), True),
]
MISSING_COLUMNS: list[Column[NotReachedRow]] = [
    Column("楼院", lambda r: r.compound_name),
    Column("住址", lambda r: r.location),
    Column("户主", lambda r: r.householder_name),
    Column("状态", lambda r: r.state),
    Column("上次走访", lambda r: r.last_visit),
]


@dataclass(frozen=True)
class CoverageData:
    """What the tab shows of one survey, read in one go (on a worker thread)."""

    coverage: Coverage
    missing: list[NotReachedRow]


def load_coverage(services: Services, survey_id: int | None) -> CoverageData | None:
    if survey_id is None:
        return None
    results = services.survey_results
    return CoverageData(results.coverage(survey_id), results.not_reached(survey_id))


class CoverageTab(LazyTab):
    load = staticmethod(load_coverage)  # what the page reads for it off-thread

    def _make_widgets(self) -> None:
        self.summary = QLabel(self)
        self.summary.setStyleSheet("font-size: 14px;")
        self.coverage_model: RowsModel[CoverageRow] = RowsModel(
            COVERAGE_COLUMNS, warn=lambda r: r.households > 0 and r.rate < HALF, parent=self
        )
        self.coverage_view = _table(self, self.coverage_model)
        self.missing_model: RowsModel[NotReachedRow] = RowsModel(MISSING_COLUMNS, parent=self)
        self.missing_view = _table(self, self.missing_model)
        self.missing_label = QLabel(self)
        self.print_button = QPushButton(self.tr("打印未走到名单"), self)
        self.export_button = QPushButton(self.tr("导出未走到名单 (.xlsx)"), self)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.missing_label)
        rl.addWidget(self.missing_view, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        rl.addLayout(buttons)
        split = QSplitter(self)
        split.addWidget(self.coverage_view)
        split.addWidget(right)
        split.setSizes([560, 440])
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        if self.isVisible():  # made while being shown: show them as the layout would have
            for w in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
                if not w.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide):
                    w.show()

    def set_survey(self, survey_id: int | None) -> None:
        self._build()
        self.survey_id = survey_id
        self.refresh()

    def refresh(self) -> None:
        """Read and show the survey's coverage at once (the page reads in the background and
        calls `show_loaded`)."""
        self.show_loaded(self.survey_id, load_coverage(self._services, self.survey_id))

    def show_busy(self, survey_id: int | None) -> None:
        """Being read: no figures of the survey before, nothing to print."""
        self._build()
        self.survey_id = survey_id
        self._clear()
        self.summary.setText(self.tr("正在载入……"))

    def show_failed(self, message: str) -> None:
        self._build()
        self._clear()
        self.summary.setText(message)

    def _clear(self) -> None:
        self.coverage_model.set_rows([])
        self.missing_model.set_rows([])
        self.summary.clear()
        self.missing_label.clear()
        self.print_button.setEnabled(False)
        self.export_button.setEnabled(False)

    def show_loaded(self, survey_id: int | None, data: CoverageData | None) -> None:
        self._build()
        self.survey_id = survey_id
        if survey_id is None or data is None:
            self._clear()
            return
        cov = data.coverage
        rows: list[CoverageRow] = []
        for c in cov.by_compound:
            rows.extend(b for b in cov.by_building if b.compound_id == c.compound_id)
            if len(cov.by_compound) > 1:
                rows.append(c)
        rows.append(cov.total)
        self.coverage_model.set_rows(rows)
        t = cov.total
        self.summary.setText(
            self.tr(
                "应调查 {0} 户：已答卷 {1}，拒答 {2}，无人在家 {3}，未走访 {4}；覆盖率 {5}"
            ).format(*t.breakdown(), percent(t.rate))
        )
        missing = data.missing
        self.missing_model.set_rows(missing)
        self.missing_label.setText(self.tr("未走到住户（{0} 户，供下次走访）").format(len(missing)))
        self.print_button.setEnabled(bool(missing))
        self.export_button.setEnabled(bool(missing))

    def _on_print_button_clicked(self) -> None:
        if self.survey_id is not None:
            run_file_job(
                self,
                self._runner,
                partial(_not_reached_pdf, self._services, self.survey_id),
                title=self.tr("未走到住户名单"),
                suggested="未走到住户名单.pdf",
                pdf=True,
            )

    def _on_export_button_clicked(self) -> None:
        if self.survey_id is not None:
            run_file_job(
                self,
                self._runner,
                partial(_not_reached_xlsx, self._services, self.survey_id),
                title=self.tr("导出未走到名单"),
                suggested="未走到住户名单.xlsx",
                pdf=False,
            )


def _not_reached_pdf(services: Services, sid: int, out: Path, _p: Progress, _c: IsCancelled) -> int:
    from app.surveys import paper  # reportlab and openpyxl: loaded when a file is made

    return paper.print_not_reached(services, sid, out)


def _not_reached_xlsx(
    services: Services, sid: int, out: Path, _p: Progress, _c: IsCancelled
) -> int:
    from app.surveys import paper  # reportlab and openpyxl: loaded when a file is made

    return paper.export_not_reached(services, sid, out)


def _table(parent: QWidget, model: RowsModel[CoverageRow] | RowsModel[NotReachedRow]) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    return view
