"""A view's quiet background reads, of which only the newest counts.

A page that shows one compound (or one grid, one filter) reads it through the program's
runner without a progress dialog; when the clerk picks another compound before the first
read is in, the first result is dropped and the page ends up showing the last one picked.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal

from app.errors import Cancelled
from ui.tasks import Task, TaskRunner


class LatestRead(QObject):
    """Runs reads on the runner, quietly; `landed` carries the newest read's result only."""

    landed = Signal(object)
    failed = Signal(object)  # the newest read's exception (show it with show_failure)
    busy_changed = Signal(bool)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._generation = 0
        self._task: Task | None = None

    def start(self, read: Callable[[], object]) -> None:
        """Read in the background; any read still running is superseded (its result dropped)."""
        self._generation += 1
        generation = self._generation
        if self._task is not None and not self._task.done:
            self._task.cancel()
        task = self._runner.run(lambda _progress, _cancelled: read())
        self._task = task
        task.finished.connect(lambda result: self._on_done(generation, result, None))
        task.failed.connect(lambda exc: self._on_done(generation, None, exc))
        self.busy_changed.emit(True)

    def busy(self) -> bool:
        """True while the newest read is under way."""
        return self._task is not None and not self._task.done

    def _on_done(self, generation: int, result: object, exc: object) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # the view is gone, or a newer read supersedes this one
        self.busy_changed.emit(False)
        if exc is None:
            self.landed.emit(result)
        elif not isinstance(exc, Cancelled):
            self.failed.emit(exc)
