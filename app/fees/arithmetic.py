"""Fee arithmetic in exact integers: area in centi-m², price in milli-yuan, money in fen.

area_centi × price_milli × months is money in units of 10⁻⁵ yuan, so rounding to the fen
(ROUND_HALF_UP) is one integer division; the property tests check it against Decimal.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from app.fees.errors import FeeError
from app.text import fold

MILLI = Decimal("0.001")
PERIOD_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


def _half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up (both non-negative)."""
    return (2 * numerator + denominator) // (2 * denominator)


def gross_fen(area_centi: int, price_milli: int, months: int) -> int:
    """area × price × months, rounded half up to the fen."""
    return _half_up(area_centi * price_milli * months, 1000)


def charge_fen(
    area_centi: int, price_milli: int, months: int, percent_off: int = 0, fixed_off_fen: int = 0
) -> tuple[int, int]:
    """(gross, amount due) in fen: a percentage off the exact product, rounded once; then a
    fixed amount per month off, never below zero."""
    exact = area_centi * price_milli * months
    gross = _half_up(exact, 1000)
    after_percent = _half_up(exact * (100 - percent_off), 100_000)
    return gross, max(0, after_percent - fixed_off_fen * months)


def parse_price(raw: str) -> int:
    """A typed unit price ("0.45", "０.４５元") in milli-yuan.

    Raises:
        FeeError: not a positive number with at most three decimals.
    """
    text = fold(raw).replace("元", "").replace("/㎡·月", "").strip()
    if not re.fullmatch(r"-?\d{1,6}(\.\d{1,6})?", text):
        raise FeeError("单价应为数字，如 0.45（元/㎡·月；不接受 1E+5 这类写法）")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise FeeError("单价应为数字，如 0.45（元/㎡·月）") from exc
    if not value.is_finite() or value <= 0:
        raise FeeError("单价应大于 0")
    if value != value.quantize(MILLI):
        raise FeeError("单价最多精确到 0.001 元")
    if value >= 100:
        raise FeeError("单价过大，请检查（单位：元/㎡·月）")
    return int(value * 1000)


def format_price(milli: int) -> str:
    """450 → "0.45"; 455 → "0.455" (at least two decimals)."""
    value = (Decimal(milli) / 1000).quantize(MILLI)
    text = f"{value:.3f}"
    return text[:-1] if text.endswith("0") else text


def parse_period(raw: str) -> str:
    """ "2026-3" / "2026-03" → "2026-03".

    Raises:
        FeeError: not a year and month.
    """
    m = PERIOD_RE.match(fold(raw).strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or not 2000 <= int(m.group(1)) <= 2100:
        raise FeeError(f"月份应写作 YYYY-MM，如 2026-03（收到“{raw}”）")
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def month_index(period: str) -> int:
    """ "2026-03" → months since year 0 (for arithmetic on periods)."""
    year, month = period.split("-")
    return int(year) * 12 + int(month) - 1


def period_of(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def add_months(period: str, months: int) -> str:
    return period_of(month_index(period) + months)


def period_label(period: str, months: int) -> str:
    """ "2026年3月" or "2026年3月—2026年5月"."""

    def one(p: str) -> str:
        y, m = p.split("-")
        return f"{y}年{int(m)}月"

    if months <= 1:
        return one(period)
    return f"{one(period)}—{one(add_months(period, months - 1))}"


CYCLE_MONTHS = {"月": 1, "季": 3, "半年": 6, "年": 12}
