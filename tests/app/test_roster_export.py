"""Roster export and template: cells reopened with openpyxl; round trip; masking and audit."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from roster_corpus import ID_A, gbk_csv, messy_xlsx
from sqlalchemy import select

from app.audit import Actor
from app.errors import PermissionDenied
from app.registry.dto import HouseholdInput
from app.registry.validation import FieldError
from app.roster.dto import Fate, ImportOptions
from app.roster.values import cell_text, chinese_number, parse_area, parse_room
from app.roster.xlsx import needs_guard
from app.services import Services
from db.models import AuditEntry

OPTS = ImportOptions(community="幸福社区")


def _seed(services: Services, tmp_path: Path) -> None:
    services.rosters.commit(services.rosters.plan([messy_xlsx(tmp_path / "m.xlsx")], OPTS))


def test_export_cells(services: Services, tmp_path: Path) -> None:
    _seed(services, tmp_path)
    out = tmp_path / "out.xlsx"
    result = services.rosters.export(out)
    assert (result.compounds, result.households, result.masked) == (1, 6, True)
    ws = openpyxl.load_workbook(out)["和平里小区"]
    assert "和平里小区住户花名册" in str(ws["A1"].value)
    assert [c.value for c in ws[2]][:4] == ["楼院名称", "楼号", "单元", "房号"]
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:K8"
    first = [c for c in ws[3]]
    assert first[5].value == ID_A[:6] + "********" + ID_A[-4:] and first[5].data_type == "s"
    assert first[6].value == "138****5678" and first[6].data_type == "s"
    assert first[7].value == 85.6 and first[7].number_format == "0.00"
    assert first[3].value == "101" and first[3].data_type == "s"
    formula_cell = next(r[10] for r in ws.iter_rows(min_row=3) if r[4].value == "李四")
    assert formula_cell.value == "=1+2" and formula_cell.data_type == "s"
    assert formula_cell.quotePrefix  # shown as text, never evaluated
    total = [c.value for c in ws[9]]
    assert total[0] == "合计" and total[4] == "6户" and str(total[7]).startswith("=SUBTOTAL")


def test_unmasked_round_trip_is_unchanged(services: Services, tmp_path: Path) -> None:
    _seed(services, tmp_path)
    out = tmp_path / "full.xlsx"
    services.rosters.export(out, unmasked=True)
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws["F3"].value == ID_A
    preview = services.rosters.plan([out], OPTS).preview
    assert preview.counts[Fate.UNCHANGED] == 6
    assert preview.counts[Fate.NEW] == preview.counts[Fate.UPDATE] == 0
    assert preview.counts[Fate.REJECTED] == 0
    with services.db.sessions() as s:
        actions = list(s.scalars(select(AuditEntry.action)))
    assert "export_unmasked" in actions and "import" in actions


def test_masked_export_reimports_without_losing_ids(services: Services, tmp_path: Path) -> None:
    _seed(services, tmp_path)
    out = tmp_path / "masked.xlsx"
    services.rosters.export(out)
    preview = services.rosters.plan([out], OPTS).preview
    assert preview.counts[Fate.UNCHANGED] == 6
    assert any("已脱敏" in w for r in preview.rows for w in r.warnings)


def test_viewer_cannot_export_unmasked(services: Services, tmp_path: Path) -> None:
    viewer = Services.build(services.db, Actor("v", "viewer"))
    with pytest.raises(PermissionDenied):
        viewer.rosters.export(tmp_path / "x.xlsx", unmasked=True)
    viewer.rosters.export(tmp_path / "x.xlsx")  # masked is fine


def test_multi_compound_sheets_and_selection(services: Services, tmp_path: Path) -> None:
    _seed(services, tmp_path)
    services.rosters.commit(services.rosters.plan([gbk_csv(tmp_path / "g.csv")], OPTS))
    cid = services.rosters.compound_ids("和平里小区")[0]
    services.households.save_household(
        None, HouseholdInput(cid, "9", "101", "10", householder_name="甲", notes="@SUM(A1)")
    )
    out = tmp_path / "all.xlsx"
    assert services.rosters.export(out).compounds == 2
    assert openpyxl.load_workbook(out).sheetnames == ["光明院", "和平里小区"]
    services.rosters.export(out, [cid])
    ws = openpyxl.load_workbook(out).worksheets[0]
    cell = next(r[10] for r in ws.iter_rows(min_row=3) if r[1].value == "9")
    assert cell.value == "@SUM(A1)" and cell.data_type == "s" and cell.quotePrefix


def test_template_imports_its_example(services: Services, tmp_path: Path) -> None:
    out = tmp_path / "template.xlsx"
    services.rosters.write_template(out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["花名册", "填写说明"]
    assert book["花名册"]["F3"].number_format == "@"
    preview = services.rosters.plan([out], OPTS).preview
    assert preview.counts[Fate.NEW] == 1 and preview.skipped_sheets


@given(st.integers(min_value=1, max_value=999_999), st.sampled_from(["", "㎡", "平方米", " "]))
def test_area_normalisation(centi: int, unit: str) -> None:
    text = f"{centi / 100:.2f}"
    full = text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert parse_area(f" {full}{unit} ").value == parse_area(text).value
    assert parse_area(centi / 100).value * 100 == centi


@pytest.mark.parametrize("raw", [0.004, "0.001", "0.0049㎡", -0.001])
def test_area_that_rounds_to_nothing_is_refused(raw: object) -> None:
    """Stored in hundredths, 0.004 m² would be 0: refused like 0 itself, not left to the
    database's CHECK to fail the whole import."""
    with pytest.raises(FieldError, match="大于0"):
        parse_area(raw)


@given(st.integers(1, 30), st.integers(1, 9999))
def test_room_normalisation(unit: int, room: int) -> None:
    loc = parse_room(f"{unit}-{room}")
    assert (loc.unit, loc.room) == (str(unit), str(room))
    assert parse_room(f"{unit}单元{room}室") == loc
    assert parse_room(f"{room}室").room == str(room)


@given(st.integers(1, 99))
def test_chinese_numbers(n: int) -> None:
    digits = "零一二三四五六七八九"
    word = (
        (digits[n // 10] if n >= 20 else "")
        + ("十" if n >= 10 else "")
        + (digits[n % 10] if n % 10 else "")
    )
    assert chinese_number(word + "号楼") == f"{n}号楼"


@given(st.text(max_size=20))
def test_guard_and_cell_text(text: str) -> None:
    assert needs_guard("=" + text) and needs_guard("@" + text)
    assert cell_text(text) == cell_text(cell_text(text))


@given(st.integers(0, 10**15))
def test_numeric_cells_lose_no_visible_digits(n: int) -> None:
    assert cell_text(float(n)) == str(n)


@given(st.from_regex(r"[1-8][0-9]{5}(19|20)[0-9]{2}[01][0-9][0-3][0-9]{4}[0-9Xx]", fullmatch=True))
def test_quick_id_check_agrees_with_the_reference(text: str) -> None:
    from app.registry.validation import FieldError, clean_id_number
    from app.roster.rows import quick_id_number

    try:
        expected: str | None = clean_id_number(text)
    except FieldError:
        expected = None
    assert quick_id_number(text) in (expected, None)
    if expected is not None:
        assert quick_id_number(text) == expected


def test_cli_export(services: Services, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from app.cli import main

    _seed(services, tmp_path)
    url, out = services.db.target.url, tmp_path / "cli.xlsx"
    assert main(["--db", url, "export-roster", str(out), "--compound", "和平里小区"]) == 0
    assert "已导出 1 个楼院、6 户" in capsys.readouterr().out
    assert "****" in str(openpyxl.load_workbook(out).worksheets[0]["F3"].value)
    assert main(["--db", url, "export-roster", str(out), "--unmasked"]) == 0
    assert openpyxl.load_workbook(out).worksheets[0]["F3"].value == ID_A
    assert main(["--db", url, "export-roster", str(out), "--compound", "无此院"]) == 1
    assert "没有名为“无此院”的楼院" in capsys.readouterr().err
