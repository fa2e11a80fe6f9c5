"""One entry point to the governance services (the object graph holds one of these)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from app.audit import Actor
from app.governance.brief import BriefService
from app.governance.dto import ClosureRow, ProblemFilter, ResolutionRow
from app.governance.figures import GovernanceFigures
from app.governance.forces import ForceService
from app.governance.meetings import MeetingService
from app.governance.organisations import OrganisationService
from app.governance.problems import ProblemService
from app.jobs import IsCancelled, Progress, never_cancelled, no_progress


class GovernanceService:
    """Organisations, meetings, problems and their figures for one database and user.

    `today` is the day overdue problems are judged against (tests pass a fixed day).
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        actor: Actor,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.organisations = OrganisationService(sessions, actor)
        self.meetings = MeetingService(sessions, actor)
        self.problems = ProblemService(sessions, actor, today)
        self.figures = GovernanceFigures(sessions, actor, today)
        self.forces = ForceService(sessions, actor, today)
        self.brief = BriefService(sessions, actor)

    def resolutions_for_compound(self, compound_id: int) -> list[ResolutionRow]:
        """The compound's resolutions (newest meeting first); fee schemes link one by id."""
        return self.meetings.resolutions_for_compound(compound_id)

    def get_resolution(self, resolution_id: int) -> ResolutionRow:
        return self.meetings.get_resolution(resolution_id)

    def export_problems(
        self,
        path: Path | str,
        flt: ProblemFilter | None = None,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never_cancelled,
    ) -> int:
        """Write the (filtered) problem ledger to .xlsx; returns the number of problems."""
        rows = self.problems.list_problems(flt)
        community = flt.community_id if flt else None
        by_category = self.figures.closure_by_category(community)
        from app.governance.export import write_problems  # openpyxl loads on first use

        return write_problems(
            path, rows, by_category, self.problems.today(), progress=progress, cancelled=cancelled
        )

    def print_ledger(
        self,
        path: Path | str,
        flt: ProblemFilter | None = None,
        scope: str = "全部楼院",
        progress: Progress = no_progress,
        cancelled: IsCancelled = never_cancelled,
    ) -> int:
        """Write the (filtered) ledger as a PDF; returns the number of pages."""
        rows = self.problems.list_problems(flt)
        as_of = self.problems.today()
        closed = [r for r in rows if r.status == "已办结"]
        totals = ClosureRow(
            0,
            scope,
            len(rows),
            len(closed),
            sum(1 for r in rows if r.overdue),
            sum(r.days_taken(as_of) for r in closed),
        )
        from app.documents.governance_ledger import write_ledger  # reportlab: on first use

        return write_ledger(
            path, rows, totals, scope=scope, as_of=as_of, progress=progress, cancelled=cancelled
        )
