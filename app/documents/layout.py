"""The one layout layer every document uses: measure text before drawing it, break CJK lines
without splitting numbers, flow bodies over pages, keep everything inside the printable area.

A document is built as a `Flow` of blocks (titles, paragraphs, tables, signature blocks). The
flow is laid out into pages of drawing operations first, so the number of pages is known before
anything is drawn ("第 x 页 共 y 页"), and then drawn. Nothing is ever dropped: text that cannot
be placed raises `LayoutError` with a Chinese message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from reportlab.lib.colors import Color, black
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from app.documents.pdf import FONT, register_font
from app.errors import AppError

# Printers cannot reach the paper's edge: nothing is drawn closer to it than this.
PRINTABLE_INSET = 8 * mm
# Characters that must not start a line (避头点) and must not end one (避尾点).
NO_LINE_START = frozenset("，。、；：？！）》」』】〕…—,.;:?!)%％")
NO_LINE_END = frozenset("（《「『【〔(¥￥")
# Runs that never split over two lines: dates, amounts (¥1,234.56), percentages, phone and
# room numbers (0371-66880002, 3-1-101), times, and Latin words.
_DIGITS = r"[0-9０-９]"
UNBREAKABLE = re.compile(
    rf"{_DIGITS}{{4}}年{_DIGITS}{{1,2}}月(?:{_DIGITS}{{1,2}}日)?"
    rf"|{_DIGITS}{{1,2}}月{_DIGITS}{{1,2}}日"
    rf"|[¥￥]?[-+]?{_DIGITS}(?:[0-9０-９.,:/\-—–~]*{_DIGITS})?[%％㎡]?"
    r"|[A-Za-z][A-Za-z'’]*"
)


class LayoutError(AppError):
    """A document cannot hold its content (the message says which part)."""


@lru_cache(maxsize=65536)
def width_of(text: str, size: float, font: str = FONT) -> float:
    """Width of a string in points (cached: documents repeat the same strings)."""
    register_font()
    return float(pdfmetrics.stringWidth(text, font, size))


def tokens(text: str) -> list[str]:
    """Split text into the pieces a line may break between: unbreakable runs and characters."""
    out: list[str] = []
    at = 0
    for m in UNBREAKABLE.finditer(text):
        out.extend(text[at : m.start()])
        out.append(m.group())
        at = m.end()
    out.extend(text[at:])
    return out


def _hard_split(token: str, size: float, width: float, font: str) -> list[str]:
    """A single run wider than the line: the only case a run is cut (by character)."""
    parts, part = [], ""
    for ch in token:
        if part and width_of(part + ch, size, font) > width:
            parts.append(part)
            part = ch
        else:
            part += ch
    return [*parts, part]


def break_lines(text: str, size: float, width: float, font: str = FONT) -> list[str]:
    """Lines no wider than `width`: CJK breaks anywhere except inside numbers, dates and words,
    keeps closing punctuation off a line's start and opening marks off its end, and honours
    explicit newlines. Trailing spaces at a break are dropped."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if width_of(paragraph, size, font) <= width:  # most lines: nothing to break
            lines.append(paragraph.rstrip())
            continue
        line: list[str] = []
        line_w = 0.0
        for token in tokens(paragraph):
            w = width_of(token, size, font)
            if not line or line_w + w <= width:
                if not line and w > width:
                    *full, token = _hard_split(token, size, width, font)
                    lines.extend(full)
                    w = width_of(token, size, font)
                line.append(token)
                line_w += w
                continue
            carry: list[str] = []
            if token in NO_LINE_START and len(line) > 1:
                carry.append(line.pop())
            while len(line) > 1 and line[-1] in NO_LINE_END:
                carry.insert(0, line.pop())
            lines.append("".join(line).rstrip())
            line = [*carry, token] if token.strip() or carry else []
            line_w = sum(width_of(t, size, font) for t in line)
            if line_w > width:  # the carried run and its mark do not fit together
                lines.append("".join(line[:-1]))
                line, line_w = [token], w
        lines.append("".join(line).rstrip())
    return lines


def fit_size(text: str, size: float, width: float, minimum: float, font: str = FONT) -> float:
    """The largest size from `size` down to `minimum` (0.5 pt steps) at which text is one line;
    `minimum` when none is."""
    while size > minimum and width_of(text, size, font) > width:
        size = max(minimum, size - 0.5)
    return size


def fit_lines(
    text: str, size: float, width: float, minimum: float, font: str = FONT
) -> tuple[float, list[str]]:
    """A title's size and lines: shrink to `minimum`, then wrap."""
    size = fit_size(text, size, width, minimum, font)
    return size, break_lines(text, size, width, font)


# A drawing operation on a laid-out page.
class Text(NamedTuple):
    x: float
    y: float  # baseline
    text: str
    size: float
    align: str = "left"  # left / right / centre (x is the anchor)
    color: Color = black


class Rule(NamedTuple):
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.5
    color: Color = black
    dash: tuple[float, ...] = ()


class Box(NamedTuple):
    x: float
    y: float
    w: float
    h: float
    fill: Color | None = None
    stroke: bool = False
    color: Color = black  # of the stroke


class Graphic(NamedTuple):
    """A reportlab Drawing (a chart) with its lower-left corner at x, y."""

    x: float
    y: float
    drawing: Any


Op = Text | Rule | Box | Graphic


def _draw_shapes(canvas: Canvas, ops: Sequence[Op]) -> None:
    for op in ops:
        if isinstance(op, Box):
            canvas.saveState()
            if op.fill is not None:
                canvas.setFillColor(op.fill)
            canvas.setStrokeColor(op.color)
            canvas.setLineWidth(1.2)
            canvas.rect(
                op.x, op.y, op.w, op.h, stroke=int(op.stroke), fill=int(op.fill is not None)
            )
            canvas.restoreState()
        elif isinstance(op, Rule):
            canvas.saveState()
            canvas.setStrokeColor(op.color)
            canvas.setLineWidth(op.width)
            if op.dash:
                canvas.setDash(*op.dash)
            canvas.line(op.x1, op.y1, op.x2, op.y2)
            canvas.restoreState()
        elif isinstance(op, Graphic):
            from reportlab.graphics import renderPDF

            renderPDF.draw(op.drawing, canvas, op.x, op.y)


def draw_ops(canvas: Canvas, ops: Sequence[Op], font: str = FONT) -> None:
    """Draw laid-out operations: shapes first, then all text in one text object."""
    _draw_shapes(canvas, ops)
    text = canvas.beginText()
    color: Color | None = None
    size = 0.0
    for op in ops:
        if not isinstance(op, Text) or not op.text:
            continue
        if op.color is not color:
            text.setFillColor(op.color)
            color = op.color
        if op.size != size:
            text.setFont(font, op.size)
            size = op.size
        x = op.x
        if op.align != "left":
            w = width_of(op.text, op.size, font)
            x -= w if op.align == "right" else w / 2
        text.setTextOrigin(x, op.y)
        text.textOut(op.text)
    canvas.drawText(text)


@dataclass(frozen=True)
class Frame:
    """The page and the area the body flows in."""

    width: float
    height: float
    left: float
    right: float  # x of the right edge of the body
    top: float  # y of the body's top
    bottom: float  # y the body may not go below

    @property
    def body_width(self) -> float:
        return self.right - self.left

    @classmethod
    def of(cls, size: tuple[float, float], margin: float, head: float, foot: float) -> Frame:
        w, h = size
        return cls(w, h, margin, w - margin, h - margin - head, margin + foot)


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # points
    align: str = "left"  # numbers: "right"


def fit_columns(
    heads: Sequence[str], rows: Sequence[Sequence[str]], size: float, width: float, pad: float
) -> list[float] | None:
    """Column widths that hold every cell on one line (numbers whole), spread to `width`;
    headers on one line when there is room, else on two. None when the cells cannot fit (the
    caller turns the page or picks larger paper)."""
    cells = [max((width_of(row[k], size) for row in rows), default=0.0) for k in range(len(heads))]
    for share in (1.0, 0.6):
        need = [
            max(width_of(head, size) * share, cell) + 2 * pad + 1
            for head, cell in zip(heads, cells, strict=True)
        ]
        if sum(need) <= width:
            extra = (width - sum(need)) / len(need)
            return [w + extra for w in need]
    return None


@dataclass
class _Page:
    ops: list[Op] = field(default_factory=list)


class Flow:
    """A document body laid out top to bottom over as many pages as it needs.

    Blocks are placed as they are added; `pages` are then drawn by `render`, which adds the
    running header (from page 2) and "第 x 页 共 y 页" (when there is more than one page).
    """

    def __init__(self, frame: Frame, running_head: str = "", font: str = FONT) -> None:
        register_font()
        self.frame = frame
        self.running_head = running_head
        self.font = font
        self.pages: list[_Page] = [_Page()]
        self.y = frame.top
        self._repeat: tuple[Sequence[Column], float, float] | None = None

    # -- page handling -------------------------------------------------------------------
    @property
    def ops(self) -> list[Op]:
        return self.pages[-1].ops

    def new_page(self) -> None:
        self.pages.append(_Page())
        self.y = self.frame.top
        if self._repeat is not None:
            self._table_head(*self._repeat)

    def room(self) -> float:
        return self.y - self.frame.bottom

    def need(self, height: float, what: str = "内容") -> None:
        """Start a new page unless `height` fits below; fail if it fits on no page."""
        if height > self.frame.top - self.frame.bottom - self._head_height():
            raise LayoutError(f"{what}太长，一页放不下，无法排版")
        if height > self.room():
            self.new_page()

    def _head_height(self) -> float:
        return 0.0 if self._repeat is None else self._repeat[2]

    def space(self, height: float) -> None:
        """Vertical space; dropped at the top of a page."""
        if self.y != self.frame.top:
            self.y -= min(height, max(self.room(), 0))

    # -- blocks --------------------------------------------------------------------------
    def title(
        self,
        text: str,
        size: float,
        minimum: float,
        *,
        color: Color = black,
        after: float = 4 * mm,
    ) -> None:
        """A centred title: shrinks to `minimum`, then wraps; never wider than the body."""
        size, lines = fit_lines(text, size, self.frame.body_width, minimum, self.font)
        self.need(len(lines) * size * 1.3, "标题")
        centre = (self.frame.left + self.frame.right) / 2
        for line in lines:
            self.y -= size * 1.3
            self.ops.append(Text(centre, self.y + size * 0.3, line, size, "centre", color))
        self.y -= after

    def paragraph(
        self,
        text: str,
        size: float,
        *,
        leading: float = 1.6,
        first_indent: str = "",
        align: str = "left",
        after: float = 0.0,
    ) -> None:
        """Wrapped text flowing over pages (no orphan first line at a page's foot)."""
        lines = break_lines(first_indent + text, size, self.frame.body_width, self.font)
        step = size * leading
        self.need(min(len(lines), 2) * step)
        x = self.frame.left
        if align == "right":
            x = self.frame.right
        elif align == "centre":
            x = (self.frame.left + self.frame.right) / 2
        for line in lines:
            if step > self.room():
                self.new_page()
            self.y -= step
            self.ops.append(Text(x, self.y + (step - size) / 2 + size * 0.12, line, size, align))
        self.y -= after

    def pair(self, left: str, right: str, size: float, *, leading: float = 1.6) -> None:
        """Two facts on one line (left- and right-aligned) when both fit, else one per line."""
        if width_of(left, size, self.font) + width_of(right, size, self.font) + 6 * mm > (
            self.frame.body_width
        ):
            self.paragraph(left, size, leading=leading)
            self.paragraph(right, size, leading=leading)
            return
        step = size * leading
        self.need(step)
        self.y -= step
        base = self.y + (step - size) / 2 + size * 0.12
        self.ops.append(Text(self.frame.left, base, left, size))
        self.ops.append(Text(self.frame.right, base, right, size, "right"))

    def block(self, lines: Sequence[tuple[str, float, str]], *, leading: float = 1.6) -> None:
        """Lines kept together on one page (a signature, a summary): (text, size, align).

        Each line is measured; a line wider than the body is wrapped, never cut."""
        placed: list[tuple[str, float, str]] = []
        for text, size, align in lines:
            placed += [(t, size, align) for t in break_lines(text, size, self.frame.body_width)]
        height = sum(size * leading for _, size, _ in placed)
        self.need(height, "落款")
        for text, size, align in placed:
            self.y -= size * leading
            x = {"left": self.frame.left, "right": self.frame.right}.get(
                align, (self.frame.left + self.frame.right) / 2
            )
            self.ops.append(Text(x, self.y + size * 0.4, text, size, align))

    def graphic(self, drawing: Any) -> None:
        """A chart kept whole on one page."""
        self.need(float(drawing.height), "图表")
        self.y -= float(drawing.height)
        self.ops.append(Graphic(self.frame.left, self.y, drawing))

    def rule(self, width: float = 0.5, color: Color = black, gap: float = 0.0) -> None:
        self.ops.append(
            Rule(self.frame.left, self.y - gap, self.frame.right, self.y - gap, width, color)
        )
        self.y -= 2 * gap

    def table(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        size: float,
        *,
        shaded: Sequence[bool] = (),
        shade: Color | None = None,
        pad: float = 1.5 * mm,
    ) -> None:
        """A table whose header row repeats on every page it runs over. Cells wrap inside
        their column (numbers never split); a row is never split over pages."""
        head_h = self._head_row_height(columns, size, pad)
        self.need(head_h + size * 1.6 + pad * 2, "表格")
        self._table_head(columns, size, head_h)
        self._repeat = (columns, size, head_h)
        try:
            for n, cells in enumerate(rows):
                self._table_row(
                    columns, cells, size, pad, shade if n < len(shaded) and shaded[n] else None
                )
        finally:
            self._repeat = None

    def _head_row_height(self, columns: Sequence[Column], size: float, pad: float) -> float:
        lines = max(len(break_lines(c.title, size, c.width - 2 * pad, self.font)) for c in columns)
        return lines * size * 1.3 + 2 * pad

    def _table_head(self, columns: Sequence[Column], size: float, height: float) -> None:
        pad = 1.5 * mm
        left = self.frame.left
        total = sum(c.width for c in columns)
        self.ops.append(Box(left, self.y - height, total, height, Color(0.92, 0.92, 0.92)))
        x = left
        for c in columns:
            lines = break_lines(c.title, size, c.width - 2 * pad, self.font)
            y = self.y - pad
            for line in lines:
                y -= size * 1.3
                self.ops.append(
                    self._cell_text(c, x, y + size * 0.3, text=line, size=size, pad=pad)
                )
            x += c.width
        self.y -= height
        self.ops.append(Rule(left, self.y, left + total, self.y, 0.6))

    def _cell_text(
        self, c: Column, x: float, y: float, *, text: str, size: float, pad: float
    ) -> Text:
        if c.align == "right":
            return Text(x + c.width - pad, y, text, size, "right")
        if c.align == "centre":
            return Text(x + c.width / 2, y, text, size, "centre")
        return Text(x + pad, y, text, size)

    def _table_row(
        self,
        columns: Sequence[Column],
        cells: Sequence[str],
        size: float,
        pad: float,
        fill: Color | None,
    ) -> None:
        wrapped = [
            break_lines(text, size, c.width - 2 * pad, self.font)
            for text, c in zip(cells, columns, strict=True)
        ]
        height = max(len(w) for w in wrapped) * size * 1.3 + 2 * pad
        self.need(height, "表格中的一行")
        left = self.frame.left
        total = sum(c.width for c in columns)
        if fill is not None:
            self.ops.append(Box(left, self.y - height, total, height, fill))
        x = left
        for lines, c in zip(wrapped, columns, strict=True):
            y = self.y - pad
            for line in lines:
                y -= size * 1.3
                self.ops.append(
                    self._cell_text(c, x, y + size * 0.3, text=line, size=size, pad=pad)
                )
            x += c.width
        self.y -= height
        self.ops.append(Rule(left, self.y, left + total, self.y, 0.3))

    # -- output --------------------------------------------------------------------------
    def render(self, canvas: Canvas, *, finish_page: bool = True) -> int:
        """Draw every page (running head from page 2, page numbers when more than one)."""
        total = len(self.pages)
        f = self.frame
        for n, page in enumerate(self.pages, start=1):
            canvas.setPageSize((f.width, f.height))
            ops: list[Op] = list(page.ops)
            if self.running_head and n > 1:
                head = self.running_head
                size = fit_size(head, 8, f.body_width, 6)
                y = f.height - max(PRINTABLE_INSET + 2 * mm, f.height - f.top - 8 * mm)
                ops.append(Text(f.left, y, head, size, color=Color(0.35, 0.35, 0.35)))
            if total > 1:
                y = max(PRINTABLE_INSET + 1 * mm, f.bottom - 8 * mm)
                ops.append(
                    Text((f.left + f.right) / 2, y, f"第 {n} 页 共 {total} 页", 8.5, "centre")
                )
            draw_ops(canvas, ops, self.font)
            if finish_page or n < total:
                canvas.showPage()
        return total
