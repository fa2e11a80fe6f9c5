"""Use cases for compounds, buildings and the reference lists (communities, grids)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app import audit
from app.audit import Actor
from app.auth import Permission, require
from app.errors import NotFound
from app.registry.dto import (
    BuildingRow,
    CommunityRef,
    CompoundDetail,
    CompoundFilter,
    CompoundInput,
    CompoundRow,
    GridRef,
)
from app.registry.errors import BuildingNotEmpty, CompoundNotEmpty, RecordsAttached, ValidationError
from app.registry.queries import like_escape
from app.registry.validation import (
    FieldError,
    centi_to_area,
    clean_building,
    clean_name,
    clean_phone,
    sort_key_of,
)
from app.text import fold, is_pinyin_query, pinyin_of, plain
from app.versions import claim
from db.models import (
    MANAGEMENT_MODES,
    AuditEntry,
    Building,
    Community,
    Compound,
    ForcePerson,
    ForceRole,
    Grid,
    Household,
    Resident,
    Street,
)

_NO_COUNTS = {"buildings": 0, "households": 0, "residents": 0}


def _registry_mark(s: Session) -> tuple[Any, ...]:
    """Changes whenever a building, household or resident is added (their highest ids), or
    anything is changed or deleted (every such write adds an audit entry)."""
    return tuple(
        s.execute(
            select(
                select(func.max(Building.id)).scalar_subquery(),
                select(func.max(Household.id)).scalar_subquery(),
                select(func.max(Resident.id)).scalar_subquery(),
                select(func.max(AuditEntry.id)).scalar_subquery(),
            )
        ).one()
    )


# Up to this many compounds are counted on their own when the kept figures are stale (by
# their index: milliseconds) rather than recounting every compound.
FEW = 3


def _count_all(s: Session, only: list[int] | None = None) -> dict[int, dict[str, int]]:
    """Every compound's (or `only` these compounds') buildings, households and residents."""
    out: dict[int, dict[str, int]] = {i: dict(_NO_COUNTS) for i in only or ()}
    for key, query in (
        ("buildings", select(Building.compound_id, func.count()).group_by(Building.compound_id)),
        (
            "households",
            select(Household.compound_id, func.count()).group_by(Household.compound_id),
        ),
        (
            "residents",
            select(Household.compound_id, func.count(Resident.id))
            .join(Resident, Resident.household_id == Household.id)
            .group_by(Household.compound_id),
        ),
    ):
        if only is not None:
            compound_id = Building.compound_id if key == "buildings" else Household.compound_id
            query = query.where(compound_id.in_(only))
        for cid, n in s.execute(query):
            out.setdefault(cid, dict(_NO_COUNTS))[key] = n
    return out


def grid_paths(grids: list[Grid]) -> dict[int, str]:
    """Each grid's path from its root, e.g. "第一网格 / 2号微网格"."""
    by_id = {g.id: g for g in grids}
    paths: dict[int, str] = {}

    def path(g: Grid) -> str:
        if g.id not in paths:
            parent = by_id.get(g.parent_id) if g.parent_id else None
            paths[g.id] = f"{path(parent)} / {g.name}" if parent else g.name
        return paths[g.id]

    for g in grids:
        path(g)
    return paths


def grid_workers(s: Session, as_of: dt.date | None = None) -> dict[int, tuple[str, str]]:
    """grid id → (names, phone of the first) of the people holding a 网格员 role on the grid
    on `as_of` (default today); the grid worker is a role of the 治理力量 roster."""
    day = as_of or dt.date.today()
    rows = s.execute(
        select(ForceRole.grid_id, ForcePerson.name, ForcePerson.phone)
        .join(ForcePerson, ForcePerson.id == ForceRole.person_id)
        .where(
            ForceRole.kind == "网格员",
            ForceRole.grid_id.is_not(None),
            or_(ForceRole.start_on.is_(None), ForceRole.start_on <= day),
            or_(ForceRole.end_on.is_(None), ForceRole.end_on >= day),
        )
        .order_by(ForceRole.grid_id, ForceRole.id)
    ).all()
    out: dict[int, tuple[str, str]] = {}
    for gid, name, phone in rows:
        if gid is None:
            continue
        if gid in out:
            names, first = out[gid]
            out[gid] = (f"{names}、{name}", first)
        else:
            out[gid] = (name, phone or "")
    return out


def grid_subtree(s: Session, grid_id: int) -> list[int]:
    """A grid and all grids below it."""
    rows = s.execute(select(Grid.id, Grid.parent_id)).all()
    children: dict[int, list[int]] = {}
    for gid, parent in rows:
        if parent is not None:
            children.setdefault(parent, []).append(gid)
    out, todo = [], [grid_id]
    while todo:
        gid = todo.pop()
        out.append(gid)
        todo.extend(children.get(gid, []))
    return out


class CompoundService:
    """Compounds, their buildings, and the communities and grids they sit in."""

    def __init__(self, sessions: sessionmaker[Session], actor: Actor) -> None:
        self._sessions = sessions
        self._actor = actor
        # (registry mark, counts per compound): see _counts.
        self._figures: tuple[tuple[Any, ...], dict[int, dict[str, int]]] | None = None

    # -- reference lists -------------------------------------------------------------------

    def communities(self) -> list[CommunityRef]:
        with self._sessions() as s:
            rows = s.execute(
                select(Community.id, Community.name, Street.name)
                .join(Street, Street.id == Community.street_id)
                .order_by(Street.name, Community.name, Community.id)
            ).all()
        return [CommunityRef(*r) for r in rows]

    def grids(self, community_id: int | None = None) -> list[GridRef]:
        """Grids in tree order (parents before children)."""
        with self._sessions() as s:
            grids = list(s.scalars(select(Grid).order_by(Grid.level, Grid.name, Grid.id)))
            workers = grid_workers(s)
        paths = grid_paths(grids)
        chosen = [g for g in grids if community_id is None or g.community_id == community_id]
        chosen.sort(key=lambda g: (g.community_id, paths[g.id]))
        return [
            GridRef(
                g.id,
                g.community_id,
                g.parent_id,
                g.level,
                g.name,
                *workers.get(g.id, ("", "")),
                paths[g.id],
            )
            for g in chosen
        ]

    # -- compounds -------------------------------------------------------------------------

    def list_compounds(self, flt: CompoundFilter = CompoundFilter()) -> list[CompoundRow]:
        """Compounds matching the filter, by community and name, with their counts."""
        with self._sessions() as s:
            rows = s.execute(self._compound_query(s, flt)).all()
            counts = self._counts(s, [r.id for r in rows])
            return self._rows(s, rows, counts)

    def list_compounds_at_once(
        self, flt: CompoundFilter = CompoundFilter()
    ) -> tuple[list[CompoundRow], bool]:
        """The compounds matching the filter without waiting for a recount: with their
        counts when the figures kept are current (then `True`), else with zero counts and
        `False` (count them with `list_compounds`, e.g. in the background)."""
        with self._sessions() as s:
            rows = s.execute(self._compound_query(s, flt)).all()
            counted = self._figures is not None and self._figures[0] == _registry_mark(s)
            figures = self._figures[1] if counted and self._figures is not None else {}
            return self._rows(s, rows, figures), counted

    @staticmethod
    def _rows(
        s: Session, rows: Sequence[Any], counts: dict[int, dict[str, int]]
    ) -> list[CompoundRow]:
        """`_compound_query`'s rows as CompoundRows, with the counts given (zero if none)."""
        grids = grid_paths(list(s.scalars(select(Grid))))
        return [
            CompoundRow(
                id=r.id,
                name=r.name,
                community_name=r.community,
                address=r.address,
                grid_name=grids.get(r.grid_id, "") if r.grid_id else "",
                management_mode=r.management_mode,
                manager_name=r.manager_name,
                head_name=r.head_name,
                version=r.version,
                **counts.get(r.id, _NO_COUNTS),
            )
            for r in rows
        ]

    def choices(self, flt: CompoundFilter = CompoundFilter()) -> list[CompoundRow]:
        """The compounds for a picker (name, community, mode), in the list's order, at once:
        their figures are only filled in when already counted (zero otherwise)."""
        return self.list_compounds_at_once(flt)[0]

    def _compound_query(self, s: Session, flt: CompoundFilter) -> Select[*tuple[Any, ...]]:
        query: Select[*tuple[Any, ...]] = (
            select(
                Compound.id,
                Compound.name,
                Compound.address,
                Compound.grid_id,
                Compound.management_mode,
                Compound.manager_name,
                Compound.head_name,
                Community.name.label("community"),
                Compound.version,
            )
            .join(Community, Community.id == Compound.community_id)
            .order_by(Community.name, Compound.name_pinyin, Compound.id)
        )
        if flt.community_id is not None:
            query = query.where(Compound.community_id == flt.community_id)
        if flt.grid_id is not None:
            query = query.where(Compound.grid_id.in_(grid_subtree(s, flt.grid_id)))
        if flt.management_mode:
            query = query.where(Compound.management_mode == flt.management_mode)
        text = fold(flt.text)
        if text:
            query = query.where(self._compound_text(text))
        return query

    @staticmethod
    def _compound_text(text: str) -> ColumnElement[bool]:
        pattern = f"%{like_escape(text)}%"
        conds = [
            Compound.name.like(pattern, escape="\\"),
            Compound.address.like(pattern, escape="\\"),
            Compound.head_name.like(pattern, escape="\\"),
            Compound.manager_name.like(pattern, escape="\\"),
        ]
        if is_pinyin_query(text):
            low = like_escape(text.lower().replace(" ", ""))
            conds += [
                Compound.name_initials.like(f"%{low}%", escape="\\"),
                Compound.name_pinyin.like(f"%{low}%", escape="\\"),
                Compound.address_initials.like(f"%{low}%", escape="\\"),
            ]
        return or_(*conds)

    def _counts(self, s: Session, ids: list[int]) -> dict[int, dict[str, int]]:
        """Buildings, households and residents of these compounds, from figures counted
        once and kept while the registry is unchanged (a recount over 200,000 households
        costs ~0.3-1.4 s; the check whether anything changed costs four index lookups)."""
        if not ids:
            return {}
        mark = _registry_mark(s)
        if (self._figures is None or self._figures[0] != mark) and len(ids) <= FEW:
            return _count_all(s, ids)  # one compound's detail: its own rows only
        if self._figures is None or self._figures[0] != mark:
            self._figures = (mark, _count_all(s))
        figures = self._figures[1]
        return {i: dict(figures.get(i, _NO_COUNTS)) for i in ids}

    def get_compound(self, compound_id: int) -> CompoundDetail:
        with self._sessions() as s:
            c = s.get(Compound, compound_id)
            if c is None:
                raise NotFound("该楼院不存在或已被删除")
            community = s.get_one(Community, c.community_id)
            grids = grid_paths(list(s.scalars(select(Grid))))
            counts = self._counts(s, [c.id])[c.id]
            area = (
                s.scalar(
                    select(func.coalesce(func.sum(Household.area_centi), 0)).where(
                        Household.compound_id == c.id
                    )
                )
                or 0
            )
            return CompoundDetail(
                id=c.id,
                data=_compound_input(c),
                community_name=community.name,
                grid_path=grids.get(c.grid_id, "") if c.grid_id else "",
                total_area=centi_to_area(int(area)),
                version=c.version,
                **counts,
            )

    def validate_compound(self, data: CompoundInput) -> dict[str, str]:
        """Field → message for every broken rule that needs no database."""
        errors: dict[str, str] = {}
        try:
            clean_name(data.name, field="楼院名称", max_len=64, person=False)
        except FieldError as exc:
            errors["name"] = str(exc)
        if data.management_mode not in MANAGEMENT_MODES:
            errors["management_mode"] = "请选择管理模式"
        if data.build_year is not None and not 1900 <= data.build_year <= 2100:
            errors["build_year"] = "建成年份应在1900至2100之间"
        for key in ("head_phone", "manager_contact"):
            value = getattr(data, key)
            if value.strip():
                try:
                    clean_phone(value)
                except FieldError as exc:
                    errors[key] = str(exc)
        return errors

    def _require_edit(self) -> None:
        require(self._actor, Permission.EDIT_REGISTRY)

    def _apply(self, s: Session, c: Compound, data: CompoundInput) -> None:
        errors = self.validate_compound(data)
        if s.get(Community, data.community_id) is None:
            errors["community_id"] = "请选择所属社区"
        name = fold(data.name)
        clash = s.scalar(
            select(Compound.id).where(
                Compound.community_id == data.community_id,
                Compound.name == name,
                Compound.id != c.id,
            )
        )
        if clash is not None:
            errors["name"] = "本社区已有同名楼院"
        if errors:
            raise ValidationError(errors)
        c.name, c.community_id, c.grid_id = name, data.community_id, data.grid_id
        c.name_pinyin, c.name_initials = pinyin_of(name)
        c.address = fold(data.address)
        c.address_initials = pinyin_of(c.address)[1]
        c.management_mode = data.management_mode
        c.manager_name, c.manager_contact = fold(data.manager_name), fold(data.manager_contact)
        c.build_year, c.head_name = data.build_year, fold(data.head_name)
        c.head_phone = clean_phone(data.head_phone) if data.head_phone.strip() else ""
        c.notes = plain(data.notes).strip()

    def create_compound(self, data: CompoundInput) -> int:
        self._require_edit()
        with self._sessions.begin() as s:
            c = Compound(id=None)
            self._apply(s, c, data)
            s.add(c)
            s.flush()
            audit.record(s, self._actor, "create", "compound", c.id, after=asdict(data))
            return c.id

    def update_compound(
        self, compound_id: int, data: CompoundInput, *, expected_version: int | None = None
    ) -> None:
        """Save the compound over `expected_version` (the one the form showed).

        Raises:
            StaleWrite: someone saved the compound since (nothing is saved).
        """
        self._require_edit()
        with self._sessions.begin() as s:
            claim(
                s, Compound, compound_id, expected_version,
                what="该楼院", missing="该楼院不存在或已被删除",
            )  # fmt: skip
            c = s.get(Compound, compound_id)
            if c is None:
                raise NotFound("该楼院不存在或已被删除")
            before = asdict(_compound_input(c))
            self._apply(s, c, data)
            old, new = audit.changed(before, asdict(_compound_input(c)))
            if new:
                audit.record(s, self._actor, "update", "compound", c.id, before=old, after=new)

    def delete_compound(
        self,
        compound_id: int,
        *,
        with_households: bool = False,
        expected_version: int | None = None,
    ) -> None:
        """Delete a compound; one with households needs `with_households=True`; with
        `expected_version` (the version the list showed), only when nobody changed it since.

        Raises:
            CompoundNotEmpty: it has households and the caller did not confirm.
            StaleWrite: someone saved the compound since the list showed it.
        """
        self._require_edit()
        try:
            self._delete_compound(compound_id, with_households, expected_version)
        except IntegrityError as exc:
            raise RecordsAttached("楼院") from exc

    def _delete_compound(
        self, compound_id: int, with_households: bool, expected_version: int | None
    ) -> None:
        with self._sessions.begin() as s:
            claim(
                s, Compound, compound_id, expected_version,
                what="该楼院", missing="该楼院不存在或已被删除",
            )  # fmt: skip
            c = s.get(Compound, compound_id)
            if c is None:
                raise NotFound("该楼院不存在或已被删除")
            n = s.scalar(select(func.count()).where(Household.compound_id == c.id)) or 0
            if n and not with_households:
                raise CompoundNotEmpty(c.name, n)
            hh = select(Household.id).where(Household.compound_id == c.id)
            s.execute(delete(Resident).where(Resident.household_id.in_(hh)))
            s.execute(delete(Household).where(Household.compound_id == c.id))
            s.execute(delete(Building).where(Building.compound_id == c.id))
            s.delete(c)
            audit.record(
                s,
                self._actor,
                "delete",
                "compound",
                compound_id,
                before={"name": c.name, "households": n},
            )

    # -- buildings -------------------------------------------------------------------------

    def list_buildings(self, compound_id: int) -> list[BuildingRow]:
        with self._sessions() as s:
            rows = s.execute(
                select(
                    Building.id,
                    Building.name,
                    Building.floors,
                    func.count(Household.id),
                    func.coalesce(func.sum(Household.area_centi), 0),
                )
                .outerjoin(Household, Household.building_id == Building.id)
                .where(Building.compound_id == compound_id)
                .group_by(Building.id, Building.name, Building.floors, Building.sort_key)
                .order_by(Building.sort_key, Building.name, Building.id)
            ).all()
        return [
            BuildingRow(r[0], compound_id, r[1], r[2], r[3], centi_to_area(int(r[4]))) for r in rows
        ]

    def add_building(self, compound_id: int, label: str, floors: int | None = None) -> int:
        self._require_edit()
        with self._sessions.begin() as s:
            if s.get(Compound, compound_id) is None:
                raise NotFound("该楼院不存在或已被删除")
            try:
                name = clean_building(label)
            except FieldError as exc:
                raise ValidationError({"building": str(exc)}) from exc
            if s.scalar(
                select(Building.id).where(
                    Building.compound_id == compound_id, Building.name == name
                )
            ):
                raise ValidationError({"building": f"{name}号楼已存在"})
            b = Building(
                compound_id=compound_id, name=name, sort_key=sort_key_of(name), floors=floors
            )
            s.add(b)
            s.flush()
            audit.record(
                s, self._actor, "create", "building", b.id,
                after={"compound_id": compound_id, "name": name, "floors": floors},
            )  # fmt: skip
            return b.id

    def delete_building(self, building_id: int) -> None:
        self._require_edit()
        with self._sessions.begin() as s:
            b = s.get(Building, building_id)
            if b is None:
                raise NotFound("该楼栋不存在或已被删除")
            n = s.scalar(select(func.count()).where(Household.building_id == b.id)) or 0
            if n:
                raise BuildingNotEmpty(b.name, n)
            audit.record(
                s, self._actor, "delete", "building", b.id,
                before={"compound_id": b.compound_id, "name": b.name},
            )  # fmt: skip
            s.delete(b)


def _compound_input(c: Compound) -> CompoundInput:
    return CompoundInput(
        name=c.name,
        community_id=c.community_id,
        address=c.address,
        grid_id=c.grid_id,
        management_mode=c.management_mode,
        manager_name=c.manager_name,
        manager_contact=c.manager_contact,
        build_year=c.build_year,
        head_name=c.head_name,
        head_phone=c.head_phone,
        notes=c.notes,
    )
