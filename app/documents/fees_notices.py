"""Fee notices (缴费通知单, 1, 2 or 3 per A4 with cut lines) and arrears reminders (催缴通知单).

A notice shows how its figure is made, so a resident can check it: 面积 × 单价 × 月数 = 金额,
each exemption with its reason, what was paid already, every earlier month still owed, and
the total. A household that owes nothing is printed 已缴清 (leave it out with `unpaid_only`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from app.documents.layout import Column, Flow, Frame, LayoutError, Rule, Text, draw_ops
from app.documents.pdf import MARGIN, PAGE_HEIGHT, PAGE_WIDTH, new_canvas
from app.fees.notices import NoticeItem, ReminderItem
from app.jobs import IsCancelled, Progress, check_cancelled, never_cancelled, no_progress
from app.money import format_yuan, in_words

# Body size per notices-per-page; each may shrink by up to 2 pt to hold a long notice.
SIZES = {1: 15.0, 2: 12.0, 3: 10.5}
LEADING = {1: 2.0, 2: 1.6, 3: 1.45}
SHRINK = 2.0
SLOT_MARGIN = 9 * mm
NOTE = "说明：本通知按公示的收费方案计算，如有疑问请到物业服务中心或社区居委会咨询。"


def _cut_line(y: float) -> list[Rule | Text]:
    return [
        Rule(10 * mm, y, PAGE_WIDTH - 10 * mm, y, 0.5, dash=(4, 3)),
        Text(10 * mm, y + 1.5, "沿虚线裁开", 7),
    ]


def _area(item: NoticeItem | ReminderItem) -> str:
    return f"{item.area_centi // 100}.{item.area_centi % 100:02d}"


def _notice_body(flow: Flow, item: NoticeItem, size: float, leading: float, today: dt.date) -> None:
    yuan = format_yuan
    flow.pair(f"编号：{item.number}", f"开具日期：{today:%Y年%m月%d日}", size * 0.85)
    flow.rule(0.8)
    flow.space(size * 0.3)
    flow.paragraph(f"楼院：{item.compound_name}", size, leading=leading)
    flow.pair(
        f"房号：{item.location}　户主：{item.householder_name}",
        f"计费期间：{item.period_text}",
        size,
        leading=leading,
    )
    flow.paragraph(
        f"计算：建筑面积 {_area(item)} ㎡ × 单价 {item.price_text} 元/㎡·月 × {item.months} 个月"
        f" = ¥{yuan(item.gross_fen)}",
        size,
        leading=leading,
    )
    if item.discount_fen:
        flow.paragraph(
            f"减免：{item.discount_note or '减免'} −¥{yuan(item.discount_fen)}，"
            f"减免后本期费用 ¥{yuan(item.charge_fen)}",
            size,
            leading=leading,
        )
    if item.paid_fen:
        state = "本期已缴清" if item.amount_fen == 0 else "部分缴纳"
        flow.paragraph(f"已缴：¥{yuan(item.paid_fen)}（{state}）", size, leading=leading)
    flow.paragraph(
        f"本期应缴：¥{yuan(item.amount_fen)}（大写：{in_words(item.amount_fen)}）",
        size,
        leading=leading,
    )
    if item.earlier:
        months = "；".join(f"{label} ¥{yuan(fen)}" for label, fen in item.earlier)
        flow.paragraph(f"往期欠费：{months}，共 ¥{yuan(item.earlier_fen)}", size, leading=leading)
    else:
        flow.paragraph("往期欠费：无", size, leading=leading)
    if item.credit_fen:
        flow.paragraph(
            f"预交余额：¥{yuan(item.credit_fen)}（自动抵扣以后各期）", size, leading=leading
        )
    if item.settled:
        flow.paragraph("合计应缴：¥0.00　已缴清，感谢您的支持！", size * 1.1, leading=leading)
    else:
        flow.paragraph(
            f"合计应缴：¥{yuan(item.total_fen)}（大写：{in_words(item.total_fen)}）",
            size * 1.1,
            leading=leading,
        )
        when = (
            f"请于 {item.due_date:%Y年%m月%d日} 前缴清。"
            if item.due_date >= today
            else "缴费期限已过，请尽快缴清。"
        )
        flow.paragraph(f"{when}缴费方式：{item.pay_ways}", size, leading=leading)
    office = f"缴费地点：{item.office or item.manager_name}"
    if item.manager_contact:
        flow.pair(office, f"联系电话：{item.manager_contact}", size, leading=leading)
    else:
        flow.paragraph(office, size, leading=leading)
    flow.paragraph(NOTE, size * 0.8, leading=1.4)
    flow.block([(item.manager_name or "物业服务中心", size * 0.9, "right")], leading=1.4)


def _stub(flow: Flow, item: NoticeItem, size: float) -> None:
    """The one-per-page notice's 回执: cut off and kept by the cashier."""
    flow.space(14 * mm)
    flow.need(size * 8)
    flow.ops.extend(_cut_line(flow.y))
    flow.space(4 * mm)
    flow.paragraph("回执（缴费时交回，由收费处留存）", size, align="centre")
    flow.pair(f"编号：{item.number}", f"计费期间：{item.period_text}", size * 0.9)
    flow.pair(f"房号：{item.location}　户主：{item.householder_name}",
              f"合计应缴：¥{format_yuan(item.total_fen)}", size * 0.9)  # fmt: skip
    flow.pair("实缴金额：¥__________", "缴费日期：____年__月__日　收款人：______", size * 0.9)


def _frame(per_page: int, k: int) -> Frame:
    if per_page == 1:
        return Frame.of(A4, MARGIN, 4 * mm, 4 * mm)
    slot = PAGE_HEIGHT / per_page
    top = PAGE_HEIGHT - k * slot
    return Frame(
        PAGE_WIDTH,
        PAGE_HEIGHT,
        MARGIN,
        PAGE_WIDTH - MARGIN,
        top - SLOT_MARGIN,
        top - slot + SLOT_MARGIN,
    )


def layout_notice(item: NoticeItem, per_page: int, k: int, title: str, today: dt.date) -> Flow:
    """One notice in slot k of its page, at the largest size that holds it there."""
    base, leading = SIZES[per_page], LEADING[per_page]
    size = base
    while True:
        flow = Flow(_frame(per_page, k))
        if per_page == 1:
            flow.space(10 * mm)
        flow.title(title, size * 1.7, size * 1.2, after=size * 0.6)
        _notice_body(flow, item, size, leading, today)
        if per_page == 1:
            _stub(flow, item, size)
        if len(flow.pages) == 1:
            return flow
        if size <= base - SHRINK:
            raise LayoutError(
                f"通知单 {item.number}（{item.location}）内容太多，"
                f"每页 {per_page} 张放不下；请改为每页 1 张打印"
            )
        size -= 0.5
        leading = max(1.3, leading - 0.1)


def write_notices(
    path: Path | str,
    batches: Iterable[list[NoticeItem]],
    total: int,
    *,
    per_page: int = 3,
    title: str = "物业费缴费通知单",
    progress: Progress = no_progress,
    cancelled: IsCancelled = never_cancelled,
    today: dt.date | None = None,
) -> int:
    """Draw every notice into one PDF; returns the number of pages.

    Items arrive in batches, so a compound of any size is drawn in flat memory.
    """
    if per_page not in (1, 2, 3):
        raise ValueError(per_page)
    canvas = new_canvas(path, title)
    today = today or dt.date.today()
    done = pages = 0
    for batch in batches:
        check_cancelled(cancelled)
        for item in batch:
            k = done % per_page
            if k == 0 and done:
                canvas.showPage()
            if k == 0:
                pages += 1
            ops = layout_notice(item, per_page, k, title, today).pages[0].ops
            if k > 0:
                ops = [*ops, *_cut_line(PAGE_HEIGHT - k * PAGE_HEIGHT / per_page)]
            draw_ops(canvas, ops)
            done += 1
        progress(done, total)
    if done == 0:
        draw_ops(
            canvas, [Text(PAGE_WIDTH / 2, PAGE_HEIGHT / 2, "没有需要打印的通知单", 14, "centre")]
        )
        pages = 1
    canvas.showPage()
    canvas.save()
    return pages


def layout_reminder(item: ReminderItem, today: dt.date) -> Flow:
    """催缴通知单: its own document, one household per page (longer lists run on)."""
    frame = Frame.of(A4, MARGIN, 8 * mm, 10 * mm)
    flow = Flow(frame, running_head=f"物业费催缴通知单　{item.location}")
    flow.space(6 * mm)
    flow.title("物业费催缴通知单", 24, 18, after=2 * mm)
    flow.pair(f"编号：{item.number}", f"开具日期：{today:%Y年%m月%d日}", 10)
    flow.rule(0.8)
    flow.space(3 * mm)
    flow.paragraph(f"{item.householder_name}：", 13)
    flow.paragraph(
        f"您位于{item.compound_name}{item.location}的房屋（建筑面积 {_area(item)} ㎡，"
        f"收费标准 {item.price_text} 元/㎡·月）截至 {today:%Y年%m月%d日} 尚欠物业服务费"
        f" {len(item.months)} 期，明细如下：",
        13,
        first_indent="\u3000\u3000",
        after=2 * mm,
    )
    columns = (
        Column("欠费期间", 60 * mm),
        Column("应收（元）", 37 * mm, "right"),
        Column("已缴（元）", 37 * mm, "right"),
        Column("欠费（元）", frame.body_width - 134 * mm, "right"),
    )
    rows: list[Sequence[str]] = [
        (m.label, format_yuan(m.amount_fen), format_yuan(m.paid_fen), format_yuan(m.due_fen))
        for m in item.months
    ]
    rows.append(("合计", "", "", format_yuan(item.total_fen)))
    flow.table(columns, rows, 12)
    flow.space(3 * mm)
    flow.paragraph(
        f"合计欠费：¥{format_yuan(item.total_fen)}（大写：{in_words(item.total_fen)}）", 14
    )
    flow.paragraph(
        f"请您于收到本通知之日起 {item.reply_days} 日内缴清。缴费方式：{item.pay_ways}",
        13,
        first_indent="\u3000\u3000",
    )
    office = item.office or item.manager_name
    contact = f"，联系电话：{item.manager_contact}" if item.manager_contact else ""
    flow.paragraph(f"缴费地点：{office}{contact}。如已缴纳，请忽略本通知。", 13)
    flow.space(10 * mm)
    flow.block(
        [(item.manager_name or "物业服务中心", 14, "right"), (f"{today:%Y年%m月%d日}", 14, "right")]
    )
    return flow


def write_reminders(
    path: Path | str,
    items: Sequence[ReminderItem],
    *,
    progress: Progress = no_progress,
    cancelled: IsCancelled = never_cancelled,
    today: dt.date | None = None,
) -> int:
    """Every household's arrears reminder in one PDF; returns the number of pages."""
    today = today or dt.date.today()
    canvas = new_canvas(path, "物业费催缴通知单")
    pages = 0
    for n, item in enumerate(items, start=1):
        if n % 50 == 0:
            check_cancelled(cancelled)
            progress(n, len(items))
        pages += layout_reminder(item, today).render(canvas)
    if not items:
        draw_ops(canvas, [Text(PAGE_WIDTH / 2, PAGE_HEIGHT / 2, "没有欠费的住户", 14, "centre")])
        canvas.showPage()
        pages = 1
    canvas.save()
    progress(len(items), len(items))
    return pages
