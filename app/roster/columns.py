"""Finding the header row of a roster sheet and what each column means."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from app.registry.validation import FieldError
from app.roster.dto import ColumnInfo, Field, SheetLayout
from app.roster.reader import SheetData
from app.roster.values import cell_text, parse_building
from app.text import fold

logger = logging.getLogger(__name__)

SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.COMPOUND: ("楼院名称", "楼院", "小区名称", "小区", "院落名称", "院落", "楼院名"),
    Field.BUILDING: ("楼号", "楼栋", "楼栋号", "栋号", "幢号", "楼幢", "楼宇", "楼"),
    Field.UNIT: ("单元", "单元号"),
    Field.ROOM: ("房号", "门牌号", "房间号", "室号", "户号", "门牌", "房屋编号"),
    Field.NAME: ("户主姓名", "姓名", "户主", "业主姓名", "业主", "住户姓名"),
    Field.ID_NUMBER: (
        "身份证号码",
        "身份证号",
        "身份证",
        "公民身份号码",
        "证件号码",
        "户主身份证号",
        "户主身份证号码",
    ),
    Field.PHONE: ("联系电话", "电话", "手机号", "手机", "手机号码", "联系方式", "电话号码"),
    Field.AREA: ("建筑面积", "面积", "房屋面积", "住房面积", "建面"),
    Field.OCCUPANTS: ("居住人数", "人数", "常住人数", "家庭人口", "人口数"),
    Field.STATUS: ("房屋状态", "状态", "居住状态", "居住情况"),
    Field.NOTES: ("备注", "说明"),
}
# Columns rosters often carry that the program knowingly ignores (the wizard does not ask).
KNOWN_EXTRAS = frozenset(
    "序号 编号 民族 政治面貌 性别 出生日期 出生年月 年龄 工作单位 文化程度 学历 与户主关系"
    " 关系 籍贯 户籍地址 户籍地 婚姻状况 职业 宗教信仰 健康状况 车牌号 是否党员 所属网格"
    " 网格员 行号 原因 文件 工作表 列".split()
)
_LOOKUP = {word: f for f, words in SYNONYMS.items() for word in words}
_BRACKETS = re.compile(r"[(（\[【].*?[)）\]】]")
HEADER_SCAN_ROWS = 30
PREVIEW_ROWS = 12


def normalize_header(text: str) -> str:
    """ "建筑面积\\n(㎡)", "* 姓名：" → "建筑面积", "姓名"."""
    value = _BRACKETS.sub("", fold(text))
    return re.sub(r"[\s*:：※]", "", value)


def field_of(header: str) -> Field | None:
    return _LOOKUP.get(normalize_header(header))


def _header_score(row: list[object]) -> set[Field]:
    return {f for cell in row if isinstance(cell, str) and (f := field_of(cell)) is not None}


def find_header(rows: list[list[object]]) -> int | None:
    """The first row of the top of a sheet naming at least three fields incl. room or name."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = _header_score(row)
        if len(found) >= 3 and (Field.ROOM in found or Field.NAME in found):
            return index
    return None


def signature_of(headers: list[str]) -> str:
    return "|".join(normalize_header(h) for h in headers if normalize_header(h))


def building_of_sheet(name: str) -> str | None:
    """ "3号楼", "3栋", "三号楼" → "3"; None for "Sheet1" or "说明"."""
    text = fold(name)
    if not re.search(r"(号楼|栋|幢|#)$", text) and not re.fullmatch(r"\d+[A-Za-z]?", text):
        return None
    try:
        return parse_building(text)
    except FieldError:
        return None


def layout_of(sheet: SheetData, remembered: dict[str, Field | None] | None = None) -> SheetLayout:
    """The header row and column meanings of one sheet; `remembered` maps header → field."""
    preview = tuple(tuple(cell_text(v) for v in row) for row in sheet.rows[:PREVIEW_ROWS])
    header_row = find_header(sheet.rows)
    building = building_of_sheet(sheet.name)
    if header_row is None:
        return SheetLayout(
            sheet.name, None, (), "", building, preview, skip_reason="未找到表头，不是花名册"
        )
    headers = [
        "".join(v.split()).strip() if isinstance(v, str) else cell_text(v)
        for v in sheet.rows[header_row]
    ]
    columns: list[ColumnInfo] = []
    taken: set[Field] = set()
    for index, header in enumerate(headers):
        if not header:
            continue
        key = normalize_header(header)
        field: Field | None = None
        known = True
        if remembered is not None and key in remembered:
            field = remembered[key]
        elif key in _LOOKUP:
            field = _LOOKUP[key]
        else:
            known = key in KNOWN_EXTRAS
        if field in taken:
            field = None  # a second 电话 column: the first one wins
        if field is not None:
            taken.add(field)
        columns.append(ColumnInfo(index, header, field, known))
    return SheetLayout(
        sheet.name, header_row, tuple(columns), signature_of(headers), building, preview
    )


MAX_MAPPING_BYTES = 4 * 1024 * 1024  # thousands of remembered header rows; more is not ours


class MappingStore:
    """Header mappings the clerk made by hand, remembered per header signature (a JSON file)."""

    def __init__(self, path: Path | None) -> None:
        self._path = path

    def _load(self) -> dict[str, dict[str, str]]:
        if self._path is None or not self._path.is_file():
            return {}
        try:
            if self._path.stat().st_size > MAX_MAPPING_BYTES:
                raise ValueError("too large")
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as exc:
            logger.warning("ignoring unreadable %s: %s", self._path, exc)
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, signature: str) -> dict[str, Field | None] | None:
        entry = self._load().get(signature)
        if not isinstance(entry, dict):
            return None
        by_name = {f.name: f for f in Field}
        return {
            k: by_name.get(v) if isinstance(v, str) else None
            for k, v in entry.items()
            if isinstance(k, str)
        }

    def put(self, signature: str, mapping: dict[str, Field | None]) -> None:
        if self._path is None:
            return
        data = self._load()
        data[signature] = {normalize_header(k): (v.name if v else "") for k, v in mapping.items()}
        self._path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self._path)


def sheet_layout(
    sheet: SheetData, chosen: dict[str, dict[str, Field | None]], store: MappingStore
) -> SheetLayout:
    """The layout with the clerk's mapping for these headers, else a remembered one."""
    layout = layout_of(sheet)
    if not layout.is_roster:
        return layout
    mapping = chosen.get(layout.signature) or store.get(layout.signature)
    return layout_of(sheet, mapping) if mapping else layout
