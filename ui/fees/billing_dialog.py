"""A billing run: choose the period, preview households, total and exclusions, then run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.fees.billing import BillingService
from app.fees.dto import BillingLine, BillingPreview, BillingResult
from app.money import format_yuan
from ui import dialogs
from ui.errors import show_failure
from ui.models.fee_models import ListModel
from ui.tasks import TaskRunner

LINE_COLUMNS: list[Any] = [
    ("房号", lambda r: r.location, lambda r: r.location, False),
    ("户主", lambda r: r.householder_name, lambda r: r.householder_name, False),
    ("面积(㎡)", lambda r: f"{r.area_centi / 100:.2f}", lambda r: r.area_centi, True),
    ("房屋状态", lambda r: r.status, lambda r: r.status, False),
    ("应收(元)", lambda r: format_yuan(r.amount_fen), lambda r: r.amount_fen, True),
    ("减免", lambda r: r.discount_note, lambda r: r.discount_note, False),
    ("不计费原因", lambda r: r.skip_reason, lambda r: r.skip_reason, False),
]


class BillingDialog(QDialog):
    """Preview, then run on the task runner with progress and Cancel."""

    def __init__(
        self,
        billing: BillingService,
        runner: TaskRunner,
        compound_id: int,
        compound_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._billing = billing
        self._runner = runner
        self._compound_id = compound_id
        self.preview: BillingPreview | None = None
        self.outcome: BillingResult | None = None
        self.setWindowTitle(self.tr("生成账单 — {0}").format(compound_name))
        self.resize(820, 560)
        self.period_edit = QLineEdit(f"{dt.date.today():%Y-%m}", self)
        self.months_spin = QSpinBox(self)
        self.months_spin.setRange(1, 24)
        self.preview_button = QPushButton(self.tr("预览(&V)"), self)
        row = QHBoxLayout()
        row.addWidget(self.period_edit)
        row.addWidget(QLabel(self.tr("月数"), self))
        row.addWidget(self.months_spin)
        row.addWidget(self.preview_button)
        form = QFormLayout()
        form.addRow(self.tr("起始月份(&P)"), row)
        self.summary_label = QLabel(self.tr("选好月份后点“预览”"), self)
        self.summary_label.setWordWrap(True)
        self.model: ListModel[BillingLine] = ListModel(LINE_COLUMNS, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.buttons = QDialogButtonBox(self)
        self.run_button = self.buttons.addButton(
            self.tr("生成账单(&R)"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.run_button.setEnabled(False)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        self.run_button.clicked.connect(self._on_run_button_clicked)
        self.preview_button.clicked.connect(self._on_preview_button_clicked)
        self.period_edit.returnPressed.connect(self._on_preview_button_clicked)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)

    def _on_preview_button_clicked(self) -> None:
        try:
            preview = self._billing.preview(
                self._compound_id, self.period_edit.text(), self.months_spin.value()
            )
        except AppError as exc:
            self.preview = None
            self.model.set_rows([])
            self.run_button.setEnabled(False)
            self.summary_label.setText(exc.message)
            return
        self.preview = preview
        self.model.set_rows(preview.lines)
        self.table.resizeColumnsToContents()
        text = self.tr("{0}：{1} 户计费，合计 {2} 元；{3} 户不计费").format(
            preview.period, len(preview.billable), format_yuan(preview.total_fen), preview.skipped
        )
        if preview.note:
            text += "。" + preview.note
        self.summary_label.setText(text)
        self.run_button.setEnabled(bool(preview.billable))

    def _on_run_button_clicked(self) -> None:
        if self.preview is None:
            return
        period, months, cid = self.preview.period, self.preview.months, self._compound_id

        def job(progress: Any, cancelled: Any) -> BillingResult:
            return self._billing.run(cid, period, months, progress=progress, cancelled=cancelled)

        task = self._runner.run(
            job,
            writes=True,
            title=self.tr("生成账单"),
            label=self.tr("正在生成账单…"),
            parent_widget=self,
        )
        self.run_button.setEnabled(False)
        self.task = task
        task.finished.connect(self._on_task_finished)
        task.failed.connect(self._on_task_failed)

    def _on_task_finished(self, result: object) -> None:
        assert isinstance(result, BillingResult)
        self.outcome = result
        dialogs.info(
            self,
            self.tr("已生成 {0} 笔费用，合计 {1} 元").format(
                result.charges, format_yuan(result.total_fen)
            ),
        )
        self.accept()

    def _on_task_failed(self, exc: object) -> None:
        self.run_button.setEnabled(True)
        show_failure(self, exc)
