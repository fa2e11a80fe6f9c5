"""Reads a PDF's glyph boxes back (pdfplumber) and finds what a printed page must not have:
glyphs outside the printable area, overlapping text, numbers split over lines, lost text."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber

from app.documents.layout import PRINTABLE_INSET

RUN = re.compile(r"[¥￥]?[0-9][0-9.,:/\-]*[0-9]%?")
PAGE_NUMBER = re.compile(r"^第\d+页共\d+页$")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass
class Report:
    """What was found in one PDF."""

    outside: list[str]
    overlaps: list[str]
    lines: list[str]  # every extracted text line, whitespace removed
    pages: int

    def text(self, skip: Iterable[str] = ()) -> str:
        drop = {_squash(s) for s in skip}
        return "".join(
            line for line in self.lines if line not in drop and not PAGE_NUMBER.match(line)
        )


def _chars(page: Any) -> list[dict[str, Any]]:
    return [c for c in page.chars if c["text"].strip()]


def _overlaps(chars: list[dict[str, Any]]) -> list[str]:
    """Pairs of glyphs whose boxes (shrunk by a fifth each side) intersect."""
    cell = 24.0
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    boxes = []
    for i, c in enumerate(chars):
        w, h = c["x1"] - c["x0"], c["bottom"] - c["top"]
        box = (c["x0"] + w * 0.2, c["top"] + h * 0.2, c["x1"] - w * 0.2, c["bottom"] - h * 0.2)
        boxes.append(box)
        for gx in range(int(box[0] // cell), int(box[2] // cell) + 1):
            for gy in range(int(box[1] // cell), int(box[3] // cell) + 1):
                grid[(gx, gy)].append(i)
    found: set[tuple[int, int]] = set()
    for members in grid.values():
        for a_at, a in enumerate(members):
            for b in members[a_at + 1 :]:
                p, q = boxes[a], boxes[b]
                if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]:
                    found.add((min(a, b), max(a, b)))
    return [
        f"{chars[a]['text']}@{chars[a]['x0']:.0f},{chars[a]['top']:.0f} × "
        f"{chars[b]['text']}@{chars[b]['x0']:.0f},{chars[b]['top']:.0f}"
        for a, b in found
    ]


def inspect(path: Path) -> Report:
    outside: list[str] = []
    overlaps: list[str] = []
    lines: list[str] = []
    inset = PRINTABLE_INSET - 0.5
    with pdfplumber.open(path) as pdf:
        for n, page in enumerate(pdf.pages, start=1):
            chars = _chars(page)
            for c in chars:
                if (
                    c["x0"] < inset
                    or c["top"] < inset
                    or c["x1"] > page.width - inset
                    or c["bottom"] > page.height - inset
                ):
                    outside.append(f"p{n} {c['text']}@{c['x0']:.0f},{c['top']:.0f}")
            overlaps += [f"p{n} {o}" for o in _overlaps(chars)]
            text = page.extract_text(x_tolerance=1.5, y_tolerance=2) or ""
            lines += [_squash(line) for line in text.split("\n") if line.strip()]
        pages = len(pdf.pages)
    return Report(outside, overlaps, lines, pages)


def split_runs(report: Report, inputs: Iterable[str]) -> list[str]:
    """Digit runs of the inputs that appear on no single extracted line."""
    missing = []
    for text in inputs:
        for run in RUN.findall(text):
            if not any(run in line for line in report.lines):
                missing.append(run)
    return missing


def missing_paragraphs(
    report: Report, paragraphs: Iterable[str], skip: Iterable[str] = ()
) -> list[str]:
    body = report.text(skip)
    return [p for p in paragraphs if _squash(p) not in body]


def assert_clean(
    path: Path, inputs: Iterable[str] = (), paragraphs: Iterable[str] = (), skip: Iterable[str] = ()
) -> Report:
    """Fail on any glyph outside the printable area, overlapping text, a split number or a
    paragraph missing from the text."""
    report = inspect(path)
    assert not report.outside, f"glyphs outside the printable area: {report.outside[:5]}"
    assert not report.overlaps, f"overlapping text: {report.overlaps[:5]}"
    inputs = list(inputs)
    assert not (split := split_runs(report, inputs)), f"numbers split over lines: {split[:5]}"
    lost = missing_paragraphs(report, paragraphs, skip)
    assert not lost, f"{len(lost)} paragraphs missing: {[p[:20] for p in lost[:5]]}"
    return report
