"""Write resources/samples/样例花名册.xlsx: a small roster as offices keep them, for trying import.

Run: .venv/bin/python resources/samples/make_sample_roster.py
It has an instruction sheet, a titled sheet per building with a merged 单元 column, 全角 digits,
"1-205" rooms, "85.6㎡" areas, a 小计 row and a signature footer, and rows the import rejects
(an ID stored as a number, 4.10102E+17, no name, a bad area, the same room twice).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(first17: str) -> str:
    return (
        first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]
    )


def main(out: Path) -> None:
    book = Workbook()
    info = book.active
    assert info is not None
    info.title = "填表说明"
    info["A1"] = "填表说明：每户一行；身份证号请设为文本格式，不要转成数字。"
    headers = ["序号", "单元", "房号", "户主姓名", "身份证号码", "联系\n电话", "建筑面积\n（㎡）"]
    headers += ["民族", "房屋状态", "备注"]
    rows = {
        "3号楼": [
            [
                1,
                "1单元",
                "101室",
                "张建国",
                make_id("41010219650312301"),
                "138 3710 5678",
                "85.6㎡",
            ],
            [2, None, "１０２", "李秀英", make_id("41010219580706202").lower(), 13903712345, 72],
            [3, None, "103", "王德华", 410102197001011234, "13700371111", 60],
            [4, "2单元", "201", "赵丽", "4.10102E+17", "", "90平方米"],
            ["小计", None, None, None, None, None, 307.6],
            [5, "2单元", "202", "", "", "", 80],
            [6, "2单元", "203", "钱伟", "", "", "abc"],
            [7, "", "1-205", "孙桂兰", "", "12345", " 72 "],
            [8, "2单元", "206", "吴强", "", "0371-66668888", 50],
            [9, "2单元", "206", "郑明", "", "", 51],
            ["合计", None, None, None, None, None, 560.6],
            ["填表人：刘芳", None, None, "审核人：", None, None, None],
        ],
        "5栋": [
            [1, "1单元", "101", "陈志刚", make_id("41010219801105301"), "13603710000", 66.5],
            [2, None, "102", "陈晓燕", "", "", "66.50平方米"],
            [3, "2单元", "2-101", "周文", "", "15937100000", 70.25],
        ],
    }
    for name, data in rows.items():
        ws = book.create_sheet(name)
        ws["A1"] = "和平里小区住户花名册（2024年）"
        ws["A1"].font = Font(bold=True, size=14)
        ws["A1"].alignment = Alignment(horizontal="center")
        ws.merge_cells("A1:J1")
        ws["A2"] = "填报单位：幸福里社区        填报日期：2024年3月"
        ws.append(headers)
        for row in data:
            ws.append(row + [None] * (len(headers) - len(row)))
        if name == "3号楼":
            ws.merge_cells("B4:B6")
        else:
            ws.merge_cells("B4:B5")
        for col in "ABCDEFGHIJ":
            ws.column_dimensions[col].width = 20 if col == "E" else 11
    book.save(out)


if __name__ == "__main__":
    main(Path(__file__).with_name("样例花名册.xlsx"))
