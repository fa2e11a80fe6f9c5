"""The text in a questionnaire's QR code: "LY1:S<survey id>:H<household id>"."""

from __future__ import annotations

import re

PREFIX = "LY1"
_PATTERN = re.compile(r"^\s*LY1:S(\d{1,9}):H(\d{1,12})\s*$", re.IGNORECASE)


def encode(survey_id: int, household_id: int) -> str:
    return f"{PREFIX}:S{survey_id}:H{household_id}"


def decode(text: str) -> tuple[int, int] | None:
    """(survey id, household id) of a scanned code; None when the text is not one of ours.

    USB scanners on a Chinese keyboard layout may send full-width or lower-case letters, so
    the text is normalised first.
    """
    folded = text.translate({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}).replace("：", ":")
    match = _PATTERN.match(folded)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))
