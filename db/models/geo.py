"""Administrative geography: street, community, grid tree."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Street(Base):
    """街道."""

    __tablename__ = "street"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)


class Community(Base):
    """社区."""

    __tablename__ = "community"
    __table_args__ = (UniqueConstraint("street_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("street.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(64))


class Grid(Base):
    """网格: level 1-3 grids and level 4 micro-grids, as a tree inside one community.

    `exclusive` marks a 专属网格 (a business district, a market, a campus: not a set of
    compounds). Grid workers are roles (网格员) of the 治理力量 roster."""

    __tablename__ = "grid"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 4", name="level"),
        UniqueConstraint("community_id", "parent_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("community.id", ondelete="RESTRICT"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("grid.id", ondelete="RESTRICT"), index=True
    )
    level: Mapped[int]
    name: Mapped[str] = mapped_column(String(64))
    exclusive: Mapped[bool] = mapped_column(default=False)
