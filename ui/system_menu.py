"""The window's 文件 → 备份与恢复 and 系统 → 用户管理 / 修改密码 / 审计日志 actions.

Actions a role may not use are not shown at all (a read-only user sees 修改密码 only).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QMenuBar, QVBoxLayout

from app.auth import Permission, allowed
from app.services import Services
from ui import dialogs
from ui.tasks import TaskRunner

# The dialogs below load when first opened, not with the main window.


class SystemMenu(QObject):
    """Builds the actions into the window's menus; `restored` after a restore."""

    restored = Signal()

    def __init__(self, window: QMainWindow, services: Services, runner: TaskRunner) -> None:
        super().__init__(window)
        self._window = window
        self._services = services
        self._runner = runner
        actor = services.actor
        self.backup_action = QAction(self.tr("备份与恢复…"), window)
        self.backup_action.setVisible(allowed(actor, Permission.BACKUP))
        self.backup_action.triggered.connect(self._on_backup_triggered)
        self.users_action = QAction(self.tr("用户管理…"), window)
        self.users_action.setVisible(allowed(actor, Permission.MANAGE_USERS))
        self.users_action.triggered.connect(self._on_users_triggered)
        self.password_action = QAction(self.tr("修改密码…"), window)
        self.password_action.setEnabled(actor.user_id is not None)
        self.password_action.triggered.connect(self._on_password_triggered)
        self.audit_action = QAction(self.tr("审计日志"), window)
        self.audit_action.setVisible(allowed(actor, Permission.VIEW_AUDIT))
        self.audit_action.triggered.connect(self._on_audit_triggered)

    def add_file_actions(self, menu: QMenu) -> None:
        menu.addAction(self.backup_action)

    def add_system_menu(self, bar: QMenuBar) -> QMenu:
        menu = bar.addMenu(self.tr("系统(&S)"))
        for action in (self.users_action, self.password_action, self.audit_action):
            menu.addAction(action)
        return menu

    def _on_backup_triggered(self) -> None:
        from ui.backup_dialog import BackupDialog

        dialog = BackupDialog(self._services, self._runner, self._window)
        dialog.restored.connect(self.restored)
        dialog.exec()

    def _on_users_triggered(self) -> None:
        from ui.users_dialog import UsersDialog

        UsersDialog(self._services.users, self._window).exec()

    def _on_password_triggered(self) -> None:
        from ui.password_dialog import PasswordDialog

        dialog = PasswordDialog(
            self.tr("修改密码"),
            self._services.users.change_password,
            ask_old=True,
            parent=self._window,
        )
        if dialog.exec():
            dialogs.info(self._window, self.tr("密码已修改，下次登录请使用新密码。"))

    def _on_audit_triggered(self) -> None:
        dialog = QDialog(self._window)
        dialog.setWindowTitle(self.tr("审计日志"))
        dialog.resize(1100, 600)
        layout = QVBoxLayout(dialog)
        from ui.audit_page import AuditPage

        layout.addWidget(AuditPage(self._services.audit_log, dialog))
        dialog.show()
