"""What the fee documents print: notices, reminders, postings (read-only queries)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.errors import NotFound
from app.fees.allocation import payment_free
from app.fees.arithmetic import format_price, parse_period, period_label
from app.fees.dto import SchemeRow, location_of, mask_name
from app.fees.errors import FeeError
from app.fees.queries import located
from app.fees.schemes import load_scheme
from db.models import Building, Compound, Household
from db.models.fees import FeeCharge, FeeScheme

BATCH = 1000


@dataclass(frozen=True)
class NoticeItem:
    """One household's fee notice (or arrears reminder)."""

    number: str
    compound_name: str
    location: str
    householder_name: str
    area_centi: int
    price_text: str
    period_text: str
    amount_fen: int  # still due for this period
    earlier_fen: int  # arrears from earlier periods
    due_date: dt.date
    pay_ways: str
    office: str
    manager_name: str
    manager_contact: str
    months: int = 1
    gross_fen: int = 0  # area × price × months, before any exemption
    discount_fen: int = 0
    discount_note: str = ""  # the exemption's reason, e.g. 空置减50%
    paid_fen: int = 0  # paid on this period already
    earlier: tuple[tuple[str, int], ...] = ()  # (month label, fen due) oldest first
    credit_fen: int = 0  # paid in advance, not yet settled against a charge

    @property
    def total_fen(self) -> int:
        return self.amount_fen + self.earlier_fen

    @property
    def charge_fen(self) -> int:
        """This period's fee after exemptions."""
        return self.gross_fen - self.discount_fen

    @property
    def settled(self) -> bool:
        """Nothing owed at all (this period and earlier): printed as 已缴清."""
        return self.total_fen == 0


@dataclass(frozen=True)
class OwedMonth:
    """One period a household still owes (for the arrears reminder)."""

    label: str
    amount_fen: int
    paid_fen: int
    due_date: dt.date

    @property
    def due_fen(self) -> int:
        return self.amount_fen - self.paid_fen


@dataclass(frozen=True)
class ReminderItem:
    """One household's arrears reminder (催缴通知单): every period it still owes."""

    number: str
    compound_name: str
    location: str
    householder_name: str
    area_centi: int
    price_text: str
    months: tuple[OwedMonth, ...]
    reply_days: int  # pay within this many days of receiving the reminder
    pay_ways: str
    office: str
    manager_name: str
    manager_contact: str

    @property
    def total_fen(self) -> int:
        return sum(m.due_fen for m in self.months)


@dataclass(frozen=True)
class NoticeBatch:
    """A compound's notices for a period, fetched lazily in batches (memory stays flat)."""

    title: str
    count: int
    batches: Iterator[list[NoticeItem]]


class FeeDocumentData:
    """Data of the fee documents."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def _scheme_for(self, s: Session, compound_id: int) -> SchemeRow:
        sid = s.scalar(
            select(FeeScheme.id)
            .where(FeeScheme.compound_id == compound_id, FeeScheme.state != "ended")
            .order_by((FeeScheme.state == "active").desc(), FeeScheme.id.desc())
            .limit(1)
        ) or s.scalar(
            select(FeeScheme.id)
            .where(FeeScheme.compound_id == compound_id)
            .order_by(FeeScheme.id.desc())
            .limit(1)
        )
        if sid is None:
            compound = s.get(Compound, compound_id)
            raise FeeError(f"楼院“{compound.name if compound else compound_id}”还没有收费方案")
        return load_scheme(s, sid)

    def issuer_for(self, compound_id: int) -> str:
        """Who signs the compound's postings (落款): its scheme's manager, else ""."""
        try:
            return self.scheme_for(compound_id).manager_name
        except FeeError:
            return ""

    def scheme_for(self, compound_id: int) -> SchemeRow:
        """The compound's current scheme (active, else the newest not ended, else newest)."""
        with self._sessions() as s:
            return self._scheme_for(s, compound_id)

    def notice_ids(
        self,
        compound_id: int,
        period: str,
        household_ids: Sequence[int] | None = None,
        unpaid_only: bool = False,
    ) -> list[int]:
        """Charge ids of the period's notices, in building/unit/room order."""
        period = parse_period(period)
        with self._sessions() as s:
            if s.get(Compound, compound_id) is None:
                raise NotFound("该楼院不存在")
            query = (
                select(FeeCharge.id)
                .join(Household, Household.id == FeeCharge.household_id)
                .join(Building, Building.id == Household.building_id)
                .where(FeeCharge.compound_id == compound_id, FeeCharge.period == period)
                .order_by(
                    Building.sort_key, Building.name, Household.unit, Household.room, FeeCharge.id
                )
            )
            if household_ids is not None:
                query = query.where(FeeCharge.household_id.in_(list(household_ids)))
            if unpaid_only:
                query = query.where(FeeCharge.amount_fen > FeeCharge.paid_fen)
            return list(s.scalars(query))

    def notices(
        self, charge_ids: Sequence[int], masked: bool = False
    ) -> Iterator[list[NoticeItem]]:
        """Notice items in batches of BATCH, in the order of the ids."""
        for start in range(0, len(charge_ids), BATCH):
            with self._sessions() as s:
                yield self._items(s, list(charge_ids[start : start + BATCH]), masked)

    def _items(self, s: Session, ids: list[int], masked: bool) -> list[NoticeItem]:
        rows = s.execute(
            located(
                select(
                    FeeCharge.id,
                    FeeCharge.household_id,
                    FeeCharge.scheme_id,
                    FeeCharge.period,
                    FeeCharge.months,
                    FeeCharge.area_centi,
                    FeeCharge.price_milli,
                    FeeCharge.amount_fen - FeeCharge.paid_fen,
                    FeeCharge.due_date,
                    FeeCharge.gross_fen,
                    FeeCharge.discount_fen,
                    FeeCharge.discount_note,
                    FeeCharge.paid_fen,
                    Compound.name,
                    Building.name,
                    Household.unit,
                    Household.room,
                    Household.householder_name,
                ),
                FeeCharge,
            ).where(FeeCharge.id.in_(ids))
        ).all()
        if not rows:
            return []
        households = [r[1] for r in rows]
        owed = self._owed(s, households)
        credit = payment_free(s, households)
        schemes: dict[int, SchemeRow] = {}
        by_id = {}
        for row in rows:
            cid, hid, sid, period, months, area, price, due, due_date = row[:9]
            gross, discount, note, paid, cname, b, u, r, name = row[9:]
            if sid not in schemes:
                schemes[sid] = load_scheme(s, sid)
            scheme = schemes[sid]
            earlier = tuple((period_label(p, m), v) for p, m, v in owed.get(hid, []) if p < period)
            by_id[cid] = NoticeItem(
                number=f"{period.replace('-', '')}-{cid:07d}",
                compound_name=cname,
                location=location_of(b, u, r),
                householder_name=mask_name(name) if masked else name,
                area_centi=area,
                price_text=format_price(price),
                period_text=period_label(period, months),
                amount_fen=max(0, int(due)),
                earlier_fen=sum(v for _, v in earlier),
                due_date=due_date,
                pay_ways=scheme.pay_ways,
                office=scheme.office,
                manager_name=scheme.manager_name,
                manager_contact=scheme.manager_contact,
                months=months,
                gross_fen=gross,
                discount_fen=discount,
                discount_note=note,
                paid_fen=paid,
                earlier=earlier,
                credit_fen=sum(f for _, f in credit.get(hid, [])),
            )
        return [by_id[i] for i in ids if i in by_id]

    @staticmethod
    def _owed(s: Session, households: list[int]) -> dict[int, list[tuple[str, int, int]]]:
        """household → [(period, months, fen due)] of its open charges, oldest first."""
        owed: dict[int, list[tuple[str, int, int]]] = {}
        for start in range(0, len(households), 500):
            for hid, period, months, due in s.execute(
                select(
                    FeeCharge.household_id,
                    FeeCharge.period,
                    FeeCharge.months,
                    FeeCharge.amount_fen - FeeCharge.paid_fen,
                )
                .where(
                    FeeCharge.household_id.in_(households[start : start + 500]),
                    FeeCharge.amount_fen > FeeCharge.paid_fen,
                )
                .order_by(FeeCharge.period, FeeCharge.id)
            ):
                owed.setdefault(hid, []).append((period, months, int(due)))
        return owed

    def reminder_items(self, compound_id: int, masked: bool = False) -> list[ReminderItem]:
        """One arrears reminder per household that owes, listing every month it owes."""
        with self._sessions() as s:
            scheme = self._scheme_for(s, compound_id)
            rows = s.execute(
                located(
                    select(
                        FeeCharge.household_id,
                        Compound.name,
                        Building.name,
                        Household.unit,
                        Household.room,
                        Household.householder_name,
                        Household.area_centi,
                    ),
                    FeeCharge,
                )
                .where(
                    FeeCharge.compound_id == compound_id, FeeCharge.amount_fen > FeeCharge.paid_fen
                )
                .group_by(
                    FeeCharge.household_id,
                    Compound.name,
                    Building.name,
                    Household.unit,
                    Household.room,
                    Household.householder_name,
                    Household.area_centi,
                    Building.sort_key,
                )
                .order_by(Building.sort_key, Building.name, Household.unit, Household.room)
            ).all()
            months = self._owed_months(s, compound_id)
        today = dt.date.today()
        return [
            ReminderItem(
                number=f"CJ{today:%Y%m%d}-{hid:07d}",
                compound_name=cname,
                location=location_of(b, u, r),
                householder_name=mask_name(name) if masked else name,
                area_centi=area,
                price_text=scheme.price_text,
                months=tuple(months.get(hid, [])),
                reply_days=15,
                pay_ways=scheme.pay_ways,
                office=scheme.office,
                manager_name=scheme.manager_name,
                manager_contact=scheme.manager_contact,
            )
            for hid, cname, b, u, r, name, area in rows
        ]

    @staticmethod
    def _owed_months(s: Session, compound_id: int) -> dict[int, list[OwedMonth]]:
        out: dict[int, list[OwedMonth]] = {}
        for hid, period, months, amount, paid, due_date in s.execute(
            select(
                FeeCharge.household_id,
                FeeCharge.period,
                FeeCharge.months,
                FeeCharge.amount_fen,
                FeeCharge.paid_fen,
                FeeCharge.due_date,
            )
            .where(FeeCharge.compound_id == compound_id, FeeCharge.amount_fen > FeeCharge.paid_fen)
            .order_by(FeeCharge.household_id, FeeCharge.period, FeeCharge.id)
        ):
            out.setdefault(hid, []).append(
                OwedMonth(period_label(period, months), amount, paid, due_date)
            )
        return out
