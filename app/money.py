"""Money: integer fen in storage, Decimal yuan in code (ROUND_HALF_UP), 大写 on paper."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from app.errors import AppError
from app.text import fold

FEN = Decimal("0.01")
# The largest single amount (a payment, an expense, an exemption): a million yuan. Anything
# larger is a typing slip, and it keeps every sum far inside integer and Decimal ranges.
MAX_YUAN = Decimal("1000000")
# Plain decimal notation only: "1E+5" and "1e308" are refused, never read as numbers.
PLAIN_NUMBER = re.compile(r"\d{1,12}(\.\d{1,12})?")


class MoneyError(AppError):
    """An amount a clerk typed that is not money."""


def to_fen(yuan: Decimal) -> int:
    """Yuan (any precision) to integer fen, rounding half up."""
    return int((yuan * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_fen(fen: int) -> Decimal:
    """Integer fen to yuan with two places."""
    return (Decimal(fen) / 100).quantize(FEN)


def round_yuan(value: Decimal) -> Decimal:
    """Round to the fen, half up."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def parse_yuan(raw: str) -> Decimal:
    """A typed amount ("53.9", "５３.９０", "53.90元", "¥53.9") as Decimal yuan.

    Raises:
        MoneyError: not a number, negative, or more than two decimals.
    """
    text = fold(raw).replace(",", "").removesuffix("元").removeprefix("¥").strip()
    if text.startswith("-") and PLAIN_NUMBER.fullmatch(text[1:]):
        raise MoneyError("金额不能为负数")
    if not PLAIN_NUMBER.fullmatch(text):
        raise MoneyError("金额应为数字，如 53.90（不接受 1E+5 这类写法）")
    value = Decimal(text)
    if value != value.quantize(FEN):
        raise MoneyError("金额最多保留两位小数（到分）")
    return check_yuan(value.quantize(FEN), allow_zero=True)


def check_yuan(value: Decimal, *, allow_zero: bool = False) -> Decimal:
    """An amount handed to a service: finite, not negative (zero only when allowed), at most
    MAX_YUAN, whole fen.

    Raises:
        MoneyError: otherwise.
    """
    if not isinstance(value, Decimal) or not value.is_finite():
        raise MoneyError("金额应为数字，如 53.90")
    if value < 0 or (value == 0 and not allow_zero):
        raise MoneyError("金额应大于 0" if value == 0 else "金额不能为负数")
    if value > MAX_YUAN:
        raise MoneyError(f"金额过大：单笔最多 {MAX_YUAN:,.2f} 元，请检查")
    if value != value.quantize(FEN, rounding=ROUND_HALF_UP):
        raise MoneyError("金额最多保留两位小数（到分）")
    return value


def format_yuan(value: Decimal | int) -> str:
    """12,345.60 (fen given as int are converted)."""
    yuan = from_fen(value) if isinstance(value, int) else round_yuan(value)
    return f"{yuan:,.2f}"


def in_words(value: Decimal | int) -> str:
    """Chinese capital amount (大写) as on a receipt: 壹佰贰拾捌元肆角伍分, 伍拾元整.

    Follows the bank rule: an amount ending in 元 or 角 gets 整; one ending in 分 does not.
    """
    import cn2an  # imported late: only documents need it

    yuan = from_fen(value) if isinstance(value, int) else round_yuan(value)
    if yuan < 0:
        return "负" + in_words(-yuan)
    if yuan == 0:
        return "零元整"
    words: str = cn2an.an2cn(f"{yuan:.2f}", "rmb")
    if words.endswith("角"):
        words += "整"
    return words
