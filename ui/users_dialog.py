"""User administration (administrators): add, change role or state, reset password, unlock."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.users.dto import UserRow
from app.users.service import UserService
from ui import dialogs
from ui.models.user_model import UserTableModel
from ui.password_dialog import PasswordDialog
from ui.user_edit_dialog import UserEditDialog


class UsersDialog(QDialog):
    def __init__(self, users: UserService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._users = users
        self.setWindowTitle(self.tr("用户管理"))
        self.resize(620, 380)
        self.model = UserTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_edit_clicked)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("新增用户…"), self)
        self.edit_button = QPushButton(self.tr("修改…"), self)
        self.password_button = QPushButton(self.tr("重设密码…"), self)
        self.unlock_button = QPushButton(self.tr("解锁"), self)
        close = QPushButton(self.tr("关闭"), self)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.password_button.clicked.connect(self._on_password_clicked)
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        close.clicked.connect(self.accept)
        for b in (self.add_button, self.edit_button, self.password_button, self.unlock_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(self._users.list_users())
        self._update_buttons()

    def selected(self) -> UserRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for b in (self.edit_button, self.password_button, self.unlock_button):
            b.setEnabled(chosen)

    def _on_add_clicked(self) -> None:
        if UserEditDialog(self._users, None, self).exec():
            self.reload()

    def _on_edit_clicked(self) -> None:
        user = self.selected()
        if user is not None and UserEditDialog(self._users, user, self).exec():
            self.reload()

    def _on_password_clicked(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = PasswordDialog(
            self.tr("重设 {0} 的密码").format(user.username),
            lambda _old, new: self._users.reset_password(user.id, new),
            ask_old=False,
            parent=self,
        )
        if dialog.exec():
            self.reload()
            dialogs.info(self, self.tr("已重设 {0} 的密码，账户同时解锁。").format(user.username))

    def _on_unlock_clicked(self) -> None:
        user = self.selected()
        if user is None:
            return
        try:
            self._users.unlock(user.id)
        except AppError as exc:
            dialogs.error(self, exc.message)
        self.reload()
