"""Governance figures: 办结率 and average days by category, compound and grid; grid roll-ups;
the summary `louyuan stats --json` prints."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import Actor
from app.governance.dto import (
    CLOSED,
    KINDS,
    ClosureRow,
    CompoundCoverage,
    GridRollup,
)
from app.governance.forces import ForceService
from app.governance.organisations import GovernanceBase, coverage_rows, pairs, summarise_coverage
from app.governance.problems import is_overdue
from app.registry.compounds import grid_paths, grid_workers
from db.models import (
    RESIDENT_TAGS,
    Community,
    Compound,
    Grid,
    Household,
    Meeting,
    Organisation,
    Problem,
    ProblemCategory,
    Resident,
    ResidentTag,
    Resolution,
)

LEVELS = {1: "一级网格", 2: "二级网格", 3: "三级网格", 4: "微网格"}


@dataclass(frozen=True)
class _Fact:
    """One problem, as the figures need it."""

    category_id: int
    compound_id: int
    closed: bool
    overdue: bool
    days: int  # report → closure, closed problems only


def tally(key: int, name: str, facts: Iterable[_Fact]) -> ClosureRow:
    total = closed = overdue = days = 0
    for f in facts:
        total += 1
        closed += f.closed
        overdue += f.overdue
        days += f.days
    return ClosureRow(key, name, total, closed, overdue, days)


class GovernanceFigures(GovernanceBase):
    """Read-only figures over organisations, meetings and problems."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        actor: Actor,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(sessions, actor)
        self.today = today

    def _facts(self, s: Session, community_id: int | None) -> list[_Fact]:
        as_of = self.today()
        query = select(
            Problem.category_id,
            Problem.compound_id,
            Problem.status,
            Problem.reported_on,
            Problem.deadline,
            Problem.closed_on,
        )
        if community_id is not None:
            query = query.join(Compound, Compound.id == Problem.compound_id).where(
                Compound.community_id == community_id
            )
        return [
            _Fact(
                cat,
                cid,
                status == CLOSED,
                is_overdue(status, deadline, as_of),
                (closed_on - reported).days if status == CLOSED and closed_on else 0,
            )
            for cat, cid, status, reported, deadline, closed_on in s.execute(query)
        ]

    def closure_by_category(self, community_id: int | None = None) -> list[ClosureRow]:
        """Every category in list order (empty ones too)."""
        with self._sessions() as s:
            facts = self._facts(s, community_id)
            cats = s.execute(
                select(ProblemCategory.id, ProblemCategory.name).order_by(
                    ProblemCategory.sort_order, ProblemCategory.id
                )
            ).all()
        return [tally(cid, name, (f for f in facts if f.category_id == cid)) for cid, name in cats]

    def closure_by_compound(self, community_id: int | None = None) -> list[ClosureRow]:
        """Compounds with at least one problem, by community and name."""
        with self._sessions() as s:
            facts = self._facts(s, community_id)
            compounds = s.execute(
                select(Compound.id, Compound.name)
                .join(Community, Community.id == Compound.community_id)
                .order_by(Community.name, Compound.name, Compound.id)
            ).all()
        groups: dict[int, list[_Fact]] = {}
        for f in facts:
            groups.setdefault(f.compound_id, []).append(f)
        return [tally(cid, name, groups[cid]) for cid, name in compounds if cid in groups]

    def totals(self, community_id: int | None = None) -> ClosureRow:
        with self._sessions() as s:
            return tally(0, "合计", self._facts(s, community_id))

    def grid_rollups(self, community_id: int | None = None) -> list[GridRollup]:
        """Each grid (tree order) with the figures of every compound in it or below it."""
        with self._sessions() as s:
            grids = list(s.scalars(select(Grid).order_by(Grid.level, Grid.name, Grid.id)))
            communities = pairs(s.execute(select(Community.id, Community.name)))
            placed = pairs(
                s.execute(
                    select(Compound.id, Compound.grid_id).where(Compound.grid_id.is_not(None))
                )
            )
            people = _people(s)
            workers = grid_workers(s, self.today())
            coverage = {c.compound_id: c for c in coverage_rows(s)}
            facts = self._facts(s, None)
        if community_id is not None:
            grids = [g for g in grids if g.community_id == community_id]
        paths = grid_paths(grids)
        parent = {g.id: g.parent_id for g in grids}
        under: dict[int, list[int]] = {g.id: [] for g in grids}
        for cid, gid in placed.items():
            node: int | None = gid
            while node is not None and node in under:
                under[node].append(cid)
                node = parent[node]
        by_compound: dict[int, list[_Fact]] = {}
        for f in facts:
            by_compound.setdefault(f.compound_id, []).append(f)
        grids.sort(key=lambda g: (communities[g.community_id], paths[g.id]))
        return [
            _rollup(
                g,
                communities[g.community_id],
                paths[g.id],
                under[g.id],
                people,
                coverage,
                by_compound,
                workers.get(g.id, ("", "")),
            )
            for g in grids
        ]

    def households_by_tag(self) -> dict[str, int]:
        """Households with at least one resident carrying each tag (党员, 低保, ...)."""
        with self._sessions() as s:
            counts = pairs(
                s.execute(
                    select(ResidentTag.tag, func.count(func.distinct(Resident.household_id)))
                    .join(Resident, Resident.id == ResidentTag.resident_id)
                    .group_by(ResidentTag.tag)
                )
            )
        return {tag: int(counts.get(tag, 0)) for tag in RESIDENT_TAGS}

    def summary(self) -> dict[str, Any]:
        """The figures of `louyuan stats --json`: keys organisations, grids, problems, forces,
        party_members, property_companies, cross_appointments."""
        with self._sessions() as s:
            rows = coverage_rows(s)
            meetings = s.scalar(select(func.count()).select_from(Meeting)) or 0
            resolutions = s.scalar(select(func.count()).select_from(Resolution)) or 0
            passed = (
                s.scalar(select(func.count()).select_from(Resolution).where(Resolution.passed)) or 0
            )
            org_counts = _organisation_counts(s)
        forces = ForceService(self._sessions, self._actor, self.today).summary()
        rollups = self.grid_rollups()
        levels = Counter(r.level for r in rollups if not r.exclusive)
        return {
            "organisations": _organisations_json(rows, org_counts, meetings, resolutions, passed),
            "grids": {
                "total": len(rollups),
                "by_level": {LEVELS[k]: levels.get(k, 0) for k in sorted(LEVELS)},
                "exclusive": sum(1 for r in rollups if r.exclusive),
                **forces["grid_party"],
                "list": [_grid_json(r) for r in rollups],
            },
            "problems": {
                **self._problems_json(),
                "solved_by_force_kind": forces["solved_by_force_kind"],
            },
            "forces": forces["forces"],
            "party_members": forces["party_members"],
            "property_companies": forces["property_companies"],
            "cross_appointments": forces["cross_appointments"],
        }

    def _problems_json(self) -> dict[str, Any]:
        total = self.totals()
        return {
            **_closure_json(total),
            "as_of": self.today().isoformat(),
            "by_category": [_closure_json(r) for r in self.closure_by_category()],
            "by_compound": [_closure_json(r) for r in self.closure_by_compound()],
        }


def _people(s: Session) -> dict[int, tuple[int, int]]:
    households = pairs(
        s.execute(select(Household.compound_id, func.count()).group_by(Household.compound_id))
    )
    residents = pairs(
        s.execute(
            select(Household.compound_id, func.count(Resident.id))
            .join(Resident, Resident.household_id == Household.id)
            .group_by(Household.compound_id)
        )
    )
    return {cid: (n, residents.get(cid, 0)) for cid, n in households.items()}


def _rollup(  # noqa: PLR0917 -- one private call site, all positional context
    g: Grid,
    community: str,
    path: str,
    compounds: list[int],
    people: dict[int, tuple[int, int]],
    coverage: dict[int, CompoundCoverage],
    by_compound: dict[int, list[_Fact]],
    worker: tuple[str, str],
) -> GridRollup:
    return GridRollup(
        grid_id=g.id,
        parent_id=g.parent_id,
        community_name=community,
        level=g.level,
        name=g.name,
        path=path,
        worker_name=worker[0],
        worker_phone=worker[1],
        exclusive=g.exclusive,
        compounds=len(compounds),
        households=sum(people.get(c, (0, 0))[0] for c in compounds),
        residents=sum(people.get(c, (0, 0))[1] for c in compounds),
        complete_coverage=sum(1 for c in compounds if c in coverage and coverage[c].complete),
        problems=tally(g.id, g.name, (f for c in compounds for f in by_compound.get(c, []))),
    )


def _organisation_counts(s: Session) -> dict[str, int]:
    counts = pairs(s.execute(select(Organisation.kind, func.count()).group_by(Organisation.kind)))
    return {k: int(counts.get(k, 0)) for k in KINDS}


def _organisations_json(
    rows: list[CompoundCoverage],
    org_counts: dict[str, int],
    meetings: int,
    resolutions: int,
    passed: int,
) -> dict[str, Any]:
    coverage = summarise_coverage(rows)
    return {
        "by_kind": org_counts,
        "compounds": len(rows),
        "complete": coverage[-1].complete,
        "coverage_rate": float(coverage[-1].rate),
        "by_community": [
            {
                "community": c.community_name,
                "compounds": c.compounds,
                "complete": c.complete,
                "coverage_rate": float(c.rate),
                "with_kind": c.by_kind,
            }
            for c in coverage[:-1]
        ],
        "missing": [
            {"compound": r.compound_name, "community": r.community_name, "missing": list(r.missing)}
            for r in rows
            if not r.complete
        ],
        "meetings": meetings,
        "resolutions": resolutions,
        "resolutions_passed": passed,
    }


def _closure_json(r: ClosureRow) -> dict[str, Any]:
    avg = r.average_days
    return {
        "name": r.name,
        "total": r.total,
        "closed": r.closed,
        "open": r.open,
        "overdue": r.overdue,
        "closure_rate": float(r.rate),
        "average_days": float(avg) if avg is not None else None,
    }


def _grid_json(r: GridRollup) -> dict[str, Any]:
    return {
        "grid": r.path,
        "community": r.community_name,
        "level": r.level,
        "exclusive": r.exclusive,
        "worker": r.worker_name,
        "compounds": r.compounds,
        "households": r.households,
        "residents": r.residents,
        "complete_coverage": r.complete_coverage,
        "problems": r.problems.total,
        "closed": r.problems.closed,
        "overdue": r.problems.overdue,
        "closure_rate": float(r.problems.rate),
    }
