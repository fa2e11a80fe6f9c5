"""Postings for the notice board: the fee scheme (收费公示) and the accounts (收支公示)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.units import mm

from app.documents.layout import Column, Flow, Frame, LayoutError, fit_columns
from app.documents.pdf import MARGIN, new_canvas
from app.fees.arithmetic import period_label
from app.fees.dto import AccountsMonth, SchemeRow
from app.money import format_yuan
from db.models.fees import EXPENSE_CATEGORIES

PAPERS = {"A4": A4, "A3": A3}
# Body type of the accounts table: legible on a notice board (A4 ≥ 10.5 pt).
ACCOUNTS_SIZE = {"A4": 10.5, "A3": 14.0}


def _day(today: dt.date) -> str:
    return f"{today.year}年{today.month}月{today.day}日"


def scheme_facts(scheme: SchemeRow) -> list[str]:
    """The paragraphs of the 收费公示, in order."""
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
    contact = "　".join(x for x in (scheme.office, scheme.manager_contact) if x)
    if contact:
        facts.append(f"缴费地点及联系电话：{contact}")
    facts.append(f"缴费方式：{scheme.pay_ways}")
    return facts


def write_scheme_posting(path: Path | str, scheme: SchemeRow, today: dt.date | None = None) -> int:
    """收费公示 in large type, for the stairwell; returns the pages."""
    today = today or dt.date.today()
    title = f"{scheme.compound_name}物业服务收费公示"
    flow = Flow(Frame.of(A4, MARGIN, 6 * mm, 8 * mm), running_head=title)
    flow.space(4 * mm)
    flow.title(scheme.compound_name, 26, 18, after=1 * mm)
    flow.title("物业服务收费公示", 26, 18, after=8 * mm)
    for fact in scheme_facts(scheme):
        flow.paragraph(fact, 15, after=3 * mm)
    flow.space(4 * mm)
    flow.paragraph(
        "以上方案经居民议事协商确定，现予公示。如有异议，请在公示期内向社区居委会或楼院自管会反映。",
        13,
        first_indent="\u3000\u3000",
    )
    flow.space(12 * mm)
    flow.block([(scheme.manager_name or "物业服务中心", 14, "right"), (_day(today), 14, "right")])
    canvas = new_canvas(path, title)
    pages = flow.render(canvas)
    canvas.save()
    return pages


def _accounts_rows(
    months: Sequence[AccountsMonth], categories: list[str]
) -> tuple[list[list[str]], int, int]:
    rows = [
        [m.month, format_yuan(m.income_fen)]
        + [format_yuan(m.expenses.get(c, 0)) for c in categories]
        + [format_yuan(m.expense_fen), format_yuan(m.balance_fen)]
        for m in months
    ]
    income = sum(m.income_fen for m in months)
    spent = {c: sum(m.expenses.get(c, 0) for m in months) for c in categories}
    total = sum(spent.values())
    rows.append(
        ["合计", format_yuan(income)]
        + [format_yuan(spent[c]) for c in categories]
        + [format_yuan(total), format_yuan(income - total)]
    )
    return rows, income, total


def write_accounts(
    path: Path | str,
    compound_name: str,
    months: Sequence[AccountsMonth],
    today: dt.date | None = None,
    *,
    issuer: str = "",
    paper: str = "A4",
) -> int:
    """收支公示: income against running costs by month and category, with the balance, signed
    by the issuing unit and dated (落款). Body ≥ 10.5 pt on A4, 14 pt on A3; the page is
    turned when the columns need it. Returns the pages."""
    if paper not in PAPERS:
        raise LayoutError(f"纸张应为 A4 或 A3，而不是“{paper}”")
    today = today or dt.date.today()
    categories = [c for c in EXPENSE_CATEGORIES if any(c in m.expenses for m in months)] or ["其他"]
    heads = ["月份", "物业费收入", *categories, "支出合计", "当月结余"]
    rows, income, spent = _accounts_rows(months, categories)
    size = ACCOUNTS_SIZE[paper]
    pad = 1.0 * mm
    frame = widths = None
    for page in (PAPERS[paper], landscape(PAPERS[paper])):
        frame = Frame.of(page, MARGIN, 6 * mm, 8 * mm)
        widths = fit_columns(heads, rows, size, frame.body_width, pad)
        if widths is not None:
            break
    if frame is None or widths is None:
        raise LayoutError("收支公示的栏目太多，纸上放不下；请选用 A3 纸")
    title = f"{compound_name}物业收支公示"
    flow = Flow(frame, running_head=title)
    flow.space(4 * mm)
    flow.title(title, size * 2, size * 1.4, after=2 * mm)
    if months:
        flow.paragraph(
            f"期间：{months[0].month} 至 {months[-1].month}（单位：元）", size, align="centre"
        )
    flow.space(2 * mm)
    columns = [
        Column(h, w, "left" if k == 0 else "right")
        for k, (h, w) in enumerate(zip(heads, widths, strict=True))
    ]
    flow.table(columns, rows, size, pad=pad)
    flow.space(4 * mm)
    balance = income - spent
    flow.paragraph(
        f"期间收入 {format_yuan(income)} 元，支出 {format_yuan(spent)} 元，"
        f"{'结余' if balance >= 0 else '超支'} {format_yuan(abs(balance))} 元。"
        "收支明细账可到物业服务中心查阅，欢迎居民监督。",
        size * 1.1,
        first_indent="\u3000\u3000",
    )
    flow.space(6 * mm)
    flow.block(
        [(issuer or f"{compound_name}物业服务中心", size * 1.3, "right"),
         (_day(today), size * 1.3, "right")]
    )  # fmt: skip
    canvas = new_canvas(path, title)
    pages = flow.render(canvas)
    canvas.save()
    return pages
