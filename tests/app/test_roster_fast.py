"""The column-at-a-time parse of plain rows agrees with the row-by-row reference.

`row_columns` must give every cell the text `cell_text` gives it, and `plain_records` must
give a row either None (the row then goes through `check_skip` and `parse_row`) or exactly
the record `parse_row` makes of it. Rows are generated near the plain case (valid IDs,
mobiles, areas, statuses) with odd cells mixed in: spaces, full-width digits, control
characters, combining marks, numbers where text belongs, masked values, True for 1.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.registry.validation import id_check_digit
from app.roster.dto import Field
from app.roster.fast import plain_records
from app.roster.rows import (
    FIELDS,
    Rejected,
    RowContext,
    Skipped,
    check_skip,
    parse_row,
    row_columns,
)
from app.roster.values import cell_text

TODAY = dt.date(2026, 11, 29)


def _id(seed: int) -> str:
    first = f"4101{seed % 90 + 10:02d}19{seed % 80 + 20:02d}0{seed % 9 + 1}1{seed % 10}{seed:03d}"
    return first[:17] + id_check_digit(first[:17])


ODD = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            None,
            True,
            False,
            0,
            1,
            1.0,
            -3,
            "\x00",
            " 101",
            "101 ",
            "１０１",
            "e\u0301",
            "\u0301",
            "|",
            " |",
            "a|b",
            "\u3000张三",
            "张三\u3000",
            "Ⅲ",
            "4.10102E+17",
            4.10102e17,
            "410102********123X",
            "138****5678",
            "=1+2",
            "合计",
            "房号",
            "填表人：",
            "x" * 40,
            "张" * 40,
            dt.date(2020, 1, 1),
        ]
    ),  # fmt: skip
    st.text(max_size=6),
    st.floats(allow_nan=False, allow_infinity=False),
)
# Cells a plain row may hold, and cells near them that send the row the long way.
PLAIN: dict[Field, tuple[list[object], list[object]]] = {
    Field.COMPOUND: (["和平里小区", "光明院"], ["x" * 70, "", " 光明院"]),
    Field.BUILDING: (["1", "2号楼", "3栋", 4, "三号楼"], ["1号楼 ", "A" * 20, ""]),
    Field.UNIT: (["1", "2", 1, "1单元", ""], ["2单元 ", "一"]),
    Field.ROOM: (["101", "202室", 402, "1102"], ["1-301", "3-1-101", "101 ", "房号", ""]),
    Field.NAME: (["张三", "李四", "欧阳娜娜"], ["Tom", "王\u200b五", "张三 ", ""]),
    Field.ID_NUMBER: (
        [_id(i) for i in range(0, 999, 7)] + [""],
        [_id(5).lower(), _id(6) + " ", "410102********123X", _id(7)[:17] + "0"],
    ),
    Field.PHONE: (["", "13812345678", 13912345678], ["0371-1234567", "12345", "138 1234 5678"]),
    Field.AREA: ([85.6, "85.6㎡", 72, "72平方米", 60.12], [60.125, 0, "", "abc", True]),
    Field.OCCUPANTS: (["", 3, "2"], ["两人", 2.5, "3 "]),
    Field.STATUS: (["", "自住", "出租", "空置", "商用"], ["空 置", "其他", "自住 "]),
    Field.NOTES: (["", "备注", None], ["备注 ", "=1+2"]),
}


def _cell(field: Field, near_share: int) -> st.SearchStrategy[Any]:
    """A plain value, a near one (`near_share` in 20) or now and then an odd one."""
    plain, near = PLAIN[field]
    return st.integers(0, 19).flatmap(
        lambda k: (
            ODD if k == 0 else st.sampled_from(near) if k <= near_share else st.sampled_from(plain)
        )
    )


@st.composite
def sheets(draw: st.DrawFn, near_share: int = 2) -> tuple[list[list[object]], RowContext]:
    """Rows of a sheet and its context: some fields without a column, columns in any order."""
    always = (Field.ROOM, Field.NAME, Field.AREA)  # without them every row is rejected
    present = [f for f in FIELDS if f in always or draw(st.booleans())]
    order = draw(st.permutations(present))
    mapping = {f: i for i, f in enumerate(order)}
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        row = [draw(_cell(f, near_share)) for f in order]
        short = draw(st.integers(0, 9)) == 0
        rows.append(row[: draw(st.integers(0, len(row)))] if short else row)
    compound = draw(st.sampled_from(["", "幸福院"])) if Field.COMPOUND in present else "幸福院"
    building = draw(st.sampled_from([None, "5"]))
    return rows, RowContext(compound, building, tuple(mapping.get(f, -1) for f in FIELDS))


def _reference(values: list[object], ctx: RowContext) -> object:
    cells = [values[i] if 0 <= i < len(values) else None for i in ctx.columns]
    texts = [cell_text(v) for v in cells]
    try:
        check_skip(values, texts, ctx)
        return parse_row(cells, texts, ctx)
    except (Skipped, Rejected, StopIteration):
        return None


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 10).flatmap(lambda near_share: sheets(near_share)))
def test_plain_rows_parse_as_parse_row_does(sheet: tuple[list[list[object]], RowContext]) -> None:
    """Mostly plain rows, or rows where up to half the cells are near ones: warnings pile up."""
    rows, ctx = sheet
    ctx = RowContext(ctx.compound, ctx.building, ctx.columns, today=TODAY)
    cells, texts = row_columns(rows, ctx)
    for r, values in enumerate(rows):
        expected = [cell_text(values[i]) if 0 <= i < len(values) else "" for i in ctx.columns]
        assert [column[r] for column in texts] == expected
        assert [column[r] for column in cells] == [
            values[i] if 0 <= i < len(values) else None for i in ctx.columns
        ]
    for values, record in zip(rows, plain_records(cells, texts, ctx), strict=True):
        if record is None:
            continue
        reference = _reference(values, ctx)
        assert reference == record
        assert repr(reference) == repr(record)  # the same types and Decimal places too


def test_a_plain_roster_takes_the_fast_way_throughout() -> None:
    """Not a vacuous pass: every row of an ordinary roster is parsed column-wise."""
    mapping = {f: i for i, f in enumerate(FIELDS)}
    ctx = RowContext("", None, tuple(mapping[f] for f in FIELDS), today=TODAY)
    rows: list[list[object]] = [
        ["和平里小区", "2号楼", "1单元", f"{100 + i}", "张三", _id(i), "13812345678", 85.6, 3,
         "自住", "", ]
        for i in range(1, 50)
    ]  # fmt: skip
    rows.append(["光明院", "3", "", "1-101", "李四", "", "", "72平方米", "", "", "备注"])
    cells, texts = row_columns(rows, ctx)
    records = plain_records(cells, texts, ctx)
    assert None not in records
    assert records == [_reference(v, ctx) for v in rows]
    assert records[-1].warnings == ("未填联系电话",)
