"""The object graph of the domain: one place that builds every service for a database."""

from __future__ import annotations

from dataclasses import dataclass

from app.audit import Actor
from app.database import Database
from app.registry.compounds import CompoundService
from app.registry.households import HouseholdService
from app.stats import StatsService


@dataclass
class Services:
    """Every service of one open database, acting for one user."""

    db: Database
    actor: Actor
    compounds: CompoundService
    households: HouseholdService
    stats: StatsService

    @classmethod
    def build(cls, db: Database, actor: Actor) -> Services:
        return cls(
            db=db,
            actor=actor,
            compounds=CompoundService(db.sessions, actor),
            households=HouseholdService(db.sessions, actor),
            stats=StatsService(db.sessions),
        )
