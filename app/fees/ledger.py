"""The charge ledger, arrears and collection figures (read-only)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVarTuple

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import SYSTEM, Actor
from app.errors import NotFound
from app.fees.arithmetic import add_months, month_index
from app.fees.dto import (
    ArrearsRow,
    ChargeFilter,
    ChargeRow,
    CompoundFees,
    location_of,
)
from app.fees.queries import located
from app.jobs import IsCancelled, Progress, never_cancelled, no_progress
from app.registry.queries import fetch_ids
from app.unmasked import export_unmasked
from db.models import Building, Compound, Household
from db.models.fees import FeeCharge, FeeScheme


def charge_rows(s: Session, ids: Sequence[int]) -> list[ChargeRow]:
    """Rows for these charge ids, in the order given."""
    out: dict[int, ChargeRow] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        for c, cname, b, u, r, name in s.execute(
            located(
                select(
                    FeeCharge,
                    Compound.name,
                    Building.name,
                    Household.unit,
                    Household.room,
                    Household.householder_name,
                ),
                FeeCharge,
            ).where(FeeCharge.id.in_(chunk))
        ):
            out[c.id] = ChargeRow(
                c.id,
                c.household_id,
                cname,
                location_of(b, u, r),
                name,
                c.period,
                c.months,
                c.area_centi,
                c.price_milli,
                c.gross_fen,
                c.discount_fen,
                c.discount_note,
                c.amount_fen,
                c.paid_fen,
                c.due_date,
            )
    return [out[i] for i in ids if i in out]


Ts = TypeVarTuple("Ts")


def _filtered(query: Select[*Ts], flt: ChargeFilter) -> Select[*Ts]:
    if flt.building_id is not None:
        query = query.join(Household, Household.id == FeeCharge.household_id).where(
            Household.building_id == flt.building_id
        )
    if flt.compound_id is not None:
        query = query.where(FeeCharge.compound_id == flt.compound_id)
    if flt.household_id is not None:
        query = query.where(FeeCharge.household_id == flt.household_id)
    if flt.period:
        # Charges covering the month: started at most 24 months before, and still running.
        query = query.where(
            FeeCharge.period <= flt.period, FeeCharge.period >= add_months(flt.period, -23)
        )
    if flt.unpaid_only:
        query = query.where(FeeCharge.amount_fen > FeeCharge.paid_fen)
    return query


class FeeLedgerService:
    """Charges, arrears and collection rates."""

    def __init__(self, sessions: sessionmaker[Session], actor: Actor = SYSTEM) -> None:
        self._sessions = sessions
        self._actor = actor

    def may_unmask(self) -> bool:
        """Whether the signed-in person may export the arrears list with full phones."""
        from app.auth import Permission, allowed

        return allowed(self._actor, Permission.UNMASKED_OUTPUT)

    def export_arrears(
        self,
        path: Path | str,
        rows: Sequence[ArrearsRow],
        *,
        unmasked: bool = False,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never_cancelled,
    ) -> int:
        """The arrears list to .xlsx: phones masked unless `unmasked` (allowed to some roles
        only, and audited)."""
        from app.fees.export import export_arrears  # openpyxl loads on first use

        def run() -> int:
            return export_arrears(path, rows, progress, cancelled, unmasked=unmasked)

        if not unmasked:
            return run()
        note = f"导出未脱敏欠费清单：{Path(path).name}（{len(rows)} 户）"
        return export_unmasked(self._sessions, self._actor, "fee_charge", note, run)

    def compound_id(self, name: str) -> int:
        """The compound of this name.

        Raises:
            NotFound: none, or more than one (in different communities).
        """
        with self._sessions() as s:
            ids = list(s.scalars(select(Compound.id).where(Compound.name == name.strip()).limit(2)))
        if len(ids) != 1:
            raise NotFound(f"没有名为“{name}”的楼院" if not ids else f"楼院名称“{name}”不唯一")
        return ids[0]

    def compounds(self) -> list[tuple[int, str]]:
        """(id, name) of every compound, for pickers: compounds that charge fees (an active
        scheme) first, then those with a scheme in preparation (the fee pages open on one
        that has fees), each group in pinyin order."""
        has_scheme = select(FeeScheme.id).where(FeeScheme.compound_id == Compound.id).exists()
        charging = (
            select(FeeScheme.id)
            .where(FeeScheme.compound_id == Compound.id, FeeScheme.state == "active")
            .exists()
        )
        with self._sessions() as s:
            return [
                (i, n)
                for i, n in s.execute(
                    select(Compound.id, Compound.name).order_by(
                        case((charging, 0), (has_scheme, 1), else_=2),
                        Compound.name_pinyin,
                        Compound.id,
                    )
                )
            ]

    def buildings(self, compound_id: int) -> list[tuple[int, str]]:
        with self._sessions() as s:
            return [
                (i, n)
                for i, n in s.execute(
                    select(Building.id, Building.name)
                    .where(Building.compound_id == compound_id)
                    .order_by(Building.sort_key, Building.name, Building.id)
                )
            ]

    def charge_ids(self, flt: ChargeFilter) -> list[int]:
        """Ids of the charges a filter shows, by period (newest first) and location."""
        with self._sessions() as s:
            query = _filtered(select(FeeCharge.id), flt)
            if flt.period:
                ids_months = s.execute(
                    _filtered(select(FeeCharge.id, FeeCharge.period, FeeCharge.months), flt)
                ).all()
                target = month_index(flt.period)
                keep = {i for i, p, n in ids_months if month_index(p) + n - 1 >= target}
                ordered = fetch_ids(s, query.order_by(FeeCharge.period.desc(), FeeCharge.id))
                return [i for i in ordered if i in keep]
            return fetch_ids(s, query.order_by(FeeCharge.period.desc(), FeeCharge.id))

    def charge_rows(self, ids: Sequence[int]) -> list[ChargeRow]:
        with self._sessions() as s:
            return charge_rows(s, ids)

    def totals(self, ids: Sequence[int]) -> tuple[int, int]:
        """(charged, paid) fen over these charges."""
        charged = paid = 0
        with self._sessions() as s:
            for start in range(0, len(ids), 500):
                a, p = s.execute(
                    select(
                        func.coalesce(func.sum(FeeCharge.amount_fen), 0),
                        func.coalesce(func.sum(FeeCharge.paid_fen), 0),
                    ).where(FeeCharge.id.in_(list(ids[start : start + 500])))
                ).one()
                charged += int(a)
                paid += int(p)
        return charged, paid

    def arrears(self, compound_id: int | None = None) -> list[ArrearsRow]:
        """Households that owe money, the most owed first."""
        due = func.sum(FeeCharge.amount_fen - FeeCharge.paid_fen)
        query = (
            located(
                select(
                    FeeCharge.household_id,
                    Compound.name,
                    Building.name,
                    Household.unit,
                    Household.room,
                    Household.householder_name,
                    func.coalesce(Household.phone, ""),
                    func.count(FeeCharge.id),
                    func.min(FeeCharge.period),
                    due,
                ),
                FeeCharge,
            )
            .where(FeeCharge.amount_fen > FeeCharge.paid_fen)
            .group_by(
                FeeCharge.household_id,
                Compound.name,
                Building.name,
                Household.unit,
                Household.room,
                Household.householder_name,
                Household.phone,
                Building.sort_key,
            )
            .order_by(
                due.desc(), Compound.name, Building.sort_key, Household.room, FeeCharge.household_id
            )
        )
        if compound_id is not None:
            query = query.where(FeeCharge.compound_id == compound_id)
        with self._sessions() as s:
            return [
                ArrearsRow(hid, cname, location_of(b, u, r), name, phone, n, oldest, int(fen))
                for hid, cname, b, u, r, name, phone, n, oldest, fen in s.execute(query)
            ]

    def compound_fees(self, compound_id: int | None = None) -> list[CompoundFees]:
        """Charged, paid and households in arrears per compound that has charges."""
        owing = case((FeeCharge.amount_fen > FeeCharge.paid_fen, FeeCharge.household_id))
        query = (
            select(
                Compound.id,
                Compound.name,
                func.sum(FeeCharge.amount_fen),
                func.sum(FeeCharge.paid_fen),
                func.count(func.distinct(owing)),
            )
            .join(FeeCharge, FeeCharge.compound_id == Compound.id)
            .group_by(Compound.id, Compound.name)
            .order_by(Compound.name, Compound.id)
        )
        if compound_id is not None:
            query = query.where(Compound.id == compound_id)
        with self._sessions() as s:
            return [
                CompoundFees(cid, name, int(a or 0), int(p or 0), int(n))
                for cid, name, a, p, n in s.execute(query)
            ]

    def figures(self) -> dict[str, Any]:
        """For `louyuan stats`: totals, collection rate, schemes by state."""
        rows = self.compound_fees()
        charged = sum(r.charged_fen for r in rows)
        paid = sum(r.paid_fen for r in rows)
        with self._sessions() as s:
            states = dict(
                s.execute(select(FeeScheme.state, func.count()).group_by(FeeScheme.state)).all()
            )
        return {
            "charged_fen": charged,
            "paid_fen": paid,
            "arrears_fen": charged - paid,
            "collection_rate": round(paid / charged, 4) if charged else None,
            "households_in_arrears": sum(r.households_in_arrears for r in rows),
            "schemes_by_state": {k: int(v) for k, v in states.items()},
        }
