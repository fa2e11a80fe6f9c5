"""治理力量 on known data (both engines): the roster, grid party coverage, party members in
covered grids, property companies, cross-appointments, handlers, and the brief's sentences."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from app.audit import Actor
from app.errors import PermissionDenied
from app.governance.dto import OrganisationInput, ProblemInput
from app.governance.errors import GovernanceError
from app.governance.forces_dto import (
    CompanyInput,
    PersonFilter,
    PersonInput,
    RecognitionInput,
    RoleInput,
)
from app.governance.service import GovernanceService
from app.registry.dto import CompoundInput
from app.services import Services
from db.models import (
    Building,
    Community,
    Grid,
    Household,
    Resident,
    ResidentTag,
    Street,
)
from db.models.fees import FeeScheme

TODAY = dt.date(2026, 6, 30)


@dataclass(frozen=True)
class World:
    gov: GovernanceService
    community: int
    grids: dict[str, int]  # 一级, 二级, 微1, 微2, 商圈
    compounds: dict[str, int]  # 一号院 (微1), 二号院 (微2), 三号院 (no grid)


def _party_members(services: Services, compound: int, n: int, others: int = 0) -> None:
    with services.db.sessions.begin() as s:
        b = Building(compound_id=compound, name="1", sort_key=1)
        s.add(b)
        s.flush()
        for k in range(n + others):
            h = Household(
                compound_id=compound, building_id=b.id, unit="1", room=f"{101 + k}", area_centi=6000
            )
            s.add(h)
            s.flush()
            r = Resident(household_id=h.id, name=f"居民{k}", relation="本人")
            s.add(r)
            s.flush()
            if k < n:
                s.add(ResidentTag(resident_id=r.id, tag="党员"))


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
        m2 = Grid(community_id=a.id, parent_id=g2.id, level=4, name="微2")
        ex = Grid(community_id=a.id, parent_id=g1.id, level=2, name="商圈", exclusive=True)
        s.add_all([m1, m2, ex])
        s.flush()
        grids = {"一级": g1.id, "二级": g2.id, "微1": m1.id, "微2": m2.id, "商圈": ex.id}
        community = a.id
    comp = services.compounds
    compounds = {
        "一号院": comp.create_compound(CompoundInput("一号院", community, grid_id=grids["微1"])),
        "二号院": comp.create_compound(CompoundInput("二号院", community, grid_id=grids["微2"])),
        "三号院": comp.create_compound(CompoundInput("三号院", community)),
    }
    gov = GovernanceService(services.db.sessions, services.actor, lambda: TODAY)
    return World(gov, community, grids, compounds)


def _branches(w: World, *grids: str) -> None:
    for g in grids:
        w.gov.organisations.add_grid_organisation(
            w.grids[g], OrganisationInput("党组织", f"{g}网格党支部", members=5)
        )


def test_grid_party_coverage_and_party_members_on_known_data(
    services: Services, world: World
) -> None:
    _party_members(services, world.compounds["一号院"], 3, others=2)
    _party_members(services, world.compounds["二号院"], 4)
    _party_members(services, world.compounds["三号院"], 2)
    # a compound's own party organisation does not make its grid covered
    world.gov.organisations.add_organisation(
        world.compounds["二号院"], OrganisationInput("党组织", "二号院党小组", members=3)
    )
    _branches(world, "一级", "微1")
    rows = {r.path.rsplit(" / ", 1)[-1]: r for r in world.gov.forces.grid_party_coverage()}
    assert {k for k, r in rows.items() if r.covered} == {"一级", "微1"}
    assert rows["微1"].organisations == ("微1网格党支部",)
    assert world.gov.forces.party_members() == (9, 3)

    summary = world.gov.figures.summary()
    assert summary["grids"]["with_party_organisation"] == 2
    assert summary["grids"]["without_party_organisation"] == 3
    assert summary["grids"]["exclusive"] == 1
    assert summary["grids"]["by_level"] == {
        "一级网格": 1,
        "二级网格": 1,
        "三级网格": 0,
        "微网格": 2,
    }
    assert summary["party_members"] == {"total": 9, "in_covered_grids": 3}
    # the organisations page lists the grid's branch with its grid
    grid_orgs = world.gov.organisations.list_organisations(grid_id=world.grids["微1"])
    assert [(o.name, o.compound_id, o.compound_name) for o in grid_orgs] == [
        ("微1网格党支部", None, "网格：一级 / 二级 / 微1")
    ]


def test_roster_roles_filters_and_masked_phone(world: World) -> None:
    f = world.gov.forces
    a = f.add_person(
        PersonInput(
            "张网格",
            "138 1234 5678",
            roles=(
                RoleInput(
                    "网格员", "专职", grid_id=world.grids["微1"], start_on=dt.date(2025, 1, 1)
                ),
                RoleInput("志愿者", compound_id=world.compounds["二号院"]),
            ),
        )
    )
    f.add_person(
        PersonInput(
            "李骑手",
            roles=(
                RoleInput("新就业群体", "外卖骑手", grid_id=world.grids["商圈"]),
                RoleInput("志愿者", grid_id=world.grids["商圈"]),
            ),
        )
    )
    f.add_person(
        PersonInput(
            "王离任",
            roles=(
                RoleInput(
                    "楼院长",
                    compound_id=world.compounds["一号院"],
                    start_on=dt.date(2020, 1, 1),
                    end_on=dt.date(2025, 12, 31),
                ),
            ),
        )
    )
    people = f.list_people()
    assert [p.name for p in people] == ["张网格", "李骑手"]  # 王离任 holds no role today
    zhang = f.get_person(a)
    assert (zhang.phone, zhang.phone_masked) == ("13812345678", "138****5678")
    assert zhang.kinds_text(TODAY) == "网格员（专职）、志愿者"

    def names(flt: PersonFilter) -> list[str]:
        return [p.name for p in f.list_people(flt)]

    assert names(PersonFilter(kind="志愿者")) == ["张网格", "李骑手"]
    assert names(PersonFilter(kind="新就业群体", subkind="外卖骑手")) == ["李骑手"]
    assert names(PersonFilter(grid_id=world.grids["二级"])) == ["张网格"]  # 微1 and 二号院 (微2)
    assert names(PersonFilter(compound_id=world.compounds["二号院"])) == ["张网格"]
    assert names(PersonFilter(text="骑手")) == ["李骑手"]
    assert names(PersonFilter(include_ended=True, kind="楼院长")) == ["王离任"]
    # the grid's worker comes from the roster
    grids = {g.name: g for g in world.gov.figures.grid_rollups()}
    assert (grids["微1"].worker_name, grids["微1"].worker_phone) == ("张网格", "13812345678")

    figures = world.gov.figures.summary()["forces"]
    assert figures["total"] == 2
    assert figures["by_kind"]["志愿者"] == 2 and figures["by_kind"]["楼院长"] == 0
    assert figures["by_subkind"]["新就业群体"] == {"外卖骑手": 1}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PersonInput("", roles=(RoleInput("志愿者", grid_id=1),)), "姓名"),
        (PersonInput("甲"), "至少添加一个身份"),
        (PersonInput("甲", "12345", roles=(RoleInput("志愿者", grid_id=1),)), "电话"),
        (PersonInput("甲", roles=(RoleInput("新就业群体", grid_id=1),)), "新就业群体的类别"),
        (PersonInput("甲", roles=(RoleInput("志愿者"),)), "网格、楼院、楼栋或物业公司"),
        (PersonInput("甲", roles=(RoleInput("网格员", "外卖骑手", grid_id=1),)), "不是网格员"),
        (
            PersonInput(
                "甲",
                roles=(
                    RoleInput(
                        "志愿者",
                        grid_id=1,
                        start_on=dt.date(2026, 2, 1),
                        end_on=dt.date(2026, 1, 1),
                    ),
                ),
            ),
            "结束日期",
        ),
    ],
)
def test_bad_person_input_changes_nothing(world: World, data: PersonInput, message: str) -> None:
    with pytest.raises(GovernanceError, match=message):
        world.gov.forces.add_person(data)
    assert world.gov.forces.list_people(PersonFilter(include_ended=True)) == []


def test_viewer_cannot_edit_the_roster(services: Services, world: World) -> None:
    viewer = GovernanceService(services.db.sessions, Actor("v", "viewer"), lambda: TODAY)
    with pytest.raises(PermissionDenied):
        viewer.forces.add_person(PersonInput("甲", roles=(RoleInput("志愿者", grid_id=1),)))


def test_companies_cross_appointments_and_price(services: Services, world: World) -> None:
    f = world.gov.forces
    public = f.add_company(CompanyInput("公办物业公司", "公办"))
    market = f.add_company(CompanyInput("市场物业公司", "市场化"))
    f.serve(public, world.compounds["一号院"], dt.date(2025, 3, 1))
    f.serve(public, world.compounds["二号院"], dt.date(2025, 5, 1))
    with pytest.raises(GovernanceError, match="现由“公办物业公司”服务"):
        f.serve(market, world.compounds["一号院"], dt.date(2026, 1, 1))
    link = f.serve(market, world.compounds["三号院"], dt.date(2020, 1, 1))
    f.end_service(link, dt.date(2026, 1, 31))
    with services.db.sessions.begin() as s:
        for compound, price, state in (("一号院", 450, "active"), ("二号院", 500, "transition")):
            s.add(
                FeeScheme(
                    compound_id=world.compounds[compound],
                    name=f"{compound}方案",
                    price_milli=price,
                    cap_milli=500,
                    start_month="2026-01",
                    state=state,
                    created_at=dt.datetime(2026, 1, 1),
                )
            )
    rows = {c.name: c for c in f.list_companies()}
    assert [c.compound_name for c in rows["公办物业公司"].current] == ["一号院", "二号院"]
    assert rows["公办物业公司"].max_price == Decimal("0.5")
    assert rows["市场物业公司"].current == ()
    detail = services.compounds.get_compound(world.compounds["一号院"])
    assert (detail.data.management_mode, detail.data.manager_name) == ("公办物业", "公办物业公司")

    cadre = f.add_person(
        PersonInput(
            "社区甲",
            roles=(
                RoleInput("社区工作者", grid_id=world.grids["一级"]),
                RoleInput("物业人员", company_id=public, post="副经理"),
            ),
        )
    )
    other = f.add_person(
        PersonInput("社区乙", roles=(RoleInput("网格员", "兼职", grid_id=world.grids["微2"]),))
    )
    f.add_person(
        PersonInput("保洁丙", roles=(RoleInput("物业人员", company_id=public, post="保洁员"),))
    )
    org = world.gov.organisations.add_organisation(
        world.compounds["二号院"], OrganisationInput("自治组织", "二号院自管会", members=5)
    )
    f.add_member(org, other, "委员")
    with pytest.raises(GovernanceError, match="已是该组织成员"):
        f.add_member(org, other, "成员")
    cross = f.cross_appointments()
    assert [(c.name, c.community_posts, c.other_posts) for c in cross] == [
        ("社区乙", ("网格员（兼职）",), ("二号院自管会（委员）",)),
        ("社区甲", ("社区工作者",), ("公办物业公司（副经理）",)),
    ]
    assert cadre in {c.person_id for c in cross}
    summary = world.gov.figures.summary()
    assert summary["property_companies"] == {
        "public": 1,
        "market": 1,
        "compounds_served": 2,
        "public_compounds_served": 2,
        "ownerless_compounds_served": 2,
        "max_price": "0.50",
    }
    assert summary["cross_appointments"] == {"total": 2, "in_company": 1, "in_self_governance": 1}
    staff = rows["公办物业公司"].staff
    assert staff == ()  # read before the staff were added
    assert f.list_companies()[0].staff == ("社区甲（副经理）", "保洁丙（保洁员）")


def test_handlers_and_solved_by_kind_person_and_grid(world: World) -> None:
    f, p = world.gov.forces, world.gov.problems
    worker = f.add_person(
        PersonInput("网格丁", roles=(RoleInput("网格员", "专职", grid_id=world.grids["微1"]),))
    )
    rider = f.add_person(
        PersonInput(
            "骑手戊",
            roles=(
                RoleInput("新就业群体", "快递员", grid_id=world.grids["微1"]),
                RoleInput("志愿者", compound_id=world.compounds["一号院"]),
            ),
        )
    )
    choices = f.handler_choices(world.compounds["一号院"])
    assert {(c.person_id, c.kind) for c in choices} == {
        (worker, "网格员"),
        (rider, "新就业群体"),
        (rider, "志愿者"),
    }
    cat = p.categories()[0].id
    compound = world.compounds["一号院"]

    def report(person: int | None, kind: str, close: bool) -> int:
        pid = p.report(
            ProblemInput(cat, compound, TODAY, "1号楼", "问题", "", None, None, person, kind)
        )
        if close:
            p.start(pid)
            p.close(pid, "已处理", TODAY)
        return pid

    report(worker, "网格员", True)
    report(worker, "网格员", True)
    report(worker, "网格员", False)
    report(rider, "志愿者", True)
    report(None, "", True)  # no named handler: not counted by kind of force
    with pytest.raises(GovernanceError, match="何种身份"):
        report(rider, "", False)
    assert [(r.key, r.closed, r.total) for r in f.solved_by_kind()] == [
        ("网格员", 2, 3),
        ("志愿者", 1, 1),
    ]
    assert [(r.key, r.closed) for r in f.solved_by_person()] == [("网格丁", 2), ("骑手戊", 1)]
    assert [(r.key, r.closed, r.total) for r in f.solved_by_grid()] == [("一级 / 二级 / 微1", 3, 4)]
    rows = p.list_problems()
    named = [r for r in rows if r.handler_person_id == rider]
    assert named and named[0].handler == "骑手戊" and named[0].handler_kind == "志愿者"
    unnamed = [r for r in rows if r.handler_person_id is None]
    assert unnamed[0].handler == "网格丁"  # the grid's worker, as before
    assert world.gov.figures.summary()["problems"]["solved_by_force_kind"] == {
        "网格员": 2,
        "志愿者": 1,
    }


def test_recognitions(world: World) -> None:
    f = world.gov.forces
    pid = f.add_person(
        PersonInput("星甲", roles=(RoleInput("志愿者", grid_id=world.grids["微1"]),))
    )
    f.add_recognition(RecognitionInput(2025, "优秀服务项目", "楼院议事厅"))
    f.add_recognition(RecognitionInput(2026, "服务之星", "", pid))
    with pytest.raises(GovernanceError, match="年度"):
        f.add_recognition(RecognitionInput(1800, "服务之星", "某人"))
    assert [(r.year, r.kind, r.title, r.person_name) for r in f.list_recognitions()] == [
        (2026, "服务之星", "星甲", "星甲"),
        (2025, "优秀服务项目", "楼院议事厅", ""),
    ]


def test_brief_sentences_match_the_figures(services: Services, world: World) -> None:
    """The brief's 治理力量 sentences say what the figures say."""
    _party_members(services, world.compounds["一号院"], 3)
    _party_members(services, world.compounds["二号院"], 1)
    _branches(world, "一级", "二级", "微1", "商圈")
    f = world.gov.forces
    public = f.add_company(CompanyInput("公办物业公司", "公办"))
    f.serve(public, world.compounds["一号院"], dt.date(2025, 3, 1))
    with services.db.sessions.begin() as s:
        s.add(
            FeeScheme(
                compound_id=world.compounds["一号院"],
                price_milli=450,
                cap_milli=500,
                start_month="2026-01",
                state="active",
                created_at=dt.datetime(2026, 1, 1),
            )
        )
    f.add_person(
        PersonInput(
            "甲",
            roles=(
                RoleInput("网格员", "专职", grid_id=world.grids["微1"]),
                RoleInput("物业人员", company_id=public, post="监事"),
            ),
        )
    )
    f.add_person(
        PersonInput("乙", roles=(RoleInput("网格年轻历练干部", grid_id=world.grids["二级"]),))
    )
    f.add_person(
        PersonInput("丙", roles=(RoleInput("新就业群体", "外卖骑手", grid_id=world.grids["商圈"]),))
    )
    f.add_person(
        PersonInput("丁", roles=(RoleInput("五老", compound_id=world.compounds["二号院"]),))
    )
    f.add_recognition(RecognitionInput(2026, "服务之星", "甲"))
    summary = world.gov.figures.summary()
    assert summary["grids"]["with_party_organisation"] == 4
    assert summary["party_members"] == {"total": 4, "in_covered_grids": 3}
    body = world.gov.brief.draft(dt.date(2026, 1, 1), TODAY).body
    assert (
        "组建公办物业公司1家，已入驻1个楼院（其中无主管楼院1个），收费标准不高于0.45元/平米" in body
    )
    assert "“双向引入、交叉任职”方式进入物业公司和业主自治组织1人" in body
    assert "专属网格1个，配备网格员1名（专职1名、兼职0名），选派网格年轻历练干部1名" in body
    assert "5个网格中4个建有党组织，尚有1个网格（微2）未建立党组织" in body
    assert "4名党员中，3名居住在已建党组织的网格内，占75.0%" in body
    assert "将“五老”人员1名、物业人员1名、新就业群体1名等4名多元力量纳入基层治理队伍" in body
    assert "其中外卖骑手1名" in body
    assert "2026年评选认定服务之星1名、优秀服务项目0个" in body
