"""The contract of a long job: progress and cancel callbacks, no Qt."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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


_gc_pauses = 0
_gc_was_enabled = False
_gc_lock = threading.Lock()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Cyclic garbage collection off for a bulk job that makes 100,000s of small objects.

    Reading a roster or pricing a billing run allocates tuples and strings by the hundred
    thousand and frees none of them until the end; the collector would walk them all again
    and again (a third of an import's time) to find no cycles. Reference counting still frees
    everything as usual. Nested and concurrent pauses are counted: the collector comes back
    when the last one ends, and only if it was on before the first.
    """
    global _gc_pauses, _gc_was_enabled  # noqa: PLW0603 - one process-wide switch, locked
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def collection_paused() -> bool:
    """True while a bulk job has cyclic collection paused (see `gc_paused`); the window's
    collector (ui/collector.py) waits until it ends."""
    return _gc_pauses > 0
