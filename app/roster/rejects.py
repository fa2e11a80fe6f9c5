"""The rejected rows of an import as an .xlsx: original columns plus 行号 and 原因."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from app.roster.dto import ImportPreview, RowPreview
from app.roster.errors import RosterFileError
from app.roster.xlsx import write_text


def write_rejects(preview: ImportPreview, out: Path) -> int:
    """Write one sheet per source sheet that has rejected rows; returns the number of rows.

    The header row is the first row, so the file can be corrected and imported again.
    """
    import xlsxwriter  # type: ignore[import-untyped]

    by_sheet: dict[tuple[str, str], list[RowPreview]] = defaultdict(list)
    for row in preview.rejected():
        by_sheet[(row.file, row.sheet)].append(row)
    headers = {(s.file, s.sheet): s.headers for s in preview.sources}
    book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    text = book.add_format({"num_format": "@"})
    guarded = book.add_format({"num_format": "@", "quote_prefix": True})
    reason_fmt = book.add_format({"font_color": "#C00000", "text_wrap": True})
    used: set[str] = set()
    for (file, sheet), rows in by_sheet.items():
        ws = book.add_worksheet(_sheet_name(sheet, used))
        original = list(headers.get((file, sheet), ()))
        width = max([len(original), *(len(r.raw) for r in rows)])
        original += [""] * (width - len(original))
        titles = ["行号", *original, "原因", "列", "文件"]
        ws.set_column(1, width, 14)
        ws.set_column(width + 1, width + 1, 50)
        ws.freeze_panes(1, 0)
        for col, title in enumerate(titles):
            ws.write_string(0, col, title, head)
        for r, row in enumerate(rows, start=1):
            ws.write_number(r, 0, row.row)
            for col, value in enumerate(row.raw[:width], start=1):
                write_text(ws, r, col, value, (text, guarded))
            write_text(ws, r, width + 1, row.reason, (reason_fmt, guarded))
            write_text(ws, r, width + 2, row.column, (text, guarded))
            write_text(ws, r, width + 3, f"{file} / {sheet}", (text, guarded))
    if not by_sheet:
        book.add_worksheet("未导入的行").write_string(0, 0, "没有被拒绝的行")
    try:
        book.close()
    except OSError as exc:
        raise RosterFileError(f"无法写入文件：{out}（{exc}）") from exc
    return len(preview.rejected())


def _sheet_name(name: str, used: set[str]) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:28] or "Sheet"
    candidate, n = clean, 2
    while candidate.lower() in used:
        candidate, n = f"{clean}_{n}", n + 1
    used.add(candidate.lower())
    return candidate
