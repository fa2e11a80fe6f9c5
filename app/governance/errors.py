"""Governance failures and their Chinese messages."""

from __future__ import annotations

from app.errors import AppError


class GovernanceError(AppError):
    """A governance rule was broken (bad input or a step out of order)."""


class StatusFlowError(GovernanceError):
    """A problem moved against the flow 待处理 → 处理中 → 已办结."""


class CategoryInUse(GovernanceError):
    """A problem category that problems still use cannot be deleted."""

    def __init__(self, name: str, problems: int) -> None:
        super().__init__(f"类别“{name}”下还有 {problems} 条问题，不能删除；可改名或合并后再删。")
        self.problems = problems


def need(condition: bool, message: str) -> None:
    """Raise a GovernanceError with `message` unless `condition` holds."""
    if not condition:
        raise GovernanceError(message)
