"""Crash safety: a process killed (SIGKILL) in the middle of a big write leaves an intact
database holding all of the write or none of it; a second process on the same file works."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.audit import Actor
from app.config import DatabaseTarget, to_url
from app.database import open_database
from app.registry.dto import CompoundInput
from app.services import Services
from db.models import Compound, Household, Resident

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

ROOT = Path(__file__).resolve().parents[2]


def _child(code: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _wait_for(child: subprocess.Popen[str], word: str) -> None:
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == word:
            return
    raise AssertionError(
        f"child ended before {word!r}: {child.stderr.read() if child.stderr else ''}"
    )


def _kill(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)  # also closes the pipes
    assert child.returncode == -signal.SIGKILL


def _counts(path: Path) -> tuple[int, int, int]:
    db = open_database(DatabaseTarget(to_url(path)), create=False)  # runs quick_check
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        with db.sessions() as s:
            return (
                s.scalar(select(func.count()).select_from(Compound)) or 0,
                s.scalar(select(func.count()).select_from(Household)) or 0,
                s.scalar(select(func.count()).select_from(Resident)) or 0,
            )
    finally:
        db.close()


def test_killed_during_demo_generation_of_20000_households(tmp_path: Path) -> None:
    path = tmp_path / "big.sqlite3"
    child = _child(
        f"""
        import sys
        from app.config import DatabaseTarget, to_url
        from app.database import open_database
        from app.demo import generate
        db = open_database(DatabaseTarget(to_url({str(path)!r})))
        def progress(done, total):
            if done == total // 2:
                print("halfway", flush=True)
        generate(db, households=20_000, progress=progress)
        print("done", flush=True)
        """
    )
    _wait_for(child, "halfway")
    _kill(child)
    assert _counts(path) == (0, 0, 0)  # all before: the schema, and no half of the demo


BULK_WRITE = """
from app.registry.dto import HouseholdInput, ResidentInput
compound = services.compounds.list_compounds()[0].id
residents = [ResidentInput(name=f"居民{n:03d}", relation="其他") for n in range(150)]
data = HouseholdInput(compound, "99", "101", "88.5", householder_name="批量户")
"""


def test_killed_during_a_bulk_registry_write(tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite3"
    db = open_database(DatabaseTarget(to_url(path)))
    from app.demo import generate

    generate(db, households=600)
    db.close()
    before = _counts(path)
    # The child saves a household with 150 residents (one transaction: a new building,
    # the household, the residents, their tags, audit entries) and is killed half-way.
    head = textwrap.dedent(
        f"""
        import time
        from sqlalchemy import event
        from app.audit import Actor
        from app.config import DatabaseTarget, to_url
        from app.database import open_database
        from app.services import Services
        db = open_database(DatabaseTarget(to_url({str(path)!r})))
        services = Services.build(db, Actor("crash", "admin"))
        """
    )
    tail = textwrap.dedent(
        """
        seen = []
        @event.listens_for(db.engine, "after_cursor_execute")
        def _announce(*_args):
            seen.append(1)
            if len(seen) == 150:
                print("writing", flush=True)
                time.sleep(60)  # killed here, in the middle of the transaction
        services.households.save_household(None, data, residents)
        print("done", flush=True)
        """
    )
    child = _child(head + BULK_WRITE + tail)
    _wait_for(child, "writing")
    _kill(child)
    assert _counts(path) == before  # all before
    # The same write, not interrupted, is all after.
    db = open_database(DatabaseTarget(to_url(path)))
    services = Services.build(db, Actor("t", "admin"))
    scope: dict[str, object] = {"services": services}
    exec(BULK_WRITE, scope)  # noqa: S102
    services.households.save_household(None, scope["data"], scope["residents"])  # type: ignore[arg-type]
    db.close()
    assert _counts(path) == (before[0], before[1] + 1, before[2] + 150)


def test_second_process_reads_while_another_writes(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    db = open_database(DatabaseTarget(to_url(path)))
    services = Services.build(db, Actor("first", "admin"))
    from app.demo import generate

    generate(db, households=200)
    child = _child(
        f"""
        import sys
        from sqlalchemy import text
        from app.config import DatabaseTarget, to_url
        from app.database import open_database
        db = open_database(DatabaseTarget(to_url({str(path)!r})))
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE compound SET notes = 'other process'"))
            print("holding", flush=True)
            sys.stdin.readline()  # keep the write transaction open until told
        print("committed", flush=True)
        """
    )
    _wait_for(child, "holding")
    # WAL: this process reads (the last committed state) while the other one writes.
    assert len(services.compounds.list_compounds()) == 15
    _kill(child)
    # The killed writer's transaction is gone; this process can write at once.
    community = services.compounds.communities()[0].id
    services.compounds.create_compound(
        CompoundInput(name="第二个进程的楼院", community_id=community)
    )
    db.close()
    assert _counts(path)[0] == 16


ROSTER_ROWS = 3000


def _big_roster(path: Path, rows: int = ROSTER_ROWS) -> Path:
    """One sheet, the template's headers, `rows` distinct rooms over ten buildings."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("花名册")
    headers = ["楼院名称", "楼号", "单元", "房号", "户主姓名", "联系电话", "建筑面积(㎡)"]
    ws.write_row(0, 0, headers)
    given = "建国秀英志刚玉兰卫东红梅"
    for n in range(rows):
        building, rest = divmod(n, rows // 10 + 1)
        unit, k = divmod(rest, 100)
        room = f"{k // 4 + 1}{k % 4 + 1:02d}"
        name = "王李张刘陈"[n % 5] + given[n % 12] + given[(n // 12) % 12]
        phone = f"138{n:08d}"
        ws.write_row(n + 1, 0, ["压力测试院", f"{building + 1}号楼", unit + 1, room, name, phone])
        ws.write_number(n + 1, 6, 60 + n % 50 + 0.25)
    book.close()
    return path


def test_killed_during_a_large_roster_import(tmp_path: Path) -> None:
    path = tmp_path / "import.sqlite3"
    roster = _big_roster(tmp_path / "花名册.xlsx")
    open_database(DatabaseTarget(to_url(path))).close()
    before = _counts(path)
    # The child plans the import, then commits it in one transaction with small batches;
    # its progress callback announces the first flushed batch and waits to be killed.
    child = _child(
        f"""
        import time
        from pathlib import Path
        import app.roster.service as roster_service
        from app.audit import Actor
        from app.config import DatabaseTarget, to_url
        from app.database import open_database
        from app.roster.dto import ImportOptions
        from app.services import Services
        roster_service.BATCH = 500
        db = open_database(DatabaseTarget(to_url({str(path)!r})))
        services = Services.build(db, Actor("crash", "admin"))
        plan = services.rosters.plan([Path({str(roster)!r})], ImportOptions(community="幸福社区"))
        print("planned", plan.preview.writable, flush=True)
        def progress(done, total):
            if 0 < done < total:
                print("midway", flush=True)
                time.sleep(60)  # killed here, rows written but not committed
        services.rosters.commit(plan, progress=progress)
        print("done", flush=True)
        """
    )
    _wait_for(child, "midway")
    _kill(child)
    assert _counts(path) == before == (0, 0, 0)  # all before
    # The same import, not interrupted, is all after.
    db = open_database(DatabaseTarget(to_url(path)))
    services = Services.build(db, Actor("t", "admin"))
    from app.roster.dto import ImportOptions

    plan = services.rosters.plan([roster], ImportOptions(community="幸福社区"))
    assert plan.preview.writable == ROSTER_ROWS
    result = services.rosters.commit(plan)
    db.close()
    assert (result.created, result.created_compounds, result.created_buildings) == (
        ROSTER_ROWS, 1, 10,
    )  # fmt: skip
    assert _counts(path) == (1, ROSTER_ROWS, 0)


def _charges(path: Path, period: str) -> tuple[int, int, int]:
    """(charges of the period, all charges, allocations), after an integrity check."""
    from db.models.fees import FeeAllocation, FeeCharge

    db = open_database(DatabaseTarget(to_url(path)), create=False)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        with db.sessions() as s:
            return (
                s.scalar(
                    select(func.count()).select_from(FeeCharge).where(FeeCharge.period == period)
                )
                or 0,
                s.scalar(select(func.count()).select_from(FeeCharge)) or 0,
                s.scalar(select(func.count()).select_from(FeeAllocation)) or 0,
            )
    finally:
        db.close()


def test_killed_during_a_billing_run(tmp_path: Path) -> None:
    from big_compound import big_active_compound, household_count

    path = tmp_path / "billing.sqlite3"
    db = open_database(DatabaseTarget(to_url(path)))
    compound = big_active_compound(db, households=3000)
    homes = household_count(db, compound)
    db.close()
    before = _charges(path, "2026-11")
    assert before[0] == 0
    # The child bills the compound for 2026-11 in batches of 500 (one transaction) and is
    # killed after the first batch has been inserted.
    child = _child(
        f"""
        import time
        import app.fees.billing as billing
        from app.audit import Actor
        from app.config import DatabaseTarget, to_url
        from app.database import open_database
        from app.services import Services
        billing.BATCH = 500
        db = open_database(DatabaseTarget(to_url({str(path)!r})))
        services = Services.build(db, Actor("crash", "admin"))
        def progress(done, total):
            if done < total:
                print("midway", flush=True)
                time.sleep(60)  # killed here
        services.fees.billing.run({compound}, "2026-11", progress=progress)
        print("done", flush=True)
        """
    )
    _wait_for(child, "midway")
    _kill(child)
    assert _charges(path, "2026-11") == before  # all before
    db = open_database(DatabaseTarget(to_url(path)))
    result = Services.build(db, Actor("t", "admin")).fees.billing.run(compound, "2026-11")
    db.close()
    assert result.charges + result.skipped == homes > 3000
    after = _charges(path, "2026-11")
    assert after[:2] == (result.charges, before[1] + result.charges)  # all after
    assert after[2] >= before[2]  # money paid in advance settled some of the new charges
