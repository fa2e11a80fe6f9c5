"""Shared PDF plumbing: the embedded CJK font, A4 canvases, CJK line wrapping.

Every document embeds a subset of the bundled WenQuanYi Micro Hei (TrueType outlines), so
the paper is the same on a PC with no Chinese font, and pdftotext returns the Chinese.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.documents.pdf_stream import StreamedDocument, deflate_page
from app.resources import bundled_font_path

FONT = "LouyuanCJK"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm


@lru_cache(maxsize=1)
def register_font() -> str:
    """Register the bundled CJK font with reportlab once; returns its name."""
    pdfmetrics.registerFont(TTFont(FONT, str(bundled_font_path()), subfontIndex=0))
    return FONT


class LeanCanvas(Canvas):
    """A canvas that deflates each finished page and writes it to the file at once.

    reportlab keeps every page's drawing operators as text until it saves, then compresses
    them and joins the whole file in memory: a batch of 10,000 notices held ~45 MB. Here the
    memory stays flat in the number of pages (see app/documents/pdf_stream.py).
    """

    def __init__(self, filename: str, **kwargs: Any) -> None:
        super().__init__(filename, **kwargs)
        doc = cast(Any, self)._doc
        doc.__class__ = StreamedDocument  # the canvas set it up; it now writes as it goes
        doc.stream_to(Path(filename))

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        super().showPage()
        doc = cast(Any, self)._doc
        if doc.Pages.pages:
            deflate_page(doc.Pages.pages[-1])
            doc.write_page(doc.Pages.pages[-1])


def new_canvas(path: Path | str, title: str, author: str = "楼院通") -> Canvas:
    """An A4 canvas with the CJK font registered and the document's title set."""
    register_font()
    # The initial font keeps reportlab from adding a non-embedded Helvetica to every PDF.
    canvas = LeanCanvas(
        str(path),
        pagesize=A4,
        pageCompression=1,
        initialFontName=FONT,
        initialFontSize=11,
    )
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("楼院通")
    return canvas


def text_width(text: str, size: float, font: str = FONT) -> float:
    """Width of a string in points."""
    register_font()
    return float(pdfmetrics.stringWidth(text, font, size))


def wrap(text: str, size: float, width: float, font: str = FONT) -> list[str]:
    """Break text into lines no wider than `width` (the layout layer's rules: CJK style,
    numbers never split, punctuation kept off a line's start, explicit newlines honoured)."""
    from app.documents.layout import break_lines  # the layout layer imports this module

    return break_lines(text, size, width, font)


def draw_centered(canvas: Canvas, text: str, y: float, size: float, font: str = FONT) -> None:
    """One line centred across the page."""
    canvas.setFont(font, size)
    canvas.drawCentredString(PAGE_WIDTH / 2, y, text)
