"""Tabs of the fee page: payments (with the cashier dialog), arrears, running costs.

Each tab takes the fee services and the program's runner and is told the compound by
`set_compound()`; it knows nothing of the page, which connects to its signals: `pdf_ready`
(a PDF to preview) and `data_changed` (money moved: reload the page's figures). A tab reads
its rows in the background (saying 正在载入 meanwhile), and a tab not shown reads them when
it is first shown (`load_if_stale`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import cast

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.fees.dto import (
    EXPENSE_CATEGORIES,
    ArrearsRow,
    ExpenseInput,
    ExpenseRow,
    PaymentFilter,
    PaymentRow,
    Receipt,
)
from app.fees.service import FeeServices
from app.money import format_yuan, parse_yuan
from ui import dialogs
from ui.errors import show_failure
from ui.fees.common import pdf_path, table
from ui.latest_read import LatestRead
from ui.models.fee_models import ListModel, PagedModel, arrears_model, expense_model, payment_model
from ui.tasks import TaskRunner


def loading_text() -> str:
    return QCoreApplication.translate("fees", "正在载入……")


def failed_text() -> str:
    return QCoreApplication.translate("fees", "载入失败")


class FeeTab(QWidget):
    """A tab over one compound at a time, read in the background."""

    pdf_ready = Signal(Path, str)  # a PDF written for the clerk to see, and its title
    data_changed = Signal()  # money moved: everything shown for the compound is stale

    def __init__(
        self, fees: FeeServices, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.fees = fees
        self.runner = runner
        self.compound_id: int | None = None
        self.compound_name = ""
        self.stale = False
        self._read = LatestRead(runner, self)
        self._read.landed.connect(self.show_rows)
        self._read.failed.connect(self._on_read_failed)

    def set_compound(self, compound_id: int | None, name: str, *, now: bool = True) -> None:
        """Show the compound (None: none chosen): reload now, or (`now` False, a tab not
        shown) when the tab is shown next. Another compound's rows are cleared at once."""
        if compound_id != self.compound_id:
            self.clear()
        self.compound_id, self.compound_name = compound_id, name
        self.stale = True
        if now:
            self.reload()

    def load_if_stale(self) -> None:
        if self.stale:
            self.reload()

    def reload(self) -> None:
        """Read the compound's rows again in the background; `show_rows` shows them."""
        self.stale = False
        self.loading()
        self._read.start(self.reader())

    def busy(self) -> bool:
        return self._read.busy()

    def _on_read_failed(self, exc: object) -> None:
        self.show_rows_failed()
        show_failure(self, exc)

    def show_rows_failed(self) -> None:
        """What the tab shows when its read failed (the failure is reported too)."""

    def reader(self) -> Callable[[], object]:
        """The read (run on a worker thread: services only, no widget)."""
        raise NotImplementedError

    def show_rows(self, data: object) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def loading(self) -> None:
        """What the tab shows while its read is under way."""


class PaymentsTab(FeeTab):
    def __init__(
        self, fees: FeeServices, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(fees, runner, parent)
        self.month_edit = QLineEdit(self)
        self.month_edit.setPlaceholderText(self.tr("收款月份 YYYY-MM"))
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("收据编号或交款人"))
        self.pay_button = QPushButton(self.tr("收费(F2)…"), self)
        self.reprint_button = QPushButton(self.tr("补打收据…"), self)
        self.void_button = QPushButton(self.tr("作废…"), self)
        bar = QHBoxLayout()
        bar.addWidget(self.month_edit)
        bar.addWidget(self.search_edit)
        bar.addStretch(1)
        for button in (self.pay_button, self.reprint_button, self.void_button):
            bar.addWidget(button)
        self.model: PagedModel[PaymentRow] = payment_model(fees.payments.payment_rows, self)
        self.table = table(self)
        self.table.setModel(self.model)
        self.total_label = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total_label)
        self.month_edit.editingFinished.connect(self.reload)
        self.search_edit.returnPressed.connect(self.reload)
        self.pay_button.clicked.connect(self.open_payment_dialog)
        self.reprint_button.clicked.connect(self._on_reprint_button_clicked)
        self.void_button.clicked.connect(self._on_void_button_clicked)

    def reader(self) -> Callable[[], object]:
        month = self.month_edit.text().strip()
        flt = PaymentFilter(
            compound_id=self.compound_id,
            month=month if len(month) == 7 else "",
            text=self.search_edit.text(),
        )
        payments = self.fees.payments

        def read() -> tuple[list[int], int, int]:
            if flt.compound_id is None:
                return [], 0, 0
            return payments.payment_ids(flt), *payments.totals(flt)

        return read

    def show_rows(self, data: object) -> None:
        ids, count, fen = cast("tuple[list[int], int, int]", data)
        self.model.set_ids(ids)
        self.total_label.setText(
            self.tr("有效缴费 {0} 笔，合计 {1} 元").format(count, format_yuan(fen))
        )

    def clear(self) -> None:
        self.model.set_ids([])

    def show_rows_failed(self) -> None:
        self.total_label.setText(failed_text())

    def loading(self) -> None:
        self.total_label.setText(loading_text())

    def selected(self) -> PaymentRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def open_payment_dialog(self) -> None:
        from ui.fees.payment_dialog import PaymentDialog

        if self.compound_id is None:
            return
        dialog = PaymentDialog(self.fees.payments, self.compound_id, self.compound_name, self)
        dialog.paid.connect(self.print_receipt)
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self.data_changed.emit())
        dialog.open()

    def print_receipt(self, receipt: object) -> None:
        from app.documents.fees_receipt import write_receipt

        assert isinstance(receipt, Receipt)
        fresh = self.fees.payments.receipt(receipt.payment_id)
        path = pdf_path(f"收据{fresh.receipt_no}")
        write_receipt(path, fresh)
        self.pdf_ready.emit(path, self.tr("收据 {0}").format(fresh.receipt_no))

    def _on_reprint_button_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self.print_receipt(self.fees.payments.receipt(row.id, printing=False))

    def _on_void_button_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        reason = dialogs.ask_text(
            self,
            self.tr("作废收据"),
            self.tr("作废 {0}（{1} 元）的原因：").format(
                row.receipt_no, format_yuan(row.amount_fen)
            ),
        )
        if reason is None:
            return
        try:
            self.fees.payments.void(row.id, reason)
        except AppError as exc:
            dialogs.error(self, exc.message)
            return
        self.data_changed.emit()


class ArrearsTab(FeeTab):
    def __init__(
        self, fees: FeeServices, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(fees, runner, parent)
        self.model: ListModel[ArrearsRow] = arrears_model(self)
        self.table = table(self)
        self.table.setModel(self.model)
        self.reminder_button = QPushButton(self.tr("打印催缴通知单…"), self)
        self.export_button = QPushButton(self.tr("导出 Excel…"), self)
        # Phones are masked in the export; an admin may tick this for full ones (audited).
        self.unmasked_check = QCheckBox(self.tr("导出完整电话"), self)
        self.unmasked_check.setToolTip(self.tr("不脱敏导出，将记入审计日志（仅管理员）"))
        self.unmasked_check.setVisible(fees.ledger.may_unmask())
        self.total_label = QLabel(self)
        bar = QHBoxLayout()
        bar.addWidget(self.total_label, 1)
        bar.addWidget(self.reminder_button)
        bar.addWidget(self.unmasked_check)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.reminder_button.clicked.connect(self._on_reminder_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)

    def reader(self) -> Callable[[], object]:
        cid, ledger = self.compound_id, self.fees.ledger

        def read() -> tuple[list[ArrearsRow], int]:
            rows = ledger.arrears(cid) if cid is not None else []
            return rows, sum(r.due_fen for r in rows)

        return read

    def show_rows(self, data: object) -> None:
        rows, due = cast("tuple[list[ArrearsRow], int]", data)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()  # measures the first rows only (see table())
        self.total_label.setText(
            self.tr("欠费 {0} 户，合计 {1} 元").format(len(rows), format_yuan(due))
        )
        self.reminder_button.setEnabled(True)
        self.export_button.setEnabled(True)

    def clear(self) -> None:
        self.model.set_rows([])

    def show_rows_failed(self) -> None:
        self.total_label.setText(failed_text())

    def loading(self) -> None:
        self.total_label.setText(loading_text())
        self.reminder_button.setEnabled(False)  # the export writes the rows shown
        self.export_button.setEnabled(False)

    def _on_reminder_button_clicked(self) -> None:
        from app.documents.fees_notices import write_reminders

        if self.compound_id is None:
            return
        try:
            items = self.fees.documents.reminder_items(self.compound_id)
        except AppError as exc:
            dialogs.error(self, exc.message)
            return
        if not items:
            dialogs.info(
                self,
                self.tr("{0}没有欠费的住户，不需要打印催缴通知单。").format(self.compound_name),
            )
            return
        path = pdf_path("催缴通知单")
        task = self.runner.run(
            lambda progress, cancelled: write_reminders(
                path, items, progress=progress, cancelled=cancelled
            ),
            title=self.tr("催缴通知单"),
            label=self.tr("正在生成催缴通知单…"),
            parent_widget=self,
        )  # fmt: skip
        task.finished.connect(lambda _pages: self.pdf_ready.emit(path, self.tr("催缴通知单")))
        task.failed.connect(lambda e: show_failure(self, e))

    def _on_export_button_clicked(self) -> None:
        target = dialogs.save_file(
            self, self.tr("导出欠费清单"), "欠费清单.xlsx", self.tr("Excel 文件 (*.xlsx)")
        )
        if not target:
            return
        rows = self.model.rows
        unmasked = self.unmasked_check.isChecked() and self.unmasked_check.isVisibleTo(self)
        task = self.runner.run(
            lambda progress, cancelled: self.fees.ledger.export_arrears(
                target, rows, unmasked=unmasked, progress=progress, cancelled=cancelled
            ),
            title=self.tr("导出欠费清单"),
            label=self.tr("正在导出欠费清单…"),
            parent_widget=self,
        )
        task.finished.connect(lambda _n: dialogs.info(self, self.tr("已导出：{0}").format(target)))
        task.failed.connect(lambda e: show_failure(self, e))


class ExpensesTab(FeeTab):
    def __init__(
        self, fees: FeeServices, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(fees, runner, parent)
        self.month_edit = QLineEdit(f"{dt.date.today():%Y-%m}", self)
        self.category_combo = QComboBox(self)
        self.category_combo.addItems(list(EXPENSE_CATEGORIES))
        self.amount_edit = QLineEdit(self)
        self.amount_edit.setPlaceholderText(self.tr("金额（元）"))
        self.note_edit = QLineEdit(self)
        self.note_edit.setPlaceholderText(self.tr("说明"))
        self.add_button = QPushButton(self.tr("登记支出"), self)
        self.delete_button = QPushButton(self.tr("删除所选…"), self)
        self.delete_button.setToolTip(self.tr("删除登记错的支出（需填写原因，记入操作日志）"))
        self.accounts_button = QPushButton(self.tr("打印收支公示…"), self)
        self.paper_combo = QComboBox(self)
        self.paper_combo.addItem(self.tr("A4 纸"), "A4")
        self.paper_combo.addItem(self.tr("A3 纸（公示栏）"), "A3")
        self.paper_combo.setToolTip(self.tr("收支公示的纸张"))
        bar = QHBoxLayout()
        for w in (
            self.month_edit,
            self.category_combo,
            self.amount_edit,
            self.note_edit,
            self.add_button,
        ):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.delete_button)
        bar.addWidget(self.paper_combo)
        bar.addWidget(self.accounts_button)
        self.model: ListModel[ExpenseRow] = expense_model(self)
        self.table = table(self)
        self.table.setModel(self.model)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #b00020")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.amount_edit.returnPressed.connect(self._on_add_button_clicked)
        self.accounts_button.clicked.connect(self._on_accounts_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.delete_button.setEnabled(False)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

    def reader(self) -> Callable[[], object]:
        cid, expenses = self.compound_id, self.fees.expenses
        return lambda: expenses.list_expenses(cid) if cid is not None else []

    def show_rows(self, data: object) -> None:
        self.model.set_rows(cast("list[ExpenseRow]", data))
        self._on_selection_changed()

    def clear(self) -> None:
        self.model.set_rows([])
        self._on_selection_changed()

    def _selected(self) -> ExpenseRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _on_selection_changed(self, *_args: object) -> None:
        self.delete_button.setEnabled(self._selected() is not None)

    def _on_delete_button_clicked(self) -> None:
        expense = self._selected()
        if expense is None:
            return
        what = self.tr("{0} {1} {2} 元").format(
            expense.month, expense.category, format_yuan(expense.amount_fen)
        )
        reason = dialogs.ask_text(
            self, self.tr("删除支出"), self.tr("删除“{0}”的原因（记入操作日志）：").format(what)
        )
        if reason is None:
            return
        try:
            self.fees.expenses.delete(expense.id, reason)
        except AppError as exc:
            self.error_label.setText(exc.message)
            return
        self.error_label.setText(self.tr("已删除：{0}").format(what))
        self.reload()

    def _on_add_button_clicked(self) -> None:
        if self.compound_id is None:
            return
        try:
            self.fees.expenses.add(
                ExpenseInput(
                    self.compound_id,
                    self.month_edit.text(),
                    self.category_combo.currentText(),
                    parse_yuan(self.amount_edit.text()),
                    self.note_edit.text(),
                )
            )
        except AppError as exc:
            self.error_label.setText(exc.message)
            return
        self.error_label.clear()
        self.amount_edit.clear()
        self.note_edit.clear()
        self.reload()

    def _on_accounts_button_clicked(self) -> None:
        from app.documents.fees_postings import write_accounts
        from app.fees.arithmetic import add_months

        cid = self.compound_id
        if cid is None:
            return
        last = f"{dt.date.today():%Y-%m}"
        months = self.fees.expenses.accounts(cid, add_months(last, -11), last)
        path = pdf_path("收支公示")
        try:
            write_accounts(
                path,
                self.compound_name,
                months,
                issuer=self.fees.documents.issuer_for(cid),
                paper=str(self.paper_combo.currentData()),
            )
        except AppError as exc:
            self.error_label.setText(exc.message)
            return
        self.pdf_ready.emit(path, self.tr("收支公示"))
