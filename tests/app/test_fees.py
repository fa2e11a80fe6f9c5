"""Fee schemes, billing, payments, receipts, voids, arrears and expenses on both engines."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from fees_factory import add_household, small_compound
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.errors import Cancelled
from app.fees.arithmetic import charge_fen, format_price, parse_period, parse_price
from app.fees.dto import (
    ChargeFilter,
    ExemptionRule,
    ExpenseInput,
    PaymentFilter,
    PaymentInput,
    SchemeInput,
)
from app.fees.errors import BillingError, FeeError, OverCapError, PaymentError, SchemeStateError
from app.fees.payments import parse_room
from app.services import Services
from db.models import AuditEntry
from db.models.fees import FeeCharge, FeePayment

RULES = (
    ExemptionRule("status", "空置", "percent", 50),
    ExemptionRule("tag", "低保", "fixed", 1000),
)


def _scheme(services: Services, cid: int, **kw: object) -> int:
    data = SchemeInput(compound_id=cid, price="0.45", start_month="2026-01", exemptions=RULES)
    data = SchemeInput(**{**data.__dict__, **kw})
    return services.fees.schemes.create_active(data, "居民满意，开始收费").id


# -- arithmetic ---------------------------------------------------------------------------


@given(
    area=st.integers(1, 50_000_00),
    price=st.integers(1, 99_999),
    months=st.integers(1, 24),
    pct=st.integers(0, 100),
)
def test_charge_matches_decimal_half_up(area: int, price: int, months: int, pct: int) -> None:
    exact = Decimal(area) / 100 * (Decimal(price) / 1000) * months
    gross, amount = charge_fen(area, price, months, pct)
    assert gross == int((exact * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    discounted = exact * (100 - pct) / 100
    assert amount == int((discounted * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert 0 <= amount <= gross


@given(fixed=st.integers(0, 100_000), area=st.integers(1, 30_000), months=st.integers(1, 12))
def test_fixed_discount_never_below_zero(fixed: int, area: int, months: int) -> None:
    gross, amount = charge_fen(area, 450, months, 0, fixed)
    assert amount == max(0, gross - fixed * months)


def test_half_up_at_the_half_fen() -> None:
    # 85.50 m² × 0.45 × 1 = 38.475 → 38.48 (half up, not banker's 38.48/38.47)
    assert charge_fen(8550, 450, 1) == (3848, 3848)
    assert charge_fen(8550, 450, 1, 50) == (3848, 1924)  # 19.2375 → 19.24, rounded once


@given(st.integers(1, 99_999))
def test_price_round_trip(milli: int) -> None:
    assert parse_price(format_price(milli)) == milli


def test_bad_inputs() -> None:
    with pytest.raises(FeeError):
        parse_price("0.4555")
    with pytest.raises(FeeError):
        parse_price("-1")
    assert parse_price("０.４５元") == 450
    assert parse_period("2026-3") == "2026-03"
    with pytest.raises(FeeError):
        parse_period("2026-13")
    assert parse_room("3-1-101") == ("3", "1", "101")
    assert parse_room("3号楼1单元101") == ("3", "1", "101")
    assert parse_room("3-101") == ("3", "", "101")


# -- schemes ------------------------------------------------------------------------------


def test_over_cap_needs_a_reason_and_is_audited(db, services: Services) -> None:  # type: ignore[no-untyped-def]
    cid = small_compound(db)
    data = SchemeInput(compound_id=cid, price="0.55", start_month="2026-01")
    with pytest.raises(OverCapError, match="上限 0.50"):
        services.fees.schemes.save_scheme(data)
    row = services.fees.schemes.save_scheme(
        SchemeInput(**{**data.__dict__, "over_cap_reason": "电梯运行费，业主大会同意"})
    )
    assert row.over_cap_reason == "电梯运行费，业主大会同意"
    with db.sessions() as s:
        notes = list(s.scalars(select(AuditEntry.note).where(AuditEntry.entity == "fee_scheme")))
    assert any("电梯运行费" in n for n in notes)


def test_states_move_forward_only(db, services: Services) -> None:  # type: ignore[no-untyped-def]
    cid = small_compound(db)
    schemes = services.fees.schemes
    row = schemes.save_scheme(SchemeInput(compound_id=cid, price="0.45", start_month="2026-01"))
    with pytest.raises(SchemeStateError):
        schemes.change_state(row.id, "active", "太早")
    schemes.change_state(row.id, "posted")
    with pytest.raises(SchemeStateError):
        schemes.save_scheme(
            SchemeInput(compound_id=cid, price="0.4", start_month="2026-01"), row.id
        )
    schemes.change_state(row.id, "transition")
    with pytest.raises(FeeError, match="理由"):
        schemes.change_state(row.id, "active", "")
    active = schemes.change_state(row.id, "active", "满意度 92%")
    assert active.state_label == "收费中"
    newer = _scheme(services, cid, price="0.40", start_month="2027-01")
    assert schemes.get_scheme(row.id).state == "ended"
    assert schemes.running_scheme(cid).id == newer  # type: ignore[union-attr]


# -- billing ------------------------------------------------------------------------------


def test_billing_is_idempotent_and_honours_rules(db, services: Services) -> None:  # type: ignore[no-untyped-def]
    cid = small_compound(db)
    _scheme(services, cid)
    billing = services.fees.billing
    with pytest.raises(BillingError, match="过渡期"):
        billing.run(cid, "2026-01")
    preview = billing.preview(cid, "2026-02")
    assert len(preview.billable) == 6
    by_room = {line.location: line for line in preview.lines}
    assert by_room["3号楼1单元101"].amount_fen == 3600  # 80.00 × 0.45
    assert by_room["3号楼1单元102"].amount_fen == 1823  # 81.00 × 0.45 = 36.45, 50% → 18.225
    assert by_room["3号楼1单元201"].amount_fen == 3690 - 1000  # 82 × 0.45 − 10.00
    first = billing.run(cid, "2026-02")
    assert (first.charges, first.total_fen) == (6, preview.total_fen)
    again = billing.run(cid, "2026-02")
    assert (again.charges, again.skipped) == (0, 6)
    hid = add_household(db, cid, "401")
    late = billing.run(cid, "2026-02", household_ids=[hid])
    assert late.charges == 1 and late.total_fen == 4050
    # A quarter overlapping February bills only households not yet charged for it.
    assert billing.run(cid, "2026-01", months=3).charges == 0
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(FeeCharge)) == 7


def test_billed_months_are_found_by_overlap_across_history(db, services: Services) -> None:  # type: ignore[no-untyped-def]
    """Charges of earlier periods count only where their months reach into the run's."""
    cid = small_compound(db)
    _scheme(services, cid)
    billing = services.fees.billing
    homes = [line.household_id for line in billing.preview(cid, "2026-02").billable]
    quarter, month = homes[:2], homes[2:]
    for period in ("2026-02", "2026-03", "2026-04"):
        assert billing.run(cid, period, months=1, household_ids=month).charges == len(month)
    # Two households pay a quarter from March (March, April, May) in one charge.
    assert billing.run(cid, "2026-03", months=3, household_ids=quarter).charges == 2
    may = billing.preview(cid, "2026-05", months=1)
    skipped = {line.household_id for line in may.lines if line.skip_reason}
    assert skipped == set(quarter)  # the monthly ones' history ends in April
    assert billing.run(cid, "2026-05", months=1).charges == len(month)
    assert billing.run(cid, "2026-06", months=1).charges == len(homes)
    # A run over February to April overlaps everyone's charges: nothing new.
    assert billing.run(cid, "2026-02", months=3).charges == 0


def test_transition_clips_months_and_cancel_writes_nothing(db, services: Services) -> None:  # type: ignore[no-untyped-def]
    cid = small_compound(db)
    _scheme(services, cid)
    preview = services.fees.billing.preview(cid, "2026-01", months=3)
    assert (preview.period, preview.months) == ("2026-02", 2)
    assert "过渡期" in preview.note
    with pytest.raises(Cancelled):
        services.fees.billing.run(cid, "2026-01", months=3, cancelled=lambda: True)
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(FeeCharge)) == 0


def test_no_active_scheme(db, services: Services) -> None:  # type: ignore[no-untyped-def]
    cid = small_compound(db)
    with pytest.raises(BillingError, match="没有收费中的方案"):
        services.fees.billing.run(cid, "2026-02")


# -- payments -----------------------------------------------------------------------------


def _billed(db, services: Services) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    cid = small_compound(db)
    _scheme(services, cid)
    services.fees.billing.run(cid, "2026-02")
    services.fees.billing.run(cid, "2026-03")
    return cid, services.fees.payments.find_room(cid, "3-1-101").household_id


def test_partial_full_and_prepay_oldest_first(db, services: Services) -> None:  # type: ignore[no-untyped-def]
    cid, hid = _billed(db, services)
    pay = services.fees.payments
    assert pay.account(hid).due_fen == 7200
    r1 = pay.pay(PaymentInput(hid, Decimal("20.00"), "微信"))
    assert [line.amount_fen for line in r1.lines] == [2000]
    assert "2026年2月" in r1.lines[0].text
    r2 = pay.pay(PaymentInput(hid, Decimal("124.00"), "现金"))  # 16 + 36 due, 72 in advance
    assert [line.amount_fen for line in r2.lines] == [1600, 3600, 7200]
    assert "预收" in r2.lines[-1].text
    account = pay.account(hid)
    assert (account.due_fen, account.credit_fen, account.monthly_fen) == (0, 7200, 3600)
    services.fees.billing.run(cid, "2026-04", months=2)
    assert pay.account(hid).credit_fen == 0
    assert pay.account(hid).due_fen == 0
    assert services.fees.ledger.charge_ids(ChargeFilter(household_id=hid, unpaid_only=True)) == []


def test_void_reopens_the_charges_and_keeps_the_payment(db, services: Services) -> None:  # type: ignore[no-untyped-def]
    _cid, hid = _billed(db, services)
    pay = services.fees.payments
    receipt = pay.pay(PaymentInput(hid, Decimal("72.00"), "支付宝"))
    with pytest.raises(PaymentError, match="原因"):
        pay.void(receipt.payment_id, " ")
    pay.void(receipt.payment_id, "金额录错")
    with pytest.raises(PaymentError, match="已作废"):
        pay.void(receipt.payment_id, "again")
    assert pay.account(hid).due_fen == 7200
    rows = pay.payment_rows(pay.payment_ids(PaymentFilter(household_id=hid)))
    assert [(r.voided, r.void_reason) for r in rows] == [(True, "金额录错")]
    assert pay.payment_ids(PaymentFilter(household_id=hid, include_voided=False)) == []
    with db.sessions() as s:
        audit = s.scalar(select(AuditEntry.note).where(AuditEntry.action == "void"))
    assert audit == "金额录错"


def test_receipt_numbers_gapless_per_year_and_reprint(db, services: Services) -> None:  # type: ignore[no-untyped-def]
    _cid, hid = _billed(db, services)
    pay = services.fees.payments
    numbers = [
        pay.pay(PaymentInput(hid, Decimal("1.00")), when=dt.datetime(2026, 12, 31, 9)).receipt_no
        for _ in range(3)
    ]
    pay.void(pay.payment_ids(PaymentFilter(household_id=hid))[-1], "作废一张")
    with pytest.raises(PaymentError):
        pay.pay(PaymentInput(hid, Decimal("1.00"), "刷脸"))  # rolled back: no number used
    numbers.append(
        pay.pay(PaymentInput(hid, Decimal("1")), when=dt.datetime(2026, 12, 31)).receipt_no
    )
    numbers.append(
        pay.pay(PaymentInput(hid, Decimal("1")), when=dt.datetime(2027, 1, 1)).receipt_no
    )
    assert numbers == ["2026-000001", "2026-000002", "2026-000003", "2026-000004", "2027-000001"]
    pid = pay.payment_ids(PaymentFilter(text="2027-000001"))[0]
    assert pay.receipt(pid).reprint is False
    assert pay.receipt(pid).reprint is True
    with db.sessions() as s:
        seqs = sorted(
            s.scalars(select(FeePayment.receipt_seq).where(FeePayment.receipt_year == 2026))
        )
    assert seqs == [1, 2, 3, 4]


def test_room_lookup_errors(db, services: Services) -> None:  # type: ignore[no-untyped-def]
    cid = small_compound(db)
    with pytest.raises(PaymentError, match="找不到"):
        services.fees.payments.find_room(cid, "9-1-101")
    with pytest.raises(PaymentError, match="房号"):
        services.fees.payments.find_room(cid, "abc")


def test_arrears_and_collection_rate(db, services: Services) -> None:  # type: ignore[no-untyped-def]
    cid, hid = _billed(db, services)
    services.fees.payments.pay(PaymentInput(hid, Decimal("72.00")))
    arrears = services.fees.ledger.arrears(cid)
    assert len(arrears) == 5 and hid not in {a.household_id for a in arrears}
    assert arrears[0].due_fen >= arrears[-1].due_fen
    assert arrears[0].oldest_period == "2026-02"
    (row,) = services.fees.ledger.compound_fees(cid)
    assert row.paid_fen == 7200 and row.households_in_arrears == 5
    figures = services.fees.ledger.figures()
    assert figures["paid_fen"] == 7200
    assert 0 < figures["collection_rate"] < 1


def test_expenses_and_accounts(db, services: Services) -> None:  # type: ignore[no-untyped-def]
    cid, hid = _billed(db, services)
    expenses = services.fees.expenses
    expenses.add(ExpenseInput(cid, "2026-03", "保洁", Decimal("800")))
    expenses.add(ExpenseInput(cid, "2026-03", "公摊水电", Decimal("120.50")))
    with pytest.raises(FeeError):
        expenses.add(ExpenseInput(cid, "2026-03", "吃饭", Decimal("1")))
    services.fees.payments.pay(PaymentInput(hid, Decimal("36")), when=dt.datetime(2026, 3, 5))
    months = expenses.accounts(cid, "2026-02", "2026-03")
    assert [m.month for m in months] == ["2026-02", "2026-03"]
    assert months[1].income_fen == 3600 and months[1].expense_fen == 92050
    assert months[1].balance_fen == 3600 - 92050
    assert len(expenses.list_expenses(cid, 2026)) == 2


def test_concurrent_cashiers_get_distinct_gapless_numbers(db, services: Services) -> None:  # type: ignore[no-untyped-def]
    """Two cashiers at once (threads, each its own connection): no duplicate, no gap."""
    import threading

    _cid, hid = _billed(db, services)
    errors: list[BaseException] = []

    def cashier() -> None:
        try:
            for _ in range(10):
                for _attempt in range(20):  # SQLite may report 'database is locked': retry
                    try:
                        services.fees.payments.pay(PaymentInput(hid, Decimal("1.00")))
                        break
                    except Exception as exc:  # noqa: BLE001
                        if "locked" not in str(exc):
                            raise
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=cashier) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with db.sessions() as s:
        seqs = sorted(s.scalars(select(FeePayment.receipt_seq)))
    assert seqs == list(range(1, 31))


def test_exemption_rule_from_the_editor_row() -> None:
    from app.fees.dto import ExemptionRule
    from app.fees.errors import FeeError
    from app.fees.schemes import exemption_rule

    assert exemption_rule("status", "空置", "percent", "５０%") == ExemptionRule(
        "status", "空置", "percent", 50
    )
    assert exemption_rule("tag", "低保", "fixed", "¥10.5") == ExemptionRule(
        "tag", "低保", "fixed", 1050
    )
    for mode, amount, message in (
        ("percent", "0", "减免比例应为 1～100 的整数"),
        ("percent", "120", "减免比例应为 1～100 的整数"),
        ("percent", "12.5", "减免比例应为 1～100 的整数"),
        ("fixed", "0", "每月减免金额应大于 0"),
        ("fixed", "abc", "每月减免金额有误：金额应为数字"),
        ("fixed", "1.234", "最多保留两位小数"),
    ):
        with pytest.raises(FeeError, match=message):
            exemption_rule("tag", "低保", mode, amount)
    with pytest.raises(FeeError, match="居民标签“富豪”不存在"):
        exemption_rule("tag", "富豪", "percent", "10")


def test_billing_inlined_rounding_matches_charge_fen_at_half_a_fen(db, services: Services) -> None:  # type: ignore[no-untyped-def]
    """Billing rounds the households with no exemption inline; at exactly half a fen it must
    round up as charge_fen (and Decimal ROUND_HALF_UP) do, not down or to even."""
    cid = small_compound(db, rooms=0)
    price = 453  # 0.453 元/㎡·月
    # 85.00 m² × 0.453 = 38.505 元 and 75.00 m² × 0.453 = 33.975 元: exactly half a fen above
    # an even and an odd fen (a quarter: 115.515 and 101.925); 85.20, 85.61 m² are no half
    areas = [8500, 7500, 8520, 8561]
    assert [(a * price) % 1000 for a in areas] == [500, 500, 560, 133]
    assert [(a * price * 3) % 1000 for a in areas] == [500, 500, 680, 399]
    assert [a * price // 1000 % 2 for a in areas[:2]] == [0, 1]
    for k, area in enumerate(areas):
        add_household(db, cid, f"{k + 1}01", area_centi=area)
    _scheme(services, cid, price="0.453", exemptions=())
    billing = services.fees.billing
    for period, months in (("2026-02", 1), ("2026-03", 3)):
        preview = billing.preview(cid, period, months)
        amounts = {line.location: line.amount_fen for line in preview.lines}
        for k, area in enumerate(areas):
            exact = Decimal(area) / 100 * Decimal(price) / 1000 * months * 100
            want = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
            assert charge_fen(area, price, months)[1] == want
            assert amounts[f"3号楼1单元{k + 1}01"] == want, (area, months)
        assert billing.run(cid, period, months).total_fen == preview.total_fen
    with db.sessions() as s:
        charged = sorted(s.scalars(select(FeeCharge.amount_fen).where(FeeCharge.months == 1)))
    assert charged == sorted(charge_fen(a, price, 1)[1] for a in areas)
