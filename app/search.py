"""One search over compounds, households and residents (the window's Ctrl+F box).

What the clerk types decides which columns are tried: Chinese text matches names (and a
compound's address); Latin letters match pinyin or its initials ("zs" finds 张三);
"3-1-101" is building, unit and room; digits match rooms, phones and the tail (or start)
of an ID number. Each kind is one query with a LIMIT, so a search over 200,000 households
returns as soon as enough hits are found; `cancelled` is checked between the queries and,
on SQLite, while each runs (a search typed past stops at once).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.errors import Cancelled
from app.registry.queries import interruptible, like_escape
from app.text import fold, is_digits, is_pinyin_query
from db.models import Building, Compound, Household, Resident

KIND_LABELS = {"compound": "楼院", "household": "住户", "resident": "居民"}
ROOM_PATTERN = re.compile(r"^([^\s\-－—]+)[\-－—]([0-9A-Za-z]+)[\-－—]([0-9A-Za-z]+)$")
LIMIT = 20


@dataclass(frozen=True)
class SearchHit:
    """One found record: what it is, what to show, and where it lives."""

    kind: str  # compound | household | resident
    id: int
    title: str
    detail: str
    compound_id: int
    household_id: int | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class _Query:
    text: str
    room: tuple[str, str, str] | None
    pinyin: bool
    digits: bool
    id_tail: bool


def _parse(text: str) -> _Query:
    if is_digits(text.replace(" ", "")):
        text = text.replace(" ", "")  # a phone typed as 138 1234 5678
    match = ROOM_PATTERN.match(text)
    room = (match.group(1), match.group(2), match.group(3)) if match else None
    digits = any("0" <= ch <= "9" for ch in text)
    tail = 4 <= len(text) <= 18 and is_digits(text[:-1]) and text[-1] in "0123456789xX"
    return _Query(text, room, is_pinyin_query(text) and room is None, digits, tail)


class SearchService:
    """Finds compounds, households and residents by what a clerk would type."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def search(
        self,
        text: str,
        limit: int = LIMIT,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> list[SearchHit]:
        """Compounds first, then households, then residents (each up to `limit`)."""
        text = fold(text)
        if not text:
            return []
        q = _parse(text)
        hits: list[SearchHit] = []
        with self._sessions() as s, interruptible(s, cancelled):
            for step in (self._compounds, self._households, self._residents):
                if cancelled():
                    raise Cancelled()
                hits.extend(step(s, q, limit, hits))
        return hits

    @staticmethod
    def _compounds(s: Session, q: _Query, limit: int, _seen: list[SearchHit]) -> list[SearchHit]:
        if q.room is not None or (q.digits and not q.pinyin and q.text.isascii()):
            return []
        pattern = f"%{like_escape(q.text)}%"
        conds: list[ColumnElement[bool]] = [
            Compound.name.like(pattern, escape="\\"),
            Compound.address.like(pattern, escape="\\"),
        ]
        if q.pinyin:
            low = like_escape(q.text.lower().replace(" ", ""))
            conds += [
                Compound.name_initials.like(f"{low}%", escape="\\"),
                Compound.name_pinyin.like(f"{low}%", escape="\\"),
            ]
        rows = s.execute(
            select(Compound.id, Compound.name, Compound.address)
            .where(or_(*conds))
            .order_by(Compound.name_pinyin, Compound.id)
            .limit(limit)
        ).all()
        return [SearchHit("compound", r.id, r.name, r.address or "", r.id) for r in rows]

    @staticmethod
    def _households(s: Session, q: _Query, limit: int, _seen: list[SearchHit]) -> list[SearchHit]:
        conds: list[ColumnElement[bool]] = []
        escaped = like_escape(q.text)
        if q.room is not None:
            building, unit, room = q.room
            conds.append(
                (Building.name == building) & (Household.unit == unit) & (Household.room == room)
            )
        else:
            if q.pinyin:
                low = like_escape(q.text.lower().replace(" ", ""))
                conds += [
                    Household.householder_initials.like(f"{low}%", escape="\\"),
                    Household.householder_pinyin.like(f"{low}%", escape="\\"),
                ]
            if q.digits:
                conds += [
                    Household.room == q.text,
                    Household.phone.like(f"%{escaped}%", escape="\\"),
                ]
            if q.id_tail:
                conds.append(Household.id_number.like(f"%{like_escape(q.text.upper())}"))
            if not q.text.isascii():
                conds.append(Household.householder_name.like(f"%{escaped}%", escape="\\"))
        if not conds:
            return []
        rows = s.execute(
            select(
                Household.id,
                Household.compound_id,
                Household.householder_name,
                Household.unit,
                Household.room,
                Building.name.label("building"),
                Compound.name.label("compound"),
            )
            .join(Building, Building.id == Household.building_id)
            .join(Compound, Compound.id == Household.compound_id)
            .where(or_(*conds))
            .order_by(Household.householder_pinyin, Household.id)
            .limit(limit)
        ).all()
        return [
            SearchHit(
                "household",
                r.id,
                r.householder_name or "（无户主）",
                f"{r.compound} {r.building}-{r.unit}-{r.room}",
                r.compound_id,
                r.id,
            )
            for r in rows
        ]

    @staticmethod
    def _residents(s: Session, q: _Query, limit: int, seen: list[SearchHit]) -> list[SearchHit]:
        if q.room is not None:
            return []
        conds: list[ColumnElement[bool]] = []
        escaped = like_escape(q.text)
        if q.pinyin:
            low = like_escape(q.text.lower().replace(" ", ""))
            conds.append(Resident.name_initials.like(f"{low}%", escape="\\"))
        if q.digits:
            conds.append(Resident.phone.like(f"%{escaped}%", escape="\\"))
        if q.id_tail:
            conds.append(Resident.id_number.like(f"%{like_escape(q.text.upper())}"))
        if not q.text.isascii():
            conds.append(Resident.name.like(f"%{escaped}%", escape="\\"))
        if not conds:
            return []
        listed = {(h.household_id, h.title) for h in seen if h.kind == "household"}
        rows = s.execute(
            select(
                Resident.id,
                Resident.name,
                Resident.relation,
                Resident.household_id,
                Household.compound_id,
                Household.unit,
                Household.room,
                Building.name.label("building"),
                Compound.name.label("compound"),
            )
            .join(Household, Household.id == Resident.household_id)
            .join(Building, Building.id == Household.building_id)
            .join(Compound, Compound.id == Household.compound_id)
            .where(or_(*conds))
            .order_by(Resident.id)
            .limit(limit + len(listed))
        ).all()
        hits = [
            SearchHit(
                "resident",
                r.id,
                r.name,
                f"{r.compound} {r.building}-{r.unit}-{r.room}"
                + (f"（{r.relation}）" if r.relation else ""),
                r.compound_id,
                r.household_id,
            )
            for r in rows
            if (r.household_id, r.name) not in listed  # the householder, listed above
        ]
        return hits[:limit]
