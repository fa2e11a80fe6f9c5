"""The object graph of the domain: one place that builds every service for a database.

Each service is made on first use (and then kept), and its module is imported then: the
window opens after loading what its first page needs, not every area of the program.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.audit import Actor
    from app.audit_query import AuditQueryService
    from app.backup import BackupService
    from app.dashboard import DashboardFigures
    from app.database import Database
    from app.fees.service import FeeServices
    from app.governance.service import GovernanceService
    from app.registry.compounds import CompoundService
    from app.registry.households import HouseholdService
    from app.roster.service import RosterService
    from app.search import SearchService
    from app.stats import StatsService
    from app.surveys.designer import SurveyService
    from app.surveys.entry import EntryService
    from app.surveys.results import ResultsService
    from app.users.service import UserService


class Services:
    """Every service of one open database, acting for one user."""

    def __init__(self, db: Database, actor: Actor) -> None:
        self.db = db
        self.actor = actor

    @classmethod
    def build(cls, db: Database, actor: Actor) -> Services:
        return cls(db, actor)

    @cached_property
    def compounds(self) -> CompoundService:
        from app.registry.compounds import CompoundService

        return CompoundService(self.db.sessions, self.actor)

    @cached_property
    def households(self) -> HouseholdService:
        from app.registry.households import HouseholdService

        return HouseholdService(self.db.sessions, self.actor)

    @cached_property
    def stats(self) -> StatsService:
        from app.stats import StatsService

        return StatsService(self.db.sessions)

    @cached_property
    def search(self) -> SearchService:
        from app.search import SearchService

        return SearchService(self.db.sessions)

    @cached_property
    def surveys(self) -> SurveyService:
        from app.surveys.designer import SurveyService

        return SurveyService(self.db.sessions, self.actor)

    @cached_property
    def survey_entry(self) -> EntryService:
        from app.surveys.entry import EntryService

        return EntryService(self.db.sessions, self.actor)

    @cached_property
    def survey_results(self) -> ResultsService:
        from app.surveys.results import ResultsService

        return ResultsService(self.db.sessions)

    @cached_property
    def fees(self) -> FeeServices:
        from app.fees.service import FeeServices

        return FeeServices.build(self.db.sessions, self.actor)

    @cached_property
    def governance(self) -> GovernanceService:
        from app.governance.service import GovernanceService

        return GovernanceService(self.db.sessions, self.actor)

    @cached_property
    def dashboard(self) -> DashboardFigures:
        from app.dashboard import DashboardFigures

        return DashboardFigures(self.db.sessions)

    @cached_property
    def users(self) -> UserService:
        from app.program_settings import load_settings
        from app.users.service import UserService

        return UserService(self.db.sessions, self.actor, load_settings().login_policy())

    @cached_property
    def audit_log(self) -> AuditQueryService:
        from app.audit_query import AuditQueryService

        return AuditQueryService(self.db.sessions, self.actor)

    @cached_property
    def backups(self) -> BackupService:
        from app.backup import BackupService
        from app.program_settings import load_settings

        return BackupService(self.db, self.actor, load_settings())

    @cached_property
    def rosters(self) -> RosterService:
        from app.roster.service import build_roster_service

        return build_roster_service(self.db.sessions, self.actor)
