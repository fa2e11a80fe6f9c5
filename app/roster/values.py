"""Cell values of real rosters to clean text and parts: pure functions, no database.

A spreadsheet cell arrives as str, float, int, bool, date or None (python-calamine, csv).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.registry.validation import FieldError, clean_building, clean_unit
from app.text import fold, plain

SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d*)?[eE][+-]?\d+$")
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_CN_DIGITS |= {"八": 8, "九": 9}
_CN_NUMBER = re.compile(r"^[零一二两三四五六七八九十]+")
# 3-1-101 (building-unit-room), 1-101 (unit-room); "—", "－" and "_" fold or map to "-".
_DASHED3 = re.compile(r"^([0-9A-Za-z]+)-(\d+)-([0-9A-Za-z]+)$")
_DASHED2 = re.compile(r"^(\d+)-([0-9A-Za-z]+)$")
_WORDED = re.compile(
    r"^(?:(?P<b>[0-9A-Za-z]+)(?:号楼|栋|幢|#楼|#|号))?(?:(?P<u>\d+)单元)?(?P<r>[0-9A-Za-z]+)$"
)
_AREA_UNITS = ("平方米", "平米", "㎡", "m²", "m2", "M2", "平")


def cell_text(value: object) -> str:  # noqa: PLR0911 - one return per cell type
    """The text a clerk sees in a cell: integral numbers without ".0", dates as ISO, folded."""
    if type(value) is str:
        if value.isascii():
            return value.strip() if value.isprintable() else plain(value).strip()
        return fold(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return fold(str(value))


def chinese_number(text: str) -> str:
    """Leading Chinese numerals (一 … 九十九) to digits: "三号楼" → "3号楼"; else unchanged."""
    match = _CN_NUMBER.match(text)
    if not match:
        return text
    word = match.group(0)
    if "十" in word:
        tens, _, ones = word.partition("十")
        value = (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0))
    elif len(word) == 1:
        value = _CN_DIGITS[word]
    else:
        return text
    return str(value) + text[len(word) :]


def _dash(text: str) -> str:
    return re.sub(r"\s*[-—－_~]\s*", "-", text)


def parse_building(raw: str) -> str:
    """ "3号楼", "3栋", "三号楼", "3#" → "3"."""
    text = chinese_number(fold(raw))
    text = text.removesuffix("楼").removesuffix("#") if text.endswith(("#楼", "#")) else text
    return clean_building(text)


def parse_unit(raw: str) -> str:
    """ "1单元", "一单元", "１" → "1"."""
    return clean_unit(chinese_number(fold(raw)))


@dataclass(frozen=True)
class Location:
    """What a room cell says: the room and, when written in, the unit and building."""

    room: str
    unit: str | None = None
    building: str | None = None


def parse_room(raw: str) -> Location:
    """ "101", "101室", "1-101", "3-1-101", "1单元101室", "3号楼1单元101" → a Location.

    Raises:
        FieldError: empty or not a room.
    """
    text = _dash(fold(raw)).replace(" ", "").removesuffix("室").removesuffix("号")
    if not text:
        raise FieldError("未填房号")
    return _bounded(_location_of(text))


def _location_of(text: str) -> Location:
    m3 = _DASHED3.match(text)
    if m3:
        return Location(m3.group(3), str(int(m3.group(2))), m3.group(1))
    m2 = _DASHED2.match(text)
    if m2:
        return Location(m2.group(2), str(int(m2.group(1))))
    worded = _WORDED.match(chinese_number(text))
    if worded:
        return Location(worded.group("r"), worded.group("u"), worded.group("b"))
    return Location(text)


def _bounded(loc: Location) -> Location:
    """The database keeps rooms and buildings to 16 characters, units to 8."""
    if len(loc.room) > 16:
        raise FieldError("房号过长，请核对")
    if loc.building is not None and len(loc.building) > 16:
        raise FieldError("楼号过长，请核对")
    if loc.unit is not None and len(loc.unit) > 8:
        raise FieldError("单元号过长，请核对")
    return loc


@dataclass(frozen=True)
class Area:
    value: Decimal
    rounded: bool  # more than two decimals were given and rounded half-up


def parse_area(raw: object) -> Area:
    """85.6, "85.6㎡", "85.6平方米", " 72 " → Decimal with two places.

    Raises:
        FieldError: missing, not a number, zero, negative or implausibly large.
    """
    if isinstance(raw, bool):
        raise FieldError("建筑面积应为数字，如 85.60")
    if isinstance(raw, int | float):
        text = repr(float(raw))
    else:
        text = fold(cell_text(raw)).replace(",", "")
        for unit in _AREA_UNITS:
            text = text.replace(unit, "")
        text = text.strip()
    if not text:
        raise FieldError("未填建筑面积")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise FieldError(f"建筑面积“{text}”不是数字") from exc
    if not value.is_finite():
        raise FieldError("建筑面积应为数字，如 85.60")
    if value <= 0:
        raise FieldError("建筑面积应大于0")
    if value >= 10000:
        raise FieldError("建筑面积过大，请核对")
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if rounded <= 0:  # 0.004 m² is stored in hundredths as 0
        raise FieldError("建筑面积应大于0（保留两位小数后为0）")
    return Area(rounded, rounded != value)


def id_digits_lost(raw: object) -> bool:
    """True when an ID number was stored as a number or shown in scientific notation.

    Excel keeps 15 significant digits, so such a cell no longer holds the real number.
    """
    if isinstance(raw, bool):
        return False
    if isinstance(raw, int | float):
        return True
    return bool(SCIENTIFIC.match(fold(str(raw))))


def is_masked(text: str) -> bool:
    """A value from a masked export (410102********123X, 138****5678)."""
    return "*" in text
