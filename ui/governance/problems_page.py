"""问题台账: the problem ledger with filters, the status flow, closure figures, export and print."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.governance.dto import STATUSES, ClosureRow, ProblemFilter, ProblemRow
from app.services import Services
from ui import dialogs
from ui.errors import show_failure
from ui.governance.categories_dialog import CategoriesDialog
from ui.governance.pdf import show_pdf
from ui.governance.problem_dialog import CloseDialog, ProblemDialog
from ui.governance.rows_model import Column, RowsModel
from ui.latest_read import LatestRead
from ui.table_views import EnterFilter, make_table
from ui.tasks import Job, Task, TaskRunner
from ui.widgets import select_data

PROBLEM_COLUMNS: list[Column[ProblemRow]] = [
    Column("类别", lambda r: r.category),
    Column("楼院", lambda r: r.compound_name),
    Column("位置", lambda r: r.location),
    Column("问题描述", lambda r: r.description),
    Column("上报人", lambda r: r.reporter),
    Column("上报日期", lambda r: r.reported_on),
    Column("网格员", lambda r: r.handler),
    Column("办理时限", lambda r: r.deadline),
    Column("状态", lambda r: r.status + ("（逾期）" if r.overdue else "")),
    Column("办理结果", lambda r: r.resolution),
    Column("办结日期", lambda r: r.closed_on),
]
CLOSURE_COLUMNS: list[Column[ClosureRow]] = [
    Column("名称", lambda r: r.name),
    Column("问题数", lambda r: r.total, True),
    Column("已办结", lambda r: r.closed, True),
    Column("未办结", lambda r: r.open, True),
    Column("逾期", lambda r: r.overdue, True),
    Column("办结率(%)", lambda r: r.rate, True),
    Column("平均办理天数", lambda r: r.average_days, True),
]


class ProblemsPage(QWidget):
    """The ledger: filter bar, table, flow buttons, and 办结率 by category/compound/grid."""

    def __init__(
        self, services: Services, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._gov = services.governance
        self.runner = runner
        self._build_filters()
        self._build_buttons()
        self.model: RowsModel[ProblemRow] = RowsModel(PROBLEM_COLUMNS, lambda r: r.overdue, self)
        self.table = make_table(self)
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self._on_edit_button_clicked)
        EnterFilter(self.table, self._on_edit_button_clicked)
        for col, width in enumerate((110, 130, 110, 220, 70, 90, 70, 90, 100, 200)):
            self.table.setColumnWidth(col, width)
        self.figures_label = QLabel(self)
        self.figures_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.group_combo = QComboBox(self)
        for title, key in (("按类别", "category"), ("按楼院", "compound"), ("按网格", "grid")):
            self.group_combo.addItem(self.tr(title), key)
        self.group_combo.currentIndexChanged.connect(self._reload_closure)
        self.closure_model: RowsModel[ClosureRow] = RowsModel(CLOSURE_COLUMNS, parent=self)
        self.closure_table = make_table(self)
        self.closure_table.setModel(self.closure_model)
        self.closure_table.setColumnWidth(0, 220)
        self._layout()
        # The first reading (choices, ledger, closure figures) in the background: the page
        # says 正在载入 meanwhile, and a reload asked for before it lands replaces it.
        self._first_read: LatestRead | None = LatestRead(runner, self)
        self._first_read.landed.connect(self._on_first_read_landed)
        self._first_read.failed.connect(self._on_first_read_failed)
        self.figures_label.setText(self.tr("正在载入……"))
        self._set_enabled(False)
        gov, compounds = self._gov, self._services.compounds
        flt, group = self.current_filter(), self.group_combo.currentData()
        self._first_read.start(
            lambda: (
                (gov.problems.categories(), compounds.choices(), compounds.grids()),
                gov.problems.list_problems(flt),
                self._closure_rows(group),
            )
        )

    def loading(self) -> bool:
        """True until the first reading has landed."""
        return self._first_read is not None

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.add_button, self.export_button, self.print_button):
            widget.setEnabled(enabled)
        if enabled:
            self._update_buttons()
        else:
            for widget in (self.edit_button, self.start_button, self.close_button):
                widget.setEnabled(False)
            for widget in (self.reopen_button, self.delete_button):
                widget.setEnabled(False)

    def _first_read_done(self) -> None:
        if self._first_read is not None:
            self._first_read.deleteLater()
            self._first_read = None
            self._set_enabled(True)

    def _on_first_read_landed(self, data: object) -> None:
        choices, rows, closure = cast("tuple[Any, Any, Any]", data)
        self._first_read_done()
        self._fill_choices(*choices)
        self._show_rows(rows, None)
        self.closure_model.set_rows(closure)

    def _on_first_read_failed(self, exc: object) -> None:
        self._first_read_done()
        self.figures_label.setText(self.tr("载入失败"))
        show_failure(self, exc)

    # -- building ----------------------------------------------------------------------------

    def _build_filters(self) -> None:
        self.status_combo = QComboBox(self)
        self.status_combo.addItem(self.tr("全部状态"), "")
        for status in STATUSES:
            self.status_combo.addItem(status, status)
        self.category_combo = QComboBox(self)
        self.compound_combo = QComboBox(self)
        self.grid_combo = QComboBox(self)
        # Filled once the first reading lands: sized for a few characters, not for their
        # contents at first show (when they were still empty); the list shows whole names.
        for combo, chars in (
            (self.category_combo, 6),
            (self.compound_combo, 8),
            (self.grid_combo, 8),
        ):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(chars)
        self.overdue_check = QCheckBox(self.tr("只看逾期"), self)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("搜索位置、描述、上报人"))
        self.search_edit.setClearButtonEnabled(True)
        for combo in (self.status_combo, self.category_combo, self.compound_combo, self.grid_combo):
            combo.currentIndexChanged.connect(self.reload)
        self.overdue_check.toggled.connect(self.reload)
        self.search_edit.returnPressed.connect(self.reload)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)

    def _build_buttons(self) -> None:
        self.add_button = QPushButton(self.tr("登记问题"), self)
        self.edit_button = QPushButton(self.tr("修改"), self)
        self.start_button = QPushButton(self.tr("受理"), self)
        self.close_button = QPushButton(self.tr("办结销号"), self)
        self.reopen_button = QPushButton(self.tr("重新办理"), self)
        self.delete_button = QPushButton(self.tr("删除"), self)
        self.export_button = QPushButton(self.tr("导出Excel…"), self)
        self.print_button = QPushButton(self.tr("打印台账…"), self)
        self.categories_button = QPushButton(self.tr("问题类别…"), self)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.close_button.clicked.connect(self._on_close_button_clicked)
        self.reopen_button.clicked.connect(self._on_reopen_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.categories_button.clicked.connect(self._on_categories_button_clicked)

    def _layout(self) -> None:
        filters = QHBoxLayout()
        for widget in (
            self.status_combo,
            self.category_combo,
            self.compound_combo,
            self.grid_combo,
            self.overdue_check,
        ):
            filters.addWidget(widget)
        filters.addWidget(self.search_edit, 1)
        buttons = QHBoxLayout()
        for b in (
            self.add_button,
            self.edit_button,
            self.start_button,
            self.close_button,
            self.reopen_button,
            self.delete_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.categories_button, self.export_button, self.print_button):
            buttons.addWidget(b)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(QLabel(self.tr("办结情况"), self))
        head.addWidget(self.group_combo)
        head.addStretch(1)
        bottom_layout.addLayout(head)
        bottom_layout.addWidget(self.closure_table)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        layout.addWidget(self.figures_label)

    # -- data --------------------------------------------------------------------------------

    def reload_choices(self) -> None:
        """Fill the category, compound and grid filters (keeping the current choices)."""
        compounds = self._services.compounds
        self._fill_choices(self._gov.problems.categories(), compounds.choices(), compounds.grids())

    def _fill_choices(self, categories: Any, compounds: Any, grids: Any) -> None:
        keep = (
            self.category_combo.currentData(),
            self.compound_combo.currentData(),
            self.grid_combo.currentData(),
        )
        combos = (self.category_combo, self.compound_combo, self.grid_combo)
        for combo in combos:
            combo.blockSignals(True)
            combo.clear()
        self.category_combo.addItem(self.tr("全部类别"), None)
        for c in categories:
            self.category_combo.addItem(c.name, c.id)
        self.compound_combo.addItem(self.tr("全部楼院"), None)
        for row in compounds:
            self.compound_combo.addItem(row.name, row.id)
        self.grid_combo.addItem(self.tr("全部网格"), None)
        for g in grids:
            self.grid_combo.addItem("　" * (g.level - 1) + g.name, g.id)
        for combo, value in zip(combos, keep, strict=True):
            select_data(combo, value)
            combo.blockSignals(False)

    def current_filter(self) -> ProblemFilter:
        return ProblemFilter(
            status=self.status_combo.currentData() or "",
            category_id=self.category_combo.currentData(),
            compound_id=self.compound_combo.currentData(),
            grid_id=self.grid_combo.currentData(),
            overdue=self.overdue_check.isChecked(),
            text=self.search_edit.text(),
        )

    def show_filtered(
        self, *, category_id: int | None = None, status: str = "", overdue: bool = False
    ) -> None:
        """Show the ledger filtered (the dashboard's bars open this)."""
        self.reload_choices()
        for combo in (self.status_combo, self.category_combo, self.compound_combo, self.grid_combo):
            combo.blockSignals(True)
        select_data(self.status_combo, status)
        select_data(self.category_combo, category_id)
        self.compound_combo.setCurrentIndex(0)
        self.grid_combo.setCurrentIndex(0)
        for combo in (self.status_combo, self.category_combo, self.compound_combo, self.grid_combo):
            combo.blockSignals(False)
        self.overdue_check.blockSignals(True)
        self.overdue_check.setChecked(overdue)
        self.overdue_check.blockSignals(False)
        self.search_edit.clear()
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        if self._first_read is not None:  # asked for before the first reading landed
            self._first_read_done()
            self.reload_choices()
        keep = select_id if isinstance(select_id, int) else self.selected_id()
        self._show_rows(self._gov.problems.list_problems(self.current_filter()), keep)
        self._reload_closure()

    def _show_rows(self, rows: list[ProblemRow], keep: int | None) -> None:
        self.model.set_rows(rows)
        for n, r in enumerate(rows):
            if r.id == keep:
                self.table.selectRow(n)
                break
        closed = sum(1 for r in rows if r.status == "已办结")
        overdue = sum(1 for r in rows if r.overdue)
        rate = f"{closed * 100 / len(rows):.1f}" if rows else "0.0"
        self.figures_label.setText(
            self.tr("共 {0} 件，已办结 {1} 件，办结率 {2}%，逾期未办结 {3} 件").format(
                len(rows), closed, rate, overdue
            )
        )
        self._update_buttons()

    def _reload_closure(self) -> None:
        if self._first_read is not None:  # another grouping before the first reading landed
            self.reload()
            return
        self.closure_model.set_rows(self._closure_rows(self.group_combo.currentData()))

    def _closure_rows(self, key: str) -> list[ClosureRow]:
        figures = self._gov.figures
        if key == "compound":
            rows = figures.closure_by_compound()
        elif key == "grid":
            rolls = figures.grid_rollups()
            rows = [r.problems for r in rolls]
            paths = {r.grid_id: r.path for r in rolls}
            rows = [
                ClosureRow(r.key, paths[r.key], r.total, r.closed, r.overdue, r.closed_days)
                for r in rows
            ]
        else:
            rows = figures.closure_by_category()
        return rows

    def selected(self) -> ProblemRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.model.row_at(indexes[0].row()) if indexes else None

    def selected_id(self) -> int | None:
        row = self.selected()
        return row.id if row else None

    def _update_buttons(self) -> None:
        row = self.selected()
        status = row.status if row else ""
        self.edit_button.setEnabled(row is not None)
        self.delete_button.setEnabled(row is not None)
        self.start_button.setEnabled(status == "待处理")
        self.close_button.setEnabled(status == "处理中")
        self.reopen_button.setEnabled(status == "已办结")

    # -- slots -------------------------------------------------------------------------------

    def _on_search_edit_text_changed(self, text: str) -> None:
        if not text:
            self.reload()

    def _on_add_button_clicked(self) -> None:
        dialog = ProblemDialog(self._services, None, self)
        if dialog.exec():
            self.reload(dialog.saved_id)

    def _on_edit_button_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = ProblemDialog(self._services, row, self)
        if dialog.exec():
            self.reload(row.id)

    def _run(self, action: str, row_id: int) -> None:
        try:
            if action == "start":
                self._gov.problems.start(row_id)
            elif action == "delete":
                self._gov.problems.delete(row_id)
        except AppError as exc:
            dialogs.error(self, exc.message)
        self.reload(row_id)

    def _on_start_button_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self._run("start", row.id)

    def _on_close_button_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = CloseDialog(self._services, row, self)
        if dialog.exec():
            self.reload(row.id)

    def _on_reopen_button_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        reason = dialogs.ask_text(self, self.tr("重新办理"), self.tr("重新办理的原因："))
        if reason is None:
            return
        try:
            self._gov.problems.reopen(row.id, reason)
        except AppError as exc:
            dialogs.error(self, exc.message)
        self.reload(row.id)

    def _on_delete_button_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        question = self.tr("删除问题“{0}：{1}”？此操作不能撤销。").format(
            row.category, row.description
        )
        if dialogs.confirm(self, self.tr("删除问题"), question):
            self._run("delete", row.id)

    def _on_export_button_clicked(self) -> None:
        path = dialogs.save_file(
            self, self.tr("导出问题台账"), "楼院问题台账.xlsx", self.tr("Excel 文件 (*.xlsx)")
        )
        if not path:
            return
        gov, flt = self._gov, self.current_filter()
        task = self._start(
            lambda progress, cancelled: gov.export_problems(path, flt, progress, cancelled),
            self.tr("正在导出问题台账…"),
        )
        if task is not None:
            task.finished.connect(
                lambda count: dialogs.info(
                    self, self.tr("已导出 {0} 条问题到 {1}").format(count, path)
                )
            )

    def _on_print_button_clicked(self) -> None:
        path = Path(tempfile.mkdtemp(prefix="louyuan-")) / "楼院问题台账.pdf"
        gov, flt, scope = self._gov, self.current_filter(), self._scope_text()
        task = self._start(
            lambda progress, cancelled: gov.print_ledger(path, flt, scope, progress, cancelled),
            self.tr("正在生成问题台账…"),
        )
        if task is not None:
            task.finished.connect(lambda _pages: show_pdf(path, self.tr("楼院问题台账"), self))

    def _start(self, job: Job, label: str) -> Task | None:
        """Run a paper job off the GUI thread (progress dialog with Cancel)."""
        task = self.runner.run(job, label=label, parent_widget=self)
        task.failed.connect(lambda e: show_failure(self, e))
        return task

    def _scope_text(self) -> str:
        parts = [
            combo.currentText()
            for combo in (
                self.compound_combo,
                self.grid_combo,
                self.category_combo,
                self.status_combo,
            )
            if combo.currentIndex() > 0
        ]
        if self.overdue_check.isChecked():
            parts.append(self.tr("逾期"))
        return "、".join(p.strip() for p in parts) or self.tr("全部楼院")

    def _on_categories_button_clicked(self) -> None:
        CategoriesDialog(self._services, self).exec()
        self.reload_choices()
        self.reload()
