"""Every Excel export prints: print setup, number formats, masking, formula-like text stored
as plain strings; LibreOffice prints a compound's roster on landscape pages with the header on
every page."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from app.audit import Actor
from app.errors import PermissionDenied
from app.fees.dto import ArrearsRow, ChargeRow
from app.fees.export import export_charges
from app.governance.dto import ClosureRow, ProblemRow
from app.governance.export import write_problems
from app.resources import bundled_font_path
from app.services import Services
from db.models import AuditEntry

FORMULA = "=1+1"


def _print_setup(ws: Any, landscape: bool, title_rows: str = "1:1") -> None:
    assert ws.page_setup.orientation == ("landscape" if landscape else "portrait")
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows.replace("$", "") == title_rows
    assert "&P" in (ws.oddFooter.center.text or "") and "&N" in ws.oddFooter.center.text


def test_charges_export(tmp_path: Path) -> None:
    """Regression: area had no 0.00 format; '=1+1 showed with a visible apostrophe."""
    row = ChargeRow(1, 1, FORMULA, "3号楼1单元101", "-张三", "2026-03", 1, 8512, 450, 3830, 0,
                    "", 3830, 0, dt.date(2026, 3, 31))  # fmt: skip
    out = tmp_path / "c.xlsx"
    export_charges(out, [row])
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    assert ws["A2"].value == FORMULA and ws["A2"].data_type == "s"
    assert ws["C2"].value == "-张三" and ws["C2"].data_type == "s"
    assert ws["E2"].number_format == "0.00" and float(ws["E2"].value) == 85.12
    _print_setup(ws, landscape=True)


def test_arrears_masked_by_default_unmasked_audited(services: Services, tmp_path: Path) -> None:
    """Regression: the 欠费清单 always had full phones."""
    rows = [ArrearsRow(1, "一号院", "3号楼1单元101", "@李四", "13812345678", 2, "2026-02", 7200)]
    out = tmp_path / "a.xlsx"
    services.fees.ledger.export_arrears(out, rows)
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    assert ws["D2"].value != "13812345678" and "****" in str(ws["D2"].value)
    assert ws["C2"].value == "@李四" and ws["C2"].data_type == "s"
    _print_setup(ws, landscape=False)
    admin = Services.build(services.db, Actor("boss", "admin"))
    admin.fees.ledger.export_arrears(out, rows, unmasked=True)
    assert openpyxl.load_workbook(out).active["D2"].value == "13812345678"  # type: ignore[index]
    with services.db.sessions() as s:
        notes = list(
            s.scalars(select(AuditEntry.note).where(AuditEntry.action == "export_unmasked"))
        )
    assert any("欠费清单" in n for n in notes)
    viewer = Services.build(services.db, Actor("guest", "viewer"))
    with pytest.raises(PermissionDenied):
        viewer.fees.ledger.export_arrears(tmp_path / "v.xlsx", rows, unmasked=True)
    assert not (tmp_path / "v.xlsx").exists()


def test_problems_export(tmp_path: Path) -> None:
    day = dt.date(2026, 11, 1)
    row = ProblemRow(1, 1, "飞线充电", 1, "一号院", "+3号楼", FORMULA, "居民", day, None, "王五",
                     "13800001111", "一网格", None, "", None, "待处理", "-", None,
                     False)  # fmt: skip
    out = tmp_path / "p.xlsx"
    write_problems(out, [row], [ClosureRow(1, "飞线充电", 1, 0, 0, 0)], dt.date(2026, 12, 7))
    wb = openpyxl.load_workbook(out)
    ws = wb["问题台账"]
    assert ws["E2"].value == FORMULA and ws["E2"].data_type == "s"
    assert ws["D2"].value == "+3号楼" and ws["N2"].value == "-"
    _print_setup(ws, landscape=True)
    _print_setup(wb["分类统计"], landscape=False)


def test_survey_workbook_print_setup(demo: Services, tmp_path: Path) -> None:
    from app.surveys import paper

    sid = next(s.id for s in demo.surveys.list_surveys() if s.answered)
    out = tmp_path / "s.xlsx"
    paper.export_results(demo, sid, out)
    for ws in openpyxl.load_workbook(out).worksheets:
        assert ws.page_setup.fitToWidth == 1 and ws.print_title_rows.replace("$", "") == "1:1", (
            ws.title
        )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_roster_prints_landscape_with_header_on_every_page(demo: Services, tmp_path: Path) -> None:
    """Regression: one compound's roster printed on 10 portrait pages with its columns split."""
    from pypdf import PdfReader

    compound = demo.compounds.list_compounds()[0]
    out = tmp_path / "roster.xlsx"
    result = demo.rosters.export(out, [compound.id])
    # The bundled CJK font, so the office PC's missing Chinese font does not garble the text.
    fonts = tmp_path / "fonts.conf"
    fonts.write_text(
        '<?xml version="1.0"?><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf'
        f"</include><dir>{bundled_font_path().parent}</dir></fontconfig>"
    )
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=180,
        env={**os.environ, "FONTCONFIG_FILE": str(fonts)},
    )  # fmt: skip
    reader = PdfReader(tmp_path / "roster.pdf")
    rows = result.households + 3  # title, header, households, total
    per_page = 30  # a landscape A4 holds at least this many roster rows
    assert len(reader.pages) <= -(-rows // per_page)
    for page in reader.pages:
        box = page.mediabox
        assert float(box.width) > float(box.height)  # landscape
        text = page.extract_text()
        assert "楼院名称" in text and "房号" in text and "备注" in text  # every column, header
        assert "页" in text  # the page footer


def test_partial_payment_is_marked() -> None:
    """Regression: a partial payment was not marked 部分."""
    base = ChargeRow(1, 1, "一号院", "3号楼1单元101", "张三", "2026-03", 1, 8000, 450, 3600, 0,
                     "", 3600, 0, dt.date(2026, 3, 31))  # fmt: skip
    from dataclasses import replace

    assert base.pay_state == "未缴"
    assert replace(base, paid_fen=1000).pay_state == "部分"
    assert replace(base, paid_fen=3600).pay_state == "已缴清"
