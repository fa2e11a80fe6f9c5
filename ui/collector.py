"""Cyclic garbage is collected on the GUI thread only.

Python's collector runs on whichever thread happens to allocate past its threshold. In the
window that is often a worker running a job (a registry query, an import), and the garbage it
finds may hold Qt objects that belong to the GUI thread: a closed dialog, a finished task, a
runner caught in a cycle with its slots. Destroying those on a worker thread while the GUI
thread uses Qt crashes the program (seen: a segmentation fault inside "Garbage-collecting" on a
pool thread while another pool thread queried the registry).

So the window turns automatic collection off and collects from a timer on the GUI thread, by
the same thresholds Python would use (pyqtgraph's GarbageCollector does the same). Reference
counting still frees almost everything at once, on any thread; only cycles wait for the timer.
A bulk job that pauses collection (`app.jobs.gc_paused`) is respected: the timer skips while
it runs. Start-up holds the collector until the window is filled (`hold` / `release`).

Nor does it collect inside a dialog's exec(): a collection must never be what destroys a live
widget (PySide6 crashes in QWidget::destroy when the collector frees a live widget tree), and
widgets closed with deleteLater() outside a nested event loop are only deleted once it ends.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QThread, QTimer

from app.jobs import collection_paused

INTERVAL_MS = 100


class GuiCollector(QObject):
    """Collects cyclic garbage from a timer on the thread it lives on (the GUI thread)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._holds = 0
        # The event loop's level where collecting is safe: the application's own loop (or,
        # in tests, no loop at all and one waiting loop).
        self._base_level = QThread.currentThread().loopLevel() + 1
        self.collections = [0, 0, 0]  # per generation, for tests and benchmarks
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def hold(self) -> None:
        """No collections until `release` (start-up makes only long-lived objects)."""
        self._holds += 1

    def release(self) -> None:
        self._holds = max(0, self._holds - 1)

    @property
    def held(self) -> bool:
        """Held by start-up (which must release it once the window is filled)."""
        return self._holds > 0

    def collect_due(self) -> int | None:
        """Collect the generation Python would collect now; the generation, or None."""
        if self._holds or collection_paused():
            return None
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if thresholds[0] <= 0 or counts[0] <= thresholds[0]:
            return None
        if QThread.currentThread().loopLevel() > self._base_level:
            # Inside a dialog's exec(): widgets closed with deleteLater() outside it wait for
            # it to end, and the collector must not be the one to destroy them.
            return None
        generation = 0
        if counts[1] > thresholds[1]:
            generation = 1
            if counts[2] > thresholds[2]:
                generation = 2
        gc.collect(generation)
        self.collections[generation] += 1
        return generation

    def uninstall(self) -> None:
        """Back to Python's own collection (tests; the program keeps its collector)."""
        self._timer.stop()
        gc.enable()
        parent = self.parent()
        if parent is not None and getattr(parent, "_louyuan_collector", None) is self:
            parent._louyuan_collector = None  # type: ignore[attr-defined]
        self.deleteLater()


def install(app: QObject) -> GuiCollector:
    """The application's collector (made once; later calls return it)."""
    existing = getattr(app, "_louyuan_collector", None)
    if isinstance(existing, GuiCollector):
        return existing
    collector = GuiCollector(app)
    app._louyuan_collector = collector  # type: ignore[attr-defined]
    return collector
