"""Frozen records the governance services hand to the window and the command line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from db.models import DEFAULT_PROBLEM_CATEGORIES, ORGANISATION_KINDS, PROBLEM_STATUSES

KINDS = ORGANISATION_KINDS
STATUSES = PROBLEM_STATUSES
PENDING, IN_PROGRESS, CLOSED = PROBLEM_STATUSES
SEED_CATEGORIES = DEFAULT_PROBLEM_CATEGORIES


def percent(part: int, whole: int) -> Decimal:
    """part/whole as a percentage with one decimal (half up); 0 when whole is 0."""
    if whole <= 0:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def mean_days(total_days: int, count: int) -> Decimal | None:
    """Average days with one decimal (half up); None when nothing was counted."""
    if count <= 0:
        return None
    return (Decimal(total_days) / Decimal(count)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# -- organisations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationInput:
    kind: str
    name: str
    leader: str = ""
    contact: str = ""
    members: int = 0
    founded: dt.date | None = None


@dataclass(frozen=True)
class OrganisationRow:
    """An organisation on a compound, or on a grid (compound_id None, compound_name is the
    grid's name with 网格 marked)."""

    id: int
    compound_id: int | None
    compound_name: str
    kind: str
    name: str
    leader: str
    contact: str
    members: int
    founded: dt.date | None
    grid_id: int | None = None

    def as_input(self) -> OrganisationInput:
        return OrganisationInput(
            self.kind, self.name, self.leader, self.contact, self.members, self.founded
        )


@dataclass(frozen=True)
class Convention:
    """楼院公约."""

    compound_id: int
    text: str
    adopted_on: dt.date | None


@dataclass(frozen=True)
class CompoundCoverage:
    """Which of the three kinds a compound has."""

    compound_id: int
    compound_name: str
    community_name: str
    present: tuple[str, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(k for k in KINDS if k not in self.present)

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class CommunityCoverage:
    """三类组织 coverage of one community (or of everything, community_name 合计)."""

    community_name: str
    compounds: int
    complete: int
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> Decimal:
        return percent(self.complete, self.compounds)


# -- deliberation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ResolutionInput:
    text: str
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0


@dataclass(frozen=True)
class MeetingInput:
    compound_id: int
    held_on: dt.date
    topic: str
    attendance: int
    notes: str = ""
    resolutions: tuple[ResolutionInput, ...] = ()
    kind: str = "议事会"  # 见面会, 议事会 or 协商会


@dataclass(frozen=True)
class ResolutionRow:
    """A resolution with its meeting; `id` is stable (fee schemes keep it)."""

    id: int
    meeting_id: int
    compound_id: int
    compound_name: str
    held_on: dt.date
    topic: str
    seq: int
    text: str
    votes_for: int
    votes_against: int
    votes_abstain: int
    passed: bool

    @property
    def label(self) -> str:
        state = "通过" if self.passed else "未通过"
        return f"{self.held_on:%Y-%m-%d} {self.topic} 决议{self.seq}（{state}）：{self.text}"


@dataclass(frozen=True)
class MeetingRow:
    id: int
    compound_id: int
    compound_name: str
    held_on: dt.date
    topic: str
    attendance: int
    notes: str
    resolutions: tuple[ResolutionRow, ...]
    kind: str = "议事会"

    @property
    def passed_count(self) -> int:
        return sum(1 for r in self.resolutions if r.passed)


# -- problems ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRow:
    id: int
    name: str
    sort_order: int
    problems: int


@dataclass(frozen=True)
class ProblemInput:
    category_id: int
    compound_id: int
    reported_on: dt.date
    location: str = ""
    description: str = ""
    reporter: str = ""
    grid_id: int | None = None
    deadline: dt.date | None = None
    handler_person_id: int | None = None  # who handled it (治理力量), in the capacity of
    handler_kind: str = ""  # one of their roles


@dataclass(frozen=True)
class ProblemFilter:
    """Empty fields match everything. `grid_id` takes the grid and every grid below it
    (by the compound's place in the tree); `overdue` keeps open problems past deadline."""

    status: str = ""
    category_id: int | None = None
    compound_id: int | None = None
    community_id: int | None = None
    grid_id: int | None = None
    overdue: bool = False
    text: str = ""


@dataclass(frozen=True)
class ProblemRow:
    id: int
    category_id: int
    category: str
    compound_id: int
    compound_name: str
    location: str
    description: str
    reporter: str
    reported_on: dt.date
    grid_id: int | None
    handler: str
    handler_phone: str
    grid_name: str
    handler_person_id: int | None
    handler_kind: str
    deadline: dt.date | None
    status: str
    resolution: str
    closed_on: dt.date | None
    overdue: bool

    def days_taken(self, as_of: dt.date) -> int:
        """Days from report to closure (or to `as_of` while open)."""
        return ((self.closed_on or as_of) - self.reported_on).days


@dataclass(frozen=True)
class ClosureRow:
    """办结率 and average days of one category, compound or grid."""

    key: int
    name: str
    total: int
    closed: int
    overdue: int
    closed_days: int  # sum over closed problems of (closed_on - reported_on)

    @property
    def open(self) -> int:
        return self.total - self.closed

    @property
    def rate(self) -> Decimal:
        return percent(self.closed, self.total)

    @property
    def average_days(self) -> Decimal | None:
        return mean_days(self.closed_days, self.closed)


@dataclass(frozen=True)
class GridRollup:
    """Every figure of a grid, counting the compounds in it and in all grids below it."""

    grid_id: int
    parent_id: int | None
    community_name: str
    level: int
    name: str
    path: str
    worker_name: str
    worker_phone: str
    exclusive: bool
    compounds: int
    households: int
    residents: int
    complete_coverage: int
    problems: ClosureRow

    @property
    def coverage_rate(self) -> Decimal:
        return percent(self.complete_coverage, self.compounds)
