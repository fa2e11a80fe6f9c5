"""The pages of the import wizard. Each receives the import's `ImportFlow` (the state, Qt-free)
and drives its step; none reads or writes the wizard."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.errors import AppError
from app.roster.dto import Fate, Field, FileLayout, ImportResult, SheetLayout
from app.roster.flow import ImportFlow, parse_paths
from app.roster.service import ImportPlan
from ui import dialogs
from ui.errors import expected_message, report_bug, show_failure, unexpected_text
from ui.models.roster_preview_model import RosterPreviewModel
from ui.tasks import Task, TaskRunner, waiting_text

FILE_FILTER = "花名册 (*.xlsx *.xlsm *.xls *.csv);;所有文件 (*)"
NAMES_SHOWN = 6  # new compounds named in the preview's counts line; more are counted


class FilePage(QWizardPage):
    def __init__(
        self,
        flow: ImportFlow,
        runner: TaskRunner,
        communities: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.flow = flow
        self._runner = runner
        self.setTitle(self.tr("选择花名册文件"))
        self.setSubTitle(
            self.tr(
                "支持 .xlsx、.xls（旧版 Excel/WPS）和 .csv（UTF-8 或 GBK）；"
                "可一次选择多个文件，一起预览、一次导入。"
            )
        )
        self.path_edit = QLineEdit(self)
        self.path_edit.setPlaceholderText(self.tr("文件路径（多个用分号隔开），或把文件拖到主窗口"))
        self.browse = QPushButton(self.tr("选择文件…"), self)
        self.community_combo = QComboBox(self)
        self.community_combo.setEditable(True)
        for community in communities:
            self.community_combo.addItem(community)
        self.compound_edit = QLineEdit(self)
        self.compound_edit.setPlaceholderText(self.tr("文件中没有“楼院名称”列时填写"))
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse)
        form = QFormLayout(self)
        form.addRow(self.tr("文件："), row)
        form.addRow(self.tr("新楼院所属社区："), self.community_combo)
        form.addRow(self.tr("楼院名称："), self.compound_edit)
        hint = QLabel(
            self.tr(
                "文件中的楼院在数据库中不存在时，将在所选社区下新建；"
                "可输入新的社区名称，导入时一并建立。"
            ),
            self,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")
        form.addRow("", hint)
        self._loading = False
        self._loaded_key: tuple[tuple[str, int], ...] | None = None
        self.browse.clicked.connect(self._on_browse_clicked)
        self.path_edit.textChanged.connect(self._on_path_edit_changed)

    def _on_path_edit_changed(self, text: str) -> None:
        self.flow.paths = parse_paths(text)
        self.completeChanged.emit()

    def _on_browse_clicked(self) -> None:
        paths = dialogs.open_files(self, self.tr("选择花名册文件"), "", self.tr(FILE_FILTER))
        if paths:
            self.path_edit.setText("; ".join(paths))

    def isComplete(self) -> bool:
        return not self._loading and self.flow.files_exist()

    def validatePage(self) -> bool:
        """Next reads the file in the background and comes back here once it is read."""
        self.flow.community = self.community_combo.currentText()
        self.flow.default_compound = self.compound_edit.text()
        key = self.flow.file_key()
        if key is not None and key == self._loaded_key and self.flow.file_layout is not None:
            return True
        if self._loading:
            return False
        self._set_loading(True)
        task = self._runner.run(
            self.flow.read_job(), label=self.tr("正在读取文件…"), parent_widget=self.wizard()
        )
        task.finished.connect(lambda layouts: self._on_read(task, layouts, key))
        task.failed.connect(self._on_read_failed)
        return False

    def _on_read(
        self, task: Task, layouts: list[FileLayout], key: tuple[tuple[str, int], ...] | None
    ) -> None:
        self._set_loading(False)
        if task.is_cancelled():
            return
        if not self.flow.read_done(layouts):
            dialogs.error(
                self,
                self.tr("文件中没有找到花名册表头（需包含房号或姓名等列）。"),
                self.tr("无法导入"),
            )
            return
        self._loaded_key = key
        self.wizard().next()

    def _on_read_failed(self, exc: object) -> None:
        self._set_loading(False)
        show_failure(self, exc, self.tr("无法读取文件"))

    def _set_loading(self, loading: bool) -> None:
        self._loading = loading
        self.path_edit.setEnabled(not loading)
        self.browse.setEnabled(not loading)
        self.completeChanged.emit()


class SheetPage(QWizardPage):
    def __init__(self, flow: ImportFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.setTitle(self.tr("工作表与表头"))
        self.setSubTitle(
            self.tr("程序找到的表头行以蓝色标出；没有表头的工作表（如填表说明）将跳过。")
        )
        self.sheet_combo = QComboBox(self)
        self.status = QLabel(self)
        self.model = QStandardItemModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("工作表："), self))
        top.addWidget(self.sheet_combo, 1)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        self.sheet_combo.currentIndexChanged.connect(self._on_sheet_combo_changed)

    def initializePage(self) -> None:
        self.sheet_combo.clear()
        for sheet in self.flow.sheets:
            mark = "" if sheet.is_roster else self.tr("（跳过）")
            self.sheet_combo.addItem(sheet.name + mark)
        first = self.flow.first_roster_sheet()
        self.sheet_combo.setCurrentIndex(first)
        self._show(self.flow.sheets[first])

    def _on_sheet_combo_changed(self, index: int) -> None:
        if 0 <= index < len(self.flow.sheets):
            self._show(self.flow.sheets[index])

    def _show(self, sheet: SheetLayout) -> None:
        if sheet.header_row is None:
            self.status.setText(self.tr("此工作表没有花名册表头，导入时跳过。"))
        else:
            building = (
                self.tr("；楼号取自工作表名：{0}号楼").format(sheet.building_from_name)
                if sheet.building_from_name
                else ""
            )
            self.status.setText(
                self.tr("第 {0} 行是表头{1}。").format(sheet.header_row + 1, building)
            )
        self.model.clear()
        for r, row in enumerate(sheet.preview):
            items = [QStandardItem(text.replace("\n", " ")) for text in row]
            if r == sheet.header_row:
                for item in items:
                    item.setBackground(QBrush(QColor("#DDEBF7")))
            self.model.appendRow(items)


class MappingPage(QWizardPage):
    """Each column of each distinct header row and the field it fills."""

    def __init__(self, flow: ImportFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.setTitle(self.tr("列的对应关系"))
        self.combos: dict[str, list[tuple[str, QComboBox]]] = {}
        self.remember = QCheckBox(self.tr("记住此对应关系，下次导入相同表头的文件时自动使用"), self)
        self.remember.setChecked(True)
        self.area = QScrollArea(self)
        self.area.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.area, 1)
        layout.addWidget(self.remember)

    def initializePage(self) -> None:
        body = QWidget()
        box_layout = QVBoxLayout(body)
        self.combos = {}
        unplaced = 0
        for sheet in self.flow.header_rows():
            group = QGroupBox(self.tr("工作表“{0}”的表头").format(sheet.name), body)
            form = QFormLayout(group)
            rows: list[tuple[str, QComboBox]] = []
            for column in sheet.columns:
                combo = QComboBox(group)
                combo.addItem(self.tr("（不导入）"), None)
                for field in Field:
                    combo.addItem(field.label, field)
                combo.setCurrentIndex(combo.findData(column.field) if column.field else 0)
                label = QLabel(column.header, group)
                if not column.known and column.field is None:
                    unplaced += 1
                    label.setText(column.header + self.tr("（未识别）"))
                    label.setStyleSheet("color: #C00000; font-weight: bold;")
                form.addRow(label, combo)
                rows.append((column.header, combo))
            self.combos[sheet.signature] = rows
            box_layout.addWidget(group)
        box_layout.addStretch(1)
        self.area.setWidget(body)
        self.setSubTitle(
            self.tr("有 {0} 列未能识别，请指定它们对应的内容，或选择不导入。").format(unplaced)
            if unplaced
            else self.tr("所有列都已识别，请核对后继续。")
        )

    def validatePage(self) -> bool:
        chosen = {
            signature: [(header, combo.currentData()) for header, combo in rows]
            for signature, rows in self.combos.items()
        }
        try:
            self.flow.choose_columns(chosen, remember=self.remember.isChecked())
        except AppError as exc:
            show_failure(self, exc)
            return False
        return True


class PreviewPage(QWizardPage):
    def __init__(self, flow: ImportFlow, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self._runner = runner
        self.setTitle(self.tr("预览"))
        self.setSubTitle(
            self.tr("尚未写入任何数据。绿色新增、蓝色更新、白色不变、灰色跳过、红色拒绝。")
        )
        self.counts = QLabel(self)
        self.counts.setObjectName("counts")
        self.counts.setWordWrap(True)
        self.filter = QComboBox(self)
        self.filter.addItem(self.tr("全部行"), None)
        for fate in Fate:
            self.filter.addItem(self.tr(fate.value), fate)
        self.model = RosterPreviewModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        # column widths from the first 100 rows, not every loaded row (the clerk waits on it)
        self.table.horizontalHeader().setResizeContentsPrecision(100)
        self.table.verticalHeader().setResizeContentsPrecision(100)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.counts, 1)
        top.addWidget(QLabel(self.tr("显示："), self))
        top.addWidget(self.filter)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.filter.currentIndexChanged.connect(self._on_filter_changed)

    def initializePage(self) -> None:
        self.model.set_rows(())
        self.counts.setText(self.tr("正在分析…"))
        task = self._runner.run(
            self.flow.plan_job(), label=self.tr("正在分析花名册…"), parent_widget=self.wizard()
        )
        task.finished.connect(self._on_plan_finished)
        task.failed.connect(self._on_plan_failed)

    def _on_plan_finished(self, plan: ImportPlan) -> None:
        self.flow.plan_done(plan)
        c = plan.preview.counts
        text = self.tr(
            "新增 {0} 户，更新 {1} 户，不变 {2} 户，跳过 {3} 行，拒绝 {4} 行，{5} 行有提醒"
        ).format(
            c[Fate.NEW], c[Fate.UPDATE], c[Fate.UNCHANGED], c[Fate.SKIPPED], c[Fate.REJECTED],
            plan.preview.warnings,
        )  # fmt: skip
        new = plan.preview.new_compounds
        if len(new) > NAMES_SHOWN:
            shown = "、".join(new[:NAMES_SHOWN])
            text += self.tr("；新建楼院 {0} 个：{1} 等").format(len(new), shown)
        elif new:
            text += self.tr("；新建楼院：{0}").format("、".join(new))
        self.counts.setText(text)
        self._on_filter_changed()
        self.completeChanged.emit()

    def _on_plan_failed(self, exc: object) -> None:
        self.counts.setText(expected_message(exc) or unexpected_text())
        show_failure(self, exc)

    def _on_filter_changed(self, _index: int = 0) -> None:
        if self.flow.plan is None:
            return
        fate = self.filter.currentData()
        rows = self.flow.plan.preview.rows
        self.model.set_rows(rows if fate is None else [r for r in rows if r.fate is fate])
        self.table.resizeColumnsToContents()

    def isComplete(self) -> bool:
        return self.flow.writable() > 0

    def validatePage(self) -> bool:
        return dialogs.confirm(
            self,
            self.tr("导入"),
            self.tr("将写入 {0} 户（新增与更新）。被拒绝的行不会导入。继续吗？").format(
                self.flow.writable()
            ),
        )


class ImportPage(QWizardPage):
    imported = Signal(object)  # ImportResult

    def __init__(self, flow: ImportFlow, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self._runner = runner
        self.setTitle(self.tr("导入"))
        self.setSubTitle(self.tr("全部写入或全部不写入；取消时数据库保持原样。"))
        self.bar = QProgressBar(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.bar.setRange(0, 0)
        self.status.setText(self.tr("正在导入…"))
        task = self._runner.run(
            self.flow.commit_job(),
            writes=True,
            label=self.tr("正在导入花名册…"),
            parent_widget=self.wizard(),
        )
        self.task = task
        if task.waiting:  # another page's writing job runs: this one starts after it
            self.status.setText(waiting_text())
            task.started.connect(lambda: self.status.setText(self.tr("正在导入…")))
        task.progressed.connect(self._on_progressed)
        task.finished.connect(self._on_finished)
        task.failed.connect(self._on_failed)

    def _on_progressed(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _on_finished(self, result: ImportResult) -> None:
        self.flow.commit_done(result)
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.completeChanged.emit()
        self.imported.emit(result)
        self.wizard().next()

    def _on_failed(self, exc: object) -> None:
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        message = expected_message(exc)
        if message is None:  # a bug: the crash dialog, not its raw text on the page
            report_bug(exc)
        self.status.setText((message or unexpected_text()) + self.tr(" 可点“上一步”返回预览。"))

    def isComplete(self) -> bool:
        return self.flow.result is not None


class SummaryPage(QWizardPage):
    def __init__(self, flow: ImportFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.setTitle(self.tr("导入完成"))
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.save_rejects = QPushButton(self.tr("保存未导入的行…"), self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.save_rejects, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.save_rejects.clicked.connect(self._on_save_rejects_clicked)

    def initializePage(self) -> None:
        r = self.flow.result
        assert r is not None
        text = self.tr(
            "已导入：新增 {0} 户，更新 {1} 户；{2} 户不变。新建楼院 {3} 个、楼栋 {4} 栋。"
        ).format(r.created, r.updated, r.unchanged, r.created_compounds, r.created_buildings)
        if r.rejected:
            text += self.tr(
                "<br><b>{0} 行未导入</b>：请保存这些行（含行号和原因），改正后再次导入。"
            ).format(r.rejected)
        self.text.setText(text)
        self.save_rejects.setEnabled(r.rejected > 0)

    def _on_save_rejects_clicked(self) -> None:
        suggested = str(self.flow.rejects_name())
        out = dialogs.save_file(self, self.tr("保存未导入的行"), suggested, "Excel (*.xlsx)")
        if not out:
            return
        try:
            count = self.flow.write_rejects(Path(out))
        except AppError as exc:
            dialogs.error(self, exc.message)
            return
        self.text.setText(self.text.text() + self.tr("<br>已保存 {0} 行到 {1}").format(count, out))
