"""The import preview: one row per file row, coloured by fate, loaded in pages."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.roster.dto import Fate, RowPreview

PAGE = 500
Index = QModelIndex | QPersistentModelIndex

FATE_COLOURS = {
    Fate.NEW: "#E2F0D9",
    Fate.UPDATE: "#DDEBF7",
    Fate.UNCHANGED: "#FFFFFF",
    Fate.SKIPPED: "#EDEDED",
    Fate.REJECTED: "#F8D7DA",
}


class Column(enum.Enum):
    WHERE = "位置"
    FATE = "结果"
    COMPOUND = "楼院"
    LOCATION = "楼号/单元/房号"
    NAME = "户主"
    ID_NUMBER = "身份证号"
    PHONE = "电话"
    AREA = "面积"
    NOTE = "原因/提醒"


COLUMNS = tuple(Column)
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


def _tr(text: str) -> str:
    return QCoreApplication.translate("RosterPreviewModel", text)


def note_of(row: RowPreview) -> str:
    parts = [f"[{row.column}] {row.reason}" if row.column else row.reason]
    parts += list(row.warnings)
    return "；".join(p for p in parts if p)


class RosterPreviewModel(QAbstractTableModel):
    """Rows of an import preview; `fetchMore` hands them to the view a page at a time."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: Sequence[RowPreview] = ()
        self._loaded = 0

    def set_rows(self, rows: Sequence[RowPreview]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._loaded = min(PAGE, len(rows))
        self.endResetModel()

    def total(self) -> int:
        return len(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._loaded

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._loaded < len(self._rows)

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        more = min(PAGE, len(self._rows) - self._loaded)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._loaded, self._loaded + more - 1)
        self._loaded += more
        self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _tr(COLUMNS[section].value)
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < self._loaded:
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        value: object = None
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._text(row, column)
        elif role == Qt.ItemDataRole.BackgroundRole:
            value = QBrush(QColor(FATE_COLOURS[row.fate]))
        elif role == Qt.ItemDataRole.ForegroundRole:
            value = QBrush(QColor("#000000"))
        elif role == Qt.ItemDataRole.ToolTipRole and column is Column.NOTE:
            value = note_of(row) or None
        elif role == ROW_ROLE:
            value = row
        return value

    @staticmethod
    def _text(row: RowPreview, column: Column) -> str:
        return TEXTS[column](row)


def _location(row: RowPreview) -> str:
    if not row.room:
        return ""
    building = f"{row.building}号楼" if row.building else ""
    unit = f"{row.unit}单元" if row.unit else ""
    return f"{building}{unit}{row.room}"


TEXTS: dict[Column, Callable[[RowPreview], str]] = {
    Column.WHERE: lambda r: f"{r.sheet} 第{r.row}行",
    Column.FATE: lambda r: _tr(r.fate.value) + ("⚠" if r.warnings else ""),
    Column.COMPOUND: lambda r: r.compound,
    Column.LOCATION: _location,
    Column.NAME: lambda r: r.name,
    Column.ID_NUMBER: lambda r: r.id_number,
    Column.PHONE: lambda r: r.phone,
    Column.AREA: lambda r: f"{r.area:.2f}" if r.area is not None else "",
    Column.NOTE: note_of,
}
