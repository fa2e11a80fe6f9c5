"""Records against the database: which rows are new, updates or unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.roster.dto import Fate, RowPreview, Where
from app.roster.rows import Record
from app.text import mask_id_number
from db.models import Building, Community, Compound, Household

Key = tuple[str, str, str, str]


class Stored(NamedTuple):
    """A household as stored (a tuple: the commit compares thousands of them with the plan's)."""

    id: int
    area_centi: int
    name: str
    id_number: str | None
    phone: str | None
    status: str
    notes: str


@dataclass
class Matched:
    rows: list[RowPreview] = field(default_factory=list)
    creates: list[Record] = field(default_factory=list)  # new households, written as they are
    # (record, household id, the stored values with the file's given over them)
    updates: list[tuple[Record, int, dict[str, Any]]] = field(default_factory=list)
    compound_ids: dict[str, int] = field(default_factory=dict)
    new_compounds: list[str] = field(default_factory=list)
    building_ids: dict[tuple[str, str], int] = field(default_factory=dict)
    new_buildings: list[tuple[str, str]] = field(default_factory=list)
    before: dict[int, Stored] = field(default_factory=dict)
    unchanged: int = 0
    snapshot: Snapshot | None = None  # what the database held when the fates were decided


@dataclass(frozen=True)
class Snapshot:
    """The database state the fates depend on: the same snapshot gives the same fates."""

    compound_ids: dict[str, int]
    stored: dict[Key, Stored]
    building_ids: dict[tuple[str, str], int]


def snapshot(s: Session, names: set[str], preferred: int | None) -> Snapshot:
    compound_ids = _compounds(s, names, preferred)
    return Snapshot(compound_ids, _stored(s, compound_ids), _buildings(s, compound_ids))


def reuse(matched: Matched) -> Matched:
    """A copy of `matched` to write from (its id maps are filled in as rows are created)."""
    assert matched.snapshot is not None
    return Matched(
        creates=matched.creates,
        updates=matched.updates,
        compound_ids=dict(matched.compound_ids),
        new_compounds=matched.new_compounds,
        building_ids=dict(matched.building_ids),
        new_buildings=matched.new_buildings,
        before=matched.before,
        unchanged=matched.unchanged,
        snapshot=matched.snapshot,
    )


def community_id(s: Session, name: str) -> int | None:
    """The named community, else (name "") the first one; None when there is none yet."""
    query = select(Community.id).order_by(Community.id).limit(1)
    if name:
        query = select(Community.id).where(Community.name == name).order_by(Community.id)
    return s.scalars(query).first()


def _compounds(s: Session, names: set[str], preferred: int | None) -> dict[str, int]:
    found: dict[str, int] = {}
    rows = s.execute(
        select(Compound.name, Compound.id, Compound.community_id)
        .where(Compound.name.in_(sorted(names)))
        .order_by(Compound.id)
    )
    for name, cid, community in rows:
        if name not in found or community == preferred:
            found[name] = cid
    return found


def _stored(s: Session, compound_ids: dict[str, int]) -> dict[Key, Stored]:
    names = {cid: name for name, cid in compound_ids.items()}
    stored: dict[Key, Stored] = {}
    if not names:
        return stored
    h, b = Household, Building
    query = (
        select(h.compound_id, b.name, h.unit, h.room, h.id, h.area_centi, h.householder_name)
        .add_columns(h.id_number, h.phone, h.status, h.notes)
        .join(b, b.id == h.building_id)
        .where(h.compound_id.in_(sorted(names)))
    )
    for row in s.execute(query):
        key = (names[row[0]], row[1], row[2], row[3])
        stored[key] = Stored(*row[4:])
    return stored


def _buildings(s: Session, compound_ids: dict[str, int]) -> dict[tuple[str, str], int]:
    names = {cid: name for name, cid in compound_ids.items()}
    if not names:
        return {}
    rows = s.execute(
        select(Building.compound_id, Building.name, Building.id).where(
            Building.compound_id.in_(sorted(names))
        )
    )
    return {(names[cid], bname): bid for cid, bname, bid in rows}


LABELS = {
    "area_centi": "面积",
    "householder_name": "户主",
    "id_number": "身份证号",
    "phone": "电话",
    "status": "状态",
    "notes": "备注",
}


def _values(record: Record, old: Stored) -> dict[str, Any]:
    return {
        "area_centi": record.area_centi,
        "householder_name": record.name,
        "id_number": old.id_number if record.id_number is None else record.id_number,
        "phone": old.phone if record.phone is None else record.phone,
        "status": old.status if record.status is None else record.status,
        "notes": old.notes if record.notes is None else record.notes,
    }


def record_names(records: Sequence[tuple[Where, Record]]) -> set[str]:
    return {r.compound for _b, r in records}


def match(
    s: Session,
    records: Sequence[tuple[Where, Record]],
    preferred: int | None,
    *,
    previews: bool = True,
    state: Snapshot | None = None,
) -> Matched:
    """Give each record its fate against what the database holds now (and its preview row)."""
    out = Matched()
    if state is None:
        state = snapshot(s, record_names(records), preferred)
    out.snapshot = state
    out.compound_ids = dict(state.compound_ids)
    out.new_compounds = sorted(record_names(records) - out.compound_ids.keys())
    stored = state.stored
    out.building_ids = dict(state.building_ids)
    new_buildings: set[tuple[str, str]] = set()
    known_buildings = out.building_ids
    new = Fate.NEW
    creates, previewed, make = out.creates, out.rows, tuple.__new__
    for base, record in records:
        old = stored.get(record[:4]) if stored else None  # record.key, without the call
        if (record.compound, record.building) not in known_buildings:
            new_buildings.add((record.compound, record.building))
        if old is None:
            creates.append(record)
            if previews:  # the common case, spelled out: every field, no keyword defaults
                previewed.append(
                    make(
                        RowPreview,
                        (
                            *base, new, record.compound, record.building, record.unit,
                            record.room, record.name, mask_id_number(record.id_number),
                            record.phone or "", record.area, "", "", record.warnings, (),
                        ),
                    )
                )  # fmt: skip
            continue
        values = _values(record, old)
        changed = [
            label for col, label in LABELS.items() if values[col] != getattr(old, _attr(col))
        ]
        fate = Fate.UPDATE if changed else Fate.UNCHANGED
        reason = "变更：" + "、".join(changed) if changed else ""
        out.before[old.id] = old
        if fate is not Fate.UNCHANGED:
            out.updates.append((record, old.id, values))
        else:
            out.unchanged += 1
        if previews:
            previewed.append(_preview(base, record, fate, reason, values))
    out.new_buildings = sorted(new_buildings)
    return out


def _attr(column: str) -> str:
    return {"householder_name": "name"}.get(column, column)


def _preview(
    base: Where, record: Record, fate: Fate, reason: str, values: dict[str, Any]
) -> RowPreview:
    return RowPreview(
        *base,
        fate,
        compound=record.compound,
        building=record.building,
        unit=record.unit,
        room=record.room,
        name=record.name,
        id_number=mask_id_number(values["id_number"]),
        phone=values["phone"] or "",
        area=record.area,  # two places already, as the stored hundredths give it back
        reason=reason,
        warnings=record.warnings,
    )
