"""The receipt (收据): two copies on one A4 (存根 and 收据联), 补打 on a reprint, 作废 if void.

The 作废 stamp has its own place after the last field, so it covers nothing it voids; a receipt
too long for half a page prints each copy on its own page.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from app.documents.layout import Box, Column, Flow, Frame, Rule, Text, break_lines, draw_ops
from app.documents.pdf import MARGIN, PAGE_HEIGHT, PAGE_WIDTH, new_canvas
from app.fees.dto import Receipt
from app.money import format_yuan, in_words

RED = Color(0.8, 0, 0)
COPIES = ("第一联 交款人收执", "第二联 存根")


def _copy(r: Receipt, frame: Frame, copy: str) -> Flow:
    flow = Flow(frame)
    flow.title("物业费收据" + ("（补打）" if r.reprint else ""), 18, 14, after=1 * mm)
    flow.paragraph(copy, 9, align="right", leading=1.3)
    flow.pair(f"收据编号：{r.receipt_no}", f"收款日期：{r.paid_at:%Y年%m月%d日 %H:%M}", 10.5)
    flow.paragraph(f"楼院：{r.compound_name}", 10.5)
    flow.pair(f"房号：{r.location}", f"交款人：{r.payer or r.householder_name}", 10.5)
    flow.space(1 * mm)
    width = frame.body_width
    flow.table(
        (Column("收费项目", width - 45 * mm), Column("金额（元）", 45 * mm, "right")),
        [(line.text, format_yuan(line.amount_fen)) for line in r.lines],
        10.5,
    )
    flow.space(2 * mm)
    flow.paragraph(f"合计：¥{format_yuan(r.amount_fen)}　大写：{in_words(r.amount_fen)}", 12)
    flow.pair(
        f"缴费方式：{r.method}　收款人：{r.operator}", f"收款单位（盖章）：{r.manager_name}", 10.5
    )
    if r.voided:
        _stamp(flow, r.void_reason)
    return flow


def _stamp(flow: Flow, reason: str) -> None:
    """作废 and its reason in a red frame, below every field (so it covers none)."""
    left, right = flow.frame.left, flow.frame.right
    lines = break_lines(f"原因：{reason}", 11, right - left - 40 * mm)
    height = max(16 * mm, len(lines) * 16.5 + 6 * mm)
    flow.need(height + 3 * mm, "作废章")
    top = flow.y - 3 * mm
    flow.ops.append(Box(left, top - height, right - left, height, None, stroke=True, color=RED))
    flow.ops.append(Text(left + 5 * mm, top - height / 2 - 10, "作废", 28, color=RED))
    for k, line in enumerate(lines):
        flow.ops.append(Text(left + 35 * mm, top - 3 * mm - 11 - k * 16.5, line, 11, color=RED))
    flow.y = top - height


def write_receipt(path: Path | str, receipt: Receipt) -> int:
    """The receipt and its stub on one A4, separated by a cut line; returns the pages."""
    half = PAGE_HEIGHT / 2
    halves = [
        _copy(
            receipt,
            Frame(
                PAGE_WIDTH,
                PAGE_HEIGHT,
                MARGIN,
                PAGE_WIDTH - MARGIN,
                top - 10 * mm,
                top - half + 8 * mm,
            ),
            copy,
        )  # fmt: skip
        for top, copy in zip((PAGE_HEIGHT, half), COPIES, strict=True)
    ]
    canvas = new_canvas(path, f"收据 {receipt.receipt_no}")
    if all(len(flow.pages) == 1 for flow in halves):
        cut = Rule(8 * mm, half, PAGE_WIDTH - 8 * mm, half, 0.5, dash=(4, 3))
        draw_ops(canvas, [*halves[0].pages[0].ops, *halves[1].pages[0].ops, cut])
        canvas.showPage()
        canvas.save()
        return 1
    pages = sum(
        _copy(receipt, Frame.of(A4, MARGIN, 6 * mm, 8 * mm), copy).render(canvas) for copy in COPIES
    )
    canvas.save()
    return pages
