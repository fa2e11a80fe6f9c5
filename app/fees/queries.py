"""Query helpers shared by the fee services (they take a session and never commit)."""

from __future__ import annotations

from typing import TypeVarTuple

from sqlalchemy import Select

from db.models import Building, Compound, Household
from db.models.fees import FeeCharge, FeePayment

Ts = TypeVarTuple("Ts")


def located(query: Select[*Ts], record: type[FeeCharge] | type[FeePayment]) -> Select[*Ts]:
    """`query` over charges or payments joined to where they belong: the household, its
    building and the compound, for selecting the compound name and the household's place."""
    return (
        query.join(Household, Household.id == record.household_id)
        .join(Building, Building.id == Household.building_id)
        .join(Compound, Compound.id == record.compound_id)
    )
