"""The text in a questionnaire's QR code: "LY1:S<survey id>:H<household id>", and on paper
made to be scanned back ":P<page>:L<layout version>" after it (no personal data)."""

from __future__ import annotations

import re

PREFIX = "LY1"
_PATTERN = re.compile(
    r"^\s*LY1:S(\d{1,9}):H(\d{1,12})(?::P(\d{1,3}):L(\d{1,6}))?\s*$", re.IGNORECASE
)


def encode(
    survey_id: int, household_id: int, page: int | None = None, layout: int | None = None
) -> str:
    code = f"{PREFIX}:S{survey_id}:H{household_id}"
    return code if page is None or layout is None else f"{code}:P{page}:L{layout}"


def decode_page(text: str) -> tuple[int, int, int, int] | None:
    """(survey, household, page, layout version) of a scanned page's code; None when the
    text is not one of ours or carries no page (a sheet printed before scanning existed)."""
    match = _PATTERN.match(_fold(text))
    if match is None or match.group(3) is None:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3)), int(match.group(4))


def _fold(text: str) -> str:
    return text.translate({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}).replace("：", ":")


def decode(text: str) -> tuple[int, int] | None:
    """(survey id, household id) of a scanned code; None when the text is not one of ours.

    USB scanners on a Chinese keyboard layout may send full-width or lower-case letters, so
    the text is normalised first.
    """
    match = _PATTERN.match(_fold(text))
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))
