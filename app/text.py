"""Text helpers: full-width folding, pinyin for search, masking of personal data."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LATIN = re.compile(r"^[a-z0-9 ]+$")
_NUMBER = re.compile(r"(\d+)")


# Bidirectional controls (U+202A-202E, U+2066-2069, LRM/RLM/ALM) and zero-width characters:
# invisible, they make two names that look the same differ ("幸福里" and "幸福里" + RLO).
_INVISIBLE = [0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF]
_INVISIBLE += [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_CONTROLS = (
    {c: None for c in range(32) if chr(c) not in "\n\t"}
    | {127: None}
    | {c: None for c in _INVISIBLE}
)


def plain(text: str) -> str:
    """Text without control characters (NUL and the like, which PostgreSQL refuses and no
    clerk means to type) and without invisible bidi and zero-width characters; newlines and
    tabs stay."""
    return text.translate(_CONTROLS)


def is_digits(text: str) -> bool:
    """Only 0-9, at least one. `str.isdigit` also takes ❶, ² and other "digits" that `int`
    refuses and that NFKC leaves as they are: a cell holding them must not crash a parse."""
    return text.isascii() and text.isdigit()


def fold(text: str) -> str:
    """Full-width digits, letters and punctuation to ASCII; trim spaces (incl. U+3000);
    drop control characters."""
    if text.isprintable() and unicodedata.is_normalized("NFKC", text):
        return text.strip()  # nothing to fold or drop (most cells): skip the copies
    return plain(unicodedata.normalize("NFKC", text)).strip()


@lru_cache(maxsize=4096)
def pinyin_of(text: str) -> tuple[str, str]:
    """Full pinyin (no tones, no spaces) and initials of Chinese text, both lowercase.

    Non-Chinese characters are kept as they are (lowercased), so "3号楼" gives ("3haolou", "3hl").
    """
    from pypinyin import Style, lazy_pinyin  # imported late: loads large dictionaries

    folded = fold(text).lower()
    full = "".join(lazy_pinyin(folded, style=Style.NORMAL, errors="default"))
    initials = "".join(lazy_pinyin(folded, style=Style.FIRST_LETTER, errors="default"))
    return _alnum(full), _alnum(initials)


def _alnum(text: str) -> str:
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum())


def natural_key(text: str) -> tuple[tuple[int, str], ...]:
    """Sort key that reads numbers as numbers: 第2楼院 before 第10楼院."""
    parts = _NUMBER.split(text)
    return tuple((0, part) if i % 2 == 0 else (int(part), "") for i, part in enumerate(parts))


def is_pinyin_query(text: str) -> bool:
    """True for a query typed in Latin letters (and digits), e.g. "zs" or "jsl"."""
    folded = fold(text).lower()
    return bool(folded) and bool(_LATIN.match(folded)) and any(c.isalpha() for c in folded)


def mask_id_number(value: str | None) -> str:
    """410102********123X style: region code and the last four stay visible."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * max(0, len(value) - 2)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """138****5678 for a mobile; landlines keep their area code and last four."""
    if not value:
        return ""
    digits = value
    if len(digits) == 11 and is_digits(digits):
        return digits[:3] + "****" + digits[-4:]
    if len(digits) > 6:
        return digits[: len(digits) - 8 if len(digits) > 8 else 2] + "****" + digits[-4:]
    return digits
