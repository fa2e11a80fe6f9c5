"""All models, imported here so that `Base.metadata` knows every table."""

from db.models import fees as fees  # fee tables (app.fees imports them)
from db.models import surveys as surveys  # survey tables (app.surveys imports them)
from db.models.auth import AuditEntry, User
from db.models.forces import (
    COMPANY_KINDS,
    FORCE_KINDS,
    FORCE_SUBKINDS,
    RECOGNITION_KINDS,
    CompanyCompound,
    ForcePerson,
    ForceRole,
    OrganisationMember,
    PropertyCompany,
    Recognition,
)
from db.models.geo import Community, Grid, Street
from db.models.governance import (
    DEFAULT_PROBLEM_CATEGORIES,
    MEETING_KINDS,
    ORGANISATION_KINDS,
    PROBLEM_STATUSES,
    CompoundConvention,
    Meeting,
    Organisation,
    Problem,
    ProblemCategory,
    Resolution,
)
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
    "COMPANY_KINDS",
    "FORCE_KINDS",
    "FORCE_SUBKINDS",
    "MEETING_KINDS",
    "RECOGNITION_KINDS",
    "CompanyCompound",
    "ForcePerson",
    "ForceRole",
    "OrganisationMember",
    "PropertyCompany",
    "Recognition",
    "DEFAULT_PROBLEM_CATEGORIES",
    "ORGANISATION_KINDS",
    "PROBLEM_STATUSES",
    "CompoundConvention",
    "Meeting",
    "Organisation",
    "Problem",
    "ProblemCategory",
    "Resolution",
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
