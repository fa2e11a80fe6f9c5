"""The audit log, newest first, loaded a page at a time as the view scrolls."""

from __future__ import annotations

import enum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.audit_query import AuditFilter, AuditQueryService, AuditRow

Index = QModelIndex | QPersistentModelIndex
PAGE = 200


class AuditColumn(enum.IntEnum):
    AT = 0
    USER = 1
    ACTION = 2
    ENTITY = 3
    ENTITY_ID = 4
    BEFORE = 5
    AFTER = 6
    NOTE = 7


HEADERS = ("时间", "用户", "操作", "对象", "编号", "修改前", "修改后", "备注")


def _text(r: AuditRow, column: AuditColumn) -> str:
    values = {
        AuditColumn.AT: f"{r.at:%Y-%m-%d %H:%M:%S}",
        AuditColumn.USER: r.username,
        AuditColumn.ACTION: r.action_label,
        AuditColumn.ENTITY: r.entity_label,
        AuditColumn.ENTITY_ID: "" if r.entity_id is None else str(r.entity_id),
        AuditColumn.BEFORE: r.before_text,
        AuditColumn.AFTER: r.after_text,
        AuditColumn.NOTE: r.note,
    }
    return values[column]


class AuditTableModel(QAbstractTableModel):
    def __init__(self, service: AuditQueryService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._filter = AuditFilter()
        self._rows: list[AuditRow] = []
        self.total = 0

    def set_filter(self, flt: AuditFilter) -> None:
        """A new query: the first page and the number of matches."""
        page = self._service.page(flt, 0, PAGE)
        self.beginResetModel()
        self._filter = flt
        self._rows = page.rows
        self.total = page.total
        self.endResetModel()

    def row_at(self, row: int) -> AuditRow:
        return self._rows[row]

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and len(self._rows) < self.total

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        page = self._service.page(self._filter, len(self._rows), PAGE)
        if not page.rows:
            self.total = len(self._rows)
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(page.rows) - 1)
        self._rows.extend(page.rows)
        self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(AuditColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _text(self._rows[index.row()], AuditColumn(index.column()))
        return None
