"""The plain household row, parsed a column at a time: pure, no database.

Nearly every row of a real roster is plain: a room, a householder, a correct ID number, a
mobile phone (or none), an area, a known status. Here the fields of such rows are worked out
column by column: values that repeat (compound names, buildings, units and rooms, areas,
statuses) once per distinct value, the others with one call per cell, and the row loop only
puts the parts together. A row that is not plain gets None and goes through `check_skip` and
`parse_row`, which stay the reference: for every row this module takes, `parse_row` gives the
same record (tests/app/test_roster_fast.py checks it over generated rows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Sequence
from decimal import Decimal
from typing import Final, TypeVar

from app.registry.validation import FieldError
from app.roster.rows import (
    AREA,
    BUILDING,
    COMPOUND,
    COMPOUND_MAX,
    ID_NUMBER,
    NAME,
    NAME_MAX,
    NOTES,
    OCCUPANTS,
    PHONE,
    ROOM,
    STATUS,
    STATUS_WORDS,
    UNIT,
    Record,
    Rejected,
    RowContext,
    area_centi,
    cached_area,
    location_of,
    quick_id_number,
)
from db.models.registry import HOUSEHOLD_STATUSES

NO_PHONE: Final = ("未填联系电话",)
_SECOND = frozenset("3456789")
_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")


class NotPlain:
    """The mark of a cell left to `parse_row` (a rejection, a warning, an odd value)."""

    def __repr__(self) -> str:
        return "NOT_PLAIN"


NOT_PLAIN: Final = NotPlain()


def plain_records(
    cells: Sequence[Sequence[object]], texts: Sequence[Sequence[str]], ctx: RowContext
) -> list[Record | None]:
    """The record of every plain row, None for the others, in row order.

    `cells` and `texts` are the columns of the fields (in FIELDS order), as `row_columns`
    gives them.
    """
    bad = NOT_PLAIN
    compounds = per_value(texts[COMPOUND], lambda text: _compound(text, ctx))
    locations = per_value(
        zip(texts[BUILDING], texts[UNIT], texts[ROOM], strict=True),
        lambda key: _location(key, ctx),
    )
    column = cells[AREA]
    if any(type(v) is bool for v in column):  # True == 1 == 1.0: one memo key, two fates
        areas: list[tuple[Decimal, int] | NotPlain] = [bad] * len(column)
    else:
        areas = per_value(column, _area)
    today = ctx.today
    ids = [
        _id_number(raw, text, today)
        for raw, text in zip(cells[ID_NUMBER], texts[ID_NUMBER], strict=True)
    ]
    count = len(column)
    no_phone: tuple[None, tuple[str, ...]] = (None, ())  # no phone column: no warning either
    phones = [_phone(t) for t in texts[PHONE]] if ctx.columns[PHONE] >= 0 else [no_phone] * count
    statuses = per_value(texts[STATUS], _status)
    notes: Sequence[str | None] = texts[NOTES] if ctx.columns[NOTES] >= 0 else [None] * count
    out: list[Record | None] = []
    append, new = out.append, tuple.__new__
    for compound, loc, name, area, id_number, phone, status, note, occupants in zip(
        compounds,
        locations,
        texts[NAME],
        areas,
        ids,
        phones,
        statuses,
        notes,
        texts[OCCUPANTS],
        strict=True,
    ):
        if (
            compound is bad or loc is bad or area is bad or id_number is bad or phone is bad
            or status is bad or not name or name.isascii() or len(name) > NAME_MAX
            or (occupants and not occupants.isdigit())
        ):  # fmt: skip
            append(None)
            continue
        number, warnings = phone
        record = (compound, *loc, name, *area, id_number, number, status, note, warnings)
        append(new(Record, record))
    return out


def per_value(column: Iterable[_K], work: Callable[[_K], _V]) -> list[_V]:
    """`work` of every cell of a column, each distinct value worked out once."""
    memo: dict[_K, _V] = {}
    out: list[_V] = []
    append = out.append
    for value in column:
        try:
            append(memo[value])
        except KeyError:
            memo[value] = got = work(value)
            append(got)
    return out


def _compound(text: str, ctx: RowContext) -> str | NotPlain:
    name = text or ctx.compound
    return name if name and len(name) <= COMPOUND_MAX else NOT_PLAIN


def _location(key: tuple[str, str, str], ctx: RowContext) -> tuple[str, str, str] | NotPlain:
    building, unit, room = key
    if not room or ctx.is_header_room(room):
        return NOT_PLAIN
    try:
        return location_of(building, unit, room, ctx.building)
    except Rejected:
        return NOT_PLAIN


def _area(raw: object) -> tuple[Decimal, int] | NotPlain:
    if type(raw) not in (str, float, int):
        return NOT_PLAIN
    try:
        area = cached_area(raw)
    except FieldError:
        return NOT_PLAIN
    return NOT_PLAIN if area.rounded else (area.value, area_centi(area.value))


def _id_number(raw: object, text: str, today: dt.date) -> str | None | NotPlain:
    if not text:
        return None
    if type(raw) is not str:
        return NOT_PLAIN
    found = quick_id_number(text, today)
    return NOT_PLAIN if found is None else found


def _phone(text: str) -> tuple[str | None, tuple[str, ...]] | NotPlain:
    """The phone and the row's warnings (a missing phone is the one a plain row may have)."""
    if not text:
        return None, NO_PHONE
    # MOBILE (^1[3-9]\\d{9}$) spelled out: a third of the time of the match
    if len(text) == 11 and text[0] == "1" and text[1] in _SECOND and text[2:].isdecimal():
        return text, ()
    return NOT_PLAIN


def _status(text: str) -> str | None | NotPlain:
    plain = text.replace(" ", "")
    if not plain:
        return None
    status = STATUS_WORDS.get(plain)
    return status if status is not None and status in HOUSEHOLD_STATUSES else NOT_PLAIN
