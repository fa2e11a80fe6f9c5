"""Fast payment entry, keyboard only: room → Enter → amount → method → Enter saves and prints."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.fees.dto import PAYMENT_METHODS, HouseholdAccount, PaymentInput, Receipt
from app.fees.payments import PaymentService
from app.money import format_yuan, from_fen, parse_yuan


class PaymentDialog(QDialog):
    """Takes payments one after another; each saved payment emits `paid(receipt)`."""

    paid = Signal(object)

    def __init__(
        self,
        payments: PaymentService,
        compound_id: int,
        compound_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._payments = payments
        self._compound_id = compound_id
        self._account: HouseholdAccount | None = None
        self.setWindowTitle(self.tr("收费 — {0}").format(compound_name))
        self.room_edit = QLineEdit(self)
        self.room_edit.setPlaceholderText(self.tr("楼-单元-房号，如 3-1-101，回车查询"))
        self.info_label = QLabel(self.tr("输入房号后按回车"), self)
        self.info_label.setWordWrap(True)
        self.amount_edit = QLineEdit(self)
        self.amount_edit.setPlaceholderText(self.tr("金额（元）"))
        self.method_combo = QComboBox(self)
        self.method_combo.addItems(list(PAYMENT_METHODS))
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("房号(&R)"), self.room_edit)
        form.addRow("", self.info_label)
        form.addRow(self.tr("金额(&A)"), self.amount_edit)
        form.addRow(self.tr("方式(&M)"), self.method_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status_label)
        hint = QLabel(self.tr("回车：查询 / 下一项 / 保存并打印收据；Esc：关闭"), self)
        hint.setStyleSheet("color: gray")
        layout.addWidget(hint)
        self.room_edit.returnPressed.connect(self._on_room_edit_return_pressed)
        self.amount_edit.returnPressed.connect(self._on_amount_edit_return_pressed)
        self.setMinimumWidth(460)
        self.method_combo.installEventFilter(self)

    @property
    def account(self) -> HouseholdAccount | None:
        return self._account

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Enter on the method saves (the combo itself ignores Enter)."""
        if (
            watched is self.method_combo
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.save()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # Enter moves on inside the form; it never closes the dialog
        super().keyPressEvent(event)

    def _on_room_edit_return_pressed(self) -> None:
        try:
            account = self._payments.find_room(self._compound_id, self.room_edit.text())
        except AppError as exc:
            self._account = None
            self.info_label.setText(exc.message)
            return
        self._account = account
        owed = account.due_fen - account.credit_fen
        self.info_label.setText(
            self.tr("{0} {1}，{2} ㎡，月费 {3} 元；欠费 {4} 元{5}").format(
                account.location,
                account.householder_name,
                f"{account.area_centi / 100:.2f}",
                format_yuan(account.monthly_fen),
                format_yuan(account.due_fen),
                self.tr("，预存 {0} 元").format(format_yuan(account.credit_fen))
                if account.credit_fen
                else "",
            )
        )
        default = owed if owed > 0 else account.monthly_fen
        self.amount_edit.setText(f"{from_fen(default)}" if default else "")
        self.amount_edit.setFocus()
        self.amount_edit.selectAll()

    def _on_amount_edit_return_pressed(self) -> None:
        try:
            parse_yuan(self.amount_edit.text())
        except AppError as exc:
            self.status_label.setText(exc.message)
            return
        self.method_combo.setFocus()

    def save(self) -> Receipt | None:
        """Save the payment; on success the form is ready for the next room."""
        if self._account is None:
            self.status_label.setText(self.tr("请先输入房号并按回车"))
            self.room_edit.setFocus()
            return None
        try:
            amount: Decimal = parse_yuan(self.amount_edit.text())
            receipt = self._payments.pay(
                PaymentInput(self._account.household_id, amount, self.method_combo.currentText())
            )
        except AppError as exc:
            self.status_label.setText(exc.message)
            return None
        self.status_label.setText(
            self.tr("已收 {0} 元（{1}），收据 {2}").format(
                format_yuan(receipt.amount_fen), receipt.method, receipt.receipt_no
            )
        )
        self._account = None
        self.room_edit.clear()
        self.amount_edit.clear()
        self.info_label.setText(self.tr("输入房号后按回车"))
        self.room_edit.setFocus()
        self.paid.emit(receipt)
        return receipt
