"""Settling charges with payments: oldest charge first, from the oldest money first.

Query helpers: they take the caller's session and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from db.models.fees import FeeAllocation, FeeCharge, FeePayment


def payment_free(
    s: Session, household_ids: Iterable[int] = (), compound_id: int | None = None
) -> dict[int, list[tuple[int, int]]]:
    """household → [(payment id, unallocated fen)] of its valid payments, oldest first; for
    the given households, or for every household of a compound."""
    # What each payment has settled so far, per payment (by its index): only the payments
    # asked about are summed, not every allocation in the database.
    used = func.coalesce(
        select(func.sum(FeeAllocation.amount_fen))
        .where(FeeAllocation.payment_id == FeePayment.id)
        .correlate(FeePayment)
        .scalar_subquery(),
        0,
    )
    base = (
        select(FeePayment.household_id, FeePayment.id, FeePayment.amount_fen - used)
        .where(FeePayment.voided.is_(False), FeePayment.amount_fen > used)
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
    return _open_charges(s, [household_id]).get(household_id, [])


def _open_charges(s: Session, household_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    out: dict[int, list[tuple[int, int]]] = {}
    for chunk in _chunks(household_ids):
        for hid, cid, due in s.execute(
            select(FeeCharge.household_id, FeeCharge.id, FeeCharge.amount_fen - FeeCharge.paid_fen)
            .where(FeeCharge.household_id.in_(chunk), FeeCharge.amount_fen > FeeCharge.paid_fen)
            .order_by(FeeCharge.period, FeeCharge.id)
        ):
            out.setdefault(hid, []).append((cid, int(due)))
    return out


def _spread(
    charges: list[tuple[int, int]], money: list[tuple[int, int]]
) -> list[tuple[int, int, int]]:
    """(payment, charge, fen) parts: oldest charge first, from the oldest money first."""
    parts: list[tuple[int, int, int]] = []
    money = [m for m in money if m[1] > 0]
    for charge_id, due in charges:
        while due > 0 and money:
            pid, free = money[0]
            part = min(due, free)
            parts.append((pid, charge_id, part))
            due -= part
            free -= part
            if free == 0:
                money.pop(0)
            else:
                money[0] = (pid, free)
        if not money:
            break
    return parts


def _write_parts(s: Session, parts: list[tuple[int, int, int]]) -> None:
    if not parts:
        return
    conn, table = s.connection(), cast(Table, FeeCharge.__table__)
    conn.execute(
        insert(cast(Table, FeeAllocation.__table__)),
        [{"payment_id": p, "charge_id": c, "amount_fen": f} for p, c, f in parts],
    )
    conn.execute(
        update(table)
        .where(table.c.id == bindparam("cid"))
        .values(paid_fen=table.c.paid_fen + bindparam("part")),
        [{"cid": c, "part": f} for _p, c, f in parts],
    )


def allocate_credit(
    s: Session, household_ids: Iterable[int] = (), compound_id: int | None = None
) -> None:
    """Apply money paid in advance to the households' open charges (in bulk)."""
    s.flush()
    free = payment_free(s, household_ids, compound_id)
    charges = _open_charges(s, list(free))
    parts: list[tuple[int, int, int]] = []
    for hid, money in free.items():
        parts += _spread(charges.get(hid, []), money)
    _write_parts(s, parts)


def credit_fen(s: Session, household_id: int) -> int:
    return sum(free for _pid, free in payment_free(s, [household_id]).get(household_id, []))


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
