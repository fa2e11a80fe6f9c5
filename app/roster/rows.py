"""One roster row to a household record, a skip or a rejection: pure, no database."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import zip_longest
from operator import mul
from typing import NamedTuple, TypeVar, cast

from app.registry.validation import (
    ID_CHECK,
    ID_WEIGHTS,
    MOBILE,
    PROVINCES,
    FieldError,
    area_to_centi,
    clean_id_number,
    clean_name,
    clean_phone,
)
from app.roster.columns import field_of
from app.roster.dto import Field
from app.roster.values import (
    Area,
    cell_text,
    id_digits_lost,
    is_masked,
    parse_area,
    parse_building,
    parse_room,
    parse_unit,
)
from app.text import fold, is_digits
from db.models.registry import HOUSEHOLD_STATUSES

FOOTER_WORDS = (
    "填表人",
    "制表人",
    "审核人",
    "负责人",
    "填报人",
    "统计人",
    "签字",
    "签名",
    "盖章",
    "填表日期",
    "制表日期",
    "填报日期",
    "注：",
    "注:",
    "说明：",
    "说明:",
)
STATUS_WORDS = {
    "自住": "自住",
    "自有": "自住",
    "自用": "自住",
    "出租": "出租",
    "租住": "出租",
    "租赁": "出租",
    "空置": "空置",
    "空房": "空置",
    "闲置": "空置",
    "无人居住": "空置",
    "商铺": "商铺",
    "商用": "商铺",
    "门面": "商铺",
    "门市": "商铺",
}
ID_LOST = "身份证号被存成了数字（如 4.10102E+17），后几位已丢失，请把该列设为文本后重新录入"
_TITLE_END = re.compile(
    r"(居民|住户|户籍|人口)?(信息|基本情况)?(花名册|登记表|信息表|名册|统计表|一览表|台账|明细表)"
)
_TOTAL = re.compile(r"^\s*(合\s*计|小\s*计|总\s*计|共\s*计)")
_TOTAL_START = frozenset("合小总共")
NAME_MAX = 32  # clean_name's limit for 户主姓名
_YEAR = re.compile(r"\d{4}年(度)?|[(（].*?[)）]")


COMPOUND_MAX = 64  # the compound table's name column


class Rejected(Exception):
    def __init__(self, field: Field | None, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


class Skipped(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Record(NamedTuple):
    """A household row as it will be written; None in an optional field keeps the stored value."""

    compound: str
    building: str
    unit: str
    room: str
    name: str
    area: Decimal
    area_centi: int
    id_number: str | None
    phone: str | None
    status: str | None
    notes: str | None
    warnings: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.compound, self.building, self.unit, self.room)


def compound_from_title(lines: list[str]) -> str:
    """ "和平里小区住户花名册（2023年）" → "和平里小区"; "" when no line names one."""
    for line in lines:
        text = re.sub(r"\s", "", fold(line))
        match = _TITLE_END.search(text)
        if not match:
            continue
        name = _YEAR.sub("", text[: match.start()])
        if "社区" in name and not name.endswith("社区"):
            name = name.split("社区", 1)[1]
        if 0 < len(name) <= 32:
            return name
    return ""


# Positions of the fields in a row's cell list (ints: hashing Enum members is slow in a hot loop).
FIELDS = tuple(Field)
COMPOUND, BUILDING, UNIT, ROOM, NAME, ID_NUMBER, PHONE, AREA, OCCUPANTS, STATUS, NOTES = range(11)


@dataclass(frozen=True)
class RowContext:
    compound: str  # from the title or the clerk, when there is no compound column
    building: str | None  # from the sheet name
    columns: tuple[int, ...]  # sheet column of each field in FIELDS order, -1 when absent
    # room text → whether it is the 房号 header repeated (rooms repeat across households)
    header_rooms: dict[str, bool] = field(default_factory=dict, compare=False)
    today: dt.date = field(default_factory=dt.date.today, compare=False)

    @classmethod
    def of(cls, compound: str, building: str | None, mapping: dict[Field, int]) -> RowContext:
        return cls(compound, building, tuple(mapping.get(f, -1) for f in FIELDS))

    def is_header_room(self, room: str) -> bool:
        found = self.header_rooms.get(room)
        if found is None:
            found = self.header_rooms[room] = field_of(room) is Field.ROOM
        return found


def row_cells(values: list[object], ctx: RowContext) -> tuple[list[object], list[str]]:
    """The raw value and the text of every field of a row (None / "" when absent)."""
    n = len(values)
    cells = [values[i] if 0 <= i < n else None for i in ctx.columns]
    return cells, [cell_text(v) for v in cells]


def row_columns(
    rows: list[list[object]], ctx: RowContext
) -> tuple[list[Sequence[object]], list[Sequence[str]]]:
    """The raw values and the texts of every field (in FIELDS order), a column each: what
    `row_cells` gives row by row. The rows are transposed in one C-level pass, and each
    distinct value's text is worked out once (compound names, buildings, units and statuses
    repeat over thousands of rows)."""
    count = len(rows)
    table = list(zip_longest(*rows)) if rows else []
    cells: list[Sequence[object]] = []
    texts: list[Sequence[str]] = []
    for i in ctx.columns:
        if i < 0 or i >= len(table):
            cells.append([None] * count)
            texts.append([""] * count)
            continue
        column = table[i]
        cells.append(column)
        texts.append(_column_texts(column))
    return cells, texts


def _column_texts(column: Sequence[object]) -> Sequence[str]:
    types = set(map(type, column))
    if types <= _STR_OR_NONE:
        texts = _clean_strings(column, type(None) in types)
        if texts is not None:
            return texts
    if bool in types or (int in types and float in types):
        # True == 1 == 1.0 share a dict key but not a text ("是", "1"): value by value
        memo = {v: cell_text(v) for v in {v for v in column if type(v) is str}}
        return [memo[v] if type(v) is str else cell_text(v) for v in column]
    every: dict[object, str] = {v: cell_text(v) for v in set(column)}
    return list(map(every.__getitem__, column))


_STR_OR_NONE = frozenset((str, type(None)))


def _clean_strings(column: Sequence[object], has_none: bool) -> Sequence[str] | None:
    """The column itself (None as "") when every cell is text that `cell_text` would give back
    unchanged: printable, NFKC-normal, no spaces at either end. Checked on the cells joined by
    "|" (a character nothing combines with), in a few C-level passes over one string; None
    sends the caller value by value."""
    strings = cast(list[str], [v for v in column if v is not None] if has_none else column)
    joined = "|".join(strings)
    if not (
        joined.isprintable()
        and (joined.isascii() or unicodedata.is_normalized("NFKC", joined))
        and joined[:1] != " "
        and joined[-1:] != " "
        and " |" not in joined
        and "| " not in joined
    ):
        return None
    if has_none:
        return ["" if v is None else cast(str, v) for v in column]
    return cast(Sequence[str], column)


def check_skip(values: list[object], texts: Sequence[str], ctx: RowContext | None = None) -> None:
    """Raise Skipped for totals, footers, repeated headers and rows without a household."""
    room, name = texts[ROOM], texts[NAME]
    if room and name:  # a household row, unless it repeats the header
        if ctx.is_header_room(room) if ctx is not None else field_of(room) is Field.ROOM:
            raise Skipped("重复的表头行")
        return
    if any(
        type(v) is str and v[:3].lstrip()[:1] in _TOTAL_START and _TOTAL.match(v) for v in values
    ):
        raise Skipped("合计/小计行")
    first = next(cell_text(v) for v in values if v is not None and v != "")
    if first.replace(" ", "").startswith(FOOTER_WORDS) and not (room and name):
        raise Skipped("落款/签字行")
    if room and field_of(room) is Field.ROOM:
        raise Skipped("重复的表头行")
    if not room and not name and not texts[AREA]:
        raise Skipped("不是住户行")


def parse_row(cells: Sequence[object], texts: Sequence[str], ctx: RowContext) -> Record:
    """A household record from a row that `check_skip` let through.

    Raises:
        Rejected: a rule the row breaks, with the column it is about.
    """
    warnings: list[str] = []
    compound = texts[COMPOUND] or ctx.compound
    if not compound:
        raise Rejected(Field.COMPOUND, "未填楼院名称（文件中没有楼院名称列时，请指定楼院）")
    if len(compound) > COMPOUND_MAX:
        raise Rejected(Field.COMPOUND, f"楼院名称过长（最多{COMPOUND_MAX}个字）")
    building, unit, room = location_of(texts[BUILDING], texts[UNIT], texts[ROOM], ctx.building)
    name = texts[NAME]
    if name.isascii() or len(name) > NAME_MAX:  # a non-ASCII cell text is folded already
        try:
            name = clean_name(name, field="户主姓名", max_len=NAME_MAX)
        except FieldError as exc:
            raise Rejected(
                Field.NAME, "未填户主姓名" if "请填写" in str(exc) else str(exc)
            ) from exc
    area = area_of(cells[AREA])
    if area.rounded:
        warnings.append(AREA_ROUNDED)
    id_number = id_number_of(cells[ID_NUMBER], texts[ID_NUMBER], warnings, ctx.today)
    phone = phone_of(texts[PHONE], warnings) if ctx.columns[PHONE] >= 0 else None
    status = status_of(texts[STATUS], warnings)
    notes = texts[NOTES] if ctx.columns[NOTES] >= 0 else None
    warnings += occupants_warnings(texts[OCCUPANTS])
    return Record(
        compound, building, unit, room, name, area.value, area_centi(area.value), id_number, phone,
        status, notes,
        tuple(warnings),
    )  # fmt: skip


AREA_ROUNDED = "建筑面积超过两位小数，已四舍五入"


def occupants_warnings(text: str) -> tuple[str, ...]:
    """居住人数 is not stored; a value that is not a whole number is pointed out."""
    return (f"居住人数“{text}”不是整数，已忽略",) if text and not is_digits(text) else ()


def area_of(raw: object) -> Area:
    """The area of a cell (Rejected when there is none)."""
    try:
        if type(raw) in (str, float, int):
            return cached_area(raw)
        return parse_area(raw)
    except FieldError as exc:
        raise Rejected(Field.AREA, str(exc)) from exc


@lru_cache(maxsize=32768)
def area_centi(area: Decimal) -> int:
    return area_to_centi(area)


@lru_cache(maxsize=32768)
def cached_area(raw: object) -> Area:
    return parse_area(raw)


@lru_cache(maxsize=32768)
def location_of(
    building_text: str, unit_text: str, raw_room: str, sheet_building: str | None
) -> tuple[str, str, str]:
    """Building, unit and room from the three cells and the sheet name (cached: they repeat)."""
    try:
        loc = parse_room(raw_room)
        building = parse_building(building_text) if building_text else None
        unit = parse_unit(unit_text) if unit_text else None
        room_building = parse_building(loc.building) if loc.building else None
    except FieldError as exc:
        raise Rejected(Field.ROOM, str(exc)) from exc
    if building and room_building and building != room_building:
        raise Rejected(Field.ROOM, f"房号“{raw_room}”中的楼号与楼号列（{building}）不一致")
    if unit and loc.unit and unit != loc.unit:
        raise Rejected(Field.ROOM, f"房号“{raw_room}”中的单元与单元列（{unit}）不一致")
    final_building = building or room_building or sheet_building
    if not final_building:
        raise Rejected(Field.BUILDING, "未填楼号")
    return final_building, unit or loc.unit or "", loc.room


def id_number_of(raw: object, text: str, warnings: list[str], today: dt.date) -> str | None:
    """The ID number of a cell, None when empty or masked (with a warning); Rejected when
    wrong or when its digits were lost to a number cell."""
    if not text:
        return None
    if type(raw) is str:  # a text cell that passes every rule is neither lost nor masked
        fast = quick_id_number(text, today)
        if fast is not None:
            return fast
    if id_digits_lost(raw):
        raise Rejected(Field.ID_NUMBER, ID_LOST)
    if is_masked(text):
        warnings.append("身份证号已脱敏，保留原值")
        return None
    fast = quick_id_number(text, today)
    if fast is not None:
        return fast
    try:
        return clean_id_number(text)
    except FieldError as exc:
        raise Rejected(Field.ID_NUMBER, f"身份证号“{text}”有误：{exc}") from exc


def phone_of(text: str, warnings: list[str]) -> str | None:
    """The phone of a cell; a missing or odd one is a warning, never a rejection."""
    if not text:
        warnings.append("未填联系电话")
        return None
    if len(text) == 11 and MOBILE.match(text):
        return text
    if is_masked(text):
        warnings.append("联系电话已脱敏，保留原值")
        return None
    try:
        return clean_phone(text)
    except FieldError as exc:
        warnings.append(f"联系电话“{text}”未导入：{exc}")
        return None


def status_of(raw: str, warnings: list[str]) -> str | None:
    """The 房屋状态 of a cell (None: keep the stored one); an unknown word is a warning."""
    text = raw.replace(" ", "")
    if not text:
        return None
    status = STATUS_WORDS.get(text)
    if status is None or status not in HOUSEHOLD_STATUSES:
        warnings.append(f"房屋状态“{text}”无法识别，未导入")
        return None
    return status


def quick_id_number(text: str, today: dt.date | None = None) -> str | None:
    """The ID number when it passes every rule of `clean_id_number`, by a faster route; None
    sends the caller to `clean_id_number` for the message (the slow path is the reference).

    The weighted digit sum and the birth date are looked up by parts (area code, birth date,
    sequence), which repeat across a roster.
    """
    value = text.upper()
    if len(value) != 18 or not is_digits(value[:17]):
        return None
    try:
        head = _ID_HEADS[value[:6]]
    except KeyError:
        head = _cache(_ID_HEADS, value[:6], _id_head(value[:6]))
    if head is None:
        return None
    try:
        birth = _ID_BIRTHS[value[6:14]]
    except KeyError:
        birth = _cache(_ID_BIRTHS, value[6:14], _id_birth(value[6:14]))
    if birth is None or birth[1] > (today or dt.date.today()):
        return None
    try:
        tail = _ID_TAILS[value[14:17]]
    except KeyError:
        tail = _cache(_ID_TAILS, value[14:17], _weighted(value[14:17], 14))
    if ID_CHECK[(head + birth[0] + tail) % 11] != value[17]:
        return None
    return value


_ID_HEADS: dict[str, int | None] = {}
_ID_BIRTHS: dict[str, tuple[int, dt.date] | None] = {}
_ID_TAILS: dict[str, int] = {}
_ID_CACHE = 50_000
_T = TypeVar("_T")


def _cache(cache: dict[str, _T], key: str, value: _T) -> _T:
    if len(cache) >= _ID_CACHE:
        cache.clear()
    cache[key] = value
    return value


def _weighted(digits: str, start: int) -> int:
    return sum(map(mul, map(int, digits), ID_WEIGHTS[start : start + len(digits)]))


def _id_head(digits: str) -> int | None:
    """Weighted sum of the area code; None when the province is unknown or the county 0000."""
    if int(digits[:2]) not in PROVINCES or digits[2:6] == "0000":
        return None
    return _weighted(digits, 0)


def _id_birth(digits: str) -> tuple[int, dt.date] | None:
    """Weighted sum and date of the birth-date digits; None when the date is impossible."""
    try:
        birth = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    return (_weighted(digits, 6), birth) if birth.year >= 1900 else None
