"""组织成员: the people of an organisation and their role in it (书记, 委员, 会长, 成员 …)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.auth import Permission, allowed
from app.errors import AppError
from app.governance.forces_dto import MEMBER_ROLES, MemberRow
from app.services import Services
from ui.governance.rows_model import Column, RowsModel
from ui.table_views import make_table
from ui.widgets import ErrorLabel

MEMBER_COLUMNS: list[Column[MemberRow]] = [
    Column("姓名", lambda r: r.name),
    Column("组织内职务", lambda r: r.role),
    Column("联系电话", lambda r: r.phone_masked),
]


class MembersDialog(QDialog):
    """Members are people of the 治理力量 roster; add one with a role, or remove one."""

    def __init__(
        self, services: Services, organisation_id: int, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("组织成员 — {0}").format(title))
        self._forces = services.governance.forces
        self._organisation_id = organisation_id
        self.model: RowsModel[MemberRow] = RowsModel(MEMBER_COLUMNS, parent=self)
        self.table = make_table(self)
        self.table.setModel(self.model)
        self.person_combo = QComboBox(self)
        for p in self._forces.list_people():
            self.person_combo.addItem(p.name, p.id)
        self.person_combo.setEditable(True)  # type a name to find someone
        self.role_combo = QComboBox(self)
        self.role_combo.setEditable(True)
        self.role_combo.addItems(list(MEMBER_ROLES))
        self.role_combo.setCurrentText("成员")
        self.add_button = QPushButton(self.tr("加入"), self)
        self.remove_button = QPushButton(self.tr("移出所选"), self)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        can_edit = allowed(services.actor, Permission.EDIT_GOVERNANCE)
        for w in (self.add_button, self.remove_button):
            w.setEnabled(can_edit)
        self.error_label = ErrorLabel(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("人员"), self))
        row.addWidget(self.person_combo, 2)
        row.addWidget(QLabel(self.tr("职务"), self))
        row.addWidget(self.role_combo, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(560, 420)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(self._forces.list_members(self._organisation_id))

    def _on_add_button_clicked(self) -> None:
        index = self.person_combo.findText(self.person_combo.currentText())
        if index < 0:
            self.error_label.show_message(self.tr("请从名册中选择人员（可先在“治理力量”中新增）"))
            return
        try:
            self._forces.add_member(
                self._organisation_id,
                self.person_combo.itemData(index),
                self.role_combo.currentText(),
            )
        except AppError as exc:
            self.error_label.show_message(exc.message)
            return
        self.error_label.show_message("")
        self.reload()

    def _on_remove_button_clicked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        member = self.model.row_at(rows[0].row()) if rows else None
        if member is None:
            return
        try:
            self._forces.remove_member(member.id)
        except AppError as exc:
            self.error_label.show_message(exc.message)
            return
        self.reload()
