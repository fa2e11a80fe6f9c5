"""Roster import: messy files in, fates out, all or nothing, rejected rows handed back."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from roster_corpus import ID_A, building_column_xlsx, gbk_csv, messy_xlsx, old_xls

from app.cli import main
from app.errors import Cancelled
from app.roster.dto import Fate, Field, ImportOptions
from app.roster.errors import NoCommunity, RosterFileError
from app.services import Services

OPTS = ImportOptions(community="幸福社区")


def _by_row(preview, sheet):  # type: ignore[no-untyped-def]
    return {r.row: r for r in preview.rows if r.sheet == sheet}


def test_messy_workbook_fates(services: Services, tmp_path: Path) -> None:
    plan = services.rosters.plan([messy_xlsx(tmp_path / "m.xlsx")], OPTS)
    p = plan.preview
    rows = _by_row(p, "3号楼")
    assert p.skipped_sheets == ("m.xlsx / 填表说明",)
    first = rows[4]
    assert (first.fate, first.compound, first.building, first.unit, first.room) == (
        Fate.NEW, "和平里小区", "3", "1", "101",
    )  # fmt: skip
    assert first.phone == "13812345678" and first.area is not None and str(first.area) == "85.60"
    assert (first.column, first.reason, first.raw, len(first)) == ("", "", (), 16)
    assert "*" in first.id_number and first.name
    # merged 1单元 filled down, 全角 room, lowercase x, numeric phone cell
    assert (rows[5].unit, rows[5].room, rows[5].phone) == ("1", "102", "13912345678")
    assert rows[6].fate is Fate.REJECTED and "数字" in rows[6].reason  # ID held as a number
    assert rows[7].fate is Fate.REJECTED and "4.10102E+17" in rows[7].reason
    assert rows[8].fate is Fate.SKIPPED  # 小计
    assert rows[9].reason == "未填户主姓名" and rows[9].column == "户主姓名"
    assert "不是数字" in rows[10].reason and rows[10].column.startswith("建筑面积")
    assert rows[11].reason == "建筑面积应大于0"
    assert (rows[12].fate, rows[12].unit, rows[12].room) == (Fate.NEW, "1", "205")  # 1-205
    assert any("12345" in w for w in rows[12].warnings)  # odd phone: a warning only
    assert rows[13].fate is rows[14].fate is Fate.REJECTED  # the same room twice
    assert "第14行" in rows[13].reason
    assert "校验位" in rows[15].reason
    assert rows[17].fate is Fate.SKIPPED and rows[18].reason == "落款/签字行"
    five = _by_row(p, "5栋")
    assert [(r.building, r.unit, r.room) for r in five.values()] == [
        ("5", "1", "101"), ("5", "1", "102"), ("5", "2", "101"),
    ]  # fmt: skip
    assert p.counts[Fate.NEW] == 6 and p.counts[Fate.REJECTED] == 8
    assert p.new_compounds == ("和平里小区",)


def test_commit_then_reimport_is_unchanged(services: Services, tmp_path: Path) -> None:
    path = messy_xlsx(tmp_path / "m.xlsx")
    result = services.rosters.commit(services.rosters.plan([path], OPTS))
    assert (result.created, result.created_compounds, result.created_buildings) == (6, 1, 2)
    again = services.rosters.plan([path], OPTS).preview
    assert again.counts[Fate.NEW] == 0 and again.counts[Fate.UNCHANGED] == 6
    communities = [c.name for c in services.compounds.communities()]
    assert "幸福社区" in communities


def test_update_changes_only_given_fields(services: Services, tmp_path: Path) -> None:
    path = messy_xlsx(tmp_path / "m.xlsx")
    services.rosters.commit(services.rosters.plan([path], OPTS))
    book = openpyxl.load_workbook(path)
    book["3号楼"]["G4"] = "90"
    book.save(path)
    plan = services.rosters.plan([path], OPTS)
    row = _by_row(plan.preview, "3号楼")[4]
    assert row.fate is Fate.UPDATE and "面积" in row.reason
    assert services.rosters.commit(plan).updated == 1


def test_building_written_many_ways(services: Services, tmp_path: Path) -> None:
    p = services.rosters.plan([building_column_xlsx(tmp_path / "b.xlsx")], OPTS).preview
    rows = _by_row(p, "Sheet1")
    assert [(rows[i].building, rows[i].unit, rows[i].room) for i in (2, 3, 4)] == [
        ("3", "1", "101"), ("3", "1", "102"), ("4", "2", "101"),
    ]  # fmt: skip
    assert rows[5].fate is Fate.REJECTED and "不一致" in rows[5].reason
    assert any("居住人数" in w for w in rows[3].warnings)


def test_xls_and_gbk_csv(services: Services, tmp_path: Path) -> None:
    files = [old_xls(tmp_path / "o.xls"), gbk_csv(tmp_path / "g.csv")]
    p = services.rosters.plan(files, OPTS).preview
    xls = _by_row(p, "花名册")
    assert [(r.compound, r.building, r.unit, r.room) for r in xls.values()] == [
        ("红旗院", "1", "1", "101"), ("红旗院", "1", "1", "102"), ("红旗院", "1", "2", "101"),
    ]  # fmt: skip
    assert xls[3].id_number == ID_A[:6] + "********" + ID_A[-4:]
    csv_rows = _by_row(p, "g")
    assert csv_rows[2].compound == "光明院" and csv_rows[2].fate is Fate.NEW
    assert csv_rows[4].fate is Fate.REJECTED


def test_utf8_bom_csv(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_bytes("\ufeff楼院名称,楼号,房号,姓名,面积\n光明院,1,101,甲,50\n".encode())
    assert services.rosters.plan([path], OPTS).preview.counts[Fate.NEW] == 1


def test_csv_with_old_mac_line_ends(services: Services, tmp_path: Path) -> None:
    """Rows ended by a lone CR (old Mac / some exports) read as rows, not a csv.Error."""
    path = tmp_path / "cr.csv"
    path.write_bytes(
        "楼院名称,楼号,房号,姓名,面积\r光明院,1,101,甲,50\r光明院,1,102,乙,60\r".encode()
    )
    assert services.rosters.plan([path], OPTS).preview.counts[Fate.NEW] == 2


def test_unreadable_files(services: Services, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(RosterFileError):
        services.rosters.plan([bad], OPTS)
    with pytest.raises(RosterFileError):
        services.rosters.plan([tmp_path / "missing.xlsx"], OPTS)


def test_new_compound_needs_a_community(services: Services, tmp_path: Path) -> None:
    with pytest.raises(NoCommunity):
        services.rosters.plan([gbk_csv(tmp_path / "g.csv")])


def test_cancel_leaves_database_untouched(services: Services, tmp_path: Path) -> None:
    plan = services.rosters.plan([messy_xlsx(tmp_path / "m.xlsx")], OPTS)
    calls: list[tuple[int, int]] = []
    with pytest.raises(Cancelled):
        services.rosters.commit(plan, lambda d, t: calls.append((d, t)), lambda: bool(calls))
    assert services.stats.summary()["households"] == 0
    assert services.compounds.communities() == []


def test_rejects_file(services: Services, tmp_path: Path) -> None:
    preview = services.rosters.plan([messy_xlsx(tmp_path / "m.xlsx")], OPTS).preview
    out = tmp_path / "errors.xlsx"
    assert services.rosters.write_rejects(preview, out) == 8
    ws = openpyxl.load_workbook(out)["3号楼"]
    header = [c.value for c in ws[1]]
    assert header[0] == "行号" and "原因" in header and "户主姓名" in header
    assert header[6] == "联系电话"  # line break taken out of "联系\n电话"
    reasons = {
        ws.cell(r, 1).value: ws.cell(r, header.index("原因") + 1).value for r in range(2, 10)
    }
    assert reasons[9] == "未填户主姓名"
    assert ws.cell(2, header.index("户主姓名") + 1).value == "王五"


def test_remembered_mapping(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("楼院名称,楼号,房号,姓名,住房建面\n光明院,1,101,甲,50\n", encoding="utf-8")
    layout = services.rosters.inspect(path).sheets[0]
    assert [c.header for c in layout.unplaced] == ["住房建面"]
    assert services.rosters.plan([path], OPTS).preview.counts[Fate.REJECTED] == 1
    services.rosters.remember(layout.signature, {"住房建面": Field.AREA})
    again = services.rosters.inspect(path).sheets[0]
    assert again.mapping()[4] is Field.AREA and not again.unplaced
    assert services.rosters.plan([path], OPTS).preview.counts[Fate.NEW] == 1


def test_cli_json_and_errors(services: Services, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    url = services.db.target.url
    path = messy_xlsx(tmp_path / "m.xlsx")
    errors = tmp_path / "e.xlsx"
    argv = ["--db", url, "import-roster", str(path), "--community", "幸福社区", "--json"]
    assert main([*argv, "--dry-run"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["written"] is False and dry["households"]["new"] == 6
    assert main([*argv, "--errors", str(errors)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["written"] is True and out["compounds"]["new"] == ["和平里小区"]
    assert {"file", "sheet", "row", "column", "reason"} <= out["rejected"][0].keys()
    assert errors.exists()
    assert services.stats.summary()["households"] == 6
    assert main(["--db", url, "import-roster", str(tmp_path / "none.xlsx")]) == 1
    assert "找不到文件" in capsys.readouterr().err


def _household_indexes(services: Services) -> set[str]:
    from sqlalchemy import inspect

    with services.db.engine.connect() as conn:
        return {i["name"] for i in inspect(conn).get_indexes("household")}


@pytest.mark.parametrize("outcome", ["commit", "cancel", "failure"])
def test_large_import_rebuilds_indexes_in_its_transaction(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outcome: str
) -> None:
    """Indexes dropped for a bulk insert (SQLite) come back after it, or with the rollback."""
    import app.bulk
    import app.roster.service
    from db.models import Household

    expected = {str(i.name) for i in Household.__table__.indexes}
    assert _household_indexes(services) >= expected
    monkeypatch.setattr(app.bulk, "DEFER_INDEXES_FROM", 1)
    plan = services.rosters.plan([messy_xlsx(tmp_path / "m.xlsx")], OPTS)
    dropped: list[set[str]] = []
    real_insert = app.roster.service.insert_rows

    def insert_and_look(conn, *args, **kwargs):  # type: ignore[no-untyped-def]
        from sqlalchemy import inspect

        dropped.append({i["name"] for i in inspect(conn).get_indexes("household")})
        real_insert(conn, *args, **kwargs)
        if outcome == "failure":
            raise RuntimeError("disk full")

    monkeypatch.setattr(app.roster.service, "insert_rows", insert_and_look)
    asked: list[bool] = []

    def cancelled() -> bool:  # "no" at the start, "yes" at the check after the writes
        asked.append(True)
        return len(asked) > 1

    if outcome == "commit":
        result = services.rosters.commit(plan)
        assert result.created == plan.preview.counts[Fate.NEW] > 0
    elif outcome == "cancel":  # at the last check, after the indexes were built again
        with pytest.raises(Cancelled):
            services.rosters.commit(plan, cancelled=cancelled)
    else:
        with pytest.raises(RuntimeError):
            services.rosters.commit(plan)
    if services.db.engine.dialect.name == "sqlite":
        assert dropped and not (dropped[0] & expected)  # the bulk insert ran without them
    assert _household_indexes(services) >= expected
    households = services.stats.summary()["households"]
    assert households == (plan.preview.counts[Fate.NEW] if outcome == "commit" else 0)
    with services.db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_deferred_indexes_return_when_nothing_was_written_before(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The DROP INDEX is the transaction's first statement: a rollback still restores them."""
    import app.bulk
    from db.models import Household

    monkeypatch.setattr(app.bulk, "DEFER_INDEXES_FROM", 1)
    before = _household_indexes(services)
    table = Household.__table__
    with (
        pytest.raises(RuntimeError),
        services.db.sessions.begin() as s,
        app.bulk.indexes_deferred(s.connection(), table, 10),  # type: ignore[arg-type]
    ):
        raise RuntimeError("power cut")
    assert _household_indexes(services) == before


def test_household_checks_done_once_then_by_the_database_again(
    services: Services, tmp_path: Path
) -> None:
    """The bulk insert's own check matches the table's CHECK constraints, and SQLite checks
    every later write again, after a failure too."""
    from sqlalchemy import CheckConstraint, exc

    from app.bulk import checks_done_by_caller
    from app.roster.service import HOUSEHOLD_CHECKS, INSERT_COLUMNS, check_households
    from db.models import Household

    table = Household.__table__
    checks = {str(c.sqltext) for c in table.constraints if isinstance(c, CheckConstraint)}
    assert checks == set(HOUSEHOLD_CHECKS)  # a new CHECK needs a line in check_households
    good = dict.fromkeys(INSERT_COLUMNS, "") | {"status": "出租", "area_centi": 1}
    check_households([tuple(good.values())])
    for bad in ({"status": "其他"}, {"area_centi": 0}):
        with pytest.raises(ValueError, match="CHECK"):
            check_households([tuple(good.values()), tuple((good | bad).values())])

    services.rosters.commit(services.rosters.plan([messy_xlsx(tmp_path / "m.xlsx")], OPTS))
    sqlite = services.db.engine.dialect.name == "sqlite"
    with services.db.engine.connect() as conn:
        with pytest.raises(RuntimeError), checks_done_by_caller(conn):
            if sqlite:
                assert conn.exec_driver_sql("PRAGMA ignore_check_constraints").scalar() == 1
            raise RuntimeError("disk full")
        if sqlite:
            assert conn.exec_driver_sql("PRAGMA ignore_check_constraints").scalar() == 0
        row = conn.execute(table.select().limit(1)).mappings().one()
        with pytest.raises(exc.IntegrityError):
            conn.execute(
                table.insert().values(
                    {k: v for k, v in row.items() if k != "id"} | {"room": "999", "status": "其他"}
                )
            )


def test_householder_pinyin_of_imported_names(services: Services, tmp_path: Path) -> None:
    """Stored pinyin and initials: each character as `pinyin_of` reads it alone (search by
    全拼 and 首字母 then finds the householder), Latin letters kept, other signs dropped."""
    from sqlalchemy import select

    from app.text import pinyin_of
    from db.models import Household

    names = ["张三", "欧阳娜娜", "阿依古丽·买买提", "Tom Lee", "李四"]
    lines = ["楼院名称,楼号,房号,户主姓名,建筑面积"]
    lines += [f"和平里,1,{101 + i},{name},80" for i, name in enumerate(names)]
    path = tmp_path / "p.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    services.rosters.commit(services.rosters.plan([path], OPTS))
    with services.db.sessions() as s:
        stored = dict(
            (name, (full, initials))
            for name, full, initials in s.execute(
                select(
                    Household.householder_name,
                    Household.householder_pinyin,
                    Household.householder_initials,
                )
            )
        )
    for name in names:
        full = "".join(pinyin_of(ch)[0] for ch in name)
        initials = "".join(pinyin_of(ch)[1] for ch in name)
        assert stored[name] == (full, initials)
    assert stored["欧阳娜娜"] == ("ouyangnana", "oynn")
    assert stored["Tom Lee"] == ("tomlee", "tomlee")
    assert stored["阿依古丽·买买提"][1] == "aygl" + "mmt"


def test_plan_reuses_the_sheets_inspect_read(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wizard inspects a file, then plans it: read once, unless the file changed between
    (then the new content counts) or the wizard closed (the kept sheets are dropped)."""
    import os

    import app.roster.service

    reads: list[Path] = []
    real = app.roster.service.read_file

    def counted(path: Path):  # type: ignore[no-untyped-def]
        reads.append(path)
        return real(path)

    monkeypatch.setattr(app.roster.service, "read_file", counted)
    path = tmp_path / "r.csv"
    path.write_text("楼院名称,楼号,房号,户主姓名,建筑面积\n光明院,1,101,甲,50\n", encoding="utf-8")
    services.rosters.inspect(path, OPTS)
    assert services.rosters.plan([path], OPTS).preview.counts[Fate.NEW] == 1
    assert len(reads) == 1
    services.rosters.plan([path], OPTS)  # kept for one plan only
    assert len(reads) == 2

    services.rosters.inspect(path, OPTS)
    path.write_text(
        "楼院名称,楼号,房号,户主姓名,建筑面积\n光明院,1,101,甲,50\n光明院,1,102,乙,60\n",
        encoding="utf-8",
    )
    os.utime(path, ns=(1, 1))  # a changed file, whatever the clock's resolution
    assert services.rosters.plan([path], OPTS).preview.counts[Fate.NEW] == 2
    assert len(reads) == 4

    services.rosters.inspect(path, OPTS)
    services.rosters.forget_files()
    services.rosters.plan([path], OPTS)
    assert len(reads) == 6

    # Copied over with the same size and time: the content decides.
    services.rosters.inspect(path, OPTS)
    before = path.stat()
    path.write_bytes(path.read_bytes().replace("乙".encode(), "丙".encode()))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    plan = services.rosters.plan([path], OPTS)
    assert len(reads) == 8 and {r.name for r in plan.preview.rows} == {"甲", "丙"}

    # The wizard closed while the file was being read: nothing is kept from that read.
    def forgotten_meanwhile(path: Path):  # type: ignore[no-untyped-def]
        services.rosters.forget_files()
        return counted(path)

    monkeypatch.setattr(app.roster.service, "read_file", forgotten_meanwhile)
    services.rosters.inspect(path, OPTS)
    monkeypatch.setattr(app.roster.service, "read_file", counted)
    services.rosters.plan([path], OPTS)
    assert len(reads) == 10


def test_digits_int_refuses_are_refused_not_crashed_on(services: Services, tmp_path: Path) -> None:
    """❶ and ² pass str.isdigit but not int(): an ID, a room or a building written with them
    is rejected or kept as text, and a 合计 row holding them is still skipped."""
    lines = [
        "楼院名称,楼号,单元,房号,户主姓名,身份证号,联系电话,建筑面积,居住人数",
        "幸福院,1,1,101,张三,,13812345678,85.6,2",
        "合计,,,,," + "❶" * 18 + ",,85.6,",
        "幸福院,1,1,102,李四," + "❶" * 17 + "X,,70,²",
        "幸福院,❶号楼,1,❶01,王五,,,60,",
    ]
    path = tmp_path / "odd.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    preview = services.rosters.plan([path], OPTS).preview
    rows = _by_row(preview, "odd")
    assert rows[2].fate is Fate.NEW
    assert rows[3].fate is Fate.SKIPPED
    assert rows[4].fate is Fate.REJECTED and rows[4].column == "身份证号"
    assert rows[5].fate in (Fate.NEW, Fate.REJECTED)
    result = services.rosters.commit(services.rosters.plan([path], OPTS))
    assert result.created == preview.counts[Fate.NEW]
