"""A tiny compound for the fee tests, inserted directly (the registry has its own tests)."""

from __future__ import annotations

from sqlalchemy import insert, select

from app.database import Database
from db.models import Building, Community, Compound, Household, Resident, ResidentTag, Street


def small_compound(db: Database, name: str = "测试家属院", rooms: int = 6) -> int:
    """A compound with one building, one unit, `rooms` households of 80.00-85.00 m²;
    room 102 is 空置 and room 201's householder is 低保. Returns the compound id."""
    with db.sessions.begin() as s:
        street = s.scalar(select(Street.id).limit(1))
        if street is None:
            s.execute(insert(Street).values(name="测试街道"))
            street = s.scalar(select(Street.id).limit(1))
            s.execute(insert(Community).values(street_id=street, name="测试社区"))
        community = s.scalar(select(Community.id).limit(1))
        s.execute(insert(Compound).values(community_id=community, name=name))
        cid = s.scalar(select(Compound.id).where(Compound.name == name))
        s.execute(insert(Building).values(compound_id=cid, name="3", sort_key=3))
        bid = s.scalar(select(Building.id).where(Building.compound_id == cid))
        for k in range(rooms):
            room = f"{k // 2 + 1}{k % 2 + 1:02d}"
            s.execute(
                insert(Household).values(
                    compound_id=cid,
                    building_id=bid,
                    unit="1",
                    floor=k // 2 + 1,
                    room=room,
                    area_centi=8000 + 100 * k,
                    status="空置" if room == "102" else "自住",
                    householder_name=f"住户{room}",
                    phone=f"1380000{k:04d}",
                )
            )
        hid = s.scalar(
            select(Household.id).where(Household.room == "201", Household.compound_id == cid)
        )
        if hid is not None:
            s.execute(insert(Resident).values(household_id=hid, name="住户201"))
            rid = s.scalar(select(Resident.id).where(Resident.household_id == hid))
            s.execute(insert(ResidentTag).values(resident_id=rid, tag="低保"))
    assert cid is not None
    return cid


def add_household(db: Database, compound_id: int, room: str, area_centi: int = 9000) -> int:
    with db.sessions.begin() as s:
        bid = s.scalar(select(Building.id).where(Building.compound_id == compound_id))
        s.execute(
            insert(Household).values(
                compound_id=compound_id,
                building_id=bid,
                unit="1",
                room=room,
                area_centi=area_centi,
                householder_name=f"住户{room}",
            )
        )
        hid = s.scalar(
            select(Household.id).where(Household.room == room, Household.compound_id == compound_id)
        )
    assert hid is not None
    return hid
