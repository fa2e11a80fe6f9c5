"""Export the roster: which compounds, masked or not, where to."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.auth import Permission, allowed
from app.errors import AppError
from app.roster.export import ExportResult
from app.services import Services
from ui import dialogs
from ui.tasks import TaskRunner


class ExportDialog(QDialog):
    """Choose compounds and masking; the export runs in the background with progress."""

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        selected: int | None = None,
        parent: QWidget | None = None,
        *,
        listed: list[int] | None = None,
    ) -> None:
        """`selected`: the compound chosen in the registry; `listed`: the compounds its
        filters list (None when the list is not filtered)."""
        super().__init__(parent)
        self._listed = listed
        self._services = services
        self._runner = runner
        self.result_: ExportResult | None = None
        self.setWindowTitle(self.tr("导出花名册"))
        self.all_radio = QRadioButton(self.tr("全部楼院（每个楼院一个工作表）"), self)
        self.listed_radio = QRadioButton(
            self.tr("台账当前筛选出的楼院（{0} 个）").format(len(listed or ())), self
        )
        self.listed_radio.setVisible(listed is not None)  # shown whenever a filter is on
        self.listed_radio.setEnabled(bool(listed))
        self.some_radio = QRadioButton(self.tr("选定的楼院："), self)
        self.model = QStandardItemModel(self)
        for row in services.compounds.list_compounds():
            item = QStandardItem(f"{row.name}（{row.households} 户）")
            item.setData(row.id, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setCheckState(
                Qt.CheckState.Checked if row.id == selected else Qt.CheckState.Unchecked
            )
            self.model.appendRow(item)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.unmasked = QCheckBox(self.tr("不脱敏：导出完整身份证号和电话（将记入审计日志）"), self)
        if not allowed(services.actor, Permission.UNMASKED_OUTPUT):
            self.unmasked.setEnabled(False)
            self.unmasked.setToolTip(self.tr("只有管理员可以导出完整的身份证号和电话"))
        note = QLabel(self.tr("默认脱敏：身份证号显示为 410102********123X，电话为 138****5678。"))
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("导出…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout = QVBoxLayout(self)
        for widget in (
            self.all_radio, self.listed_radio, self.some_radio, self.list, self.unmasked, note,
        ):  # fmt: skip
            layout.addWidget(widget)
        layout.addWidget(self.buttons)
        # What the registry lists, when a filter narrows it; else everything (the list always
        # highlights a row, which says little; that compound is ticked under 选定的楼院).
        (self.listed_radio if listed else self.all_radio).setChecked(True)
        self.list.setEnabled(self.some_radio.isChecked())
        self.some_radio.toggled.connect(self.list.setEnabled)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def chosen_ids(self) -> list[int] | None:
        if self.all_radio.isChecked():
            return None
        if self.listed_radio.isChecked():
            return list(self._listed or ())
        return [
            int(self.model.item(r).data(Qt.ItemDataRole.UserRole))
            for r in range(self.model.rowCount())
            if self.model.item(r).checkState() == Qt.CheckState.Checked
        ]

    def _on_buttons_accepted(self) -> None:
        ids = self.chosen_ids()
        if ids == []:
            dialogs.error(self, self.tr("请至少选择一个楼院。"))
            return
        out = dialogs.save_file(
            self, self.tr("导出花名册"), self.tr("住户花名册.xlsx"), "Excel (*.xlsx)"
        )
        if not out:
            return
        path = Path(out) if out.lower().endswith(".xlsx") else Path(out + ".xlsx")
        unmasked, rosters = self.unmasked.isChecked(), self._services.rosters
        try:
            task = self._runner.run(
                lambda progress, cancelled: rosters.export(
                    path, ids, unmasked=unmasked, progress=progress, cancelled=cancelled
                ),
                label=self.tr("正在导出花名册…"),
                parent_widget=self,
            )
        except AppError as exc:
            dialogs.error(self, exc.message)
            return
        self.buttons.setEnabled(False)
        task.finished.connect(self._on_export_finished)
        task.failed.connect(self._on_export_failed)

    def _on_export_finished(self, result: ExportResult) -> None:
        self.result_ = result
        dialogs.info(
            self,
            self.tr("已导出 {0} 个楼院、{1} 户到 {2}").format(
                result.compounds, result.households, result.path
            ),
        )
        self.accept()

    def _on_export_failed(self, exc: object) -> None:
        self.buttons.setEnabled(True)
        dialogs.error(self, exc.message if isinstance(exc, AppError) else str(exc))
