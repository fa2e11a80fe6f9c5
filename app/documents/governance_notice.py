"""张贴通知: an A4 notice in large type for the compound's notice board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from app.documents.layout import Flow, Frame
from app.documents.pdf import MARGIN, new_canvas
from app.errors import AppError

INDENT = "\u3000\u3000"
TITLE_SIZE = 40
TITLE_MIN = 26
BODY_SIZES = (24, 22, 20, 18, 16)
SIGN_SIZE = 20


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


def layout_notice(notice: Notice) -> Flow:
    """The notice laid out at the largest body size (24 → 16 pt) that keeps it on one page;
    a longer text runs on to more pages at 16 pt. The 落款 follows the body."""
    frame = Frame.of(A4, MARGIN, 8 * mm, 8 * mm)
    flow = Flow(frame)
    for size in BODY_SIZES:
        flow = Flow(frame, running_head=notice.title)
        flow.space(10 * mm)
        flow.title(notice.title, TITLE_SIZE, TITLE_MIN, after=8 * mm)
        if notice.compounds:
            flow.paragraph("、".join(notice.compounds) + "全体居民：", size)
        for paragraph in notice.body.strip().split("\n"):
            if paragraph.strip():
                flow.paragraph(paragraph.strip(), size, first_indent=INDENT)
        flow.space(12 * mm)
        day = f"{notice.day.year}年{notice.day.month}月{notice.day.day}日"
        flow.block([(notice.office, SIGN_SIZE, "right"), (day, SIGN_SIZE, "right")], leading=1.8)
        if len(flow.pages) == 1:
            break
    return flow


def write_notice(path: Path | str, notice: Notice) -> int:
    """Write the notice, one copy per compound named (or one without a greeting line).

    Returns the number of pages.
    """
    check_notice(notice)
    copies: list[tuple[str, ...]] = [(c,) for c in notice.compounds] or [()]
    flows = [
        layout_notice(Notice(notice.title, notice.body, c, notice.day, notice.office))
        for c in copies
    ]
    canvas = new_canvas(path, notice.title)
    pages = sum(flow.render(canvas) for flow in flows)
    canvas.save()
    return pages
