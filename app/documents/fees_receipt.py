"""The receipt (收据): two copies on one A4 (存根 and 收据联), 补打 on a reprint, 作废 if void."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents.pdf import FONT, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, new_canvas
from app.fees.dto import Receipt
from app.money import format_yuan, in_words


def _copy(canvas: Canvas, r: Receipt, top: float, copy: str) -> None:
    left, right = MARGIN, PAGE_WIDTH - MARGIN
    y = top - 14 * mm
    canvas.setFont(FONT, 18)
    canvas.drawCentredString(PAGE_WIDTH / 2, y, "物业费收据" + ("（补打）" if r.reprint else ""))
    canvas.setFont(FONT, 9)
    canvas.drawRightString(right, y + 2, copy)
    y -= 9 * mm
    canvas.setFont(FONT, 10.5)
    canvas.drawString(left, y, f"收据编号：{r.receipt_no}")
    canvas.drawRightString(right, y, f"收款日期：{r.paid_at:%Y年%m月%d日 %H:%M}")
    y -= 7 * mm
    canvas.drawString(left, y, f"楼院：{r.compound_name}    房号：{r.location}")
    canvas.drawRightString(right, y, f"交款人：{r.payer or r.householder_name}")
    y -= 4 * mm
    canvas.setLineWidth(0.8)
    canvas.rect(
        left,
        y - 7 * mm * (len(r.lines) + 1) - 2 * mm,
        right - left,
        7 * mm * (len(r.lines) + 1) + 2 * mm,
    )
    y -= 6 * mm
    canvas.drawString(left + 3 * mm, y, "收费项目")
    canvas.drawRightString(right - 3 * mm, y, "金额（元）")
    for line in r.lines:
        y -= 7 * mm
        canvas.drawString(left + 3 * mm, y, line.text)
        canvas.drawRightString(right - 3 * mm, y, format_yuan(line.amount_fen))
    y -= 12 * mm
    canvas.setFont(FONT, 12)
    canvas.drawString(
        left, y, f"合计：¥{format_yuan(r.amount_fen)}    大写：{in_words(r.amount_fen)}"
    )
    y -= 8 * mm
    canvas.setFont(FONT, 10.5)
    canvas.drawString(left, y, f"缴费方式：{r.method}    收款人：{r.operator}")
    canvas.drawRightString(right, y, f"收款单位（盖章）：{r.manager_name}")
    if r.voided:
        canvas.saveState()
        canvas.setFillColorRGB(0.8, 0, 0)
        canvas.setFont(FONT, 40)
        canvas.translate(PAGE_WIDTH / 2, top - 60 * mm)
        canvas.rotate(20)
        canvas.drawCentredString(0, 0, "作废")
        canvas.setFont(FONT, 11)
        canvas.drawCentredString(0, -16, f"原因：{r.void_reason}")
        canvas.restoreState()


def write_receipt(path: Path | str, receipt: Receipt) -> None:
    """The receipt and its stub on one A4, separated by a cut line."""
    canvas = new_canvas(path, f"收据 {receipt.receipt_no}")
    half = PAGE_HEIGHT / 2
    _copy(canvas, receipt, PAGE_HEIGHT, "第一联 交款人收执")
    canvas.saveState()
    canvas.setDash(4, 3)
    canvas.line(8 * mm, half, PAGE_WIDTH - 8 * mm, half)
    canvas.restoreState()
    _copy(canvas, receipt, half, "第二联 存根")
    canvas.showPage()
    canvas.save()
