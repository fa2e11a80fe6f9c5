"""张贴通知: an A4 notice in large type for the compound's notice board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents.pdf import FONT, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, new_canvas, wrap
from app.errors import AppError

INDENT = "\u3000\u3000"
TITLE_SIZE = 40
BODY_SIZES = (24, 22, 20, 18, 16)


@dataclass(frozen=True)
class Notice:
    title: str
    body: str
    compounds: tuple[str, ...]
    day: dt.date
    office: str


def check_notice(notice: Notice) -> None:
    if not notice.title.strip():
        raise AppError("请填写通知标题")
    if not notice.body.strip():
        raise AppError("请填写通知正文")
    if not notice.office.strip():
        raise AppError("请填写落款单位")


def _lines(notice: Notice, size: float, width: float) -> list[str]:
    lines: list[str] = []
    if notice.compounds:
        lines += wrap("、".join(notice.compounds) + "全体居民：", size, width)
    for paragraph in notice.body.strip().split("\n"):
        lines += wrap(INDENT + paragraph.strip(), size, width)
    return lines


def write_notice(path: Path | str, notice: Notice) -> int:
    """Write the notice, one copy per compound named (or one without a greeting line).

    Returns the number of pages. Body type shrinks from 24 pt to fit a page, down to 16 pt;
    longer text runs on to more pages.
    """
    check_notice(notice)
    canvas = new_canvas(path, notice.title)
    width = PAGE_WIDTH - 2 * MARGIN
    copies: list[tuple[str, ...]] = [(c,) for c in notice.compounds] or [()]
    pages = 0
    for compounds in copies:
        one = Notice(notice.title, notice.body, compounds, notice.day, notice.office)
        pages += _one_copy(canvas, one, width)
    canvas.save()
    return pages


def _one_copy(canvas: Canvas, notice: Notice, width: float) -> int:
    body_top = PAGE_HEIGHT - MARGIN - 40 * mm
    room = body_top - MARGIN - 40 * mm
    for size in BODY_SIZES:
        lines = _lines(notice, size, width)
        if len(lines) * size * 1.6 <= room:
            break
    pages = 1
    canvas.setFont(FONT, TITLE_SIZE)
    canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - MARGIN - 22 * mm, notice.title)
    y = body_top
    canvas.setFont(FONT, size)
    for line in lines:
        if y < MARGIN + 10 * mm:
            canvas.showPage()
            pages += 1
            canvas.setFont(FONT, size)
            y = PAGE_HEIGHT - MARGIN - 10 * mm
        canvas.drawString(MARGIN, y, line)
        y -= size * 1.6
    sign = max(y - 16 * mm, MARGIN + 22 * mm)
    canvas.setFont(FONT, 20)
    right = PAGE_WIDTH - MARGIN
    canvas.drawRightString(right, sign, notice.office)
    canvas.drawRightString(
        right, sign - 12 * mm, f"{notice.day.year}年{notice.day.month}月{notice.day.day}日"
    )
    canvas.showPage()
    return pages
