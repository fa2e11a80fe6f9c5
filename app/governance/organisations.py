"""三类组织 per compound, the compound's convention, and coverage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app import audit
from app.audit import Actor
from app.auth import Permission, require
from app.errors import NotFound
from app.governance.dto import (
    KINDS,
    CommunityCoverage,
    CompoundCoverage,
    Convention,
    OrganisationInput,
    OrganisationRow,
)
from app.governance.errors import GovernanceError, need
from app.registry.compounds import grid_paths
from app.registry.validation import FieldError, clean_phone
from app.text import fold
from db.models import Community, Compound, CompoundConvention, Grid, Organisation

TOTAL = "合计"


class GovernanceBase:
    """Sessions, the acting user and the edit check shared by the governance services."""

    def __init__(self, sessions: sessionmaker[Session], actor: Actor) -> None:
        self._sessions = sessions
        self._actor = actor

    def _require_edit(self) -> None:
        require(self._actor, Permission.EDIT_GOVERNANCE)


def pairs(rows: Iterable[Any]) -> dict[Any, Any]:
    """Two-column rows as a dict (first column → second)."""
    return {key: value for key, value in rows}


def compound_names(s: Session) -> dict[int, tuple[str, str]]:
    """compound id → (compound name, community name)."""
    rows = s.execute(
        select(Compound.id, Compound.name, Community.name).join(
            Community, Community.id == Compound.community_id
        )
    ).all()
    return {cid: (name, community) for cid, name, community in rows}


def clean_organisation(data: OrganisationInput) -> OrganisationInput:
    """The input with text folded; raises GovernanceError on a broken rule."""
    need(data.kind in KINDS, "请选择组织类别（党组织、自治组织或志愿服务组织）")
    name = fold(data.name)
    need(bool(name), "请填写组织名称")
    need(len(name) <= 64, "组织名称过长（最多64个字）")
    need(data.members >= 0, "成员人数不能为负数")
    need(data.members <= 100_000, "成员人数过大")
    contact = fold(data.contact)
    if contact:
        try:
            contact = clean_phone(contact)
        except FieldError as exc:
            raise GovernanceError(f"联系电话：{exc}") from exc
    return OrganisationInput(
        data.kind, name, fold(data.leader), contact, data.members, data.founded
    )


class OrganisationService(GovernanceBase):
    """The organisations of each compound, its convention, and 三类组织 coverage."""

    def list_organisations(
        self, compound_id: int | None = None, *, grid_id: int | None = None
    ) -> list[OrganisationRow]:
        """Organisations of one compound, of one grid, or all (grid ones too), by place,
        kind and name; a grid's organisation names its grid as `compound_name` (网格: …)."""
        order = {k: n for n, k in enumerate(KINDS)}
        with self._sessions() as s:
            names = compound_names(s)
            grids = grid_paths(list(s.scalars(select(Grid))))
            query = select(Organisation)
            if compound_id is not None:
                query = query.where(Organisation.compound_id == compound_id)
            if grid_id is not None:
                query = query.where(Organisation.grid_id == grid_id)
            orgs = list(s.scalars(query.order_by(Organisation.id)))
            rows = [
                OrganisationRow(
                    o.id,
                    o.compound_id,
                    names[o.compound_id][0]
                    if o.compound_id is not None
                    else f"网格：{grids.get(o.grid_id or 0, '')}",
                    o.kind,
                    o.name,
                    o.leader,
                    o.contact,
                    o.members,
                    o.founded,
                    o.grid_id,
                )
                for o in orgs
            ]
        rows.sort(key=lambda r: (r.compound_name, order[r.kind], r.name, r.id))
        return rows

    def add_organisation(self, compound_id: int, data: OrganisationInput) -> int:
        self._require_edit()
        clean = clean_organisation(data)
        with self._sessions.begin() as s:
            if s.get(Compound, compound_id) is None:
                raise NotFound("该楼院不存在或已被删除")
            org = Organisation(compound_id=compound_id, **asdict(clean))
            s.add(org)
            s.flush()
            audit.record(s, self._actor, "create", "organisation", org.id, after=asdict(clean))
            return org.id

    def add_grid_organisation(self, grid_id: int, data: OrganisationInput) -> int:
        """An organisation sitting on a grid, e.g. a 网格党支部 (支部建在网格上)."""
        self._require_edit()
        clean = clean_organisation(data)
        with self._sessions.begin() as s:
            if s.get(Grid, grid_id) is None:
                raise NotFound("该网格不存在或已被删除")
            org = Organisation(grid_id=grid_id, **asdict(clean))
            s.add(org)
            s.flush()
            audit.record(
                s,
                self._actor,
                "create",
                "organisation",
                org.id,
                after={**asdict(clean), "grid_id": grid_id},
            )
            return org.id

    def update_organisation(self, organisation_id: int, data: OrganisationInput) -> None:
        self._require_edit()
        clean = clean_organisation(data)
        with self._sessions.begin() as s:
            org = s.get(Organisation, organisation_id)
            if org is None:
                raise NotFound("该组织不存在或已被删除")
            for key, value in asdict(clean).items():
                setattr(org, key, value)
            audit.record(s, self._actor, "update", "organisation", org.id, after=asdict(clean))

    def delete_organisation(self, organisation_id: int) -> None:
        self._require_edit()
        with self._sessions.begin() as s:
            org = s.get(Organisation, organisation_id)
            if org is None:
                raise NotFound("该组织不存在或已被删除")
            s.delete(org)
            audit.record(s, self._actor, "delete", "organisation", organisation_id)

    # -- convention ------------------------------------------------------------------------

    def convention(self, compound_id: int) -> Convention:
        with self._sessions() as s:
            row = s.get(CompoundConvention, compound_id)
        if row is None:
            return Convention(compound_id, "", None)
        return Convention(compound_id, row.text, row.adopted_on)

    def save_convention(self, compound_id: int, text: str, adopted_on: dt.date | None) -> None:
        """Store the convention (楼院公约); an empty text with no date removes it."""
        self._require_edit()
        text = text.strip()
        need(not (adopted_on and not text), "请填写公约内容，或清除通过日期")
        with self._sessions.begin() as s:
            if s.get(Compound, compound_id) is None:
                raise NotFound("该楼院不存在或已被删除")
            row = s.get(CompoundConvention, compound_id)
            if not text:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(CompoundConvention(compound_id=compound_id, text=text, adopted_on=adopted_on))
            else:
                row.text, row.adopted_on = text, adopted_on
            audit.record(s, self._actor, "update", "compound_convention", compound_id)

    # -- coverage --------------------------------------------------------------------------

    def compound_coverage(self, community_id: int | None = None) -> list[CompoundCoverage]:
        """Each compound with the kinds it has, by community and name."""
        with self._sessions() as s:
            return coverage_rows(s, community_id)

    def missing(self, community_id: int | None = None) -> list[CompoundCoverage]:
        """The compounds that lack at least one of the three kinds."""
        return [c for c in self.compound_coverage(community_id) if not c.complete]

    def coverage(self) -> list[CommunityCoverage]:
        """Coverage per community, then the total (community_name 合计)."""
        rows = self.compound_coverage()
        return summarise_coverage(rows)


def coverage_rows(s: Session, community_id: int | None = None) -> list[CompoundCoverage]:
    query = select(Compound.id, Compound.name, Community.name).join(
        Community, Community.id == Compound.community_id
    )
    if community_id is not None:
        query = query.where(Compound.community_id == community_id)
    compounds = s.execute(query.order_by(Community.name, Compound.name, Compound.id)).all()
    kinds: dict[int, set[str]] = {}
    for cid, kind in s.execute(select(Organisation.compound_id, Organisation.kind).distinct()):
        if cid is not None:  # organisations on grids count for the grids, not here
            kinds.setdefault(cid, set()).add(kind)
    return [
        CompoundCoverage(
            cid, name, community, tuple(k for k in KINDS if k in kinds.get(cid, set()))
        )
        for cid, name, community in compounds
    ]


def summarise_coverage(rows: list[CompoundCoverage]) -> list[CommunityCoverage]:
    """Per community (in the rows' order) and 合计 last."""
    groups: dict[str, list[CompoundCoverage]] = {}
    for r in rows:
        groups.setdefault(r.community_name, []).append(r)
    out = [_coverage_of(name, group) for name, group in groups.items()]
    out.append(_coverage_of(TOTAL, rows))
    return out


def _coverage_of(name: str, rows: list[CompoundCoverage]) -> CommunityCoverage:
    return CommunityCoverage(
        name,
        len(rows),
        sum(1 for r in rows if r.complete),
        {k: sum(1 for r in rows if k in r.present) for k in KINDS},
    )
