"""The users table of the user administration dialog (a handful of rows)."""

from __future__ import annotations

import datetime as dt
import enum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.users.dto import UserRow

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class UserColumn(enum.IntEnum):
    USERNAME = 0
    DISPLAY_NAME = 1
    ROLE = 2
    STATE = 3


HEADERS = {
    UserColumn.USERNAME: "用户名",
    UserColumn.DISPLAY_NAME: "姓名",
    UserColumn.ROLE: "角色",
    UserColumn.STATE: "状态",
}


class UserTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[UserRow] = []

    def set_rows(self, rows: list[UserRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> UserRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(UserColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[UserColumn(section)])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        u = self._rows[index.row()]
        if role == ROW_ROLE:
            return u
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = UserColumn(index.column())
        texts = {
            UserColumn.USERNAME: u.username,
            UserColumn.DISPLAY_NAME: u.display_name,
            UserColumn.ROLE: u.role_label,
        }
        return texts.get(column) if column in texts else self._state(u)

    def _state(self, u: UserRow) -> str:
        if not u.active:
            return self.tr("已停用")
        if u.locked_at(dt.datetime.now()) and u.locked_until is not None:
            return self.tr("锁定至 {0}").format(u.locked_until.strftime("%H:%M"))
        return self.tr("正常")
