"""The compound registry: compound → building → household → resident."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base

MANAGEMENT_MODES = ("无主管", "公办物业", "市场化物业", "单位自管", "居民自治")
HOUSEHOLD_STATUSES = ("自住", "出租", "空置", "商铺")
RESIDENT_TAGS = ("党员", "60岁以上", "低保", "残疾", "独居", "志愿者", "退役军人")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Compound(Base):
    """楼院."""

    __tablename__ = "compound"
    __table_args__ = (
        UniqueConstraint("community_id", "name"),
        CheckConstraint(_in("management_mode", MANAGEMENT_MODES), name="management_mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("community.id", ondelete="RESTRICT"), index=True
    )
    grid_id: Mapped[int | None] = mapped_column(
        ForeignKey("grid.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(64))
    # Pinyin of name and address, kept for search: full syllables and initials, lowercase.
    name_pinyin: Mapped[str] = mapped_column(String(256), default="")
    name_initials: Mapped[str] = mapped_column(String(64), default="")
    address: Mapped[str] = mapped_column(String(128), default="")
    address_initials: Mapped[str] = mapped_column(String(128), default="")
    management_mode: Mapped[str] = mapped_column(String(8), default="无主管")
    manager_name: Mapped[str] = mapped_column(String(64), default="")
    manager_contact: Mapped[str] = mapped_column(String(32), default="")
    build_year: Mapped[int | None]
    head_name: Mapped[str] = mapped_column(String(32), default="")
    head_phone: Mapped[str] = mapped_column(String(20), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Bumped by every save; a form saves only over the version it showed (stale writes).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class Building(Base):
    """楼栋. `name` is the building number as written ("3", "3A"); `sort_key` orders them."""

    __tablename__ = "building"
    __table_args__ = (UniqueConstraint("compound_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(
        ForeignKey("compound.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(16))
    sort_key: Mapped[int] = mapped_column(default=0)
    floors: Mapped[int | None]


class Household(Base):
    """户: one dwelling (unit + room) of a building, with its householder.

    `compound_id` repeats the building's compound so that lists and the uniqueness rule
    (compound, building, unit, room) need no join. Area is kept in hundredths of a m².
    """

    __tablename__ = "household"
    __table_args__ = (
        UniqueConstraint("compound_id", "building_id", "unit", "room"),
        CheckConstraint("area_centi > 0", name="area_positive"),
        CheckConstraint(_in("status", HOUSEHOLD_STATUSES), name="status"),
        Index("ix_household_compound_order", "compound_id", "building_id", "unit", "floor"),
        # Sort orders of the household list, each served by an index (ORDER BY x, id).
        Index("ix_household_name_pinyin", "householder_pinyin"),
        Index("ix_household_initials", "householder_initials"),
        Index("ix_household_area", "area_centi"),
        Index("ix_household_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id", ondelete="RESTRICT"))
    building_id: Mapped[int] = mapped_column(
        ForeignKey("building.id", ondelete="RESTRICT"), index=True
    )
    unit: Mapped[str] = mapped_column(String(8), default="")
    floor: Mapped[int | None]
    room: Mapped[str] = mapped_column(String(16))
    area_centi: Mapped[int]
    status: Mapped[str] = mapped_column(String(4), default="自住")
    householder_name: Mapped[str] = mapped_column(String(32), default="")
    householder_pinyin: Mapped[str] = mapped_column(String(128), default="")
    householder_initials: Mapped[str] = mapped_column(String(32), default="")
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Bumped by every save; a form saves only over the version it showed (stale writes).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class Resident(Base):
    """居民 living in a household."""

    __tablename__ = "resident"
    __table_args__ = (CheckConstraint("gender IN ('男', '女', '')", name="gender"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(32))
    name_initials: Mapped[str] = mapped_column(String(32), default="")
    gender: Mapped[str] = mapped_column(String(1), default="")
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    birth_date: Mapped[dt.date | None]
    phone: Mapped[str | None] = mapped_column(String(20))
    relation: Mapped[str] = mapped_column(String(16), default="")
    # Bumped by every save; a form saves only over the version it showed (stale writes).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class ResidentTag(Base):
    """One tag (党员, 低保, ...) of a resident."""

    __tablename__ = "resident_tag"
    __table_args__ = (CheckConstraint(_in("tag", RESIDENT_TAGS), name="tag"),)

    resident_id: Mapped[int] = mapped_column(
        ForeignKey("resident.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(8), primary_key=True, index=True)
