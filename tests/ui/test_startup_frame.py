"""The window's frame comes first: the sections, menus and the database named show at once,
then (the database open) the clerk signs in over it and it is filled; every way out before
that ends the program as it did without a window."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.audit import SYSTEM, Actor
from app.config import DatabaseTarget, to_url
from app.database import open_database
from app.errors import Cancelled
from app.services import Services
from app.users.dto import LoginPolicy
from app.users.service import UserService
from ui import app as ui_app
from ui import collector, dialogs
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.settings import Settings

PASSWORD = "office-pass-1"


def _titles(window: MainWindow) -> tuple[list[str], list[str]]:
    nav = [window.nav.item(row).text() for row in range(window.nav.count())]
    menus = [action.text() for action in window.menuBar().actions()]
    return nav, menus


def test_the_frame_shows_what_the_filled_window_will(
    qtbot, demo_services: Services, prefs: Settings
) -> None:
    frame = MainWindow(None, prefs, target=demo_services.db.target)
    qtbot.addWidget(frame)
    frame.show()
    assert frame.opening.isVisible() and frame.opening.text() == "正在打开数据库……"
    assert not frame.stack.isVisible()
    assert not frame.attached and not frame.nav.isEnabled()
    assert "演示数据库" in frame.database_label.text()
    assert frame.windowTitle() == "演示数据" and frame.user_label.text() == ""
    before = _titles(frame)
    assert before[0][0] == "楼院台账" and len(before[0]) == 9

    frame.attach(demo_services)
    assert frame.attached and frame.nav.isEnabled()
    assert _titles(frame) == before  # nothing moves when the pages arrive
    assert frame.stack.currentWidget() is frame.registry_page and frame.stack.isVisible()
    assert not frame.opening.isVisible()
    assert frame.registry_page.compound_model.rowCount() > 0
    assert frame.user_label.text() == "用户：tester（管理员）"
    assert all(action.isEnabled() for action in frame.menuBar().actions())


def _office(tmp_path: Path) -> DatabaseTarget:
    """A database with an administrator (so the login dialog asks)."""
    target = DatabaseTarget(to_url(tmp_path / "office.sqlite3"))
    db = open_database(target)
    UserService(db.sessions, SYSTEM, LoginPolicy(3, 15)).create_first_admin(
        "admin", PASSWORD, "管理员"
    )
    db.close()
    return target


def _when_login_shows(act: object) -> list[LoginDialog]:
    """Call `act(dialog)` on the login dialog once it is up (it runs its own event loop)."""
    seen: list[LoginDialog] = []

    def look() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, LoginDialog) and not seen:
            seen.append(modal)
            act(modal)  # type: ignore[operator]
        elif not seen:
            QTimer.singleShot(20, look)

    QTimer.singleShot(20, look)
    return seen


def test_the_clerk_signs_in_over_the_frame(qtbot, tmp_path: Path, prefs: Settings) -> None:
    target = _office(tmp_path)

    def sign_in(dialog: LoginDialog) -> None:
        dialog.username.setText("admin")
        dialog.password.setText(PASSWORD)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    seen = _when_login_shows(sign_in)
    startup = ui_app.Startup(QApplication.instance(), target, prefs)  # type: ignore[arg-type]
    startup.start()
    assert startup.collector.held  # start-up makes only long-lived objects
    window = startup.window
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: startup.ready, timeout=20000)
    assert seen and seen[0].parent() is window  # over the frame, not a window of its own
    assert not startup.collector.held  # the filled window's garbage is collected again
    assert window.user_label.text() == "用户：admin（管理员）"
    window.close()
    startup.runner.wait()
    assert startup.db is not None
    startup.db.close()
    startup.window_lock.release()  # type: ignore[union-attr]


def test_giving_up_signing_in_ends_the_program(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """退出 in the login dialog: the frame closes and `louyuan` exits 0, nothing changed."""
    import sys

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own
    monkeypatch.setenv("LOUYUAN_DATA_DIR", str(tmp_path / "data"))
    target = _office(tmp_path)
    seen = _when_login_shows(lambda dialog: dialog.reject())
    assert ui_app.main(["--db", str(target.path)]) == 0
    assert seen
    assert not collector.install(QApplication.instance()).held  # type: ignore[arg-type]
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_closing_the_frame_while_the_demo_is_made_stops_it(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clerk closes the window while the demo is being generated: the generation is
    cancelled (its one transaction rolled back) and the program ends at once."""
    import sys

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setenv("LOUYUAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(dialogs, "info", lambda *_args, **_kwargs: None)
    stopped = threading.Event()

    def slow_demo(_db: object, _progress: object, cancelled: object) -> None:
        for _ in range(500):
            if cancelled():  # type: ignore[operator]
                stopped.set()
                raise Cancelled()
            threading.Event().wait(0.02)

    monkeypatch.setattr(ui_app, "fill_demo", slow_demo)

    def close_window() -> None:
        window = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        )
        window.close()

    QTimer.singleShot(600, close_window)
    assert ui_app.main(["--db", str(tmp_path / "demo.sqlite3"), "--demo"]) == 0
    assert stopped.is_set()


def test_after_a_restore_the_clerk_signs_in_again_into_a_fresh_window(
    qtbot, tmp_path: Path, prefs: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data changed under the window (restored from a backup): a new frame opens before
    the old window closes (the program goes on), and the clerk signs in again."""
    target = DatabaseTarget(to_url(tmp_path / "office.sqlite3"))
    open_database(target).close()
    signed: list[str] = []
    startup = ui_app.Startup(QApplication.instance(), target, prefs)  # type: ignore[arg-type]
    monkeypatch.setattr(startup, "sign_in", lambda: signed.append("in") or Actor("clerk", "clerk"))
    quits: list[bool] = []
    app = QApplication.instance()
    assert app is not None
    app.lastWindowClosed.connect(lambda: quits.append(True))
    startup.start()
    qtbot.waitUntil(lambda: startup.ready, timeout=20000)
    first = startup.window
    assert first is not None
    first.restart_requested.emit()
    second = startup.window
    assert second is not None and second is not first
    qtbot.addWidget(second)
    qtbot.waitUntil(lambda: startup.ready, timeout=20000)
    assert signed == ["in", "in"] and second.isVisible() and not quits
    second.close()
    startup.runner.wait()
    QApplication.processEvents()
    assert startup.db is not None and startup.window_lock is not None
    startup.db.close()
    startup.window_lock.release()
