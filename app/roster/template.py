"""A blank import template: the recognised headers, one example row, text-formatted IDs."""

from __future__ import annotations

from pathlib import Path

from app.roster.dto import Field
from app.roster.errors import RosterFileError

EXAMPLE: dict[Field, str | float] = {
    Field.COMPOUND: "和平里小区",
    Field.BUILDING: "3",
    Field.UNIT: "1",
    Field.ROOM: "101",
    Field.NAME: "张三",
    Field.ID_NUMBER: "41010219800101123X",
    Field.PHONE: "13812345678",
    Field.AREA: 85.6,
    Field.OCCUPANTS: 3,
    Field.STATUS: "自住",
    Field.NOTES: "示例行，导入前请删除",
}
NOTES = (
    "填写说明",
    "1. 每行一户；楼院名称、楼号、房号、户主姓名、建筑面积必填。",
    "2. 身份证号码、联系电话两列已设为文本格式，请直接输入，不要转成数字。",
    "3. 房号可写作 101、101室 或 1-101（1单元101室）。",
    "4. 房屋状态填 自住、出租、空置 或 商铺；备注可留空。",
    "5. 本说明页导入时自动跳过；其他列（民族、政治面貌等）也可保留，导入时忽略。",
)


def write_template(path: Path) -> None:
    """Write the template with openpyxl (styled, small)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "花名册"
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, field in enumerate(Field, start=1):
        cell = ws.cell(row=1, column=col, value=field.label)
        cell.font, cell.fill = Font(bold=True), fill
        cell.alignment = Alignment(horizontal="center")
        example = ws.cell(row=2, column=col, value=EXAMPLE[field])
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = 22 if field is Field.ID_NUMBER else 13
        if field in (Field.ID_NUMBER, Field.PHONE, Field.BUILDING, Field.UNIT, Field.ROOM):
            example.number_format = "@"
            for row in range(3, 1003):  # typed IDs stay text in the rows the clerk fills
                ws.cell(row=row, column=col).number_format = "@"
        elif field is Field.AREA:
            example.number_format = "0.00"
    ws.freeze_panes = "A2"
    info = book.create_sheet("填写说明")
    for row, line in enumerate(NOTES, start=1):
        info.cell(row=row, column=1, value=line).font = Font(bold=row == 1)
    info.column_dimensions["A"].width = 80
    try:
        book.save(path)
    except OSError as exc:
        raise RosterFileError(f"无法写入文件：{path}（{exc}）") from exc
