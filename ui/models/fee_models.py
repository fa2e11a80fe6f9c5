"""Fee tables: charges and payments paged from id lists; arrears, expenses, schemes in full."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from app.fees.dto import ArrearsRow, ChargeRow, ExpenseRow, PaymentRow, SchemeRow
from app.money import format_yuan
from ui.models import ID_ROLE, ROW_ROLE, SORT_ROLE

Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")
PAGE_SIZE = 200
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

# (header, text, raw value, right-aligned)
Column = tuple[str, Callable[[Any], str], Callable[[Any], Any], bool]


def _money(get: Callable[[Any], int], header: str) -> Column:
    return (header, lambda r: format_yuan(get(r)), get, True)


def _text(header: str, get: Callable[[Any], Any]) -> Column:
    return (header, lambda r: str(get(r)), get, False)


CHARGE_COLUMNS: list[Column] = [
    _text("楼院", lambda r: r.compound_name),
    _text("房号", lambda r: r.location),
    _text("户主", lambda r: r.householder_name),
    _text("计费期间", lambda r: r.period_text),
    ("面积(㎡)", lambda r: f"{r.area_centi / 100:.2f}", lambda r: r.area_centi, True),
    _text("减免", lambda r: r.discount_note),
    _money(lambda r: r.amount_fen, "应收"),
    _money(lambda r: r.paid_fen, "已收"),
    _money(lambda r: r.due_fen, "欠费"),
    _text("状态", lambda r: r.pay_state),
    _text("缴费期限", lambda r: r.due_date),
]
PAYMENT_COLUMNS: list[Column] = [
    _text("收据编号", lambda r: r.receipt_no),
    ("收款时间", lambda r: f"{r.paid_at:%Y-%m-%d %H:%M}", lambda r: r.paid_at, False),
    _text("楼院", lambda r: r.compound_name),
    _text("房号", lambda r: r.location),
    _text("交款人", lambda r: r.payer),
    _money(lambda r: r.amount_fen, "金额"),
    _text("方式", lambda r: r.method),
    _text("收款人", lambda r: r.operator),
    (
        "状态",
        lambda r: f"已作废：{r.void_reason}" if r.voided else "有效",
        lambda r: r.voided,
        False,
    ),
]
ARREARS_COLUMNS: list[Column] = [
    _text("楼院", lambda r: r.compound_name),
    _text("房号", lambda r: r.location),
    _text("户主", lambda r: r.householder_name),
    _text("联系电话", lambda r: r.phone),
    ("欠费笔数", lambda r: str(r.charges), lambda r: r.charges, True),
    _text("最早欠费", lambda r: r.oldest_period),
    _money(lambda r: r.due_fen, "欠费金额"),
]
EXPENSE_COLUMNS: list[Column] = [
    _text("月份", lambda r: r.month),
    _text("楼院", lambda r: r.compound_name),
    _text("类别", lambda r: r.category),
    _money(lambda r: r.amount_fen, "金额"),
    _text("说明", lambda r: r.note),
    _text("登记人", lambda r: r.created_by),
]
SCHEME_COLUMNS: list[Column] = [
    _text("楼院", lambda r: r.compound_name),
    ("单价(元/㎡·月)", lambda r: r.price_text, lambda r: r.price_milli, True),
    _text("起始月份", lambda r: r.start_month),
    _text("过渡期", lambda r: r.transition_label),
    _text("周期", lambda r: r.cycle),
    _text("状态", lambda r: r.state_label),
    _text("收费单位", lambda r: r.manager_name),
    _text("减免", lambda r: "；".join(e.label for e in r.exemptions)),
]


class _Base(QAbstractTableModel):
    def __init__(self, columns: list[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = columns

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._columns)
        ):
            return QCoreApplication.translate("FeeModels", self._columns[section][0])
        return None

    def row_at(self, row: int) -> Any:
        raise NotImplementedError

    def _id_at(self, row: int) -> Any:
        item = self.row_at(row)
        return None if item is None else getattr(item, "id", getattr(item, "household_id", None))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        header, text, raw, right = self._columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if right else None
        if role not in (Qt.ItemDataRole.DisplayRole, SORT_ROLE, ROW_ROLE, ID_ROLE):
            return None
        item = self.row_at(index.row())
        if item is None or role == ROW_ROLE:
            return item
        getters: dict[int, Callable[[Any], Any]] = {
            ID_ROLE: lambda _i: self._id_at(index.row()),
            Qt.ItemDataRole.DisplayRole: text,
        }
        return getters.get(role, raw)(item)


class PagedModel(_Base, Generic[T]):
    """Rows of a big list: ids from one SQL query, rows loaded a page at a time."""

    def __init__(
        self,
        columns: list[Column],
        rows_of: Callable[[Sequence[int]], list[T]],
        parent: Any = None,
    ) -> None:
        super().__init__(columns, parent)
        self._rows_of = rows_of
        self._ids: list[int] = []
        self._rows: dict[int, T] = {}
        self._pages: set[int] = set()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def set_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._rows.clear()
        self._pages.clear()
        self.endResetModel()

    @property
    def ids(self) -> list[int]:
        return list(self._ids)

    def row_at(self, row: int) -> T | None:
        if not 0 <= row < len(self._ids):
            return None
        rid = self._ids[row]
        if rid not in self._rows:
            page = row // PAGE_SIZE
            if page not in self._pages:
                self._pages.add(page)
                chunk = self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
                self._rows.update((getattr(r, "id"), r) for r in self._rows_of(chunk))  # noqa: B009
        return self._rows.get(rid)

    def refresh_row(self, row: int) -> None:
        """Reload one row after it changed (a void)."""
        if 0 <= row < len(self._ids):
            fresh = self._rows_of([self._ids[row]])
            if fresh:
                self._rows[self._ids[row]] = fresh[0]
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))


class ListModel(_Base, Generic[T]):
    """A small list held in full (arrears of a compound, expenses, schemes)."""

    def __init__(self, columns: list[Column], parent: Any = None) -> None:
        super().__init__(columns, parent)
        self._items: list[T] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._items)

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._items = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list[T]:
        return list(self._items)

    def row_at(self, row: int) -> T | None:
        return self._items[row] if 0 <= row < len(self._items) else None


def charge_model(
    rows_of: Callable[[Sequence[int]], list[ChargeRow]], parent: Any = None
) -> PagedModel[ChargeRow]:
    return PagedModel(CHARGE_COLUMNS, rows_of, parent)


def payment_model(
    rows_of: Callable[[Sequence[int]], list[PaymentRow]], parent: Any = None
) -> PagedModel[PaymentRow]:
    return PagedModel(PAYMENT_COLUMNS, rows_of, parent)


def arrears_model(parent: Any = None) -> ListModel[ArrearsRow]:
    return ListModel(ARREARS_COLUMNS, parent)


def expense_model(parent: Any = None) -> ListModel[ExpenseRow]:
    return ListModel(EXPENSE_COLUMNS, parent)


def scheme_model(parent: Any = None) -> ListModel[SchemeRow]:
    return ListModel(SCHEME_COLUMNS, parent)
