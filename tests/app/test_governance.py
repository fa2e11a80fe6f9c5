"""Governance services on known data: every rule and every figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from app.audit import Actor
from app.errors import PermissionDenied
from app.governance.dto import (
    MeetingInput,
    OrganisationInput,
    ProblemFilter,
    ProblemInput,
    ResolutionInput,
)
from app.governance.errors import CategoryInUse, GovernanceError, StatusFlowError
from app.governance.service import GovernanceService
from app.registry.dto import CompoundInput
from app.services import Services
from db.models import Community, ForcePerson, ForceRole, Grid, Street

TODAY = dt.date(2026, 6, 30)
D = dt.date


@dataclass
class World:
    gov: GovernanceService
    services: Services
    community_a: int
    g1: int
    g2: int
    g4a: int
    g4b: int
    c1: int
    c2: int
    c3: int
    cat: dict[str, int]
    problems: dict[str, int]


def _geo(services: Services) -> tuple[int, int, list[int]]:
    with services.db.sessions.begin() as s:
        street = Street(name="测试街道")
        s.add(street)
        s.flush()
        a = Community(street_id=street.id, name="A社区")
        b = Community(street_id=street.id, name="B社区")
        s.add_all([a, b])
        s.flush()
        g1 = Grid(community_id=a.id, parent_id=None, level=1, name="一级")
        s.add(g1)
        s.flush()
        g2 = Grid(community_id=a.id, parent_id=g1.id, level=2, name="二级")
        s.add(g2)
        s.flush()
        g4a = Grid(community_id=a.id, parent_id=g2.id, level=4, name="微1")
        g4b = Grid(community_id=a.id, parent_id=g2.id, level=4, name="微2")
        s.add_all([g4a, g4b])
        s.flush()
        for grid, worker in ((g1, "甲"), (g2, "乙"), (g4a, "丙"), (g4b, "丁")):
            person = ForcePerson(name=worker, notes="")
            s.add(person)
            s.flush()
            s.add(ForceRole(person_id=person.id, kind="网格员", grid_id=grid.id))
        return a.id, b.id, [g1.id, g2.id, g4a.id, g4b.id]


@pytest.fixture
def world(services: Services) -> World:
    a, b, (g1, g2, g4a, g4b) = _geo(services)
    comp = services.compounds
    c1 = comp.create_compound(CompoundInput("一号院", a, grid_id=g4a))
    c2 = comp.create_compound(CompoundInput("二号院", a, grid_id=g4b))
    c3 = comp.create_compound(CompoundInput("三号院", b))
    gov = GovernanceService(services.db.sessions, services.actor, lambda: TODAY)
    orgs = gov.organisations
    orgs.add_organisation(c1, OrganisationInput("党组织", "一号院党支部", "王", "13812345678", 12))
    orgs.add_organisation(c1, OrganisationInput("自治组织", "一号院自管会", members=5))
    orgs.add_organisation(c1, OrganisationInput("志愿服务组织", "一号院志愿队", members=20))
    orgs.add_organisation(c2, OrganisationInput("党组织", "二号院党小组", members=3))
    cat = {c.name: c.id for c in gov.problems.categories()}
    p = gov.problems

    def report(key: str, compound: int, reported: dt.date, deadline: dt.date | None) -> int:
        return p.report(
            ProblemInput(cat[key], compound, reported, "3号楼", key, "李", None, deadline)
        )

    ids = {
        "p1": report("飞线充电", c1, D(2026, 6, 1), D(2026, 6, 10)),
        "p2": report("飞线充电", c1, D(2026, 6, 1), D(2026, 6, 20)),
        "p3": report("杂物堆积", c2, D(2026, 6, 10), D(2026, 7, 10)),
        "p4": report("杂物堆积", c2, D(2026, 6, 10), None),
        "p5": report("其他", c3, D(2026, 6, 1), None),
    }
    p.start(ids["p1"])
    p.close(ids["p1"], "拆除飞线，安装充电桩", D(2026, 6, 5))
    p.start(ids["p3"])
    p.start(ids["p4"])
    p.close(ids["p4"], "清运杂物", D(2026, 6, 20))
    return World(gov, services, a, g1, g2, g4a, g4b, c1, c2, c3, cat, ids)


# -- organisations and coverage ---------------------------------------------------------------


def test_coverage_per_community_and_missing_list(world: World) -> None:
    cov = {c.community_name: c for c in world.gov.organisations.coverage()}
    assert (cov["A社区"].compounds, cov["A社区"].complete, cov["A社区"].rate) == (
        2,
        1,
        Decimal("50.0"),
    )
    assert (cov["B社区"].compounds, cov["B社区"].complete) == (1, 0)
    assert cov["合计"].rate == Decimal("33.3")
    assert cov["合计"].by_kind == {"党组织": 2, "自治组织": 1, "志愿服务组织": 1}
    missing = {m.compound_name: m.missing for m in world.gov.organisations.missing()}
    assert missing == {
        "二号院": ("自治组织", "志愿服务组织"),
        "三号院": ("党组织", "自治组织", "志愿服务组织"),
    }


def test_organisation_rules(world: World) -> None:
    orgs = world.gov.organisations
    with pytest.raises(GovernanceError, match="组织类别"):
        orgs.add_organisation(world.c3, OrganisationInput("物业公司", "某物业"))
    with pytest.raises(GovernanceError, match="组织名称"):
        orgs.add_organisation(world.c3, OrganisationInput("党组织", "  "))
    with pytest.raises(GovernanceError, match="负数"):
        orgs.add_organisation(world.c3, OrganisationInput("党组织", "支部", members=-1))
    with pytest.raises(GovernanceError, match="联系电话"):
        orgs.add_organisation(world.c3, OrganisationInput("党组织", "支部", contact="12"))
    row = orgs.list_organisations(world.c2)[0]
    orgs.update_organisation(row.id, OrganisationInput("党组织", "二号院党支部", members=7))
    assert orgs.list_organisations(world.c2)[0].name == "二号院党支部"
    orgs.delete_organisation(row.id)
    assert orgs.list_organisations(world.c2) == []


def test_convention_saved_and_cleared(world: World) -> None:
    orgs = world.gov.organisations
    orgs.save_convention(world.c1, "一、爱护公共设施。\n二、禁止飞线充电。", D(2026, 3, 1))
    conv = orgs.convention(world.c1)
    assert conv.text.startswith("一、爱护") and conv.adopted_on == D(2026, 3, 1)
    with pytest.raises(GovernanceError):
        orgs.save_convention(world.c1, "", D(2026, 3, 1))
    orgs.save_convention(world.c1, "", None)
    assert orgs.convention(world.c1).text == ""


def test_viewer_cannot_edit(world: World) -> None:
    viewer = GovernanceService(world.services.db.sessions, Actor("v", "viewer"), lambda: TODAY)
    with pytest.raises(PermissionDenied):
        viewer.organisations.add_organisation(world.c3, OrganisationInput("党组织", "支部"))
    with pytest.raises(PermissionDenied):
        viewer.problems.start(world.problems["p2"])


# -- deliberation -----------------------------------------------------------------------------


def _meeting(world: World, *votes: int) -> MeetingInput:
    return MeetingInput(
        world.c1,
        D(2026, 5, 8),
        "物业服务标准和收费",
        30,
        resolutions=tuple(
            ResolutionInput(f"决议{n}", v, 30 - v - 1, 1) for n, v in enumerate(votes)
        ),
    )


def test_resolution_passes_with_more_than_half_of_attendance(world: World) -> None:
    mid = world.gov.meetings.create_meeting(_meeting(world, 16, 15))
    rows = world.gov.resolutions_for_compound(world.c1)
    assert [(r.seq, r.passed) for r in rows] == [(1, True), (2, False)]
    assert rows[0].meeting_id == mid
    assert "通过" in rows[0].label and "未通过" in rows[1].label
    assert world.gov.get_resolution(rows[1].id) == rows[1]


def test_resolution_ids_stay_when_the_meeting_is_edited(world: World) -> None:
    mid = world.gov.meetings.create_meeting(_meeting(world, 16, 15))
    first = world.gov.resolutions_for_compound(world.c1)[0].id
    world.gov.meetings.update_meeting(mid, _meeting(world, 20))
    rows = world.gov.resolutions_for_compound(world.c1)
    assert [r.id for r in rows] == [first] and rows[0].votes_for == 20


def test_meeting_rules(world: World) -> None:
    meetings = world.gov.meetings
    bad = MeetingInput(
        world.c1, D(2026, 5, 8), "议题", 10, resolutions=(ResolutionInput("x", 8, 3, 0),)
    )
    with pytest.raises(GovernanceError, match="超过参会人数"):
        meetings.create_meeting(bad)
    with pytest.raises(GovernanceError, match="至少"):
        meetings.create_meeting(MeetingInput(world.c1, D(2026, 5, 8), "议题", 10))
    with pytest.raises(GovernanceError, match="议题"):
        meetings.create_meeting(
            MeetingInput(world.c1, D(2026, 5, 8), " ", 10, resolutions=(ResolutionInput("x"),))
        )
    with pytest.raises(GovernanceError, match="参会人数"):
        meetings.create_meeting(
            MeetingInput(world.c1, D(2026, 5, 8), "议题", 0, resolutions=(ResolutionInput("x"),))
        )
    assert meetings.list_meetings(world.c1) == []


# -- the problem flow -------------------------------------------------------------------------


def test_flow_pending_in_progress_closed(world: World) -> None:
    p = world.gov.problems
    pid = world.problems["p2"]
    with pytest.raises(StatusFlowError, match="处理中"):
        p.close(pid, "已处理")
    p.start(pid)
    with pytest.raises(StatusFlowError):
        p.start(pid)
    with pytest.raises(GovernanceError, match="办理结果"):
        p.close(pid, "  ")
    with pytest.raises(GovernanceError, match="早于上报"):
        p.close(pid, "已处理", D(2026, 5, 1))
    with pytest.raises(GovernanceError, match="晚于今天"):
        p.close(pid, "已处理", D(2026, 7, 1))
    p.close(pid, "已处理")
    row = p.get_problem(pid)
    assert (row.status, row.closed_on, row.resolution, row.overdue) == (
        "已办结",
        TODAY,
        "已处理",
        False,
    )
    p.reopen(pid, "居民反映仍有飞线")
    row = p.get_problem(pid)
    assert row.status == "处理中" and row.closed_on is None and "重新办理" in row.resolution


def test_report_rules_and_default_handler(world: World) -> None:
    p = world.gov.problems
    row = p.get_problem(world.problems["p1"])
    assert (row.grid_id, row.handler) == (world.g4a, "丙")
    with pytest.raises(GovernanceError, match="晚于今天"):
        p.report(ProblemInput(world.cat["其他"], world.c1, D(2026, 7, 2), description="x"))
    with pytest.raises(GovernanceError, match="时限"):
        p.report(
            ProblemInput(
                world.cat["其他"], world.c1, D(2026, 6, 2), description="x", deadline=D(2026, 6, 1)
            )
        )
    with pytest.raises(GovernanceError, match="描述"):
        p.report(ProblemInput(world.cat["其他"], world.c1, D(2026, 6, 2)))


def test_filters(world: World) -> None:
    p = world.gov.problems
    ids = world.problems

    def found(**kw: object) -> set[int]:
        return {r.id for r in p.list_problems(ProblemFilter(**kw))}  # type: ignore[arg-type]

    assert found(overdue=True) == {ids["p2"]}
    assert found(status="已办结") == {ids["p1"], ids["p4"]}
    assert found(category_id=world.cat["杂物堆积"]) == {ids["p3"], ids["p4"]}
    assert found(grid_id=world.g2) == {ids["p1"], ids["p2"], ids["p3"], ids["p4"]}
    assert found(grid_id=world.g4b) == {ids["p3"], ids["p4"]}
    assert found(community_id=world.community_a) == found(grid_id=world.g1)
    assert found(compound_id=world.c3) == {ids["p5"]}
    assert found(text="3号楼") == set(ids.values())
    assert p.list_problems()[0].id == ids["p2"]  # open, earliest deadline first


def test_categories_are_editable(world: World) -> None:
    p = world.gov.problems
    assert [c.name for c in p.categories()][:3] == ["飞线充电", "杂物堆积", "非机动车乱停乱放"]
    new = p.add_category("高空抛物")
    with pytest.raises(GovernanceError, match="已有"):
        p.add_category("高空抛物")
    with pytest.raises(GovernanceError, match="已有"):
        p.rename_category(new, "其他")
    p.rename_category(new, "高空坠物")
    assert p.categories()[-1].name == "高空坠物"
    with pytest.raises(CategoryInUse):
        p.delete_category(world.cat["飞线充电"])
    p.delete_category(new)
    assert "高空坠物" not in {c.name for c in p.categories()}


# -- figures ----------------------------------------------------------------------------------


def test_closure_by_category(world: World) -> None:
    rows = {r.name: r for r in world.gov.figures.closure_by_category()}
    fly = rows["飞线充电"]
    assert (fly.total, fly.closed, fly.overdue, fly.rate, fly.average_days) == (
        2,
        1,
        1,
        Decimal("50.0"),
        Decimal("4.0"),
    )
    junk = rows["杂物堆积"]
    assert (junk.total, junk.closed, junk.average_days) == (2, 1, Decimal("10.0"))
    assert (rows["其他"].total, rows["其他"].rate, rows["其他"].average_days) == (
        1,
        Decimal("0.0"),
        None,
    )
    assert rows["邻里纠纷"].total == 0
    total = world.gov.figures.totals()
    assert (total.total, total.closed, total.rate, total.average_days, total.overdue) == (
        5,
        2,
        Decimal("40.0"),
        Decimal("7.0"),
        1,
    )


def test_closure_by_compound_and_community(world: World) -> None:
    rows = {r.name: (r.total, r.closed) for r in world.gov.figures.closure_by_compound()}
    assert rows == {"一号院": (2, 1), "二号院": (2, 1), "三号院": (1, 0)}
    only_a = world.gov.figures.totals(world.community_a)
    assert (only_a.total, only_a.closed) == (4, 2)


def test_grid_rollups_count_everything_below(world: World) -> None:
    rolls = {r.name: r for r in world.gov.figures.grid_rollups()}
    top = rolls["一级"]
    assert (top.compounds, top.complete_coverage, top.coverage_rate) == (2, 1, Decimal("50.0"))
    assert (top.problems.total, top.problems.closed, top.problems.overdue) == (4, 2, 1)
    assert rolls["二级"].problems.total == 4
    assert (rolls["微1"].compounds, rolls["微1"].problems.total, rolls["微1"].worker_name) == (
        1,
        2,
        "丙",
    )
    assert rolls["微2"].problems.rate == Decimal("50.0")
    names = [r.name for r in world.gov.figures.grid_rollups()]
    assert names == ["一级", "二级", "微1", "微2"]


def test_summary_for_stats_json(world: World) -> None:
    world.gov.meetings.create_meeting(_meeting(world, 16, 15))
    summary = world.gov.figures.summary()
    orgs = summary["organisations"]
    assert (orgs["compounds"], orgs["complete"], orgs["coverage_rate"]) == (3, 1, 33.3)
    assert orgs["by_kind"] == {"党组织": 2, "自治组织": 1, "志愿服务组织": 1}
    assert (orgs["meetings"], orgs["resolutions"], orgs["resolutions_passed"]) == (1, 2, 1)
    assert {m["compound"] for m in orgs["missing"]} == {"二号院", "三号院"}
    problems = summary["problems"]
    assert (problems["total"], problems["closed"], problems["closure_rate"]) == (5, 2, 40.0)
    assert problems["average_days"] == 7.0 and problems["overdue"] == 1
    assert (
        summary["grids"]["list"][0]["grid"] == "一级"
        and summary["grids"]["list"][0]["problems"] == 4
    )
