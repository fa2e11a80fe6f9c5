"""What the fee services hand to callers: frozen dataclasses, never ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from app.fees.arithmetic import add_months, format_price, period_label
from app.money import from_fen

# Choice lists for forms and filters (the window never reaches into db/).
from db.models.fees import (
    BILLING_CYCLES,
    EXPENSE_CATEGORIES,
    PAYMENT_METHODS,
    SCHEME_STATES,
)

__all__ = ["BILLING_CYCLES", "EXPENSE_CATEGORIES", "PAYMENT_METHODS", "SCHEME_STATES"]

STATE_LABELS = {
    "draft": "草稿",
    "posted": "公示中",
    "transition": "过渡期",
    "active": "收费中",
    "ended": "已结束",
}
DEFAULT_CAP_MILLI = 500


def location_of(building: str, unit: str, room: str) -> str:
    """3号楼1单元101 (as the registry writes it)."""
    return f"{building}号楼{unit + '单元' if unit else ''}{room}"


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧**娜 (for notices posted in the stairwell)."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


@dataclass(frozen=True)
class ExemptionRule:
    """kind "status" (房屋状态) or "tag" (a resident's tag); mode "percent" (value % off,
    100 = no charge) or "fixed" (value fen off per month)."""

    kind: str
    match: str
    mode: str
    value: int

    @property
    def label(self) -> str:
        what = f"{self.match}" if self.kind == "status" else f"{self.match}户"
        if self.mode == "percent":
            return f"{what}免收" if self.value >= 100 else f"{what}减{self.value}%"
        return f"{what}每月减{from_fen(self.value)}元"


@dataclass(frozen=True)
class SchemeInput:
    compound_id: int
    price: str  # 元/㎡·月 as typed
    start_month: str  # YYYY-MM
    name: str = ""
    cycle: str = "月"
    transition_months: int = 1
    due_days: int = 30
    manager_name: str = ""
    manager_contact: str = ""
    office: str = ""
    pay_ways: str = "现金、微信、支付宝、银行转账"
    service_basis: str = ""
    resolution_note: str = ""
    resolution_id: int | None = None  # a 议事决议 of the compound
    exemptions: tuple[ExemptionRule, ...] = ()
    over_cap_reason: str = ""  # required when the price is above the cap
    # 居民满意后再缴费: a survey over the compound gates activation (None: no gate)
    survey_id: int | None = None
    satisfaction_threshold: int | None = None  # percent satisfied; None = 2/3
    min_coverage: int | None = None  # percent of households reached; None = 50%


@dataclass(frozen=True)
class SchemeResolution:
    """The 议事决议 a scheme names, as printed on the posting."""

    id: int
    held_on: dt.date
    topic: str
    seq: int
    text: str
    votes_for: int
    votes_against: int
    votes_abstain: int
    passed: bool

    @property
    def votes_text(self) -> str:
        return f"赞成{self.votes_for}票，反对{self.votes_against}票，弃权{self.votes_abstain}票"

    @property
    def basis_text(self) -> str:
        """依据：2026年5月12日居民议事会决议“…”（赞成40票，反对3票，弃权2票）"""
        day = self.held_on
        return (
            f"依据：{day.year}年{day.month}月{day.day}日居民议事会决议“{self.text}”"
            f"（{self.votes_text}{'' if self.passed else '，未获通过'}）"
        )


def level_text(percent_value: int | None, default: str) -> str:
    return default if percent_value is None else f"{percent_value}%"


@dataclass(frozen=True)
class SchemeRow:
    id: int
    compound_id: int
    compound_name: str
    name: str
    price_milli: int
    cap_milli: int
    over_cap_reason: str
    start_month: str
    cycle: str
    transition_months: int
    due_days: int
    manager_name: str
    manager_contact: str
    office: str
    pay_ways: str
    service_basis: str
    resolution_note: str
    resolution_id: int | None
    state: str
    state_reason: str
    exemptions: tuple[ExemptionRule, ...] = ()
    survey_id: int | None = None
    survey_title: str = ""  # "" when the survey is gone
    satisfaction_threshold: int | None = None  # percent; None = 2/3
    min_coverage: int | None = None  # percent; None = 50%
    resolution: SchemeResolution | None = None  # None when unset or the record is gone
    version: int = 0  # the row version a form saves over (stale writes)

    @property
    def basis_text(self) -> str:
        """The scheme's basis for the posting: the linked resolution, else the note."""
        if self.resolution is not None:
            return self.resolution.basis_text
        return f"依据：{self.resolution_note}" if self.resolution_note else ""

    @property
    def gate_text(self) -> str:
        """满意度调查“…”满意率不低于 2/3、覆盖率不低于 50%; "" without a survey."""
        if self.survey_id is None:
            return ""
        title = self.survey_title or f"（第{self.survey_id}号调查已删除）"
        return (
            f"满意度调查“{title}”满意率不低于 "
            f"{level_text(self.satisfaction_threshold, '2/3')}、"
            f"覆盖率不低于 {level_text(self.min_coverage, '50%')}"
        )

    @property
    def price_text(self) -> str:
        return format_price(self.price_milli)

    @property
    def cap_text(self) -> str:
        return format_price(self.cap_milli)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def billing_start(self) -> str:
        """The first month that is billed (after the free transition)."""
        return add_months(self.start_month, self.transition_months)

    @property
    def transition_label(self) -> str:
        if self.transition_months == 0:
            return "无"
        return period_label(self.start_month, self.transition_months)


@dataclass(frozen=True)
class BillingLine:
    household_id: int
    location: str
    householder_name: str
    area_centi: int
    status: str
    gross_fen: int
    amount_fen: int
    discount_note: str
    skip_reason: str = ""  # why no charge is made ("" = billed)


@dataclass(frozen=True)
class BillingPreview:
    scheme_id: int
    compound_name: str
    period: str  # first month billed
    months: int
    lines: tuple[BillingLine, ...]
    note: str = ""  # e.g. months clipped by the transition

    @property
    def billable(self) -> tuple[BillingLine, ...]:
        return tuple(line for line in self.lines if not line.skip_reason)

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen for line in self.billable)

    @property
    def skipped(self) -> int:
        return len(self.lines) - len(self.billable)


@dataclass(frozen=True)
class BillingResult:
    charges: int
    total_fen: int
    skipped: int
    period: str
    months: int


@dataclass(frozen=True)
class ChargeFilter:
    compound_id: int | None = None
    building_id: int | None = None
    period: str = ""  # charges covering this month
    unpaid_only: bool = False
    household_id: int | None = None


@dataclass(frozen=True)
class ChargeRow:
    id: int
    household_id: int
    compound_name: str
    location: str
    householder_name: str
    period: str
    months: int
    area_centi: int
    price_milli: int
    gross_fen: int
    discount_fen: int
    discount_note: str
    amount_fen: int
    paid_fen: int
    due_date: dt.date

    @property
    def due_fen(self) -> int:
        return self.amount_fen - self.paid_fen

    @property
    def period_text(self) -> str:
        return period_label(self.period, self.months)


@dataclass(frozen=True)
class PaymentFilter:
    compound_id: int | None = None
    building_id: int | None = None
    month: str = ""  # paid in this month
    include_voided: bool = True
    household_id: int | None = None
    text: str = ""  # receipt number


@dataclass(frozen=True)
class PaymentRow:
    id: int
    receipt_no: str
    paid_at: dt.datetime
    compound_name: str
    location: str
    householder_name: str
    amount_fen: int
    method: str
    payer: str
    operator: str
    voided: bool
    void_reason: str


@dataclass(frozen=True)
class PaymentInput:
    household_id: int
    amount: Decimal
    method: str = "现金"
    payer: str = ""
    note: str = ""


@dataclass(frozen=True)
class ReceiptLine:
    text: str  # 2026年3月物业费 or 预收物业费
    amount_fen: int


@dataclass(frozen=True)
class Receipt:
    payment_id: int
    receipt_no: str
    paid_at: dt.datetime
    compound_name: str
    location: str
    householder_name: str
    payer: str
    amount_fen: int
    method: str
    operator: str
    lines: tuple[ReceiptLine, ...]
    manager_name: str
    voided: bool
    void_reason: str
    reprint: bool  # printed before: the paper says 补打


@dataclass(frozen=True)
class HouseholdAccount:
    """One household as the cashier sees it: what is owed, what a month costs, any credit."""

    household_id: int
    compound_id: int
    compound_name: str
    location: str
    householder_name: str
    area_centi: int
    monthly_fen: int  # under the compound's running scheme (0 without one)
    due_fen: int
    credit_fen: int  # paid in advance, not yet allocated to a charge
    open_charges: tuple[ChargeRow, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ArrearsRow:
    household_id: int
    compound_name: str
    location: str
    householder_name: str
    phone: str
    charges: int
    oldest_period: str
    due_fen: int


@dataclass(frozen=True)
class CompoundFees:
    compound_id: int
    compound_name: str
    charged_fen: int
    paid_fen: int
    households_in_arrears: int

    @property
    def due_fen(self) -> int:
        return self.charged_fen - self.paid_fen

    @property
    def collection_rate(self) -> float | None:
        """Share of the charged amount paid (for display only; the money stays exact)."""
        return None if self.charged_fen == 0 else self.paid_fen / self.charged_fen


@dataclass(frozen=True)
class ExpenseInput:
    compound_id: int
    month: str
    category: str
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class ExpenseRow:
    id: int
    compound_id: int
    compound_name: str
    month: str
    category: str
    amount_fen: int
    note: str
    created_by: str


@dataclass(frozen=True)
class AccountsMonth:
    """One month of a compound's public accounts."""

    month: str
    income_fen: int
    expenses: dict[str, int]  # category → fen

    @property
    def expense_fen(self) -> int:
        return sum(self.expenses.values())

    @property
    def balance_fen(self) -> int:
        return self.income_fen - self.expense_fen
