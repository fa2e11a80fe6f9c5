"""Fee PDFs and the fee CLI: figures, Chinese text, embedded fonts."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from fees_factory import small_compound
from pypdf import PdfReader

from app.cli import main
from app.config import to_url
from app.documents.fees_notices import write_notices
from app.documents.fees_postings import write_accounts, write_scheme_posting
from app.documents.fees_receipt import write_receipt
from app.fees.dto import ExpenseInput, PaymentInput, SchemeInput
from app.services import Services


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _fonts_embedded(path: Path) -> None:
    if not shutil.which("pdffonts"):
        return
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows), out.stdout


@pytest.fixture
def billed(db, services: Services) -> int:  # type: ignore[no-untyped-def]
    cid = small_compound(db)
    services.fees.schemes.create_active(
        SchemeInput(
            compound_id=cid, price="0.45", start_month="2026-01", manager_name="公办物业公司"
        ),
        "满意",
    )
    services.fees.billing.run(cid, "2026-02")
    services.fees.billing.run(cid, "2026-03")
    return cid


@pytest.mark.parametrize("per_page", [1, 2, 3])
def test_notices_per_page(billed: int, services: Services, tmp_path: Path, per_page: int) -> None:
    docs = services.fees.documents
    ids = docs.notice_ids(billed, "2026-03")
    path = tmp_path / "n.pdf"
    pages = write_notices(path, docs.notices(ids, masked=True), len(ids), per_page=per_page)
    assert pages == -(-6 // per_page) == len(PdfReader(path).pages)
    text = _text(path)
    assert "物业费缴费通知单" in text and "3号楼1单元101" in text
    assert "¥36.00" in text and "叁拾陆元整" in text  # 80 m² × 0.45
    assert "往期欠费：2026年2月 ¥36.00，共 ¥36.00" in text and "¥72.00" in text  # February due
    assert "计算：建筑面积 80.00 ㎡ × 单价 0.45 元/㎡·月 × 1 个月 = ¥36.00" in text
    assert "住户101" not in text and "住***1" in text  # masked names
    _fonts_embedded(path)


def test_receipt_reprint_and_void(billed: int, services: Services, tmp_path: Path) -> None:
    pay = services.fees.payments
    hid = pay.find_room(billed, "3-1-101").household_id
    first = pay.pay(PaymentInput(hid, Decimal("53.91"), "微信"))
    write_receipt(tmp_path / "r.pdf", pay.receipt(first.payment_id))
    text = _text(tmp_path / "r.pdf")
    assert first.receipt_no in text and "伍拾叁元玖角壹分" in text and "补打" not in text
    assert "2026年2月物业费" in text
    pay.void(first.payment_id, "录错")
    write_receipt(tmp_path / "r2.pdf", pay.receipt(first.payment_id))
    text = _text(tmp_path / "r2.pdf")
    assert "补打" in text and "作废" in text and "录错" in text
    _fonts_embedded(tmp_path / "r2.pdf")


def test_postings(billed: int, services: Services, tmp_path: Path) -> None:
    scheme = services.fees.documents.scheme_for(billed)
    write_scheme_posting(tmp_path / "p.pdf", scheme)
    text = _text(tmp_path / "p.pdf")
    assert "物业服务收费公示" in text and "0.45" in text and "0.50" in text
    assert "2026年1月为免费过渡期" in text
    services.fees.expenses.add(ExpenseInput(billed, "2026-03", "保洁", Decimal("800")))
    hid = services.fees.payments.find_room(billed, "3-1-101").household_id
    services.fees.payments.pay(PaymentInput(hid, Decimal("36")))
    months = services.fees.expenses.accounts(billed, "2026-03", "2026-03")
    write_accounts(tmp_path / "a.pdf", "测试家属院", months)
    text = _text(tmp_path / "a.pdf")
    assert "收支公示" in text and "800.00" in text and "保洁" in text
    _fonts_embedded(tmp_path / "a.pdf")


def test_cli_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.config import DatabaseTarget
    from app.database import open_database

    url = to_url(tmp_path / "cli.sqlite3")
    db = open_database(DatabaseTarget(url))
    small_compound(db)
    db.close()
    base = ["--db", url]
    assert (
        main(
            [
                *base,
                "fee-scheme",
                "--compound",
                "测试家属院",
                "--price",
                "0.55",
                "--start",
                "2026-01",
            ]
        )
        == 1
    )
    assert "上限" in capsys.readouterr().err
    assert (
        main(
            [
                *base,
                "fee-scheme",
                "--compound",
                "测试家属院",
                "--price",
                "0.45",
                "--start",
                "2026-01",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main([*base, "bill", "--compound", "测试家属院", "--period", "2026-02", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["charges"] == 6 and out["total"] == "222.75"  # 495 m² × 0.45
    assert main([*base, "bill", "--compound", "测试家属院", "--period", "2026-02", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["charges"] == 0
    assert (
        main([*base, "pay", "--compound", "测试家属院", "--room", "3-1-101", "--amount", "53.91"])
        == 0
    )
    assert capsys.readouterr().out.strip().endswith("-000001")
    assert (
        main(
            [
                *base,
                "notices",
                str(tmp_path / "n.pdf"),
                "--compound",
                "测试家属院",
                "--period",
                "2026-02",
                "--per-page",
                "2",
            ]
        )
        == 0
    )
    assert len(PdfReader(tmp_path / "n.pdf").pages) == 3
    for kind in ("fee-scheme", "accounts", "arrears"):
        assert (
            main(
                [*base, "posting", kind, str(tmp_path / f"{kind}.pdf"), "--compound", "测试家属院"]
            )
            == 0
        )
    assert main([*base, "bill", "--compound", "没有这个院", "--period", "2026-02"]) == 1
    assert "没有名为" in capsys.readouterr().err


def test_cli_fee_scheme_with_exemptions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.config import DatabaseTarget
    from app.database import open_database

    url = to_url(tmp_path / "cli.sqlite3")
    db = open_database(DatabaseTarget(url))
    small_compound(db)
    db.close()
    base = ["--db", url, "fee-scheme", "--compound", "测试家属院", "--price", "0.45"]
    assert main([*base, "--start", "2026-01", "--exempt", "富豪=50%"]) == 1
    assert "既不是房屋状态也不是居民标签" in capsys.readouterr().err
    assert main([*base, "--start", "2026-01", "--exempt", "空置50%"]) == 1
    assert "应写成 对象=数值" in capsys.readouterr().err
    assert main([*base, "--start", "2026-01", "--exempt", "空置=150%"]) == 1
    assert "1～100" in capsys.readouterr().err
    args = [*base, "--start", "2026-01", "--exempt", "空置=50%", "--exempt", "低保户=10元"]
    assert main(args) == 0
    assert capsys.readouterr().out.strip().endswith("减免：空置减50%、低保户每月减10.00元")
    assert (
        main(["--db", url, "bill", "--compound", "测试家属院", "--period", "2026-02", "--json"])
        == 0
    )
    # 222.75 in all, less half of 36.45 (18.22, the charge rounded half up) and 10.00
    assert json.loads(capsys.readouterr().out)["total"] == "194.53"


def test_cli_fee_scheme_full_options_and_survey_gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Everything the scheme dialog sets can be set from the command line; a scheme gated on a
    survey stops where the gate stops it, saved, and says so."""
    from app.audit import Actor
    from app.config import DatabaseTarget
    from app.database import open_database
    from app.surveys.dto import ScopeItem

    url = to_url(tmp_path / "cli.sqlite3")
    db = open_database(DatabaseTarget(url))
    small_compound(db)
    services = Services.build(db, Actor("t", "admin"))
    cid = services.compounds.list_compounds()[0].id
    survey = services.surveys.create_survey(
        services.surveys.template("物业服务满意度调查", (ScopeItem(cid),))
    )
    db.close()
    base = ["--db", url, "fee-scheme", "--compound", "测试家属院", "--price", "0.45"]
    details = [
        "--start", "2026-03", "--cycle", "季", "--due-days", "20", "--manager", "和平物业",
        "--contact", "0371-66668888", "--office", "1号楼一层", "--services", "每日保洁",
        "--basis", "2026年2月楼院议事会决议", "--survey", str(survey), "--satisfaction", "70",
    ]  # fmt: skip
    assert main([*base, *details]) == 1
    err = capsys.readouterr().err
    assert "满意" in err and "方案已保存，当前为“过渡期”" in err
    assert main([*base, *details, "--until", "posted"]) == 0
    assert capsys.readouterr().out.startswith("收费方案（公示中）：测试家属院 0.45 元/㎡·月")
    db = open_database(DatabaseTarget(url))
    try:
        rows = Services.build(db, Actor("t", "admin")).fees.schemes.list_schemes(cid)
    finally:
        db.close()
    assert sorted(r.state for r in rows) == ["posted", "transition"]
    row = rows[0]
    assert (row.cycle, row.due_days, row.manager_name, row.manager_contact, row.office) == (
        "季", 20, "和平物业", "0371-66668888", "1号楼一层",
    )  # fmt: skip
    assert row.service_basis == "每日保洁" and row.basis_text == "依据：2026年2月楼院议事会决议"
    assert row.survey_id == survey and "满意率不低于 70%" in row.gate_text


def test_notice_a_resident_can_check(db, services: Services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Regression: exemptions were never shown, a paid household got "本期应缴 ¥0.00" with no
    已缴 line, a partial payment was not marked, a past period printed a past deadline."""
    from app.fees.schemes import exemption_from_text

    cid = small_compound(db)
    services.fees.schemes.create_active(
        SchemeInput(
            compound_id=cid,
            price="0.45",
            start_month="2026-01",
            manager_name="公办物业公司",
            exemptions=(exemption_from_text("空置=50%"),),
        ),
        "满意",
    )
    services.fees.billing.run(cid, "2026-02")
    services.fees.billing.run(cid, "2026-03")
    pay = services.fees.payments
    pay.pay(PaymentInput(pay.find_room(cid, "3-1-101").household_id, Decimal("72.00"), "现金"))
    pay.pay(PaymentInput(pay.find_room(cid, "3-1-201").household_id, Decimal("50.00"), "现金"))
    docs = services.fees.documents
    ids = docs.notice_ids(cid, "2026-03")
    path = tmp_path / "n.pdf"
    import datetime as dt

    write_notices(path, docs.notices(ids), len(ids), per_page=1, today=dt.date(2026, 12, 7))
    pages = [p.extract_text() for p in PdfReader(path).pages]
    room101 = next(p for p in pages if "3号楼1单元101" in p)
    assert "已缴：¥36.00（本期已缴清）" in room101 and "已缴清" in room101
    room102 = next(p for p in pages if "3号楼1单元102" in p)
    assert "81.00 ㎡ × 单价 0.45 元/㎡·月 × 1 个月 = ¥36.45" in room102
    assert "减免：空置" in room102 and "减免后本期费用 ¥18.2" in room102
    room201 = next(p for p in pages if "3号楼1单元201" in p)
    assert "（部分缴纳）" in room201
    assert "缴费期限已过，请尽快缴清" in room201 and "前缴清" not in room201
    # the arrears reminder is its own document: every month owed, with the total
    reminders = docs.reminder_items(cid)
    from app.documents.fees_notices import write_reminders

    out = tmp_path / "r.pdf"
    write_reminders(out, reminders, today=dt.date(2026, 12, 7))
    text = _text(out)
    assert "物业费催缴通知单" in text and "本期应缴" not in text
    assert "2026年2月" in text and "2026年3月" in text and "尚欠物业服务费 2 期" in text


def test_receipt_prints_the_payees_display_name(
    billed: int, services: Services, tmp_path: Path
) -> None:
    """Regression: receipts printed the login ("收款人：system", "clerk")."""
    from app.audit import Actor

    services.users.add_user("clerk7", "Secret-2026!", "clerk", "王小红")
    clerk = Services.build(services.db, Actor("clerk7", "clerk"))
    pay = clerk.fees.payments
    paid = pay.pay(PaymentInput(pay.find_room(billed, "3-1-101").household_id, Decimal("36.00")))
    write_receipt(tmp_path / "r.pdf", pay.receipt(paid.payment_id))
    text = _text(tmp_path / "r.pdf")
    assert "收款人：王小红" in text and "clerk7" not in text
    from app.audit import SYSTEM

    system = Services.build(services.db, SYSTEM).fees.payments
    paid = system.pay(PaymentInput(system.find_room(billed, "3-1-102").household_id, Decimal("1")))
    write_receipt(tmp_path / "s.pdf", system.receipt(paid.payment_id))
    assert "收款人：系统" in _text(tmp_path / "s.pdf")
