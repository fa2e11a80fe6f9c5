"""The residents of one household while it is being edited (a short, in-memory list)."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from app.registry.dto import ResidentInput
from app.registry.validation import FieldError, birth_date_of, clean_id_number, gender_of
from ui.models import ID_ROLE, ROW_ROLE, SORT_ROLE

Index = QModelIndex | QPersistentModelIndex


class ResidentColumn(enum.IntEnum):
    NAME = 0
    GENDER = enum.auto()
    ID_NUMBER = enum.auto()
    BIRTH_DATE = enum.auto()
    PHONE = enum.auto()
    RELATION = enum.auto()
    TAGS = enum.auto()


HEADERS = {
    ResidentColumn.NAME: "姓名",
    ResidentColumn.GENDER: "性别",
    ResidentColumn.ID_NUMBER: "身份证号",
    ResidentColumn.BIRTH_DATE: "出生日期",
    ResidentColumn.PHONE: "电话",
    ResidentColumn.RELATION: "与户主关系",
    ResidentColumn.TAGS: "标签",
}


def derived_gender(resident: ResidentInput) -> str:
    """The gender the ID number implies, else the one entered by hand."""
    try:
        return gender_of(clean_id_number(resident.id_number))
    except FieldError:
        return resident.gender


def derived_birth_date(resident: ResidentInput) -> str:
    try:
        birth = birth_date_of(clean_id_number(resident.id_number))
    except FieldError:
        return ""
    return birth.isoformat() if birth else ""


class ResidentModel(QAbstractTableModel):
    """Rows are `ResidentInput`s; ROW_ROLE gives the whole DTO."""

    def __init__(self, residents: list[ResidentInput] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ResidentInput] = list(residents or [])

    def set_residents(self, residents: list[ResidentInput]) -> None:
        self.beginResetModel()
        self._rows = list(residents)
        self.endResetModel()

    def residents(self) -> list[ResidentInput]:
        return list(self._rows)

    def resident(self, row: int) -> ResidentInput:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ResidentColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(ResidentColumn)
        ):
            return QCoreApplication.translate("ResidentModel", HEADERS[ResidentColumn(section)])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        resident = self._rows[index.row()]
        column = ResidentColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return self._display(resident, column)
        if role == Qt.ItemDataRole.ToolTipRole and column is ResidentColumn.TAGS:
            return self._display(resident, column) or None
        if role == ROW_ROLE:
            return resident
        if role == ID_ROLE:
            return resident.id
        return None

    @staticmethod
    def _display(resident: ResidentInput, column: ResidentColumn) -> str:
        values = {
            ResidentColumn.NAME: lambda: resident.name,
            ResidentColumn.GENDER: lambda: derived_gender(resident),
            ResidentColumn.ID_NUMBER: lambda: resident.id_number,
            ResidentColumn.BIRTH_DATE: lambda: derived_birth_date(resident),
            ResidentColumn.PHONE: lambda: resident.phone,
            ResidentColumn.RELATION: lambda: resident.relation,
            ResidentColumn.TAGS: lambda: "、".join(resident.tags),
        }
        return values[column]()

    def append(self, resident: ResidentInput) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(resident)
        self.endInsertRows()
        return row

    def replace(self, row: int, resident: ResidentInput) -> None:
        self._rows[row] = resident
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(ResidentColumn) - 1))

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
