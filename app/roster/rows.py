"""One roster row to a household record, a skip or a rejection: pure, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from app.registry.validation import FieldError, clean_id_number, clean_name, clean_phone
from app.roster.columns import field_of
from app.roster.dto import Field
from app.roster.values import (
    cell_text,
    id_digits_lost,
    is_masked,
    parse_area,
    parse_building,
    parse_room,
    parse_unit,
)
from app.text import fold
from db.models.registry import HOUSEHOLD_STATUSES

TOTAL_WORDS = ("合计", "小计", "总计", "共计")
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
_YEAR = re.compile(r"\d{4}年(度)?|[(（].*?[)）]")


class Rejected(Exception):
    def __init__(self, field: Field | None, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


class Skipped(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Record:
    """A household row as it will be written; None in an optional field keeps the stored value."""

    compound: str
    building: str
    unit: str
    room: str
    name: str
    area: Decimal
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


def _cell(values: list[object], mapping: dict[Field, int], field: Field) -> object:
    index = mapping.get(field)
    if index is None or index >= len(values):
        return None
    return values[index]


def _text(values: list[object], mapping: dict[Field, int], field: Field) -> str:
    return cell_text(_cell(values, mapping, field))


def check_skip(values: list[object], mapping: dict[Field, int]) -> None:
    """Raise Skipped for totals, footers, repeated headers and rows without a household."""
    texts = [cell_text(v) for v in values]
    filled = [t for t in texts if t]
    room, name = _text(values, mapping, Field.ROOM), _text(values, mapping, Field.NAME)
    if any(t.replace(" ", "").startswith(TOTAL_WORDS) for t in filled):
        raise Skipped("合计/小计行")
    if filled[0].replace(" ", "").startswith(FOOTER_WORDS) and not (room and name):
        raise Skipped("落款/签字行")
    if room and field_of(room) is Field.ROOM:
        raise Skipped("重复的表头行")
    if not room and not name and not _text(values, mapping, Field.AREA):
        raise Skipped("不是住户行")


@dataclass(frozen=True)
class RowContext:
    compound: str  # from the title or the clerk, when there is no compound column
    building: str | None  # from the sheet name


def parse_row(values: list[object], mapping: dict[Field, int], ctx: RowContext) -> Record:
    """A household record from a row that `check_skip` let through.

    Raises:
        Rejected: a rule the row breaks, with the column it is about.
    """
    warnings: list[str] = []
    compound = fold(_text(values, mapping, Field.COMPOUND)) or ctx.compound
    if not compound:
        raise Rejected(Field.COMPOUND, "未填楼院名称（文件中没有楼院名称列时，请指定楼院）")
    building, unit, room = _location(values, mapping, ctx)
    try:
        name = clean_name(_text(values, mapping, Field.NAME), field="户主姓名")
    except FieldError as exc:
        raise Rejected(Field.NAME, "未填户主姓名" if "请填写" in str(exc) else str(exc)) from exc
    try:
        area = parse_area(_cell(values, mapping, Field.AREA))
    except FieldError as exc:
        raise Rejected(Field.AREA, str(exc)) from exc
    if area.rounded:
        warnings.append("建筑面积超过两位小数，已四舍五入")
    id_number = _id_number(_cell(values, mapping, Field.ID_NUMBER), warnings)
    phone = _phone(values, mapping, warnings)
    status = _status(values, mapping, warnings)
    notes = _text(values, mapping, Field.NOTES) if Field.NOTES in mapping else None
    occupants = _text(values, mapping, Field.OCCUPANTS)
    if occupants and not occupants.isdigit():
        warnings.append(f"居住人数“{occupants}”不是整数，已忽略")
    return Record(
        compound, building, unit, room, name, area.value, id_number, phone, status, notes,
        tuple(warnings),
    )  # fmt: skip


def _location(
    values: list[object], mapping: dict[Field, int], ctx: RowContext
) -> tuple[str, str, str]:
    raw_room = _text(values, mapping, Field.ROOM)
    try:
        loc = parse_room(raw_room)
        building_text = _text(values, mapping, Field.BUILDING)
        building = parse_building(building_text) if building_text else None
        unit_text = _text(values, mapping, Field.UNIT)
        unit = parse_unit(unit_text) if unit_text else None
        room_building = parse_building(loc.building) if loc.building else None
    except FieldError as exc:
        raise Rejected(Field.ROOM, str(exc)) from exc
    if building and room_building and building != room_building:
        raise Rejected(Field.ROOM, f"房号“{raw_room}”中的楼号与楼号列（{building}）不一致")
    if unit and loc.unit and unit != loc.unit:
        raise Rejected(Field.ROOM, f"房号“{raw_room}”中的单元与单元列（{unit}）不一致")
    final_building = building or room_building or ctx.building
    if not final_building:
        raise Rejected(Field.BUILDING, "未填楼号")
    return final_building, unit or loc.unit or "", loc.room


def _id_number(raw: object, warnings: list[str]) -> str | None:
    text = cell_text(raw)
    if not text:
        return None
    if id_digits_lost(raw):
        raise Rejected(Field.ID_NUMBER, ID_LOST)
    if is_masked(text):
        warnings.append("身份证号已脱敏，保留原值")
        return None
    try:
        return clean_id_number(text)
    except FieldError as exc:
        raise Rejected(Field.ID_NUMBER, f"身份证号“{text}”有误：{exc}") from exc


def _phone(values: list[object], mapping: dict[Field, int], warnings: list[str]) -> str | None:
    if Field.PHONE not in mapping:
        return None
    text = _text(values, mapping, Field.PHONE)
    if not text:
        warnings.append("未填联系电话")
        return None
    if is_masked(text):
        warnings.append("联系电话已脱敏，保留原值")
        return None
    try:
        return clean_phone(text)
    except FieldError as exc:
        warnings.append(f"联系电话“{text}”未导入：{exc}")
        return None


def _status(values: list[object], mapping: dict[Field, int], warnings: list[str]) -> str | None:
    text = _text(values, mapping, Field.STATUS).replace(" ", "")
    if not text:
        return None
    status = STATUS_WORDS.get(text)
    if status is None or status not in HOUSEHOLD_STATUSES:
        warnings.append(f"房屋状态“{text}”无法识别，未导入")
        return None
    return status
