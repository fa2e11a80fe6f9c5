"""The people who govern (治理力量): persons with roles, organisation members, property
companies and the compounds they serve, recognitions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base

# The kinds of force the bulletins name; the grid worker (网格员) is one of them.
FORCE_KINDS = (
    "社区工作者",
    "网格员",
    "网格年轻历练干部",
    "楼院长",
    "楼栋长",
    "单元长",
    "党员中心户",
    "五老",
    "志愿者",
    "物业人员",
    "新就业群体",
)
# The sub-kind a role of these kinds must name ("" for the others).
FORCE_SUBKINDS = {
    "网格员": ("专职", "兼职"),
    "新就业群体": ("外卖骑手", "快递员", "网约车司机", "其他"),
}
COMPANY_KINDS = ("公办", "市场化")
RECOGNITION_KINDS = ("服务之星", "优秀服务项目")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class ForcePerson(Base):
    """One person of the 治理力量 roster: a resident of the area, or someone standalone."""

    __tablename__ = "force_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("resident.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(32))
    phone: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")


class ForceRole(Base):
    """A role a person holds, tied to a grid, a compound, a building or a property company,
    from `start_on` to `end_on` (None: still held)."""

    __tablename__ = "force_role"
    __table_args__ = (
        CheckConstraint(_in("kind", FORCE_KINDS), name="kind"),
        CheckConstraint(
            "grid_id IS NOT NULL OR compound_id IS NOT NULL OR building_id IS NOT NULL "
            "OR company_id IS NOT NULL",
            name="place",
        ),
        CheckConstraint("end_on IS NULL OR start_on IS NULL OR end_on >= start_on", name="dates"),
        Index("ix_force_role_kind", "kind", "subkind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("force_person.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    subkind: Mapped[str] = mapped_column(String(8), default="")
    # The post held (e.g. 副经理 in a property company), free text.
    post: Mapped[str] = mapped_column(String(32), default="")
    grid_id: Mapped[int | None] = mapped_column(
        ForeignKey("grid.id", ondelete="CASCADE"), index=True
    )
    compound_id: Mapped[int | None] = mapped_column(
        ForeignKey("compound.id", ondelete="CASCADE"), index=True
    )
    building_id: Mapped[int | None] = mapped_column(
        ForeignKey("building.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("property_company.id", ondelete="CASCADE"), index=True
    )
    start_on: Mapped[dt.date | None]
    end_on: Mapped[dt.date | None]


class OrganisationMember(Base):
    """A person in an organisation, with their role in it (书记, 委员, 会长, 成员 …)."""

    __tablename__ = "organisation_member"
    __table_args__ = (UniqueConstraint("organisation_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("force_person.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16), default="成员")


class PropertyCompany(Base):
    """A property company: 公办 (formed by the street) or 市场化."""

    __tablename__ = "property_company"
    __table_args__ = (CheckConstraint(_in("kind", COMPANY_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    contact: Mapped[str] = mapped_column(String(32), default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    founded: Mapped[dt.date | None]
    notes: Mapped[str] = mapped_column(Text, default="")


class CompanyCompound(Base):
    """A compound a company serves, since when (and until when, when it has left);
    `was_ownerless`: the compound was 无主管 when the company took it over."""

    __tablename__ = "company_compound"
    __table_args__ = (
        CheckConstraint("until_on IS NULL OR until_on >= since", name="dates"),
        UniqueConstraint("company_id", "compound_id", "since"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("property_company.id", ondelete="CASCADE"), index=True
    )
    compound_id: Mapped[int] = mapped_column(
        ForeignKey("compound.id", ondelete="CASCADE"), index=True
    )
    since: Mapped[dt.date]
    until_on: Mapped[dt.date | None]
    was_ownerless: Mapped[bool] = mapped_column(default=False)


class Recognition(Base):
    """评选认定: a 服务之星 (a person) or an 优秀服务项目 (a project), with its year."""

    __tablename__ = "recognition"
    __table_args__ = (
        CheckConstraint(_in("kind", RECOGNITION_KINDS), name="kind"),
        CheckConstraint("year BETWEEN 1949 AND 2200", name="year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("force_person.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")


__all__ = [
    "COMPANY_KINDS",
    "FORCE_KINDS",
    "FORCE_SUBKINDS",
    "RECOGNITION_KINDS",
    "CompanyCompound",
    "ForcePerson",
    "ForceRole",
    "OrganisationMember",
    "PropertyCompany",
    "Recognition",
]
