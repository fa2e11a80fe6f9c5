"""Records of the 治理力量 roster, property companies and recognitions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from app.text import mask_phone
from db.models import COMPANY_KINDS, FORCE_KINDS, FORCE_SUBKINDS, RECOGNITION_KINDS

__all__ = [
    "COMPANY_KINDS",
    "COMMUNITY_POSTS",
    "FORCE_KINDS",
    "FORCE_SUBKINDS",
    "MEMBER_ROLES",
    "RECOGNITION_KINDS",
]

# Posts that make a person one of the community's own cadres (社区干部) for 交叉任职.
COMMUNITY_POSTS = ("社区工作者", "网格员", "网格年轻历练干部")
# A member's role in an organisation, as the window offers them (free text is allowed too).
MEMBER_ROLES = ("书记", "副书记", "委员", "主任", "副主任", "会长", "副会长", "队长", "成员")


def kind_label(kind: str, subkind: str) -> str:
    """网格员（专职）, 新就业群体（外卖骑手）, 志愿者."""
    return f"{kind}（{subkind}）" if subkind else kind


@dataclass(frozen=True)
class RoleInput:
    """One role: its kind (and sub-kind), where it is held, and from when to when."""

    kind: str
    subkind: str = ""
    post: str = ""
    grid_id: int | None = None
    compound_id: int | None = None
    building_id: int | None = None
    company_id: int | None = None
    start_on: dt.date | None = None
    end_on: dt.date | None = None


@dataclass(frozen=True)
class PersonInput:
    name: str
    phone: str = ""
    resident_id: int | None = None
    notes: str = ""
    roles: tuple[RoleInput, ...] = ()


@dataclass(frozen=True)
class RoleRow:
    id: int
    kind: str
    subkind: str
    post: str
    grid_id: int | None
    compound_id: int | None
    building_id: int | None
    company_id: int | None
    place: str  # where it is held, in words: 第一网格 / 幸福里 / 幸福里3号楼 / 公办物业公司
    start_on: dt.date | None
    end_on: dt.date | None

    @property
    def label(self) -> str:
        return kind_label(self.kind, self.subkind)

    def active(self, as_of: dt.date) -> bool:
        started = self.start_on is None or self.start_on <= as_of
        return started and (self.end_on is None or self.end_on >= as_of)

    def as_input(self) -> RoleInput:
        return RoleInput(
            self.kind,
            self.subkind,
            self.post,
            self.grid_id,
            self.compound_id,
            self.building_id,
            self.company_id,
            self.start_on,
            self.end_on,
        )


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    phone: str
    resident_id: int | None
    home: str  # the resident's compound and room, "" for someone standalone
    notes: str
    roles: tuple[RoleRow, ...]
    memberships: tuple[str, ...]  # 幸福里党支部·书记

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    def kinds_text(self, as_of: dt.date) -> str:
        """The labels of the roles held on `as_of`, in roster order, without repeats."""
        seen: list[str] = []
        for r in self.roles:
            if r.active(as_of) and r.label not in seen:
                seen.append(r.label)
        return "、".join(seen)

    def places_text(self, as_of: dt.date) -> str:
        seen: list[str] = []
        for r in self.roles:
            if r.active(as_of) and r.place not in seen:
                seen.append(r.place)
        return "、".join(seen)

    def as_input(self) -> PersonInput:
        return PersonInput(
            self.name,
            self.phone,
            self.resident_id,
            self.notes,
            tuple(r.as_input() for r in self.roles),
        )


@dataclass(frozen=True)
class PersonFilter:
    """Empty fields match everything; `grid_id` takes the grid and the grids below it and the
    compounds and buildings placed there; `text` matches the name or the phone."""

    kind: str = ""
    subkind: str = ""
    grid_id: int | None = None
    compound_id: int | None = None
    text: str = ""
    include_ended: bool = False


@dataclass(frozen=True)
class HandlerChoice:
    """A person in one of their roles, as the problem dialog offers them."""

    person_id: int
    kind: str
    label: str


@dataclass(frozen=True)
class MemberRow:
    id: int
    organisation_id: int
    person_id: int
    name: str
    role: str
    phone: str

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


@dataclass(frozen=True)
class CompanyInput:
    name: str
    kind: str
    contact: str = ""
    phone: str = ""
    founded: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True)
class ServedCompound:
    """A compound a company serves (or served), with the fee scheme in force there."""

    id: int
    company_id: int
    compound_id: int
    compound_name: str
    since: dt.date
    until_on: dt.date | None
    was_ownerless: bool
    scheme_name: str  # "" when no scheme is being charged
    price: Decimal | None  # 元/㎡·月 of the scheme in force


@dataclass(frozen=True)
class CompanyRow:
    id: int
    name: str
    kind: str
    contact: str
    phone: str
    founded: dt.date | None
    notes: str
    compounds: tuple[ServedCompound, ...]
    staff: tuple[str, ...]  # 张三（经理）

    @property
    def current(self) -> tuple[ServedCompound, ...]:
        return tuple(c for c in self.compounds if c.until_on is None)

    @property
    def max_price(self) -> Decimal | None:
        prices = [c.price for c in self.current if c.price is not None]
        return max(prices) if prices else None

    def as_input(self) -> CompanyInput:
        return CompanyInput(
            self.name, self.kind, self.contact, self.phone, self.founded, self.notes
        )


@dataclass(frozen=True)
class CrossAppointment:
    """A person who holds a community post and a post in a property company or in a
    compound's self-governance organisation (双向引入、交叉任职)."""

    person_id: int
    name: str
    community_posts: tuple[str, ...]
    company_posts: tuple[str, ...]
    organisation_posts: tuple[str, ...]

    @property
    def other_posts(self) -> tuple[str, ...]:
        return self.company_posts + self.organisation_posts


@dataclass(frozen=True)
class RecognitionInput:
    year: int
    kind: str
    title: str
    person_id: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class RecognitionRow:
    id: int
    year: int
    kind: str
    title: str
    person_id: int | None
    person_name: str
    notes: str

    def as_input(self) -> RecognitionInput:
        return RecognitionInput(self.year, self.kind, self.title, self.person_id, self.notes)


@dataclass(frozen=True)
class GridPartyCoverage:
    """支部建在网格上: which grids have a party organisation sitting on them."""

    grid_id: int
    path: str
    community_name: str
    organisations: tuple[str, ...]

    @property
    def covered(self) -> bool:
        return bool(self.organisations)


@dataclass(frozen=True)
class SolvedCount:
    """Problems closed (已办结) under one key (a grid, a person or a kind of force)."""

    key: str
    closed: int
    total: int
