"""Ledger and arrears to .xlsx: typed cells, text for rooms and phones, frozen header, totals."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.fees.dto import ArrearsRow, ChargeRow
from app.fees.errors import FeeError
from app.jobs import IsCancelled, Progress, check_cancelled, never_cancelled, no_progress
from app.money import from_fen
from app.text import mask_phone

MONEY = "#,##0.00"


def _safe(value: Any) -> Any:
    """Text that a spreadsheet would take for a formula stays text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _write(
    path: Path,
    title: str,
    heads: Sequence[str],
    rows: list[list[Any]],
    *,
    money_cols: Sequence[int],
    total_label: str,
    progress: Progress = no_progress,
    cancelled: IsCancelled = never_cancelled,
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    if path.suffix.lower() != ".xlsx":
        raise FeeError("导出文件应为 .xlsx")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(heads))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    progress(0, len(rows))
    for n, row in enumerate(rows, start=1):
        sheet.append([_safe(v) for v in row])
        if n % 2000 == 0:
            check_cancelled(cancelled)
            progress(n, len(rows))
    totals: list[Any] = [total_label] + [None] * (len(heads) - 1)
    for col in money_cols:
        totals[col] = sum((r[col] for r in rows), Decimal(0))
    sheet.append(totals)
    last = sheet.max_row
    for cell in sheet[last]:
        cell.font = Font(bold=True)
    for col in money_cols:
        for r in range(2, last + 1):
            sheet.cell(r, col + 1).number_format = MONEY
    for k, head in enumerate(heads, start=1):
        width = max([len(str(head)) * 2] + [len(str(r[k - 1])) * 1.6 for r in rows[:200]])
        sheet.column_dimensions[get_column_letter(k)].width = min(40, max(8, width))
    sheet.freeze_panes = "A2"
    check_cancelled(cancelled)
    book.save(path)
    progress(len(rows), len(rows))


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
        ]
        for r in rows
    ]
    _write(
        Path(path),
        "收费台账",
        heads,
        data,
        money_cols=(7, 8, 9),
        total_label=f"合计 {len(rows)} 笔",
        progress=progress,
        cancelled=cancelled,
    )
    return len(rows)


def export_arrears(
    path: Path | str,
    rows: Sequence[ArrearsRow],
    progress: Progress = no_progress,
    cancelled: IsCancelled = never_cancelled,
    *,
    unmasked: bool = False,
) -> int:
    """The arrears list; phones masked unless `unmasked` (the caller has checked and audits)."""
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
    _write(
        Path(path), "欠费清单", heads, data, money_cols=(6,), total_label=f"合计 {len(rows)} 户",
        progress=progress, cancelled=cancelled,
    )  # fmt: skip
    return len(rows)
