"""Cyclic garbage is collected on the GUI thread only (ui/collector.py)."""

from __future__ import annotations

import gc
import threading

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.jobs import gc_paused
from ui import collector


class _Cycle:
    """A reference cycle that notes the thread its finaliser runs on."""

    def __init__(self, seen: list[str]) -> None:
        self.me = self
        self.seen = seen

    def __del__(self) -> None:
        self.seen.append(threading.current_thread().name)


def _garbage_made_on_a_worker(seen: list[str], kept: list[object]) -> None:
    """A cycle dropped on a worker thread that then makes objects well past every threshold,
    as a registry query does: Python's own collector would run right there."""

    def work() -> None:
        _Cycle(seen)
        kept.append([[i] for i in range(50 * gc.get_threshold()[0])])

    worker = threading.Thread(target=work, name="worker")
    worker.start()
    worker.join(10)


def test_cycles_dropped_on_a_worker_are_collected_on_the_gui_thread(
    qapp: QApplication, qtbot: QtBot
) -> None:
    gui = collector.install(qapp)
    assert not gc.isenabled()
    gc.collect()
    seen: list[str] = []
    kept: list[object] = []
    _garbage_made_on_a_worker(seen, kept)
    assert seen == []  # not collected on the worker
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    assert seen == [threading.main_thread().name]
    assert sum(gui.collections) >= 1


def test_the_collector_waits_for_a_bulk_job_and_for_start_up(qapp: QApplication) -> None:
    gui = collector.install(qapp)
    gc.collect()
    seen: list[str] = []
    kept: list[object] = []
    _garbage_made_on_a_worker(seen, kept)
    with gc_paused():  # an import or a billing run
        assert gui.collect_due() is None
    assert not gc.isenabled()  # the pause ends without turning Python's collector back on
    gui.hold()
    assert gui.collect_due() is None
    gui.release()
    assert seen == []
    assert gui.collect_due() is not None
    assert seen == [threading.main_thread().name]


def test_install_is_once_per_application(qapp: QApplication) -> None:
    assert collector.install(qapp) is collector.install(qapp)


def test_no_collection_inside_a_dialogs_own_event_loop(qapp: QApplication) -> None:
    """A dialog's exec() runs a nested event loop: what was closed outside it waits, and the
    collector does too (it must never be what destroys a live widget)."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QDialog

    gui = collector.install(qapp)
    kept: list[object] = [[[i] for i in range(3 * gc.get_threshold()[0])]]  # a collection due
    inside: list[int | None] = []
    application_loop, dialog = QEventLoop(), QDialog()  # (the program runs in app.exec())

    def in_the_dialog() -> None:
        inside.append(gui.collect_due())
        dialog.reject()

    def in_the_application() -> None:
        QTimer.singleShot(0, in_the_dialog)
        dialog.exec()
        inside.append(gui.collect_due())  # back in the application's loop: it collects
        application_loop.quit()

    QTimer.singleShot(0, in_the_application)
    application_loop.exec()
    assert inside[0] is None and inside[1] is not None
    kept.clear()
