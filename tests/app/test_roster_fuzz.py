"""Property-based: the roster importer takes any file without a crash or a partial write.

Random bytes under a spreadsheet's name, damaged workbooks, and valid header layouts whose
cells hold NUL bytes, huge strings, formulas, odd numbers, negative areas and odd Unicode:
planning either raises an AppError (a clear Chinese message, nothing changed) or previews
every row; the commit then writes exactly the new and changed rows and nothing else, so that
planning the same file again finds nothing left to write."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.errors import AppError
from app.roster.dto import Fate, ImportOptions
from app.services import Services
from db.models import AuditEntry, Building, Community, Compound, Household

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
OPTS = ImportOptions(community="幸福社区")
HEADERS = [
    "楼院名称", "楼号", "单元", "房号", "户主姓名", "身份证号码", "联系电话", "建筑面积(㎡)",
    "居住人数", "房屋状态", "备注",
]  # fmt: skip

NASTY: list[object] = [
    "", " ", "\x00", "张\x00三", "1\x0001", "\x07\x1b", "=1+2", "=A1/0", "=HYPERLINK(\"x\")",
    "@SUM(A1)", "+1", "-1", "0", "-85.5", "-0.01", "1e309", "NaN", "inf", "4.10102E+17",
    "\u202e101", "楼\u200b", "𝔘𝔫𝔦", "😀", "\ufeff3", "Ⅲ", "３号楼", "\t\n", "x" * 300,
    "长" * 5000, "9" * 40, "'; DROP TABLE household; --", "None", "#REF!", "1-2-3-4-5",
    "零", "三号楼", "贰单元", -1, 0, -85.5, 1e308, 10**20, -(10**20), 0.1 + 0.2, True,
]  # fmt: skip
odd = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=20),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.none(),
)
VALID: list[st.SearchStrategy[Any]] = [
    st.sampled_from(["和平里小区", "光明院"]),
    st.sampled_from(["1", "2号楼", "3栋", 4]),
    st.sampled_from(["1", "2", 1, "1单元", ""]),
    st.integers(1, 6).map(lambda f: f * 100) | st.integers(101, 112),
    st.sampled_from(["张三", "李四", "王五", "欧阳娜娜"]),
    st.sampled_from(["", "110105194912310029"]),
    st.sampled_from(["", "13812345678", 13912345678]),
    st.floats(20, 300).map(lambda a: round(a, 2)) | st.sampled_from(["85.6㎡", "72平方米"]),
    st.integers(0, 8) | st.just(""),
    st.sampled_from(["", "自住", "出租", "空置"]),
    st.sampled_from(["", "备注"]),
]


@st.composite
def rows(draw: st.DrawFn) -> list[list[object]]:
    """Up to 8 rows; each valid but for up to three broken cells, sometimes short or blank."""
    out = []
    for _ in range(draw(st.integers(0, 8))):
        broken = draw(st.sets(st.integers(0, len(HEADERS) - 1), max_size=3))
        row = [draw(odd) if i in broken else draw(VALID[i]) for i in range(len(HEADERS))]
        out.append(row[: draw(st.integers(0, len(HEADERS)))] if draw(st.booleans()) else row)
    return out


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
COMPOUND, ROOM, NOTES = 0, 3, 10


def _write_xlsx(path: Path, table: list[list[object]]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = book.add_worksheet("花名册")
    ws.write_row(0, 0, HEADERS)
    for r, row in enumerate(table, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            elif isinstance(value, str) and value.startswith("="):
                ws.write_formula(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    book.close()


def _write_csv(path: Path, table: list[list[object]], encoding: str) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows([["" if v is None else v for v in row] for row in table])
    path.write_bytes(out.getvalue().encode(encoding, errors="replace"))


def _counts(services: Services) -> tuple[int, ...]:
    with services.db.sessions() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(t)) or 0
            for t in (Community, Compound, Building, Household, AuditEntry)
        )


def _import_checked(services: Services, path: Path) -> str:
    """Plan and commit one file, checking all-or-nothing; returns what happened."""
    before = _counts(services)
    try:
        plan = services.rosters.plan([path], OPTS)
    except AppError as exc:
        assert exc.message.strip()
        assert _counts(services) == before  # a file that cannot be read changes nothing
        return "refused"
    preview = plan.preview
    assert sum(preview.counts.values()) == len(preview.rows)
    assert all(r.reason for r in preview.rejected())  # every rejection says why
    result = services.rosters.commit(plan)
    after = _counts(services)
    assert (result.created, result.updated) == (
        preview.counts.get(Fate.NEW, 0),
        preview.counts.get(Fate.UPDATE, 0),
    )
    assert result.rejected == preview.counts.get(Fate.REJECTED, 0)
    assert after[3] == before[3] + result.created
    assert after[2] == before[2] + result.created_buildings
    # Every valid row was written: planning the same file again finds nothing to write.
    again = services.rosters.plan([path], OPTS).preview
    assert again.counts.get(Fate.NEW, 0) == again.counts.get(Fate.UPDATE, 0) == 0, [
        r for r in again.rows if r.fate in (Fate.NEW, Fate.UPDATE)
    ]
    assert again.counts.get(Fate.REJECTED, 0) == preview.counts.get(Fate.REJECTED, 0)
    return "rejections" if preview.rejected() else "clean"


def test_random_cells_in_a_valid_layout(services: Services, tmp_path: Path) -> None:
    seen: list[str] = []

    @FUZZ
    @given(table=rows(), kind=st.sampled_from(["xlsx", "csv-utf8", "csv-gb18030"]))
    def check(table: list[list[object]], kind: str) -> None:
        path = tmp_path / f"roster{len(seen)}.{kind[:4].strip('-')}"
        if kind == "xlsx":
            _write_xlsx(path, table)
        else:
            _write_csv(path, table, "utf-8" if kind == "csv-utf8" else "gb18030")
        seen.append(_import_checked(services, path))

    check()
    assert "rejections" in seen  # the fuzz did reach the rejection path


def _valid_xlsx(tmp_path: Path) -> bytes:
    path = tmp_path / "valid.xlsx"
    _write_xlsx(path, [["光明院", "1", "1", "101", "张三", "", "", 80.5, 2, "自住", ""]])
    return path.read_bytes()


def test_broken_files(services: Services, tmp_path: Path) -> None:
    valid = _valid_xlsx(tmp_path)
    seen: list[str] = []
    damaged = st.tuples(st.integers(0, len(valid) - 1), st.binary(min_size=1, max_size=64)).map(
        lambda cut: valid[: cut[0]] + cut[1] + valid[cut[0] + len(cut[1]) :]
    )
    data = st.one_of(
        st.binary(max_size=2000),
        st.integers(0, len(valid) - 1).map(lambda n: valid[:n]),  # truncated workbook
        damaged,  # bytes overwritten inside the zip
        st.text(max_size=300).map(lambda t: t.encode("utf-8")),
    )

    @FUZZ
    @given(payload=data, suffix=st.sampled_from([".xlsx", ".xls", ".xlsm", ".csv"]))
    def check(payload: bytes, suffix: str) -> None:
        path = tmp_path / f"broken{len(seen)}{suffix}"
        path.write_bytes(payload)
        seen.append(_import_checked(services, path))

    check()
    assert "refused" in seen


@pytest.mark.parametrize(
    ("column", "value"),
    [(COMPOUND, "Garden\x00A"), (NOTES, "note\x00"), (COMPOUND, "长" * 65), (ROOM, "1" * 40)],
    ids=["nul-compound", "nul-notes", "long-compound", "long-room"],
)
def test_cells_the_importer_should_check(
    services: Services, tmp_path: Path, column: int, value: str
) -> None:
    """Such a cell is rejected with a reason, or cleaned to fit its column."""
    row: list[object] = ["和平里小区", "1", "1", "101", "张三", "", "", 80.5, 2, "自住", "备注"]
    row[column] = value
    path = tmp_path / "one.xlsx"
    _write_xlsx(path, [row])
    plan = services.rosters.plan([path], OPTS)
    if plan.preview.rejected():
        return
    services.rosters.commit(plan)
    with services.db.sessions() as s:
        name, room, notes = s.execute(
            select(Compound.name, Household.room, Household.notes).join(
                Compound, Compound.id == Household.compound_id
            )
        ).one()
    assert not CONTROL.search(name + room + notes)
    assert len(name) <= 64 and len(room) <= 16
