"""Sign-in before the main window; on a database without users, create the administrator."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.audit import Actor
from app.errors import AppError
from app.users.errors import UserInputError
from app.users.service import UserService
from ui.widgets import ErrorLabel, add_field, line_edit, make_form


class LoginDialog(QDialog):
    """Asks for user name and password; `actor` is the signed-in user after accept()."""

    def __init__(
        self, users: UserService, *, first_start: bool, database: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._users = users
        self._first_start = first_start
        self.actor: Actor | None = None
        self.setWindowTitle(
            self.tr("楼院通 — 创建管理员") if first_start else self.tr("楼院通 — 登录")
        )
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        intro = QLabel(self)
        intro.setWordWrap(True)
        if first_start:
            intro.setText(
                self.tr(
                    "这是第一次使用这个数据库。请创建管理员账户：管理员可以管理用户、"
                    "备份与恢复、查看审计日志。请牢记密码。"
                )
            )
        else:
            intro.setText(self.tr("数据库：{0}").format(database))
            intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(intro)
        form = make_form()
        self.username = line_edit("admin" if first_start else "", max_length=32)
        self.username_row = add_field(form, self.tr("用户名"), self.username)
        self.display_name = line_edit(max_length=32)
        if first_start:
            add_field(form, self.tr("姓名"), self.display_name)
        self.password = line_edit(max_length=128)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_row = add_field(form, self.tr("密码"), self.password)
        self.confirm = line_edit(max_length=128)
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        if first_start:
            self.confirm_row = add_field(form, self.tr("确认密码"), self.confirm)
        layout.addLayout(form)
        self.message = ErrorLabel(self, reserve=True)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("创建并登录") if first_start else self.tr("登录"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.password if not first_start else self.username).setFocus()
        if not first_start:
            self.username.setFocus()

    def _on_buttons_accepted(self) -> None:
        self.message.show_message("")
        try:
            if self._first_start:
                if self.password.text() != self.confirm.text():
                    raise UserInputError("confirm", self.tr("两次输入的密码不一致"))
                self.actor = self._users.create_first_admin(
                    self.username.text(), self.password.text(), self.display_name.text()
                )
            else:
                self.actor = self._users.login(self.username.text(), self.password.text())
        except AppError as exc:
            self.message.show_message(exc.message)
            self.password.clear()
            self.confirm.clear()
            self.password.setFocus()
            return
        self.accept()
