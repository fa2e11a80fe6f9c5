"""A deterministic demo database: one street, two communities, a grid tree, compounds of
every management mode, households with residents. Names, addresses and ID numbers are
fictitious (ID numbers carry valid GB 11643 check digits).

The same generator makes the 200,000-household benchmark database (`households=200_000`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from app.bulk import indexes_deferred, insert_dicts
from app.database import Database
from app.jobs import IsCancelled, Progress, check_cancelled, never_cancelled, no_progress
from app.registry.validation import id_check_digit
from app.text import pinyin_of
from app.users.demo import demo_users
from db.models import (
    MANAGEMENT_MODES,
    Building,
    Community,
    Compound,
    ForcePerson,
    ForceRole,
    Grid,
    Household,
    Resident,
    ResidentTag,
    Street,
)

SEED = 20261121
REFERENCE_DAY = dt.date(2026, 11, 1)  # ages (60岁以上) are computed against a fixed day
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭"
    "吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦"
)
MALE_NAMES = tuple(
    "建国 建华 国强 志刚 伟 磊 洋 勇 杰 军 涛 明 超 刚 文 华 鹏 辉 鑫 宇 浩 晨 浩然 宇轩 "
    "振华 春生 德明 卫东 红旗 爱民 庆丰 宝山 永刚 晓东".split()
)
FEMALE_NAMES = tuple(
    "秀英 桂英 玉兰 秀兰 淑珍 丽华 红梅 海燕 芳 娜 敏 静 艳 霞 平 桂兰 丹 萍 婷 雪 琳 "
    "欣怡 子涵 梓萱 秋菊 冬梅 金凤 素梅 凤琴 瑞芳 晓燕".split()
)
REGIONS = ("410106", "410102", "410103", "410104", "410105", "410181", "410122")
COMPOUNDS = (
    ("纺织厂家属院", "建设路12号", "无主管"),
    ("粮食局家属院", "金华路8号", "公办物业"),
    ("电业局宿舍", "淮阳路21号", "单位自管"),
    ("幸福里小区", "幸福路66号", "市场化物业"),
    ("工人新村", "中心路3号", "公办物业"),
    ("铝厂生活区三街坊", "登封路15号", "无主管"),
    ("建设路45号院", "建设路45号", "居民自治"),
    ("机械厂家属院", "安阳路10号", "公办物业"),
    ("供销社家属院", "汝南路7号", "无主管"),
    ("朝阳小区", "朝阳路18号", "市场化物业"),
    ("教师公寓", "兴华路2号", "单位自管"),
    ("水泥厂家属院", "济源路33号", "居民自治"),
    ("新安小区", "新安路19号", "公办物业"),
    ("邮电局宿舍", "洛阳路5号", "无主管"),
    ("人民路17号院", "人民路17号", "居民自治"),
)
COMMUNITIES = ("幸福里社区", "建设路社区")
PHONE_PREFIXES = (
    "133",
    "135",
    "136",
    "138",
    "139",
    "150",
    "151",
    "155",
    "158",
    "159",
    "166",
    "176",
    "177",
    "180",
    "185",
    "186",
    "187",
    "189",
    "199",
)


@dataclass(frozen=True)
class DemoFigures:
    compounds: int
    buildings: int
    households: int
    residents: int


class _Ids:
    """Explicit primary keys, so that children can be inserted in bulk in the same pass."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def take(self, table: str) -> int:
        self.next[table] = self.next.get(table, 0) + 1
        return self.next[table]


class _People:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._pinyin: dict[str, tuple[str, str]] = {}

    def name(self, male: bool | None = None, surname: str = "") -> str:
        if male is None:
            male = self.rng.random() < 0.5
        given = self.rng.choice(MALE_NAMES if male else FEMALE_NAMES)
        return (surname or self.rng.choice(SURNAMES)) + given

    def pinyin(self, name: str) -> tuple[str, str]:
        if name not in self._pinyin:
            self._pinyin[name] = pinyin_of(name)
        return self._pinyin[name]

    def phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def id_number(self, birth: dt.date, male: bool) -> str:
        seq = self.rng.randrange(0, 50) * 2 + self.rng.randrange(0, 5) * 200
        seq = seq + (1 if male else 0)
        first17 = f"{self.rng.choice(REGIONS)}{birth:%Y%m%d}{seq % 1000:03d}"
        return first17 + id_check_digit(first17)

    def birth(self, low: int, high: int) -> dt.date:
        age_days = self.rng.randint(low * 365, high * 365)
        return REFERENCE_DAY - dt.timedelta(days=age_days)


def generate(
    db: Database,
    *,
    households: int = 3000,
    compounds: int | None = None,
    seed: int = SEED,
    progress: Progress = no_progress,
    cancelled: IsCancelled = never_cancelled,
) -> DemoFigures:
    """Fill an empty database with demo data in one transaction."""
    rng = random.Random(seed)
    n_compounds = compounds or max(len(COMPOUNDS), households // 3300)
    ids = _Ids()
    people = _People(rng)
    with db.sessions.begin() as s:
        street_id = ids.take("street")
        s.execute(insert(Street), [{"id": street_id, "name": "中心路街道"}])
        community_ids = []
        for name in COMMUNITIES:
            cid = ids.take("community")
            community_ids.append(cid)
            s.execute(insert(Community), [{"id": cid, "street_id": street_id, "name": name}])
        micro = _grids(s, ids, people, community_ids, n_compounds)
        weights = [rng.uniform(0.4, 1.6) for _ in range(n_compounds)]
        sizes = [max(12, round(households * w / sum(weights))) for w in weights]
        sizes[-1] = max(12, households - sum(sizes[:-1]))
        figures = DemoFigures(0, 0, 0, 0)
        conn = s.connection()
        tables = [m.__table__ for m in (Household, Resident, ResidentTag)]
        # Into empty tables: the secondary indexes are built once at the end (SQLite).
        with ExitStack() as deferred:
            for table in tables:
                deferred.enter_context(indexes_deferred(conn, table, households))  # type: ignore[arg-type]
            for n, size in enumerate(sizes):
                check_cancelled(cancelled)
                slots = (size, community_ids, micro)
                figures = _add(figures, _compound(s, ids, people, n, slots))
                progress(n + 1, len(sizes))
        _sync_sequences(s)
        for k, step in enumerate(_area_steps(), start=1):
            check_cancelled(cancelled)
            step(s, random.Random(seed + k))
        _sync_sequences(s)
    return figures


def _add(a: DemoFigures, b: DemoFigures) -> DemoFigures:
    return DemoFigures(
        a.compounds + b.compounds,
        a.buildings + b.buildings,
        a.households + b.households,
        a.residents + b.residents,
    )


def _grids(
    s: Session, ids: _Ids, people: _People, communities: list[int], n_compounds: int
) -> list[tuple[int, int]]:
    """The grid tree; returns (micro-grid id, community id) slots for the compounds."""
    rows: list[dict[str, Any]] = []
    micro: list[tuple[int, int]] = []
    per_community = (n_compounds + len(communities) - 1) // len(communities)
    numerals = "一二三四五六七八九十"
    for cid, cname in zip(communities, COMMUNITIES, strict=True):
        top = ids.take("grid")
        rows.append(_grid(people, (top, cid, None), 1, f"{cname}一级网格"))
        for i in range(2):
            second = ids.take("grid")
            rows.append(_grid(people, (second, cid, top), 2, f"第{numerals[i]}网格"))
            for j in range(2):
                third = ids.take("grid")
                name = f"第{numerals[i]}网格{j + 1}片区"
                rows.append(_grid(people, (third, cid, second), 3, name))
                for _k in range((per_community + 3) // 4):
                    gid = ids.take("grid")
                    rows.append(_grid(people, (gid, cid, third), 4, f"微网格{gid:03d}"))
                    micro.append((gid, cid))
    workers = [(r.pop("worker_name"), r.pop("worker_phone"), r["id"], r["level"]) for r in rows]
    s.execute(insert(Grid), rows)
    _grid_workers(s, workers)
    return micro


def _grid_workers(s: Session, workers: list[tuple[str, str, int, int]]) -> None:
    """Each grid's worker: a person of the 治理力量 roster with a 网格员 role on the grid
    (专职 on the micro-grids)."""
    ids = s.scalars(
        insert(ForcePerson).returning(ForcePerson.id, sort_by_parameter_order=True),
        [{"name": name, "phone": phone, "notes": ""} for name, phone, _g, _l in workers],
    ).all()
    s.execute(
        insert(ForceRole),
        [
            {
                "person_id": pid,
                "kind": "网格员",
                "subkind": "专职" if level == 4 else "兼职",
                "post": "",
                "grid_id": gid,
                "start_on": REFERENCE_DAY - dt.timedelta(days=400 + 37 * (gid % 9)),
            }
            for pid, (_n, _p, gid, level) in zip(ids, workers, strict=True)
        ],
    )


def _grid(
    people: _People, place: tuple[int, int, int | None], level: int, name: str
) -> dict[str, Any]:
    gid, cid, parent = place
    return {
        "id": gid,
        "community_id": cid,
        "parent_id": parent,
        "level": level,
        "name": name,
        "worker_name": people.name(),
        "worker_phone": people.phone(),
    }


def _compound_name(n: int) -> tuple[str, str, str]:
    if n < len(COMPOUNDS):
        return COMPOUNDS[n]
    base, address, mode = COMPOUNDS[n % len(COMPOUNDS)]
    return f"{base}{n // len(COMPOUNDS) + 1}区", f"{address}{n // len(COMPOUNDS) + 1}区", mode


def _compound(
    s: Session,
    ids: _Ids,
    people: _People,
    n: int,
    slots: tuple[int, list[int], list[tuple[int, int]]],
) -> DemoFigures:
    size, communities, micro = slots
    rng = people.rng
    name, address, mode = _compound_name(n)
    mode = mode if n < len(COMPOUNDS) else MANAGEMENT_MODES[n % len(MANAGEMENT_MODES)]
    grid_id, community_id = micro[n % len(micro)] if micro else (None, communities[0])
    cid = ids.take("compound")
    manager = {
        "公办物业": "中心路公办物业服务有限公司",
        "市场化物业": "鑫源物业管理有限公司",
        "单位自管": "原产权单位后勤科",
        "居民自治": "楼院自管会",
    }.get(mode, "")
    head = people.name()
    s.execute(
        insert(Compound),
        [
            {
                "id": cid,
                "community_id": community_id,
                "grid_id": grid_id,
                "name": name,
                "name_pinyin": pinyin_of(name)[0],
                "name_initials": pinyin_of(name)[1],
                "address": address,
                "address_initials": pinyin_of(address)[1],
                "management_mode": mode,
                "manager_name": manager,
                "manager_contact": people.phone() if manager else "",
                "build_year": rng.randint(1978, 2002),
                "head_name": head,
                "head_phone": people.phone(),
                "notes": "",
            }
        ],
    )
    floors = rng.choice((5, 6, 6, 7))
    units = rng.choice((1, 2, 2, 3))
    per_building = floors * units * 2
    n_buildings = max(1, -(-size // per_building))
    buildings, homes, residents, tags = [], [], [], []
    made = 0
    for b in range(1, n_buildings + 1):
        bid = ids.take("building")
        buildings.append(
            {"id": bid, "compound_id": cid, "name": str(b), "sort_key": b, "floors": floors}
        )
        for unit, floor, room in _rooms(units, floors):
            if made == size:
                break
            made += 1
            hid = ids.take("household")
            homes.append(_household(people, (hid, cid, bid), unit, floor, room))
            for r in _residents(people, ids, hid, homes[-1]):
                residents.append(r[0])
                tags.extend(r[1])
    conn = s.connection()
    for model, rows in ((Building, buildings), (Household, homes), (Resident, residents)):
        insert_dicts(conn, model.__table__, rows)  # type: ignore[arg-type]
    insert_dicts(conn, ResidentTag.__table__, tags)  # type: ignore[arg-type]
    return DemoFigures(1, len(buildings), len(homes), len(residents))


def _rooms(units: int, floors: int) -> Iterator[tuple[str, int, str]]:
    for unit in range(1, units + 1):
        for floor in range(1, floors + 1):
            for door in (1, 2):
                yield str(unit), floor, f"{floor}{door:02d}"


def _household(
    people: _People, keys: tuple[int, int, int], unit: str, floor: int, room: str
) -> dict[str, Any]:
    hid, cid, bid = keys
    rng = people.rng
    status = rng.choices(("自住", "出租", "空置", "商铺"), (75, 12, 10, 3 if floor == 1 else 0))[0]
    male = rng.random() < 0.55
    name = people.name(male)
    birth = people.birth(28, 88)
    id_number = people.id_number(birth, male) if rng.random() > 0.04 else None
    full, initials = people.pinyin(name)
    return {
        "id": hid,
        "compound_id": cid,
        "building_id": bid,
        "unit": unit,
        "floor": floor,
        "room": room,
        "area_centi": rng.randint(4500, 13800),
        "status": status,
        "householder_name": name,
        "householder_pinyin": full,
        "householder_initials": initials,
        "id_number": id_number,
        "phone": people.phone() if rng.random() > 0.06 else None,
        "notes": "",
        # carried to the residents generator, removed before insert
        "_male": male,
        "_birth": birth,
    }


def _residents(
    people: _People, ids: _Ids, hid: int, home: dict[str, Any]
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    rng = people.rng
    male, birth = home.pop("_male"), home.pop("_birth")
    if home["status"] in ("空置", "商铺"):
        return
    members = [("本人", home["householder_name"], male, birth, home["id_number"])]
    if home["status"] == "出租":
        tenant_male = rng.random() < 0.5
        tenant = people.name(tenant_male)
        members = [("租户", tenant, tenant_male, people.birth(20, 50), None)]
    extra = rng.choices((0, 1, 2, 3), (18, 42, 25, 15))[0]
    relations = ["配偶", "子女", "子女", "父母"]
    for rel in relations[:extra]:
        low, high = {"配偶": (25, 85), "子女": (1, 40), "父母": (60, 95)}[rel]
        b = people.birth(low, high)
        surname = home["householder_name"][0] if rel == "子女" else ""
        m = not male if rel == "配偶" else rng.random() < 0.5
        members.append((rel, people.name(m, surname), m, b, people.id_number(b, m)))
    alone = len(members) == 1
    for rel, name, m, b, id_number in members:
        rid = ids.take("resident")
        if id_number is None and rel != "本人":
            id_number = people.id_number(b, m)
        age = (REFERENCE_DAY - b).days // 365
        tags = [
            t
            for t, p in (
                ("党员", 0.08),
                ("低保", 0.03),
                ("残疾", 0.02),
                ("志愿者", 0.05),
                ("退役军人", 0.03),
            )
            if rng.random() < p
        ]
        if age >= 60:
            tags.append("60岁以上")
            if alone:
                tags.append("独居")
        row = {
            "id": rid,
            "household_id": hid,
            "name": name,
            "name_initials": people.pinyin(name)[1],
            "gender": "男" if m else "女",
            "id_number": id_number,
            "birth_date": b if id_number else None,
            "phone": people.phone() if age >= 16 and rng.random() < 0.7 else None,
            "relation": rel,
        }
        yield row, [{"resident_id": rid, "tag": t} for t in tags]


DemoStep = Callable[[Session, random.Random], None]


def _area_steps() -> list[DemoStep]:
    """Demo data of the other areas (fees, surveys, governance, ...), added after the
    registry in the same transaction. Each step gets its own seeded generator, so adding a
    step never changes what the others make. Steps insert without explicit ids."""
    steps: list[DemoStep] = [demo_users]
    from app.governance.demo import governance_demo

    steps.append(lambda s, rng: governance_demo(s, rng, REFERENCE_DAY))
    from app.fees.demo import fees_demo

    steps.append(fees_demo)
    from app.surveys.demo import surveys_demo

    steps.append(surveys_demo)
    from app.fees.demo import fees_links_demo

    steps.append(fees_links_demo)  # after surveys: a scheme gated on survey 1
    from app.audit_demo import audit_demo
    from app.governance.demo import forces_demo

    # after fees: the public company's compounds show the schemes in force there
    steps.append(lambda s, rng: forces_demo(s, rng, REFERENCE_DAY))
    steps.append(lambda s, rng: audit_demo(s, rng, REFERENCE_DAY))  # last: logs the others
    return steps


def _sync_sequences(s: Session) -> None:
    """PostgreSQL sequences do not see explicit ids; move them past what we inserted."""
    if s.get_bind().dialect.name != "postgresql":
        return
    for table in ("street", "community", "grid", "compound", "building", "household", "resident"):
        s.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )
