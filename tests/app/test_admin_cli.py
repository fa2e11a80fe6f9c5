"""The administrators' command line: backup, restore, users."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.cli import main


@pytest.fixture
def office(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = str(tmp_path / "office.sqlite3")
    assert main(["--db", db, "init", "--demo"]) == 0
    capsys.readouterr()
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
