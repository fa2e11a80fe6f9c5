"""Governance demo data: organisations with gaps, conventions, meetings with resolutions, and a
few hundred problems in every state and category (dates relative to app.demo.REFERENCE_DAY)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.governance.meetings import is_passed
from db.models import (
    Compound,
    CompoundConvention,
    Meeting,
    Organisation,
    Problem,
    ProblemCategory,
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
