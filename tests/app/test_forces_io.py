"""Import and export of the 治理力量 roster (both engines): the preview's fates and reasons,
merging roles into the same person, the error file, all or nothing, the round trip of an
export, masking and permissions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from app.audit import Actor
from app.auth import Permission, denied_message
from app.errors import Cancelled, PermissionDenied
from app.governance.forces_dto import CompanyInput, PersonFilter, PersonInput, RoleInput
from app.governance.forces_io import Col
from app.governance.service import GovernanceService
from app.registry.dto import CompoundInput
from app.roster.dto import Fate
from app.roster.errors import NoRosterFound, RosterFileError
from app.services import Services
from db.models import (
    AuditEntry,
    Building,
    Community,
    ForcePerson,
    ForceRole,
    Grid,
    Household,
    Resident,
    Street,
)

TODAY = dt.date(2026, 6, 30)
HEADER = [c.value for c in Col]


@dataclass(frozen=True)
class World:
    services: Services
    gov: GovernanceService
    grids: dict[str, int]
    compound: int
    resident: int
    lisi: int  # 李四, 网格员（专职） on 微1 since 2025-01-01


@pytest.fixture
def world(services: Services) -> World:
    with services.db.sessions.begin() as s:
        street = Street(name="测试街道")
        s.add(street)
        s.flush()
        a = Community(street_id=street.id, name="A社区")
        s.add(a)
        s.flush()
        g1 = Grid(community_id=a.id, parent_id=None, level=1, name="一级")
        s.add(g1)
        s.flush()
        g2 = Grid(community_id=a.id, parent_id=g1.id, level=2, name="二级")
        s.add(g2)
        s.flush()
        m1 = Grid(community_id=a.id, parent_id=g2.id, level=4, name="微1")
        s.add(m1)
        s.flush()
        grids = {"一级": g1.id, "二级": g2.id, "微1": m1.id}
        community = a.id
    compound = services.compounds.create_compound(
        CompoundInput("一号院", community, grid_id=grids["微1"])
    )
    with services.db.sessions.begin() as s:
        b = Building(compound_id=compound, name="1", sort_key=1)
        s.add(b)
        s.flush()
        h = Household(compound_id=compound, building_id=b.id, unit="1", room="101", area_centi=6000)
        s.add(h)
        s.flush()
        r = Resident(household_id=h.id, name="张三", relation="本人")
        s.add(r)
        s.flush()
        resident = r.id
    gov = GovernanceService(services.db.sessions, services.actor, lambda: TODAY)
    gov.forces.add_company(CompanyInput("公办物业公司", "公办"))
    lisi = gov.forces.add_person(
        PersonInput(
            "李四",
            "13800000001",
            roles=(
                RoleInput("网格员", "专职", grid_id=grids["微1"], start_on=dt.date(2025, 1, 1)),
            ),
        )
    )
    return World(services, gov, grids, compound, resident, lisi)


def _sheet(path: Path, rows: list[list[object]], header: list[str] | None = None) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "名册"
    ws.append(header or HEADER)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def _row(**cells: object) -> list[object]:
    by_label = {c.value: c for c in Col}
    values = {by_label[k]: v for k, v in cells.items()}
    return [values.get(c, "") for c in Col]


def _count(services: Services, model: type) -> int:
    with services.db.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


MIXED = [
    # the existing 李四: the same role, now ended → updated
    _row(姓名="李四", 联系电话="13800000001", 身份="网格员", 细类="专职", 社区="A社区",
         网格="一级 / 二级 / 微1", 开始日期=dt.date(2025, 1, 1), 结束日期="2026-05-31"),
    # 李四 again: a new role, merged into the same person
    _row(姓名="李四", 联系电话="138 0000 0001", 身份="志愿者", 楼院="一号院"),
    # 王五, new: two rows, one person
    _row(姓名="王五", 联系电话="13900000002", 身份="楼栋长", 楼院="一号院", 楼栋="1号楼"),
    _row(姓名="王五", 联系电话="13900000002", 身份="新就业群体（外卖骑手）", 网格="微1"),
    # 张三, a resident of 一号院 1-1-101: linked
    _row(姓名="张三", 身份="党员中心户", 楼院="一号院", 本辖区住址="一号院 1-1-101"),
    # rejected, each for one reason
    _row(姓名="赵六", 联系电话="13900000003", 身份="队长", 楼院="一号院"),
    _row(姓名="钱七", 联系电话="13900000004", 身份="志愿者", 网格="无此网格"),
    _row(姓名="孙八", 联系电话="13900000005", 身份="志愿者", 楼院="一号院", 开始日期="2025-13-01"),
    _row(姓名="周九", 联系电话="13900000006", 身份="志愿者", 楼院="一号院",
         开始日期="2025-05-01", 结束日期="2025-01-01"),
    _row(姓名="吴十", 联系电话="13900000007", 身份="志愿者", 楼院="无此院"),
    _row(姓名="郑一", 联系电话="139****0008", 身份="志愿者", 楼院="一号院"),
    _row(姓名="冯二", 联系电话="13900000009", 身份="网格员", 细类="外卖骑手", 网格="微1"),
]  # fmt: skip


def test_preview_then_commit_merges_people_and_roles(world: World, tmp_path: Path) -> None:
    forces = world.gov.forces
    path = _sheet(tmp_path / "名册.xlsx", MIXED)
    people, roles = _count(world.services, ForcePerson), _count(world.services, ForceRole)
    plan = forces.plan_import(path)
    preview = plan.preview
    assert (_count(world.services, ForcePerson), _count(world.services, ForceRole)) == (
        people,
        roles,
    )  # a preview writes nothing
    assert [r.fate for r in preview.rows[:5]] == [
        Fate.UPDATE, Fate.NEW, Fate.NEW, Fate.NEW, Fate.NEW,
    ]  # fmt: skip
    assert preview.counts[Fate.REJECTED] == 7 and preview.writable == 5
    reasons = {r.name: (r.column, r.reason) for r in preview.rejected()}
    assert reasons["赵六"][0] == "身份" and "“队长”不是可选的身份" in reasons["赵六"][1]
    assert reasons["钱七"] == ("网格", "没有网格“无此网格”")
    assert reasons["孙八"][0] == "开始日期" and "不是正确的日期" in reasons["孙八"][1]
    assert reasons["周九"] == ("结束日期", "结束日期不能早于开始日期")
    assert reasons["吴十"] == ("楼院", "没有名为“无此院”的楼院")
    assert reasons["郑一"][0] == "联系电话" and "已脱敏" in reasons["郑一"][1]
    assert reasons["冯二"][0] == "细类" and "不是网格员的细类" in reasons["冯二"][1]
    assert preview.rows[0].row == 2  # the spreadsheet's own row numbers

    result = forces.commit_import(plan)
    assert (result.created_people, result.added_roles, result.updated) == (2, 4, 1)
    assert result.rejected == 7
    everyone = {p.name: p for p in forces.list_people(PersonFilter(include_ended=True))}
    assert set(everyone) == {"李四", "王五", "张三"}
    lisi = everyone["李四"]
    assert lisi.id == world.lisi
    assert sorted(r.label for r in lisi.roles) == ["志愿者", "网格员（专职）"]
    grid_role = next(r for r in lisi.roles if r.kind == "网格员")
    assert grid_role.end_on == dt.date(2026, 5, 31)
    assert sorted(r.label for r in everyone["王五"].roles) == ["新就业群体（外卖骑手）", "楼栋长"]
    assert everyone["张三"].resident_id == world.resident
    # the same file again: nothing new, the rejected rows still rejected
    again = forces.plan_import(path).preview
    assert again.counts[Fate.NEW] == again.counts[Fate.UPDATE] == 0
    assert again.counts[Fate.UNCHANGED] == 5 and again.counts[Fate.REJECTED] == 7


def test_error_file_has_the_rejected_rows_with_row_and_reason(world: World, tmp_path: Path) -> None:
    forces = world.gov.forces
    path = _sheet(tmp_path / "名册.xlsx", MIXED)
    plan = forces.plan_import(path)
    out = forces.rejects_name(path)
    assert out == tmp_path / "名册_未导入的行.xlsx"
    assert forces.write_rejects(plan, out) == 7
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == ["行号", *HEADER, "原因", "列", "文件"]
    assert [r[0] for r in rows[1:]] == [7, 8, 9, 10, 11, 12, 13]
    first = rows[1]
    assert first[1] == "赵六" and first[3] == "队长"
    assert "不是可选的身份" in first[len(HEADER) + 1] and first[len(HEADER) + 2] == "身份"
    # the error file imports again once corrected (its header is the import's own)
    assert forces.plan_import(out).preview.counts[Fate.REJECTED] == 7


def test_commit_is_all_or_nothing(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forces = world.gov.forces
    plan = forces.plan_import(_sheet(tmp_path / "名册.xlsx", MIXED))
    before = (_count(world.services, ForcePerson), _count(world.services, ForceRole))

    def broken(*_args: object, **_kw: object) -> None:
        raise RuntimeError("disk full")

    # the failure comes after every row was written and flushed
    monkeypatch.setattr("app.governance.forces_io.audit.record", broken)
    with pytest.raises(RuntimeError):
        forces.commit_import(plan)
    monkeypatch.undo()
    assert (_count(world.services, ForcePerson), _count(world.services, ForceRole)) == before
    with pytest.raises(Cancelled):
        forces.commit_import(plan, cancelled=lambda: True)
    assert (_count(world.services, ForcePerson), _count(world.services, ForceRole)) == before
    lisi = forces.get_person(world.lisi)
    assert [r.end_on for r in lisi.roles] == [None]


def test_export_is_masked_and_reimports_unchanged(world: World, tmp_path: Path) -> None:
    forces = world.gov.forces
    forces.commit_import(forces.plan_import(_sheet(tmp_path / "in.xlsx", MIXED)))
    out = tmp_path / "导出.xlsx"
    rows = forces.export_people(out)
    assert rows == 5
    ws = openpyxl.load_workbook(out)["治理力量名册"]
    assert "电话已脱敏" in ws["A1"].value
    assert [c.value for c in ws[2]] == HEADER
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$1:$2"
    body = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    phones = {r[0]: r[1] for r in body}
    assert phones["李四"] == "138****0001" and phones["王五"] == "139****0002"
    assert phones["张三"] is None
    grid_row = next(r for r in body if r[2] == "网格员")
    assert grid_row[3:7] == ["专职", None, "A社区", "一级 / 二级 / 微1"]
    assert grid_row[10] == dt.datetime(2025, 1, 1) and grid_row[11] == dt.datetime(2026, 5, 31)
    building_row = next(r for r in body if r[2] == "楼栋长")
    assert building_row[7:9] == ["一号院", "1"]
    assert next(r for r in body if r[0] == "张三")[12] == "一号院 1-1-101"
    preview = forces.plan_import(out).preview
    assert preview.counts[Fate.UNCHANGED] == rows
    assert preview.writable == 0 and not preview.rejected()


def test_unmasked_export_for_admin_only_and_audited(world: World, tmp_path: Path) -> None:
    out = tmp_path / "full.xlsx"
    assert world.gov.forces.export_people(out, unmasked=True) == 1
    ws = openpyxl.load_workbook(out).active
    assert ws["B3"].value == "13800000001"
    with world.services.db.sessions() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "export_unmasked")).one()
        assert entry.entity == "force_person" and "full.xlsx" in entry.note
    clerk = GovernanceService(world.services.db.sessions, Actor("c", "clerk", None))
    with pytest.raises(PermissionDenied):
        clerk.forces.export_people(tmp_path / "no.xlsx", unmasked=True)
    assert not (tmp_path / "no.xlsx").exists()


def test_viewer_may_preview_but_not_import(world: World, tmp_path: Path) -> None:
    viewer = GovernanceService(world.services.db.sessions, Actor("v", "viewer", None))
    plan = viewer.forces.plan_import(_sheet(tmp_path / "名册.xlsx", MIXED))
    assert plan.preview.writable == 5
    before = (_count(world.services, ForcePerson), _count(world.services, ForceRole))
    with pytest.raises(PermissionDenied) as refused:
        viewer.forces.commit_import(plan)
    assert refused.value.message == denied_message("viewer", Permission.EDIT_GOVERNANCE)
    assert (_count(world.services, ForcePerson), _count(world.services, ForceRole)) == before
    # and a viewer's export is masked
    viewer.forces.export_people(tmp_path / "v.xlsx")
    assert openpyxl.load_workbook(tmp_path / "v.xlsx").active["B3"].value == "138****0001"


def test_csv_with_other_headers_and_files_that_are_not_rosters(
    world: World, tmp_path: Path
) -> None:
    forces = world.gov.forces
    csv = tmp_path / "名册.csv"
    csv.write_bytes(
        "序号,人员姓名,手机号,角色,所在楼院,任职日期\n"
        "1,陈一,13700000001,楼院长,一号院,2024/3/1\n".encode("gb18030")
    )
    plan = forces.plan_import(csv)
    assert [r.fate for r in plan.preview.rows] == [Fate.NEW]
    forces.commit_import(plan)
    chen = forces.list_people(PersonFilter(text="陈一"))[0]
    assert chen.roles[0].start_on == dt.date(2024, 3, 1) and chen.roles[0].kind == "楼院长"
    with pytest.raises(NoRosterFound):
        forces.plan_import(_sheet(tmp_path / "x.xlsx", [["a", "b"]], header=["户主姓名", "房号"]))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(RosterFileError):
        forces.plan_import(bad)


def test_namesakes_sharing_a_home_round_trip_unchanged(world: World, tmp_path: Path) -> None:
    """Two residents called 张三 in one room, each on the roster in a role of their own."""
    with world.services.db.sessions.begin() as s:
        first = s.get_one(Resident, world.resident)
        second = Resident(household_id=first.household_id, name="张三", relation="子")
        s.add(second)
        s.flush()
        second_id = second.id
    forces = world.gov.forces
    for rid, kind in ((world.resident, "志愿者"), (second_id, "党员中心户")):
        forces.add_person(
            PersonInput(
                "张三", resident_id=rid, roles=(RoleInput(kind, compound_id=world.compound),)
            )
        )
    out = tmp_path / "导出.xlsx"
    assert forces.export_people(out) == 3
    preview = forces.plan_import(out).preview
    assert preview.counts[Fate.UNCHANGED] == 3 and preview.writable == 0


def test_an_import_records_each_person_it_enters_or_changes(world: World, tmp_path: Path) -> None:
    """Besides the import's summary, the audit log names every person the import entered and
    every personal field it changed, with the old value (as a form's save does)."""
    from db.models import AuditEntry

    forces = world.gov.forces
    rows = [
        _row(姓名="王五", 联系电话="13900000002", 身份="楼栋长", 楼院="一号院", 楼栋="1号楼"),
        _row(姓名="王五", 联系电话="13900000002", 身份="志愿者", 楼院="一号院"),
        _row(姓名="李四", 联系电话="13800000001", 身份="志愿者", 楼院="一号院", 备注="退休教师"),
    ]  # fmt: skip
    forces.commit_import(forces.plan_import(_sheet(tmp_path / "名册.xlsx", rows)))
    with world.services.db.sessions() as s:
        entries = s.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "force_person", AuditEntry.action == "import"
            )
        ).all()
        by_id = {e.entity_id: e for e in entries if e.entity_id is not None}
        wangwu = s.scalar(select(ForcePerson.id).where(ForcePerson.name == "王五"))
        assert wangwu in by_id and "13900000002" in (by_id[wangwu].after or "")
        assert world.lisi in by_id  # 李四's notes were changed by the import
        assert "退休教师" in (by_id[world.lisi].after or "")
        assert len([e for e in entries if e.entity_id == wangwu]) == 1  # one person, once
        assert any(e.entity_id is None and "导入治理力量名册" in e.note for e in entries)
