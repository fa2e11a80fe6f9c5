"""Settling charges with payments: oldest charge first, from the oldest money first.

Query helpers: they take the caller's session and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.models.fees import FeeAllocation, FeeCharge, FeePayment


def payment_free(
    s: Session, household_ids: Iterable[int] = (), compound_id: int | None = None
) -> dict[int, list[tuple[int, int]]]:
    """household → [(payment id, unallocated fen)] of its valid payments, oldest first; for
    the given households, or for every household of a compound."""
    used = (
        select(FeeAllocation.payment_id, func.sum(FeeAllocation.amount_fen).label("used"))
        .group_by(FeeAllocation.payment_id)
        .subquery()
    )
    base = (
        select(
            FeePayment.household_id,
            FeePayment.id,
            FeePayment.amount_fen - func.coalesce(used.c.used, 0),
        )
        .outerjoin(used, used.c.payment_id == FeePayment.id)
        .where(
            FeePayment.voided.is_(False),
            FeePayment.amount_fen > func.coalesce(used.c.used, 0),
        )
        .order_by(FeePayment.paid_at, FeePayment.id)
    )
    queries = (
        [base.where(FeePayment.compound_id == compound_id)]
        if compound_id is not None
        else [base.where(FeePayment.household_id.in_(c)) for c in _chunks(list(household_ids))]
    )
    out: dict[int, list[tuple[int, int]]] = {}
    for query in queries:
        for hid, pid, free in s.execute(query):
            out.setdefault(hid, []).append((pid, int(free)))
    return out


def open_charges(s: Session, household_id: int) -> list[tuple[int, int]]:
    """[(charge id, fen still due)] of a household, oldest period first."""
    rows = s.execute(
        select(FeeCharge.id, FeeCharge.amount_fen - FeeCharge.paid_fen)
        .where(FeeCharge.household_id == household_id, FeeCharge.amount_fen > FeeCharge.paid_fen)
        .order_by(FeeCharge.period, FeeCharge.id)
    )
    return [(cid, int(due)) for cid, due in rows]


def allocate(s: Session, household_id: int, money: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spread (payment, free fen) over the household's open charges; returns what is left."""
    money = [m for m in money if m[1] > 0]
    for charge_id, due in open_charges(s, household_id):
        while due > 0 and money:
            pid, free = money[0]
            part = min(due, free)
            s.add(FeeAllocation(payment_id=pid, charge_id=charge_id, amount_fen=part))
            s.execute(
                update(FeeCharge)
                .where(FeeCharge.id == charge_id)
                .values(paid_fen=FeeCharge.paid_fen + part)
            )
            due -= part
            free -= part
            if free == 0:
                money.pop(0)
            else:
                money[0] = (pid, free)
        if not money:
            break
    s.flush()
    return money


def allocate_credit(
    s: Session, household_ids: Iterable[int] = (), compound_id: int | None = None
) -> None:
    """Apply money paid in advance to the households' open charges."""
    for hid, money in payment_free(s, household_ids, compound_id).items():
        allocate(s, hid, money)


def credit_fen(s: Session, household_id: int) -> int:
    return sum(free for _pid, free in payment_free(s, [household_id]).get(household_id, []))


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
