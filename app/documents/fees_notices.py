"""Fee notices (缴费通知单) and arrears reminders (催缴通知单): 1, 2 or 3 per A4 with cut lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from app.documents.pdf import FONT, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, new_canvas
from app.fees.notices import NoticeItem
from app.jobs import IsCancelled, Progress, check_cancelled, never_cancelled, no_progress
from app.money import format_yuan, in_words


def _cut_line(canvas: Canvas, y: float) -> None:
    canvas.saveState()
    canvas.setDash(4, 3)
    canvas.setLineWidth(0.5)
    canvas.line(8 * mm, y, PAGE_WIDTH - 8 * mm, y)
    canvas.setFont(FONT, 7)
    canvas.drawString(8 * mm, y + 1.5, "沿虚线裁开")
    canvas.restoreState()


class _Text:
    """All of a notice's text in one PDF text object.

    canvas.drawString makes a text object per call; a notice has fifteen strings, and at
    10,000 notices those objects cost more than the drawing. The output is the same text at
    the same places.
    """

    def __init__(self, canvas: Canvas) -> None:
        self._canvas = canvas
        self._text = canvas.beginText()
        self._size = 0.0

    def font(self, size: float) -> None:
        self._text.setFont(FONT, size)
        self._size = size

    def left(self, x: float, y: float, text: str) -> None:
        self._text.setTextOrigin(x, y)
        self._text.textOut(text)

    def right(self, x: float, y: float, text: str) -> None:
        self.left(x - pdfmetrics.stringWidth(text, FONT, self._size), y, text)

    def centre(self, x: float, y: float, text: str) -> None:
        self.left(x - pdfmetrics.stringWidth(text, FONT, self._size) / 2, y, text)

    def draw(self) -> None:
        self._canvas.drawText(self._text)


def draw_notice(
    canvas: Canvas, item: NoticeItem, top: float, height: float, *, title: str, today: dt.date
) -> None:
    """One notice in the slot [top - height, top] of the page."""
    scale = min(1.0, height / (PAGE_HEIGHT - 2 * MARGIN) * 2.2)
    size = 10.5 * max(scale, 0.82)
    step = size * 1.75
    left, right = MARGIN, PAGE_WIDTH - MARGIN
    second = left + 95 * mm
    text = _Text(canvas)
    y = top - 10 * mm
    text.font(size * 1.6)
    text.centre(PAGE_WIDTH / 2, y, title)
    y -= step * 1.2
    text.font(size * 0.85)
    text.left(left, y, f"编号：{item.number}")
    text.right(right, y, f"开具日期：{today:%Y年%m月%d日}")
    y -= step * 0.6
    canvas.setLineWidth(0.8)
    canvas.line(left, y, right, y)
    y -= step
    text.font(size)
    text.left(left, y, f"楼院：{item.compound_name}")
    text.left(second, y, f"房号：{item.location}")
    y -= step
    text.left(left, y, f"户主：{item.householder_name}")
    text.left(second, y, f"建筑面积：{item.area_centi / 100:.2f} ㎡")
    y -= step
    text.left(left, y, f"收费标准：{item.price_text} 元/㎡·月")
    text.left(second, y, f"计费期间：{item.period_text}")
    y -= step
    text.left(
        left, y, f"本期应缴：¥{format_yuan(item.amount_fen)}（大写：{in_words(item.amount_fen)}）"
    )
    y -= step
    text.left(left, y, f"往期欠费：¥{format_yuan(item.earlier_fen)}")
    text.font(size * 1.1)
    text.left(
        left + 60 * mm, y, f"合计应缴：¥{format_yuan(item.total_fen)}（{in_words(item.total_fen)}）"
    )
    y -= step
    text.font(size)
    text.left(left, y, f"请于 {item.due_date:%Y年%m月%d日} 前缴清。缴费方式：{item.pay_ways}")
    y -= step
    office = item.office or item.manager_name
    contact = f"  联系电话：{item.manager_contact}" if item.manager_contact else ""
    text.left(left, y, f"缴费地点：{office}{contact}")
    y -= step * 0.9
    text.font(size * 0.8)
    text.left(
        left, y, "说明：本通知按公示的收费方案计算，如有疑问请到物业服务中心或社区居委会咨询。"
    )
    text.right(right, y - step * 0.8, item.manager_name or "物业服务中心")
    text.draw()


def write_notices(
    path: Path | str,
    batches: Iterable[list[NoticeItem]],
    total: int,
    *,
    per_page: int = 3,
    title: str = "物业费缴费通知单",
    progress: Progress = no_progress,
    cancelled: IsCancelled = never_cancelled,
) -> int:
    """Draw every notice into one PDF; returns the number of pages.

    Items arrive in batches, so a compound of any size is drawn in flat memory.
    """
    if per_page not in (1, 2, 3):
        raise ValueError(per_page)
    canvas = new_canvas(path, title)
    slot = PAGE_HEIGHT / per_page
    today = dt.date.today()
    done = pages = 0
    for batch in batches:
        check_cancelled(cancelled)
        for item in batch:
            k = done % per_page
            if k == 0 and done:
                canvas.showPage()
            if k == 0:
                pages += 1
            top = PAGE_HEIGHT - k * slot
            draw_notice(canvas, item, top, slot, title=title, today=today)
            if k > 0:
                _cut_line(canvas, top)
            done += 1
        progress(done, total)
    if done == 0:
        canvas.setFont(FONT, 14)
        canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT / 2, "没有需要打印的通知单")
        pages = 1
    canvas.showPage()
    canvas.save()
    return pages
