"""Survey paper besides the questionnaires: the results report with charts, and the printable
list of households not reached yet (for the next round of visits)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from app.documents.layout import Column, Flow, Frame, width_of
from app.documents.pdf import FONT, MARGIN, new_canvas
from app.surveys.dto import (
    COVERAGE_HEADS,
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
FRAME = Frame.of(A4, MARGIN, 6 * mm, 10 * mm)
WIDTH = FRAME.body_width


def _bar_chart(labels: Sequence[str], values: Sequence[int], highlight: int = 0) -> Drawing:
    """Horizontal bars, one per option, top to bottom; the first `highlight` bars in green."""
    height = 12 + 7 * mm * len(labels)
    drawing = Drawing(WIDTH, height)
    # The renderer starts from Helvetica unless told otherwise, and would add it to the file.
    setattr(drawing, "initialFontName", FONT)  # noqa: B010
    chart = HorizontalBarChart()
    label_width = min(max((width_of(label, 8.5) for label in labels), default=20) + 8, WIDTH * 0.4)
    chart.x, chart.y = round(label_width), 8
    chart.width, chart.height = round(WIDTH * 0.9 - label_width), round(height - 12)
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


def _question(flow: Flow, t: QuestionTally) -> None:
    q = t.question
    kind = q.data.kind
    flow.space(3 * mm)
    flow.need(30 * mm if kind not in ("text", "number") else 12 * mm)  # question with its chart
    flow.paragraph(f"{q.number}. {q.data.text}（{KIND_LABELS[kind]}，有效回答 {t.valid}）", 10.5)
    if kind == "text":
        flow.paragraph(f"共 {t.valid} 条文字意见，全文见导出的 Excel“原始答卷”。", 9)
        return
    if kind == "number":
        flow.paragraph(
            f"合计 {t.number_sum or 0}，平均 {t.number_mean or '—'}，"
            f"最小 {t.number_min or '—'}，最大 {t.number_max or '—'}",
            9,
        )
        return
    flow.graphic(
        _bar_chart(
            [o.label for o in t.options],
            [o.count for o in t.options],
            highlight=2 if kind == "satisfaction5" else 0,
        )
    )
    flow.table(
        (Column("选项", WIDTH * 0.6), Column("人数", WIDTH * 0.2, "right"),
         Column("占比", WIDTH * 0.2, "right")),
        [(o.label, str(o.count), percent(o.share)) for o in t.options],
        9,
        pad=1 * mm,
    )  # fmt: skip
    if t.satisfaction_rate is not None:
        flow.paragraph(f"满意率（满意+非常满意）：{percent(t.satisfaction_rate)}", 9.5)


def coverage_table(flow: Flow, coverage: Coverage) -> None:
    """各楼栋走访情况: the breakdown whose columns add up to the households."""
    columns = [Column("楼院 / 楼栋", WIDTH * 0.34)] + [
        Column(head, WIDTH * 0.11, "right") for head in COVERAGE_HEADS
    ]
    rows = []
    for r in (*coverage.by_building, coverage.total):
        label = f"{r.compound_name} {r.building}号楼" if r.building else r.compound_name
        rows.append([label, *(str(v) for v in r.breakdown()), percent(r.rate)])
    flow.table(columns, rows, 9)


def write_results_report(
    out: Path | str, results: Results, coverage: Coverage, scope_text: str
) -> int:
    """The results report: coverage, satisfaction, every question with its chart; pages."""
    title = f"{results.title} 调查结果"
    flow = Flow(FRAME, running_head=title)
    flow.title(title, 17, 12, after=2 * mm)
    flow.paragraph(
        f"调查范围：{scope_text}　状态：{STATUS_LABELS[results.status]}　"
        f"统计时间：{dt.datetime.now():%Y-%m-%d %H:%M}",
        9,
    )
    households, answered, refused, nobody_home, not_visited = results.coverage.breakdown()
    flow.paragraph(
        f"应调查 {households} 户，已答卷 {answered} 户，拒答 {refused} 户，"
        f"无人在家 {nobody_home} 户，未走访 {not_visited} 户；"
        f"覆盖率 {percent(results.coverage.rate)}。",
        10.5,
    )
    if results.satisfaction_rate is not None:
        flow.space(2 * mm)
        flow.paragraph(
            f"综合满意率：{percent(results.satisfaction_rate)}"
            f"（满意+非常满意 {results.satisfaction_satisfied} / 有效回答 "
            f"{results.satisfaction_valid}）",
            13,
        )
    for t in results.questions:
        _question(flow, t)
    if results.by_building:
        flow.space(4 * mm)
        flow.need(40 * mm)  # the heading stays with its table
        flow.paragraph("各楼栋满意率", 12)
        flow.table(
            (Column("楼院 / 楼栋", WIDTH * 0.4), Column("有效回答", WIDTH * 0.2, "right"),
             Column("满意", WIDTH * 0.2, "right"), Column("满意率", WIDTH * 0.2, "right")),
            [(f"{b.compound_name} {b.building}号楼", str(b.valid), str(b.satisfied),
              percent(b.rate)) for b in results.by_building],
            9,
        )  # fmt: skip
    flow.space(4 * mm)
    flow.need(40 * mm)
    flow.paragraph("各楼栋走访情况", 12)
    coverage_table(flow, coverage)
    c = new_canvas(out, title)
    pages = flow.render(c)
    c.save()
    return pages


NOT_REACHED_COLUMNS = (
    Column("序号", WIDTH * 0.07, "right"),
    Column("楼院", WIDTH * 0.2),
    Column("住址", WIDTH * 0.17),
    Column("户主", WIDTH * 0.11),
    Column("电话", WIDTH * 0.17),
    Column("状态", WIDTH * 0.1),
    Column("再次走访记录", WIDTH * 0.18),
)


def write_not_reached(
    out: Path | str, title: str, rows: Sequence[NotReachedRow], *, unmasked: bool = False
) -> int:
    """The households to visit again, by building, with a column to note the visit; pages."""
    head = f"{title} 未走到住户名单"
    flow = Flow(FRAME, running_head=head)
    flow.title(head, 16, 12, after=2 * mm)
    flow.paragraph(f"共 {len(rows)} 户　打印时间：{dt.datetime.now():%Y-%m-%d %H:%M}", 9)
    cells = [
        (
            str(n),
            r.compound_name,
            r.location,
            r.householder_name,
            r.phone if unmasked else mask_phone(r.phone),
            r.state,
            "",
        )
        for n, r in enumerate(rows, start=1)
    ]
    flow.table(NOT_REACHED_COLUMNS, cells, 9)
    c = new_canvas(out, head)
    pages = flow.render(c)
    c.save()
    return pages
