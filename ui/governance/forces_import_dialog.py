"""The preview of a 治理力量 roster import: the counts, the rows that change or are rejected
(with the reason), 导入 to confirm (through the program's runner), and the rejected rows saved
as an error file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.governance.forces import ForceService
from app.governance.forces_io import PeopleImportResult, PeoplePlan, PeopleRow
from app.roster.dto import Fate
from ui import dialogs
from ui.errors import show_failure
from ui.governance.rows_model import Column, RowsModel
from ui.table_views import make_table
from ui.tasks import TaskRunner

ROW_COLUMNS: list[Column[PeopleRow]] = [
    Column("行号", lambda r: r.row, True),
    Column("结果", lambda r: r.fate.value),
    Column("姓名", lambda r: r.name),
    Column("身份", lambda r: r.role),
    Column("所在", lambda r: r.place),
    Column("列", lambda r: r.column),
    Column("原因或说明", lambda r: r.reason),
]


class ForcesImportDialog(QDialog):
    """Shows what the import would do; 导入 writes it, all or nothing."""

    imported = Signal(object)  # PeopleImportResult

    def __init__(
        self, forces: ForceService, runner: TaskRunner, plan: PeoplePlan, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self._forces = forces
        self.runner = runner
        self.plan = plan
        self.result_: PeopleImportResult | None = None
        self.setWindowTitle(self.tr("导入治理力量名册"))
        preview = plan.preview
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.summary_label.setText(
            self.tr("文件：{0}<br>{1}").format(plan.path.name, preview.summary())
            + (
                self.tr("<br><b>被拒绝的行不会导入</b>，可保存为错误文件，改正后再次导入。")
                if preview.rejected()
                else ""
            )
        )
        self.rows_model: RowsModel[PeopleRow] = RowsModel(
            ROW_COLUMNS, lambda r: r.fate is Fate.REJECTED, self
        )
        self.rows_model.set_rows([r for r in preview.rows if r.fate is not Fate.UNCHANGED])
        self.rows_table = make_table(self)
        self.rows_table.setModel(self.rows_model)
        for n, width in enumerate((50, 50, 80, 120, 140, 70)):
            self.rows_table.setColumnWidth(n, width)
        self.rows_table.horizontalHeader().setStretchLastSection(True)
        self.save_rejects_button = QPushButton(self.tr("保存未导入的行…"), self)
        self.save_rejects_button.setEnabled(bool(preview.rejected()))
        self.save_rejects_button.clicked.connect(self._on_save_rejects_clicked)
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            self.tr("导入 {0} 行").format(preview.writable),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.import_button.setEnabled(preview.writable > 0)
        self.close_button = self.buttons.addButton(
            self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.import_button.clicked.connect(self._on_import_clicked)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.rows_table, 1)
        layout.addWidget(self.save_rejects_button)
        layout.addWidget(self.buttons)
        self.resize(980, 480)  # room for the reasons; made smaller on a small screen

    def _on_import_clicked(self) -> None:
        forces, plan = self._forces, self.plan
        self.import_button.setEnabled(False)
        task = self.runner.run(
            lambda progress, cancelled: forces.commit_import(plan, progress, cancelled),
            writes=True,
            title=self.tr("导入治理力量名册"),
            label=self.tr("正在导入治理力量名册…"),
            parent_widget=self,
        )
        task.finished.connect(self._on_imported)
        task.failed.connect(self._on_import_failed)

    def _on_imported(self, result: PeopleImportResult) -> None:
        self.result_ = result
        self.summary_label.setText(
            self.tr("已导入：{0}").format(result.summary())
            + (self.tr("<br>被拒绝的行可保存为错误文件。") if result.rejected else "")
        )
        self.close_button.setText(self.tr("关闭"))
        self.imported.emit(result)

    def _on_import_failed(self, exc: object) -> None:
        self.import_button.setEnabled(self.plan.preview.writable > 0)
        show_failure(self, exc)

    def _on_save_rejects_clicked(self) -> None:
        suggested = str(self._forces.rejects_name(self.plan.path))
        out = dialogs.save_file(self, self.tr("保存未导入的行"), suggested, "Excel (*.xlsx)")
        if not out:
            return
        path = Path(out) if out.lower().endswith(".xlsx") else Path(out + ".xlsx")
        try:
            count = self._forces.write_rejects(self.plan, path)
        except AppError as exc:
            dialogs.error(self, exc.message)
            return
        dialogs.info(self, self.tr("已保存 {0} 行到 {1}").format(count, path))
