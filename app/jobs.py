"""The contract of a long job: progress and cancel callbacks, no Qt."""

from __future__ import annotations

from collections.abc import Callable

from app.errors import Cancelled

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


def no_progress(_done: int, _total: int) -> None:
    """A progress callback that ignores its arguments."""


def never_cancelled() -> bool:
    """A cancel callback for jobs run without a Cancel button."""
    return False


def check_cancelled(cancelled: IsCancelled) -> None:
    """Raise `Cancelled` when the user asked to stop."""
    if cancelled():
        raise Cancelled()
