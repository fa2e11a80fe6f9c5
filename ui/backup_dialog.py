"""Manual backup and restore: a copy anywhere (a USB stick), or back to an earlier state."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.auth import Permission, allowed
from app.backup import BackupInfo, BackupService, BackupUnsupported
from app.errors import AppError
from app.services import Services
from ui import dialogs
from ui.errors import show_failure
from ui.tasks import TaskRunner

KIND_LABELS = {"daily": "每日自动", "exit": "退出时自动", "before-restore": "恢复前的原库"}
FILE_FILTER = "楼院通数据库 (*.sqlite3);;所有文件 (*)"


class BackupDialog(QDialog):
    """Emits `restored` after the database was replaced (the window must reload)."""

    restored = Signal()

    def __init__(
        self, services: Services, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self._backups: BackupService = services.backups
        can_restore = allowed(services.actor, Permission.RESTORE)
        self.setWindowTitle(self.tr("备份与恢复"))
        self.resize(560, 400)
        layout = QVBoxLayout(self)
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.info)
        self.list = QListWidget(self)
        layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        self.backup_button = QPushButton(self.tr("立即备份到…"), self)
        self.restore_file_button = QPushButton(self.tr("从备份文件恢复…"), self)
        self.restore_selected_button = QPushButton(self.tr("恢复选中的备份"), self)
        close = QPushButton(self.tr("关闭"), self)
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        self.restore_file_button.clicked.connect(self._on_restore_file_button_clicked)
        self.restore_selected_button.clicked.connect(self._on_restore_selected_button_clicked)
        close.clicked.connect(self.accept)
        for b in (self.backup_button, self.restore_file_button, self.restore_selected_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.restore_file_button.setVisible(can_restore)
        self.restore_selected_button.setVisible(can_restore)
        self.list.currentRowChanged.connect(self._update_buttons)
        if not self._backups.supported:
            self.info.setText(BackupUnsupported().message)
            for b in (self.backup_button, self.restore_file_button):
                b.setEnabled(False)
        else:
            self.info.setText(
                self.tr(
                    "自动备份：每天一次、退出程序时一次，保存在 {0}，保留最近的若干份。"
                    "也可以随时备份到任意位置（例如U盘）。恢复前会先检查备份文件，"
                    "并把当前数据库另存为一份备份。"
                ).format(self._backups.folder)
            )
            self.reload()
        self._update_buttons()

    def reload(self) -> None:
        self.list.clear()
        for f in self._backups.list_backups():
            text = self.tr("{0} · {1} · {2:.1f} MB").format(
                f.modified.strftime("%Y-%m-%d %H:%M"),
                self.tr(KIND_LABELS.get(f.kind, f.kind)),
                f.size / 1_048_576,
            )
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, str(f.path))
            item.setToolTip(str(f.path))

    def _update_buttons(self) -> None:
        self.restore_selected_button.setEnabled(self.list.currentItem() is not None)

    def _on_backup_button_clicked(self) -> None:
        suggested = str(Path.home() / self._backups.default_name())
        path = dialogs.save_file(self, self.tr("备份到"), suggested, self.tr(FILE_FILTER))
        if not path:
            return
        # A copy of a large database takes seconds: off the GUI thread, with a progress dialog.
        backups = self._backups
        task = self.runner.run(
            lambda _progress, _cancelled: backups.backup_to(Path(path)),
            title=self.tr("备份"),
            label=self.tr("正在备份数据库……"),
            parent_widget=self,
        )
        task.finished.connect(self._on_backup_finished)
        task.failed.connect(lambda exc: show_failure(self, exc))

    def _on_backup_finished(self, info: BackupInfo) -> None:
        self.reload()
        dialogs.info(
            self,
            self.tr("已备份到 {0}\n住户 {1} 户，居民 {2} 人，{3:.1f} MB。").format(
                info.path, info.households, info.residents, info.size / 1_048_576
            ),
        )

    def _on_restore_file_button_clicked(self) -> None:
        path = dialogs.open_file(
            self, self.tr("选择备份文件"), str(self._backups.folder), self.tr(FILE_FILTER)
        )
        if path:
            self.restore(Path(path))

    def _on_restore_selected_button_clicked(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.restore(Path(str(item.data(Qt.ItemDataRole.UserRole))))

    def restore(self, path: Path) -> None:
        question = self.tr(
            "用备份 {0} 替换当前数据库吗？\n当前数据库会先另存为一份备份；恢复后需要重新登录。"
        ).format(path.name)
        if not dialogs.confirm(self, self.tr("从备份恢复"), question):
            return
        try:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                result = self._backups.restore(path)
            finally:
                QGuiApplication.restoreOverrideCursor()
        except AppError as exc:
            dialogs.error(self, exc.message)
            return
        dialogs.info(
            self,
            self.tr("已恢复（住户 {0} 户，居民 {1} 人）。\n原数据库已另存为：{2}").format(
                result.restored.households, result.restored.residents, result.safety_copy
            ),
        )
        self.restored.emit()
        self.accept()
