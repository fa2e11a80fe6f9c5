"""Sign-in: first start creates the administrator; wrong passwords are told, then locked out."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from app.audit import SYSTEM
from app.config import DatabaseTarget, to_url
from app.database import Database, open_database
from app.users.dto import LoginPolicy
from app.users.service import UserService
from ui.login_dialog import LoginDialog

PASSWORD = "office-pass-1"


@pytest.fixture
def users(tmp_path: Path) -> UserService:
    db: Database = open_database(DatabaseTarget(to_url(tmp_path / "u.sqlite3")))
    return UserService(db.sessions, SYSTEM, LoginPolicy(3, 15))


def _ok(dialog: LoginDialog) -> None:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_first_start_creates_the_administrator(qtbot, users: UserService) -> None:
    dialog = LoginDialog(users, first_start=True, database="x")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "楼院通 — 创建管理员"
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.confirm, "different-1")
    _ok(dialog)
    assert dialog.message.text() == "两次输入的密码不一致"
    assert not users.has_users()
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.confirm, PASSWORD)
    _ok(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.role == "admin"
    assert users.login("admin", PASSWORD).username == "admin"


def test_wrong_password_message_then_lockout(qtbot, users: UserService) -> None:
    users.create_first_admin("admin", PASSWORD)
    dialog = LoginDialog(users, first_start=False, database="office.sqlite3")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.username, "admin")
    qtbot.keyClicks(dialog.password, "wrong-pass")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.message.isVisibleTo(dialog)
    assert dialog.message.text() == "用户名或密码错误。再输错 2 次，账户将被暂时锁定。"
    assert dialog.password.text() == "" and dialog.actor is None
    for _ in range(2):
        qtbot.keyClicks(dialog.password, "wrong-pass")
        _ok(dialog)
    assert "账户已被锁定" in dialog.message.text() and "15 分钟" in dialog.message.text()
    qtbot.keyClicks(dialog.password, PASSWORD)  # even the right one, while locked
    _ok(dialog)
    assert "账户已被锁定" in dialog.message.text()
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_right_password_signs_in(qtbot, users: UserService) -> None:
    users.create_first_admin("admin", PASSWORD)
    dialog = LoginDialog(users, first_start=False, database="office.sqlite3")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.username, "admin")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.username == "admin"
