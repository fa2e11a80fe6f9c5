"""工作简报 on one A4 page: red masthead, rule, header line, the (edited) body text."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.colors import Color, black
from reportlab.lib.units import mm

from app.documents.pdf import FONT, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, new_canvas, wrap

RED = Color(0.78, 0.08, 0.08)
INDENT = "\u3000\u3000"


def fit_body(body: str, width: float, height: float) -> tuple[float, list[str]]:
    """The largest body size (14 → 9 pt) at which the text fits the space; its lines."""
    size = 14.0
    while True:
        lines = [line for p in body.split("\n") for line in wrap(INDENT + p.strip(), size, width)]
        if len(lines) * size * 1.7 <= height or size <= 9:
            return size, lines
        size -= 0.5


def write_brief(path: Path | str, title: str, header: str, body: str) -> None:
    """One page; a body too long for the page is set smaller, down to 9 pt."""
    canvas = new_canvas(path, title)
    top = PAGE_HEIGHT - MARGIN
    canvas.setFillColor(RED)
    canvas.setFont(FONT, 30)
    canvas.drawCentredString(PAGE_WIDTH / 2, top - 18 * mm, title)
    canvas.setFillColor(black)
    canvas.setFont(FONT, 11)
    canvas.drawCentredString(PAGE_WIDTH / 2, top - 28 * mm, header)
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(1.5)
    y = top - 32 * mm
    canvas.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y - 1.2 * mm, PAGE_WIDTH - MARGIN, y - 1.2 * mm)
    width = PAGE_WIDTH - 2 * MARGIN
    size, lines = fit_body(body, width, y - 10 * mm - MARGIN)
    y -= 10 * mm
    canvas.setFont(FONT, size)
    for line in lines:
        canvas.drawString(MARGIN, y, line)
        y -= size * 1.7
    canvas.showPage()
    canvas.save()
