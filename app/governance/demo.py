"""Governance demo data: organisations with gaps, conventions, meetings with resolutions, and a
few hundred problems in every state and category (dates relative to app.demo.REFERENCE_DAY)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.governance.meetings import is_passed
from db.models import (
    Building,
    CompanyCompound,
    Compound,
    CompoundConvention,
    ForcePerson,
    ForceRole,
    Grid,
    Household,
    Meeting,
    Organisation,
    OrganisationMember,
    Problem,
    ProblemCategory,
    PropertyCompany,
    Recognition,
    Resident,
    ResidentTag,
    Resolution,
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国 秀英 志刚 桂兰 丽华 卫东 海燕 德明 淑珍 红梅 爱民 玉兰".split()
PROBLEMS = {
    "飞线充电": ("楼道内飞线给电动车充电", "窗口拉线充电，存在火灾隐患", "电动车推进楼道充电"),
    "杂物堆积": ("楼道堆放纸箱杂物", "地下室杂物堵塞通道", "消防通道堆放旧家具"),
    "非机动车乱停乱放": ("电动车停在单元门口", "自行车堵塞消防通道", "共享单车堆在院门口"),
    "设施损坏": ("楼道灯不亮", "单元门门禁损坏", "雨水管破裂", "健身器材松动"),
    "环境卫生": ("垃圾桶满溢未清运", "化粪池外溢", "绿化带内有垃圾"),
    "安全隐患": ("外墙瓷砖脱落", "屋顶防水层破损漏水", "灭火器过期"),
    "邻里纠纷": ("楼上漏水引发纠纷", "占用公共空间引起矛盾", "宠物扰民"),
    "其他": ("居民咨询物业收费事宜", "要求增设晾衣架", "院内路面坑洼"),
}
CATEGORY_WEIGHTS = {"飞线充电": 5, "杂物堆积": 5, "非机动车乱停乱放": 4}
RESOLVED = ("已劝导整改并复查", "已清理完毕", "已维修恢复", "已协调双方达成一致", "已安排专人处理")
MEETING_TOPICS = (
    ("物业服务标准和收费方案", ("同意引入公办物业，收费标准0.5元/平米·月", "设置一个月过渡期")),
    ("楼院公约修订", ("通过修订后的楼院公约",)),
    ("非机动车充电桩建设", ("同意在院内东侧建设集中充电桩", "充电费用由使用者承担")),
    ("公共收益使用", ("公共收益用于楼道照明维修", "每季度公示收支")),
)
CONVENTION = (
    "一、爱护公共设施，不私搭乱建。\n二、电动车不进楼道，不飞线充电。\n"
    "三、楼道不堆放杂物，保持消防通道畅通。\n四、垃圾分类投放，保持院内整洁。\n"
    "五、邻里互助，遇事协商解决。\n六、按时缴纳物业服务费用，收支定期公开。"
)


def governance_demo(s: Session, rng: random.Random, reference_day: dt.date) -> None:
    """Insert the governance demo into the caller's transaction (no explicit ids)."""
    compounds = s.execute(
        select(Compound.id, Compound.name, Compound.grid_id).order_by(Compound.id)
    ).all()
    for cid, name, _grid in compounds:
        _organisations(s, rng, cid, name, reference_day)
        if rng.random() < 0.6:
            _meetings(s, rng, cid, reference_day)
    categories = list(s.execute(select(ProblemCategory.id, ProblemCategory.name)).all())
    rows = []
    for cid, _name, grid in compounds:
        for _ in range(rng.randint(14, 26)):
            rows.append(_problem(rng, cid, grid, categories, reference_day))
    s.execute(insert(Problem), rows)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng: random.Random) -> str:
    return rng.choice(("138", "139", "150", "186")) + f"{rng.randrange(10**8):08d}"


def _organisations(s: Session, rng: random.Random, cid: int, name: str, day: dt.date) -> None:
    kinds = (
        ("党组织", 0.9, f"{name}党支部", (3, 25)),
        ("自治组织", 0.8, f"{name}{rng.choice(('自管会', '物管会', '自治小组'))}", (3, 9)),
        ("志愿服务组织", 0.75, f"{name}志愿服务队", (5, 40)),
    )
    rows: list[dict[str, Any]] = []
    for kind, chance, org_name, (low, high) in kinds:
        if rng.random() < chance:
            rows.append(
                {
                    "compound_id": cid,
                    "kind": kind,
                    "name": org_name,
                    "leader": _person(rng),
                    "contact": _phone(rng),
                    "members": rng.randint(low, high),
                    "founded": day - dt.timedelta(days=rng.randint(60, 2000)),
                }
            )
    if rows:
        s.execute(insert(Organisation), rows)
    if any(r["kind"] == "自治组织" for r in rows):
        adopted = day - dt.timedelta(days=rng.randint(30, 700))
        s.execute(
            insert(CompoundConvention),
            [{"compound_id": cid, "text": CONVENTION, "adopted_on": adopted}],
        )


def _meetings(s: Session, rng: random.Random, cid: int, day: dt.date) -> None:
    for topic, resolutions in rng.sample(MEETING_TOPICS, rng.randint(1, 2)):
        attendance = rng.randint(18, 60)
        meeting = Meeting(
            compound_id=cid,
            held_on=day - dt.timedelta(days=rng.randint(10, 300)),
            topic=topic,
            attendance=attendance,
            notes="社区党委、网格员、楼院长、居民代表参加",
        )
        s.add(meeting)
        s.flush()
        rows = []
        for seq, text in enumerate(resolutions, start=1):
            votes_for = rng.randint(attendance // 3, attendance)
            against = rng.randint(0, attendance - votes_for)
            abstain = attendance - votes_for - against
            rows.append(
                {
                    "meeting_id": meeting.id,
                    "seq": seq,
                    "text": text,
                    "votes_for": votes_for,
                    "votes_against": against,
                    "votes_abstain": abstain,
                    "passed": is_passed(votes_for, attendance),
                }
            )
        s.execute(insert(Resolution), rows)


def _problem(
    rng: random.Random,
    cid: int,
    grid: int | None,
    categories: list[Any],
    day: dt.date,
) -> dict[str, Any]:
    weights = [CATEGORY_WEIGHTS.get(name, 2) for _id, name in categories]
    cat_id, cat_name = rng.choices(categories, weights=weights)[0]
    age = rng.randint(0, 200)
    reported = day - dt.timedelta(days=age)
    # Open problems carry longer deadlines, so that the demo still shows both overdue and
    # in-time open problems for a while after the reference day.
    closed_chance = 0.9 if age > 45 else 0.45
    is_closed = rng.random() < closed_chance
    days = (7, 15, 30) if is_closed else (7, 30, 60, 90)
    deadline = reported + dt.timedelta(days=rng.choice(days))
    if is_closed:
        status = "已办结"
        closed_on = min(day, reported + dt.timedelta(days=rng.randint(1, 35)))
        resolution = rng.choice(RESOLVED)
    else:
        status = "处理中" if rng.random() < 0.5 else "待处理"
        closed_on, resolution = None, ""
    building = rng.randint(1, 8)
    return {
        "category_id": cat_id,
        "compound_id": cid,
        "location": f"{building}号楼{rng.randint(1, 3)}单元",
        "description": rng.choice(PROBLEMS.get(cat_name, PROBLEMS["其他"])),
        "reporter": _person(rng),
        "reported_on": reported,
        "grid_id": grid,
        "deadline": deadline,
        "status": status,
        "resolution": resolution,
        "closed_on": closed_on,
    }


# -- 治理力量 ---------------------------------------------------------------------------------

PUBLIC_COMPANY = "中心路公办物业服务有限公司"
MARKET_COMPANY = "鑫源物业管理有限公司"
NEW_GROUPS = (("外卖骑手", 5), ("快递员", 4), ("网约车司机", 1))


class _Roster:
    """Adds persons and roles in the caller's transaction."""

    def __init__(self, s: Session, rng: random.Random, day: dt.date) -> None:
        self.s, self.rng, self.day = s, rng, day

    def person(
        self, name: str, phone: str | None, resident_id: int | None = None, notes: str = ""
    ) -> int:
        p = ForcePerson(name=name, phone=phone, resident_id=resident_id, notes=notes)
        self.s.add(p)
        self.s.flush()
        return p.id

    def role(self, person_id: int, kind: str, **place: Any) -> None:
        start = place.pop("start_on", None) or self.day - dt.timedelta(
            days=self.rng.randint(60, 1500)
        )
        self.s.add(
            ForceRole(
                person_id=person_id,
                kind=kind,
                subkind=place.pop("subkind", ""),
                post=place.pop("post", ""),
                start_on=start,
                end_on=place.pop("end_on", None),
                **place,
            )
        )


def forces_demo(s: Session, rng: random.Random, day: dt.date) -> None:
    """The 治理力量 demo: community workers, young cadres, heads of compounds and buildings,
    party households, 五老, volunteers, riders and couriers (volunteering too), the public
    company serving the formerly ownerless compounds and a market one, cadres cross-appointed
    into the company and the self-governance organisations, party branches on every grid but
    one, problems with handlers, recognitions, and meetings of the three kinds."""
    roster = _Roster(s, rng, day)
    grids: list[Any] = list(
        s.execute(select(Grid.id, Grid.community_id, Grid.level, Grid.name).order_by(Grid.id))
    )
    compounds: list[Any] = list(
        s.execute(
            select(
                Compound.id,
                Compound.name,
                Compound.grid_id,
                Compound.management_mode,
                Compound.head_name,
                Compound.head_phone,
                Compound.community_id,
            ).order_by(Compound.id)
        )
    )
    exclusive = _exclusive_grid(s, grids)
    public, market = _companies(s, compounds, day)
    cadres = _community_workers(roster, grids, public)
    _young_cadres(roster, grids)
    _compound_people(roster, compounds, market)
    _new_groups(roster, grids, exclusive)
    # the gap: the micro-grid of the last compound has no party branch yet
    _branches(s, roster, grids, exclusive, cadres, compounds[-1].grid_id if compounds else None)
    _self_governance_members(s, roster, cadres)
    _handlers(s, rng)
    _recognitions(s, rng)
    _meeting_kinds(s, compounds, day)


def _exclusive_grid(s: Session, grids: list[Any]) -> int:
    """A 专属网格 (the business district) under the first community's top grid."""
    top = next(g for g in grids if g.level == 1)
    g = Grid(
        community_id=top.community_id,
        parent_id=top.id,
        level=2,
        name="中心路商圈专属网格",
        exclusive=True,
    )
    s.add(g)
    s.flush()
    return g.id


def _companies(s: Session, compounds: list[Any], day: dt.date) -> tuple[int, int]:
    """The public company took over the ownerless compounds now run as 公办物业; the market
    company serves the 市场化物业 ones."""
    public = PropertyCompany(
        name=PUBLIC_COMPANY,
        kind="公办",
        contact="周建国",
        phone="037167891234",
        founded=dt.date(2024, 12, 1),
        notes="街道组建，入驻无主管楼院，收费标准不高于0.5元/平米",
    )
    market = PropertyCompany(
        name=MARKET_COMPANY, kind="市场化", contact="孙海燕", phone="037163335555", notes=""
    )
    s.add_all([public, market])
    s.flush()
    links = []
    for n, c in enumerate(compounds):
        if c.management_mode == "公办物业":
            since = dt.date(2025, 1, 1) + dt.timedelta(days=45 * (n % 8))
            links.append(
                {
                    "company_id": public.id,
                    "compound_id": c.id,
                    "since": since,
                    "was_ownerless": True,
                }
            )
        elif c.management_mode == "市场化物业":
            links.append(
                {
                    "company_id": market.id,
                    "compound_id": c.id,
                    "since": dt.date(2018, 3, 1),
                    "was_ownerless": False,
                }
            )
    if links:
        s.execute(insert(CompanyCompound), [{**link, "until_on": None} for link in links])
    return public.id, market.id


def _community_workers(roster: _Roster, grids: list[Any], public: int) -> list[int]:
    """Four 社区工作者 per community on its top grid; the first two of each community are
    cross-appointed into the public company (双向引入、交叉任职)."""
    cadres = []
    for top in (g for g in grids if g.level == 1):
        for k in range(4):
            pid = roster.person(_person(roster.rng), _phone(roster.rng))
            roster.role(pid, "社区工作者", grid_id=top.id, post=("社区副主任", "社区委员")[k % 2])
            if k < 2:
                roster.role(pid, "物业人员", company_id=public, post=("副经理", "监事")[k])
            cadres.append(pid)
    for post in ("经理", "保洁员", "保洁员", "维修工", "保安"):
        pid = roster.person(_person(roster.rng), _phone(roster.rng))
        roster.role(pid, "物业人员", company_id=public, post=post)
    return cadres


def _young_cadres(roster: _Roster, grids: list[Any]) -> None:
    """A 网格年轻历练干部 on each 三级网格 (the “365” young cadres in the grids)."""
    for g in grids:
        if g.level == 3:
            pid = roster.person(_person(roster.rng), _phone(roster.rng), notes="“365”进网格")
            roster.role(pid, "网格年轻历练干部", grid_id=g.id, start_on=dt.date(2026, 3, 1))


def _compound_people(roster: _Roster, compounds: list[Any], market: int) -> None:
    """Per compound: its 楼院长, a 楼栋长 for most buildings and a 单元长 or two (residents
    of the building), 党员中心户 among party members, a “五老” and volunteers among the
    residents tagged so; two staff of the market company."""
    s, rng = roster.s, roster.rng
    for c in compounds:
        if c.head_name:
            pid = roster.person(c.head_name, c.head_phone or None)
            roster.role(pid, "楼院长", compound_id=c.id)
        _building_heads(roster, c.id)
        for tag, kind, share in (("党员", "党员中心户", 0.25), ("60岁以上", "五老", 0.03)):
            for r in _tagged(s, c.id, tag):
                if rng.random() < share:
                    pid = roster.person(r.name, r.phone, r.id)
                    roster.role(pid, kind, compound_id=c.id)
        for r in _tagged(s, c.id, "志愿者")[:6]:
            pid = roster.person(r.name, r.phone, r.id)
            roster.role(pid, "志愿者", compound_id=c.id)
        if c.management_mode == "市场化物业":
            pid = roster.person(_person(rng), _phone(rng))
            roster.role(pid, "物业人员", company_id=market, compound_id=c.id, post="项目经理")


def _building_heads(roster: _Roster, cid: int) -> None:
    """A 楼栋长 for most buildings and now and then a 单元长, householders living there."""
    s, rng = roster.s, roster.rng
    buildings = s.execute(
        select(Building.id, Building.name).where(Building.compound_id == cid)
    ).all()
    for b in buildings:
        if rng.random() < 0.3:
            continue
        rows = s.execute(
            select(Resident.id, Resident.name, Resident.phone, Household.unit)
            .join(Household, Household.id == Resident.household_id)
            .where(Household.building_id == b.id, Resident.relation == "本人")
            .order_by(Resident.id)
            .limit(40)
        ).all()
        if not rows:
            continue
        head = rng.choice(rows)
        pid = roster.person(head.name, head.phone, head.id)
        roster.role(pid, "楼栋长", compound_id=cid, building_id=b.id)
        unit = rng.choice(rows)
        if rng.random() < 0.4 and unit.id != head.id:
            pid = roster.person(unit.name, unit.phone, unit.id)
            roster.role(pid, "单元长", compound_id=cid, building_id=b.id, post=f"{unit.unit}单元")


def _tagged(s: Session, compound_id: int, tag: str) -> list[Any]:
    return list(
        s.execute(
            select(Resident.id, Resident.name, Resident.phone)
            .join(ResidentTag, ResidentTag.resident_id == Resident.id)
            .join(Household, Household.id == Resident.household_id)
            .where(Household.compound_id == compound_id, ResidentTag.tag == tag)
            .order_by(Resident.id)
        ).all()
    )


def _new_groups(roster: _Roster, grids: list[Any], exclusive: int) -> None:
    """Riders, couriers and a ride-hailing driver on the second-level grids (and the business
    district's grid), each also a volunteer: 新就业群体 as a new force of governance."""
    places = [g.id for g in grids if g.level == 2] + [exclusive]
    for n, grid in enumerate(places):
        for subkind, count in NEW_GROUPS:
            for _ in range(count if n % 2 == 0 else max(1, count // 2)):
                pid = roster.person(_person(roster.rng), _phone(roster.rng))
                roster.role(pid, "新就业群体", subkind=subkind, grid_id=grid)
                roster.role(pid, "志愿者", grid_id=grid, post="随手拍·安全巡查")


def _branches(  # noqa: PLR0913,PLR0917 -- one private call site
    s: Session,
    roster: _Roster,
    grids: list[Any],
    exclusive: int,
    cadres: list[int],
    gap_grid: int | None,
) -> None:
    """支部建在网格上: a 网格党支部 on every grid but `gap_grid` (the gap the figures show),
    with its secretary (the grid's worker or a community cadre) and committee members from
    the party households."""
    workers = dict(
        s.execute(
            select(ForceRole.grid_id, ForceRole.person_id).where(ForceRole.kind == "网格员")
        ).all()
    )
    households = list(s.scalars(select(ForceRole.person_id).where(ForceRole.kind == "党员中心户")))
    gap = gap_grid
    places = [(g.id, g.name) for g in grids if g.id != gap] + [(exclusive, "中心路商圈")]
    for n, (gid, name) in enumerate(places):
        label = name if name.endswith("网格") else f"{name}网格"
        org = Organisation(
            grid_id=gid,
            kind="党组织",
            name=f"{label}党支部" if gid != exclusive else "中心路商圈联合党支部",
            members=roster.rng.randint(5, 30),
            founded=dt.date(2025, 7, 1),
        )
        s.add(org)
        s.flush()
        secretary = workers.get(gid) or cadres[n % len(cadres)]
        people = [(secretary, "书记")]
        for k in range(2):
            if households:
                pid = households[(n * 2 + k) % len(households)]
                if pid not in {p for p, _r in people}:
                    people.append((pid, "委员"))
        s.add_all(
            OrganisationMember(organisation_id=org.id, person_id=pid, role=role)
            for pid, role in people
        )
        org.leader = s.get_one(ForcePerson, secretary).name


def _self_governance_members(s: Session, roster: _Roster, cadres: list[int]) -> None:
    """The 楼院长 chairs the compound's self-governance organisation; in the first few, a
    community cadre sits on it as 委员 (交叉任职)."""
    heads = dict(
        s.execute(
            select(ForceRole.compound_id, ForceRole.person_id).where(ForceRole.kind == "楼院长")
        ).all()
    )
    orgs = s.execute(
        select(Organisation.id, Organisation.compound_id)
        .where(Organisation.kind == "自治组织")
        .order_by(Organisation.id)
    ).all()
    for n, (oid, cid) in enumerate(orgs):
        if cid in heads:
            s.add(OrganisationMember(organisation_id=oid, person_id=heads[cid], role="主任"))
        if n < 3:
            cadre = cadres[(n + 2) % len(cadres)]
            s.add(OrganisationMember(organisation_id=oid, person_id=cadre, role="委员"))


def _handlers(s: Session, rng: random.Random) -> None:
    """Most problems name who handled them: usually the grid's worker, otherwise someone
    working in the compound (楼栋长, volunteer, property staff, …)."""
    workers = dict(
        s.execute(
            select(ForceRole.grid_id, ForceRole.person_id).where(ForceRole.kind == "网格员")
        ).all()
    )
    local: dict[int, list[tuple[int, str]]] = {}
    for cid, pid, kind in s.execute(
        select(ForceRole.compound_id, ForceRole.person_id, ForceRole.kind)
        .where(ForceRole.compound_id.is_not(None))
        .order_by(ForceRole.id)
    ):
        if cid is not None:
            local.setdefault(cid, []).append((pid, kind))
    updates: list[dict[str, Any]] = []
    for pid_, cid, gid in s.execute(
        select(Problem.id, Problem.compound_id, Problem.grid_id).order_by(Problem.id)
    ):
        roll = rng.random()
        if roll < 0.55 and gid in workers:
            updates.append(
                {"id": pid_, "handler_person_id": workers[gid], "handler_kind": "网格员"}
            )
        elif roll < 0.85 and local.get(cid):
            person, kind = rng.choice(local[cid])
            updates.append({"id": pid_, "handler_person_id": person, "handler_kind": kind})
    if updates:  # ORM bulk UPDATE by primary key
        s.execute(update(Problem), updates)


def _recognitions(s: Session, rng: random.Random) -> None:
    """服务之星 from the roster and 优秀服务项目, for the last two years."""
    people = list(s.execute(select(ForcePerson.id, ForcePerson.name).order_by(ForcePerson.id)))
    projects = (
        "“楼院议事厅”协商共治",
        "骑手“随手拍”安全巡查",
        "“五老”调解工作室",
        "公办物业入驻无主管楼院",
        "党员中心户“连心桥”",
    )
    rows = []
    for year, stars, count in ((2025, 4, 2), (2026, 5, 3)):
        for pid, name in rng.sample(people, min(stars, len(people))):
            rows.append({"year": year, "kind": "服务之星", "title": name, "person_id": pid})
        for title in rng.sample(projects, count):
            rows.append({"year": year, "kind": "优秀服务项目", "title": title, "person_id": None})
    s.execute(insert(Recognition), [{**r, "notes": ""} for r in rows])


def _meeting_kinds(s: Session, compounds: list[Any], day: dt.date) -> None:
    """Fee and service meetings become 协商会; each public-company compound had a 见面会
    when the company moved in (the bulletins' way of mobilising)."""
    s.execute(
        update(Meeting)
        .where(Meeting.topic.like("%收费%") | Meeting.topic.like("%充电桩%"))
        .values(kind="协商会")
    )
    links = dict(s.execute(select(CompanyCompound.compound_id, CompanyCompound.since)).all())
    for c in compounds:
        if c.management_mode == "公办物业" and c.id in links:
            s.add(
                Meeting(
                    compound_id=c.id,
                    held_on=min(day, links[c.id] - dt.timedelta(days=20)),
                    kind="见面会",
                    topic="公办物业入驻见面会",
                    attendance=40,
                    notes="介绍公办物业服务内容，张贴通知，逐户发放调查问卷",
                )
            )
