"""Use cases for households and their residents: lists by id, paged rows, the editor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app import audit
from app.audit import Actor
from app.auth import Permission, require
from app.errors import NotFound
from app.registry.dto import (
    HouseholdDetail,
    HouseholdFilter,
    HouseholdInput,
    HouseholdRow,
    HouseholdSort,
    ResidentInput,
    ResidentRow,
)
from app.registry.errors import RecordsAttached, ValidationError
from app.registry.queries import fetch_ids, like_escape
from app.registry.validation import (
    FieldError,
    area_to_centi,
    birth_date_of,
    centi_to_area,
    clean_area,
    clean_building,
    clean_id_number,
    clean_name,
    clean_phone,
    clean_room,
    clean_unit,
    floor_of_room,
    gender_of,
    sort_key_of,
)
from app.text import fold, is_digits, is_pinyin_query, mask_id_number, pinyin_of, plain
from app.versions import claim
from db.models import (
    HOUSEHOLD_STATUSES,
    RESIDENT_TAGS,
    Building,
    Compound,
    ForcePerson,
    ForceRole,
    Household,
    Resident,
    ResidentTag,
)

# Personal fields whose every change goes to the audit log.
AUDITED = ("householder_name", "id_number", "phone")


def household_errors(data: HouseholdInput) -> dict[str, str]:
    """Field → message for every rule of a household that needs no database."""
    errors: dict[str, str] = {}
    checks: list[tuple[str, Any]] = [
        ("building", lambda: clean_building(data.building)),
        ("unit", lambda: clean_unit(data.unit)),
        ("room", lambda: clean_room(data.room)),
        ("area", lambda: clean_area(data.area)),
        ("householder_name", lambda: clean_name(data.householder_name, field="户主姓名")),
    ]
    if data.id_number.strip():
        checks.append(("id_number", lambda: clean_id_number(data.id_number)))
    if data.phone.strip():
        checks.append(("phone", lambda: clean_phone(data.phone)))
    for key, check in checks:
        try:
            check()
        except FieldError as exc:
            errors[key] = str(exc)
    if data.status not in HOUSEHOLD_STATUSES:
        errors["status"] = "请选择房屋状态"
    return errors


def resident_errors(data: ResidentInput) -> dict[str, str]:
    """Field → message for one resident."""
    errors: dict[str, str] = {}
    try:
        clean_name(data.name)
    except FieldError as exc:
        errors["name"] = str(exc)
    for key, value, check in (
        ("id_number", data.id_number, clean_id_number),
        ("phone", data.phone, clean_phone),
    ):
        if value.strip():
            try:
                check(value)
            except FieldError as exc:
                errors[key] = str(exc)
    unknown = [t for t in data.tags if t not in RESIDENT_TAGS]
    if unknown:
        errors["tags"] = "未知标签：" + "、".join(unknown)
    if data.gender not in ("", "男", "女"):
        errors["gender"] = "性别应为男或女"
    return errors


def _filtered(query: Select[Any], flt: HouseholdFilter, sort: HouseholdSort) -> Select[Any]:
    if sort is HouseholdSort.COMPOUND or flt.community_id is not None:
        query = query.join(Compound, Compound.id == Household.compound_id)
    if flt.compound_id is not None:
        query = query.where(Household.compound_id == flt.compound_id)
    if flt.building_id is not None:
        query = query.where(Household.building_id == flt.building_id)
    if flt.community_id is not None:
        query = query.where(Compound.community_id == flt.community_id)
    if flt.status:
        query = query.where(Household.status == flt.status)
    if flt.tag:
        query = query.where(
            Household.id.in_(
                select(Resident.household_id)
                .join(ResidentTag, ResidentTag.resident_id == Resident.id)
                .where(ResidentTag.tag == flt.tag)
            )
        )
    if flt.role:
        today = dt.date.today()
        query = query.where(
            Household.id.in_(
                select(Resident.household_id)
                .join(ForcePerson, ForcePerson.resident_id == Resident.id)
                .join(ForceRole, ForceRole.person_id == ForcePerson.id)
                .where(
                    ForceRole.kind == flt.role,
                    or_(ForceRole.end_on.is_(None), ForceRole.end_on >= today),
                )
            )
        )
    text = fold(flt.text)
    if text:
        query = query.where(_household_text(text))
    return query


# A list of up to this many households is re-sorted by its ids (see household_ids).
RESORT_MAX = 20_000


class HouseholdService:
    """Households of the registry and the residents living in them."""

    def __init__(self, sessions: sessionmaker[Session], actor: Actor) -> None:
        self._sessions = sessions
        self._actor = actor

    # -- lists -----------------------------------------------------------------------------

    def household_ids(
        self,
        flt: HouseholdFilter = HouseholdFilter(),
        sort: HouseholdSort = HouseholdSort.LOCATION,
        descending: bool = False,
        within: Sequence[int] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[int]:
        """Ids of every matching household, in order: filter and sort are done in SQL.

        `within` (the ids of a list on screen) sorts those households again without
        filtering anew: re-sorting a search result then costs a lookup by id per row, not
        another pass of the search over every household. The filter is then ignored.
        `cancelled` (checked while the query runs on SQLite) stops it with Cancelled.
        """
        query = select(Household.id)
        if sort in (HouseholdSort.LOCATION, HouseholdSort.COMPOUND):
            query = query.join(Building, Building.id == Household.building_id)
        if within is not None and len(within) <= RESORT_MAX:
            if sort is HouseholdSort.COMPOUND:
                query = query.join(Compound, Compound.id == Household.compound_id)
            query, filtered = query.where(Household.id.in_(list(within))), True
        else:
            query, filtered = _filtered(query, flt, sort), flt != HouseholdFilter()
        orders: dict[HouseholdSort, list[Any]] = {
            HouseholdSort.LOCATION: [
                Household.compound_id,
                Building.sort_key,
                Building.name,
                Household.unit,
                Household.floor,
                Household.room,
            ],
            HouseholdSort.NAME: [_plain(Household.householder_pinyin, filtered)],
            HouseholdSort.AREA: [_plain(Household.area_centi, filtered)],
            HouseholdSort.STATUS: [_plain(Household.status, filtered)],
            HouseholdSort.COMPOUND: [
                Compound.name_pinyin,
                Building.sort_key,
                Household.unit,
                Household.floor,
                Household.room,
            ],
        }
        keys = orders[sort]
        if descending:
            keys = [k.desc() for k in keys]
        query = query.order_by(*keys, Household.id.desc() if descending else Household.id)
        with self._sessions() as s:
            return fetch_ids(s, query, cancelled)

    def household_rows(self, ids: Sequence[int]) -> list[HouseholdRow]:
        """The rows of these households, in the order given (a page of a list)."""
        if not ids:
            return []
        with self._sessions() as s:
            counts: dict[int, int] = {
                hid: n
                for hid, n in s.execute(
                    select(Resident.household_id, func.count())
                    .where(Resident.household_id.in_(ids))
                    .group_by(Resident.household_id)
                )
            }
            rows = s.execute(
                select(
                    Household.id,
                    Household.compound_id,
                    Compound.name,
                    Building.name,
                    Household.unit,
                    Household.room,
                    Household.area_centi,
                    Household.status,
                    Household.householder_name,
                    Household.id_number,
                    Household.phone,
                    Household.version,
                )
                .join(Building, Building.id == Household.building_id)
                .join(Compound, Compound.id == Household.compound_id)
                .where(Household.id.in_(ids))
            ).all()
        by_id = {
            r[0]: HouseholdRow(
                id=r[0],
                compound_id=r[1],
                compound_name=r[2],
                building=r[3],
                unit=r[4],
                room=r[5],
                area=centi_to_area(r[6]),
                status=r[7],
                householder_name=r[8],
                id_number_masked=mask_id_number(r[9]),
                phone=r[10] or "",
                residents=counts.get(r[0], 0),
                version=r[11],
            )
            for r in rows
        }
        return [by_id[i] for i in ids if i in by_id]

    # -- one household ---------------------------------------------------------------------

    def get_household(self, household_id: int) -> HouseholdDetail:
        with self._sessions() as s:
            h = s.get(Household, household_id)
            if h is None:
                raise NotFound("该住户不存在或已被删除")
            b = s.get_one(Building, h.building_id)
            compound = s.get_one(Compound, h.compound_id)
            residents = list(
                s.scalars(
                    select(Resident).where(Resident.household_id == h.id).order_by(Resident.id)
                )
            )
            tags: dict[int, list[str]] = {}
            for rid, tag in s.execute(
                select(ResidentTag.resident_id, ResidentTag.tag).where(
                    ResidentTag.resident_id.in_([r.id for r in residents])
                )
            ):
                tags.setdefault(rid, []).append(tag)
            return HouseholdDetail(
                id=h.id,
                data=_household_input(h, b),
                compound_name=compound.name,
                residents=tuple(
                    ResidentRow(
                        r.id,
                        r.name,
                        r.gender,
                        r.id_number or "",
                        r.birth_date,
                        r.phone or "",
                        r.relation,
                        tuple(sorted(tags.get(r.id, []), key=RESIDENT_TAGS.index)),
                    )
                    for r in residents
                ),
                version=h.version,
            )

    def validate_household(
        self, data: HouseholdInput, household_id: int | None = None
    ) -> dict[str, str]:
        """Every field rule plus "room unique in its building" (which needs the database)."""
        errors = household_errors(data)
        if not ({"building", "unit", "room"} & errors.keys()):
            with self._sessions() as s:
                clash = self._room_taken(s, data, household_id)
            if clash:
                errors["room"] = clash
        return errors

    def room_clash(self, data: HouseholdInput, household_id: int | None = None) -> str:
        """The message when another household of the compound has this building, unit and
        room; "" when none has (or when they are not valid yet: the field rules say so).
        One indexed lookup: the editor asks once the clerk pauses typing a room."""
        if {"building", "unit", "room"} & household_errors(data).keys():
            return ""
        with self._sessions() as s:
            return self._room_taken(s, data, household_id)

    def _room_taken(self, s: Session, data: HouseholdInput, household_id: int | None) -> str:
        building, unit, room = (
            clean_building(data.building),
            clean_unit(data.unit),
            clean_room(data.room),
        )
        query = (
            select(Household.householder_name)
            .join(Building, Building.id == Household.building_id)
            .where(
                Household.compound_id == data.compound_id,
                Building.name == building,
                Household.unit == unit,
                Household.room == room,
            )
        )
        if household_id is not None:
            query = query.where(Household.id != household_id)
        other = s.scalar(query)
        if other is None:
            return ""
        return f"该楼栋已有此房号（户主：{other}）"

    def save_household(
        self,
        household_id: int | None,
        data: HouseholdInput,
        residents: Sequence[ResidentInput] | None = None,
        *,
        expected_version: int | None = None,
    ) -> int:
        """Create (id None) or update a household and, if given, replace its residents.

        One transaction: either everything is saved or nothing is.

        Raises:
            ValidationError: any field (of the household or a resident) breaks a rule.
        """
        require(self._actor, Permission.EDIT_REGISTRY)
        errors = household_errors(data)
        for n, r in enumerate(residents or (), start=1):
            errors.update(
                {f"resident{n}.{k}": f"第{n}位居民{v}" for k, v in resident_errors(r).items()}
            )
        if errors:
            raise ValidationError(errors)
        with self._sessions.begin() as s:
            if household_id is not None:
                # The household (and its residents, saved with it) as the form showed it.
                claim(
                    s, Household, household_id, expected_version,
                    what="该住户", missing="该住户不存在或已被删除",
                )  # fmt: skip
            clash = self._room_taken(s, data, household_id)
            if clash:
                raise ValidationError({"room": clash})
            if s.get(Compound, data.compound_id) is None:
                raise NotFound("该楼院不存在或已被删除")
            h = self._apply(s, household_id, data)
            if residents is not None:
                self._replace_residents(s, h.id, residents)
            return h.id

    def _apply(self, s: Session, household_id: int | None, data: HouseholdInput) -> Household:
        if household_id is None:
            h = Household(compound_id=data.compound_id)
            before: dict[str, Any] = {}
        else:
            found = s.get(Household, household_id)
            if found is None:
                raise NotFound("该住户不存在或已被删除")
            h = found
            before = asdict(_household_input(h, s.get_one(Building, h.building_id)))
        h.compound_id = data.compound_id
        h.building_id = _building_for(s, data.compound_id, clean_building(data.building))
        h.unit, h.room = clean_unit(data.unit), clean_room(data.room)
        h.floor = floor_of_room(h.room)
        h.area_centi = area_to_centi(clean_area(data.area))
        h.status = data.status
        h.householder_name = clean_name(data.householder_name, field="户主姓名")
        h.householder_pinyin, h.householder_initials = pinyin_of(h.householder_name)
        h.id_number = clean_id_number(data.id_number) if data.id_number.strip() else None
        h.phone = clean_phone(data.phone) if data.phone.strip() else None
        h.notes = plain(data.notes).strip()
        s.add(h)
        s.flush()
        after = asdict(_household_input(h, s.get_one(Building, h.building_id)))
        old, new = audit.changed(before, after)
        if household_id is None:
            audit.record(
                s, self._actor, "create", "household", h.id, after={k: after[k] for k in AUDITED}
            )
        elif any(k in new for k in AUDITED):
            audit.record(s, self._actor, "update", "household", h.id, before=old, after=new)
        return h

    def _replace_residents(
        self, s: Session, household_id: int, residents: Sequence[ResidentInput]
    ) -> None:
        existing = {
            r.id: r
            for r in s.scalars(select(Resident).where(Resident.household_id == household_id))
        }
        keep = {r.id for r in residents if r.id is not None}
        for rid, r in existing.items():
            if rid not in keep:
                audit.record(
                    s,
                    self._actor,
                    "delete",
                    "resident",
                    rid,
                    before={"name": r.name, "id_number": r.id_number},
                )
                s.delete(r)
        for data in residents:
            found = existing.get(data.id) if data.id is not None else None
            before = _resident_audit(found) if found else {}
            r = found if found is not None else Resident(household_id=household_id)
            if found is not None:
                r.version += 1
            s.add(r)
            _fill_resident(r, data)
            s.flush()
            s.execute(delete(ResidentTag).where(ResidentTag.resident_id == r.id))
            s.add_all(ResidentTag(resident_id=r.id, tag=t) for t in dict.fromkeys(data.tags))
            old, new = audit.changed(before, _resident_audit(r))
            if new:
                audit.record(
                    s,
                    self._actor,
                    "update" if before else "create",
                    "resident",
                    r.id,
                    before=old,
                    after=new,
                )

    def delete_household(self, household_id: int, *, expected_version: int | None = None) -> None:
        """Delete a household and its residents; with `expected_version` (the version the
        list showed), only when nobody changed it since.

        Raises:
            StaleWrite: someone saved the household since the list showed it.
        """
        require(self._actor, Permission.EDIT_REGISTRY)
        try:
            self._delete_household(household_id, expected_version)
        except IntegrityError as exc:
            raise RecordsAttached("住户") from exc

    def _delete_household(self, household_id: int, expected_version: int | None) -> None:
        with self._sessions.begin() as s:
            claim(
                s, Household, household_id, expected_version,
                what="该住户", missing="该住户不存在或已被删除",
            )  # fmt: skip
            h = s.get(Household, household_id)
            if h is None:
                raise NotFound("该住户不存在或已被删除")
            s.execute(delete(Resident).where(Resident.household_id == h.id))
            audit.record(
                s,
                self._actor,
                "delete",
                "household",
                h.id,
                before={
                    "householder_name": h.householder_name,
                    "id_number": h.id_number,
                    "room": h.room,
                },
            )
            s.delete(h)


def _household_text(text: str) -> ColumnElement[bool]:
    """Match what the clerk typed: a name, pinyin initials, a room, a phone or an ID prefix.

    Each kind of query only tests the columns it can match, so a search over 200,000
    households stays one cheap scan.
    """
    escaped = like_escape(text)
    conds: list[ColumnElement[bool]] = []
    if is_pinyin_query(text):
        low = like_escape(text.lower().replace(" ", ""))
        conds += [
            Household.householder_initials.like(f"{low}%", escape="\\"),
            Household.householder_pinyin.like(f"{low}%", escape="\\"),
        ]
    if any("0" <= ch <= "9" for ch in text):
        conds += [
            Household.room.like(f"{escaped}%", escape="\\"),
            Household.phone.like(f"%{escaped}%", escape="\\"),
        ]
        if len(text) >= 6 and is_digits(text[:-1]):
            conds.append(Household.id_number.like(f"{like_escape(text.upper())}%", escape="\\"))
    if not conds or not text.isascii():
        conds.append(Household.householder_name.like(f"%{escaped}%", escape="\\"))
    return or_(*conds)


def _plain(column: Any, filtered: bool) -> Any:
    """A sort key that the planner may not serve from its index when the list is filtered.

    Walking the whole name (or area) index to produce a few thousand filtered rows in order
    touches every household; sorting the matches is ten times faster. An unfiltered list
    keeps the index, which then gives 200,000 rows in order without a sort.
    """
    if not filtered:
        return column
    return column + 0 if column.type.python_type is int else column.concat("")


def _building_for(s: Session, compound_id: int, name: str) -> int:
    bid = s.scalar(
        select(Building.id).where(Building.compound_id == compound_id, Building.name == name)
    )
    if bid is not None:
        return bid
    b = Building(compound_id=compound_id, name=name, sort_key=sort_key_of(name))
    s.add(b)
    s.flush()
    return b.id


def _fill_resident(r: Resident, data: ResidentInput) -> None:
    r.name = clean_name(data.name)
    r.name_initials = pinyin_of(r.name)[1]
    r.id_number = clean_id_number(data.id_number) if data.id_number.strip() else None
    r.birth_date = birth_date_of(r.id_number) if r.id_number else None
    r.gender = gender_of(r.id_number) if r.id_number else data.gender
    r.phone = clean_phone(data.phone) if data.phone.strip() else None
    r.relation = fold(data.relation)


def _resident_audit(r: Resident) -> dict[str, Any]:
    return {"name": r.name, "id_number": r.id_number, "phone": r.phone}


def _household_input(h: Household, b: Building) -> HouseholdInput:
    return HouseholdInput(
        compound_id=h.compound_id,
        building=b.name,
        room=h.room,
        area=centi_to_area(h.area_centi),
        unit=h.unit,
        status=h.status,
        householder_name=h.householder_name,
        id_number=h.id_number or "",
        phone=h.phone or "",
        notes=h.notes,
    )
