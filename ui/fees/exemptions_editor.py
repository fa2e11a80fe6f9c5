"""The exemptions of a fee scheme as an editable table: whom (a house status or a resident
tag), how (a percentage off, or a fixed amount off each month) and how much."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.fees.dto import ExemptionRule
from app.fees.schemes import exemption_rule
from app.money import format_yuan
from app.registry.dto import HOUSEHOLD_STATUSES, RESIDENT_TAGS

SUBJECT, MODE, AMOUNT = range(3)
W = TypeVar("W", bound=QWidget)
MODES = (("percent", "按比例减免（%）"), ("fixed", "每月定额减免（元）"))


class ExemptionsEditor(QWidget):
    """Rows of (subject, mode, amount); `rules()` checks them through the fee service."""

    def __init__(self, rules: Sequence[ExemptionRule] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("对象"), self.tr("方式"), self.tr("数值")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(SUBJECT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MODE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AMOUNT, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumSize(500, 150)
        self.add_button = QPushButton(self.tr("添加减免"), self)
        self.remove_button = QPushButton(self.tr("删除所选"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        for rule in rules:
            self.add_row(rule)

    def add_row(self, rule: ExemptionRule | None = None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        subject = QComboBox(self.table)
        for status in HOUSEHOLD_STATUSES:
            subject.addItem(self.tr("房屋状态：{0}").format(status), f"status:{status}")
        for tag in RESIDENT_TAGS:
            subject.addItem(self.tr("居民标签：{0}户").format(tag), f"tag:{tag}")
        mode = QComboBox(self.table)
        for key, label in MODES:
            mode.addItem(self.tr(label), key)
        amount = QLineEdit(self.table)
        if rule is not None:
            subject.setCurrentIndex(max(0, subject.findData(f"{rule.kind}:{rule.match}")))
            mode.setCurrentIndex(max(0, mode.findData(rule.mode)))
            amount.setText(str(rule.value) if rule.mode == "percent" else format_yuan(rule.value))
        else:  # the first subject without a rule yet
            used = {self._widget(r, SUBJECT, QComboBox).currentData() for r in range(row)}
            free = [i for i in range(subject.count()) if subject.itemData(i) not in used]
            subject.setCurrentIndex(free[0] if free else 0)
            amount.setText("50")
        mode.currentIndexChanged.connect(lambda _i, e=amount, m=mode: _placeholder(e, m))
        _placeholder(amount, mode)
        self.table.setCellWidget(row, SUBJECT, subject)
        self.table.setCellWidget(row, MODE, mode)
        self.table.setCellWidget(row, AMOUNT, amount)
        self.table.selectRow(row)
        return row

    def rules(self) -> tuple[ExemptionRule, ...]:
        """The rules as typed.

        Raises:
            FeeError: a row whose amount is not right (the message names the row's subject).
        """
        out = []
        for row in range(self.table.rowCount()):
            kind, _, match = str(self._widget(row, SUBJECT, QComboBox).currentData()).partition(":")
            mode = self._widget(row, MODE, QComboBox).currentData()
            amount = self._widget(row, AMOUNT, QLineEdit).text()
            out.append(exemption_rule(kind, match, mode, amount))
        return tuple(out)

    def _widget(self, row: int, column: int, kind: type[W]) -> W:
        widget = self.table.cellWidget(row, column)
        assert isinstance(widget, kind)
        return widget

    def _on_add_clicked(self) -> None:
        row = self.add_row()
        self._widget(row, AMOUNT, QLineEdit).setFocus()

    def _on_remove_clicked(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for row in rows:
            self.table.removeRow(row)


def _placeholder(edit: QLineEdit, mode: QComboBox) -> None:
    edit.setPlaceholderText("50" if mode.currentData() == "percent" else "10.00")
