"""Property fees: schemes, charges, payments and their allocation, receipts, expenses."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base

SCHEME_STATES = ("draft", "posted", "transition", "active", "ended")
BILLING_CYCLES = ("月", "季", "半年", "年")
PAYMENT_METHODS = ("现金", "微信", "支付宝", "银行转账", "其他")
EXPENSE_CATEGORIES = ("保洁", "保安", "绿化", "维修", "公摊水电", "人工", "其他")
EXEMPTION_KINDS = ("status", "tag")
EXEMPTION_MODES = ("percent", "fixed")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class FeeScheme(Base):
    """收费方案 of one compound. Price in milli-yuan per m² and month (0.450 元 → 450)."""

    __tablename__ = "fee_scheme"
    __table_args__ = (
        CheckConstraint(_in("state", SCHEME_STATES), name="state"),
        CheckConstraint(_in("cycle", BILLING_CYCLES), name="cycle"),
        CheckConstraint("price_milli > 0", name="price_positive"),
        CheckConstraint("transition_months >= 0", name="transition"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(
        ForeignKey("compound.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(64), default="")
    price_milli: Mapped[int]
    cap_milli: Mapped[int]
    over_cap_reason: Mapped[str] = mapped_column(Text, default="")
    start_month: Mapped[str] = mapped_column(String(7))  # YYYY-MM, first month of service
    end_month: Mapped[str | None] = mapped_column(String(7))
    cycle: Mapped[str] = mapped_column(String(4), default="月")
    transition_months: Mapped[int] = mapped_column(default=1)
    due_days: Mapped[int] = mapped_column(default=30)
    manager_name: Mapped[str] = mapped_column(String(64), default="")
    manager_contact: Mapped[str] = mapped_column(String(32), default="")
    office: Mapped[str] = mapped_column(String(128), default="")
    pay_ways: Mapped[str] = mapped_column(Text, default="")
    service_basis: Mapped[str] = mapped_column(Text, default="")
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    # The approving deliberation resolution (governance area); no FK: the scheme keeps
    # resolution_note as its text basis if the meeting record is removed.
    resolution_id: Mapped[int | None]
    # 居民满意后再缴费: the survey that gates activation, with its levels (None: defaults).
    survey_id: Mapped[int | None]
    satisfaction_threshold: Mapped[int | None]  # percent; None = 2/3
    min_coverage: Mapped[int | None]  # percent of households reached; None = 50
    state: Mapped[str] = mapped_column(String(12), default="draft")
    state_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    posted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    activated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Bumped by every save; a form saves only over the version it showed (stale writes).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class FeeExemption(Base):
    """A discount of a scheme for households with a status or a resident with a tag.

    mode percent: `value` percent off (100 = excluded, no charge); mode fixed: `value` fen off
    per month.
    """

    __tablename__ = "fee_exemption"
    __table_args__ = (
        CheckConstraint(_in("kind", EXEMPTION_KINDS), name="kind"),
        CheckConstraint(_in("mode", EXEMPTION_MODES), name="mode"),
        CheckConstraint("value >= 0", name="value"),
        UniqueConstraint("scheme_id", "kind", "match"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(
        ForeignKey("fee_scheme.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(8))
    match: Mapped[str] = mapped_column(String(8))
    mode: Mapped[str] = mapped_column(String(8))
    value: Mapped[int]


class FeeCharge(Base):
    """应收: one household, one scheme, one billing period; area and price snapshotted."""

    __tablename__ = "fee_charge"
    __table_args__ = (
        UniqueConstraint("household_id", "scheme_id", "period"),
        CheckConstraint("months > 0", name="months"),
        CheckConstraint("amount_fen >= 0", name="amount"),
        Index("ix_fee_charge_compound_period", "compound_id", "period"),
        # What a billing run looks up: a scheme's charges reaching into its months (covering).
        Index("ix_fee_charge_scheme_period", "scheme_id", "period", "months", "household_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="RESTRICT"))
    scheme_id: Mapped[int] = mapped_column(ForeignKey("fee_scheme.id", ondelete="RESTRICT"))
    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id", ondelete="RESTRICT"))
    period: Mapped[str] = mapped_column(String(7))  # first month billed, YYYY-MM
    months: Mapped[int]
    area_centi: Mapped[int]
    price_milli: Mapped[int]
    gross_fen: Mapped[int]
    discount_fen: Mapped[int] = mapped_column(default=0)
    discount_note: Mapped[str] = mapped_column(String(32), default="")
    amount_fen: Mapped[int]
    paid_fen: Mapped[int] = mapped_column(default=0)
    due_date: Mapped[dt.date]
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class FeePayment(Base):
    """实收: never deleted; a mistake is voided with a reason. Receipt numbers are gapless."""

    __tablename__ = "fee_payment"
    __table_args__ = (
        UniqueConstraint("receipt_year", "receipt_seq"),
        CheckConstraint("amount_fen > 0", name="amount"),
        CheckConstraint(_in("method", PAYMENT_METHODS), name="method"),
        Index("ix_fee_payment_compound_paid", "compound_id", "paid_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("household.id", ondelete="RESTRICT"), index=True
    )
    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id", ondelete="RESTRICT"))
    receipt_year: Mapped[int]
    receipt_seq: Mapped[int]
    receipt_no: Mapped[str] = mapped_column(String(16), unique=True)
    amount_fen: Mapped[int]
    method: Mapped[str] = mapped_column(String(8))
    payer: Mapped[str] = mapped_column(String(32), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    paid_at: Mapped[dt.datetime] = mapped_column(DateTime)
    operator: Mapped[str] = mapped_column(String(32), default="")
    printed: Mapped[int] = mapped_column(default=0)
    voided: Mapped[bool] = mapped_column(default=False)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    voided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    voided_by: Mapped[str] = mapped_column(String(32), default="")


class FeeAllocation(Base):
    """The part of a payment that settles a charge (oldest charge first)."""

    __tablename__ = "fee_allocation"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("fee_payment.id", ondelete="RESTRICT"), index=True
    )
    charge_id: Mapped[int] = mapped_column(
        ForeignKey("fee_charge.id", ondelete="RESTRICT"), index=True
    )
    amount_fen: Mapped[int]


class ReceiptCounter(Base):
    """The last receipt number issued in a year, bumped in the payment's transaction."""

    __tablename__ = "fee_receipt_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(default=0)


class FeeExpense(Base):
    """运行成本: one expense of a compound in a month."""

    __tablename__ = "fee_expense"
    __table_args__ = (
        CheckConstraint(_in("category", EXPENSE_CATEGORIES), name="category"),
        CheckConstraint("amount_fen > 0", name="amount"),
        Index("ix_fee_expense_compound_month", "compound_id", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id", ondelete="RESTRICT"))
    month: Mapped[str] = mapped_column(String(7))
    category: Mapped[str] = mapped_column(String(8))
    amount_fen: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(32), default="")
