"""What the roster services hand to callers: frozen dataclasses."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple


class Field(enum.Enum):
    """The roster columns the program understands; the value is the template header."""

    COMPOUND = "楼院名称"
    BUILDING = "楼号"
    UNIT = "单元"
    ROOM = "房号"
    NAME = "户主姓名"
    ID_NUMBER = "身份证号码"
    PHONE = "联系电话"
    AREA = "建筑面积(㎡)"
    OCCUPANTS = "居住人数"
    STATUS = "房屋状态"
    NOTES = "备注"

    @property
    def label(self) -> str:
        return self.value


class Fate(enum.Enum):
    NEW = "新增"
    UPDATE = "更新"
    UNCHANGED = "不变"
    SKIPPED = "跳过"
    REJECTED = "拒绝"


@dataclass(frozen=True)
class ColumnInfo:
    index: int  # 0-based column of the sheet
    header: str  # as written (line breaks kept out)
    field: Field | None  # None: ignored
    known: bool  # the program placed it by itself (a synonym or a known extra column)


@dataclass(frozen=True)
class SheetLayout:
    """Where a sheet's header is and what its columns mean; header_row None: not a roster."""

    name: str
    header_row: int | None
    columns: tuple[ColumnInfo, ...]
    signature: str
    building_from_name: str | None
    preview: tuple[tuple[str, ...], ...]  # the first rows as text, for the window
    skip_reason: str = ""

    @property
    def is_roster(self) -> bool:
        return self.header_row is not None

    @property
    def unplaced(self) -> tuple[ColumnInfo, ...]:
        return tuple(c for c in self.columns if not c.known and c.field is None)

    def mapping(self) -> dict[int, Field]:
        return {c.index: c.field for c in self.columns if c.field is not None}


@dataclass(frozen=True)
class FileLayout:
    path: Path
    sheets: tuple[SheetLayout, ...]


@dataclass(frozen=True)
class ImportOptions:
    # Community (by name) of compounds new to the database; "" = the only/first one. A name
    # the database does not have yet is created.
    community: str = ""
    default_compound: str = ""  # when the file has no compound column and no title
    # signature → header text → Field, for headers the clerk placed by hand
    mappings: dict[str, dict[str, Field | None]] = field(default_factory=dict)


Where = tuple[str, str, int]
"""A row of a file: (file name, sheet name, 1-based row number as the spreadsheet shows it).
A plain tuple, made for every row: the garbage collector stops looking at a tuple of strings
and numbers, but never at a named tuple, and an import keeps 100,000s of them."""


class RowPreview(NamedTuple):
    """One row of the file and what the import does with it (immutable; a named tuple because
    an import makes one per row, and tuples are made several times faster than dataclasses)."""

    file: str
    sheet: str
    row: int  # 1-based row number as the spreadsheet shows it
    fate: Fate
    compound: str = ""
    building: str = ""
    unit: str = ""
    room: str = ""
    name: str = ""
    id_number: str = ""  # masked for display
    phone: str = ""
    area: Decimal | None = None
    column: str = ""  # the column a rejection is about
    reason: str = ""  # rejection, skip reason, or what an update changes
    warnings: tuple[str, ...] = ()
    raw: tuple[str, ...] = ()  # the original cells, for the error file


@dataclass(frozen=True)
class SheetSource:
    """The header row of one sheet, for the error file's columns."""

    file: str
    sheet: str
    headers: tuple[str, ...]


@dataclass(frozen=True)
class ImportPreview:
    rows: tuple[RowPreview, ...]
    counts: dict[Fate, int]
    warnings: int
    new_compounds: tuple[str, ...]
    existing_compounds: tuple[str, ...]
    new_buildings: tuple[str, ...]  # "楼院 3号楼"
    sources: tuple[SheetSource, ...]
    skipped_sheets: tuple[str, ...]  # "文件 / 说明": sheets without a roster header

    @property
    def writable(self) -> int:
        return self.counts.get(Fate.NEW, 0) + self.counts.get(Fate.UPDATE, 0)

    def rejected(self) -> tuple[RowPreview, ...]:
        return tuple(r for r in self.rows if r.fate is Fate.REJECTED)


@dataclass(frozen=True)
class ImportResult:
    created_compounds: int
    created_buildings: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    rejected: int
