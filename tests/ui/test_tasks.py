"""The thread runner with fake jobs, and the first start of --demo that uses it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from app.config import DatabaseTarget, to_url
from app.errors import AppError, Cancelled
from app.jobs import IsCancelled, Progress, check_cancelled
from ui import app as ui_app
from ui import dialogs
from ui.settings import Settings
from ui.tasks import TaskRunner, while_alive


def counting_job(progress: Progress, cancelled: IsCancelled) -> str:
    for n in range(1, 6):
        check_cancelled(cancelled)
        progress(n, 5)
    return f"done in {threading.current_thread().name}"


def test_job_runs_off_the_gui_thread_and_reports_on_it(qtbot) -> None:
    runner = TaskRunner()
    task = runner.run(counting_job)
    seen: list[tuple[int, int, bool]] = []
    task.progressed.connect(
        lambda d, t: seen.append((d, t, threading.current_thread() is threading.main_thread()))
    )
    with qtbot.waitSignal(task.finished, timeout=5000) as blocker:
        pass
    assert blocker.args[0] != f"done in {threading.main_thread().name}"
    assert [(d, t) for d, t, _ in seen] == [(n, 5) for n in range(1, 6)]
    assert all(on_main for *_, on_main in seen)
    runner.wait()


def test_failure_is_delivered(qtbot) -> None:
    def broken(_p: Progress, _c: IsCancelled) -> None:
        raise AppError("文件已被占用")

    task = TaskRunner().run(broken)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        pass
    assert isinstance(blocker.args[0], AppError)
    assert blocker.args[0].message == "文件已被占用"


def test_a_result_landing_after_its_page_is_deleted_is_dropped(qtbot) -> None:
    """The clerk closes the page (or the window is replaced after a restore) while its read
    runs: the result finds no page and is dropped, no error."""
    release = threading.Event()
    page = QPushButton()
    shown: list[str] = []

    def read(_p: Progress, _c: IsCancelled) -> str:
        release.wait(5)
        return "rows"

    runner = TaskRunner()
    task = runner.run(read)
    task.finished.connect(while_alive(page, lambda rows: shown.append(page.text() + rows)))
    page.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    release.set()
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert shown == []  # (without the guard: RuntimeError, C++ object already deleted)
    runner.wait()


def test_cancel_stops_the_job(qtbot) -> None:
    started, release = threading.Event(), threading.Event()

    def waiting(_p: Progress, cancelled: IsCancelled) -> None:
        started.set()
        release.wait(5)
        check_cancelled(cancelled)

    runner = TaskRunner()
    task = runner.run(waiting, label="正在处理")
    assert started.wait(5)
    dialog = task.dialog  # type: ignore[attr-defined]
    qtbot.waitUntil(dialog.isVisible)  # shown after ~0.5 s
    (cancel,) = dialog.findChildren(QPushButton)
    assert cancel.text() == "取消"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    release.set()
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        pass
    assert isinstance(blocker.args[0], Cancelled)
    runner.wait()


def test_one_writing_job_at_a_time_the_next_one_waits(qtbot) -> None:
    release = threading.Event()
    order: list[str] = []
    runner = TaskRunner()
    first = runner.run(lambda _p, _c: (release.wait(5), order.append("first")), writes=True)
    second = runner.run(lambda _p, _c: order.append("second"), writes=True, label="正在保存")
    assert second.waiting and not first.waiting
    dialog = second.dialog  # type: ignore[attr-defined]
    assert "等待另一项保存数据的操作完成" in dialog.labelText()
    reader = runner.run(lambda _p, _c: "read")  # reads still run
    with qtbot.waitSignal(reader.finished, timeout=5000):
        pass
    assert order == []
    release.set()
    with qtbot.waitSignal(second.finished, timeout=5000):
        pass
    assert order == ["first", "second"]
    assert dialog.labelText() == "正在保存"
    runner.wait()


def test_cancel_while_waiting_drops_the_job(qtbot) -> None:
    release = threading.Event()
    ran: list[str] = []
    runner = TaskRunner()
    first = runner.run(lambda _p, _c: release.wait(5), writes=True)
    second = runner.run(lambda _p, _c: ran.append("second"), writes=True)
    with qtbot.waitSignal(second.failed, timeout=5000) as blocker:
        second.cancel()
    assert isinstance(blocker.args[0], Cancelled)
    third = runner.run(lambda _p, _c: ran.append("third"), writes=True)
    release.set()
    with qtbot.waitSignal(third.finished, timeout=5000):
        pass
    assert first.done and ran == ["third"]
    runner.wait()


def test_first_demo_start_fills_in_background(
    qtbot, tmp_path: Path, prefs: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.demo import generate

    monkeypatch.setattr(
        ui_app,
        "fill_demo",
        lambda db, progress, cancelled: generate(
            db, households=150, progress=progress, cancelled=cancelled
        ),
    )
    target = DatabaseTarget(to_url(tmp_path / "demo.sqlite3"), demo=True)
    startup = ui_app.Startup(QApplication.instance(), target, prefs)  # type: ignore[arg-type]
    startup.start()
    window = startup.window
    assert window is not None and window.isVisible()  # the frame, at once
    qtbot.addWidget(window)
    assert not startup.ready  # not filled before the data exists
    assert window.nav.count() == 9 and not window.nav.isEnabled()
    qtbot.waitUntil(lambda: startup.ready, timeout=20000)
    assert startup.window is window
    assert window.registry_page.compound_model.rowCount() == 15
    window.close()
    startup.runner.wait()
    assert startup.db is not None
    startup.db.close()


def test_unusable_database_shows_message_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "error", lambda _p, message, title="": shown.append(message))
    # A damaged file offers to restore a backup; the user declines.
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _title, text: shown.append(text) or False)
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    assert ui_app.main(["--db", str(bad)]) == 1
    assert shown and "数据库" in shown[0]


def test_integrity_check_runs_after_the_window_and_reports_damage(
    qtbot, tmp_path: Path, prefs: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quick_check is not on the start path; a failure is reported, window stays."""
    from app.demo import generate
    from app.errors import DatabaseDamaged

    monkeypatch.setattr(
        ui_app,
        "fill_demo",
        lambda db, progress, cancelled: generate(db, households=60, progress=progress),
    )
    checked: list[str] = []

    def damaged(db: object) -> None:
        checked.append("checked")
        raise DatabaseDamaged("demo.sqlite3")

    monkeypatch.setattr(ui_app, "check_integrity", damaged)
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "error", lambda _parent, message: shown.append(message))
    target = DatabaseTarget(to_url(tmp_path / "demo.sqlite3"), demo=True)
    startup = ui_app.Startup(QApplication.instance(), target, prefs)  # type: ignore[arg-type]
    startup.start()
    qtbot.waitUntil(lambda: startup.ready, timeout=20000)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert checked == ["checked"]
    assert "完整性检查未通过" in shown[0] and "备份" in shown[0]
    assert startup.window is not None and startup.window.isVisible()
    startup.window.close()
    startup.runner.wait()
    assert startup.db is not None
    startup.db.close()


def test_daily_backup_is_made_in_the_background_after_the_window_opens(
    qtbot, tmp_path: Path, prefs: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.audit import Actor
    from app.database import open_database
    from app.demo import generate

    target = DatabaseTarget(to_url(tmp_path / "office.sqlite3"))
    made = open_database(target)
    generate(made, households=60)
    made.close()
    startup = ui_app.Startup(QApplication.instance(), target, prefs)  # type: ignore[arg-type]
    monkeypatch.setattr(startup, "sign_in", lambda: Actor("clerk", "clerk"))
    startup.start()
    qtbot.waitUntil(lambda: startup.ready, timeout=20000)
    window = startup.window
    assert window is not None
    qtbot.addWidget(window)
    assert startup.services is not None
    backups = startup.services.backups
    qtbot.waitUntil(lambda: len(backups.list_backups()) == 1, timeout=10000)
    qtbot.waitUntil(lambda: "已自动备份到" in window.statusBar().currentMessage(), timeout=5000)
    window.close()
    startup.runner.wait()
    assert startup.db is not None
    startup.db.close()


def test_a_second_window_on_the_same_file_is_told_so(
    qtbot, tmp_path: Path, prefs: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.audit import Actor
    from app.database import open_database

    target = DatabaseTarget(to_url(tmp_path / "office.sqlite3"))
    open_database(target).close()
    shown: list[tuple[object, str]] = []
    monkeypatch.setattr(
        dialogs, "error", lambda parent, message, title="": shown.append((parent, message))
    )
    startups = []
    for _ in range(2):
        startup = ui_app.Startup(QApplication.instance(), target, prefs)  # type: ignore[arg-type]
        monkeypatch.setattr(startup, "sign_in", lambda: Actor("clerk", "clerk"))
        startup.start()
        qtbot.waitUntil(lambda: startup.ready, timeout=20000)  # noqa: B023
        assert startup.window is not None
        qtbot.addWidget(startup.window)
        startups.append(startup)
    assert len(shown) == 1 and "另一个楼院通窗口已经打开了同一个数据库" in shown[0][1]
    assert shown[0][0] is startups[1].window  # told over the second window's frame
    for startup in startups:
        assert startup.window is not None
        startup.window.close()
        startup.runner.wait()
        # The daily backups' results arrive now, while `dialogs.error` is still replaced
        # (left queued, they would open a real message box in the next test).
        QApplication.processEvents()
        assert startup.db is not None and startup.window_lock is not None
        startup.db.close()
        startup.window_lock.release()
