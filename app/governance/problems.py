"""楼院问题台账: problems from report to closure, and the editable category list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app import audit
from app.audit import Actor
from app.errors import NotFound
from app.governance.dto import (
    CLOSED,
    IN_PROGRESS,
    PENDING,
    CategoryRow,
    ProblemFilter,
    ProblemInput,
    ProblemRow,
)
from app.governance.errors import CategoryInUse, StatusFlowError, need
from app.governance.organisations import GovernanceBase, pairs
from app.registry.compounds import grid_paths, grid_subtree, grid_workers
from app.registry.queries import like_escape
from app.text import fold
from db.models import FORCE_KINDS, Compound, ForcePerson, Grid, Problem, ProblemCategory

Today = Callable[[], dt.date]


def overdue_clause(as_of: dt.date) -> ColumnElement[bool]:
    """Open problems whose deadline has passed."""
    return and_(Problem.status != CLOSED, Problem.deadline.is_not(None), Problem.deadline < as_of)


def is_overdue(status: str, deadline: dt.date | None, as_of: dt.date) -> bool:
    return status != CLOSED and deadline is not None and deadline < as_of


class ProblemService(GovernanceBase):
    """Problems and their flow 待处理 → 处理中 → 已办结 (销号)."""

    def __init__(
        self, sessions: sessionmaker[Session], actor: Actor, today: Today = dt.date.today
    ) -> None:
        super().__init__(sessions, actor)
        self.today = today

    # -- categories ------------------------------------------------------------------------

    def categories(self) -> list[CategoryRow]:
        with self._sessions() as s:
            counts = pairs(
                s.execute(select(Problem.category_id, func.count()).group_by(Problem.category_id))
            )
            rows = s.scalars(
                select(ProblemCategory).order_by(ProblemCategory.sort_order, ProblemCategory.id)
            )
            return [CategoryRow(c.id, c.name, c.sort_order, counts.get(c.id, 0)) for c in rows]

    def add_category(self, name: str) -> int:
        self._require_edit()
        name = self._category_name(name)
        with self._sessions.begin() as s:
            self._no_clash(s, name, None)
            last = s.scalar(select(func.max(ProblemCategory.sort_order))) or 0
            c = ProblemCategory(name=name, sort_order=last + 1)
            s.add(c)
            s.flush()
            audit.record(s, self._actor, "create", "problem_category", c.id, after={"name": name})
            return c.id

    def rename_category(self, category_id: int, name: str) -> None:
        self._require_edit()
        name = self._category_name(name)
        with self._sessions.begin() as s:
            c = s.get(ProblemCategory, category_id)
            if c is None:
                raise NotFound("该问题类别不存在或已被删除")
            self._no_clash(s, name, category_id)
            before = c.name
            c.name = name
            audit.record(
                s,
                self._actor,
                "update",
                "problem_category",
                c.id,
                before={"name": before},
                after={"name": name},
            )

    def delete_category(self, category_id: int) -> None:
        """Delete an unused category; one that problems use raises CategoryInUse."""
        self._require_edit()
        with self._sessions.begin() as s:
            c = s.get(ProblemCategory, category_id)
            if c is None:
                raise NotFound("该问题类别不存在或已被删除")
            used = s.scalar(
                select(func.count()).select_from(Problem).where(Problem.category_id == c.id)
            )
            if used:
                raise CategoryInUse(c.name, int(used))
            s.delete(c)
            audit.record(s, self._actor, "delete", "problem_category", category_id)

    @staticmethod
    def _category_name(name: str) -> str:
        name = fold(name)
        need(bool(name), "请填写类别名称")
        need(len(name) <= 32, "类别名称过长（最多32个字）")
        return name

    @staticmethod
    def _no_clash(s: Session, name: str, own: int | None) -> None:
        clash = s.scalar(select(ProblemCategory.id).where(ProblemCategory.name == name))
        need(clash is None or clash == own, f"已有类别“{name}”")

    # -- the ledger ------------------------------------------------------------------------

    def list_problems(self, flt: ProblemFilter | None = None) -> list[ProblemRow]:
        """Problems matching the filter: open ones first (earliest deadline first), then
        closed ones (latest closure first)."""
        as_of = self.today()
        with self._sessions() as s:
            query = self._query(s, flt or ProblemFilter(), as_of)
            problems = list(s.execute(query))  # plain rows: no ORM identity map for a ledger
            return self._rows(s, problems, as_of)

    def get_problem(self, problem_id: int) -> ProblemRow:
        with self._sessions() as s:
            p = s.get(Problem, problem_id)
            if p is None:
                raise NotFound("该问题不存在或已被删除")
            return self._rows(s, [p], self.today())[0]

    def _query(self, s: Session, flt: ProblemFilter, as_of: dt.date) -> Select[Any]:
        query = select(*Problem.__table__.c)
        if flt.status:
            query = query.where(Problem.status == flt.status)
        if flt.category_id is not None:
            query = query.where(Problem.category_id == flt.category_id)
        if flt.compound_id is not None:
            query = query.where(Problem.compound_id == flt.compound_id)
        if flt.community_id is not None or flt.grid_id is not None:
            inner = select(Compound.id)
            if flt.community_id is not None:
                inner = inner.where(Compound.community_id == flt.community_id)
            if flt.grid_id is not None:
                inner = inner.where(Compound.grid_id.in_(grid_subtree(s, flt.grid_id)))
            query = query.where(Problem.compound_id.in_(inner))
        if flt.overdue:
            query = query.where(overdue_clause(as_of))
        text = fold(flt.text)
        if text:
            pattern = f"%{like_escape(text)}%"
            query = query.where(
                or_(
                    Problem.location.like(pattern, escape="\\"),
                    Problem.description.like(pattern, escape="\\"),
                    Problem.reporter.like(pattern, escape="\\"),
                )
            )
        closed_first = (Problem.status == CLOSED).label("closed")
        return query.order_by(
            closed_first,
            Problem.deadline.is_(None),
            Problem.deadline,
            Problem.closed_on.desc(),
            Problem.id,
        )

    @staticmethod
    def _rows(s: Session, problems: Sequence[Any], as_of: dt.date) -> list[ProblemRow]:
        categories = pairs(s.execute(select(ProblemCategory.id, ProblemCategory.name)))
        compounds = pairs(s.execute(select(Compound.id, Compound.name)))
        grids = list(s.scalars(select(Grid)))
        paths = grid_paths(grids)
        by_id = {g.id: g for g in grids}
        workers = grid_workers(s)
        handlers = {
            pid: (name, phone or "")
            for pid, name, phone in s.execute(
                select(ForcePerson.id, ForcePerson.name, ForcePerson.phone).where(
                    ForcePerson.id.in_({p.handler_person_id for p in problems} - {None})
                )
            )
        }
        out = []
        for p in problems:
            g = by_id.get(p.grid_id) if p.grid_id else None
            handler = handlers.get(p.handler_person_id) if p.handler_person_id else None
            if handler is None:
                handler = workers.get(g.id, ("", "")) if g else ("", "")
            out.append(
                ProblemRow(
                    id=p.id,
                    category_id=p.category_id,
                    category=categories[p.category_id],
                    compound_id=p.compound_id,
                    compound_name=compounds[p.compound_id],
                    location=p.location,
                    description=p.description,
                    reporter=p.reporter,
                    reported_on=p.reported_on,
                    grid_id=p.grid_id,
                    handler=handler[0],
                    handler_phone=handler[1],
                    grid_name=paths[g.id] if g else "",
                    handler_person_id=p.handler_person_id,
                    handler_kind=p.handler_kind,
                    deadline=p.deadline,
                    status=p.status,
                    resolution=p.resolution,
                    closed_on=p.closed_on,
                    overdue=is_overdue(p.status, p.deadline, as_of),
                )
            )
        return out

    def _clean(self, s: Session, data: ProblemInput) -> dict[str, Any]:
        need(s.get(ProblemCategory, data.category_id) is not None, "请选择问题类别")
        need(s.get(Compound, data.compound_id) is not None, "请选择楼院")
        need(data.grid_id is None or s.get(Grid, data.grid_id) is not None, "请选择经办网格")
        need(
            data.handler_person_id is None
            or s.get(ForcePerson, data.handler_person_id) is not None,
            "所选经办人不存在或已被删除",
        )
        need(
            (data.handler_person_id is None and not data.handler_kind)
            or (data.handler_person_id is not None and data.handler_kind in FORCE_KINDS),
            "请选择经办人以何种身份办理",
        )
        need(data.reported_on <= self.today(), "上报日期不能晚于今天")
        need(
            data.deadline is None or data.deadline >= data.reported_on,
            "办理时限不能早于上报日期",
        )
        description = data.description.strip()
        need(bool(description or fold(data.location)), "请填写问题描述")
        values = asdict(data)
        values.update(
            location=fold(data.location)[:64],
            description=description,
            reporter=fold(data.reporter)[:32],
        )
        return values

    def report(self, data: ProblemInput) -> int:
        """Enter a new problem (待处理). Without a handler the compound's grid takes it."""
        self._require_edit()
        with self._sessions.begin() as s:
            values = self._clean(s, data)
            if values["grid_id"] is None:
                values["grid_id"] = s.scalar(
                    select(Compound.grid_id).where(Compound.id == data.compound_id)
                )
            p = Problem(status=PENDING, resolution="", closed_on=None, **values)
            s.add(p)
            s.flush()
            audit.record(s, self._actor, "create", "problem", p.id, after=values)
            return p.id

    def update(self, problem_id: int, data: ProblemInput) -> None:
        """Correct a problem's details (its status moves only through the flow)."""
        self._require_edit()
        with self._sessions.begin() as s:
            p = self._get(s, problem_id)
            values = self._clean(s, data)
            if p.closed_on is not None:
                need(p.closed_on >= data.reported_on, "上报日期不能晚于办结日期")
            for key, value in values.items():
                setattr(p, key, value)
            audit.record(s, self._actor, "update", "problem", p.id, after=values)

    def start(self, problem_id: int) -> None:
        """待处理 → 处理中 (受理)."""
        self._require_edit()
        with self._sessions.begin() as s:
            p = self._get(s, problem_id)
            if p.status != PENDING:
                raise StatusFlowError(f"只有“待处理”的问题可以受理，该问题现为“{p.status}”")
            p.status = IN_PROGRESS
            audit.record(s, self._actor, "start", "problem", p.id)

    def close(self, problem_id: int, resolution: str, closed_on: dt.date | None = None) -> None:
        """处理中 → 已办结 (销号) with what was done and the day it was done."""
        self._require_edit()
        closed_on = closed_on or self.today()
        resolution = resolution.strip()
        need(bool(resolution), "请填写办理结果")
        with self._sessions.begin() as s:
            p = self._get(s, problem_id)
            if p.status != IN_PROGRESS:
                raise StatusFlowError(f"只有“处理中”的问题可以办结，该问题现为“{p.status}”")
            need(closed_on >= p.reported_on, "办结日期不能早于上报日期")
            need(closed_on <= self.today(), "办结日期不能晚于今天")
            p.status, p.resolution, p.closed_on = CLOSED, resolution, closed_on
            audit.record(
                s,
                self._actor,
                "close",
                "problem",
                p.id,
                after={"resolution": resolution, "closed_on": closed_on},
            )

    def reopen(self, problem_id: int, reason: str) -> None:
        """已办结 → 处理中, when a closure was wrong; the old resolution is kept in the note."""
        self._require_edit()
        reason = reason.strip()
        need(bool(reason), "请填写重新办理的原因")
        with self._sessions.begin() as s:
            p = self._get(s, problem_id)
            if p.status != CLOSED:
                raise StatusFlowError(f"只有“已办结”的问题可以重新办理，该问题现为“{p.status}”")
            before = {"resolution": p.resolution, "closed_on": p.closed_on}
            p.status, p.closed_on = IN_PROGRESS, None
            p.resolution = f"{p.resolution}\n（重新办理：{reason}）".strip()
            audit.record(s, self._actor, "reopen", "problem", p.id, before=before, note=reason)

    def delete(self, problem_id: int) -> None:
        self._require_edit()
        with self._sessions.begin() as s:
            p = self._get(s, problem_id)
            s.delete(p)
            audit.record(s, self._actor, "delete", "problem", problem_id)

    @staticmethod
    def _get(s: Session, problem_id: int) -> Problem:
        p = s.get(Problem, problem_id)
        if p is None:
            raise NotFound("该问题不存在或已被删除")
        return p
