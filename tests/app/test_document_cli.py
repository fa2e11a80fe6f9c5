"""The command line reaches every document: 张贴通知, 工作简报, the ledger as PDF, a reprint."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cli import main


def _text(path: Path) -> str:
    return "".join(p.extract_text() for p in PdfReader(path).pages)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("cli") / "demo.sqlite3")
    assert main(["--db", db, "init", "--demo"]) == 0
    return db


def test_posting_notice(demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = tmp_path / "body.txt"
    body.write_text("因管道维修，2026年12月9日停水一天。\n请各户提前储水。", encoding="utf-8")
    out = tmp_path / "notice.pdf"
    args = ["--db", demo_db, "posting", "notice", str(out), "--title", "停水通知"]
    assert main([*args, "--body-file", str(body), "--signer", "某社区居委会",
                 "--date", "2026-12-07"]) == 0  # fmt: skip
    text = _text(out)
    assert "停水通知" in text and "请各户提前储水" in text and "2026年12月7日" in text
    assert main([*args, "--body-file", str(tmp_path / "none.txt"), "--signer", "x"]) == 1
    assert "无法读取正文文件" in capsys.readouterr().err
    assert main([*args, "--body-file", str(body)]) == 1
    assert "--signer" in capsys.readouterr().err
    assert main([*args, "--body-file", str(body), "--signer", "x", "--date", "12/07"]) == 1


def _signed(demo_db: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Arguments signing in as the demo's clerk (commands writing personal data need it)."""
    monkeypatch.setattr("sys.stdin", io.StringIO("demo1234\n"))
    return ["--db", demo_db, "--user", "clerk", "--password-stdin"]


def test_brief_and_ledger_pdf(
    demo_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "brief.pdf"
    assert main(["--db", demo_db, "brief", str(out), "--period", "2026-11"]) == 0
    assert "工作简报" in _text(out) or len(PdfReader(out).pages) >= 1
    ledger = tmp_path / "ledger.pdf"
    assert main([*_signed(demo_db, monkeypatch), "problems-export", str(ledger)]) == 0
    assert "楼院问题台账" in _text(ledger)
    assert main(["--db", demo_db, "problems-export", str(tmp_path / "x.doc")]) == 1


def test_receipt_reprint(
    demo_db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "r.pdf"
    args = ["pay", "--compound", "粮食局家属院", "--room", "1-1-101", "--amount", "10"]
    assert main([*_signed(demo_db, monkeypatch), *args]) == 0
    number = capsys.readouterr().out.strip().split()[-1]
    reprint = ["receipt", str(out), "--number", number]
    assert main([*_signed(demo_db, monkeypatch), *reprint]) == 0
    text = _text(out)
    assert number in text and "收款人：" in text and "收款人：clerk" not in text  # display name
    reprint[-1] = "1999-000001"
    assert main([*_signed(demo_db, monkeypatch), *reprint]) == 1
    assert "没有编号为" in capsys.readouterr().err
