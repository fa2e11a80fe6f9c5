"""A compound with an active fee scheme and a few thousand households, for the crash and
concurrency tests (a small demo plus households inserted in bulk: fast on both engines)."""

from __future__ import annotations

from sqlalchemy import func, insert, select

from app.database import Database
from app.demo import generate
from db.models import Building, Household
from db.models.fees import FeeScheme


def big_active_compound(db: Database, households: int = 3000) -> int:
    """Fill an empty database with the 600-household demo, then add `households` rooms in a
    new building of the first compound whose fee scheme is active. Returns its id."""
    generate(db, households=600)
    with db.sessions.begin() as s:
        cid = s.scalar(
            select(FeeScheme.compound_id)
            .where(FeeScheme.state == "active")
            .order_by(FeeScheme.compound_id)
            .limit(1)
        )
        assert cid is not None
        s.execute(insert(Building).values(compound_id=cid, name="99", sort_key=99))
        bid = s.scalar(
            select(Building.id).where(Building.compound_id == cid, Building.name == "99")
        )
        rows = []
        for n in range(households):
            unit, k = divmod(n, 200)
            floor = k // 8 + 1
            rows.append(
                {
                    "compound_id": cid,
                    "building_id": bid,
                    "unit": str(unit + 1),
                    "floor": floor,
                    "room": f"{floor}{k % 8 + 1:02d}",
                    "area_centi": 6000 + 25 * (n % 200),
                    "status": "空置" if n % 17 == 0 else "自住",
                    "householder_name": f"住户{n}",
                }
            )
        s.execute(insert(Household), rows)
    return cid


def household_count(db: Database, compound_id: int) -> int:
    with db.sessions() as s:
        return (
            s.scalar(
                select(func.count())
                .select_from(Household)
                .where(Household.compound_id == compound_id)
            )
            or 0
        )
