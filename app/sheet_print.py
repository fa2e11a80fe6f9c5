"""Print setup and plain-text cells for every Excel export (openpyxl and xlsxwriter alike).

A sheet prints on A4 at the width of the paper (as many pages down as its rows need), turned
to landscape when wide, with the header rows on every page and "第 x 页 共 y 页" in the footer.
Text a spreadsheet would read as a formula (=1+1, +86…, -5, @x) is stored as a plain string:
no visible apostrophe, nothing evaluated.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@")
A4_PAPER = 9  # the paper code both libraries use
FOOTER = "&C第 &P 页 共 &N 页"
WIDE = 8  # columns from which a sheet prints landscape


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.lstrip("\t\r ").startswith(FORMULA_START)


def put_text(cell: Any, value: str) -> None:
    """An openpyxl cell holding `value` as a plain string (never a formula, no apostrophe)."""
    cell.value = value
    cell.data_type = "s"


def setup_openpyxl(ws: Any, *, columns: int, header_rows: int = 1) -> None:
    """Print setup of an openpyxl worksheet."""
    ws.page_setup.paperSize = A4_PAPER
    ws.page_setup.orientation = "landscape" if columns >= WIDE else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_rows}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def setup_xlsxwriter(ws: Any, *, columns: int, header_rows: int = 1) -> None:
    """Print setup of an xlsxwriter worksheet."""
    ws.set_paper(A4_PAPER)
    if columns >= WIDE:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, header_rows - 1)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4)
    ws.set_footer(FOOTER)
