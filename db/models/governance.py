"""Compound governance: the three organisations, the convention, deliberation, problems."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base

ORGANISATION_KINDS = ("党组织", "自治组织", "志愿服务组织")
MEETING_KINDS = ("议事会", "见面会", "协商会")
PROBLEM_STATUSES = ("待处理", "处理中", "已办结")
DEFAULT_PROBLEM_CATEGORIES = (
    "飞线充电",
    "杂物堆积",
    "非机动车乱停乱放",
    "设施损坏",
    "环境卫生",
    "安全隐患",
    "邻里纠纷",
    "其他",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Organisation(Base):
    """One of the 三类组织 (党组织, 自治组织, 志愿服务组织), sitting on a compound or on a grid
    (网格党支部). `members` is the declared head count; named members are OrganisationMember."""

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint(_in("kind", ORGANISATION_KINDS), name="kind"),
        CheckConstraint("members >= 0", name="members"),
        CheckConstraint(
            "(compound_id IS NULL) <> (grid_id IS NULL)",
            name="place",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int | None] = mapped_column(
        ForeignKey("compound.id", ondelete="CASCADE"), index=True
    )
    grid_id: Mapped[int | None] = mapped_column(
        ForeignKey("grid.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(64))
    leader: Mapped[str] = mapped_column(String(32), default="")
    contact: Mapped[str] = mapped_column(String(32), default="")
    members: Mapped[int] = mapped_column(default=0)
    founded: Mapped[dt.date | None]


class CompoundConvention(Base):
    """楼院公约: the compound's convention text and the day it was adopted."""

    __tablename__ = "compound_convention"

    compound_id: Mapped[int] = mapped_column(
        ForeignKey("compound.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    adopted_on: Mapped[dt.date | None]


class Meeting(Base):
    """居民议事会: one deliberation meeting of a compound."""

    __tablename__ = "meeting"
    __table_args__ = (
        CheckConstraint("attendance >= 0", name="attendance"),
        CheckConstraint(_in("kind", MEETING_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(
        ForeignKey("compound.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[dt.date]
    kind: Mapped[str] = mapped_column(String(4), default="议事会")
    topic: Mapped[str] = mapped_column(String(128))
    attendance: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(Text, default="")


class Resolution(Base):
    """决议 of a meeting with its votes; fee schemes refer to it by id."""

    __tablename__ = "resolution"
    __table_args__ = (
        CheckConstraint(
            "votes_for >= 0 AND votes_against >= 0 AND votes_abstain >= 0", name="votes"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(default=1)
    text: Mapped[str] = mapped_column(Text)
    votes_for: Mapped[int] = mapped_column(default=0)
    votes_against: Mapped[int] = mapped_column(default=0)
    votes_abstain: Mapped[int] = mapped_column(default=0)
    passed: Mapped[bool] = mapped_column(default=False)


class ProblemCategory(Base):
    """An entry of the editable list of problem categories."""

    __tablename__ = "problem_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    sort_order: Mapped[int] = mapped_column(default=0)


class Problem(Base):
    """楼院问题台账: one problem, from report to closure (销号)."""

    __tablename__ = "problem"
    __table_args__ = (
        CheckConstraint(_in("status", PROBLEM_STATUSES), name="status"),
        CheckConstraint("status <> '已办结' OR closed_on IS NOT NULL", name="closed"),
        Index("ix_problem_status_deadline", "status", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("problem_category.id", ondelete="RESTRICT"), index=True
    )
    compound_id: Mapped[int] = mapped_column(
        ForeignKey("compound.id", ondelete="CASCADE"), index=True
    )
    location: Mapped[str] = mapped_column(String(64), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    reporter: Mapped[str] = mapped_column(String(32), default="")
    reported_on: Mapped[dt.date]
    # The handler is the grid worker of this grid.
    grid_id: Mapped[int | None] = mapped_column(
        ForeignKey("grid.id", ondelete="SET NULL"), index=True
    )
    # Who handled it: a person of the 治理力量 roster, in the capacity of one of their roles.
    handler_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("force_person.id", ondelete="SET NULL"), index=True
    )
    handler_kind: Mapped[str] = mapped_column(String(16), default="")
    deadline: Mapped[dt.date | None]
    status: Mapped[str] = mapped_column(String(4), default="待处理")
    resolution: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[dt.date | None]


__all__ = [
    "DEFAULT_PROBLEM_CATEGORIES",
    "MEETING_KINDS",
    "ORGANISATION_KINDS",
    "PROBLEM_STATUSES",
    "CompoundConvention",
    "Meeting",
    "Organisation",
    "Problem",
    "ProblemCategory",
    "Resolution",
]
