"""Add a user, or change one's name, role and whether the account is in use."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.auth import ROLE_LABELS
from app.errors import AppError
from app.users.dto import UserRow
from app.users.service import UserService
from ui.widgets import ErrorLabel, add_field, line_edit, make_form, select_data


class UserEditDialog(QDialog):
    def __init__(
        self, users: UserService, user: UserRow | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._users = users
        self._user = user
        self.setWindowTitle(self.tr("新增用户") if user is None else self.tr("修改用户"))
        self.setMinimumWidth(360)
        layout = QVBoxLayout(self)
        form = make_form()
        self.username = line_edit(user.username if user else "", max_length=32)
        self.username.setReadOnly(user is not None)
        add_field(form, self.tr("用户名"), self.username)
        self.display_name = line_edit(user.display_name if user else "", max_length=32)
        add_field(form, self.tr("姓名"), self.display_name)
        self.role = QComboBox(self)
        for role, label in ROLE_LABELS.items():
            self.role.addItem(self.tr(label), role)
        select_data(self.role, user.role if user else "clerk")
        add_field(form, self.tr("角色"), self.role)
        self.password = line_edit(max_length=128)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.active = QCheckBox(self.tr("账户启用"), self)
        self.active.setChecked(user.active if user else True)
        if user is None:
            add_field(form, self.tr("初始密码"), self.password)
        else:
            add_field(form, "", self.active)
        layout.addLayout(form)
        self.message = ErrorLabel(self, reserve=True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _on_buttons_accepted(self) -> None:
        role = str(self.role.currentData())
        try:
            if self._user is None:
                self._users.add_user(
                    self.username.text(), self.password.text(), role, self.display_name.text()
                )
            else:
                self._users.update_user(
                    self._user.id,
                    role=role,
                    active=self.active.isChecked(),
                    display_name=self.display_name.text(),
                )
        except AppError as exc:
            self.message.show_message(exc.message)
            return
        self.accept()
