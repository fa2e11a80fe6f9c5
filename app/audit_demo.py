"""The demo's audit log: what the log would hold after the demo's month of work.

Every demo payment has its 收费 entry (and a voided one its 作废 entry) at the time and by the
operator the payment records; around them, the clerks' sign-ins on working days, a corrected
phone number, a roster import, an unmasked export and a backup. Written last, from the data
the other demo steps made, so the viewer agrees with the rest of the program.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.audit import dump
from app.money import format_yuan
from app.users.demo import DEMO_ADMIN
from db.models import AuditEntry, Household, User
from db.models.fees import FeePayment

CLERK = "clerk"
Add = Callable[..., None]  # (at, username, action, entity, entity_id, *, before, after, note)


def audit_demo(s: Session, rng: random.Random, today: dt.date) -> None:
    """Add the demo's audit history up to `today` (the demo's reference day)."""
    users = dict(s.execute(select(User.username, User.id)).all())
    entries: list[dict[str, object]] = []

    def add(  # noqa: PLR0913 - the fields of one entry
        at: dt.datetime,
        username: str,
        action: str,
        entity: str,
        entity_id: int | None = None,
        *,
        before: Mapping[str, object] | None = None,
        after: Mapping[str, object] | None = None,
        note: str = "",
    ) -> None:
        entries.append(
            {
                "at": at,
                "user_id": users.get(username),
                "username": username,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "before": dump(before),
                "after": dump(after),
                "note": note,
            }
        )

    start = today - dt.timedelta(days=30)
    for day in (start + dt.timedelta(days=n) for n in range(31)):
        if day.weekday() < 5:  # noqa: PLR2004 - Monday to Friday
            at = dt.datetime.combine(day, dt.time(8, rng.randint(20, 59)))
            add(at, CLERK, "login", "user", users.get(CLERK))
    payments = s.execute(select(FeePayment).order_by(FeePayment.id)).scalars()
    for p in payments:
        who = p.operator if p.operator in users else CLERK
        after = {
            "receipt_no": p.receipt_no,
            "amount": format_yuan(p.amount_fen),
            "method": p.method,
            "household_id": p.household_id,
        }
        add(p.paid_at, who, "pay", "fee_payment", p.id, after=after)
        if p.voided and p.voided_at is not None:
            before = {"receipt_no": p.receipt_no, "amount": format_yuan(p.amount_fen)}
            who = p.voided_by or who
            add(p.voided_at, who, "void", "fee_payment", p.id, before=before, note=p.void_reason)
    _registry_work(s, rng, today, add)
    s.execute(insert(AuditEntry), sorted(entries, key=lambda e: str(e["at"])))


def _registry_work(s: Session, rng: random.Random, today: dt.date, add: Add) -> None:
    """A corrected phone, a roster import, an unmasked export and a backup."""
    household = s.execute(
        select(Household.id, Household.phone, Household.householder_name)
        .where(Household.phone.is_not(None))
        .order_by(Household.id)
        .limit(1)
        .offset(rng.randint(0, 50))
    ).first()
    morning = dt.datetime.combine(today - dt.timedelta(days=3), dt.time(9, 12))
    if household is not None:
        hid, phone, name = household
        phone = str(phone)
        old = phone[:-4] + f"{(int(phone[-4:]) + 1111) % 10000:04d}"
        change = {"before": {"phone": old}, "after": {"phone": phone}}
        add(morning, CLERK, "update", "household", hid, **change, note=f"{name}来电更正手机号")
    households = s.scalar(select(Household.id).order_by(Household.id.desc()).limit(1)) or 0
    imported = dt.datetime.combine(today - dt.timedelta(days=25), dt.time(10, 5))
    counts = {"created": min(households, 120), "updated": 3}
    add(imported, CLERK, "import", "household", after=counts, note="导入花名册：幸福里花名册.xlsx")
    exported = dt.datetime.combine(today - dt.timedelta(days=10), dt.time(15, 40))
    counts = {"households": min(households, 560), "compounds": 1}
    note = "导出未脱敏花名册：幸福里花名册（报区民政局）.xlsx"
    add(exported, DEMO_ADMIN, "export_unmasked", "household", after=counts, note=note)
    backup = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(17, 30))
    add(backup, DEMO_ADMIN, "backup", "database", note="D:\\楼院通备份\\louyuan.db")
