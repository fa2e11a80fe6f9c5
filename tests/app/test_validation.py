"""Field rules: ID numbers (GB 11643), phones, areas, labels."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.registry.validation import (
    FieldError,
    area_to_centi,
    birth_date_of,
    centi_to_area,
    clean_area,
    clean_building,
    clean_id_number,
    clean_phone,
    clean_room,
    clean_unit,
    floor_of_room,
    gender_of,
    id_check_digit,
)
from app.text import fold, is_pinyin_query, mask_id_number, mask_phone, pinyin_of

VALID_ID = "11010519491231002X"  # the standard's own example


def make_id(region: str, birth: dt.date, seq: int) -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def test_standard_example_is_valid() -> None:
    assert clean_id_number(VALID_ID) == VALID_ID
    assert birth_date_of(VALID_ID) == dt.date(1949, 12, 31)
    assert gender_of(VALID_ID) == "女"


def test_lowercase_x_and_fullwidth_digits_are_accepted() -> None:
    assert clean_id_number(VALID_ID.lower()) == VALID_ID
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in VALID_ID)
    assert clean_id_number(fullwidth) == VALID_ID


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("110105194912310021", "校验位不正确"),
        ("11010519491231002", "应为18位"),
        ("1101051949123100211", "应为18位"),
        ("11010519490231002X", "出生日期不存在"),
        ("99010519491231002X", "地区码不正确"),
        ("4.10102E+17", "应为18位"),
        ("11010519491231A02X", "前17位应为数字"),
    ],
)
def test_bad_id_numbers_are_rejected_with_a_reason(value: str, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        clean_id_number(value)


def test_future_birth_date_is_rejected() -> None:
    future = make_id("410102", dt.date.today() + dt.timedelta(days=2), 11)
    with pytest.raises(FieldError, match="不合理"):
        clean_id_number(future)


@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)),
    seq=st.integers(0, 999),
    region=st.sampled_from(["410102", "110105", "440305", "650102"]),
)
def test_any_generated_id_validates_and_any_changed_digit_fails(
    birth: dt.date, seq: int, region: str
) -> None:
    number = make_id(region, birth, seq)
    assert clean_id_number(number) == number
    assert birth_date_of(number) == birth
    assert gender_of(number) == ("男" if seq % 2 else "女")
    # changing the check character always breaks it
    wrong = number[:17] + next(c for c in "0123456789X" if c != number[17])
    with pytest.raises(FieldError):
        clean_id_number(wrong)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 13812345678", "13812345678"),
        ("0371-67891234", "037167891234"),
        ("67891234", "67891234"),
        ("１３８１２３４５６７８", "13812345678"),
    ],
)
def test_phones_are_normalised(raw: str, clean: str) -> None:
    assert clean_phone(raw) == clean


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "abc", "138123456789", "123"])
def test_bad_phones_are_rejected(raw: str) -> None:
    with pytest.raises(FieldError):
        clean_phone(raw)


@pytest.mark.parametrize(
    ("raw", "area"),
    [
        ("85.6", "85.60"),
        ("85.6㎡", "85.60"),
        ("85.6平方米", "85.60"),
        (" 72 ", "72.00"),
        ("１２０.５", "120.50"),
        (Decimal("66.66"), "66.66"),
    ],
)
def test_areas_are_parsed(raw: str, area: str) -> None:
    assert clean_area(raw) == Decimal(area)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("0", "大于0"),
        ("-5", "大于0"),
        ("", "请填写"),
        ("abc", "应为数字"),
        ("85.123", "两位小数"),
        ("NaN", "应为数字"),
        ("100000", "过大"),
    ],
)
def test_bad_areas_are_rejected(raw: str, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        clean_area(raw)


@given(st.integers(1, 999_999))
def test_area_storage_round_trips(centi: int) -> None:
    assert area_to_centi(centi_to_area(centi)) == centi


def test_labels_are_cleaned() -> None:
    assert clean_building("3号楼") == "3"
    assert clean_building("３栋") == "3"
    assert clean_unit("1单元") == "1"
    assert clean_room("101室") == "101"
    assert floor_of_room("1203") == 12
    assert floor_of_room("101") == 1
    assert floor_of_room("A1") is None


def test_pinyin_and_masks() -> None:
    assert pinyin_of("张三") == ("zhangsan", "zs")
    assert pinyin_of("建设路")[1] == "jsl"
    assert is_pinyin_query("zs") and is_pinyin_query("ＪＳＬ")
    assert not is_pinyin_query("张三") and not is_pinyin_query("101")
    assert mask_id_number("41010219800101123X") == "410102********123X"
    assert mask_phone("13812345678") == "138****5678"
    assert fold("　３号楼 ") == "3号楼"


def test_control_characters_are_dropped() -> None:
    from app.text import plain

    assert fold("张\x00三\x07") == "张三"
    assert plain("第一行\n第二行\t\x00") == "第一行\n第二行\t"


def test_floor_of_an_absurd_room_number_is_unknown() -> None:
    # A 16-digit room (the longest the form takes) once gave floor 11111111111111, which
    # PostgreSQL's INTEGER column refused with a traceback (found by the roster fuzz test).
    assert floor_of_room("1111111111111111") is None
    assert floor_of_room("20001") == 200


def test_a_name_is_no_id_number_or_phone() -> None:
    from app.registry.validation import clean_name

    for bad in ("41010219900101123", "13812345678", "张三13812345678"):
        with pytest.raises(FieldError, match="不能是身份证号或电话号码"):
            clean_name(bad)
    assert clean_name("张三2") == "张三2"
    assert clean_name("建设路123456号院", field="楼院名称", person=False) == "建设路123456号院"
