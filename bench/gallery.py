"""Every document, on the demo database and on stress data, its first pages rendered to PNG
(pdftoppm) for a person to look at before anything is called done.

Run: PYTHONPATH=. .venv/bin/python bench/gallery.py [OUT_DIR] [--pages N]
Writes OUT_DIR/<name>.pdf and OUT_DIR/<name>-<page>.png (default /tmp/louyuan-gallery).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from app.audit import SYSTEM
from app.config import DatabaseTarget, to_url
from app.database import open_database
from app.demo import generate
from app.documents.fees_notices import write_notices, write_reminders
from app.documents.fees_postings import write_accounts, write_scheme_posting
from app.documents.fees_receipt import write_receipt
from app.documents.governance_brief import write_brief
from app.documents.governance_ledger import write_ledger
from app.documents.governance_notice import Notice, write_notice
from app.documents.survey_report import write_not_reached
from app.fees.dto import AccountsMonth, PaymentInput
from app.fees.notices import OwedMonth, ReminderItem
from app.governance.dto import ClosureRow, ProblemFilter, ProblemRow
from app.services import Services
from app.surveys import paper
from app.surveys.dto import NotReachedRow
from db.models.fees import EXPENSE_CATEGORIES

DAY = dt.date(2026, 12, 7)
TITLE40 = "关于开展无主管楼院飞线充电杂物堆积非机动车乱停乱放专项整治工作的通知公告"[:40]
COMPOUND60 = ("金水区中心路街道办事处所辖原市第二机械厂家属院暨原纺织品公司职工宿舍联合楼院" * 2)[
    :60
]
PHONE = "0371-66880002 转 8801"
Maker = Callable[[Path], object]


def paragraphs(n: int = 30) -> list[str]:
    return [
        f"第{k}项：本月共排查问题{100000000 + k * 7}件，"
        f"涉及金额¥{123456789 + k:,}.{k % 100:02d}元，"
        f"覆盖率36.{k % 10}%，联系电话{PHONE}，地点3-1-10{k % 10}室，时间2026年12月{k % 28 + 1}日。"
        "请各楼院长、楼栋长、单元长按照网格化管理要求逐户走访，如实登记，按时办结。"
        for k in range(1, n + 1)
    ]


def demo_documents(services: Services) -> dict[str, Maker]:
    fees, gov = services.fees, services.governance
    cid = fees.ledger.compound_id("粮食局家属院")
    docs = fees.documents
    period = "2026-10"
    ids = docs.notice_ids(cid, period)
    ids = ids[:3] + ids[-3:]
    pay = fees.payments
    paid = pay.pay(PaymentInput(pay.find_room(cid, "1-1-101").household_id, Decimal("30")))
    pay.void(paid.payment_id, "金额录错，已退回")
    survey = next(s.id for s in services.surveys.list_surveys() if s.answered)
    months = fees.expenses.accounts(cid, "2026-01", "2026-12")
    draft = gov.brief.draft(dt.date(2026, 11, 1), dt.date(2026, 11, 30), None, "中心路街道办事处")
    return {
        "demo-notices-3": lambda p: write_notices(p, docs.notices(ids[:6]), 6, per_page=3),
        "demo-notices-1": lambda p: write_notices(p, docs.notices(ids[:2]), 2, per_page=1),
        "demo-reminders": lambda p: write_reminders(p, docs.reminder_items(cid)[:2]),
        "demo-receipt-void": lambda p: write_receipt(p, pay.receipt(paid.payment_id)),
        "demo-scheme-posting": lambda p: write_scheme_posting(p, docs.scheme_for(cid)),
        "demo-accounts-a4": lambda p: write_accounts(
            p, "粮食局家属院", months, issuer=docs.issuer_for(cid)
        ),
        "demo-accounts-a3": lambda p: write_accounts(
            p, "粮食局家属院", months, issuer=docs.issuer_for(cid), paper="A3"
        ),
        "demo-brief": lambda p: write_brief(p, draft.title, draft.header, draft.body),
        "demo-ledger": lambda p: gov.print_ledger(p, ProblemFilter()),
        "demo-survey-report": lambda p: paper.print_report(services, survey, p),
        "demo-not-reached": lambda p: paper.print_not_reached(services, survey, p),
        "demo-questionnaire": lambda p: paper.print_questionnaires(
            services,
            survey,
            p,
            household_ids=[h.id for h in services.survey_entry.households(survey)[:1]],
        ),
    }


def stress_documents() -> dict[str, Maker]:
    body = paragraphs()
    owed = tuple(
        OwedMonth(f"{2024 + m // 12}年{m % 12 + 1}月", 123456789, 1000, DAY) for m in range(30)
    )
    reminder = ReminderItem("CJ20261207-0000001", COMPOUND60, "12号楼3单元1001", "欧阳娜娜娜",
                            99999999, "0.45", owed, 15, "现金、微信", "物业服务中心",
                            "公办物业公司", PHONE)  # fmt: skip
    months = [
        AccountsMonth(f"2026-{m:02d}", 123456789, dict.fromkeys(EXPENSE_CATEGORIES, 1234567))
        for m in range(1, 13)
    ]
    problems = [
        ProblemRow(
            k,
            1,
            "飞线充电",
            1,
            COMPOUND60,
            f"12号楼3单元{1000 + k}",
            body[k % 30],
            "居民",
            dt.date(2026, 11, 1),
            None,
            "欧阳娜娜",
            PHONE,
            "一网格",
            dt.date(2026, 11, 30),
            "待处理",
            "",
            None,
            k % 3 == 0,
        )  # fmt: skip
        for k in range(500)
    ]
    missing = [
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
    return {
        "stress-notice": lambda p: write_notice(
            p, Notice(TITLE40, "\n".join(body), (COMPOUND60,), DAY, "中心路街道某某社区居民委员会")
        ),
        "stress-brief": lambda p: write_brief(
            p, "工作简报", f"第12期　{COMPOUND60}", "\n".join(body)
        ),
        "stress-reminder": lambda p: write_reminders(p, [reminder], today=DAY),
        "stress-accounts": lambda p: write_accounts(
            p, COMPOUND60, months, DAY, issuer="公办物业公司"
        ),
        "stress-ledger": lambda p: write_ledger(
            p, problems, ClosureRow(0, "全部", 500, 0, 167, 0), scope=COMPOUND60, as_of=DAY
        ),
        "stress-not-reached": lambda p: write_not_reached(p, TITLE40, missing, unmasked=True),
    }


def stress_notices(services: Services) -> dict[str, Maker]:
    docs = services.fees.documents
    cid = services.fees.ledger.compound_id("粮食局家属院")
    items = [item for batch in docs.notices(docs.notice_ids(cid, "2026-10")[:3]) for item in batch]
    big = [
        replace(i, compound_name=COMPOUND60, manager_contact=PHONE, amount_fen=123456789,
                earlier=tuple((f"2025年{m}月", 4500) for m in range(1, 13)), earlier_fen=54000)
        for i in items
    ]  # fmt: skip
    return {
        f"stress-notices-{n}": (lambda p, n=n: write_notices(p, [big], len(big), per_page=n))
        for n in (1, 2, 3)
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="/tmp/louyuan-gallery")
    parser.add_argument("--pages", type=int, default=2, help="pages rendered per document")
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if not shutil.which("pdftoppm"):
        raise SystemExit("pdftoppm (poppler-utils) is needed")
    db = open_database(
        DatabaseTarget(to_url(Path(tempfile.mkdtemp()) / "demo.sqlite3")), create=True
    )
    generate(db)
    services = Services.build(db, SYSTEM)
    makers = {**demo_documents(services), **stress_notices(services), **stress_documents()}
    for name, make in makers.items():
        pdf = out / f"{name}.pdf"
        make(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(args.dpi), "-png", "-f", "1", "-l", str(args.pages), str(pdf),
             str(out / name)],
            check=True,
        )  # fmt: skip
        print(f"{name}: {sorted(p.name for p in out.glob(name + '-*.png'))}")
    db.close()


if __name__ == "__main__":
    main()
