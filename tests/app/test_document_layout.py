"""Every document on stress data, read back glyph by glyph (see layout_checks.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from layout_checks import assert_clean, inspect, split_runs

from app.documents.fees_notices import write_notices, write_reminders
from app.documents.fees_postings import scheme_facts, write_accounts, write_scheme_posting
from app.documents.fees_receipt import write_receipt
from app.documents.governance_brief import write_brief
from app.documents.governance_notice import Notice, write_notice
from app.documents.layout import LayoutError, break_lines, fit_lines, tokens
from app.fees.dto import Receipt, ReceiptLine, SchemeRow
from app.fees.notices import NoticeItem, OwedMonth, ReminderItem
from app.services import Services

DAY = dt.date(2026, 12, 7)
TITLE40 = "关于开展无主管楼院飞线充电杂物堆积非机动车乱停乱放专项整治工作的通知公告"[:40]
COMPOUND60 = ("金水区中心路街道办事处所辖原市第二机械厂家属院暨原纺织品公司职工宿舍联合楼院" * 2)[
    :60
]
PHONE = "0371-66880002 转 8801"


def paragraphs(n: int = 30) -> list[str]:
    """Thirty paragraphs with numbers a line must not split."""
    return [
        f"第{k}项：本月共排查问题{100000000 + k * 7}件，"
        f"涉及金额¥{123456789 + k:,}.{k % 100:02d}元，"
        f"覆盖率36.{k % 10}%，联系电话{PHONE}，地点3-1-10{k % 10}室，时间2026年12月{k % 28 + 1}日。"
        "请各楼院长、楼栋长、单元长按照网格化管理要求逐户走访，如实登记，按时办结。"
        for k in range(1, n + 1)
    ]


def test_tokens_keep_numbers_whole() -> None:
    assert "0371-66880002" in tokens("电话0371-66880002")
    assert "36.8%" in tokens("覆盖率36.8%")
    assert "¥1,234,567.89" in tokens("合计¥1,234,567.89元")
    assert "2026年12月7日" in tokens("于2026年12月7日前")
    assert "3-1-101" in tokens("房号3-1-101")


@pytest.mark.parametrize("width_chars", range(8, 30))
def test_break_lines_never_splits_a_number(width_chars: int) -> None:
    """Regression (工作简报): "通过2 / 4项", "覆盖率36. / 8%" at every possible width."""
    text = "本月召开议事会，通过24项决议，覆盖率36.8%，电话0371-66880002，金额¥123,456,789.00元。"
    lines = break_lines(text, 12, width_chars * 12)
    assert "".join(lines) == text
    for run in ("24", "36.8%", "0371-66880002", "¥123,456,789.00"):
        assert any(run in line for line in lines), (run, lines)
    assert all(line and line[0] not in "，。" for line in lines)


def test_title_shrinks_then_wraps() -> None:
    size, lines = fit_lines("停水通知", 40, 400, 26)
    assert (size, lines) == (40, ["停水通知"])
    size, lines = fit_lines(TITLE40, 40, 500, 26)
    assert size == 26 and len(lines) == 2


def test_notice_long_title_and_body(tmp_path: Path) -> None:
    """Regression (张贴通知): the 40 pt title was cut at both edges and the signature was pinned
    on top of a long body's last lines."""
    body = paragraphs()
    out = tmp_path / "notice.pdf"
    notice = Notice(TITLE40, "\n".join(body), (COMPOUND60,), DAY, "中心路街道某某社区居民委员会")
    pages = write_notice(out, notice)
    report = assert_clean(out, [*body, "2026年12月7日"], body, skip=[TITLE40])
    assert pages == report.pages > 1
    # the signature comes after the last paragraph's end, on the last page
    tail = report.text()
    assert tail.endswith("中心路街道某某社区居民委员会2026年12月7日")
    assert "第1页共" in "".join(report.lines)


def test_notice_title_fits_the_page(tmp_path: Path) -> None:
    out = tmp_path / "notice.pdf"
    write_notice(out, Notice(TITLE40, "停水一天。", (), DAY, "社区居委会"))
    assert_clean(out, paragraphs=[TITLE40, "停水一天。"])


def test_brief_thirty_paragraphs_all_printed(tmp_path: Path) -> None:
    """Regression (工作简报): with 30 paragraphs the brief shrank to 9 pt, ran off the page and
    lost 8 of them; numbers split over lines."""
    body = paragraphs()
    out = tmp_path / "brief.pdf"
    pages = write_brief(out, "工作简报", f"第12期　{COMPOUND60}　2026年12月7日", "\n".join(body))
    report = assert_clean(out, body, body, skip=["工作简报"])
    assert pages == report.pages >= 2


def test_checker_finds_a_split_number() -> None:
    """The checks themselves can fail (a layout with the old character-by-character wrap)."""
    from layout_checks import Report

    report = Report([], [], ["覆盖率36.", "8%"], 1)
    assert split_runs(report, ["覆盖率36.8%"]) == ["36.8%"]
    assert inspect  # imported for other tests


def stress_notice(k: int = 1, earlier: int = 12) -> NoticeItem:
    return NoticeItem(
        number=f"202612-{k:07d}",
        compound_name=COMPOUND60,
        location=f"12号楼3单元{1000 + k}",
        householder_name="欧阳娜娜娜",
        area_centi=99999999,
        price_text="0.45",
        period_text="2026年12月",
        amount_fen=123456789,
        earlier_fen=earlier * 4500,
        due_date=dt.date(2026, 12, 31),
        pay_ways="现金、微信、支付宝、银行转账",
        office="中心路街道公办物业服务中心一楼大厅收费窗口",
        manager_name="郑州市金水区中心路街道公办物业服务有限公司",
        manager_contact=PHONE,
        months=3,
        gross_fen=246913578,
        discount_fen=123456789,
        discount_note="空置减50%",
        paid_fen=0,
        earlier=tuple((f"2025年{m}月", 4500) for m in range(1, earlier + 1)),
        credit_fen=0,
    )


@pytest.mark.parametrize("per_page", [1, 2, 3])
def test_fee_notices_stress(tmp_path: Path, per_page: int) -> None:
    """Regression: `--per-page 1` used the small layout in the top quarter; long fields ran
    into each other; every notice holds all its lines inside its slot."""
    out = tmp_path / "n.pdf"
    items = [stress_notice(k) for k in range(1, 7)]
    pages = write_notices(out, [items], 6, per_page=per_page, today=DAY)
    lines = [
        f"楼院：{COMPOUND60}",
        "计算：建筑面积999999.99㎡×单价0.45元/㎡·月×3个月=¥2,469,135.78",
        "减免：空置减50%−¥1,234,567.89",
        f"联系电话：{PHONE}",
    ]
    report = assert_clean(out, [*lines, "¥1,234,567.89"], lines)
    assert pages == report.pages == -(-6 // per_page)
    if per_page == 1:  # the large layout fills the page: the last line is in its lower half
        import pdfplumber

        with pdfplumber.open(out) as pdf:
            page = pdf.pages[0]
            assert max(c["bottom"] for c in page.chars) > page.height * 0.6
            assert max(c["size"] for c in page.chars if c["text"] == "本") >= 13


def test_fee_notice_too_long_fails_with_a_message(tmp_path: Path) -> None:
    with pytest.raises(LayoutError, match="每页 3 张放不下"):
        write_notices(tmp_path / "n.pdf", [[stress_notice(1, 200)]], 1, per_page=3, today=DAY)


def test_reminder_stress(tmp_path: Path) -> None:
    months = tuple(
        OwedMonth(f"{2020 + m // 12}年{m % 12 + 1}月", 123456789, 1000, DAY) for m in range(40)
    )
    item = ReminderItem(
        number="CJ20261207-0000001",
        compound_name=COMPOUND60,
        location="12号楼3单元1001",
        householder_name="欧阳娜娜娜",
        area_centi=99999999,
        price_text="0.45",
        months=months,
        reply_days=15,
        pay_ways="现金、微信",
        office="物业服务中心",
        manager_name="公办物业公司",
        manager_contact=PHONE,
    )
    out = tmp_path / "r.pdf"
    pages = write_reminders(out, [item], today=DAY)
    report = assert_clean(out, ["1,234,567.89", "1,234,557.89", PHONE], [m.label for m in months])
    assert pages == report.pages >= 2
    assert_header_on_every_page(out, "欠费期间", "2020年")


def assert_header_on_every_page(path: Path, head: str, row: str) -> None:
    """Every page that has a table row also has the table's header row above it."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            text = page.extract_text() or ""
            if row in text:
                assert head in text.split(row)[0], text[:200]


@pytest.mark.parametrize("lines", [2, 30])
def test_receipt_void_stamp_covers_no_field(tmp_path: Path, lines: int) -> None:
    """Regression: the 作废 stamp and reason were drawn over the 大写 line and 收款单位（盖章）."""
    receipt = Receipt(
        payment_id=1,
        receipt_no="2026-000123",
        paid_at=dt.datetime(2026, 12, 7, 9, 30),
        compound_name=COMPOUND60,
        location="12号楼3单元1001",
        householder_name="欧阳娜娜娜",
        payer="",
        amount_fen=123456789,
        method="微信",
        operator="王小红",
        lines=tuple(ReceiptLine(f"2025年{k % 12 + 1}月物业费", 123456789) for k in range(lines)),
        manager_name="郑州市金水区中心路街道公办物业服务有限公司",
        voided=True,
        void_reason="录入金额错误，已按原路退回交款人，重新开具收据" * 2,
        reprint=True,
    )
    out = tmp_path / "r.pdf"
    pages = write_receipt(out, receipt)
    report = assert_clean(out, ["¥1,234,567.89"], [f"楼院：{COMPOUND60}", "作废"])
    assert pages == report.pages
    assert (pages == 1) == (lines == 2)


def stress_scheme() -> SchemeRow:
    return SchemeRow(
        id=1,
        compound_id=1,
        compound_name=COMPOUND60,
        name="",
        price_milli=450,
        cap_milli=500,
        over_cap_reason="",
        start_month="2026-01",
        cycle="月",
        transition_months=1,
        due_days=30,
        manager_name="郑州市金水区中心路街道公办物业服务有限公司",
        manager_contact=PHONE,
        office="中心路街道公办物业服务中心一楼大厅收费窗口",
        pay_ways="现金、微信、支付宝、银行转账",
        service_basis="\n".join(paragraphs(6)),
        resolution_note="2026年1月15日居民议事会决议（到会123456789人，同意123456780人）",
        resolution_id=None,
        state="active",
        state_reason="",
    )


def test_scheme_posting_stress(tmp_path: Path) -> None:
    """Regression: phone numbers broke across lines on large-type postings ("0371-66 / 880002")."""
    out = tmp_path / "s.pdf"
    pages = write_scheme_posting(out, stress_scheme(), DAY)
    facts = scheme_facts(stress_scheme())
    head = f"{COMPOUND60}物业服务收费公示"
    report = assert_clean(out, [*facts, PHONE], facts, skip=[head])
    assert pages == report.pages
    assert report.text().endswith("郑州市金水区中心路街道公办物业服务有限公司2026年12月7日")


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_accounts_stress(tmp_path: Path, paper: str) -> None:
    """Regression: the 收支公示 had no 落款 and a ~7.5 pt table."""
    import pdfplumber

    from app.fees.dto import AccountsMonth
    from db.models.fees import EXPENSE_CATEGORIES

    months = [
        AccountsMonth(
            f"{2024 + m // 12}-{m % 12 + 1:02d}",
            123456789,
            dict.fromkeys(EXPENSE_CATEGORIES, 1234567),
        )
        for m in range(36)
    ]
    out = tmp_path / "a.pdf"
    pages = write_accounts(out, COMPOUND60, months, DAY, issuer="某某公办物业公司", paper=paper)
    report = assert_clean(
        out,
        ["1,234,567.89", "12,345.67"],
        [m.month for m in months],
        skip=[f"{COMPOUND60}物业收支公示"],
    )
    assert pages == report.pages
    assert report.text().endswith("某某公办物业公司2026年12月7日")
    assert_header_on_every_page(out, "月份", "1,234,567.89")
    with pdfplumber.open(out) as pdf:
        sizes = [  # every figure but the page numbers at the foot
            c["size"]
            for p in pdf.pages
            for c in p.chars
            if c["text"] in "0123456789" and c["top"] < p.height - 60
        ]
    assert min(sizes) >= (10.5 if paper == "A4" else 14) - 0.01


def test_not_reached_list_500_rows(tmp_path: Path) -> None:
    """Regression: 住址 ran into 户主 in the not-reached list; the header repeats per page."""
    from app.documents.survey_report import write_not_reached
    from app.surveys.dto import NotReachedRow

    rows = [
        NotReachedRow(
            k,
            COMPOUND60,
            "12",
            "3",
            f"{1000 + k}",
            "欧阳娜娜娜" * 2,
            "13800001234",
            "无人在家",
            None,
        )  # fmt: skip
        for k in range(500)
    ]
    out = tmp_path / "nr.pdf"
    pages = write_not_reached(out, TITLE40, rows, unmasked=True)
    report = assert_clean(out, ["13800001234", "12号楼3单元1499"], [])
    assert pages == report.pages > 10
    text = "".join(report.lines)
    assert all(f"12号楼3单元{1000 + k}" in text for k in range(500))
    assert_header_on_every_page(out, "再次走访记录", "13800001234")


def test_survey_report_on_the_demo(demo: Services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The results report: header rows repeated, numbers right-aligned under their heads."""
    import pdfplumber

    from app.surveys import paper

    sid = next(s.id for s in demo.surveys.list_surveys() if s.answered)
    out = tmp_path / "r.pdf"
    paper.print_report(demo, sid, out)
    report = assert_clean(out)
    assert report.pages >= 2
    with pdfplumber.open(out) as pdf:  # 覆盖率 column: its figures end where its head ends
        for page in pdf.pages:
            words = page.extract_words()
            heads = [w for w in words if w["text"] == "覆盖率"]
            for head in heads:
                below = [w for w in words if w["top"] > head["bottom"] and w["text"].endswith("%")
                         and abs(w["x1"] - head["x1"]) < 2]  # fmt: skip
                assert below, "numbers are not aligned with their header"


def test_problem_ledger_500_rows(tmp_path: Path) -> None:
    """Regression: 状态 wrapped as "待处理（逾 / 期）"; every page repeats the header."""
    from app.documents.governance_ledger import write_ledger
    from app.governance.dto import ClosureRow, ProblemRow

    rows = [
        ProblemRow(
            k,
            1,
            "飞线充电",
            1,
            COMPOUND60 if k % 50 == 0 else "粮食局家属院",
            f"12号楼3单元{1000 + k}",
            paragraphs(1)[0] if k % 50 == 0 else "楼道堆物",
            "居民",
            dt.date(2026, 11, 1),
            None,
            "欧阳娜娜",
            PHONE,
            "一网格",
            None,
            "",
            dt.date(2026, 11, 30),
            "待处理",
            "",
            None,
            True,
        )  # fmt: skip
        for k in range(500)
    ]
    out = tmp_path / "l.pdf"
    pages = write_ledger(
        out, rows, ClosureRow(0, "全部", 500, 0, 500, 0), scope=COMPOUND60, as_of=DAY
    )
    report = assert_clean(out, ["2026-11-30", "100000007"], [])
    assert pages == report.pages > 10
    assert "待处理（逾" not in "".join(report.lines)
    assert_header_on_every_page(out, "办理时限", "2026-11-30")


def test_questionnaire_long_names(demo: Services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A 40-character title and a 60-character compound stay on the page and off the QR code."""
    from dataclasses import replace

    from app.documents.survey_questionnaire import write_questionnaires

    sid = next(s.id for s in demo.surveys.list_surveys() if s.answered)
    survey = demo.surveys.get_survey(sid)
    survey = replace(survey, data=replace(survey.data, title=TITLE40))
    homes = [replace(h, compound_name=COMPOUND60) for h in demo.survey_entry.households(sid)[:2]]
    out = tmp_path / "q.pdf"
    write_questionnaires(out, survey, homes)
    assert_clean(out, [], [TITLE40, f"楼院：{COMPOUND60}"])
