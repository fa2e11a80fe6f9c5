"""Money helpers and the shared PDF plumbing."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.documents.pdf import MARGIN, PAGE_HEIGHT, draw_centered, new_canvas, wrap
from app.money import MoneyError, format_yuan, from_fen, in_words, parse_yuan, to_fen


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("128.45", "壹佰贰拾捌元肆角伍分"),
        ("100", "壹佰元整"),
        ("1005.10", "壹仟零伍元壹角整"),
        ("0", "零元整"),
        ("53.91", "伍拾叁元玖角壹分"),
    ],
)
def test_amount_in_words(amount: str, words: str) -> None:
    assert in_words(Decimal(amount)) == words


@given(st.integers(0, 10**11))
def test_fen_round_trip(fen: int) -> None:
    assert to_fen(from_fen(fen)) == fen


def test_rounding_is_half_up() -> None:
    assert to_fen(Decimal("0.005")) == 1
    assert to_fen(Decimal("0.0049")) == 0
    assert to_fen(Decimal("2.675")) == 268  # float would give 267


def test_parse_and_format() -> None:
    assert parse_yuan("５３.９元") == Decimal("53.90")
    assert format_yuan(1234560) == "12,345.60"
    for bad in ("abc", "-1", "1.234", "NaN"):
        with pytest.raises(MoneyError):
            parse_yuan(bad)


def test_wrap_keeps_punctuation_off_line_starts() -> None:
    text = "居民满意后再缴费，" * 20
    lines = wrap(text, 12, 150)
    assert "".join(lines) == text
    assert all(not line.startswith("，") for line in lines)


def test_pdf_embeds_the_font_and_text_extracts(tmp_path: Path) -> None:
    path = tmp_path / "t.pdf"
    canvas = new_canvas(path, "测试")
    draw_centered(canvas, "楼院通缴费通知单", PAGE_HEIGHT - MARGIN, 18)
    canvas.showPage()
    canvas.save()
    from pypdf import PdfReader

    assert "楼院通缴费通知单" in PdfReader(path).pages[0].extract_text()
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True)
    if fonts.returncode == 0:  # poppler-utils present (CI installs it)
        rows = [line.split() for line in fonts.stdout.splitlines()[2:] if line.strip()]
        assert rows, fonts.stdout
        # every font embedded (emb), as a subset (sub), with a Unicode map (uni)
        assert all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows), fonts.stdout
