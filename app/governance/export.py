"""The problem ledger as an .xlsx workbook (typed cells, frozen header, widths, totals)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.errors import AppError
from app.governance.dto import ClosureRow, ProblemRow
from app.jobs import IsCancelled, Progress, check_cancelled, never_cancelled, no_progress
from app.sheet_print import is_formula_like, put_text, setup_openpyxl

HEADERS = (
    ("序号", 6),
    ("问题类别", 14),
    ("楼院", 18),
    ("位置", 14),
    ("问题描述", 36),
    ("上报人", 10),
    ("上报日期", 12),
    ("经办网格", 28),
    ("网格员", 10),
    ("网格员电话", 14),
    ("办理时限", 12),
    ("状态", 8),
    ("是否逾期", 8),
    ("办理结果", 36),
    ("办结日期", 12),
    ("办理天数", 8),
)
OVERDUE_FILL = PatternFill("solid", fgColor="FDE2E1")


def write_problems(
    path: Path | str,
    rows: list[ProblemRow],
    by_category: list[ClosureRow],
    as_of: dt.date,
    *,
    progress: Progress = no_progress,
    cancelled: IsCancelled = never_cancelled,
) -> int:
    """Write the ledger (sheet 问题台账) and 办结率 by category (sheet 分类统计).

    A long job: reports progress every 500 rows and stops (writing nothing) on Cancel.

    Returns the number of problems written. Raises AppError when the file cannot be written.
    """
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "问题台账"
    bold = Font(bold=True)
    for col, (title, width) in enumerate(HEADERS, start=1):
        cell = ws.cell(row=1, column=col, value=title)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    for n, r in enumerate(rows, start=1):
        if n % 500 == 0:
            check_cancelled(cancelled)
            progress(n, len(rows))
        values: list[object] = [
            n,
            r.category,
            r.compound_name,
            r.location,
            r.description,
            r.reporter,
            r.reported_on,
            r.grid_name,
            r.handler,
            r.handler_phone,
            r.deadline,
            r.status,
            "逾期" if r.overdue else "",
            r.resolution,
            r.closed_on,
            r.days_taken(as_of),
        ]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=n + 1, column=col, value=value)  # type: ignore[call-overload]
            if is_formula_like(value):
                put_text(cell, str(value))
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif col == 10:
                cell.number_format = "@"  # phone numbers stay text
            if r.overdue:
                cell.fill = OVERDUE_FILL
    total_row = len(rows) + 2
    ws.cell(row=total_row, column=1, value="合计").font = bold
    closed = sum(1 for r in rows if r.status == "已办结")
    ws.cell(
        row=total_row,
        column=2,
        value=f"共 {len(rows)} 件，已办结 {closed} 件，逾期 {sum(r.overdue for r in rows)} 件",
    ).font = bold
    setup_openpyxl(ws, columns=len(HEADERS))
    _category_sheet(wb, by_category, as_of)
    check_cancelled(cancelled)
    progress(len(rows), len(rows))
    try:
        wb.save(str(path))
    except OSError as exc:
        raise AppError(f"无法写入文件：{path}（{exc.strerror or exc}）") from exc
    return len(rows)


def _category_sheet(wb: Workbook, rows: list[ClosureRow], as_of: dt.date) -> None:
    ws = wb.create_sheet("分类统计")
    headers = ("问题类别", "问题数", "已办结", "未办结", "逾期", "办结率(%)", "平均办理天数")
    for col, title in enumerate(headers, start=1):
        ws.cell(row=1, column=col, value=title).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = 16 if col == 1 else 12
    ws.freeze_panes = "A2"
    for n, r in enumerate(rows, start=2):
        avg = r.average_days
        for col, value in enumerate(
            (r.name, r.total, r.closed, r.open, r.overdue, r.rate, avg), start=1
        ):
            cell = ws.cell(row=n, column=col, value=value)
            if col >= 6:
                cell.number_format = "0.0"
    ws.cell(row=len(rows) + 3, column=1, value=f"统计截至 {as_of:%Y-%m-%d}")
    setup_openpyxl(ws, columns=len(headers))
