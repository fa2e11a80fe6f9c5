"""Household rows parsed a column at a time: pure, no database.

Nearly every row of a roster becomes a household record, most of them without a word of
warning. Here the fields of such rows are worked out column by column, with the same
functions `parse_row` uses: values that repeat (compound names, buildings, units and rooms,
areas, phones left empty, statuses) once per distinct value, the others once per cell, and the
row loop only puts the parts together. A row that would be skipped or rejected, or that needs
a closer look (a name in Latin letters), gets None and goes through `check_skip` and
`parse_row`, which stay the reference: for every row this module takes, `parse_row` gives the
same record (tests/app/test_roster_fast.py checks it over generated rows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Sequence
from decimal import Decimal
from typing import Any, Final, TypeVar

from app.registry.validation import MOBILE
from app.roster.rows import (
    AREA,
    AREA_ROUNDED,
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
    UNIT,
    Record,
    Rejected,
    RowContext,
    area_centi,
    area_of,
    id_number_of,
    location_of,
    occupants_warnings,
    phone_of,
    quick_id_number,
    status_of,
)

_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")
Warnings = tuple[str, ...]


class NotPlain:
    """The mark of a cell that makes `parse_row` reject the row: the row is left to it."""

    def __repr__(self) -> str:
        return "NOT_PLAIN"


NOT_PLAIN: Final = NotPlain()


def plain_records(
    cells: Sequence[Sequence[object]], texts: Sequence[Sequence[str]], ctx: RowContext
) -> list[Record | None]:
    """The record of every row `parse_row` would take, None for the others, in row order.

    `cells` and `texts` are the columns of the fields (in FIELDS order), as `row_columns`
    gives them.
    """
    bad = NOT_PLAIN
    count = len(texts[NAME])
    compounds = per_value(texts[COMPOUND], lambda text: _compound(text, ctx))
    locations = per_value(
        zip(texts[BUILDING], texts[UNIT], texts[ROOM], strict=True),
        lambda key: _location(key, ctx),
    )
    column = cells[AREA]
    if any(type(v) is bool for v in column):  # True == 1 == 1.0: one memo key, two fates
        areas: list[Any] = list(map(_area, column))
    else:
        areas = per_value(column, _area)
    today = ctx.today
    ids = [
        _id_number(raw, text, today)
        for raw, text in zip(cells[ID_NUMBER], texts[ID_NUMBER], strict=True)
    ]
    nothing: tuple[None, Warnings] = (None, ())
    phones = list(map(_phone, texts[PHONE])) if ctx.columns[PHONE] >= 0 else [nothing] * count
    statuses = per_value(texts[STATUS], _status)
    notes: Sequence[str | None] = texts[NOTES] if ctx.columns[NOTES] >= 0 else [None] * count
    occupants = per_value(texts[OCCUPANTS], occupants_warnings)
    out: list[Record | None] = []
    append, new = out.append, tuple.__new__
    for compound, loc, name, area, id_number, phone, status, note, told in zip(
        compounds, locations, texts[NAME], areas, ids, phones, statuses, notes, occupants,
        strict=True,
    ):  # fmt: skip
        if (
            compound is bad or loc is bad or area is bad or id_number is bad
            or not name or name.isascii() or len(name) > NAME_MAX
        ):  # fmt: skip
            append(None)
            continue
        value, centi, area_told = area
        number, id_told = id_number
        phone_number, phone_told = phone
        status_word, status_told = status
        warnings = (
            area_told + id_told + phone_told + status_told + told
            if area_told or id_told or phone_told or status_told or told
            else ()
        )
        record = (
            compound, *loc, name, value, centi, number, phone_number, status_word, note,
            warnings,
        )  # fmt: skip
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


def _area(raw: object) -> tuple[Decimal, int, Warnings] | NotPlain:
    try:
        area = area_of(raw)
    except Rejected:
        return NOT_PLAIN
    return area.value, area_centi(area.value), (AREA_ROUNDED,) if area.rounded else ()


def _id_number(raw: object, text: str, today: dt.date) -> tuple[str | None, Warnings] | NotPlain:
    if type(raw) is str and text:  # id_number_of's own first step, without the list
        found = quick_id_number(text, today)
        if found is not None:
            return found, ()
    warnings: list[str] = []
    try:
        value = id_number_of(raw, text, warnings, today)
    except Rejected:
        return NOT_PLAIN
    return value, tuple(warnings)


def _phone(text: str) -> tuple[str | None, Warnings]:
    if len(text) == 11 and MOBILE.match(text):  # phone_of's own first step, without the list
        return text, ()
    warnings: list[str] = []
    return phone_of(text, warnings), tuple(warnings)


def _status(text: str) -> tuple[str | None, Warnings]:
    warnings: list[str] = []
    return status_of(text, warnings), tuple(warnings)
