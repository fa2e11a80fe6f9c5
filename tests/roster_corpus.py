"""Messy roster files as offices keep them, generated for the roster tests."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from app.registry.validation import id_check_digit


def make_id(birth: str = "19800101", seq: str = "123", region: str = "410102") -> str:
    first = region + birth + seq
    return first + id_check_digit(first)


ID_A = make_id("19800101", "123")
ID_B = make_id("19751231", "458")  # may end in X; written lowercase below
ID_C = make_id("19900215", "011")
ID_D = make_id("19660606", "242")


def messy_xlsx(path: Path) -> Path:
    """Instruction sheet, a titled sheet per building with merged units, totals, footers."""
    book = openpyxl.Workbook()
    info = book.active
    assert info is not None
    info.title = "填表说明"
    info["A1"] = "填表说明：身份证号请设为文本格式。"
    info["A2"] = "面积单位为平方米。"

    ws = book.create_sheet("3号楼")
    ws["A1"] = "和平里小区住户花名册（2024年）"
    ws.merge_cells("A1:J1")
    ws["A2"] = "填报单位：幸福社区        填报日期：2024年3月"
    headers = ["序号", "单元", "房号", "户主姓名", "身份证号码", "联系\n电话", "建筑面积\n（㎡）"]
    ws.append([*headers, "民族", "房屋状态", "备注"])
    rows: list[list[object]] = [
        [1, "1单元", "101室", "张三", ID_A, "138 1234 5678", "85.6㎡", "汉", "自住", ""],
        [2, None, "１０２", "李四", ID_B.lower(), 13912345678, 72, "回", "出租", "=1+2"],
        [3, None, "103", "王五", 410102199001011234, "13700000000", 60, "汉", "", ""],
        [4, "2单元", "201", "赵六", "4.10102E+17", "", "90平方米", "", "", ""],
        ["小计", None, None, None, None, None, 317.6, None, None, None],
        [5, "2单元", "202", "", ID_C, "", 80, "", "", ""],
        [6, "2单元", "203", "钱八", "", "", "abc", "", "", ""],
        [7, "2单元", "204", "周九", "", "", 0, "", "", ""],
        [8, "", "1-205", "孙七", "", "12345", " 72 ", "", "空房", ""],
        [9, "2单元", "206", "吴十", "", "", 50, "", "", ""],
        [10, "2单元", "206", "郑一", "", "", 51, "", "", ""],
        [
            11,
            "2单元",
            "207",
            "冯二",
            ID_D[:17] + "0" if ID_D[17] != "0" else ID_D[:17] + "1",
            "",
            50,
            "",
            "",
            "",
        ],  # noqa: E501
        [],
        ["合计", None, None, None, None, None, 600, None, None, None],
        ["填表人：张三", None, None, "审核人：", None, None, None, None, None, None],
    ]
    for row in rows:
        ws.append(row)
    ws["J5"].data_type = "s"  # a note that looks like a formula, typed as text
    ws.merge_cells("B4:B6")  # 1单元 over 101-103
    ws["B4"] = "1单元"

    ws2 = book.create_sheet("5栋")
    ws2.append(["楼院名称", "房号", "姓名", "身份证号", "手机号", "面积", "政治面貌"])
    ws2.append(["和平里小区", "1-101", "陈一", "", "139-0000-1111", 66.5, "群众"])
    ws2.append([None, "1-102", "陈二", "", "", "66.50平方米", ""])
    ws2.append([None, "2-101", "陈三", "", "0371-66668888", 70.25, ""])
    ws2.merge_cells("A2:A4")
    book.save(path)
    return path


def building_column_xlsx(path: Path) -> Path:
    """One sheet, building written three ways, rooms with building-unit-room."""
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Sheet1"
    ws.append(["小区名称", "楼栋", "门牌号", "户主", "建筑面积", "居住人数"])
    ws.append(["东风院", "3号楼", "1-101", "甲", 50, 3])
    ws.append(["东风院", "三号楼", "1-102", "乙", 50, "三"])
    ws.append(["东风院", "4栋", "4-2-101", "丙", 50, 2])
    ws.append(["东风院", "4#", "3-1-101", "丁", 50, 2])  # building in room disagrees
    book.save(path)
    return path


def old_xls(path: Path) -> Path:
    """An old binary .xls with a merged title and a merged building column."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("花名册")
    ws.write_merge(0, 0, 0, 5, "红旗院居民信息登记表")
    for col, text in enumerate(["楼号", "单元", "房号", "姓名", "身份证号码", "面积"]):
        ws.write(1, col, text)
    ws.write_merge(2, 4, 0, 0, "1号楼")
    data = [
        ("1", "101", "刘一", ID_A, 55.5),
        ("1", "102", "刘二", "", 60),
        ("2", "101", "刘三", "", "61.2㎡"),
    ]
    for r, (unit, room, name, idn, area) in enumerate(data, start=2):
        for c, value in enumerate((unit, room, name, idn, area), start=1):
            ws.write(r, c, value)
    book.save(str(path))
    return path


def gbk_csv(path: Path) -> Path:
    text = (
        "楼院名称,楼号,单元,房号,户主姓名,身份证号码,联系电话,建筑面积\r\n"
        f"光明院,2,1,101,何一,{ID_C},13800001111,80.5\r\n"
        "光明院,2,1,102,何二,,,81\r\n"
        "光明院,2,1,103,何三,4.10102E+17,,82\r\n"
    )
    path.write_bytes(text.encode("gbk"))
    return path
