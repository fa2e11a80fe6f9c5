"""Survey paper besides the questionnaires: the results report with charts, and the printable
list of households not reached yet (for the next round of visits)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents.pdf import (
    FONT,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    draw_centered,
    new_canvas,
    text_width,
    wrap,
)
from app.surveys.dto import (
    KIND_LABELS,
    STATUS_LABELS,
    Coverage,
    NotReachedRow,
    QuestionTally,
    Results,
    percent,
)
from app.text import mask_phone

BAR = colors.HexColor("#4f7cac")
SATISFIED_BAR = colors.HexColor("#3c8d5a")
WIDTH = PAGE_WIDTH - 2 * MARGIN


class _Pages:
    """A canvas with a running y and page breaks that repeat a running head."""

    def __init__(self, c: Canvas, head: str) -> None:
        self.c = c
        self.head = head
        self.page = 1
        self.y = PAGE_HEIGHT - MARGIN

    def need(self, height: float) -> None:
        if self.y - height < MARGIN + 8 * mm:
            self.break_page()

    def break_page(self) -> None:
        self._foot()
        self.c.showPage()
        self.page += 1
        self.y = PAGE_HEIGHT - MARGIN
        self.c.setFont(FONT, 8)
        self.c.drawString(MARGIN, self.y, self.head)
        self.y -= 8 * mm

    def _foot(self) -> None:
        self.c.setFont(FONT, 8)
        self.c.drawRightString(PAGE_WIDTH - MARGIN, MARGIN - 6 * mm, f"第 {self.page} 页")

    def text(self, text: str, size: float = 10, indent: float = 0, gap: float = 1.6) -> None:
        for line in wrap(text, size, WIDTH - indent):
            self.need(size * gap)
            self.c.setFont(FONT, size)
            self.c.drawString(MARGIN + indent, self.y - size, line)
            self.y -= size * gap

    def row(self, cells: Sequence[str], widths: Sequence[float], size: float = 9) -> None:
        """One table row; numbers (cells starting with a digit) are right-aligned."""
        self.need(size * 1.9)
        self.c.setFont(FONT, size)
        x = MARGIN
        for cell, w in zip(cells, widths, strict=True):
            if "0" <= cell[:1] <= "9" and cell != cells[0]:
                self.c.drawRightString(x + w - 2 * mm, self.y - size, cell)
            else:
                self.c.drawString(x + 1 * mm, self.y - size, cell)
            x += w
        self.y -= size * 1.9

    def rule(self) -> None:
        self.c.setLineWidth(0.5)
        self.c.line(MARGIN, self.y + 1.5 * mm, PAGE_WIDTH - MARGIN, self.y + 1.5 * mm)

    def finish(self) -> None:
        self._foot()
        self.c.showPage()
        self.c.save()


def _bar_chart(labels: Sequence[str], values: Sequence[int], highlight: int = 0) -> Drawing:
    """Horizontal bars, one per option, top to bottom; the first `highlight` bars in green."""
    height = 12 + 7 * mm * len(labels)
    drawing = Drawing(WIDTH, height)
    # The renderer starts from Helvetica unless told otherwise, and would add it to the file.
    setattr(drawing, "initialFontName", FONT)  # noqa: B010
    chart = HorizontalBarChart()
    label_width = max((text_width(label, 8.5) for label in labels), default=20) + 8
    chart.x, chart.y = round(label_width), 8
    chart.width, chart.height = round(WIDTH * 0.62 - label_width), round(height - 12)
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(max(values, default=0), 1)
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    n = len(values)
    for i in range(highlight):
        chart.bars[(0, n - 1 - i)].fillColor = SATISFIED_BAR
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def _question(p: _Pages, t: QuestionTally) -> None:
    q = t.question
    kind = q.data.kind
    p.need(14 * mm)
    p.y -= 2 * mm
    p.text(f"{q.number}. {q.data.text}（{KIND_LABELS[kind]}，有效回答 {t.valid}）", 10.5)
    if kind == "text":
        p.text(f"共 {t.valid} 条文字意见，全文见导出的 Excel“原始答卷”。", 9, indent=6 * mm)
        return
    if kind == "number":
        p.text(
            f"合计 {t.number_sum or 0}，平均 {t.number_mean or '—'}，"
            f"最小 {t.number_min or '—'}，最大 {t.number_max or '—'}",
            9,
            indent=6 * mm,
        )
        return
    drawing = _bar_chart(
        [o.label for o in t.options],
        [o.count for o in t.options],
        highlight=2 if kind == "satisfaction5" else 0,
    )
    p.need(drawing.height + 6 * mm)
    renderPDF.draw(drawing, p.c, MARGIN, p.y - drawing.height)
    p.c.setFont(FONT, 8.5)
    top = p.y - 6
    for i, o in enumerate(t.options):
        line_y = top - 7 * mm * i - 3.5 * mm - 3
        p.c.drawString(MARGIN + WIDTH * 0.7, line_y, f"{o.label}：{o.count}（{percent(o.share)}）")
    p.y -= drawing.height + 2 * mm
    if t.satisfaction_rate is not None:
        p.text(f"满意率（满意+非常满意）：{percent(t.satisfaction_rate)}", 9.5, indent=6 * mm)


def _coverage_table(p: _Pages, coverage: Coverage) -> None:
    widths = (WIDTH * 0.34, *(WIDTH * 0.11 for _ in range(6)))
    p.row(("楼院 / 楼栋", "住户", "已答卷", "拒答", "无人在家", "未走到", "覆盖率"), widths)
    p.rule()
    for r in (*coverage.by_building, coverage.total):
        label = f"{r.compound_name} {r.building}号楼" if r.building else r.compound_name
        p.row(
            (
                label,
                str(r.households),
                str(r.answered),
                str(r.refused),
                str(r.nobody_home),
                str(r.not_reached),
                percent(r.rate),
            ),
            widths,
        )


def write_results_report(
    out: Path | str, results: Results, coverage: Coverage, scope_text: str
) -> int:
    """The results report: coverage, satisfaction, every question with its chart; pages."""
    c = new_canvas(out, f"{results.title} 调查结果")
    p = _Pages(c, f"{results.title} · 调查结果")
    draw_centered(c, f"{results.title} 调查结果", p.y - 16, 17)
    p.y -= 30
    p.text(
        f"调查范围：{scope_text}　状态：{STATUS_LABELS[results.status]}　"
        f"统计时间：{dt.datetime.now():%Y-%m-%d %H:%M}",
        9,
    )
    total = results.coverage
    p.text(
        f"应调查 {total.households} 户，已答卷 {total.answered} 户，拒答 {total.refused} 户，"
        f"无人在家 {total.nobody_home} 户，未走访 {total.not_reached - total.nobody_home} 户；"
        f"覆盖率 {percent(total.rate)}。",
        10.5,
    )
    if results.satisfaction_rate is not None:
        p.y -= 2 * mm
        p.text(
            f"综合满意率：{percent(results.satisfaction_rate)}"
            f"（满意+非常满意 {results.satisfaction_satisfied} / 有效回答 "
            f"{results.satisfaction_valid}）",
            13,
        )
    for t in results.questions:
        _question(p, t)
    if results.by_building:
        p.need(30 * mm)
        p.y -= 4 * mm
        p.text("各楼栋满意率", 12)
        widths = (WIDTH * 0.4, WIDTH * 0.2, WIDTH * 0.2, WIDTH * 0.2)
        p.row(("楼院 / 楼栋", "有效回答", "满意", "满意率"), widths)
        p.rule()
        for b in results.by_building:
            p.row(
                (
                    f"{b.compound_name} {b.building}号楼",
                    str(b.valid),
                    str(b.satisfied),
                    percent(b.rate),
                ),
                widths,
            )
    p.need(30 * mm)
    p.y -= 4 * mm
    p.text("各楼栋走访情况", 12)
    _coverage_table(p, coverage)
    pages = p.page
    p.finish()
    return pages


def write_not_reached(
    out: Path | str, title: str, rows: Sequence[NotReachedRow], *, unmasked: bool = False
) -> int:
    """The households to visit again, by building, with a column to note the visit; pages."""
    c = new_canvas(out, f"{title} 未走到住户名单")
    p = _Pages(c, f"{title} · 未走到住户名单")
    draw_centered(c, f"{title} 未走到住户名单", p.y - 16, 16)
    p.y -= 28
    p.text(f"共 {len(rows)} 户　打印时间：{dt.datetime.now():%Y-%m-%d %H:%M}", 9)
    widths = (
        WIDTH * 0.07,
        WIDTH * 0.2,
        WIDTH * 0.17,
        WIDTH * 0.12,
        WIDTH * 0.16,
        WIDTH * 0.1,
        WIDTH * 0.18,
    )
    head = ("序号", "楼院", "住址", "户主", "电话", "状态", "再次走访记录")
    p.row(head, widths)
    p.rule()
    building = None
    for n, r in enumerate(rows, start=1):
        if building is not None and (r.compound_name, r.building) != building:
            p.y -= 1.5 * mm
        building = (r.compound_name, r.building)
        phone = r.phone if unmasked else mask_phone(r.phone)
        p.row(
            (str(n), r.compound_name, r.location, r.householder_name, phone, r.state, "______"),
            widths,
        )
    pages = p.page
    p.finish()
    return pages
