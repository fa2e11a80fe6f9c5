"""Paper questionnaires: one per household of a survey's scope, pre-printed with the household
and a QR code ("LY1:S<survey>:H<household>[:P<page>:L<layout>]") that opens its answer form
when scanned by a USB reader, and identifies the page when the returned stack is scanned.

Made to be read back (app.surveys.scan): four solid corner marks register the page, answer
boxes are 5 mm squares on 8 mm rows, and `paper_layout` gives every box's place on its page.

The questions are the same on every sheet, so each page's question block is drawn once as a
PDF form XObject and placed on every household's page: the batch stays small and fast.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents.layout import fit_size
from app.documents.pdf import (
    FONT,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    new_canvas,
    text_width,
    wrap,
)
from app.jobs import IsCancelled, Progress, check_cancelled, never_cancelled, no_progress
from app.surveys import payload
from app.surveys.dto import PAPER_CHANNELS, HouseholdRef, QuestionRow, SurveyDetail

QR_SIZE = 30 * mm
HEADER_HEIGHT = 56 * mm  # title, household box and QR code
FOOTER_HEIGHT = 22 * mm  # collector, date, channel, outcome
BOX = 3.6 * mm  # the footer's tick boxes (filled in by the visitor, not read back)
ANSWER_BOX = 5 * mm  # room for a pen tick, read back by the scanner
BODY = 10.5
LINE = 6.2 * mm
ROW = 7.5 * mm  # a row of answer boxes: a tick in one stays out of the next row
MARK = 5 * mm  # the solid corner registration squares
MARK_INSET = 9 * mm  # from the paper's edge to a mark's outer side
INSTRUCTION = (
    "填写说明：请用深色笔在所选方框内打“√”或“×”；涂满方框也算选中，不能用来取消，"
    "改选请另取一份问卷。"
)
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
# The QR code's lower-left corner (the header's box top is MARGIN + 14 mm below the top).
QR_AT = (PAGE_WIDTH - MARGIN - QR_SIZE, PAGE_HEIGHT - MARGIN - 14 * mm - QR_SIZE + 3 * mm)
MARK_CENTRES = tuple(
    (x, y)
    for y in (PAGE_HEIGHT - MARK_INSET - MARK / 2, MARK_INSET + MARK / 2)
    for x in (MARK_INSET + MARK / 2, PAGE_WIDTH - MARK_INSET - MARK / 2)
)  # top-left, top-right, bottom-left, bottom-right (PDF points, origin lower left)
# A drawing step: ("text", x, y, text, size) / ("box", x, y) / ("line", x1, y, x2).
Op = tuple[str, float, float, str | float, float]
QrDrawer = Callable[[Canvas, str, float, float], None]


@dataclass(frozen=True)
class Layout:
    """The questions split over pages (page n is drawn once, as form "q<n>")."""

    pages: tuple[tuple[Op, ...], ...]


def layout_questions(survey: SurveyDetail) -> Layout:
    """Place the introduction and the questions on as many pages as they need."""
    top = PAGE_HEIGHT - MARGIN - HEADER_HEIGHT
    bottom = MARGIN + FOOTER_HEIGHT
    pages: list[list[Op]] = [[]]
    y = top
    for line in wrap(survey.data.intro, 9.5, CONTENT_WIDTH) if survey.data.intro else []:
        pages[-1].append(("text", MARGIN, y, line, 9.5))
        y -= 5 * mm
    y -= 2 * mm
    for q in survey.questions:
        block, height = _question_block(q)
        if y - height < bottom and pages[-1]:
            pages.append([])
            y = top
        pages[-1].extend((kind, x, y - dy, arg, size) for kind, x, dy, arg, size in block)
        y -= height + 1.5 * mm
    return Layout(tuple(tuple(p) for p in pages))


def paper_layout(survey: SurveyDetail) -> dict[str, object]:
    """Where everything to read back is, in PDF points (origin at the lower left) of each page:
    the corner marks, the QR code, each option's box (`boxes`: question number, option,
    x, y, size), each question's area (`areas`: number, x0, y0, x1, y1, for review crops
    and handwritten answers) and the questions' wording (to refuse sheets whose questions
    changed after printing). Plain JSON values, stored with the survey as a version."""
    layout = layout_questions(survey)
    by_number = {q.number: q for q in survey.questions}
    pages: list[dict[str, object]] = []
    for ops in layout.pages:
        boxes: list[list[float]] = []
        extent: dict[int, list[float]] = {}
        current = 0
        for kind, x, y, arg, _size in ops:
            if kind == "text" and isinstance(arg, str):
                head = arg.split(".", 1)[0]
                q = by_number.get(int(head)) if head.isdigit() and x == MARGIN else None
                if q is not None and arg.startswith(f"{q.number}. {q.data.text[:4]}"):
                    current = q.number
            if not current:
                continue
            if kind == "box":
                number, option = (int(v) for v in str(arg).split(":"))
                bx, by = x, y - 1.2 * mm
                boxes.append([number, option, round(bx, 2), round(by, 2), round(ANSWER_BOX, 2)])
            top = y + 4.5 * mm
            bottom = y - 2 * mm
            right = float(arg) if kind == "line" else PAGE_WIDTH - MARGIN
            box = extent.setdefault(current, [x, bottom, right, top])
            box[0], box[1] = min(box[0], x), min(box[1], bottom)
            box[2], box[3] = max(box[2], right), max(box[3], top)
        areas = [[n, *(round(v, 2) for v in b)] for n, b in sorted(extent.items())]
        lines = [
            [round(y, 2), round(x, 2), round(float(a), 2)]
            for kind, x, y, a, _s in ops
            if kind == "line"
        ]
        pages.append({"boxes": boxes, "areas": areas, "lines": lines})
    questions = [
        {
            "id": q.id,
            "number": q.number,
            "kind": q.data.kind,
            "text": q.data.text,
            "choices": list(q.choices),
        }
        for q in survey.questions
    ]
    return {
        "format": 1,
        "page_size": [round(PAGE_WIDTH, 2), round(PAGE_HEIGHT, 2)],
        "marks": [[round(x, 2), round(y, 2)] for x, y in MARK_CENTRES],
        "mark_size": round(MARK, 2),
        "qr": [round(QR_AT[0], 2), round(QR_AT[1], 2), round(QR_SIZE, 2)],
        "pages": pages,
        "questions": questions,
    }


def _draw(c: Canvas, ops: Sequence[Op]) -> None:
    c.setLineWidth(0.6)
    for kind, x, y, arg, size in ops:
        if kind == "text":
            c.setFont(FONT, size)
            c.drawString(x, y, str(arg))
        elif kind == "box":
            c.rect(x, y - 1.2 * mm, ANSWER_BOX, ANSWER_BOX, stroke=1, fill=0)
        else:
            c.line(x, y, float(arg), y)


def _question_block(q: QuestionRow) -> tuple[list[Op], float]:
    """Ops with y measured down from the block's top, and the block's height."""
    kind = q.data.kind
    suffix = {"multiple": "（可多选）", "single": "（单选）"}.get(kind, "")
    if suffix and suffix.strip("（）") in q.data.text:
        suffix = ""
    if not q.data.required:
        suffix += "（选答）"
    ops: list[Op] = []
    dy = 0.0
    for line in wrap(f"{q.number}. {q.data.text}{suffix}", BODY, CONTENT_WIDTH):
        ops.append(("text", MARGIN, dy, line, BODY))
        dy += LINE
    indent = MARGIN + 8 * mm
    if kind in ("number", "text"):
        width = 60 * mm if kind == "number" else CONTENT_WIDTH - 8 * mm
        dy += LINE * 0.4
        for _ in range(1 if kind == "number" else 3):
            ops.append(("line", indent, dy + 1.5 * mm, indent + width, 0))
            dy += LINE
        return ops, dy
    x = indent
    dy += (ROW - LINE) / 2
    for n, label in enumerate(q.choices, start=1):
        text = f"{n} {label}"
        width = ANSWER_BOX + 2 * mm + text_width(text, BODY) + 8 * mm
        if x + width > PAGE_WIDTH - MARGIN and x > indent:
            x = indent
            dy += ROW
        # The box carries its question number and option (0-based) for `paper_layout`.
        ops.append(("box", x, dy, f"{q.number}:{n - 1}", 0))
        ops.append(("text", x + ANSWER_BOX + 2 * mm, dy, text, BODY))
        x += width
    return ops, dy + ROW - (ROW - LINE) / 2


def _footer(c: Canvas) -> None:
    y = MARGIN + 13 * mm
    c.setLineWidth(0.6)
    c.line(MARGIN, y + 7 * mm, PAGE_WIDTH - MARGIN, y + 7 * mm)
    c.setFont(FONT, 9.5)
    _ticks(c, "调查人：__________    日期：____年___月___日    方式：", PAPER_CHANNELS, y)
    _ticks(c, "走访结果（由工作人员填写）：", ("已答卷", "拒答", "无人在家"), y - 7 * mm)


def _ticks(c: Canvas, lead: str, labels: Sequence[str], y: float) -> None:
    c.drawString(MARGIN, y, lead)
    x = MARGIN + text_width(lead, 9.5) + 1 * mm
    for label in labels:
        c.rect(x, y - 0.6 * mm, BOX * 0.85, BOX * 0.85)
        c.drawString(x + BOX + 0.5 * mm, y, label)
        x += BOX + text_width(label, 9.5) + 5 * mm


def qr_modules(text: str) -> list[list[bool]]:
    """The dark modules of `text` as a QR code (level M) from reportlab's own encoder.

    A fixed mask pattern: every one of the eight is valid for a reader, and searching for
    the best costs about 20 ms a code, most of a page's time.
    """
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.version = qr.calculate_version()  # type: ignore[no-untyped-call]
    qr.makeImpl(False, 0)
    modules: list[list[bool]] = qr.modules
    return modules


def _qr(c: Canvas, text: str, x: float, y: float, size: float = QR_SIZE) -> None:
    """Draw the code with a two-module quiet zone, one rectangle per run of dark modules."""
    modules = qr_modules(text)
    n = len(modules)
    k = size / (n + 4)
    c.setFillColorRGB(0, 0, 0)
    for row, line in enumerate(modules):
        top = y + size - (row + 2) * k - k
        col = 0
        while col < n:
            if not line[col]:
                col += 1
                continue
            start = col
            while col < n and line[col]:
                col += 1
            c.rect(x + (start + 2) * k, top, (col - start) * k, k, stroke=0, fill=1)


def _qr_widget(c: Canvas, text: str, x: float, y: float, size: float = QR_SIZE) -> None:
    """The textbook way: reportlab's QR widget in a Drawing through renderPDF."""
    widget = QrCodeWidget(text, barLevel="M", barBorder=2)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, c, x, y)


def _header(
    c: Canvas,
    survey: SurveyDetail,
    home: HouseholdRef,
    where: tuple[int, int],
    qr: QrDrawer = _qr,
    *,
    layout_version: int | None = None,
) -> None:
    page, pages = where
    top = PAGE_HEIGHT - MARGIN
    c.setFont(FONT, fit_size(survey.data.title, 16, CONTENT_WIDTH, 9))
    c.drawString(MARGIN, top - 8 * mm, survey.data.title)
    box_top = top - 14 * mm
    c.setLineWidth(0.8)
    box_width = CONTENT_WIDTH - QR_SIZE - 4 * mm
    c.rect(MARGIN, box_top - 24 * mm, box_width, 24 * mm)
    for k, line in enumerate(
        (f"楼院：{home.compound_name}", f"住址：{home.location}", f"户主：{home.householder_name}")
    ):  # measured: a long name is set smaller, never into the QR code
        c.setFont(FONT, fit_size(line, 10.5, box_width - 6 * mm, 5))
        c.drawString(MARGIN + 3 * mm, box_top - 7 * mm * (k + 1), line)
    code = payload.encode(survey.id, home.id, page, layout_version)
    qr(c, code, *QR_AT)
    c.setFont(FONT, 7)
    c.drawCentredString(PAGE_WIDTH - MARGIN - QR_SIZE / 2, box_top - QR_SIZE - 0.5 * mm, code)
    c.setFont(FONT, 8)
    c.drawRightString(PAGE_WIDTH - MARGIN, MARGIN - 6 * mm, f"第 {page}/{pages} 页  {code}")
    c.drawString(MARGIN, MARGIN - 6 * mm, "您的答卷仅用于本次调查统计。")
    c.setFont(FONT, 8.5)
    c.drawString(MARGIN, box_top - 35 * mm, INSTRUCTION)
    _marks(c)


def _marks(c: Canvas) -> None:
    """The four solid registration squares near the paper's corners."""
    c.setFillColorRGB(0, 0, 0)
    for x, y in MARK_CENTRES:
        c.rect(x - MARK / 2, y - MARK / 2, MARK, MARK, stroke=0, fill=1)


def write_questionnaires(
    out: Path | str,
    survey: SurveyDetail,
    households: Sequence[HouseholdRef],
    progress: Progress = no_progress,
    cancelled: IsCancelled = never_cancelled,
    *,
    layout_version: int | None = None,
) -> int:
    """Write one questionnaire per household; returns the number of pages.

    With `layout_version` (the stored `paper_layout` of these pages) each page's code also
    names its page and layout, so the scanned stack can be read back.
    """
    layout = layout_questions(survey)
    c = new_canvas(out, f"{survey.data.title} 调查问卷")
    for n, ops in enumerate(layout.pages):
        c.beginForm(f"q{n}")
        _draw(c, ops)
        c.endForm()
    c.beginForm("footer")
    _footer(c)
    c.endForm()
    pages = 0
    per_home = len(layout.pages)
    for done, home in enumerate(households, start=1):
        for n in range(per_home):
            _header(c, survey, home, (n + 1, per_home), layout_version=layout_version)
            c.doForm(f"q{n}")
            if n == per_home - 1:
                c.doForm("footer")
            c.showPage()
            pages += 1
        if done % 50 == 0:
            check_cancelled(cancelled)
            progress(done, len(households))
    if not households:
        c.setFont(FONT, 12)
        c.drawString(MARGIN, PAGE_HEIGHT / 2, "调查范围内没有住户。")
        c.showPage()
    c.save()
    progress(len(households), len(households))
    return pages


def write_questionnaires_raw(
    out: Path | str, survey: SurveyDetail, households: Sequence[HouseholdRef]
) -> int:
    """The same pages as a plain reportlab program draws them: every element on every page,
    the QR code through reportlab's widget and renderPDF (the benchmark's baseline)."""
    layout = layout_questions(survey)
    c = new_canvas(out, f"{survey.data.title} 调查问卷")
    pages = 0
    for home in households:
        for n, ops in enumerate(layout.pages):
            _header(c, survey, home, (n + 1, len(layout.pages)), _qr_widget)
            _draw(c, ops)
            if n == len(layout.pages) - 1:
                _footer(c)
            c.showPage()
            pages += 1
    c.save()
    return pages
