"""The administrators' command line: backup, restore, users."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.cli import main


@pytest.fixture
def office(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> str:
    """An office database (the demo data, under --db) where the demo administrator signs in
    through the environment, as a script would."""
    db = str(tmp_path / "office.sqlite3")
    assert main(["--db", db, "init", "--demo"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("LOUYUAN_USER", "admin")
    monkeypatch.setenv("LOUYUAN_PASSWORD", "demo1234")
    return db


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_users_add_list_passwd_unlock(
    office: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "clerk-pass-1\n")
    args = ["--db", office, "users", "add", "王会计", "--role", "clerk", "--password-stdin"]
    assert main(args) == 0
    assert "已新增用户 王会计（工作人员）" in capsys.readouterr().out
    assert main(["--db", office, "users", "list"]) == 0
    assert "王会计\t\t工作人员\t启用" in capsys.readouterr().out
    _stdin(monkeypatch, "short\n")
    assert main(["--db", office, "users", "passwd", "王会计", "--password-stdin"]) == 1
    assert capsys.readouterr().err.strip() == "密码至少 8 个字符"
    _stdin(monkeypatch, "another-pass-2\n")
    assert main(["--db", office, "users", "passwd", "王会计", "--password-stdin"]) == 0
    assert main(["--db", office, "users", "unlock", "nobody"]) == 1
    assert "没有用户" in capsys.readouterr().err


def test_backup_then_restore(
    office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "copy.sqlite3"
    assert main(["--db", office, "backup", str(out)]) == 0
    assert "住户 3000 户" in capsys.readouterr().out
    assert main(["--db", office, "restore", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "恢复前的数据库已另存为" in printed and "before-restore" in printed


def test_restore_refuses_a_non_backup_with_one_line(
    office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("hello", encoding="utf-8")
    assert main(["--db", office, "restore", str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "不是楼院通的数据库备份文件" in err


def _audit_names(db: str) -> list[tuple[str, str, str]]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT username, action, note FROM audit_log ORDER BY id").fetchall()
    return [(str(u), str(a), str(n)) for u, a, n in rows]


def test_a_change_without_a_signed_in_user_is_refused(
    office: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("LOUYUAN_USER")
    monkeypatch.delenv("LOUYUAN_PASSWORD")
    before = len(_audit_names(office))
    for args in (
        ["users", "passwd", "admin", "--password-stdin"],
        ["users", "add", "mallory", "--role", "admin", "--password-stdin"],
        ["export-roster", str(Path(office).with_name("r.xlsx")), "--unmasked"],
        ["pay", "--compound", "幸福里小区", "--room", "1-1-101", "--amount", "10"],
    ):
        _stdin(monkeypatch, "evil-pass-123\n")
        assert main(["--db", office, *args]) == 1
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and "--user" in err
    assert not Path(office).with_name("r.xlsx").exists()
    assert len(_audit_names(office)) == before
    assert main(["--db", office, "stats"]) == 0  # reading figures needs nobody


def test_the_audit_log_names_the_signed_in_person(
    office: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("LOUYUAN_USER")
    monkeypatch.delenv("LOUYUAN_PASSWORD")
    # First line: the sign-in password; second line: the new user's password.
    _stdin(monkeypatch, "demo1234\nclerk-pass-1\n")
    args = ["--db", office, "--user", "admin", "--password-stdin", "users", "add", "王会计"]
    assert main([*args, "--role", "clerk", "--password-stdin"]) == 0
    log = _audit_names(office)
    assert log[-2][:2] == ("admin", "login") and log[-1][:2] == ("admin", "create")
    assert not any(name == "system" for name, _, _ in log)
    # a clerk may not manage users; the refusal is the table's one line
    _stdin(monkeypatch, "clerk-pass-1\nx-pass-12345\n")
    args = ["--db", office, "--user", "王会计", "--password-stdin", "users", "add", "x"]
    assert main([*args, "--password-stdin"]) == 1
    assert capsys.readouterr().err.strip() == "工作人员无权管理用户（仅限管理员）"


def test_wrong_passwords_lock_the_account_on_the_command_line(
    office: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOUYUAN_PASSWORD", "wrong-password")
    for _ in range(5):
        assert main(["--db", office, "backup", str(Path(office).with_name("b"))]) == 1
    assert "锁定" in capsys.readouterr().err.strip().splitlines()[-1]
    monkeypatch.setenv("LOUYUAN_PASSWORD", "demo1234")
    assert main(["--db", office, "backup", str(Path(office).with_name("b"))]) == 1
    assert "锁定" in capsys.readouterr().err


def test_account_recovery_by_the_file_owner(
    office: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("LOUYUAN_USER")
    monkeypatch.delenv("LOUYUAN_PASSWORD")
    _stdin(monkeypatch, "recovered-pass-1\n")
    args = ["--db", office, "users", "recover", "--reset-admin", "admin", "--password-stdin"]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "已恢复管理员 admin" in captured.out and "警告" in captured.err
    name, action, note = _audit_names(office)[-1]
    assert name.startswith("本机用户 ") and action == "recover" and "数据库文件所有者" in note
    _stdin(monkeypatch, "recovered-pass-1\n")
    assert main(["--db", office, "--user", "admin", "--password-stdin", "users", "list"]) == 0


def test_account_recovery_refused_to_another_os_account(
    office: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    if not hasattr(os, "getuid"):
        pytest.skip("no POSIX owners")
    monkeypatch.setattr(os, "getuid", lambda: 4242)
    _stdin(monkeypatch, "recovered-pass-1\n")
    args = ["--db", office, "users", "recover", "--reset-admin", "admin", "--password-stdin"]
    assert main(args) == 1
    assert "所有者" in capsys.readouterr().err


def test_a_database_without_users_is_run_by_the_local_account(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "new.sqlite3")
    assert main(["--db", db, "init"]) == 0
    out = tmp_path / "b.sqlite3"
    assert main(["--db", db, "backup", str(out)]) == 0
    assert _audit_names(db)[-1][0].startswith("本机用户 ")


def test_demo_init_initialises_the_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.config import data_dir

    assert main(["--demo", "init"]) == 0
    assert "demo.sqlite3" in capsys.readouterr().out
    assert (data_dir() / "demo.sqlite3").exists()
    assert not (data_dir() / "louyuan.sqlite3").exists()
