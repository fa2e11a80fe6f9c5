"""The object graph of the domain: one place that builds every service for a database."""

from __future__ import annotations

from dataclasses import dataclass

from app.audit import Actor
from app.audit_query import AuditQueryService
from app.backup import BackupService
from app.dashboard import DashboardFigures
from app.database import Database
from app.fees.service import FeeServices
from app.governance.service import GovernanceService
from app.program_settings import load_settings
from app.registry.compounds import CompoundService
from app.registry.households import HouseholdService
from app.roster.service import RosterService, build_roster_service
from app.search import SearchService
from app.stats import StatsService
from app.surveys.designer import SurveyService
from app.surveys.entry import EntryService
from app.surveys.results import ResultsService
from app.users.service import UserService


@dataclass
class Services:
    """Every service of one open database, acting for one user."""

    db: Database
    actor: Actor
    compounds: CompoundService
    households: HouseholdService
    stats: StatsService
    search: SearchService
    surveys: SurveyService
    survey_entry: EntryService
    survey_results: ResultsService
    fees: FeeServices
    governance: GovernanceService
    dashboard: DashboardFigures
    users: UserService
    audit_log: AuditQueryService
    backups: BackupService
    rosters: RosterService

    @classmethod
    def build(cls, db: Database, actor: Actor) -> Services:
        settings = load_settings()
        return cls(
            db=db,
            actor=actor,
            compounds=CompoundService(db.sessions, actor),
            households=HouseholdService(db.sessions, actor),
            stats=StatsService(db.sessions),
            search=SearchService(db.sessions),
            surveys=SurveyService(db.sessions, actor),
            survey_entry=EntryService(db.sessions, actor),
            survey_results=ResultsService(db.sessions),
            fees=FeeServices.build(db.sessions, actor),
            governance=GovernanceService(db.sessions, actor),
            dashboard=DashboardFigures(db.sessions),
            users=UserService(db.sessions, actor, settings.login_policy()),
            audit_log=AuditQueryService(db.sessions, actor),
            backups=BackupService(db, actor, settings),
            rosters=build_roster_service(db.sessions, actor),
        )
