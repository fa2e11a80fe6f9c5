"""The audit log viewer: filter by user, object, action and dates; newest first."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.audit_query import ACTION_LABELS, ENTITY_LABELS, AuditFilter, AuditQueryService
from ui.models.audit_model import AuditColumn, AuditTableModel


def _date(edit: QDateEdit, enabled: QCheckBox) -> dt.date | None:
    if not enabled.isChecked():
        return None
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


class AuditPage(QWidget):
    def __init__(self, service: AuditQueryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.user = QComboBox(self)
        self.entity = QComboBox(self)
        self.action = QComboBox(self)
        today = QDate.currentDate()
        self.use_from = QCheckBox(self.tr("从"), self)
        self.date_from = QDateEdit(today.addDays(-30), self)
        self.use_to = QCheckBox(self.tr("到"), self)
        self.date_to = QDateEdit(today, self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.reset_button = QPushButton(self.tr("清除筛选"), self)
        self.count_label = QLabel(self)
        bar = QHBoxLayout()
        for label, widget in ((self.tr("用户"), self.user), (self.tr("对象"), self.entity)):
            bar.addWidget(QLabel(label, self))
            bar.addWidget(widget)
        bar.addWidget(QLabel(self.tr("操作"), self))
        bar.addWidget(self.action)
        for dated in (self.use_from, self.date_from, self.use_to, self.date_to):
            bar.addWidget(dated)
        bar.addWidget(self.reset_button)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        self.model = AuditTableModel(service, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((AuditColumn.AT, 150), (AuditColumn.BEFORE, 260)):
            self.table.setColumnWidth(column, width)
        self.table.setColumnWidth(AuditColumn.AFTER, 380)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self._fill_choices()
        for combo in (self.user, self.entity, self.action):
            combo.currentIndexChanged.connect(self.refresh)
        for box in (self.use_from, self.use_to):
            box.toggled.connect(self.refresh)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self.refresh)
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.refresh()

    def _fill_choices(self) -> None:
        choices = self._service.choices()
        lists: tuple[tuple[QComboBox, list[str], dict[str, str]], ...] = (
            (self.user, choices.usernames, {}),
            (self.entity, choices.entities, ENTITY_LABELS),
            (self.action, choices.actions, ACTION_LABELS),
        )
        for combo, values, labels in lists:
            combo.addItem(self.tr("全部"), "")
            for value in values:
                combo.addItem(labels.get(value, value), value)

    def current_filter(self) -> AuditFilter:
        return AuditFilter(
            username=str(self.user.currentData() or ""),
            entity=str(self.entity.currentData() or ""),
            action=str(self.action.currentData() or ""),
            date_from=_date(self.date_from, self.use_from),
            date_to=_date(self.date_to, self.use_to),
        )

    def refresh(self) -> None:
        self.model.set_filter(self.current_filter())
        self.count_label.setText(self.tr("共 {0} 条").format(self.model.total))

    def _on_reset_button_clicked(self) -> None:
        for combo in (self.user, self.entity, self.action):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        for box in (self.use_from, self.use_to):
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
        self.refresh()
