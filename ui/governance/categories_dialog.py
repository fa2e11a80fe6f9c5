"""问题类别: the editable category list (add, rename, delete unused)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.governance.dto import CategoryRow
from app.services import Services
from ui import dialogs
from ui.governance.rows_model import Column, RowsModel
from ui.table_views import make_table


class CategoriesDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("问题类别"))
        self._problems = services.governance.problems
        self.model: RowsModel[CategoryRow] = RowsModel(
            [Column("类别", lambda r: r.name), Column("问题数", lambda r: r.problems, True)],
            parent=self,
        )
        self.table = make_table(self)
        self.table.setModel(self.model)
        self.table.setColumnWidth(0, 200)
        self.add_button = QPushButton(self.tr("新增…"), self)
        self.rename_button = QPushButton(self.tr("改名…"), self)
        self.delete_button = QPushButton(self.tr("删除"), self)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.rename_button.clicked.connect(self._on_rename_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        for b in (self.add_button, self.rename_button, self.delete_button):
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table)
        layout.addWidget(close)
        self.resize(360, 420)
        self._reload()

    def _reload(self) -> None:
        self.model.set_rows(self._problems.categories())

    def _selected(self) -> CategoryRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _try(self, action: str, category: CategoryRow | None, name: str = "") -> None:
        try:
            if action == "add":
                self._problems.add_category(name)
            elif category is not None and action == "rename":
                self._problems.rename_category(category.id, name)
            elif category is not None:
                self._problems.delete_category(category.id)
        except AppError as exc:
            dialogs.error(self, exc.message)
        self._reload()

    def _on_add_button_clicked(self) -> None:
        name = dialogs.ask_text(self, self.tr("新增类别"), self.tr("类别名称："))
        if name is not None:
            self._try("add", None, name)

    def _on_rename_button_clicked(self) -> None:
        category = self._selected()
        if category is None:
            return
        name = dialogs.ask_text(self, self.tr("类别改名"), self.tr("新名称："), category.name)
        if name is not None:
            self._try("rename", category, name)

    def _on_delete_button_clicked(self) -> None:
        category = self._selected()
        if category is not None:
            self._try("delete", category)
