"""The compound list: a small table, all rows held in memory."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from app.registry.dto import CompoundRow
from ui.models import ID_ROLE, ROW_ROLE, SORT_ROLE

Index = QModelIndex | QPersistentModelIndex


class CompoundColumn(enum.Enum):
    """Columns in display order: (header, CompoundRow attribute)."""

    NAME = ("楼院名称", "name")
    COMMUNITY = ("社区", "community_name")
    GRID = ("网格", "grid_name")
    MODE = ("管理模式", "management_mode")
    MANAGER = ("管理方", "manager_name")
    HEAD = ("楼院长", "head_name")
    BUILDINGS = ("楼栋", "buildings")
    HOUSEHOLDS = ("住户", "households")
    RESIDENTS = ("居民", "residents")

    @property
    def title(self) -> str:
        return QCoreApplication.translate("CompoundTableModel", self.value[0])

    @property
    def attr(self) -> str:
        return self.value[1]

    @property
    def numeric(self) -> bool:
        return self in (
            CompoundColumn.BUILDINGS,
            CompoundColumn.HOUSEHOLDS,
            CompoundColumn.RESIDENTS,
        )


COLUMNS = list(CompoundColumn)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class CompoundTableModel(QAbstractTableModel):
    """Rows of `CompoundService.list_compounds`; the service sorts them."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CompoundRow] = []
        self._counted = True  # False while the rows' figures are being counted

    # -- Qt interface ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        value = getattr(row, column.attr)
        if column.numeric and not self._counted:
            value = None
        text = "…" if value is None else str(value)
        by_role: dict[int, Any] = {
            # A grid's path is long; the cell shows its last part and the tooltip the path.
            Qt.ItemDataRole.DisplayRole: text.rsplit(" / ", 1)[-1],
            Qt.ItemDataRole.ToolTipRole: text if value is not None else self.tr("正在统计……"),
            SORT_ROLE: value,
            ROW_ROLE: row,
            ID_ROLE: row.id,
            Qt.ItemDataRole.TextAlignmentRole: _RIGHT if column.numeric else None,
        }
        return by_role.get(role)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[section].numeric:
            return _RIGHT
        return None

    # -- our interface --------------------------------------------------------------------

    def set_rows(self, rows: Sequence[CompoundRow], counted: bool = True) -> None:
        """Show a new query's rows; same ids in the same order only update the cells.

        `counted=False`: the rows' buildings, households and residents are still being
        counted; those cells show "…" until rows with their figures are set."""
        rows = list(rows)
        self._counted = counted
        if [r.id for r in rows] == [r.id for r in self._rows] and rows:
            self._rows = rows
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def compound_ids(self) -> list[int]:
        """The compounds listed, in the list's order."""
        return [r.id for r in self._rows]

    def compound_at(self, row: int) -> CompoundRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, compound_id: int) -> int:
        """The row showing this compound, or -1."""
        for n, r in enumerate(self._rows):
            if r.id == compound_id:
                return n
        return -1

    def counted(self) -> bool:
        """False while the rows' figures are being counted."""
        return self._counted

    def totals(self) -> tuple[int, int | None, int | None]:
        """Compounds, households and residents of the rows shown (None while counting)."""
        if not self._counted:
            return len(self._rows), None, None
        return (
            len(self._rows),
            sum(r.households for r in self._rows),
            sum(r.residents for r in self._rows),
        )
