"""The expenses ledger (运行成本) and the monthly public accounts of a compound."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app import audit
from app.audit import Actor
from app.auth import Permission, require
from app.errors import NotFound
from app.fees.arithmetic import add_months, month_index, parse_period
from app.fees.dto import AccountsMonth, ExpenseInput, ExpenseRow
from app.fees.errors import FeeError
from app.money import check_yuan, format_yuan, to_fen
from db.models import Compound
from db.models.fees import EXPENSE_CATEGORIES, FeeExpense, FeePayment


class ExpenseService:
    """Running costs per compound and month, and income against them."""

    def __init__(self, sessions: sessionmaker[Session], actor: Actor) -> None:
        self._sessions = sessions
        self._actor = actor

    def add(self, data: ExpenseInput) -> ExpenseRow:
        """Record one expense.

        Raises:
            FeeError: unknown category, bad month or no amount.
        """
        require(self._actor, Permission.EDIT_FEES)
        month = parse_period(data.month)
        if data.category not in EXPENSE_CATEGORIES:
            raise FeeError("请选择支出类别：" + "、".join(EXPENSE_CATEGORIES))
        fen = to_fen(check_yuan(data.amount, allow_zero=True))
        if fen <= 0:
            raise FeeError("支出金额应大于 0")
        with self._sessions.begin() as s:
            compound = s.get(Compound, data.compound_id)
            if compound is None:
                raise NotFound("该楼院不存在")
            expense = FeeExpense(
                compound_id=compound.id,
                month=month,
                category=data.category,
                amount_fen=fen,
                note=data.note.strip(),
                created_at=dt.datetime.now(),
                created_by=self._actor.username,
            )
            s.add(expense)
            s.flush()
            audit.record(
                s,
                self._actor,
                "create",
                "fee_expense",
                expense.id,
                after={"month": month, "category": data.category, "amount": format_yuan(fen)},
            )
            return ExpenseRow(
                expense.id,
                compound.id,
                compound.name,
                month,
                data.category,
                fen,
                expense.note,
                expense.created_by,
            )

    def delete(self, expense_id: int, reason: str) -> None:
        require(self._actor, Permission.EDIT_FEES)
        if not reason.strip():
            raise FeeError("删除支出记录必须填写原因")
        with self._sessions.begin() as s:
            expense = s.get(FeeExpense, expense_id)
            if expense is None:
                raise NotFound("该支出记录不存在")
            audit.record(
                s,
                self._actor,
                "delete",
                "fee_expense",
                expense.id,
                before={
                    "month": expense.month,
                    "category": expense.category,
                    "amount": format_yuan(expense.amount_fen),
                },
                note=reason.strip(),
            )
            s.delete(expense)

    def list_expenses(
        self, compound_id: int | None = None, year: int | None = None
    ) -> list[ExpenseRow]:
        query = (
            select(FeeExpense, Compound.name)
            .join(Compound, Compound.id == FeeExpense.compound_id)
            .order_by(FeeExpense.month.desc(), Compound.name, FeeExpense.id)
        )
        if compound_id is not None:
            query = query.where(FeeExpense.compound_id == compound_id)
        if year is not None:
            query = query.where(FeeExpense.month.like(f"{year:04d}-%"))
        with self._sessions() as s:
            return [
                ExpenseRow(
                    e.id,
                    e.compound_id,
                    name,
                    e.month,
                    e.category,
                    e.amount_fen,
                    e.note,
                    e.created_by,
                )
                for e, name in s.execute(query)
            ]

    def accounts(self, compound_id: int, first: str, last: str) -> list[AccountsMonth]:
        """Income (valid payments received) against expenses, month by month."""
        first, last = parse_period(first), parse_period(last)
        if month_index(last) < month_index(first):
            raise FeeError("结束月份不能早于开始月份")
        months = [add_months(first, k) for k in range(month_index(last) - month_index(first) + 1)]
        y0, m0 = (int(x) for x in first.split("-"))
        end = add_months(last, 1)
        y1, m1 = (int(x) for x in end.split("-"))
        with self._sessions() as s:
            income: dict[str, int] = {}
            for paid_at, fen in s.execute(
                select(FeePayment.paid_at, FeePayment.amount_fen).where(
                    FeePayment.compound_id == compound_id,
                    FeePayment.voided.is_(False),
                    FeePayment.paid_at >= dt.datetime(y0, m0, 1),
                    FeePayment.paid_at < dt.datetime(y1, m1, 1),
                )
            ):
                key = f"{paid_at:%Y-%m}"
                income[key] = income.get(key, 0) + fen
            spent: dict[str, dict[str, int]] = {}
            for month, category, fen in s.execute(
                select(FeeExpense.month, FeeExpense.category, func.sum(FeeExpense.amount_fen))
                .where(
                    FeeExpense.compound_id == compound_id,
                    FeeExpense.month >= first,
                    FeeExpense.month <= last,
                )
                .group_by(FeeExpense.month, FeeExpense.category)
            ):
                spent.setdefault(month, {})[category] = int(fen)
        return [AccountsMonth(m, income.get(m, 0), spent.get(m, {})) for m in months]
