"""Shared xlsxwriter plumbing: cell formats and the formula-injection guard."""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@")


def needs_guard(text: str) -> bool:
    """A text a spreadsheet would take for a formula (also after a leading tab or CR)."""
    return text.lstrip("\t\r ").startswith(FORMULA_START)


def write_text(ws: Any, row: int, col: int, text: str, formats: tuple[Any, Any]) -> None:
    """A string cell; one that looks like a formula gets Excel's quote prefix (shown as text,
    never evaluated, not even after the cell is edited)."""
    fmt, guarded = formats
    if text and needs_guard(text):
        ws.write_string(row, col, text, guarded)
    elif text:
        ws.write_string(row, col, text, fmt)
    else:
        ws.write_blank(row, col, None, fmt)
