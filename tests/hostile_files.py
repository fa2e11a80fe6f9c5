"""Hostile spreadsheets for the reader's bounds: a far cell and a zip bomb (made on the fly)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

_CT = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WB = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = (
    '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def write_xlsx(path: Path, sheet: str | Callable[[IO[bytes]], None]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        if isinstance(sheet, str):
            z.writestr("xl/worksheets/sheet1.xml", sheet)
        else:
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                sheet(f)
    return path


def far_cell(path: Path) -> Path:
    """One cell at A1 and one at XFD1048576: 1.5 KB that asks for a 17-billion-cell range."""
    cell = '<c r="{0}" t="inlineStr"><is><t>x</t></is></c>'
    return write_xlsx(
        path,
        SHEET_HEAD
        + f'<row r="1">{cell.format("A1")}</row>'
        + f'<row r="1048576">{cell.format("XFD1048576")}</row>'
        + SHEET_TAIL,
    )


def zip_bomb(path: Path, megabytes: int = 120) -> Path:
    """A small file whose one text cell inflates to `megabytes` MB."""

    def body(f: IO[bytes]) -> None:
        f.write((SHEET_HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>').encode())
        block = b"a" * (1024 * 1024)
        for _ in range(megabytes):
            f.write(block)
        f.write(("</t></is></c></row>" + SHEET_TAIL).encode())

    return write_xlsx(path, body)
