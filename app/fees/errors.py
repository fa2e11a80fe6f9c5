"""Fee failures and their Chinese messages."""

from __future__ import annotations

from app.errors import AppError


class FeeError(AppError):
    """A fee rule was broken (bad scheme, wrong state, nothing to pay...)."""


class OverCapError(FeeError):
    """A price above the cap needs an explicit confirmation with a reason."""

    def __init__(self, price: str, cap: str) -> None:
        super().__init__(
            f"单价 {price} 元/㎡·月 高于上限 {cap} 元/㎡·月；如确需超出，请确认并填写理由。"
        )


class SchemeStateError(FeeError):
    """The scheme is not in a state that allows this step."""


class BillingError(FeeError):
    """A billing run cannot be made as asked."""


class PaymentError(FeeError):
    """A payment cannot be taken or voided as asked."""
