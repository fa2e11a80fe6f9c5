"""Results: per-question tallies with a bar chart (QtCharts), the satisfaction rate overall
and by building, the report PDF and the .xlsx export."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCharts import (
    QChart,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.jobs import IsCancelled, Progress
from app.services import Services
from app.surveys.dto import (
    KIND_LABELS,
    BuildingSatisfaction,
    OptionTally,
    QuestionTally,
    Results,
    percent,
)
from ui.charts import BarChart, Bars
from ui.governance.rows_model import Column, RowsModel
from ui.surveys.files import run_file_job
from ui.surveys.lazy_tab import LazyTab
from ui.tasks import TaskRunner

OPTION_COLUMNS: list[Column[OptionTally]] = [
    Column("选项", lambda o: o.label),
    Column("人数", lambda o: o.count, True),
    Column("占比", lambda o: percent(o.share), True),
]
BUILDING_COLUMNS: list[Column[BuildingSatisfaction]] = [
    Column("楼院", lambda b: b.compound_name),
    Column("楼栋", lambda b: f"{b.building}号楼"),
    Column("有效回答", lambda b: b.valid, True),
    Column("满意", lambda b: b.satisfied, True),
    Column("满意率", lambda b: percent(b.rate), True),
]


def load_results(services: Services, survey_id: int | None) -> Results | None:
    """The survey's results, read in one go (on a worker thread)."""
    return services.survey_results.results(survey_id) if survey_id is not None else None


class ResultsTab(LazyTab):
    load = staticmethod(load_results)  # what the page reads for it off-thread

    def __init__(
        self, services: Services, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(services, runner, parent)
        self.results: Results | None = None

    def _make_widgets(self) -> None:
        self.summary = QLabel(self)
        self.summary.setStyleSheet("font-size: 14px;")
        self.summary.setWordWrap(True)
        self.question_list = QListWidget(self)
        self.question_list.currentRowChanged.connect(self._on_question_list_row_changed)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.option_model: RowsModel[OptionTally] = RowsModel(OPTION_COLUMNS, parent=self)
        self.option_view = _table(self, self.option_model)
        # The dashboard's chart: whole labels, nice ticks, value labels that never overlap.
        self.chart_view = BarChart(lambda _i, _k: None, self)
        self.chart_view.setMinimumWidth(300)
        self.building_model: RowsModel[BuildingSatisfaction] = RowsModel(
            BUILDING_COLUMNS, parent=self
        )
        self.building_view = _table(self, self.building_model)
        # Said in words where the table would be empty (no satisfaction question, no answers).
        self.building_note = QLabel(self)
        self.building_note.setWordWrap(True)
        self.building_note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.building_note.hide()
        self.report_button = QPushButton(self.tr("结果报告 (PDF)"), self)
        self.export_button = QPushButton(self.tr("导出结果与原始答卷 (.xlsx)"), self)
        self.report_button.clicked.connect(self._on_report_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.images_button = QPushButton(self.tr("查看手写答复"), self)
        self.images_button.setVisible(False)
        self.images_button.clicked.connect(self._on_images_button_clicked)
        self._images: list[tuple[str, bytes]] = []
        self._image_title = ""
        self._layout()

    def _layout(self) -> None:
        middle = QWidget(self)
        ml = QVBoxLayout(middle)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.addWidget(self.detail)
        ml.addWidget(self.chart_view, 2)
        ml.addWidget(self.option_view, 1)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel(self.tr("各楼栋满意率"), self))
        rl.addWidget(self.building_view)
        rl.addWidget(self.building_note, 1)
        split = QSplitter(self)
        split.addWidget(self.question_list)
        split.addWidget(middle)
        split.addWidget(right)
        split.setSizes([260, 460, 300])
        buttons = QHBoxLayout()
        buttons.addWidget(self.report_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.images_button)
        buttons.addStretch(1)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        if self.isVisible():  # made while being shown: show them as the layout would have
            for w in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
                if not w.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide):
                    w.show()

    def set_survey(self, survey_id: int | None) -> None:
        self._build()
        self.survey_id = survey_id
        self.refresh()

    def refresh(self) -> None:
        """Read and show the survey's results at once (the page reads in the background and
        calls `show_loaded`)."""
        self.show_loaded(self.survey_id, load_results(self._services, self.survey_id))

    def show_busy(self, survey_id: int | None) -> None:
        """Being read: no figures of the survey before, no report to make."""
        self.show_loaded(None, None)
        self.survey_id = survey_id
        self.summary.setText(self.tr("正在载入……"))

    def show_failed(self, message: str) -> None:
        self.show_loaded(None, None)
        self.summary.setText(message)

    def show_loaded(self, survey_id: int | None, data: Results | None) -> None:
        self._build()
        self.survey_id = survey_id
        self.results = data if survey_id is not None else None
        self.question_list.clear()
        r = self.results
        for b in (self.report_button, self.export_button):
            b.setEnabled(r is not None)
        if r is None:
            self.summary.clear()
            self.building_model.set_rows([])
            self._show_building_note(None)
            self._show(None)
            return
        c = r.coverage
        text = self.tr("有效答卷 {0} 份（应调查 {1} 户，覆盖率 {2}）").format(
            c.answered, c.households, percent(c.rate)
        )
        if r.satisfaction_rate is not None:
            text += self.tr("　综合满意率 {0}（满意+非常满意 {1} / 有效回答 {2}）").format(
                percent(r.satisfaction_rate), r.satisfaction_satisfied, r.satisfaction_valid
            )
        self.summary.setText(text)
        for t in r.questions:
            self.question_list.addItem(f"{t.question.number}. {t.question.data.text}")
        self.building_model.set_rows(r.by_building)
        self._show_building_note(r)
        self.question_list.setCurrentRow(0)

    @property
    def chart(self) -> QChart:
        return self.chart_view.chart()

    def _show_building_note(self, r: Results | None) -> None:
        empty = r is None or not r.by_building
        self.building_view.setVisible(not empty)
        self.building_note.setVisible(r is not None and empty)
        if r is None or not empty:
            return
        has_question = any(t.satisfaction_rate is not None for t in r.questions) or any(
            t.question.data.kind == "satisfaction5" for t in r.questions
        )
        self.building_note.setText(
            self.tr("还没有满意度题的有效回答，录入答卷后这里按楼栋列出满意率。")
            if has_question
            else self.tr("本调查没有满意度题，不计各楼栋满意率。")
        )

    def _on_question_list_row_changed(self, row: int) -> None:
        if self.results is None or not 0 <= row < len(self.results.questions):
            self._show(None)
        else:
            self._show(self.results.questions[row])

    def _show(self, t: QuestionTally | None) -> None:
        if not (t and t.options):
            self.chart_view.show_bars(Bars("", [], []))
        if t is None:
            self.detail.clear()
            self.option_model.set_rows([])
            return
        kind = t.question.data.kind
        text = self.tr("{0}，有效回答 {1}").format(self.tr(KIND_LABELS[kind]), t.valid)
        if t.satisfaction_rate is not None:
            text += self.tr("，满意率 {0}").format(percent(t.satisfaction_rate))
        if kind == "number":
            text += self.tr("，合计 {0}，平均 {1}，最小 {2}，最大 {3}").format(
                t.number_sum or 0, t.number_mean or "—", t.number_min or "—", t.number_max or "—"
            )
        if kind == "text" and t.valid:
            texts = self._services.survey_results.text_answers(t.question.id, limit=8)
            text += "\n" + "\n".join(f"· {place}：{body}" for place, body in texts)
        self._images = (
            self._services.survey_entry.answer_images(t.question.id)
            if kind in ("text", "number")
            else []
        )
        if self._images:
            text += "\n" + self.tr("纸质问卷手写答复 {0} 份（扫描图片）").format(len(self._images))
        self.images_button.setVisible(bool(self._images))
        self._image_title = f"{t.question.number}. {t.question.data.text}"
        self.detail.setText(text)
        self.option_model.set_rows(t.options)
        if t.options:
            self._chart(t)

    def _on_images_button_clicked(self) -> None:
        from ui.surveys.scan_review import ImagesDialog

        ImagesDialog(self._image_title, self._images, self).exec()

    def _chart(self, t: QuestionTally) -> None:
        self.chart_view.show_bars(
            Bars(
                "",
                [o.label for o in t.options],
                [(self.tr("人数"), [float(o.count) for o in t.options], "#4f7cac")],
            )
        )

    def _on_report_button_clicked(self) -> None:
        if self.survey_id is not None:
            run_file_job(
                self,
                self._runner,
                partial(_report, self._services, self.survey_id),
                title=self.tr("调查结果报告"),
                suggested="调查结果报告.pdf",
                pdf=True,
            )

    def _on_export_button_clicked(self) -> None:
        if self.survey_id is not None:
            run_file_job(
                self,
                self._runner,
                partial(_export, self._services, self.survey_id),
                title=self.tr("导出调查结果"),
                suggested="调查结果.xlsx",
                pdf=False,
            )


def _report(services: Services, sid: int, out: Path, _p: Progress, _c: IsCancelled) -> int:
    from app.surveys import paper  # reportlab and openpyxl: loaded when a file is made

    return paper.print_report(services, sid, out)


def _export(services: Services, sid: int, out: Path, _p: Progress, _c: IsCancelled) -> int:
    from app.surveys import paper  # reportlab and openpyxl: loaded when a file is made

    return paper.export_results(services, sid, out)


def _table(
    parent: QWidget, model: RowsModel[OptionTally] | RowsModel[BuildingSatisfaction]
) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    return view
