"""The only thread runner: app jobs on QThreadPool, results delivered on the GUI thread.

A job is an `app` function `job(progress, cancelled) -> result`. Its signals arrive on the GUI
thread; the worker never touches a widget. The progress dialog shows only after ~0.5 s, always
has Cancel, and closes itself.

The program has one runner, made in `ui/app.py` (or by a window built alone, in tests) and
handed to every page and dialog. Writing jobs are serialised across the whole program: a
writing job started while another one runs waits in a queue (its dialog says 等待…) and starts
when the one before it ends; Cancel while it waits drops it. Reads run in parallel.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.errors import Cancelled, friendly_error
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
    started = Signal()  # a queued writing job got its turn
    cancel_requested = Signal()

    def __init__(self, writes: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.writes = writes
        self.done = False
        self.waiting = False  # queued behind another writing job
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
        self.cancel_requested.emit()

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


def while_alive(owner: QObject, slot: Callable[..., None]) -> Callable[..., None]:
    """`slot`, called only while `owner` (a page, a dialog) still exists: a result that lands
    after it was deleted is dropped. (Qt drops a bound method's calls by itself, not those of
    a `partial` or a lambda.)"""

    def call(*args: object) -> None:
        if shiboken6.isValid(owner):
            slot(*args)

    return call


def waiting_text() -> str:
    return QCoreApplication.translate("tasks", "等待另一项保存数据的操作完成……")


class TaskRunner(QObject):
    """Runs jobs; one writing job at a time across the program (the others queue), reads in
    parallel."""

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._running: set[Task] = set()
        self._writing: Task | None = None
        self._queue: deque[tuple[Task, Job]] = deque()

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

        A writing job while another writing job runs is queued (`task.waiting`); it starts
        (`task.started`) when every writing job before it has ended.
        """
        task = Task(writes, self)
        self._running.add(task)
        task.finished.connect(lambda _r: self._forget(task))
        task.failed.connect(lambda _e: self._forget(task))
        task.cancel_requested.connect(lambda: self._drop_waiting(task))
        if writes and self._writing is not None:
            task.waiting = True
            self._queue.append((task, job))
        if label:
            _attach_dialog(task, title, label, parent_widget)
        if not task.waiting:
            self._start(task, job)
        return task

    def _start(self, task: Task, job: Job) -> None:
        task.waiting = False
        if task.writes:
            self._writing = task
        # A plain callable: Qt owns and deletes the runnable when the thread is done with it.
        self._pool.start(_work(job, task))

    def _forget(self, task: Task) -> None:
        # Not deleteLater(): the caller may still hold the task (and pytest-qt disconnects
        # from it); finished tasks are small and go with the runner.
        self._running.discard(task)
        if task is self._writing:
            self._writing = None
            self._start_next()

    def _start_next(self) -> None:
        if self._queue and self._writing is None:
            task, job = self._queue.popleft()
            self._start(task, job)
            task.started.emit()

    def _drop_waiting(self, task: Task) -> None:
        """Cancel on a queued job: it never runs, and fails with Cancelled as a running one
        would."""
        for entry in list(self._queue):
            if entry[0] is task:
                self._queue.remove(entry)
                task._on_worker_failed(Cancelled())
                return

    def busy(self) -> bool:
        return bool(self._running)

    def cancel_all(self) -> None:
        """Ask every running job to stop and drop the waiting ones (the window was closed
        while it was still opening)."""
        for task in list(self._running):
            task.cancel()

    def writing(self) -> bool:
        """True while a writing job runs or waits."""
        return self._writing is not None or bool(self._queue)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for the pool's threads (on shutdown and in tests)."""
        return self._pool.waitForDone(msecs)


def _attach_dialog(task: Task, title: str, label: str, parent: QWidget | None) -> None:
    shown = f"{label}\n{waiting_text()}" if task.waiting else label
    dialog = QProgressDialog(shown, QCoreApplication.translate("tasks", "取消"), 0, 0, parent)
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
    task.started.connect(lambda: dialog.setLabelText(label))
    task.progressed.connect(on_progress)
    task.finished.connect(close)
    task.failed.connect(close)
    task.dialog = dialog  # type: ignore[attr-defined]  # for tests and callers
