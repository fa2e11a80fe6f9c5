"""Field rules for the registry, each returning a Chinese message or the cleaned value.

Pure functions: the window calls them for inline messages, the services and the importer call
them before writing.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.text import fold, is_digits

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# GB/T 2260 province-level codes (first two digits of the region code).
PROVINCES = frozenset(
    {
        11,
        12,
        13,
        14,
        15,
        21,
        22,
        23,
        31,
        32,
        33,
        34,
        35,
        36,
        37,
        41,
        42,
        43,
        44,
        45,
        46,
        50,
        51,
        52,
        53,
        54,
        61,
        62,
        63,
        64,
        65,
        71,
        81,
        82,
        83,
    }
)
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^(0\d{2,3})?[2-9]\d{6,7}$")
MAX_AREA = Decimal("10000")


class FieldError(ValueError):
    """A value that breaks a rule; the message is Chinese and shown beside the field."""


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def clean_id_number(raw: str, *, today: dt.date | None = None) -> str:
    """A valid 18-character resident ID number (GB 11643), upper-case X.

    Raises:
        FieldError: wrong length or characters, region code, birth date or check digit.
    """
    value = fold(raw).replace(" ", "").upper()
    if len(value) != 18:
        raise FieldError(f"身份证号应为18位，现为{len(value)}位")
    if not is_digits(value[:17]) or not (is_digits(value[17]) or value[17] == "X"):
        raise FieldError("身份证号前17位应为数字，最后一位为数字或X")
    if int(value[:2]) not in PROVINCES or value[2:6] == "0000":
        raise FieldError("身份证号的地区码不正确")
    birth = birth_date_of(value)
    if birth is None:
        raise FieldError("身份证号中的出生日期不存在")
    if birth > (today or dt.date.today()) or birth.year < 1900:
        raise FieldError("身份证号中的出生日期不合理")
    expected = id_check_digit(value[:17])
    if value[17] != expected:
        raise FieldError("身份证号校验位不正确，请核对是否录错")
    return value


def birth_date_of(id_number: str) -> dt.date | None:
    """The birth date encoded in an 18-digit ID number, or None if it is not a real date."""
    try:
        return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def gender_of(id_number: str) -> str:
    """男 for an odd 17th digit, 女 for an even one."""
    return "男" if int(id_number[16]) % 2 else "女"


def clean_phone(raw: str) -> str:
    """A mobile (11 digits from 13x-19x) or a landline (area code optional), digits only.

    Spaces, dashes and brackets are dropped; +86 is removed.

    Raises:
        FieldError: the number is neither.
    """
    value = re.sub(r"[\s\-()（）]", "", fold(raw))
    if value.startswith("+86"):
        value = value[3:]
    if MOBILE.match(value) or LANDLINE.match(value):
        return value
    if is_digits(value) and value.startswith("1"):
        raise FieldError("手机号应为11位，以13-19开头")
    raise FieldError("电话号码格式不正确（手机11位，或固话如0371-12345678）")


def clean_area(raw: str | Decimal | int) -> Decimal:
    """A building area in m², greater than 0 and with at most two decimals.

    "85.6㎡", "85.6平方米" and " 72 " are accepted.

    Raises:
        FieldError: not a number, not positive, too large or more than two decimals.
    """
    if isinstance(raw, Decimal | int):
        value = Decimal(raw)
    else:
        text = fold(raw).replace("平方米", "").replace("平米", "").replace("㎡", "")
        text = text.replace("m2", "").replace("m²", "").strip()
        if not text:
            raise FieldError("请填写建筑面积")
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise FieldError("建筑面积应为数字，如 85.60") from exc
    if not value.is_finite():
        raise FieldError("建筑面积应为数字，如 85.60")
    if value <= 0:
        raise FieldError("建筑面积应大于0")
    if value >= MAX_AREA:
        raise FieldError("建筑面积过大，请核对")
    if value != value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP):
        raise FieldError("建筑面积最多保留两位小数")
    return value.quantize(Decimal("0.01"))


def area_to_centi(area: Decimal) -> int:
    """Area in hundredths of a m², the storage unit."""
    return int((area * 100).to_integral_value(rounding=ROUND_HALF_UP))


def centi_to_area(centi: int) -> Decimal:
    """Stored hundredths back to a Decimal area with two places."""
    return (Decimal(centi) / 100).quantize(Decimal("0.01"))


def clean_name(raw: str, *, field: str = "姓名", max_len: int = 32, person: bool = True) -> str:
    """A non-empty name without surrounding spaces; a person's name is no run of digits."""
    value = fold(raw)
    if not value:
        raise FieldError(f"请填写{field}")
    if len(value) > max_len:
        raise FieldError(f"{field}过长（最多{max_len}个字）")
    if person and sum("0" <= ch <= "9" for ch in value) >= 6:
        # An ID number or a phone typed into the name field (a column mix-up).
        raise FieldError(f"{field}不能是身份证号或电话号码，请填写{field}")
    return value


def clean_room(raw: str) -> str:
    """A room number such as 101 or 1102 (folded to half-width)."""
    value = fold(raw).removesuffix("室").strip()
    if not value:
        raise FieldError("请填写房号")
    if len(value) > 16:
        raise FieldError("房号过长")
    return value


MAX_FLOOR = 200


def floor_of_room(room: str) -> int | None:
    """The floor a room number implies: 101 → 1, 1203 → 12; None when not numeric, or when
    the number implies no real floor (1111111111111111 would overflow the INTEGER column)."""
    digits = room if is_digits(room) else ""
    if len(digits) >= 3:
        floor = int(digits[:-2])
        return floor if 0 < floor <= MAX_FLOOR else None
    return None


def clean_building(raw: str) -> str:
    """A building number: "3号楼", "3栋", "３" → "3"."""
    value = fold(raw)
    for suffix in ("号楼", "栋", "幢", "号", "楼"):
        value = value.removesuffix(suffix)
    value = value.strip()
    if not value:
        raise FieldError("请填写楼号")
    if len(value) > 16:
        raise FieldError("楼号过长")
    return value


def clean_unit(raw: str) -> str:
    """A unit number: "1单元" → "1"; empty for buildings without units."""
    value = fold(raw).removesuffix("单元").strip()
    if len(value) > 8:
        raise FieldError("单元号过长")
    return value


def sort_key_of(label: str) -> int:
    """Leading digits of a building label as an integer (for ordering); 0 if none."""
    digits = ""
    for ch in label:
        if not is_digits(ch):
            break
        digits += ch
    return int(digits) if digits else 0
