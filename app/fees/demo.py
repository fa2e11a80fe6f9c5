"""Demo fee data: schemes in every state, billed months, payments, voids, arrears, expenses."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from app.bulk import insert_dicts
from app.fees.arithmetic import add_months, charge_fen, format_price
from app.fees.receipts import receipt_no
from app.governance.meetings import is_passed
from db.models import Building, Compound, Household, Meeting, Resolution
from db.models.fees import (
    EXPENSE_CATEGORIES,
    PAYMENT_METHODS,
    FeeAllocation,
    FeeCharge,
    FeeExemption,
    FeeExpense,
    FeePayment,
    FeeScheme,
    ReceiptCounter,
)
from db.models.surveys import Survey, SurveyScope

TODAY = dt.datetime(2026, 11, 1, 9, 0)
MONTHS = ("2026-07", "2026-08", "2026-09", "2026-10")
PRICES = (450, 400, 500, 420)
EXPENSE_BASE = {
    "保洁": 180000,
    "保安": 240000,
    "绿化": 30000,
    "维修": 40000,
    "公摊水电": 60000,
    "人工": 90000,
    "其他": 10000,
}


def _scheme(s: Session, cid: int, name: str, price: int, start: str, *, state: str) -> FeeScheme:
    scheme = FeeScheme(
        compound_id=cid,
        name=f"{name}物业服务收费方案",
        price_milli=price,
        cap_milli=500,
        start_month=start,
        cycle="月",
        transition_months=1,
        due_days=30,
        manager_name="中心路公办物业服务有限公司",
        manager_contact="0371-6688" + f"{cid % 10000:04d}",
        office=f"{name}物业服务中心（1号楼一层）",
        pay_ways="现金、微信、支付宝、银行转账",
        service_basis="保洁每日一次，门岗24小时值守，绿化每月修剪，公共设施小修及时处理。",
        resolution_note=f"{add_months(start, -1)} 居民议事会表决通过（到会户数三分之二以上同意）",
        state=state,
        created_at=TODAY - dt.timedelta(days=150),
        state_reason="入户调查满意度达标，议事会同意开始收费" if state == "active" else "",
    )
    s.add(scheme)
    s.flush()
    s.add(FeeExemption(scheme_id=scheme.id, kind="status", match="空置", mode="percent", value=50))
    s.add(FeeExemption(scheme_id=scheme.id, kind="tag", match="低保", mode="fixed", value=1000))
    return scheme


def fees_demo(s: Session, rng: random.Random) -> None:
    """Add the fee demo data in the caller's transaction."""
    compounds = s.execute(
        select(Compound.id, Compound.name, Compound.management_mode).order_by(Compound.id)
    ).all()
    public = [(cid, name) for cid, name, mode in compounds if mode == "公办物业"]
    others = [(cid, name) for cid, name, mode in compounds if mode == "无主管"]
    seq = 0
    for k, (cid, name) in enumerate(public):
        if k == len(public) - 1 and len(public) > 1:
            _scheme(s, cid, name, 450, "2026-10", state="transition")  # in its free month
            continue
        old = _scheme(s, cid, name, 380, "2025-01", state="ended")
        old.state_reason = "由新方案接替"
        scheme = _scheme(s, cid, name, PRICES[k % len(PRICES)], "2026-06", state="active")
        seq = _bill_and_pay(s, rng, cid, scheme, seq)
        _expenses(s, rng, cid)
    if others:
        _scheme(s, others[0][0], others[0][1], 450, "2027-01", state="posted")
    if len(others) > 1:
        _scheme(s, others[1][0], others[1][1], 480, "2027-01", state="draft")
    if seq:
        s.execute(insert(ReceiptCounter), [{"year": 2026, "last_seq": seq}])
    if s.get_bind().dialect.name == "postgresql":
        for table in ("fee_charge", "fee_payment"):  # explicit ids: move the sequences on
            s.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
            )


def _bill_and_pay(s: Session, rng: random.Random, cid: int, scheme: FeeScheme, seq: int) -> int:
    """Four billed months, then payments (some partial, some ahead, a few voided) and the
    arrears left. Charges, payments and allocations go in as three bulk inserts with ids
    worked out here, so a 200,000-household street is filled in seconds, not minutes."""
    homes = s.execute(
        select(Household.id, Household.area_centi, Household.status, Household.householder_name)
        .join(Building, Building.id == Household.building_id)
        .where(Household.compound_id == cid)
        .order_by(Household.id)
    ).all()
    next_charge = (s.scalar(select(func.max(FeeCharge.id))) or 0) + 1
    next_payment = (s.scalar(select(func.max(FeePayment.id))) or 0) + 1
    rows: list[dict[str, Any]] = []
    owed_by: dict[int, list[dict[str, Any]]] = {}
    for month in MONTHS:
        y, m = (int(x) for x in month.split("-"))
        for hid, area, status, _name in homes:
            gross, amount = charge_fen(area, scheme.price_milli, 1, 50 if status == "空置" else 0)
            row = {
                "id": next_charge,
                "household_id": hid,
                "scheme_id": scheme.id,
                "compound_id": cid,
                "period": month,
                "months": 1,
                "area_centi": area,
                "price_milli": scheme.price_milli,
                "gross_fen": gross,
                "discount_fen": gross - amount,
                "discount_note": "空置减50%" if status == "空置" else "",
                "amount_fen": amount,
                "paid_fen": 0,
                "due_date": dt.date(y, m, 1) + dt.timedelta(days=30),
                "created_at": dt.datetime(y, m, 1, 8),
            }
            next_charge += 1
            rows.append(row)
            owed_by.setdefault(hid, []).append(row)  # by period, then id
    payments: list[dict[str, Any]] = []
    allocations: list[dict[str, Any]] = []
    for hid, _area, _status, name in homes:
        kind = rng.random()
        owed = owed_by.get(hid, [])
        total = sum(c["amount_fen"] for c in owed)
        if kind < 0.15 or not total:
            continue  # arrears
        first = owed[0]["amount_fen"]
        amount = total if kind < 0.75 else (total // 2 if kind < 0.9 else total + first * 2)
        seq += 1
        paid_at = dt.datetime(
            2026, rng.choice((8, 9, 10)), rng.randint(1, 28), rng.randint(8, 17), rng.randint(0, 59)
        )
        payment: dict[str, Any] = {
            "id": next_payment,
            "household_id": hid,
            "compound_id": cid,
            "receipt_year": 2026,
            "receipt_seq": seq,
            "receipt_no": receipt_no(2026, seq),
            "amount_fen": amount,
            "method": rng.choice(PAYMENT_METHODS[:4]),
            "payer": name,
            "paid_at": paid_at,
            "operator": "clerk",
            "printed": 1,
            "note": "",
            "voided": False,
            "void_reason": "",
            "voided_at": None,
            "voided_by": "",
        }
        next_payment += 1
        payments.append(payment)
        if rng.random() < 0.02:
            payment["voided"], payment["void_reason"] = True, "金额录入错误，已重开收据"
            payment["voided_at"] = paid_at + dt.timedelta(minutes=5)
            payment["voided_by"] = "clerk"
            continue
        left = amount
        for charge in owed:
            part = min(charge["amount_fen"], left)
            if part <= 0:
                break
            allocations.append(
                {"payment_id": payment["id"], "charge_id": charge["id"], "amount_fen": part}
            )
            charge["paid_fen"] += part
            left -= part
    conn = s.connection()
    for model, values in ((FeeCharge, rows), (FeePayment, payments), (FeeAllocation, allocations)):
        insert_dicts(conn, model.__table__, values)  # type: ignore[arg-type]
    return seq


def _expenses(s: Session, rng: random.Random, cid: int) -> None:
    rows = []
    for k in range(12):
        month = add_months("2025-11", k)
        for category in EXPENSE_CATEGORIES:
            if category in ("维修", "其他") and rng.random() < 0.5:
                continue
            base = EXPENSE_BASE[category]
            rows.append(
                {
                    "compound_id": cid,
                    "month": month,
                    "category": category,
                    "amount_fen": base + rng.randint(-base // 5, base // 5) // 100 * 100,
                    "note": "",
                    "created_at": TODAY,
                    "created_by": "clerk",
                }
            )
    s.execute(insert(FeeExpense), rows)


FEE_TOPIC = "物业服务标准和收费方案"


def fees_links_demo(s: Session, rng: random.Random) -> None:
    """After the survey step: the active 公办物业 scheme over survey 1 (物业服务满意度调查)
    is gated on it at 67% and names its 议事决议 (one is held if the compound has none);
    other open schemes name their compound's resolution agreeing their price, if any."""
    survey = s.scalar(
        select(Survey.id).where(Survey.title == "物业服务满意度调查").order_by(Survey.id).limit(1)
    )
    gated: FeeScheme | None = None
    if survey is not None:
        gated = s.scalars(
            select(FeeScheme)
            .join(Compound, Compound.id == FeeScheme.compound_id)
            .join(SurveyScope, SurveyScope.compound_id == FeeScheme.compound_id)
            .where(
                SurveyScope.survey_id == survey,
                FeeScheme.state == "active",
                Compound.management_mode == "公办物业",
            )
            .order_by(FeeScheme.compound_id, FeeScheme.id)
            .limit(1)
        ).first()
    if gated is not None:
        gated.survey_id, gated.satisfaction_threshold = survey, 67
        gated.resolution_id = _fee_resolution(s, gated) or _hold_fee_meeting(s, rng, gated)
    for scheme in s.scalars(
        select(FeeScheme)
        .where(FeeScheme.state != "ended", FeeScheme.resolution_id.is_(None))
        .order_by(FeeScheme.id)
    ):
        scheme.resolution_id = _fee_resolution(s, scheme)
    s.flush()


def _fee_resolution(s: Session, scheme: FeeScheme) -> int | None:
    """The compound's passed resolution agreeing the scheme's price before it starts."""
    y, m = (int(x) for x in scheme.start_month.split("-"))
    price = format_price(scheme.price_milli)
    prices = {f"{price}元", f"{price.rstrip('0')}元"}
    rows = s.execute(
        select(Resolution.id, Resolution.text)
        .join(Meeting, Meeting.id == Resolution.meeting_id)
        .where(
            Meeting.compound_id == scheme.compound_id,
            Meeting.topic == FEE_TOPIC,
            Meeting.held_on < dt.date(y, m, 1),
            Resolution.passed.is_(True),
        )
        .order_by(Meeting.held_on.desc(), Resolution.seq, Resolution.id)
    ).all()
    return next((rid for rid, text in rows if any(p in text for p in prices)), None)


def _hold_fee_meeting(s: Session, rng: random.Random, scheme: FeeScheme) -> int:
    """A 居民议事会 that agreed the scheme's price, a few weeks before it started."""
    y, m = (int(x) for x in add_months(scheme.start_month, -1).split("-"))
    attendance = rng.randint(36, 60)
    meeting = Meeting(
        compound_id=scheme.compound_id,
        held_on=dt.date(y, m, rng.randint(8, 25)),
        topic=FEE_TOPIC,
        attendance=attendance,
        notes="社区党委、网格员、楼院长、居民代表参加",
    )
    s.add(meeting)
    s.flush()
    against = rng.randint(1, attendance // 10)
    abstain = rng.randint(0, attendance // 10)
    votes_for = attendance - against - abstain
    price = format_price(scheme.price_milli).rstrip("0")
    resolution = Resolution(
        meeting_id=meeting.id,
        seq=1,
        text=f"同意引入公办物业，收费标准{price}元/平米·月，设一个月免费过渡期",
        votes_for=votes_for,
        votes_against=against,
        votes_abstain=abstain,
        passed=is_passed(votes_for, attendance),
    )
    s.add(resolution)
    s.flush()
    return resolution.id
