"""网格: the grid tree with its workers and every figure rolled up; the compounds of a grid.

Both are read in the background (a district's roll-up takes a while): the page says 正在载入
meanwhile, and a grid the clerk has left before its compounds came in is not shown."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QSplitter, QTreeView, QVBoxLayout, QWidget

from app.governance.dto import GridRollup
from app.registry.dto import CompoundFilter, CompoundRow
from app.services import Services
from app.text import mask_phone
from ui.errors import show_failure
from ui.governance.rows_model import Column, RowsModel, show
from ui.latest_read import LatestRead
from ui.table_views import make_table
from ui.tasks import TaskRunner

GRID_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TREE_COLUMNS = (
    ("网格", lambda r: f"{r.name}（专属网格）" if r.exclusive else r.name),
    ("网格员", lambda r: r.worker_name),
    ("电话", lambda r: mask_phone(r.worker_phone)),
    ("楼院", lambda r: r.compounds),
    ("住户", lambda r: r.households),
    ("居民", lambda r: r.residents),
    ("三类组织全覆盖", lambda r: r.complete_coverage),
    ("问题", lambda r: r.problems.total),
    ("已办结", lambda r: r.problems.closed),
    ("办结率(%)", lambda r: r.problems.rate),
    ("平均天数", lambda r: r.problems.average_days),
    ("逾期", lambda r: r.problems.overdue),
)
COMPOUND_COLUMNS: list[Column[CompoundRow]] = [
    Column("楼院", lambda r: r.name),
    Column("所在网格", lambda r: r.grid_name),
    Column("管理模式", lambda r: r.management_mode),
    Column("楼院长", lambda r: r.head_name),
    Column("楼栋", lambda r: r.buildings, True),
    Column("住户", lambda r: r.households, True),
    Column("居民", lambda r: r.residents, True),
]


class GridsPage(QWidget):
    def __init__(
        self, services: Services, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._rolls: list[GridRollup] | None = None
        self._rollups_read = LatestRead(runner, self)
        self._rollups_read.landed.connect(self._on_rollups_landed)
        self._rollups_read.failed.connect(self._on_failed)
        self._compounds_read = LatestRead(runner, self)
        self._compounds_read.landed.connect(self._on_compounds_landed)
        self._compounds_read.failed.connect(self._on_failed)
        self.status_label = QLabel(self)
        self.tree_model = QStandardItemModel(self)
        self.tree_model.setHorizontalHeaderLabels([self.tr(t) for t, _ in TREE_COLUMNS])
        self.tree = QTreeView(self)
        self.tree.setModel(self.tree_model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.tree.setColumnWidth(0, 260)
        self.tree.selectionModel().selectionChanged.connect(self._on_tree_selection_changed)
        self.compound_model: RowsModel[CompoundRow] = RowsModel(COMPOUND_COLUMNS, parent=self)
        self.compound_table = make_table(self)
        self.compound_table.setModel(self.compound_model)
        self.compound_table.setColumnWidth(0, 160)
        self.compound_table.setColumnWidth(1, 320)
        self.compounds_label = QLabel(self)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.compounds_label)
        bottom_layout.addWidget(self.compound_table)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.tree)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr("网格树（一级/二级/三级网格、微网格）：各项数字含下级网格内的全部楼院"),
                self,
            )
        )
        layout.addWidget(self.status_label)
        layout.addWidget(split, 1)
        self.reload()

    def busy(self) -> bool:
        return self._rollups_read.busy() or self._compounds_read.busy()

    def reload(self) -> None:
        """Count again in the background; the tree shown stays until the new figures land."""
        figures = self._services.governance.figures
        self.status_label.setText(self.tr("正在载入……"))
        self.status_label.show()
        self._rollups_read.start(figures.grid_rollups)

    def _on_failed(self, exc: object) -> None:
        self.status_label.hide()
        show_failure(self, exc)

    def _on_rollups_landed(self, rolls: object) -> None:
        assert isinstance(rolls, list)
        self.status_label.hide()
        if rolls == self._rolls:
            return  # unchanged figures keep the tree and the grid selected
        self._rolls = rolls
        self.tree_model.removeRows(0, self.tree_model.rowCount())
        items: dict[int, QStandardItem] = {}
        for r in rolls:  # parents come before their children (tree order)
            row = [self._cell(r, value) for _, value in TREE_COLUMNS]
            parent = items.get(r.parent_id) if r.parent_id else None
            (parent or self.tree_model.invisibleRootItem()).appendRow(row)
            items[r.grid_id] = row[0]
        self.tree.expandToDepth(1)
        if self.tree_model.rowCount():
            self.tree.setCurrentIndex(self.tree_model.index(0, 0))

    @staticmethod
    def _cell(r: GridRollup, value: object) -> QStandardItem:
        item = QStandardItem(show(value(r)) if callable(value) else "")
        item.setData(r.grid_id, GRID_ID_ROLE)
        if r.problems.overdue and callable(value) and value is TREE_COLUMNS[-1][1]:
            item.setForeground(Qt.GlobalColor.red)
        return item

    def selected_grid(self) -> int | None:
        index = self.tree.currentIndex()
        value = index.siblingAtColumn(0).data(GRID_ID_ROLE) if index.isValid() else None
        return int(value) if value is not None else None

    def _on_tree_selection_changed(self) -> None:
        """Read the grid's compounds in the background; the last grid selected wins."""
        gid = self.selected_grid()
        self.compound_model.set_rows([])
        if gid is None:
            self.compounds_label.clear()
            return
        name = self.tree.currentIndex().siblingAtColumn(0).data()
        self.compounds_label.setText(self.tr("{0}：正在载入……").format(name))
        compounds = self._services.compounds
        self._compounds_read.start(
            lambda: (name, compounds.list_compounds(CompoundFilter(grid_id=gid)))
        )

    def _on_compounds_landed(self, data: object) -> None:
        name, rows = cast("tuple[str, list[CompoundRow]]", data)
        self.compound_model.set_rows(rows)
        self.compounds_label.setText(
            self.tr("{0}：楼院 {1} 个，住户 {2} 户").format(
                name, len(rows), sum(r.households for r in rows)
            )
        )
