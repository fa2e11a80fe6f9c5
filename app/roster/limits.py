"""Bounds on what a roster file may make the program read, checked before the reader runs.

A 1.5 KB .xlsx with one cell at A1 and one at XFD1048576 asks a spreadsheet reader for a dense
range of 17 billion cells; a 1 MB zip bomb inflates to hundreds of megabytes. Both are refused
with a Chinese message before any of that is allocated: the file size on disk, the workbook's
uncompressed size (as declared in the zip and as really inflated, streamed in 1 MB chunks),
and each sheet's real extent (rows × columns, from the cell references) and cell count.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from app.roster.errors import RosterFileError

MAX_FILE_BYTES = 100 * 1024 * 1024  # on disk, any roster file
MAX_XML_BYTES = 100 * 1024 * 1024  # an .xlsx's sheets and shared strings, uncompressed
MAX_CELLS = 3_000_000  # one sheet's rows × columns (e.g. 100,000 rows × 30 columns)
CHUNK = 1024 * 1024

_PARTS = re.compile(r"xl/(worksheets/[^/]+\.xml|sharedStrings\.xml)$", re.IGNORECASE)
_ROW_REF = re.compile(rb'<(?:\w+:)?row r="([0-9]{1,7})"')
_COLUMN_REF = re.compile(rb'c r="([A-Z]{1,3})[0-9]')


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def too_big(name: str, what: str) -> RosterFileError:
    return RosterFileError(
        f"文件“{name}”过大，未读取：{what}。请删去多余的空行、空列（例如远处误填的单元格），"
        "或把表格拆成几个文件后再导入。"
    )


def check_file_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise too_big(path.name, f"{_mb(size)}，超过 {_mb(MAX_FILE_BYTES)}")


def check_cells(name: str, sheet: str, rows: int, columns: int) -> None:
    if rows * columns > MAX_CELLS:
        raise too_big(
            name,
            f"工作表“{sheet}”占 {rows:,} 行 × {columns:,} 列，"
            f"超过一次可读取的 {MAX_CELLS:,} 个单元格",
        )


def check_xlsx(path: Path) -> None:
    """Refuse an .xlsx whose inflated size or sheet extent is out of bounds. A file that is
    not a zip at all is left to the reader (which reports it as damaged)."""
    check_file_size(path)
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with book:
        parts = [i for i in book.infolist() if _PARTS.search(i.filename)]
        declared = sum(i.file_size for i in parts)
        if declared > MAX_XML_BYTES:
            raise too_big(path.name, f"解压后约 {_mb(declared)}，超过 {_mb(MAX_XML_BYTES)}")
        inflated = 0
        for info in parts:
            inflated = _scan(book, info, path.name, inflated)


def _last_row(body: bytes) -> int:
    """The highest row number among the row tags of the chunk's last 64 KB (rows come in
    order, so this is the chunk's last row)."""
    rows = [int(r) for r in _ROW_REF.findall(body, max(0, len(body) - 65536))]
    return max(rows, default=0)


def _widest_column(body: bytes) -> int:
    """The widest column referenced in the chunk (one C-speed search for the references)."""
    letters = set(_COLUMN_REF.findall(body))
    return max((column_number(c) for c in letters), default=0)


def _scan(book: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, inflated: int) -> int:
    """Inflate one part in chunks, counting real bytes and, for a sheet, its cell extent."""
    sheet = info.filename.startswith("xl/worksheets/")
    sheet_name = info.filename.rsplit("/", 1)[-1]
    max_row = max_col = cells = 0
    tail = b""
    try:
        with book.open(info) as stream:
            while chunk := stream.read(CHUNK):
                inflated += len(chunk)
                if inflated > MAX_XML_BYTES:
                    raise too_big(name, f"解压后超过 {_mb(MAX_XML_BYTES)}")
                if not sheet:
                    continue
                data = tail + chunk
                cut = data.rfind(b">") + 1  # scan whole tags only; the rest waits
                body, tail = data[:cut], data[cut:][-4096:]
                cells += body.count(b"<c ") + body.count(b":c ")
                max_row = max(max_row, _last_row(body))
                max_col = max(max_col, _widest_column(body))
                check_cells(name, sheet_name, max_row, max_col)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return inflated  # damaged inside: the reader says so
    if cells > MAX_CELLS:
        check_cells(name, sheet_name, cells, 1)
    return inflated
