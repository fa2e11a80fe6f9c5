"""Governance paper: the ledger PDF, the work brief and the notice (text extractable, A4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.demo import REFERENCE_DAY
from app.documents.governance_brief import write_brief
from app.documents.governance_notice import Notice, write_notice
from app.errors import AppError
from app.governance.dto import ProblemFilter
from app.governance.service import GovernanceService
from app.services import Services


@pytest.fixture
def gov(demo: Services) -> GovernanceService:
    return GovernanceService(demo.db.sessions, demo.actor, lambda: REFERENCE_DAY)


def _text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def test_ledger_pdf_lists_the_filtered_problems(gov: GovernanceService, tmp_path: Path) -> None:
    out = tmp_path / "ledger.pdf"
    flt = ProblemFilter(overdue=True)
    rows = gov.problems.list_problems(flt)
    pages = gov.print_ledger(out, flt, "逾期问题")
    reader = PdfReader(out)
    assert len(reader.pages) == pages >= 1
    text = _text(out)
    assert "楼院问题台账" in text and f"共 {len(rows)} 件" in text
    assert rows[0].description in text and "逾期" in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert round(float(width)) == 842 and round(float(height)) == 595  # A4 landscape


def test_brief_is_drafted_from_the_data(gov: GovernanceService, tmp_path: Path) -> None:
    start, end = dt.date(2026, 1, 1), REFERENCE_DAY
    draft = gov.brief.draft(start, end, None, "中心路街道办事处")
    coverage = gov.organisations.coverage()[-1]
    assert f"已有{coverage.complete}个实现“三类组织”" in draft.body
    reported = [p for p in gov.problems.list_problems() if start <= p.reported_on <= end]
    assert f"共排查登记问题{len(reported)}件" in draft.body
    assert "收费标准不高于0.5元/平米" in draft.body
    edited = draft.body + "\n六、下一步工作。持续开展飞线充电专项整治。"
    out = tmp_path / "brief.pdf"
    write_brief(out, draft.title, draft.header, edited)
    assert len(PdfReader(out).pages) == 1
    assert "六、下一步工作" in _text(out).replace("\n", "")


def test_notice_one_page_per_compound(tmp_path: Path) -> None:
    out = tmp_path / "n.pdf"
    notice = Notice(
        "停水通知",
        "因管道维修，明日停水一天。",
        ("一号院", "二号院"),
        REFERENCE_DAY,
        "某社区居委会",
    )
    assert write_notice(out, notice) == 2
    text = _text(out)
    assert "一号院全体居民" in text and "二号院全体居民" in text and "某社区居委会" in text
    with pytest.raises(AppError, match="标题"):
        write_notice(out, Notice(" ", "x", (), REFERENCE_DAY, "o"))
