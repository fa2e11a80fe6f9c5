"""工作简报: red masthead, rule, header line, the (edited) body text, over as many pages as
it needs."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from app.documents.layout import Flow, Frame
from app.documents.pdf import MARGIN, new_canvas

RED = Color(0.78, 0.08, 0.08)
INDENT = "\u3000\u3000"
BODY_SIZES = (14.0, 13.0, 12.0)


def layout_brief(title: str, header: str, body: str) -> Flow:
    """The brief at the largest body size (14 → 12 pt) that keeps it on one page; a longer
    brief runs on to more pages at 12 pt (it is never set smaller, nothing is dropped)."""
    frame = Frame.of(A4, MARGIN, 8 * mm, 8 * mm)
    flow = Flow(frame)
    for size in BODY_SIZES:
        flow = Flow(frame, running_head=title)
        flow.space(6 * mm)
        flow.title(title, 30, 20, color=RED, after=3 * mm)
        flow.paragraph(header, 11, align="centre", after=1 * mm)
        flow.rule(1.5, RED)
        flow.y -= 1.2 * mm
        flow.rule(0.5, RED)
        flow.space(6 * mm)
        for paragraph in body.split("\n"):
            if paragraph.strip():
                flow.paragraph(paragraph.strip(), size, leading=1.7, first_indent=INDENT)
        if len(flow.pages) == 1:
            break
    return flow


def write_brief(path: Path | str, title: str, header: str, body: str) -> int:
    """Write the brief; returns the number of pages."""
    flow = layout_brief(title, header, body)
    canvas = new_canvas(path, title)
    pages = flow.render(canvas)
    canvas.save()
    return pages
