"""Roster export: one sheet per compound, typed cells, masking by default (xlsxwriter)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.jobs import IsCancelled, Progress, check_cancelled
from app.roster.dto import Field
from app.roster.errors import RosterFileError
from app.roster.xlsx import FORMULA_START
from app.sheet_print import setup_xlsxwriter
from app.text import mask_id_number, mask_phone
from db.models import Building, Compound, Household, Resident

COLUMNS = tuple(Field)
WIDTHS = {
    Field.COMPOUND: 16,
    Field.BUILDING: 6,
    Field.UNIT: 6,
    Field.ROOM: 8,
    Field.NAME: 10,
    Field.ID_NUMBER: 21,
    Field.PHONE: 14,
    Field.AREA: 12,
    Field.OCCUPANTS: 9,
    Field.STATUS: 9,
    Field.NOTES: 24,
}
AREA_COL = COLUMNS.index(Field.AREA)
OCC_COL = COLUMNS.index(Field.OCCUPANTS)
BATCH = 5000
# First characters that may start a formula (after spaces): such texts get the quote prefix.
GUARD_FIRST = frozenset((*FORMULA_START, " ", "\t", "\r"))


@dataclass(frozen=True)
class ExportResult:
    path: Path
    compounds: int
    households: int
    masked: bool


def export_query(compound_ids: Sequence[int] | None) -> Any:
    residents = (
        select(Resident.household_id, func.count().label("n"))
        .group_by(Resident.household_id)
        .subquery()
    )
    h, b, c = Household, Building, Compound
    query = (
        select(c.id, c.name, b.name, h.unit, h.room, h.householder_name, h.id_number)
        .add_columns(h.phone, h.area_centi, residents.c.n, h.status, h.notes)
        .join(b, b.id == h.building_id)
        .join(c, c.id == h.compound_id)
        .outerjoin(residents, residents.c.household_id == h.id)
        .order_by(c.name, c.id, b.sort_key, b.name, h.unit, h.floor, h.room, h.id)
    )
    if compound_ids is not None:
        query = query.where(h.compound_id.in_(list(compound_ids)))
    return query


def count_households(s: Session, compound_ids: Sequence[int] | None) -> int:
    query = select(func.count(Household.id))
    if compound_ids is not None:
        query = query.where(Household.compound_id.in_(list(compound_ids)))
    return int(s.scalar(query) or 0)


class _Writer:
    """Writes rows compound by compound, each compound on its own sheet."""

    def __init__(self, path: Path, masked: bool) -> None:
        import xlsxwriter  # type: ignore[import-untyped]

        self.book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        add = self.book.add_format
        self.title = add({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
        self.head = add({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        self.text = add({"num_format": "@"})
        self.guarded = add({"num_format": "@", "quote_prefix": True})
        self.area = add({"num_format": "0.00"})
        self.total_label = add({"bold": True, "top": 1})
        self.total_area = add({"bold": True, "top": 1, "num_format": "0.00"})
        self.total_int = add({"bold": True, "top": 1, "num_format": "0"})
        self.masked = masked
        self.ws: Any = None
        self.row = 0
        self.first = 0
        self.area_centi = 0
        self.people = 0
        self.used: set[str] = set()

    def start(self, compound: str) -> None:
        self.finish()
        name = "".join("_" if ch in "[]:*?/\\" else ch for ch in compound)[:31] or "楼院"
        base, n = name, 2
        while name.lower() in self.used:
            name, n = f"{base[:28]}_{n}", n + 1
        self.used.add(name.lower())
        ws = self.ws = self.book.add_worksheet(name)
        for col, f in enumerate(COLUMNS):
            ws.set_column(col, col, WIDTHS[f])
        note = "身份证号、电话已脱敏" if self.masked else "含完整个人信息，请妥善保管"
        today = dt.date.today().isoformat()
        ws.set_row(0, 26)
        ws.merge_range(
            0, 0, 0, len(COLUMNS) - 1, f"{compound}住户花名册（{today} 导出，{note}）", self.title
        )
        for col, f in enumerate(COLUMNS):
            ws.write_string(1, col, f.label, self.head)
        ws.freeze_panes(2, 0)
        setup_xlsxwriter(ws, columns=len(COLUMNS), header_rows=2)
        self.row = self.first = 2
        self.area_centi, self.people = 0, 0

    def add(self, r: Any) -> None:
        ws, row, text, guarded = self.ws, self.row, self.text, self.guarded
        id_number, phone = r[6] or "", r[7] or ""
        if self.masked:
            id_number, phone = mask_id_number(id_number), mask_phone(phone)
        write = ws.write_string
        for col, value in enumerate((r[1], r[2], r[3], r[4], r[5], id_number, phone)):
            if value:
                write(row, col, value, guarded if value[0] in GUARD_FIRST else text)
            else:
                ws.write_blank(row, col, None, text)
        # Area cells are doubles in any spreadsheet; the total is summed exactly in hundredths.
        ws.write_number(row, AREA_COL, r[8] / 100, self.area)
        ws.write_number(row, OCC_COL, r[9] or 0)
        for col, value in ((9, r[10]), (10, r[11])):
            if value:
                write(row, col, value, guarded if value[0] in GUARD_FIRST else text)
            else:
                ws.write_blank(row, col, None, text)
        self.area_centi += r[8]
        self.people += r[9] or 0
        self.row += 1

    def finish(self) -> None:
        if self.ws is None:
            return
        ws, row, last = self.ws, self.row, self.row - 1
        ws.write_string(row, 0, "合计", self.total_label)
        for col in range(1, len(COLUMNS)):
            ws.write_blank(row, col, None, self.total_label)
        ws.write_string(row, 4, f"{row - self.first}户", self.total_label)
        if last >= self.first:
            area_col, occ_col = _col(AREA_COL), _col(OCC_COL)
            ws.write_formula(
                row, AREA_COL, f"=SUBTOTAL(109,{area_col}{self.first + 1}:{area_col}{last + 1})",
                self.total_area, self.area_centi / 100,
            )  # fmt: skip
            ws.write_formula(
                row, OCC_COL, f"=SUBTOTAL(109,{occ_col}{self.first + 1}:{occ_col}{last + 1})",
                self.total_int, self.people,
            )  # fmt: skip
        ws.autofilter(1, 0, max(last, 1), len(COLUMNS) - 1)
        self.ws = None

    def close(self) -> None:
        if not self.used:
            self.start("花名册")
        self.finish()
        self.book.close()


def _col(index: int) -> str:
    return chr(ord("A") + index)


def write_roster(
    path: Path,
    rows: Iterable[Any],
    *,
    masked: bool,
    total: int,
    progress: Progress,
    cancelled: IsCancelled,
) -> tuple[int, int]:
    """Write the rows (ordered by compound); returns (compounds, households)."""
    writer = _Writer(path, masked)
    current: int | None = None
    compounds = households = 0
    try:
        for r in rows:
            if r[0] != current:
                current = r[0]
                compounds += 1
                writer.start(r[1])
            writer.add(r)
            households += 1
            if households % BATCH == 0:
                check_cancelled(cancelled)
                progress(households, total)
        writer.close()
    except OSError as exc:
        raise RosterFileError(f"无法写入文件：{path}（{exc}）") from exc
    return compounds, households
