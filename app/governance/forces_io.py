"""Import of the 治理力量 roster: one row per role, read by the roster engine's reader (same
file limits), headers found by the roster's header normaliser, a preview of every row's fate
(new / updated / unchanged / rejected with a Chinese reason), the roster's error file, and a
commit in one transaction.

A person in the file is a person of the roster when the row's 本辖区住址 names a resident the
roster links to, or when the name and the phone agree (a masked phone, as an export writes
it, agrees with the stored phone it masks). Roles are merged: a role with the same kind,
sub-kind, place and start date is the same role (its post and end date are updated); any
other role is added; nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.jobs import IsCancelled, Progress, check_cancelled
from app.registry.compounds import grid_paths
from app.registry.validation import FieldError, clean_phone
from app.roster.columns import HEADER_SCAN_ROWS, normalize_header
from app.roster.dto import Fate, ImportPreview, RowPreview, SheetSource
from app.roster.errors import NoRosterFound
from app.roster.reader import SheetData, read_file
from app.roster.values import cell_text, is_masked, parse_building
from app.text import fold, mask_phone
from db.models import (
    FORCE_KINDS,
    FORCE_SUBKINDS,
    Building,
    Community,
    Compound,
    ForcePerson,
    ForceRole,
    Grid,
    Household,
    PropertyCompany,
    Resident,
)


class Col(enum.Enum):
    """The columns of the people roster; the value is the export's header."""

    NAME = "姓名"
    PHONE = "联系电话"
    KIND = "身份"
    SUBKIND = "细类"
    POST = "职务"
    COMMUNITY = "社区"
    GRID = "网格"
    COMPOUND = "楼院"
    BUILDING = "楼栋"
    COMPANY = "物业公司"
    START = "开始日期"
    END = "结束日期"
    HOME = "本辖区住址"
    NOTES = "备注"


SYNONYMS: dict[Col, tuple[str, ...]] = {
    Col.NAME: ("姓名", "人员姓名", "名字"),
    Col.PHONE: ("联系电话", "电话", "手机号", "手机", "手机号码", "联系方式", "电话号码"),
    Col.KIND: ("身份", "角色", "身份类别", "力量类别", "人员类别", "类别"),
    Col.SUBKIND: ("细类", "子类", "细分类别", "类型"),
    Col.POST: ("职务", "岗位"),
    Col.COMMUNITY: ("社区", "所属社区", "社区名称"),
    Col.GRID: ("网格", "所属网格", "所在网格"),
    Col.COMPOUND: ("楼院", "楼院名称", "小区", "小区名称", "所属楼院", "所在楼院"),
    Col.BUILDING: ("楼栋", "楼号", "楼栋号"),
    Col.COMPANY: ("物业公司", "所在物业公司", "公司"),
    Col.START: ("开始日期", "任职日期", "起始日期", "开始时间"),
    Col.END: ("结束日期", "离任日期", "截止日期", "结束时间"),
    Col.HOME: ("本辖区住址", "关联居民", "住址", "居住地址"),
    Col.NOTES: ("备注", "说明"),
}
_LOOKUP = {normalize_header(w): c for c, words in SYNONYMS.items() for w in words}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_LABEL = re.compile(r"^(.+?)\((.+)\)$")  # 网格员(专职): fold turns （） into ()


class Rejected(Exception):
    """One row cannot be imported: the column it is about and why."""

    def __init__(self, column: Col | None, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


@dataclass(frozen=True)
class PeopleRow:
    """One row of the file and what the import does with it."""

    file: str
    sheet: str
    row: int  # as the spreadsheet shows it
    fate: Fate
    name: str = ""
    phone: str = ""  # masked for display
    role: str = ""  # 网格员（专职）
    place: str = ""
    column: str = ""  # the column a rejection is about
    reason: str = ""  # why rejected, or what an update changes
    raw: tuple[str, ...] = ()


@dataclass(frozen=True)
class PeoplePreview:
    rows: tuple[PeopleRow, ...]
    counts: dict[Fate, int]
    sources: tuple[SheetSource, ...]
    skipped_sheets: tuple[str, ...]

    @property
    def writable(self) -> int:
        return self.counts.get(Fate.NEW, 0) + self.counts.get(Fate.UPDATE, 0)

    def rejected(self) -> tuple[PeopleRow, ...]:
        return tuple(r for r in self.rows if r.fate is Fate.REJECTED)

    def summary(self) -> str:
        c = self.counts
        return (
            f"新增 {c[Fate.NEW]} 行，更新 {c[Fate.UPDATE]} 行，不变 {c[Fate.UNCHANGED]} 行，"
            f"重复 {c[Fate.SKIPPED]} 行，拒绝 {c[Fate.REJECTED]} 行"
        )

    def as_roster_preview(self) -> ImportPreview:
        """The rejected rows in the household roster's terms, for its error file."""
        rows = tuple(
            RowPreview(
                r.file,
                r.sheet,
                r.row,
                r.fate,
                name=r.name,
                column=r.column,
                reason=r.reason,
                raw=r.raw,
            )  # fmt: skip
            for r in self.rows
        )
        return ImportPreview(rows, dict(self.counts), 0, (), (), (), self.sources, ())


@dataclass(frozen=True)
class ParsedRow:
    """A row read from the file: its cells by column, or why it cannot be read."""

    file: str
    sheet: str
    row: int
    raw: tuple[str, ...]
    cells: dict[Col, object]


@dataclass(frozen=True)
class PeoplePlan:
    path: Path
    parsed: tuple[ParsedRow, ...]
    preview: PeoplePreview


@dataclass(frozen=True)
class PeopleImportResult:
    created_people: int
    added_roles: int
    updated: int
    unchanged: int
    skipped: int
    rejected: int

    def summary(self) -> str:
        return (
            f"新增人员 {self.created_people} 人、身份 {self.added_roles} 个，"
            f"更新 {self.updated} 行，不变 {self.unchanged} 行，重复 {self.skipped} 行，"
            f"拒绝 {self.rejected} 行"
        )


# -- reading ---------------------------------------------------------------------------------


def _header(rows: list[list[object]]) -> tuple[int, dict[int, Col]] | None:
    """The header row (naming at least 姓名 and 身份) and the column of each field."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found: dict[int, Col] = {}
        for col, cell in enumerate(row):
            if isinstance(cell, str):
                c = _LOOKUP.get(normalize_header(cell))
                if c is not None and c not in found.values():
                    found[col] = c
        if Col.NAME in found.values() and Col.KIND in found.values():
            return index, found
    return None


def parse_file(path: Path) -> tuple[list[ParsedRow], list[SheetSource], list[str]]:
    """The data rows of every sheet that has a people header (read by the roster reader)."""
    rows: list[ParsedRow] = []
    sources: list[SheetSource] = []
    skipped: list[str] = []
    for sheet in read_file(path):
        _parse_sheet(path.name, sheet, rows, sources, skipped)
    if not sources:
        raise NoRosterFound(
            f"文件“{path.name}”中没有治理力量名册：未找到含“姓名”和“身份”的表头，未导入任何内容。"
        )
    return rows, sources, skipped


def _parse_sheet(
    file: str,
    sheet: SheetData,
    rows: list[ParsedRow],
    sources: list[SheetSource],
    skipped: list[str],
) -> None:
    found = _header(sheet.rows)
    if found is None:
        skipped.append(f"{file} / {sheet.name}")
        return
    at, columns = found
    headers = tuple(cell_text(v) for v in sheet.rows[at])
    sources.append(SheetSource(file, sheet.name, headers))
    for index in range(at + 1, len(sheet.rows)):
        cells = sheet.rows[index]
        raw = tuple(cell_text(v) for v in cells)
        if not any(raw):
            continue
        values = {c: cells[i] for i, c in columns.items() if i < len(cells)}
        rows.append(ParsedRow(file, sheet.name, index + 1, raw, values))


def _text(row: ParsedRow, col: Col) -> str:
    return cell_text(row.cells.get(col))


def parse_date(value: object, col: Col) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    match = _DATE.match(text)
    if match is None and re.fullmatch(r"\d{8}", text):
        match = re.match(r"(\d{4})(\d{2})(\d{2})", text)
    if match is not None:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise Rejected(col, f"{col.value}“{text}”不是正确的日期（应如 2024-03-01）")


# -- matching --------------------------------------------------------------------------------

RoleKey = tuple[str, str, int | None, int | None, int | None, int | None, dt.date | None]


@dataclass
class _Person:
    id: int | None  # None: new
    name: str
    phone: str  # as stored, "" for none
    resident_id: int | None
    notes: str
    roles: dict[RoleKey, tuple[int | None, str, dt.date | None]] = field(default_factory=dict)
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Decision:
    fate: Fate
    person: _Person | None = None
    role: RoleKey | None = None
    post: str = ""
    end_on: dt.date | None = None
    role_id: int | None = None  # an existing role to update
    person_changes: dict[str, Any] = field(default_factory=dict)


def _norm_path(text: str) -> str:
    return " / ".join(p.strip() for p in text.split("/") if p.strip())


class _World:
    """What the rows are matched against, read once in the caller's session."""

    def __init__(self, s: Session, rows: list[ParsedRow]) -> None:
        self.s = s
        self.communities: dict[str, list[int]] = {}
        for cid, name in s.execute(select(Community.id, Community.name)):
            self.communities.setdefault(name, []).append(cid)
        grids = list(s.scalars(select(Grid)))
        paths = grid_paths(grids)
        self.grids = [(g.id, g.community_id, paths[g.id], g.name) for g in grids]
        self.compounds = list(s.execute(select(Compound.id, Compound.community_id, Compound.name)))
        self.compound_named: dict[str, list[Any]] = {}
        for c in self.compounds:
            self.compound_named.setdefault(c[2], []).append(c)
        self.buildings = {
            (cid, name): bid
            for bid, cid, name in s.execute(
                select(Building.id, Building.compound_id, Building.name)
            )
        }
        self.companies = dict(
            (name, cid) for cid, name in s.execute(select(PropertyCompany.id, PropertyCompany.name))
        )
        self.people: dict[str, list[_Person]] = {}
        self.by_resident: dict[int, list[_Person]] = {}
        by_id: dict[int, _Person] = {}
        for p in s.scalars(select(ForcePerson).order_by(ForcePerson.id)):
            person = _Person(p.id, p.name, p.phone or "", p.resident_id, p.notes)
            by_id[p.id] = person
            self.people.setdefault(p.name, []).append(person)
            if p.resident_id is not None:
                self.by_resident.setdefault(p.resident_id, []).append(person)
        for r in s.scalars(select(ForceRole).order_by(ForceRole.id)):
            key = (r.kind, r.subkind, r.grid_id, r.compound_id, r.building_id, r.company_id)
            by_id[r.person_id].roles[(*key, r.start_on)] = (r.id, r.post, r.end_on)
        self.homes = _resident_homes(s, rows)
        self.new: dict[tuple[str, str, int | None], _Person] = {}
        self._names: dict[str, dict[int, str]] | None = None

    def names(self) -> dict[str, dict[int, str]]:
        """id → name of companies, compounds, buildings and grids (made on first use)."""
        if self._names is None:
            self._names = {
                "company": {cid: name for name, cid in self.companies.items()},
                "compound": {c[0]: c[2] for c in self.compounds},
                "building": {bid: name for (_c, name), bid in self.buildings.items()},
                "grid": {g[0]: g[2] for g in self.grids},
            }
        return self._names

    # -- places

    def community(self, text: str) -> int | None:
        if not text:
            return None
        ids = self.communities.get(text, [])
        if not ids:
            raise Rejected(Col.COMMUNITY, f"没有名为“{text}”的社区")
        if len(ids) > 1:
            raise Rejected(Col.COMMUNITY, f"有多个名为“{text}”的社区，无法确定")
        return ids[0]

    def grid(self, text: str, community: int | None) -> int | None:
        if not text:
            return None
        path = _norm_path(text)
        here = [g for g in self.grids if community is None or g[1] == community]
        found = [g for g in here if g[2] == path] or [g for g in here if g[3] == path]
        if not found:
            raise Rejected(Col.GRID, f"没有网格“{text}”")
        if len(found) > 1:
            raise Rejected(Col.GRID, f"网格“{text}”不止一个，请填写社区或完整的网格路径")
        return found[0][0]

    def compound(self, text: str, community: int | None) -> int | None:
        if not text:
            return None
        found = [c for c in self.compound_named.get(text, ()) if community in (None, c[1])]
        if not found:
            raise Rejected(Col.COMPOUND, f"没有名为“{text}”的楼院")
        if len(found) > 1:
            raise Rejected(Col.COMPOUND, f"有多个名为“{text}”的楼院，请填写社区")
        return int(found[0][0])

    def building(self, text: str, compound: int | None, compound_text: str) -> int | None:
        if not text:
            return None
        if compound is None:
            raise Rejected(Col.BUILDING, "填写楼栋时须同时填写楼院")
        try:
            name = parse_building(text)
        except FieldError as exc:
            raise Rejected(Col.BUILDING, f"楼栋“{text}”：{exc}") from exc
        bid = self.buildings.get((compound, name))
        if bid is None:
            raise Rejected(Col.BUILDING, f"楼院“{compound_text}”没有{name}号楼")
        return bid

    def company(self, text: str) -> int | None:
        if not text:
            return None
        if text not in self.companies:
            raise Rejected(Col.COMPANY, f"没有名为“{text}”的物业公司")
        return self.companies[text]


def _resident_homes(s: Session, rows: list[ParsedRow]) -> dict[tuple[str, str], list[int]]:
    """(name, "幸福里 3-1-101") → resident ids, for the rows that name a home (looked up by
    name and compound: a few queries, whatever the size of the registry)."""
    from app.governance.forces import home_text

    wanted = {(fold(_text(r, Col.NAME)), " ".join(_text(r, Col.HOME).split())) for r in rows}
    wanted = {(name, home) for name, home in wanted if name and home}
    names = sorted({name for name, _home in wanted})
    compounds = sorted({home.rsplit(" ", 1)[0] for _name, home in wanted})
    out: dict[tuple[str, str], list[int]] = {}
    for start in range(0, len(names), 500):
        found = s.execute(
            select(Resident.id, Resident.name, Compound.name, Building.name)
            .add_columns(Household.unit, Household.room)
            .join(Household, Household.id == Resident.household_id)
            .join(Building, Building.id == Household.building_id)
            .join(Compound, Compound.id == Household.compound_id)
            .where(Resident.name.in_(names[start : start + 500]), Compound.name.in_(compounds))
            .order_by(Resident.id)
        )
        for rid, name, compound, building, unit, room in found:
            key = (name, " ".join(home_text(compound, building, unit, room).split()))
            if key in wanted:
                out.setdefault(key, []).append(rid)
    return out


def _kind(row: ParsedRow) -> tuple[str, str]:
    kind = _text(row, Col.KIND)
    subkind = _text(row, Col.SUBKIND)
    if not kind:
        raise Rejected(Col.KIND, "请填写身份（如网格员、楼栋长、志愿者）")
    label = _LABEL.match(kind)
    if label is not None and label.group(1) in FORCE_KINDS:
        kind, subkind = label.group(1), subkind or label.group(2)
    if kind not in FORCE_KINDS:
        raise Rejected(Col.KIND, f"“{kind}”不是可选的身份（可选：{'、'.join(FORCE_KINDS)}）")
    subkinds = FORCE_SUBKINDS.get(kind, ())
    if kind == "新就业群体" and subkind not in subkinds:
        raise Rejected(Col.SUBKIND, f"新就业群体须填写细类（{'、'.join(subkinds)}）")
    if subkind and subkind not in subkinds:
        allowed = f"（可选：{'、'.join(subkinds)}）" if subkinds else "（此身份不分细类）"
        raise Rejected(Col.SUBKIND, f"“{subkind}”不是{kind}的细类{allowed}")
    return kind, subkind


def _phone(row: ParsedRow) -> tuple[str, bool]:
    """(the phone, masked?): "" when empty; a masked phone as written."""
    text = _text(row, Col.PHONE)
    if not text:
        return "", False
    if is_masked(text):
        return text, True
    try:
        return clean_phone(text), False
    except FieldError as exc:
        raise Rejected(Col.PHONE, f"联系电话“{text}”：{exc}") from exc


def _stored_phone(phone: str) -> str:
    try:
        return clean_phone(phone) if phone else ""
    except FieldError:
        return phone


def _role(world: _World, row: ParsedRow) -> tuple[RoleKey, str, dt.date | None]:
    """The row's role: (its key, the post, the end date)."""
    kind, subkind = _kind(row)
    post = _text(row, Col.POST)
    if len(post) > 32:
        raise Rejected(Col.POST, "职务过长（最多32个字）")
    community = world.community(_text(row, Col.COMMUNITY))
    grid = world.grid(_text(row, Col.GRID), community)
    compound_text = _text(row, Col.COMPOUND)
    compound = world.compound(compound_text, community)
    building = world.building(_text(row, Col.BUILDING), compound, compound_text)
    company = world.company(_text(row, Col.COMPANY))
    if all(x is None for x in (grid, compound, building, company)):
        raise Rejected(Col.GRID, "请填写所在网格、楼院、楼栋或物业公司")
    start = parse_date(row.cells.get(Col.START), Col.START)
    end = parse_date(row.cells.get(Col.END), Col.END)
    if start is not None and end is not None and end < start:
        raise Rejected(Col.END, "结束日期不能早于开始日期")
    return (kind, subkind, grid, compound, building, company, start), post, end


def _name(row: ParsedRow) -> str:
    name = fold(_text(row, Col.NAME))
    if not name:
        raise Rejected(Col.NAME, "请填写姓名")
    if len(name) > 32:
        raise Rejected(Col.NAME, "姓名过长（最多32个字）")
    return name


def _residents(world: _World, row: ParsedRow, name: str) -> list[int]:
    """The residents the row's 本辖区住址 names: of that name, living there (two of one name
    may share a home)."""
    home = " ".join(_text(row, Col.HOME).split())
    if not home:
        return []
    found = world.homes.get((name, home))
    if not found:
        raise Rejected(Col.HOME, f"找不到住在“{home}”的居民“{name}”")
    return found


def _decide(world: _World, row: ParsedRow, seen: dict[tuple[int, RoleKey], int]) -> _Decision:
    name = _name(row)
    phone, masked = _phone(row)
    key, post, end = _role(world, row)
    residents = _residents(world, row, name)
    notes = _text(row, Col.NOTES)
    person = _person(world, name, phone, masked, residents, key)
    resident = residents[0] if residents else None
    if person is not None and person.resident_id in residents:
        resident = person.resident_id
    if person is None:
        if masked:
            raise Rejected(
                Col.PHONE,
                f"电话“{phone}”已脱敏，名册中没有姓名和电话都相符的人员；新人员请填写完整电话",
            )
        new_key = (name, phone, resident)
        person = world.new.get(new_key)
        if person is None:
            person = world.new[new_key] = _Person(None, name, phone, resident, notes)
    ref = (id(person), key)
    if ref in seen:
        return _Decision(Fate.SKIPPED, person, key)
    seen[ref] = row.row
    changes = _person_changes(person, phone, masked, resident, notes)
    existing = person.roles.get(key)
    if existing is None:
        person.roles[key] = (None, post, end)
        return _Decision(Fate.NEW, person, key, post, end, person_changes=changes)
    role_id, old_post, old_end = existing
    if (old_post, old_end) == (post, end) and not changes:
        return _Decision(Fate.UNCHANGED, person, key, post, end, role_id)
    person.roles[key] = (role_id, post, end)
    fate = Fate.UPDATE if role_id is not None or changes else Fate.UNCHANGED
    return _Decision(fate, person, key, post, end, role_id, changes)


def _person(  # noqa: PLR0913,PLR0917 -- one private call site
    world: _World, name: str, phone: str, masked: bool, residents: list[int], key: RoleKey
) -> _Person | None:
    """The person of the roster this row is about; of several (the same person entered
    twice), the one holding the role, else the first."""
    found = [p for rid in residents for p in world.by_resident.get(rid, [])]
    if not found:
        for p in world.people.get(name, []):
            stored = _stored_phone(p.phone)
            same = (bool(stored) and mask_phone(stored) == phone) if masked else stored == phone
            if same:
                found.append(p)
    holding = [p for p in found if key in p.roles]
    return next(iter(holding or found), None)


def _person_changes(
    person: _Person, phone: str, masked: bool, resident: int | None, notes: str
) -> dict[str, Any]:
    """What the row adds to an existing person (each change once)."""
    if person.id is None:
        return {}
    changes: dict[str, Any] = {}
    if phone and not masked and _stored_phone(person.phone) != phone:
        changes["phone"] = phone
    if resident is not None and person.resident_id is None:
        changes["resident_id"] = resident
    if notes and notes != person.notes:
        changes["notes"] = notes
    for k, v in changes.items():
        setattr(person, k, v)
    person.changes.update(changes)
    return changes


def _place(world: _World, key: RoleKey | None) -> str:
    """Where a role is held, in words: 幸福里·3号楼, 第一网格 / 2号微网格."""
    if key is None:
        return ""
    _k, _s, grid, compound, building, company, _start = key
    names = world.names()
    parts = []
    if company is not None:
        parts.append(names["company"][company])
    if compound is not None:
        parts.append(names["compound"][compound])
    if building is not None:
        parts.append(names["building"][building] + "号楼")
    if grid is not None:
        parts.append(names["grid"][grid])
    return "·".join(parts)


def match(
    s: Session, parsed: Iterable[ParsedRow], cancelled: IsCancelled | None = None
) -> tuple[list[PeopleRow], list[_Decision]]:
    """Every row's fate against the database as the session sees it."""
    rows = list(parsed)
    world = _World(s, rows)
    seen: dict[tuple[int, RoleKey], int] = {}
    out: list[PeopleRow] = []
    decisions: list[_Decision] = []
    for n, row in enumerate(rows):
        if cancelled is not None and n % 1000 == 0:
            check_cancelled(cancelled)
        name = _text(row, Col.NAME)
        shown = mask_phone(_text(row, Col.PHONE)) if "*" not in _text(row, Col.PHONE) else ""
        shown = shown or _text(row, Col.PHONE)
        try:
            decision = _decide(world, row, seen)
        except Rejected as exc:
            column = exc.column.value if exc.column is not None else ""
            out.append(
                PeopleRow(row.file, row.sheet, row.row, Fate.REJECTED, name, shown,
                          _text(row, Col.KIND), "", column, exc.reason, row.raw)
            )  # fmt: skip
            decisions.append(_Decision(Fate.REJECTED))
            continue
        reason = ""
        if decision.fate is Fate.SKIPPED:
            reason = "与前面的行重复（同一人的同一身份）"
        elif decision.person_changes:
            reason = "更新：" + "、".join(
                {"phone": "电话", "resident_id": "关联居民", "notes": "备注"}[k]
                for k in decision.person_changes
            )
        elif decision.fate is Fate.UPDATE:
            reason = "更新：职务或结束日期"
        label = _text(row, Col.KIND)
        out.append(
            PeopleRow(row.file, row.sheet, row.row, decision.fate, name, shown, label,
                      _place(world, decision.role), "", reason, row.raw)
        )  # fmt: skip
        decisions.append(decision)
    return out, decisions


def preview_of(
    rows: list[PeopleRow], sources: list[SheetSource], skipped: list[str]
) -> PeoplePreview:
    counts = Counter(r.fate for r in rows)
    return PeoplePreview(
        tuple(rows), {f: counts.get(f, 0) for f in Fate}, tuple(sources), tuple(skipped)
    )


# -- writing ---------------------------------------------------------------------------------


def write(
    s: Session,
    actor: Actor,
    plan: PeoplePlan,
    progress: Progress,
    cancelled: IsCancelled,
) -> PeopleImportResult:
    """Match the rows again inside the caller's transaction and write what they decide."""
    rows, decisions = match(s, plan.parsed, cancelled)
    total = len(decisions) or 1
    progress(0, total)
    created: dict[int, int] = {}  # id(_Person) → new person id
    added = updated = 0
    for n, d in enumerate(decisions, start=1):
        if d.fate in (Fate.NEW, Fate.UPDATE) and d.person is not None:
            pid = _write_person(s, actor, d, d.person, created)
            if d.role is not None and d.role_id is None:
                kind, subkind, grid, compound, building, company, start = d.role
                s.add(
                    ForceRole(
                        person_id=pid, kind=kind, subkind=subkind, post=d.post, grid_id=grid,
                        compound_id=compound, building_id=building, company_id=company,
                        start_on=start, end_on=d.end_on,
                    )
                )  # fmt: skip
                added += 1
            elif d.role_id is not None:
                role = s.get_one(ForceRole, d.role_id)
                role.post, role.end_on = d.post, d.end_on
            if d.fate is Fate.UPDATE:
                updated += 1
        if n % 500 == 0:
            s.flush()
            check_cancelled(cancelled)
            progress(n, total)
    s.flush()
    counts = Counter(r.fate for r in rows)
    result = PeopleImportResult(
        created_people=len(created),
        added_roles=added,
        updated=updated,
        unchanged=counts.get(Fate.UNCHANGED, 0),
        skipped=counts.get(Fate.SKIPPED, 0),
        rejected=counts.get(Fate.REJECTED, 0),
    )
    audit.record(
        s, actor, "import", "force_person", None,
        after={k: v for k, v in asdict(result).items() if k != "rejected"},
        note=f"导入治理力量名册：{plan.path.name}",
    )  # fmt: skip
    check_cancelled(cancelled)
    progress(total, total)
    return result


def _write_person(
    s: Session, actor: Actor, d: _Decision, person: _Person, created: dict[int, int]
) -> int:
    """The row's person, entered or changed as it decides, each recorded in the audit log
    as a form's save is (the old phone or resident link stays in the log)."""
    is_new = person.id is None and id(person) not in created
    pid = _person_id(s, person, created)
    if is_new:
        after = {"name": person.name, "phone": person.phone or ""}
        audit.record(s, actor, "import", "force_person", pid, after=after)
    if d.person_changes:
        p = s.get_one(ForcePerson, pid)
        before = {k: getattr(p, k) for k in d.person_changes}
        for k, v in d.person_changes.items():
            setattr(p, k, v)
        old, new = audit.changed(before, d.person_changes)
        if new:
            audit.record(s, actor, "import", "force_person", pid, before=old, after=new)
    return pid


def _person_id(s: Session, person: _Person, created: dict[int, int]) -> int:
    if person.id is not None:
        return person.id
    if id(person) not in created:
        p = ForcePerson(
            name=person.name,
            phone=person.phone or None,
            resident_id=person.resident_id,
            notes=person.notes,
        )
        s.add(p)
        s.flush()
        created[id(person)] = p.id
    return created[id(person)]
