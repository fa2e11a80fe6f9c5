"""Postings for the notice board: the fee scheme (收费公示) and the accounts (收支公示)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents.pdf import FONT, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, new_canvas, wrap
from app.fees.arithmetic import period_label
from app.fees.dto import AccountsMonth, SchemeRow
from app.money import format_yuan
from db.models.fees import EXPENSE_CATEGORIES


def _paragraph(canvas: Canvas, text: str, y: float, size: float, indent: float = 0) -> float:
    canvas.setFont(FONT, size)
    for line in wrap(text, size, PAGE_WIDTH - 2 * MARGIN - indent):
        canvas.drawString(MARGIN + indent, y, line)
        y -= size * 1.6
    return y


def write_scheme_posting(path: Path | str, scheme: SchemeRow, today: dt.date | None = None) -> None:
    """收费公示 in large type, for the stairwell."""
    today = today or dt.date.today()
    canvas = new_canvas(path, f"{scheme.compound_name}物业服务收费公示")
    y = PAGE_HEIGHT - MARGIN - 10 * mm
    canvas.setFont(FONT, 26)
    canvas.drawCentredString(PAGE_WIDTH / 2, y, f"{scheme.compound_name}")
    y -= 14 * mm
    canvas.drawCentredString(PAGE_WIDTH / 2, y, "物业服务收费公示")
    y -= 16 * mm
    body = 15
    facts = [
        f"收费标准：每月每平方米 {scheme.price_text} 元（按房屋建筑面积计算）。",
        f"收费上限：不高于每月每平方米 {scheme.cap_text} 元。"
        + (f"本方案超出上限，理由：{scheme.over_cap_reason}。" if scheme.over_cap_reason else ""),
        f"计费周期：按{scheme.cycle}收取，自 {period_label(scheme.billing_start, 1)}起计费。",
        f"过渡期：{scheme.transition_label}为免费过渡期，居民满意后再缴费。"
        if scheme.transition_months
        else "过渡期：无。",
    ]
    if scheme.exemptions:
        facts.append("减免：" + "；".join(r.label for r in scheme.exemptions) + "。")
    if scheme.service_basis:
        facts.append(f"服务内容与标准：{scheme.service_basis}")
    if scheme.basis_text:
        facts.append(scheme.basis_text + ("" if scheme.basis_text.endswith("。") else "。"))
    if scheme.gate_text:
        facts.append(f"开始收费条件：过渡期满且{scheme.gate_text}。")
    facts.append(f"收费单位：{scheme.manager_name or '（未填写）'}")
    contact = "  ".join(x for x in (scheme.office, scheme.manager_contact) if x)
    if contact:
        facts.append(f"缴费地点及联系电话：{contact}")
    facts.append(f"缴费方式：{scheme.pay_ways}")
    for fact in facts:
        y = _paragraph(canvas, fact, y, body) - 3 * mm
    y -= 6 * mm
    y = _paragraph(
        canvas,
        "以上方案经居民议事协商确定，现予公示。如有异议，请在公示期内向社区居委会或楼院自管会反映。",
        y,
        13,
    )
    canvas.setFont(FONT, 14)
    canvas.drawRightString(
        PAGE_WIDTH - MARGIN, MARGIN + 22 * mm, scheme.manager_name or "物业服务中心"
    )
    canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN + 14 * mm, f"{today:%Y年%m月%d日}")
    canvas.showPage()
    canvas.save()


def write_accounts(
    path: Path | str,
    compound_name: str,
    months: Sequence[AccountsMonth],
    today: dt.date | None = None,
) -> None:
    """收支公示: income against running costs by month and category, with the balance."""
    today = today or dt.date.today()
    canvas = new_canvas(path, f"{compound_name}收支公示")
    categories = [c for c in EXPENSE_CATEGORIES if any(c in m.expenses for m in months)] or ["其他"]
    heads = ["月份", "物业费收入", *categories, "支出合计", "当月结余"]
    width = PAGE_WIDTH - 2 * MARGIN
    col = width / len(heads)
    size = 10 if len(heads) <= 9 else 8.5
    row_h = 8 * mm

    def header(y: float) -> float:
        canvas.setFont(FONT, 20)
        canvas.drawCentredString(PAGE_WIDTH / 2, y, f"{compound_name}物业收支公示")
        y -= 10 * mm
        canvas.setFont(FONT, 10.5)
        if months:
            canvas.drawCentredString(
                PAGE_WIDTH / 2, y, f"期间：{months[0].month} 至 {months[-1].month}（单位：元）"
            )
        y -= 8 * mm
        canvas.setFont(FONT, size)
        canvas.setFillColorRGB(0.92, 0.92, 0.92)
        canvas.rect(MARGIN, y - 2.5 * mm, width, row_h, stroke=0, fill=1)
        canvas.setFillColorRGB(0, 0, 0)
        for k, head in enumerate(heads):
            canvas.drawCentredString(MARGIN + col * (k + 0.5), y, head)
        return y - row_h

    def row(y: float, cells: list[str]) -> None:
        canvas.drawString(MARGIN + 1 * mm, y, cells[0])
        for k, cell in enumerate(cells[1:], start=1):
            canvas.drawRightString(MARGIN + col * (k + 1) - 1.5 * mm, y, cell)
        canvas.setLineWidth(0.3)
        canvas.line(MARGIN, y - 2.5 * mm, MARGIN + width, y - 2.5 * mm)

    y = header(PAGE_HEIGHT - MARGIN - 8 * mm)
    for m in months:
        if y < MARGIN + 40 * mm:
            canvas.showPage()
            y = header(PAGE_HEIGHT - MARGIN - 8 * mm)
        canvas.setFont(FONT, size)
        row(
            y,
            [m.month, format_yuan(m.income_fen)]
            + [format_yuan(m.expenses.get(c, 0)) for c in categories]
            + [format_yuan(m.expense_fen), format_yuan(m.balance_fen)],
        )
        y -= row_h
    income = sum(m.income_fen for m in months)
    spent = {c: sum(m.expenses.get(c, 0) for m in months) for c in categories}
    canvas.setFont(FONT, size)
    row(
        y,
        ["合计", format_yuan(income)]
        + [format_yuan(spent[c]) for c in categories]
        + [format_yuan(sum(spent.values())), format_yuan(income - sum(spent.values()))],
    )
    y -= row_h * 2
    canvas.setFont(FONT, 12)
    balance = income - sum(spent.values())
    canvas.drawString(
        MARGIN,
        y,
        f"期间收入 {format_yuan(income)} 元，支出 {format_yuan(sum(spent.values()))} 元，"
        f"{'结余' if balance >= 0 else '超支'} {format_yuan(abs(balance))} 元。",
    )
    y -= 8 * mm
    _paragraph(canvas, "收支明细账可到物业服务中心查阅。欢迎居民监督。", y, 11)
    canvas.setFont(FONT, 12)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN + 10 * mm, f"{today:%Y年%m月%d日}")
    canvas.showPage()
    canvas.save()
