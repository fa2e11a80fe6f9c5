"""Governance on the demo database, the .xlsx export and the command line."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.demo import REFERENCE_DAY
from app.governance.dto import KINDS, STATUSES, ProblemFilter
from app.governance.service import GovernanceService
from app.services import Services


@pytest.fixture
def gov(demo: Services) -> GovernanceService:
    return GovernanceService(demo.db.sessions, demo.actor, lambda: REFERENCE_DAY)


def test_demo_has_every_state_category_gaps_and_overdue(gov: GovernanceService) -> None:
    problems = gov.problems.list_problems()
    assert 200 <= len(problems) <= 500
    assert {p.status for p in problems} == set(STATUSES)
    assert {p.category for p in problems} == {c.name for c in gov.problems.categories()}
    assert any(p.overdue for p in problems) and any(
        not p.overdue and p.status != "已办结" for p in problems
    )
    assert all(p.handler for p in problems)
    missing = gov.organisations.missing()
    assert missing and len(missing) < len(gov.organisations.compound_coverage())
    assert {k for m in missing for k in m.missing} <= set(KINDS)
    meetings = gov.meetings.list_meetings()
    assert meetings and any(not r.passed for m in meetings for r in m.resolutions)


def test_export_xlsx_typed_cells_and_totals(gov: GovernanceService, tmp_path: Path) -> None:
    out = tmp_path / "p.xlsx"
    n = gov.export_problems(out, ProblemFilter(overdue=True))
    rows = gov.problems.list_problems(ProblemFilter(overdue=True))
    assert n == len(rows) > 0
    wb = openpyxl.load_workbook(out)
    ws = wb["问题台账"]
    assert ws.freeze_panes == "A2"
    assert ws["B1"].value == "问题类别" and ws["M2"].value == "逾期"
    assert isinstance(ws["G2"].value, dt.datetime)
    assert ws["J2"].data_type == "s"  # phone as text
    assert ws.cell(row=n + 2, column=1).value == "合计"
    cats = wb["分类统计"]
    assert cats["A2"].value == "飞线充电"


def test_cli_problems_export_and_stats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "cli.sqlite3")
    assert main(["--db", db, "init", "--demo"]) == 0
    out = tmp_path / "p.xlsx"
    signed = ["--db", db, "--user", "clerk", "--password-stdin"]
    assert main(["--db", db, "problems-export", str(out)]) == 1  # nobody signed in
    assert "--user" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("demo1234\n"))
    assert main([*signed, "problems-export", str(out), "--category", "飞线充电"]) == 0
    assert "条问题" in capsys.readouterr().out
    ws = openpyxl.load_workbook(out)["问题台账"]
    assert {ws.cell(row=r, column=2).value for r in range(2, ws.max_row)} == {"飞线充电"}
    monkeypatch.setattr("sys.stdin", io.StringIO("demo1234\n"))
    assert main([*signed, "problems-export", str(out), "--category", "无此类"]) == 1
    assert "无此类" in capsys.readouterr().err
    assert main(["--db", db, "stats", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["organisations"]["compounds"] == 15
    assert figures["problems"]["total"] == sum(
        c["total"] for c in figures["problems"]["by_category"]
    )
    assert figures["grids"]["list"][0]["level"] == 1


def test_cancelled_export_and_ledger_write_nothing(gov: GovernanceService, tmp_path: Path) -> None:
    from app.errors import Cancelled

    seen: list[tuple[int, int]] = []
    with pytest.raises(Cancelled):
        gov.export_problems(
            tmp_path / "c.xlsx", None, lambda d, t: seen.append((d, t)), lambda: True
        )
    with pytest.raises(Cancelled):
        gov.print_ledger(tmp_path / "c.pdf", None, "全部", cancelled=lambda: True)
    assert not (tmp_path / "c.xlsx").exists() and not (tmp_path / "c.pdf").exists()
    gov.export_problems(tmp_path / "ok.xlsx", None, lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][1] == len(gov.problems.list_problems())
