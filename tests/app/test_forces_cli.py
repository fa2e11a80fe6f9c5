"""`louyuan forces list | export | import` on a demo database: sign-in, exit codes, what is
printed, the error file beside the input, and the demo's export re-importing unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.governance.forces_io import Col

HEADER = [c.value for c in Col]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("forces-cli") / "demo.sqlite3"
    assert main(["--db", str(db), "init", "--demo", "--households", "300"]) == 0
    return db


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> str:
    copy = tmp_path / "demo.sqlite3"
    copy.write_bytes(demo_file.read_bytes())
    return str(copy)


@pytest.fixture
def clerk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOUYUAN_USER", "clerk")
    monkeypatch.setenv("LOUYUAN_PASSWORD", "demo1234")


def test_nobody_signed_in_is_refused_but_may_preview(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "名册.xlsx"
    assert main(["--db", db, "forces", "export", str(out)]) == 1
    assert "请先登录" in capsys.readouterr().err and not out.exists()
    assert main(["--db", db, "forces", "list"]) == 1
    capsys.readouterr()
    src = tmp_path / "in.csv"
    src.write_text("姓名,身份,网格\n陈一,志愿者,无此网格\n", encoding="utf-8")
    assert main(["--db", db, "forces", "import", str(src), "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert "拒绝 1 行" in captured.out and "没有网格“无此网格”" in captured.err
    assert main(["--db", db, "forces", "import", str(src)]) == 1
    assert "请先登录" in capsys.readouterr().err


@pytest.mark.usefixtures("clerk")
def test_list_export_and_reimport_unchanged(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", db, "forces", "list", "--kind", "网格员", "--json"]) == 0
    people = json.loads(capsys.readouterr().out)
    assert people and all(any(r["kind"] == "网格员" for r in p["roles"]) for p in people)
    assert all("****" in p["phone"] for p in people if p["phone"])
    assert main(["--db", db, "forces", "list", "--kind", "队长"]) == 1
    assert "没有身份“队长”" in capsys.readouterr().err
    out = tmp_path / "名册.xlsx"
    assert main(["--db", db, "forces", "export", str(out)]) == 0
    printed = capsys.readouterr().out
    rows = int(printed.split("名册 ")[1].split(" 行")[0])
    assert rows > 100 and "电话已脱敏" in printed
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[2]] == HEADER and ws.max_row == rows + 2
    assert main(["--db", db, "forces", "export", str(tmp_path / "x.xlsx"), "--unmasked"]) == 1
    assert "无权" in capsys.readouterr().err and not (tmp_path / "x.xlsx").exists()
    assert main(["--db", db, "forces", "import", str(out), "--dry-run", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["written"] is False and summary["errors_file"] is None
    assert summary["rows"] == {
        "new": 0, "update": 0, "unchanged": rows, "skipped": 0, "rejected": 0,
    }  # fmt: skip


@pytest.mark.usefixtures("clerk")
def test_import_writes_good_rows_and_the_error_file_beside_the_input(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "新名册.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(HEADER)
    by = {c.value: n for n, c in enumerate(Col)}

    def row(**cells: str) -> list[str]:
        out = [""] * len(HEADER)
        for k, v in cells.items():
            out[by[k]] = v
        return out

    ws.append(row(姓名="新骑手", 联系电话="13911112222", 身份="新就业群体", 细类="快递员",
                  物业公司="中心路公办物业服务有限公司"))  # fmt: skip
    ws.append(row(姓名="坏日期", 联系电话="13911113333", 身份="志愿者",
                  物业公司="中心路公办物业服务有限公司", 开始日期="明年"))  # fmt: skip
    book.save(src)
    assert main(["--db", db, "forces", "import", str(src), "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert "预览（未写入）：新增 1 行" in captured.out and "拒绝 1 行" in captured.out
    assert "第3行 [开始日期]" in captured.err and "不是正确的日期" in captured.err
    errors = tmp_path / "新名册_未导入的行.xlsx"
    assert errors.exists() and "1 行未导入" in captured.out
    assert main(["--db", db, "forces", "list", "--kind", "新就业群体"]) == 0
    assert "新骑手" not in capsys.readouterr().out  # the dry run wrote nothing
    errors.unlink()
    assert main(["--db", db, "forces", "import", str(src)]) == 0
    captured = capsys.readouterr()
    assert "已导入：新增人员 1 人、身份 1 个" in captured.out
    assert errors.exists()
    rejected = list(openpyxl.load_workbook(errors).active.iter_rows(values_only=True))
    assert rejected[1][0] == 3 and rejected[1][1] == "坏日期"
    assert main(["--db", db, "forces", "list", "--kind", "新就业群体", "--subkind", "快递员"]) == 0
    assert "新骑手\t139****2222\t新就业群体（快递员）" in capsys.readouterr().out


def test_demo_exports_and_reimports_with_nothing_new(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo.xlsx"
    assert main(["--demo", "forces", "export", str(out)]) == 0
    rows = int(capsys.readouterr().out.split("名册 ")[1].split(" 行")[0])
    assert main(["--demo", "forces", "import", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"新增人员 0 人、身份 0 个，更新 0 行，不变 {rows} 行" in printed
