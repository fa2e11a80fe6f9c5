"""Reading .xlsx, .xls and .csv files into plain rows, vertically merged cells filled down."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from app.roster.errors import RosterFileError
from app.roster.limits import MAX_CELLS, check_cells, check_file_size, check_xlsx

logger = logging.getLogger(__name__)

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
SUFFIXES = (*EXCEL_SUFFIXES, ".csv")
Merged = tuple[tuple[int, int], tuple[int, int]]


@dataclass
class SheetData:
    """One sheet: its name and rows of raw cell values (0-based, absolute positions)."""

    name: str
    rows: list[list[object]]


def read_file(path: Path) -> list[SheetData]:
    """Every visible sheet of a spreadsheet or the one table of a CSV file.

    Raises:
        RosterFileError: missing, unsupported or unreadable file.
    """
    if not path.is_file():
        raise RosterFileError(f"找不到文件：{path}")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise RosterFileError(f"不支持的文件类型“{path.suffix}”，请选择 .xlsx、.xls 或 .csv 文件")
    check_file_size(path)
    if suffix == ".csv":
        return [SheetData(path.stem, read_csv_rows(path.read_bytes(), path.name))]
    if suffix in (".xlsx", ".xlsm"):
        check_xlsx(path)
    return list(_read_excel(path))


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK and GB2312)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise RosterFileError("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码") from exc


def read_csv_rows(data: bytes, name: str = "CSV") -> list[list[object]]:
    text = decode_text(data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], ",\t;")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[object]] = []
    cells = 0
    try:  # newline="": rows end at \n, \r\n or a lone \r (old Mac files), as csv expects
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            cells += len(row)
            if cells > MAX_CELLS:
                check_cells(name, name, cells, 1)
            rows.append(list(row))
    except csv.Error as exc:
        raise RosterFileError(f"CSV 文件格式有误，无法读取：{exc}") from exc
    return rows


def _read_excel(path: Path) -> Iterator[SheetData]:
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged files
        logger.warning("cannot read %s: %s", path, exc)
        raise RosterFileError(f"无法读取文件“{path.name}”：文件已损坏或不是 Excel 文件") from exc
    try:
        for meta in book.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            check_cells(path.name, meta.name, sheet.total_height, sheet.total_width)
            rows = cast(list[list[object]], sheet.to_python(skip_empty_area=False))
            merged: list[Merged] | None = sheet.merged_cell_ranges
            if merged is None and path.suffix.lower() != ".xls":
                merged = _openpyxl_merged(path, meta.name)
            fill_down(rows, merged or [])
            yield SheetData(meta.name, rows)
    except RosterFileError:
        raise
    except Exception as exc:
        logger.warning("cannot read %s: %s", path, exc)
        raise RosterFileError(f"无法读取文件“{path.name}”：{exc}") from exc
    finally:
        book.close()


def _openpyxl_merged(path: Path, sheet: str) -> list[Merged]:
    """Merged ranges of an .xlsx sheet when calamine does not report them (older versions)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=False)
    try:
        return [
            ((r.min_row - 1, r.min_col - 1), (r.max_row - 1, r.max_col - 1))
            for r in book[sheet].merged_cells.ranges
        ]
    finally:
        book.close()


def fill_down(rows: list[list[object]], merged: list[Merged]) -> None:
    """Copy the value of every vertically merged range into the rows below it.

    Only the range's first column is filled: a title merged across columns stays one cell.
    """
    for (top, left), (bottom, _right) in merged:
        if bottom <= top or top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top + 1, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            if left < len(row):
                row[left] = value
