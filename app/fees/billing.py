"""Billing runs: one charge per billable household and period, in bulk, idempotent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session, sessionmaker

from app import audit
from app.audit import Actor
from app.auth import Permission, require
from app.bulk import fetch_rows, insert_rows
from app.errors import NotFound
from app.fees import allocation
from app.fees.arithmetic import CYCLE_MONTHS, add_months, charge_fen, month_index, parse_period
from app.fees.dto import (
    BillingLine,
    BillingPreview,
    BillingResult,
    ExemptionRule,
    location_of,
)
from app.fees.errors import BillingError
from app.fees.schemes import load_scheme
from app.jobs import (
    IsCancelled,
    Progress,
    check_cancelled,
    gc_paused,
    never_cancelled,
    no_progress,
)
from db.models import Building, Compound, Household, Resident, ResidentTag
from db.models.fees import FeeCharge, FeeScheme

BATCH = 10_000


@dataclass(frozen=True)
class _Run:
    scheme_id: int
    compound_id: int
    compound_name: str
    price_milli: int
    period: str
    months: int
    due_date: dt.date
    rules: tuple[ExemptionRule, ...]
    note: str


def _best(
    area: int, price: int, months: int, rules: Sequence[ExemptionRule]
) -> tuple[int, int, str]:
    """(gross, amount, note): the most favourable of the household's applicable rules."""
    gross, amount = charge_fen(area, price, months)
    note = ""
    for rule in rules:
        pct, fixed = (rule.value, 0) if rule.mode == "percent" else (0, rule.value)
        _g, candidate = charge_fen(area, price, months, pct, fixed)
        if candidate < amount:
            amount, note = candidate, rule.label
    return gross, amount, note


class BillingService:
    """Billing runs for a compound and period under its active scheme."""

    def __init__(self, sessions: sessionmaker[Session], actor: Actor) -> None:
        self._sessions = sessions
        self._actor = actor

    def _run(self, s: Session, compound_id: int, period: str, months: int | None) -> _Run:
        compound = s.get(Compound, compound_id)
        if compound is None:
            raise NotFound("该楼院不存在")
        sid = s.scalar(
            select(FeeScheme.id)
            .where(FeeScheme.compound_id == compound_id, FeeScheme.state == "active")
            .order_by(FeeScheme.id.desc())
            .limit(1)
        )
        if sid is None:
            raise BillingError(f"楼院“{compound.name}”没有收费中的方案，请先启用收费方案")
        scheme = load_scheme(s, sid)
        first = parse_period(period)
        n = CYCLE_MONTHS[scheme.cycle] if months is None else months
        if not 1 <= n <= 24:
            raise BillingError("计费月数应为 1～24")
        last = month_index(first) + n - 1
        start = max(month_index(first), month_index(scheme.billing_start))
        note = ""
        if start > last:
            raise BillingError(
                f"{first} 在过渡期（{scheme.transition_label}）内，免收物业费，不生成费用"
            )
        if start > month_index(first):
            note = f"过渡期（{scheme.transition_label}）免收，自 {scheme.billing_start} 起计费"
            first = scheme.billing_start
        y, m = (int(x) for x in first.split("-"))
        return _Run(
            scheme.id,
            compound_id,
            compound.name,
            scheme.price_milli,
            first,
            last - month_index(first) + 1,
            dt.date(y, m, 1) + dt.timedelta(days=scheme.due_days),
            scheme.exemptions,
            note,
        )

    def _plan(
        self, s: Session, run: _Run, household_ids: Sequence[int] | None
    ) -> list[tuple[int, int, int, int, str, str]]:
        """(household, area, gross, amount, discount note, skip reason) per household."""
        query = select(Household.id, Household.area_centi, Household.status).where(
            Household.compound_id == run.compound_id
        )
        if household_ids is not None:
            query = query.where(Household.id.in_(list(household_ids)))
        homes = fetch_rows(s.connection(), query.order_by(Household.id))
        tags = self._tags(s, run)
        billed = self._billed(s, run)
        status_rules = {r.match: r for r in run.rules if r.kind == "status"}
        tag_rules = [r for r in run.rules if r.kind == "tag"]
        price, months = run.price_milli, run.months
        # area × price × months is in 10⁻⁵ 元; to the fen, half up, in one integer division
        # (the same rounding as charge_fen, inlined for the households with no exemption).
        factor = 2 * price * months
        plan = []
        for hid, area, status in homes:
            if hid in billed:
                plan.append((hid, area, 0, 0, "", "本期已计费"))
                continue
            rules = [status_rules[status]] if status in status_rules else []
            if tag_rules and hid in tags:
                rules += [r for r in tag_rules if r.match in tags[hid]]
            if rules:
                gross, amount, note = _best(area, price, months, rules)
                plan.append((hid, area, gross, amount, note, "" if amount else f"免收：{note}"))
            else:
                gross = (area * factor + 1000) // 2000
                plan.append((hid, area, gross, gross, "", "" if gross else "免收："))
        return plan

    def _tags(self, s: Session, run: _Run) -> dict[int, set[str]]:
        wanted = [r.match for r in run.rules if r.kind == "tag"]
        if not wanted:
            return {}
        out: dict[int, set[str]] = {}
        for hid, tag in s.execute(
            select(Resident.household_id, ResidentTag.tag)
            .join(ResidentTag, ResidentTag.resident_id == Resident.id)
            .join(Household, Household.id == Resident.household_id)
            .where(Household.compound_id == run.compound_id, ResidentTag.tag.in_(wanted))
        ):
            out.setdefault(hid, set()).add(tag)
        return out

    def _billed(self, s: Session, run: _Run) -> set[int]:
        """Households that already have a charge of this scheme overlapping the months.

        A charge covers at most 24 months, so only the charges starting in the 24 months
        before the run's last month can overlap it. Their periods and longest spans are summed
        up in SQL first (a compound billed monthly for two years has 24 × its households of
        them); only the charges of the periods that reach into the run are then read. Both
        queries are answered from the index (scheme, period, months, household).
        """
        first, last = month_index(run.period), month_index(run.period) + run.months - 1
        spans = s.execute(
            select(FeeCharge.period, func.max(FeeCharge.months))
            .where(
                FeeCharge.scheme_id == run.scheme_id,
                FeeCharge.period <= add_months(run.period, run.months - 1),
                FeeCharge.period >= add_months(run.period, -24),
            )
            .group_by(FeeCharge.period)
        )
        periods = [p for p, longest in spans if month_index(p) + longest - 1 >= first]
        if not periods:
            return set()
        rows = fetch_rows(
            s.connection(),
            select(FeeCharge.household_id, FeeCharge.period, FeeCharge.months).where(
                FeeCharge.scheme_id == run.scheme_id,
                FeeCharge.period.in_(periods),
            ),
        )
        months = {p: month_index(p) for p in periods}
        return {hid for hid, p, n in rows if months[p] <= last and months[p] + n - 1 >= first}

    def preview(
        self,
        compound_id: int,
        period: str,
        months: int | None = None,
        household_ids: Sequence[int] | None = None,
    ) -> BillingPreview:
        """What a run would charge, household by household, writing nothing."""
        with gc_paused(), self._sessions() as s:
            run = self._run(s, compound_id, period, months)
            plan = self._plan(s, run, household_ids)
            names = {
                hid: (location_of(b, u, r), name, status)
                for hid, b, u, r, name, status in s.execute(
                    select(
                        Household.id,
                        Building.name,
                        Household.unit,
                        Household.room,
                        Household.householder_name,
                        Household.status,
                    )
                    .join(Building, Building.id == Household.building_id)
                    .where(Household.compound_id == compound_id)
                )
            }
        lines = [
            BillingLine(hid, *names[hid][:2], area, names[hid][2], gross, amount, note, skip)
            for hid, area, gross, amount, note, skip in plan
        ]
        lines.sort(key=lambda line: (line.skip_reason != "", line.location))
        return BillingPreview(
            run.scheme_id, run.compound_name, run.period, run.months, tuple(lines), run.note
        )

    def run(
        self,
        compound_id: int,
        period: str,
        months: int | None = None,
        household_ids: Sequence[int] | None = None,
        *,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never_cancelled,
    ) -> BillingResult:
        """Charge every billable household not yet charged for these months, in one
        transaction; money paid in advance settles the new charges at once.

        Raises:
            BillingError: no active scheme, or the months fall in the free transition.
            Cancelled: the user pressed Cancel (nothing was written).
        """
        require(self._actor, Permission.BILL)
        with gc_paused(), self._sessions.begin() as s:
            run = self._run(s, compound_id, period, months)
            plan = self._plan(s, run, household_ids)
            now = dt.datetime.now()
            fixed: dict[str, Any] = {
                "scheme_id": run.scheme_id,
                "compound_id": run.compound_id,
                "period": run.period,
                "months": run.months,
                "price_milli": run.price_milli,
                "paid_fen": 0,
                "due_date": run.due_date,
                "created_at": now,
            }
            columns = (
                "household_id",
                "area_centi",
                "gross_fen",
                "discount_fen",
                "discount_note",
                "amount_fen",
            )
            rows = [
                (hid, area, gross, gross - amount, note, amount)
                for hid, area, gross, amount, note, skip in plan
                if not skip
            ]
            # Straight to the driver: SQLAlchemy's per-row parameter processing would cost
            # more than the insert itself (see app/bulk.py).
            conn, table = s.connection(), cast(Table, FeeCharge.__table__)
            for start in range(0, len(rows), BATCH):
                check_cancelled(cancelled)
                insert_rows(conn, table, columns, rows[start : start + BATCH], constant=fixed)
                progress(min(start + BATCH, len(rows)), len(rows))
            check_cancelled(cancelled)
            if rows:
                allocation.allocate_credit(s, compound_id=compound_id)
            total = sum(map(itemgetter(5), rows))
            audit.record(
                s,
                self._actor,
                "bill",
                "fee_scheme",
                run.scheme_id,
                after={
                    "period": run.period,
                    "months": run.months,
                    "charges": len(rows),
                    "total_fen": total,
                },
            )
        return BillingResult(len(rows), total, len(plan) - len(rows), run.period, run.months)
