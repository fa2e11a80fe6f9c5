"""Survey results to .xlsx: tallies, raw answers, coverage and the not-reached list."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.errors import AppError
from app.sheet_print import is_formula_like, put_text, setup_openpyxl
from app.surveys.dto import (
    COVERAGE_HEADS,
    KIND_LABELS,
    OUTCOME_LABELS,
    Coverage,
    NotReachedRow,
    QuestionRow,
    RawSheet,
    Results,
)
from app.text import mask_phone

PERCENT = "0.0%"
BOLD = Font(bold=True)


def _sheet(wb: Workbook, title: str, headers: Sequence[tuple[str, int]]) -> Worksheet:
    ws: Worksheet = wb.create_sheet(title)
    for col, (name, width) in enumerate(headers, start=1):
        ws.cell(row=1, column=col, value=name).font = BOLD
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    setup_openpyxl(ws, columns=len(headers))
    return ws


def _put(ws: Worksheet, row: int, values: Sequence[Any], percent_cols: Sequence[int] = ()) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        if is_formula_like(value):
            put_text(cell, str(value))  # text as typed, never a formula
        if isinstance(value, Decimal):
            cell.value = float(value)  # a ratio for display; the exact figure is in the app
        if col in percent_cols:
            cell.number_format = PERCENT


def _tallies(wb: Workbook, results: Results) -> None:
    ws = _sheet(
        wb,
        "统计结果",
        (("题号", 6), ("题目", 40), ("题型", 14), ("选项", 22), ("人数", 8), ("占比", 9)),
    )
    row = 2
    for t in results.questions:
        q = t.question
        if q.data.kind in ("number", "text"):
            extra = f"合计 {t.number_sum}，平均 {t.number_mean}" if q.data.kind == "number" else ""
            _put(ws, row, (q.number, q.data.text, KIND_LABELS[q.data.kind], extra, t.valid))
            row += 1
            continue
        for o in t.options:
            _put(
                ws,
                row,
                (q.number, q.data.text, KIND_LABELS[q.data.kind], o.label, o.count, o.share),
                (6,),
            )
            row += 1
        _put(ws, row, (q.number, q.data.text, "有效回答", "", t.valid))
        ws.cell(row=row, column=3).font = BOLD
        row += 1
        if t.satisfaction_rate is not None:
            _put(
                ws,
                row,
                (q.number, q.data.text, "满意率", "满意+非常满意", None, t.satisfaction_rate),
                (6,),
            )
            row += 1
    if results.satisfaction_rate is not None:
        row += 1
        _put(
            ws,
            row,
            (
                "",
                "综合满意率",
                "",
                "满意+非常满意",
                results.satisfaction_satisfied,
                results.satisfaction_rate,
            ),
            (6,),
        )
        ws.cell(row=row, column=2).font = BOLD
        row += 1
    if results.by_building:
        row += 1
        _put(ws, row, ("", "各楼栋满意率", "有效回答", "满意", "", "满意率"))
        ws.cell(row=row, column=2).font = BOLD
        for b in results.by_building:
            row += 1
            _put(
                ws,
                row,
                ("", f"{b.compound_name} {b.building}号楼", b.valid, b.satisfied, None, b.rate),
                (6,),
            )


def _raw(wb: Workbook, questions: Sequence[QuestionRow], sheets: Sequence[RawSheet]) -> None:
    headers = [("楼院", 16), ("楼号", 6), ("单元", 6), ("房号", 8), ("户主", 10), ("走访结果", 10)]
    headers += [("方式", 8), ("调查人", 10), ("调查日期", 12)]
    headers += [(f"{q.number}. {q.data.text}", 18) for q in questions]
    ws = _sheet(wb, "原始答卷", headers)
    for row, sh in enumerate(sheets, start=2):
        values: list[Any] = [
            sh.compound_name,
            sh.building,
            sh.unit,
            sh.room,
            sh.householder_name,
            OUTCOME_LABELS[sh.outcome],
            sh.channel,
            sh.collected_by,
            sh.collected_on,
        ]
        values += [sh.answers.get(q.id, "") for q in questions]
        _put(ws, row, values)
        ws.cell(row=row, column=9).number_format = "yyyy-mm-dd"


def _coverage(wb: Workbook, coverage: Coverage) -> None:
    ws = _sheet(
        wb,
        "走访情况",
        (
            ("楼院", 18),
            ("楼号", 8),
            *((head, 9) for head in COVERAGE_HEADS),
        ),
    )
    rows = (*coverage.by_building, coverage.total)
    for n, r in enumerate(rows, start=2):
        _put(
            ws,
            n,
            (
                r.compound_name,
                r.building,
                *r.breakdown(),
                r.rate,
            ),
            (8,),
        )
    ws.cell(row=len(rows) + 1, column=1).font = BOLD


def _not_reached(wb: Workbook, rows: Sequence[NotReachedRow], unmasked: bool) -> None:
    ws = _sheet(
        wb,
        "未走到住户",
        (
            ("序号", 6),
            ("楼院", 18),
            ("楼号", 6),
            ("单元", 6),
            ("房号", 8),
            ("户主", 10),
            ("电话", 14),
            ("状态", 10),
            ("上次走访", 12),
        ),
    )
    for n, r in enumerate(rows, start=1):
        phone = r.phone if unmasked else mask_phone(r.phone)
        _put(
            ws,
            n + 1,
            (
                n,
                r.compound_name,
                r.building,
                r.unit,
                r.room,
                r.householder_name,
                phone,
                r.state,
                r.last_visit,
            ),
        )
        ws.cell(row=n + 1, column=9).number_format = "yyyy-mm-dd"


def _save(wb: Workbook, out: Path | str) -> None:
    try:
        wb.save(str(out))
    except OSError as exc:
        raise AppError(
            f"无法写入文件 {out}：{exc.strerror or exc}。文件是否正在 Excel 中打开？"
        ) from exc


def write_results_workbook(
    out: Path | str,
    results: Results,
    sheets: Sequence[RawSheet],
    coverage: Coverage,
    not_reached: Sequence[NotReachedRow],
    *,
    unmasked: bool = False,
) -> None:
    """统计结果, 原始答卷, 走访情况 and 未走到住户 in one workbook."""
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    _tallies(wb, results)
    _raw(wb, [t.question for t in results.questions], sheets)
    _coverage(wb, coverage)
    _not_reached(wb, not_reached, unmasked)
    _save(wb, out)


def write_not_reached_workbook(
    out: Path | str, rows: Sequence[NotReachedRow], *, unmasked: bool = False
) -> None:
    """Only the households still to visit."""
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    _not_reached(wb, rows, unmasked)
    _save(wb, out)
