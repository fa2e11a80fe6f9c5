"""Use cases for payments: take one (full, partial, in advance), void one, receipts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from app import audit
from app.audit import Actor
from app.auth import Permission, require
from app.errors import NotFound
from app.fees import allocation
from app.fees.arithmetic import charge_fen, period_label
from app.fees.dto import (
    HouseholdAccount,
    PaymentFilter,
    PaymentInput,
    PaymentRow,
    Receipt,
    ReceiptLine,
    location_of,
)
from app.fees.errors import PaymentError
from app.fees.ledger import charge_rows
from app.fees.receipts import next_receipt
from app.money import check_yuan, format_yuan, to_fen
from app.registry.queries import fetch_ids, like_escape
from app.text import fold
from db.models import Building, Compound, Household
from db.models.fees import PAYMENT_METHODS, FeeAllocation, FeeCharge, FeePayment, FeeScheme

ROOM_RE = re.compile(
    r"^\s*([0-9A-Za-z]+)\s*[-－—#号楼栋]+\s*(?:([0-9A-Za-z]+)\s*[-－—单元]+)?\s*([0-9A-Za-z]+)\s*室?$"
)


def parse_room(text: str) -> tuple[str, str, str]:
    """ "3-1-101", "3号楼1单元101", "3-101" → (building, unit, room).

    Raises:
        PaymentError: not a room.
    """
    m = ROOM_RE.match(fold(text).replace("号楼", "-").replace("单元", "-"))
    if not m:
        raise PaymentError(f"房号应写作 楼-单元-房号，如 3-1-101（收到“{text}”）")
    return m.group(1), m.group(2) or "", m.group(3)


class PaymentService:
    """Payments, receipts and voids."""

    def __init__(self, sessions: sessionmaker[Session], actor: Actor) -> None:
        self._sessions = sessions
        self._actor = actor

    # -- the cashier's view -----------------------------------------------------------

    def find_room(self, compound_id: int, room: str) -> HouseholdAccount:
        """The household at "3-1-101" in a compound, with what it owes.

        Raises:
            PaymentError: no such room.
        """
        building, unit, number = parse_room(room)
        with self._sessions() as s:
            query = (
                select(Household.id)
                .join(Building, Building.id == Household.building_id)
                .where(
                    Household.compound_id == compound_id,
                    Building.name == building,
                    Household.room == number,
                )
            )
            if unit:
                query = query.where(Household.unit == unit)
            ids = list(s.scalars(query.limit(2)))
        if len(ids) != 1:
            raise PaymentError(
                f"找不到 {room}" if not ids else f"{room} 不唯一，请写明单元：楼-单元-房号"
            )
        return self.account(ids[0])

    def account(self, household_id: int) -> HouseholdAccount:
        with self._sessions() as s:
            row = s.execute(
                select(
                    Household.compound_id,
                    Compound.name,
                    Building.name,
                    Household.unit,
                    Household.room,
                    Household.householder_name,
                    Household.area_centi,
                )
                .join(Building, Building.id == Household.building_id)
                .join(Compound, Compound.id == Household.compound_id)
                .where(Household.id == household_id)
            ).one_or_none()
            if row is None:
                raise NotFound("该住户不存在")
            cid, cname, b, u, r, name, area = row
            price = s.scalar(
                select(FeeScheme.price_milli)
                .where(FeeScheme.compound_id == cid, FeeScheme.state == "active")
                .order_by(FeeScheme.id.desc())
                .limit(1)
            )
            open_ids = [cid_ for cid_, _due in allocation.open_charges(s, household_id)]
            charges = tuple(charge_rows(s, open_ids))
            credit = allocation.credit_fen(s, household_id)
        return HouseholdAccount(
            household_id,
            cid,
            cname,
            location_of(b, u, r),
            name,
            area,
            charge_fen(area, price, 1)[1] if price else 0,
            sum(c.due_fen for c in charges),
            credit,
            charges,
        )

    # -- writes -------------------------------------------------------------------------

    def pay(self, data: PaymentInput, when: dt.datetime | None = None) -> Receipt:
        """Take a payment: it settles open charges oldest first; the rest is kept as money
        paid in advance and settles the next charges as they are billed.

        Raises:
            PaymentError: no amount, or an unknown method.
        """
        require(self._actor, Permission.TAKE_PAYMENT)
        fen = to_fen(check_yuan(data.amount, allow_zero=True))
        if fen <= 0:
            raise PaymentError("缴费金额应大于 0")
        if fen > 10_000_000:
            raise PaymentError("单笔缴费金额过大，请检查")
        if data.method not in PAYMENT_METHODS:
            raise PaymentError("请选择缴费方式：" + "、".join(PAYMENT_METHODS))
        paid_at = when or dt.datetime.now().replace(microsecond=0)
        with self._sessions.begin() as s:
            household = s.get(Household, data.household_id)
            if household is None:
                raise NotFound("该住户不存在")
            seq, number = next_receipt(s, paid_at.year)
            payment = FeePayment(
                household_id=household.id,
                compound_id=household.compound_id,
                receipt_year=paid_at.year,
                receipt_seq=seq,
                receipt_no=number,
                amount_fen=fen,
                method=data.method,
                payer=data.payer.strip() or household.householder_name,
                note=data.note.strip(),
                paid_at=paid_at,
                operator=self._actor.username,
            )
            s.add(payment)
            s.flush()
            allocation.allocate_credit(s, [household.id])
            audit.record(
                s,
                self._actor,
                "pay",
                "fee_payment",
                payment.id,
                after={
                    "receipt_no": number,
                    "amount": format_yuan(fen),
                    "method": data.method,
                    "household_id": household.id,
                },
            )
            return _receipt(s, payment.id)

    def void(self, payment_id: int, reason: str) -> None:
        """Void a payment (it stays, marked void); the charges it settled are due again.

        Raises:
            PaymentError: no reason, or voided already.
        """
        require(self._actor, Permission.VOID_PAYMENT)
        if not reason.strip():
            raise PaymentError("作废收据必须填写原因")
        with self._sessions.begin() as s:
            payment = s.get(FeePayment, payment_id, with_for_update=True)
            if payment is None:
                raise NotFound("该缴费记录不存在")
            if payment.voided:
                raise PaymentError(f"收据 {payment.receipt_no} 已作废")
            for charge_id, part in s.execute(
                select(FeeAllocation.charge_id, FeeAllocation.amount_fen).where(
                    FeeAllocation.payment_id == payment.id
                )
            ).all():
                s.execute(
                    update(FeeCharge)
                    .where(FeeCharge.id == charge_id)
                    .values(paid_fen=FeeCharge.paid_fen - part)
                )
            # The allocations are bookkeeping of a void payment; the payment itself stays.
            s.execute(delete(FeeAllocation).where(FeeAllocation.payment_id == payment.id))
            payment.voided = True
            payment.void_reason = reason.strip()
            payment.voided_at = dt.datetime.now()
            payment.voided_by = self._actor.username
            s.flush()
            allocation.allocate_credit(s, [payment.household_id])
            audit.record(
                s,
                self._actor,
                "void",
                "fee_payment",
                payment.id,
                before={
                    "receipt_no": payment.receipt_no,
                    "amount": format_yuan(payment.amount_fen),
                },
                note=reason.strip(),
            )

    def receipt(self, payment_id: int, *, printing: bool = True) -> Receipt:
        """A receipt to print; printing it again marks the paper 补打."""
        with self._sessions.begin() as s:
            result = _receipt(s, payment_id)
            if printing:
                s.execute(
                    update(FeePayment)
                    .where(FeePayment.id == payment_id)
                    .values(printed=FeePayment.printed + 1)
                )
        return result

    # -- the payment ledger ------------------------------------------------------------

    def payment_ids(self, flt: PaymentFilter) -> list[int]:
        with self._sessions() as s:
            query = select(FeePayment.id)
            if flt.building_id is not None:
                query = query.join(Household, Household.id == FeePayment.household_id).where(
                    Household.building_id == flt.building_id
                )
            if flt.compound_id is not None:
                query = query.where(FeePayment.compound_id == flt.compound_id)
            if flt.household_id is not None:
                query = query.where(FeePayment.household_id == flt.household_id)
            if flt.month:
                y, m = (int(x) for x in flt.month.split("-"))
                start = dt.datetime(y, m, 1)
                end = dt.datetime(y + m // 12, m % 12 + 1, 1)
                query = query.where(FeePayment.paid_at >= start, FeePayment.paid_at < end)
            if not flt.include_voided:
                query = query.where(FeePayment.voided.is_(False))
            if flt.text.strip():
                pattern = f"%{like_escape(fold(flt.text).strip())}%"
                query = query.where(
                    or_(
                        FeePayment.receipt_no.like(pattern, escape="\\"),
                        FeePayment.payer.like(pattern, escape="\\"),
                    )
                )
            return fetch_ids(s, query.order_by(FeePayment.paid_at.desc(), FeePayment.id.desc()))

    def payment_rows(self, ids: Sequence[int]) -> list[PaymentRow]:
        if not ids:
            return []
        with self._sessions() as s:
            rows = s.execute(
                select(
                    FeePayment,
                    Compound.name,
                    Building.name,
                    Household.unit,
                    Household.room,
                    Household.householder_name,
                )
                .join(Household, Household.id == FeePayment.household_id)
                .join(Building, Building.id == Household.building_id)
                .join(Compound, Compound.id == FeePayment.compound_id)
                .where(FeePayment.id.in_(list(ids)))
            ).all()
            out = {
                p.id: PaymentRow(
                    p.id,
                    p.receipt_no,
                    p.paid_at,
                    cname,
                    location_of(b, u, r),
                    name,
                    p.amount_fen,
                    p.method,
                    p.payer,
                    p.operator,
                    p.voided,
                    p.void_reason,
                )
                for p, cname, b, u, r, name in rows
            }
        return [out[i] for i in ids if i in out]

    def totals(self, flt: PaymentFilter) -> tuple[int, int]:
        """(payments, fen) of the valid payments a filter shows."""
        ids = self.payment_ids(PaymentFilter(**{**flt.__dict__, "include_voided": False}))
        with self._sessions() as s:
            fen = 0
            for start in range(0, len(ids), 500):
                fen += (
                    s.scalar(
                        select(func.coalesce(func.sum(FeePayment.amount_fen), 0)).where(
                            FeePayment.id.in_(ids[start : start + 500])
                        )
                    )
                    or 0
                )
        return len(ids), fen


def _receipt(s: Session, payment_id: int) -> Receipt:
    row = s.execute(
        select(
            FeePayment,
            Compound.name,
            Building.name,
            Household.unit,
            Household.room,
            Household.householder_name,
        )
        .join(Household, Household.id == FeePayment.household_id)
        .join(Building, Building.id == Household.building_id)
        .join(Compound, Compound.id == FeePayment.compound_id)
        .where(FeePayment.id == payment_id)
    ).one_or_none()
    if row is None:
        raise NotFound("该缴费记录不存在")
    p, cname, b, u, r, name = row
    parts = s.execute(
        select(FeeCharge.period, FeeCharge.months, FeeAllocation.amount_fen)
        .join(FeeCharge, FeeCharge.id == FeeAllocation.charge_id)
        .where(FeeAllocation.payment_id == p.id)
        .order_by(FeeCharge.period, FeeCharge.id)
    ).all()
    lines = [ReceiptLine(f"{period_label(per, n)}物业费", fen) for per, n, fen in parts]
    rest = p.amount_fen - sum(line.amount_fen for line in lines)
    if rest > 0 and not p.voided:
        lines.append(ReceiptLine("预收物业费（抵后续账单）", rest))
    if p.voided:
        lines = [ReceiptLine("物业费", p.amount_fen)]
    manager = s.scalar(
        select(FeeScheme.manager_name)
        .where(FeeScheme.compound_id == p.compound_id, FeeScheme.state.in_(("active", "ended")))
        .order_by(FeeScheme.state, FeeScheme.id.desc())
        .limit(1)
    )
    return Receipt(
        p.id,
        p.receipt_no,
        p.paid_at,
        cname,
        location_of(b, u, r),
        name,
        p.payer,
        p.amount_fen,
        p.method,
        p.operator,
        tuple(lines),
        manager or "",
        p.voided,
        p.void_reason,
        p.printed > 0,
    )
