"""All models, imported here so that `Base.metadata` knows every table."""

from db.models.auth import AuditEntry, User
from db.models.geo import Community, Grid, Street
from db.models.registry import (
    HOUSEHOLD_STATUSES,
    MANAGEMENT_MODES,
    RESIDENT_TAGS,
    Building,
    Compound,
    Household,
    Resident,
    ResidentTag,
)

__all__ = [
    "HOUSEHOLD_STATUSES",
    "MANAGEMENT_MODES",
    "RESIDENT_TAGS",
    "AuditEntry",
    "Building",
    "Community",
    "Compound",
    "Grid",
    "Household",
    "Resident",
    "ResidentTag",
    "Street",
    "User",
]
