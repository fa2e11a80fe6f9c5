"""The command line: init, stats, errors on stderr with exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main


def test_init_demo_then_stats_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.sqlite3")
    assert main(["--db", db, "init", "--demo"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "stats", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["compounds"] == 15
    assert figures["households"] == 3000
    assert figures["residents"] > 3000
    assert figures["buildings"] > 15
    assert sum(c["households"] for c in figures["by_community"]) == 3000
    assert set(figures["by_management_mode"]) == {
        "无主管",
        "公办物业",
        "市场化物业",
        "单位自管",
        "居民自治",
    }
    assert sum(m["compounds"] for m in figures["by_management_mode"].values()) == 15
    assert figures["residents_by_tag"]["60岁以上"] > 0


def test_demo_is_deterministic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for name in ("a.sqlite3", "b.sqlite3"):
        assert main(["--db", str(tmp_path / name), "init", "--demo"]) == 0
        capsys.readouterr()
        assert main(["--db", str(tmp_path / name), "stats", "--json"]) == 0
        outputs.append(capsys.readouterr().out)
    # two failures would print the same nothing: the figures must be there, and equal
    assert json.loads(outputs[0])["households"] == 3000
    assert outputs[0] == outputs[1]


def test_stats_on_missing_database_fails_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(tmp_path / "none.sqlite3"), "stats"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "louyuan init" in err


def test_env_variable_names_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOUYUAN_DB", str(tmp_path / "env.sqlite3"))
    assert main(["init"]) == 0
    assert "env.sqlite3" in capsys.readouterr().out


def test_launcher_runs_subcommands_without_qt(tmp_path: Path) -> None:
    code = (
        "import sys, ui.launcher as l;"
        f"rc = l.main(['--db', {str(tmp_path / 'q.sqlite3')!r}, 'init']);"
        "assert 'PySide6' not in sys.modules, 'PySide6 imported';"
        "sys.exit(rc)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "数据库已就绪" in done.stdout


def test_init_demo_scaled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "scaled.sqlite3")
    assert main(["--db", db, "init", "--demo", "--households", "6000"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "stats", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["households"] == 6000
    assert figures["residents"] > 6000
    assert set(figures["by_management_mode"]) == {
        "无主管",
        "公办物业",
        "市场化物业",
        "单位自管",
        "居民自治",
    }
    from sqlalchemy import func, select

    from app.config import DatabaseTarget, to_url
    from app.database import open_database
    from db.models.fees import FeeAllocation, FeeCharge, FeePayment

    database = open_database(DatabaseTarget(to_url(db)))
    try:
        with database.sessions() as s:
            charges = s.scalar(select(func.count()).select_from(FeeCharge)) or 0
            paid = s.scalar(select(func.sum(FeeCharge.paid_fen))) or 0
            allocated = s.scalar(select(func.sum(FeeAllocation.amount_fen))) or 0
            payments = s.scalar(select(func.count()).select_from(FeePayment)) or 0
    finally:
        database.close()
    assert charges > 1000 and payments > 100
    assert paid == allocated  # every allocation is in its charge's paid figure


def test_households_only_with_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "x.sqlite3"), "init", "--households", "500"]) == 1
    assert "--demo" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--db", str(tmp_path / "x.sqlite3"), "init", "--demo", "--households", "lots"])


def test_version_loads_neither_qt_nor_sqlalchemy() -> None:
    code = (
        "import sys; from ui.launcher import main; main(['--version']); "
        "print(sorted(m for m in ('PySide6', 'sqlalchemy', 'app.cli') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0].startswith("louyuan ")
    assert out[-1] == "[]"


def _modules_after(code: str) -> list[str]:
    """The heavy modules loaded in a fresh interpreter after running `code`."""
    probe = (
        f"import sys; {code}; "
        "print(sorted(m for m in ('PySide6', 'sqlalchemy', 'sqlalchemy.orm', 'db.models',"
        " 'app.services', 'app.fees.cli', 'app.admin_cli') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    return out[-1].strip("[]").replace("'", "").split(", ") if out[-1] != "[]" else []


def test_importing_the_command_line_loads_no_orm_models_or_qt() -> None:
    assert _modules_after("import app.cli") == []
    # The window's argument parsing uses the same parser, without the areas.
    assert (
        _modules_after(
            "from app.cli import build_parser, area_modules; "
            "build_parser(area_modules('gui')).parse_known_args(['--demo'])"
        )
        == []
    )


def test_cli_version_loads_no_sqlalchemy() -> None:
    assert (
        _modules_after(
            "from app.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass"
        )
        == []
    )


def test_a_command_loads_only_its_own_area(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite3"
    loaded = _modules_after(f"from app.cli import main; main(['--db', {str(db)!r}, 'init'])")
    assert "sqlalchemy" in loaded  # the database was opened
    assert "app.fees.cli" not in loaded and "app.admin_cli" not in loaded


def test_the_area_table_names_every_area_command() -> None:
    import argparse
    import importlib

    from app.cli import AREAS, SUBCOMMANDS, build_parser

    for module, names in AREAS.items():
        assert names == importlib.import_module(module).SUBCOMMANDS, module
    sub = next(
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    assert sorted(sub.choices) == sorted(SUBCOMMANDS)
