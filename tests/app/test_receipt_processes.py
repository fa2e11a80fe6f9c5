"""Three processes take payments on one database at once while one of them also runs a
billing run: receipt numbers stay unique and gapless, and every payment has one.

On SQLite (WAL, busy timeout) a payment that still meets "database is locked" is taken again,
as a clerk would press 收款 again; the count of such retries is printed (run with -s).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from big_compound import big_active_compound, household_count
from sqlalchemy import func, select

from app.config import DatabaseTarget
from app.database import Database, open_database
from app.fees.receipts import receipt_no
from db.models import Household
from db.models.fees import FeeAllocation, FeeCharge, FeePayment, ReceiptCounter

ROOT = Path(__file__).resolve().parents[2]
CLERKS = ("甲", "乙", "丙")
PER_CLERK = 40
YEAR = 2027  # a year without receipts yet: the clerks also race to create its counter
PERIOD = "2026-11"

CHILD = (
    textwrap.dedent(
        """
    import datetime as dt
    import json
    import sys
    import time
    from decimal import Decimal
    from sqlalchemy.exc import OperationalError
    import app.fees.billing as billing
    from app.audit import Actor
    from app.config import DatabaseTarget
    from app.database import open_database
    from app.fees.dto import PaymentInput
    from app.services import Services

    url, who, compound, bill, homes = sys.argv[1:6]
    homes = json.loads(homes)
    billing.BATCH = 200  # many batches: a longer write transaction
    db = open_database(DatabaseTarget(url), create=False, check=False)
    fees = Services.build(db, Actor(who, "clerk")).fees
    retries = {}
    spans = []  # (start, end) of every payment and of the billing run, on the system clock

    def again(job):
        # A clerk whose click meets a locked database clicks again.
        start = time.monotonic()
        for _attempt in range(50):
            try:
                done = job()
                spans.append((start, time.monotonic()))
                return done
            except OperationalError as exc:
                kind = "locked" if "locked" in str(exc) else type(exc.orig).__name__
                retries[kind] = retries.get(kind, 0) + 1
        raise SystemExit(f"{who}: gave up after 50 tries")

    print("ready", flush=True)
    sys.stdin.readline()
    billed = None
    for n, hid in enumerate(homes):
        if bill == "bill" and n == len(homes) // 3:
            billed = again(lambda: fees.billing.run(int(compound), "@PERIOD@"))
            billing_span = spans.pop()
        when = dt.datetime(@YEAR@, 1, 5, 9, n // 60, n % 60)
        data = PaymentInput(hid, Decimal(30 + n % 7 * 40))
        again(lambda: fees.payments.pay(data, when=when))
    db.close()
    report = {"retries": retries, "spans": spans}
    if billed:
        report.update(charges=billed.charges, billing=billing_span)
    print(json.dumps(report))
    """
    )
    .replace("@PERIOD@", PERIOD)
    .replace("@YEAR@", str(YEAR))
)


def _spawn(
    url: str, who: str, compound: int, bill: bool, homes: list[int]
) -> subprocess.Popen[str]:
    args = [url, who, str(compound), "bill" if bill else "-", json.dumps(homes)]
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _run_together(children: list[subprocess.Popen[str]]) -> list[dict[str, Any]]:
    """Wait until every child is ready, let them go at once, collect their reports."""
    for child in children:
        assert child.stdout is not None
        if child.stdout.readline().strip() != "ready":
            raise AssertionError(child.communicate()[1])
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    reports = []
    for child in children:
        out, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return reports


@pytest.fixture
def big(db_url: str) -> Iterator[tuple[Database, int]]:
    database = open_database(DatabaseTarget(db_url))
    try:
        yield database, big_active_compound(database, households=1500)
    finally:
        database.close()


def test_processes_pay_and_bill_at_once(big: tuple[Database, int]) -> None:
    db, compound = big
    with db.sessions() as s:
        homes = list(
            s.scalars(
                select(Household.id)
                .where(Household.compound_id == compound)
                .order_by(Household.id)
                .limit(2 * PER_CLERK)
            )
        )
        before_2026 = s.scalar(select(ReceiptCounter.last_seq).where(ReceiptCounter.year == 2026))
        payments_before = s.scalar(select(func.count()).select_from(FeePayment)) or 0
    # Neighbouring clerks share half their households: two cashiers at one household at once.
    slices = [homes[k * PER_CLERK // 2 :][:PER_CLERK] for k in range(len(CLERKS))]
    slices[-1] = (slices[-1] + homes)[:PER_CLERK]
    children = [
        _spawn(db.target.url, who, compound, k == 0, part)
        for k, (who, part) in enumerate(zip(CLERKS, slices, strict=True))
    ]
    try:
        reports = _run_together(children)
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.communicate()
    start, end = reports[0]["billing"]
    during = sum(1 for r in reports[1:] for a, b in r["spans"] if a < end and b > start)
    print(
        f"\n{db.target.display}: retries {[r['retries'] for r in reports]}, billing run"
        f" {end - start:.3f} s, other clerks' payments in flight meanwhile: {during}",
    )

    n = len(CLERKS) * PER_CLERK
    with db.sessions() as s:
        rows = s.execute(
            select(FeePayment.receipt_seq, FeePayment.receipt_no, FeePayment.operator).where(
                FeePayment.receipt_year == YEAR
            )
        ).all()
        counter = s.scalar(select(ReceiptCounter.last_seq).where(ReceiptCounter.year == YEAR))
        after_2026 = s.scalar(select(ReceiptCounter.last_seq).where(ReceiptCounter.year == 2026))
        payments_after = s.scalar(select(func.count()).select_from(FeePayment)) or 0
        billed = s.scalar(
            select(func.count())
            .select_from(FeeCharge)
            .where(FeeCharge.compound_id == compound, FeeCharge.period == PERIOD)
        )
        # Bookkeeping stays sound: a charge is paid by exactly its allocations, never over,
        # and no payment is spread beyond its amount.
        allocated = (
            select(FeeAllocation.charge_id, func.sum(FeeAllocation.amount_fen).label("fen"))
            .group_by(FeeAllocation.charge_id)
            .subquery()
        )
        bad_charges = s.scalar(
            select(func.count())
            .select_from(FeeCharge)
            .outerjoin(allocated, allocated.c.charge_id == FeeCharge.id)
            .where(
                (FeeCharge.paid_fen != func.coalesce(allocated.c.fen, 0))
                | (FeeCharge.paid_fen > FeeCharge.amount_fen)
            )
        )
        spread = (
            select(FeeAllocation.payment_id, func.sum(FeeAllocation.amount_fen).label("fen"))
            .group_by(FeeAllocation.payment_id)
            .subquery()
        )
        overspent = s.scalar(
            select(func.count())
            .select_from(FeePayment)
            .join(spread, spread.c.payment_id == FeePayment.id)
            .where(spread.c.fen > FeePayment.amount_fen)
        )
    assert payments_after == payments_before + n  # every payment was taken, once
    assert sorted(seq for seq, _no, _op in rows) == list(range(1, n + 1))  # gapless, unique
    assert all(no == receipt_no(YEAR, seq) for seq, no, _op in rows)
    assert Counter(op for _s, _n, op in rows) == dict.fromkeys(CLERKS, PER_CLERK)
    assert counter == n and after_2026 == before_2026
    assert billed == reports[0]["charges"] and 1500 < billed <= household_count(db, compound)
    assert bad_charges == 0 and overspent == 0
