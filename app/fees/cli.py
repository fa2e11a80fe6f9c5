"""Fee subcommands (wired into app.cli): fee-scheme, bill, notices, pay, posting."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from app.database import Database
from app.errors import AppError
from app.fees.arithmetic import add_months, parse_period
from app.fees.dto import BILLING_CYCLES, PAYMENT_METHODS, STATE_LABELS, PaymentInput, SchemeInput
from app.fees.errors import FeeError
from app.fees.schemes import exemption_from_text
from app.money import format_yuan, parse_yuan
from app.outputs import check_output
from app.services import Services
from app.signin import acting

SUBCOMMANDS = ("fee-scheme", "bill", "notices", "pay", "receipt", "posting")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    scheme = sub.add_parser("fee-scheme", help="创建并启用楼院的收费方案")
    scheme.add_argument("--compound", required=True, metavar="NAME", help="楼院名称")
    scheme.add_argument("--price", required=True, help="单价（元/㎡·月），如 0.45")
    scheme.add_argument("--start", required=True, metavar="YYYY-MM", help="起始月份")
    scheme.add_argument("--transition-months", type=int, default=1, metavar="N", help="免费过渡期")
    scheme.add_argument("--confirm-over-cap", metavar="REASON", default="", help="超出上限的理由")
    scheme.add_argument(
        "--exempt",
        action="append",
        default=[],
        metavar="对象=数值",
        help="减免（可重复）：空置=50%%、低保=100%% 按比例，低保=10元 每月定额",
    )
    scheme.add_argument("--name", default="", help="方案名称（可不填）")
    scheme.add_argument("--cycle", choices=BILLING_CYCLES, default="月", help="计费周期")
    scheme.add_argument("--due-days", type=int, default=30, metavar="N", help="缴费期限（天）")
    scheme.add_argument("--manager", default="", metavar="NAME", help="收费单位")
    scheme.add_argument("--contact", default="", metavar="PHONE", help="联系电话")
    scheme.add_argument("--office", default="", metavar="PLACE", help="缴费地点")
    scheme.add_argument("--services", default="", metavar="TEXT", help="服务内容与标准")
    scheme.add_argument("--basis", default="", metavar="TEXT", help="议定依据（印在公示上）")
    scheme.add_argument(
        "--survey", type=int, metavar="ID", help="满意度调查编号：调查达标后方可启用收费"
    )
    scheme.add_argument("--satisfaction", type=int, metavar="PCT", help="满意率不低于（默认 2/3）")
    scheme.add_argument("--coverage", type=int, metavar="PCT", help="覆盖率不低于（默认 50%%）")
    scheme.add_argument(
        "--until",
        choices=("draft", "posted", "transition", "active"),
        default="active",
        help="创建后推进到：draft 草稿、posted 公示、transition 过渡期、active 收费（默认）",
    )
    bill = sub.add_parser("bill", help="为楼院生成某期物业费")
    bill.add_argument("--compound", required=True, metavar="NAME")
    bill.add_argument("--period", required=True, metavar="YYYY-MM")
    bill.add_argument("--months", type=int, metavar="N", help="计费月数（默认按方案周期）")
    bill.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    notices = sub.add_parser("notices", help="打印某期缴费通知单（PDF）")
    notices.add_argument("out", metavar="OUT.pdf")
    notices.add_argument("--compound", required=True, metavar="NAME")
    notices.add_argument("--period", required=True, metavar="YYYY-MM")
    notices.add_argument("--per-page", type=int, choices=(1, 2, 3), default=3)
    notices.add_argument("--unpaid", action="store_true", help="只打印未缴清的")
    notices.add_argument("--masked", action="store_true", help="户主姓名打码")
    pay = sub.add_parser("pay", help="登记一笔缴费，打印收据编号")
    pay.add_argument("--compound", required=True, metavar="NAME")
    pay.add_argument("--room", required=True, metavar="B-U-R", help="楼-单元-房号，如 3-1-101")
    pay.add_argument("--amount", required=True, help="金额（元）")
    pay.add_argument("--method", choices=PAYMENT_METHODS, default="现金")
    pay.add_argument("--receipt", metavar="OUT.pdf", help="同时生成收据 PDF")
    pay.add_argument("--json", action="store_true")
    receipt = sub.add_parser("receipt", help="补打一张收据（PDF）")
    receipt.add_argument("out", metavar="OUT.pdf")
    receipt.add_argument("--number", required=True, metavar="N", help="收据编号")
    posting = sub.add_parser("posting", help="打印收费公示或收支公示（PDF）")
    posting.add_argument("kind", choices=("fee-scheme", "accounts", "arrears"))
    posting.add_argument("out", metavar="OUT.pdf")
    posting.add_argument("--compound", required=True, metavar="NAME")
    posting.add_argument("--months", type=int, default=12, help="收支公示的月数（到本月）")


def _open(args: argparse.Namespace) -> tuple[Database, Services]:
    from app.cli import open_target

    db = open_target(args, create=False)
    return db, Services.build(db, acting(args, db))


def _pdf(out: str) -> Path:
    """The PDF's path, checked before anything is written or changed."""
    return check_output(out, (".pdf",))


def cmd_fee_scheme(args: argparse.Namespace) -> int:
    rules = tuple(exemption_from_text(text) for text in args.exempt)
    db, services = _open(args)
    try:
        cid = services.fees.ledger.compound_id(args.compound)
        row = services.fees.schemes.create_until(
            SchemeInput(
                compound_id=cid,
                price=args.price,
                start_month=args.start,
                name=args.name,
                cycle=args.cycle,
                transition_months=args.transition_months,
                due_days=args.due_days,
                manager_name=args.manager,
                manager_contact=args.contact,
                office=args.office,
                service_basis=args.services,
                resolution_note=args.basis,
                over_cap_reason=args.confirm_over_cap,
                exemptions=rules,
                survey_id=args.survey,
                satisfaction_threshold=args.satisfaction,
                min_coverage=args.coverage,
            ),
            args.until,
            "命令行创建",
        )
    finally:
        db.close()
    exempt = "；减免：" + "、".join(r.label for r in row.exemptions) if row.exemptions else ""
    gate = f"；{row.gate_text}" if row.gate_text else ""
    print(
        f"收费方案（{STATE_LABELS[row.state]}）：{row.compound_name} {row.price_text} 元/㎡·月，"
        f"自 {row.billing_start} 起计费{exempt}{gate}"
    )
    return 0


def cmd_bill(args: argparse.Namespace) -> int:
    db, services = _open(args)
    try:
        cid = services.fees.ledger.compound_id(args.compound)
        result = services.fees.billing.run(cid, args.period, args.months)
    finally:
        db.close()
    if args.json:
        print(
            json.dumps(
                {
                    "charges": result.charges,
                    "total": str(format_yuan(result.total_fen)).replace(",", ""),
                    "total_fen": result.total_fen,
                    "skipped": result.skipped,
                    "period": result.period,
                    "months": result.months,
                },
                ensure_ascii=False,
            )
        )
    else:
        print(
            f"生成 {result.charges} 笔费用，合计 {format_yuan(result.total_fen)} 元"
            f"（跳过 {result.skipped} 户）"
        )
    return 0


def cmd_notices(args: argparse.Namespace) -> int:
    from app.documents.fees_notices import write_notices

    out = _pdf(args.out)
    db, services = _open(args)
    try:
        docs = services.fees.documents
        cid = services.fees.ledger.compound_id(args.compound)
        ids = docs.notice_ids(cid, args.period, unpaid_only=args.unpaid)
        pages = write_notices(
            out, docs.notices(ids, masked=args.masked), len(ids), per_page=args.per_page
        )
    finally:
        db.close()
    print(f"已生成 {len(ids)} 张通知单（{pages} 页）：{out}")
    return 0


def cmd_pay(args: argparse.Namespace) -> int:
    out = _pdf(args.receipt) if args.receipt else None
    db, services = _open(args)
    try:
        cid = services.fees.ledger.compound_id(args.compound)
        account = services.fees.payments.find_room(cid, args.room)
        receipt = services.fees.payments.pay(
            PaymentInput(account.household_id, parse_yuan(args.amount), args.method)
        )
        # The payment is saved from here on: a failure below must say so, never look like
        # a failed payment that a clerk would take again.
        if out:
            _write_receipt_after_payment(services, receipt.payment_id, receipt.receipt_no, out)
        left = services.fees.payments.account(account.household_id)
    finally:
        db.close()
    if args.json:
        print(
            json.dumps(
                {
                    "receipt_no": receipt.receipt_no,
                    "amount_fen": receipt.amount_fen,
                    "due_fen": left.due_fen,
                    "credit_fen": left.credit_fen,
                },
                ensure_ascii=False,
            )
        )
    else:
        print(receipt.receipt_no)
    return 0


def _write_receipt_after_payment(
    services: Services, payment_id: int, number: str, out: Path
) -> None:
    from app.documents.fees_receipt import write_receipt

    try:
        write_receipt(out, services.fees.payments.receipt(payment_id))
    except Exception as exc:  # the payment stands whatever went wrong with the file
        reason = exc.message if isinstance(exc, AppError) else str(exc) or type(exc).__name__
        raise FeeError(
            f"已收款，收据编号 {number}（款项已保存，请勿重复收款）；但收据文件未能写出：{reason}。"
            f"补打：louyuan receipt 收据.pdf --number {number}"
        ) from exc


def cmd_receipt(args: argparse.Namespace) -> int:
    from app.documents.fees_receipt import write_receipt
    from app.fees.dto import PaymentFilter

    out = _pdf(args.out)
    db, services = _open(args)
    try:
        payments = services.fees.payments
        ids = [
            pid
            for pid in payments.payment_ids(PaymentFilter(text=args.number))
            if payments.receipt(pid, printing=False).receipt_no == args.number
        ]
        if not ids:
            raise FeeError(f"没有编号为 {args.number} 的收据")
        write_receipt(out, payments.receipt(ids[0]))
    finally:
        db.close()
    print(f"已补打收据 {args.number}：{out}")
    return 0


def cmd_posting(args: argparse.Namespace) -> int:
    out = _pdf(args.out)
    db, services = _open(args)
    try:
        cid = services.fees.ledger.compound_id(args.compound)
        docs = services.fees.documents
        if args.kind == "fee-scheme":
            from app.documents.fees_postings import write_scheme_posting

            write_scheme_posting(out, docs.scheme_for(cid))
        elif args.kind == "accounts":
            from app.documents.fees_postings import write_accounts

            last = parse_period(f"{dt.date.today():%Y-%m}")
            first = add_months(last, 1 - max(1, min(args.months, 36)))
            months = services.fees.expenses.accounts(cid, first, last)
            write_accounts(out, args.compound, months)
        else:
            from app.documents.fees_notices import write_notices

            items = docs.reminder_items(cid)
            write_notices(out, [items], len(items), per_page=2, title="物业费催缴通知单")
    finally:
        db.close()
    print(f"已生成：{out}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "fee-scheme": cmd_fee_scheme,
    "bill": cmd_bill,
    "notices": cmd_notices,
    "pay": cmd_pay,
    "receipt": cmd_receipt,
    "posting": cmd_posting,
}
