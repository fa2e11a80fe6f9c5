"""The printable problem ledger (楼院问题台账): A4 landscape, header on every page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from app.documents.layout import Column, Flow, Frame
from app.documents.pdf import new_canvas
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

    status = r.status + ("\n（逾期）" if r.overdue else "")
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
    avg = totals.average_days
    summary = (
        f"{scope}　统计截至 {as_of:%Y年%m月%d日}　共 {totals.total} 件，已办结 {totals.closed} 件，"
        f"办结率 {totals.rate}%，平均办理 {avg if avg is not None else '—'} 天，"
        f"逾期未办结 {totals.overdue} 件"
    )
    flow = Flow(Frame.of((WIDTH, HEIGHT), MARGIN, 4 * mm, 8 * mm), running_head="楼院问题台账")
    flow.title("楼院问题台账", 16, 12, after=1 * mm)
    flow.paragraph(summary, 9)
    flow.space(1 * mm)
    scale = flow.frame.body_width / sum(w for _, w in COLUMNS) / mm
    columns = [
        Column(title, w * mm * scale, "right" if title == "序号" else "left")
        for title, w in COLUMNS
    ]
    cells = []
    for n, r in enumerate(rows, start=1):
        if n % 200 == 0:
            check_cancelled(cancelled)
            progress(n, len(rows))
        cells.append(_cells(n, r))
    flow.table(columns, cells, SIZE, shaded=[r.overdue for r in rows], shade=OVERDUE, pad=1 * mm)
    check_cancelled(cancelled)
    progress(len(rows), len(rows))
    canvas = new_canvas(path, "楼院问题台账")
    pages = flow.render(canvas)
    canvas.save()
    return pages
