"""The household list: the model holds ids from one SQL query and loads rows page by page.

With the program's task runner the query runs in the background: a search over 200,000
households or a re-sort of a large result never blocks the window. The rows on screen stay
until the new ids (and their first page) arrive; a newer query cancels an older one, whose
late result is dropped. Without a runner (a model built alone) queries run at once.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Iterable
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.errors import Cancelled
from app.registry.dto import HouseholdFilter, HouseholdRow, HouseholdSort
from app.registry.households import HouseholdService
from ui.models import ID_ROLE, ROW_ROLE, SORT_ROLE
from ui.tasks import Task, TaskRunner, while_alive

logger = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 200


class HouseholdColumn(enum.Enum):
    """Columns in display order: (header, SQL sort or None when the column cannot sort)."""

    LOCATION = ("位置", HouseholdSort.LOCATION)
    COMPOUND = ("楼院", HouseholdSort.COMPOUND)
    HOUSEHOLDER = ("户主", HouseholdSort.NAME)
    AREA = ("建筑面积(㎡)", HouseholdSort.AREA)
    STATUS = ("房屋状态", HouseholdSort.STATUS)
    RESIDENTS = ("人数", None)
    PHONE = ("联系电话", None)
    ID_NUMBER = ("身份证号", None)

    @property
    def title(self) -> str:
        return QCoreApplication.translate("HouseholdTableModel", self.value[0])

    @property
    def sort(self) -> HouseholdSort | None:
        by: HouseholdSort | None = self.value[1]
        return by


COLUMNS = list(HouseholdColumn)
_NUMERIC = frozenset({HouseholdColumn.AREA, HouseholdColumn.RESIDENTS})
_ROW_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, SORT_ROLE, ROW_ROLE})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


_TEXT: dict[HouseholdColumn, Callable[[HouseholdRow], str]] = {
    HouseholdColumn.LOCATION: lambda r: r.location,
    HouseholdColumn.COMPOUND: lambda r: r.compound_name,
    HouseholdColumn.HOUSEHOLDER: lambda r: r.householder_name,
    HouseholdColumn.AREA: lambda r: f"{r.area:.2f}",
    HouseholdColumn.STATUS: lambda r: r.status,
    HouseholdColumn.RESIDENTS: lambda r: str(r.residents),
    HouseholdColumn.PHONE: lambda r: r.phone,
    HouseholdColumn.ID_NUMBER: lambda r: r.id_number_masked,
}
_RAW: dict[HouseholdColumn, Callable[[HouseholdRow], Any]] = {
    **_TEXT,
    HouseholdColumn.AREA: lambda r: r.area,
    HouseholdColumn.RESIDENTS: lambda r: r.residents,
}


def display(row: HouseholdRow, column: HouseholdColumn) -> str:
    """The text of one cell."""
    return _TEXT[column](row)


def raw(row: HouseholdRow, column: HouseholdColumn) -> Any:
    """The unformatted value of one cell (SORT_ROLE)."""
    return _RAW[column](row)


class HouseholdTableModel(QAbstractTableModel):
    """Households of one filter, sorted in SQL; rows are fetched in pages as the view asks."""

    loaded = Signal()  # the rows of the latest query (filter or sort) are listed
    failed = Signal(object)  # the latest query failed (the exception; never Cancelled)

    def __init__(
        self, service: HouseholdService, parent: Any = None, runner: TaskRunner | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._filter: HouseholdFilter | None = None  # the latest one asked for
        self._shown: HouseholdFilter | None = None  # the one whose rows are listed
        self._sort = HouseholdSort.LOCATION
        self._descending = False
        self._ids: list[int] = []
        self._rows: dict[int, HouseholdRow] = {}
        self._pages: set[int] = set()
        self._task: Task | None = None
        self._generation = 0

    # -- Qt interface ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        column = COLUMNS[index.column()]
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in _NUMERIC else None
        if role not in _ROW_ROLES:
            return None
        row = self.household_at(index.row())
        if row is None or role == ROW_ROLE:
            return row
        return (raw if role == SORT_ROLE else display)(row, column)

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
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL; columns without an SQL order keep the current one."""
        if not 0 <= column < len(COLUMNS):
            return
        by = COLUMNS[column].sort
        if by is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (by, descending) == (self._sort, self._descending):
            return  # already in this order (QTableView.sortByColumn asks twice)
        self._sort, self._descending = by, descending
        if self._filter is not None:
            # The same households in another order: sorted by their ids, not searched again.
            same = not self.loading and self._filter.text
            self._query(within=list(self._ids) if same else None)

    # -- our interface --------------------------------------------------------------------

    @property
    def current_filter(self) -> HouseholdFilter | None:
        """The filter of the households listed (a newer one may be loading)."""
        return self._shown

    @property
    def current_sort(self) -> tuple[HouseholdSort, bool]:
        return self._sort, self._descending

    @property
    def loading(self) -> bool:
        """True while a query runs in the background (the rows shown are the older ones)."""
        return self._task is not None

    def set_filter(self, flt: HouseholdFilter | None) -> None:
        """Run a new query (None: show nothing)."""
        self._filter = flt
        self._query()

    def reload(self) -> None:
        """Run the current query again (after households were added or deleted)."""
        self._query()

    def _query(self, within: list[int] | None = None) -> None:
        self._cancel_running()
        flt, sort, descending = self._filter, self._sort, self._descending
        if flt is None or self._runner is None:
            ids = (
                []
                if flt is None
                else self._service.household_ids(flt, sort, descending, within=within)
            )
            self._show(flt, ids, [])
            return
        service = self._service
        generation = self._generation

        def job(_progress: object, cancelled: Any) -> tuple[list[int], list[HouseholdRow]]:
            if cancelled():
                raise Cancelled()
            ids = service.household_ids(flt, sort, descending, within=within, cancelled=cancelled)
            if cancelled():
                raise Cancelled()
            return ids, service.household_rows(ids[:PAGE_SIZE])

        task = self._runner.run(job)
        task.finished.connect(
            while_alive(self, lambda result: self._on_task_finished(generation, flt, result))
        )
        task.failed.connect(while_alive(self, lambda exc: self._on_task_failed(generation, exc)))
        self._task = task

    def _cancel_running(self) -> None:
        self._generation += 1
        if self._task is not None and not self._task.done:
            self._task.cancel()
        self._task = None

    def _on_task_finished(
        self, generation: int, flt: HouseholdFilter | None, result: object
    ) -> None:
        if generation != self._generation:
            return  # a newer query is on its way
        self._task = None
        ids, first = cast("tuple[Any, Any]", result)
        self._show(flt, ids, first)

    def _on_task_failed(self, generation: int, exc: object) -> None:
        if generation != self._generation:
            return
        self._task = None
        if not isinstance(exc, Cancelled):
            self.failed.emit(exc)

    def _show(self, flt: HouseholdFilter | None, ids: list[int], first: list[HouseholdRow]) -> None:
        self.beginResetModel()
        self._shown = flt
        self._ids = ids
        self._rows = {r.id: r for r in first}
        self._pages = {0} if first else set()
        self.endResetModel()
        self.loaded.emit()

    def household_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def household_at(self, row: int) -> HouseholdRow | None:
        """The row's DTO, loading its page on first use."""
        if not 0 <= row < len(self._ids):
            return None
        hid = self._ids[row]
        if hid not in self._rows:
            self._load_page(row // PAGE_SIZE)
        return self._rows.get(hid)

    def _load_page(self, page: int) -> None:
        if page in self._pages:
            return
        self._pages.add(page)
        ids = self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        self._rows.update((r.id, r) for r in self._service.household_rows(ids))

    def row_of(self, household_id: int) -> int:
        """The row showing this household, or -1 (one scan in C, no per-row Python)."""
        try:
            return self._ids.index(household_id)
        except ValueError:
            return -1

    def refresh_rows(self, household_ids: Iterable[int]) -> None:
        """Reload these households after an edit; rows that no longer exist are removed."""
        wanted = [h for h in household_ids if self.row_of(h) >= 0]
        if not wanted:
            return
        fresh = {r.id: r for r in self._service.household_rows(wanted)}
        for hid in wanted:
            if hid in fresh:
                self._rows[hid] = fresh[hid]
                row = self.row_of(hid)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            else:
                self.remove_ids([hid])

    def remove_ids(self, household_ids: Iterable[int]) -> None:
        """Drop deleted households from the list without a new query."""
        for hid in household_ids:
            row = self.row_of(hid)
            if row < 0:
                continue
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._ids[row]
            self._rows.pop(hid, None)
            # Pages are keyed by position, which has shifted: rows reload by id as needed.
            self._pages.clear()
            self.endRemoveRows()
