"""The only thread runner: app jobs on QThreadPool, results delivered on the GUI thread.

A job is an `app` function `job(progress, cancelled) -> result`. Its signals arrive on the GUI
thread; the worker never touches a widget. The progress dialog shows only after ~0.5 s, always
has Cancel, and closes itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.database import friendly_error
from app.errors import AppError
from app.jobs import IsCancelled, Progress

logger = logging.getLogger(__name__)

Job = Callable[[Progress, IsCancelled], Any]
SHOW_AFTER_MS = 500


class _WorkerSignals(QObject):
    """Emitted from the worker thread; received by the Task (GUI thread) through the queue."""

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class Task(QObject):
    """One running job. Connect to its signals right after `TaskRunner.run` returns.

    Its signals are always emitted on the GUI thread.
    """

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)  # the exception; an AppError is expected, anything else a bug

    def __init__(self, writes: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.writes = writes
        self.done = False
        self._cancel = threading.Event()
        self.worker_signals = _WorkerSignals()
        # Bound slots of a GUI-thread QObject: Qt queues each emission to this thread.
        self.worker_signals.progressed.connect(self._on_worker_progressed)
        self.worker_signals.finished.connect(self._on_worker_finished)
        self.worker_signals.failed.connect(self._on_worker_failed)

    @Slot(int, int)
    def _on_worker_progressed(self, done: int, total: int) -> None:
        if not self.done:
            self.progressed.emit(done, total)

    @Slot(object)
    def _on_worker_finished(self, result: object) -> None:
        self.done = True
        self.finished.emit(result)

    @Slot(object)
    def _on_worker_failed(self, exc: object) -> None:
        self.done = True
        self.failed.emit(exc)

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()


def _work(job: Job, task: Task) -> Callable[[], None]:
    """The function the pool thread runs; it only emits, never touches a widget."""
    signals, cancelled = task.worker_signals, task.is_cancelled

    def run() -> None:
        try:
            result = job(lambda done, total: signals.progressed.emit(done, total), cancelled)
        except Exception as exc:  # noqa: BLE001 - delivered to the GUI thread as is
            friendly = friendly_error(exc)  # a busy or lost database is no bug
            if friendly is None:
                logger.exception("background job failed")
            elif friendly is not exc:
                logger.warning("background job: %s", exc)
            signals.failed.emit(friendly or exc)
        else:
            signals.finished.emit(result)

    return run


class BusyError(AppError):
    def __init__(self) -> None:
        super().__init__("另一项保存数据的操作正在进行，请等它完成后再试。")


class TaskRunner(QObject):
    """Runs jobs; one writing job at a time, reads in parallel."""

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._running: set[Task] = set()

    def run(
        self,
        job: Job,
        *,
        writes: bool = False,
        title: str = "",
        label: str = "",
        parent_widget: QWidget | None = None,
    ) -> Task:
        """Start `job`; with a `label`, a progress dialog with Cancel appears after ~0.5 s.

        Raises:
            BusyError: a writing job is running and this one writes too.
        """
        if writes and any(t.writes for t in self._running):
            raise BusyError()
        task = Task(writes, self)
        self._running.add(task)
        task.finished.connect(lambda _r: self._forget(task))
        task.failed.connect(lambda _e: self._forget(task))
        if label:
            _attach_dialog(task, title, label, parent_widget)
        # A plain callable: Qt owns and deletes the runnable when the thread is done with it.
        self._pool.start(_work(job, task))
        return task

    def _forget(self, task: Task) -> None:
        # Not deleteLater(): the caller may still hold the task (and pytest-qt disconnects
        # from it); finished tasks are small and go with the runner.
        self._running.discard(task)

    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for the pool's threads (on shutdown and in tests)."""
        return self._pool.waitForDone(msecs)


def _attach_dialog(task: Task, title: str, label: str, parent: QWidget | None) -> None:
    dialog = QProgressDialog(label, QCoreApplication.translate("tasks", "取消"), 0, 0, parent)
    dialog.setWindowTitle(title or label)
    dialog.setWindowModality(
        Qt.WindowModality.WindowModal if parent else Qt.WindowModality.ApplicationModal
    )
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)  # starts the minimum-duration timer

    def on_progress(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))

    def close(*_args: object) -> None:
        dialog.canceled.disconnect(task.cancel)
        dialog.close()
        dialog.deleteLater()

    dialog.canceled.connect(task.cancel)
    task.progressed.connect(on_progress)
    task.finished.connect(close)
    task.failed.connect(close)
    task.dialog = dialog  # type: ignore[attr-defined]  # for tests and callers
