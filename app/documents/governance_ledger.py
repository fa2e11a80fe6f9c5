"""The printable problem ledger (楼院问题台账): A4 landscape, header on every page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents.pdf import FONT, new_canvas, wrap
from app.governance.dto import ClosureRow, ProblemRow
from app.jobs import IsCancelled, Progress, check_cancelled, never_cancelled, no_progress

WIDTH, HEIGHT = landscape(A4)
MARGIN = 12 * mm
SIZE = 8.5
LEADING = 11
OVERDUE = Color(0.99, 0.89, 0.88)
# (title, width in mm)
COLUMNS = (
    ("序号", 10),
    ("类别", 22),
    ("楼院", 28),
    ("位置", 24),
    ("问题描述", 46),
    ("上报日期", 19),
    ("网格员", 16),
    ("办理时限", 19),
    ("状态", 22),
    ("办理结果", 48),
    ("办结日期", 19),
)


def _cells(n: int, r: ProblemRow) -> list[str]:
    def day(d: dt.date | None) -> str:
        return f"{d:%Y-%m-%d}" if d else ""

    status = r.status + ("（逾期）" if r.overdue else "")
    return [
        str(n),
        r.category,
        r.compound_name,
        r.location,
        r.description,
        day(r.reported_on),
        r.handler,
        day(r.deadline),
        status,
        r.resolution,
        day(r.closed_on),
    ]


def write_ledger(
    path: Path | str,
    rows: list[ProblemRow],
    totals: ClosureRow,
    *,
    scope: str,
    as_of: dt.date,
    progress: Progress = no_progress,
    cancelled: IsCancelled = never_cancelled,
) -> int:
    """Write the ledger PDF; returns the number of pages. Stops (no file) on Cancel."""
    canvas = new_canvas(path, "楼院问题台账")
    canvas.setPageSize((WIDTH, HEIGHT))
    widths = [w * mm for _, w in COLUMNS]
    avg = totals.average_days
    summary = (
        f"{scope}　统计截至 {as_of:%Y年%m月%d日}　共 {totals.total} 件，已办结 {totals.closed} 件，"
        f"办结率 {totals.rate}%，平均办理 {avg if avg is not None else '—'} 天，"
        f"逾期未办结 {totals.overdue} 件"
    )
    page = 1
    y = _page_top(canvas, summary, widths, page)
    for n, r in enumerate(rows, start=1):
        if n % 200 == 0:
            check_cancelled(cancelled)
            progress(n, len(rows))
        lines = [wrap(text, SIZE, w - 2 * mm) for text, w in zip(_cells(n, r), widths, strict=True)]
        height = max(len(x) for x in lines) * LEADING + 4
        if y - height < MARGIN + 8 * mm:
            page += 1
            canvas.showPage()
            canvas.setPageSize((WIDTH, HEIGHT))
            y = _page_top(canvas, summary, widths, page)
        if r.overdue:
            canvas.setFillColor(OVERDUE)
            canvas.rect(MARGIN, y - height, sum(widths), height, stroke=0, fill=1)
            canvas.setFillColor(black)
        x = MARGIN
        canvas.setFont(FONT, SIZE)
        for cell, w in zip(lines, widths, strict=True):
            for k, line in enumerate(cell):
                canvas.drawString(x + 1 * mm, y - 3 - (k + 1) * LEADING + 2, line)
            x += w
        y -= height
        canvas.setLineWidth(0.3)
        canvas.line(MARGIN, y, MARGIN + sum(widths), y)
    check_cancelled(cancelled)
    progress(len(rows), len(rows))
    canvas.showPage()
    canvas.save()
    return page


def _page_top(canvas: Canvas, summary: str, widths: list[float], page: int) -> float:
    canvas.setFont(FONT, 16)
    canvas.drawCentredString(WIDTH / 2, HEIGHT - MARGIN - 6 * mm, "楼院问题台账")
    canvas.setFont(FONT, 9)
    canvas.drawString(MARGIN, HEIGHT - MARGIN - 14 * mm, summary)
    canvas.drawRightString(WIDTH - MARGIN, MARGIN - 4 * mm, f"第 {page} 页")
    y = HEIGHT - MARGIN - 18 * mm
    canvas.setFillColor(Color(0.92, 0.92, 0.92))
    canvas.rect(MARGIN, y - 6 * mm, sum(widths), 6 * mm, stroke=0, fill=1)
    canvas.setFillColor(black)
    canvas.setFont(FONT, 9)
    x = MARGIN
    for (title, _), w in zip(COLUMNS, widths, strict=True):
        canvas.drawString(x + 1 * mm, y - 4.3 * mm, title)
        x += w
    return y - 6 * mm
