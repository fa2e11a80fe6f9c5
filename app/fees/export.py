"""Ledger and arrears to .xlsx: typed cells, text for rooms and phones, frozen header, totals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.fees.dto import ArrearsRow, ChargeRow
from app.fees.errors import FeeError
from app.jobs import IsCancelled, Progress, check_cancelled, never_cancelled, no_progress
from app.money import from_fen
from app.sheet_print import is_formula_like, put_text, setup_openpyxl
from app.text import mask_phone

MONEY = "#,##0.00"


@dataclass(frozen=True)
class _Sheet:
    title: str
    heads: Sequence[str]
    rows: list[list[Any]]
    money_cols: Sequence[int]
    total_label: str
    formats: dict[int, str] = field(default_factory=dict)  # column → number format


def _write(
    path: Path,
    table: _Sheet,
    progress: Progress = no_progress,
    cancelled: IsCancelled = never_cancelled,
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    if path.suffix.lower() != ".xlsx":
        raise FeeError("导出文件应为 .xlsx")
    heads, rows = table.heads, table.rows
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.title
    sheet.append(list(heads))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    progress(0, len(rows))
    for n, row in enumerate(rows, start=1):
        sheet.append(row)
        for col, value in enumerate(row, start=1):
            if is_formula_like(value):
                put_text(sheet.cell(n + 1, col), value)
        if n % 2000 == 0:
            check_cancelled(cancelled)
            progress(n, len(rows))
    totals: list[Any] = [table.total_label] + [None] * (len(heads) - 1)
    for col in table.money_cols:
        totals[col] = sum((r[col] for r in rows), Decimal(0))
    sheet.append(totals)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    _format(sheet, table)
    check_cancelled(cancelled)
    book.save(path)
    progress(len(rows), len(rows))


def _format(sheet: Any, table: _Sheet) -> None:
    """Number formats, widths, frozen header and print setup."""
    from openpyxl.utils import get_column_letter

    last = sheet.max_row
    for col, fmt in [*((c, MONEY) for c in table.money_cols), *table.formats.items()]:
        for r in range(2, last + 1):
            sheet.cell(r, col + 1).number_format = fmt
    for k, head in enumerate(table.heads, start=1):
        width = max([len(str(head)) * 2] + [len(str(r[k - 1])) * 1.6 for r in table.rows[:200]])
        sheet.column_dimensions[get_column_letter(k)].width = min(40, max(8, width))
    sheet.freeze_panes = "A2"
    setup_openpyxl(sheet, columns=len(table.heads))


def export_charges(
    path: Path | str,
    rows: Sequence[ChargeRow],
    progress: Progress = no_progress,
    cancelled: IsCancelled = never_cancelled,
) -> int:
    heads = [
        "楼院",
        "房号",
        "户主",
        "计费期间",
        "面积(㎡)",
        "单价(元/㎡·月)",
        "减免",
        "应收(元)",
        "已收(元)",
        "欠费(元)",
        "缴费期限",
        "状态",
    ]
    data = [
        [
            r.compound_name,
            r.location,
            r.householder_name,
            r.period_text,
            Decimal(r.area_centi) / 100,
            Decimal(r.price_milli) / 1000,
            r.discount_note,
            from_fen(r.amount_fen),
            from_fen(r.paid_fen),
            from_fen(r.due_fen),
            r.due_date,
            r.pay_state,
        ]
        for r in rows
    ]
    table = _Sheet(
        "收费台账", heads, data, (7, 8, 9), f"合计 {len(rows)} 笔",
        {4: "0.00", 5: "0.000", 10: "yyyy-mm-dd"},
    )  # fmt: skip
    _write(Path(path), table, progress, cancelled)
    return len(rows)


def export_arrears(
    path: Path | str,
    rows: Sequence[ArrearsRow],
    progress: Progress = no_progress,
    cancelled: IsCancelled = never_cancelled,
    *,
    unmasked: bool = False,
) -> int:
    """The arrears list; phones masked unless `unmasked` (see FeeLedgerService.export_arrears,
    which checks the permission and audits)."""
    heads = ["楼院", "房号", "户主", "联系电话", "欠费笔数", "最早欠费月份", "欠费金额(元)"]
    data = [
        [
            r.compound_name,
            r.location,
            r.householder_name,
            r.phone if unmasked else mask_phone(r.phone),
            r.charges,
            r.oldest_period,
            from_fen(r.due_fen),
        ]
        for r in rows
    ]
    table = _Sheet("欠费清单", heads, data, (6,), f"合计 {len(rows)} 户")
    _write(Path(path), table, progress, cancelled)
    return len(rows)
