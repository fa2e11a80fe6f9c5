"""What the registry services hand to callers: frozen dataclasses, never ORM objects."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from decimal import Decimal

# The registry's choice lists, for forms and filters (the window never reaches into db/).
from db.models.registry import HOUSEHOLD_STATUSES, MANAGEMENT_MODES, RESIDENT_TAGS

__all__ = ["HOUSEHOLD_STATUSES", "MANAGEMENT_MODES", "RESIDENT_TAGS"]


@dataclass(frozen=True)
class CommunityRef:
    id: int
    name: str
    street_name: str


@dataclass(frozen=True)
class GridRef:
    id: int
    community_id: int
    parent_id: int | None
    level: int
    name: str
    worker_name: str
    worker_phone: str
    path: str  # "一网格 / 二网格 / 微网格"


@dataclass(frozen=True)
class CompoundFilter:
    community_id: int | None = None
    grid_id: int | None = None  # this grid and everything below it
    management_mode: str | None = None
    text: str = ""


@dataclass(frozen=True)
class CompoundRow:
    id: int
    name: str
    community_name: str
    grid_name: str
    address: str
    management_mode: str
    manager_name: str
    head_name: str
    buildings: int
    households: int
    residents: int
    version: int = 0  # the row version the list showed (a delete goes over it)


@dataclass(frozen=True)
class CompoundInput:
    name: str
    community_id: int
    address: str = ""
    grid_id: int | None = None
    management_mode: str = "无主管"
    manager_name: str = ""
    manager_contact: str = ""
    build_year: int | None = None
    head_name: str = ""
    head_phone: str = ""
    notes: str = ""


@dataclass(frozen=True)
class CompoundDetail:
    id: int
    data: CompoundInput
    community_name: str
    grid_path: str
    buildings: int
    households: int
    residents: int
    total_area: Decimal
    version: int = 0  # the row version the form saves over (stale writes)


@dataclass(frozen=True)
class BuildingRow:
    id: int
    compound_id: int
    name: str
    floors: int | None
    households: int
    total_area: Decimal


class HouseholdSort(enum.Enum):
    """Orders of the household list, each done in SQL."""

    LOCATION = "location"  # building, unit, floor, room
    NAME = "name"  # householder by pinyin
    AREA = "area"
    STATUS = "status"
    COMPOUND = "compound"


@dataclass(frozen=True)
class HouseholdFilter:
    compound_id: int | None = None
    building_id: int | None = None
    community_id: int | None = None
    status: str | None = None
    text: str = ""
    tag: str = ""  # households with a resident carrying this tag (党员, 低保, ...)
    role: str = ""  # households with a resident on the 治理力量 roster in this role


@dataclass(frozen=True)
class HouseholdRow:
    id: int
    compound_id: int
    compound_name: str
    building: str
    unit: str
    room: str
    area: Decimal
    status: str
    householder_name: str
    id_number_masked: str
    phone: str
    residents: int
    version: int = 0  # the row version the list showed (a delete goes over it)

    @property
    def location(self) -> str:
        """3号楼1单元101 style."""
        unit = f"{self.unit}单元" if self.unit else ""
        return f"{self.building}号楼{unit}{self.room}"


@dataclass(frozen=True)
class ResidentInput:
    name: str
    id_number: str = ""
    gender: str = ""  # derived from the ID number when one is given
    phone: str = ""
    relation: str = ""
    tags: tuple[str, ...] = ()
    id: int | None = None  # None for a new resident


@dataclass(frozen=True)
class ResidentRow:
    id: int
    name: str
    gender: str
    id_number: str
    birth_date: dt.date | None
    phone: str
    relation: str
    tags: tuple[str, ...]

    def as_input(self) -> ResidentInput:
        return ResidentInput(
            id=self.id,
            name=self.name,
            id_number=self.id_number,
            gender=self.gender,
            phone=self.phone,
            relation=self.relation,
            tags=self.tags,
        )


@dataclass(frozen=True)
class HouseholdInput:
    compound_id: int
    building: str  # building label; created in the compound when new
    room: str
    area: str | Decimal
    unit: str = ""
    status: str = "自住"
    householder_name: str = ""
    id_number: str = ""
    phone: str = ""
    notes: str = ""


@dataclass(frozen=True)
class HouseholdDetail:
    id: int
    data: HouseholdInput
    compound_name: str
    residents: tuple[ResidentRow, ...] = field(default_factory=tuple)
    version: int = 0  # the row version the form saves over (stale writes)
