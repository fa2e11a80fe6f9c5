"""Receipt numbers: gapless and unique per year.

The counter row is bumped with an UPDATE in the payment's own transaction: the UPDATE takes
the row lock on PostgreSQL (a second cashier waits until the first commits or rolls back) and
the write lock on SQLite, so two payments never get the same number, and a payment that rolls
back takes its number back with it.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models.fees import ReceiptCounter


def receipt_no(year: int, seq: int) -> str:
    """2026-000123."""
    return f"{year}-{seq:06d}"


def next_receipt(s: Session, year: int) -> tuple[int, str]:
    """The next number of the year, reserved in the caller's transaction."""
    for _attempt in range(3):
        bumped = s.execute(
            update(ReceiptCounter)
            .where(ReceiptCounter.year == year)
            .values(last_seq=ReceiptCounter.last_seq + 1)
        )
        if bumped.rowcount:  # type: ignore[attr-defined]
            seq = s.scalar(select(ReceiptCounter.last_seq).where(ReceiptCounter.year == year))
            assert seq is not None
            return seq, receipt_no(year, seq)
        try:
            with s.begin_nested():
                s.add(ReceiptCounter(year=year, last_seq=1))
            return 1, receipt_no(year, 1)
        except IntegrityError:
            continue  # another cashier created the year's row first: bump it
    raise RuntimeError("receipt counter unavailable")
