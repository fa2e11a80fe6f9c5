"""Careless and hostile arguments: one Chinese line, nothing half-done, same on both engines."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.config import DatabaseTarget, to_url
from app.database import open_database
from app.errors import AppError
from app.fees.arithmetic import parse_price
from app.fees.dto import PaymentInput, SchemeInput
from app.fees.errors import FeeError
from app.lengths import TooLong
from app.money import MAX_YUAN, MoneyError, check_yuan, parse_yuan
from app.registry.dto import CompoundInput
from app.registry.errors import ValidationError
from app.services import Services
from db.models.fees import FeePayment

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw", ["1e308", "1E+5", "inf", "NaN", "-5", "1,0000000", "0x10", "１e3"])
def test_amounts_in_plain_figures_only(raw: str) -> None:
    with pytest.raises(MoneyError):
        parse_yuan(raw)


def test_amount_bounds() -> None:
    assert parse_yuan("1,000,000") == MAX_YUAN
    with pytest.raises(MoneyError, match="金额过大"):
        parse_yuan("1000000.01")
    for bad in (Decimal("1e308"), Decimal("NaN"), Decimal("Infinity"), Decimal("-1")):
        with pytest.raises(MoneyError):
            check_yuan(bad)


@pytest.mark.parametrize("raw", ["1e308", "1E+5", "-0.45", "100", "0", "0.0001", "inf"])
def test_prices_in_plain_figures_and_bounds(raw: str) -> None:
    with pytest.raises(FeeError):
        parse_price(raw)


def test_service_amounts_are_checked_too(demo: Services) -> None:
    hid = demo.households.household_ids()[0]
    with pytest.raises(MoneyError):
        demo.fees.payments.pay(PaymentInput(hid, Decimal("1e308")))


def test_too_long_text_gets_the_same_message_on_both_engines(demo: Services) -> None:
    cid = demo.compounds.list_compounds()[0].id
    data = SchemeInput(cid, "0.40", "2031-01", name="长" * 200, office="办" * 300)
    with pytest.raises(TooLong) as refused:
        demo.fees.schemes.save_scheme(data)
    assert refused.value.message.startswith("“名称”过长：最多 64 个字，收到 200 个字")
    assert not [r for r in demo.fees.schemes.list_schemes() if r.start_month == "2031-01"]


def test_bidi_controls_do_not_make_a_second_lookalike_compound(demo: Services) -> None:
    first = demo.compounds.list_compounds()[0]
    community = demo.compounds.get_compound(first.id).data.community_id
    with pytest.raises(ValidationError) as clash:
        demo.compounds.create_compound(CompoundInput(first.name + "\u202e", community))
    assert clash.value.errors["name"] == "本社区已有同名楼院"


# -- the command line --------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from app.demo import generate

    path = tmp_path_factory.mktemp("hostile") / "template.sqlite3"
    db = open_database(DatabaseTarget(to_url(path)))
    generate(db, households=120)
    db.close()
    return path


@pytest.fixture
def office(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(template, path)
    monkeypatch.setenv("LOUYUAN_USER", "clerk")
    monkeypatch.setenv("LOUYUAN_PASSWORD", "demo1234")
    return str(path)


def _payments(db: str) -> int:
    database = open_database(DatabaseTarget(to_url(db)))
    try:
        with database.sessions() as s:
            return int(s.scalar(select(func.count()).select_from(FeePayment)) or 0)
    finally:
        database.close()


def _room(db: str) -> tuple[str, str]:
    database = open_database(DatabaseTarget(to_url(db)))
    try:
        services = Services.build(database, _admin())
        hid = services.households.household_ids()[0]
        row = services.households.household_rows([hid])[0]
        room = "-".join(p for p in (row.building, row.unit, row.room) if p)
        return services.households.get_household(hid).compound_name, room
    finally:
        database.close()


def _admin():  # type: ignore[no-untyped-def]
    from app.audit import Actor

    return Actor("tester", "admin")


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    return err


@pytest.mark.parametrize("amount", ["1e308", "1E+5", "-3", "abc"])
def test_pay_refuses_odd_amounts_with_one_line(
    office: str, capsys: pytest.CaptureFixture[str], amount: str
) -> None:
    compound, room = _room(office)
    before = _payments(office)
    args = ["--db", office, "pay", "--compound", compound, "--room", room, "--amount", amount]
    assert main(args) == 1
    assert "金额" in _one_line(capsys)
    assert _payments(office) == before


def test_a_receipt_that_cannot_be_written_is_refused_before_the_payment(
    office: str, capsys: pytest.CaptureFixture[str]
) -> None:
    compound, room = _room(office)
    before = _payments(office)
    args = ["--db", office, "pay", "--compound", compound, "--room", room, "--amount", "20"]
    assert main([*args, "--receipt", "/nonexistent/dir/r.pdf"]) == 1
    assert _one_line(capsys) == "文件夹不存在：/nonexistent/dir（未作任何改动）"
    assert _payments(office) == before


def test_a_receipt_failing_after_the_payment_says_what_was_kept(
    office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.documents.fees_receipt as receipts

    compound, room = _room(office)
    before = _payments(office)

    def disk_full(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(receipts, "write_receipt", disk_full)
    args = ["--db", office, "pay", "--compound", compound, "--room", room, "--amount", "20"]
    assert main([*args, "--receipt", str(tmp_path / "r.pdf")]) == 1
    err = _one_line(capsys)
    assert _payments(office) == before + 1  # the money is taken and kept ...
    number = err.split("收据编号 ")[1].split("（")[0]
    assert "请勿重复收款" in err and f"louyuan receipt 收据.pdf --number {number}" in err
    monkeypatch.undo()
    monkeypatch.setenv("LOUYUAN_USER", "clerk")
    monkeypatch.setenv("LOUYUAN_PASSWORD", "demo1234")
    out = tmp_path / "again.pdf"
    assert main(["--db", office, "receipt", str(out), "--number", number]) == 0  # ... reprint
    assert out.stat().st_size > 1000


def test_an_empty_csv_is_an_error(
    office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "空.csv"
    empty.write_bytes(b"")
    assert main(["--db", office, "import-roster", str(empty)]) == 1
    assert "没有住户数据" in _one_line(capsys)


def test_a_read_only_database_gets_one_line(
    office: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///file:{office}?mode=ro&uri=true"
    compound, room = _room(office)
    args = ["--db", url, "pay", "--compound", compound, "--room", room, "--amount", "20"]
    assert main(args) == 1
    assert "只读" in _one_line(capsys)


def test_a_missing_postgresql_driver_says_how_to_install_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--db", "postgresql+psycopg2://u@127.0.0.1/x", "stats"]) == 1
    assert "pip install 'louyuan[postgres]'" in _one_line(capsys)


def test_a_broken_pipe_exits_quietly(office: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, "-m", "ui.launcher", "--db", office, "stats", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # `| head -c 0`: the reader is gone before the first byte
    err = child.stderr.read()
    child.stderr.close()
    assert child.wait() == 0
    assert err == b""


def test_app_errors_are_one_line() -> None:
    assert "\n" not in AppError("x").message
