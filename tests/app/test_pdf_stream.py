"""Pages written as they are finished: valid files, flat memory, nothing left on failure."""

from __future__ import annotations

import gc
from pathlib import Path

import pypdf
import pytest

from app.documents.pdf import FONT, new_canvas
from app.documents.pdf_stream import _Written


def _draw(path: Path, pages: int, fail_at: int | None = None) -> None:
    canvas = new_canvas(path, "测试")
    for n in range(pages):
        if n == fail_at:
            raise RuntimeError("cancelled")
        canvas.setFont(FONT, 14)
        canvas.drawString(72, 760, f"第{n + 1}页 缴费通知单 ¥{n}.50")
        canvas.line(72, 750, 500, 750)
        canvas.showPage()
    canvas.save()


def test_streamed_file_reads_back_page_by_page(tmp_path: Path) -> None:
    out = tmp_path / "n.pdf"
    _draw(out, 40)
    reader = pypdf.PdfReader(out, strict=True)
    assert len(reader.pages) == 40
    assert reader.pages[0].extract_text().strip() == "第1页 缴费通知单 ¥0.50"
    assert reader.pages[39].extract_text().strip() == "第40页 缴费通知单 ¥39.50"
    fonts = {str(f["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert len(fonts) == 1 and fonts.pop().endswith("WenQuanYiMicroHei-0")  # one subset
    assert not list(tmp_path.glob("*.part"))


def test_finished_pages_leave_only_their_names_in_memory(tmp_path: Path) -> None:
    canvas = new_canvas(tmp_path / "m.pdf", "测试")
    for n in range(25):
        canvas.setFont(FONT, 12)
        canvas.drawString(72, 700, f"第{n}页")
        canvas.showPage()
    doc = canvas._doc  # type: ignore[attr-defined]
    assert all(isinstance(p, _Written) for p in doc.Pages.pages)
    kinds = {type(o).__name__ for o in doc.idToObject.values()}
    assert "PDFPage" not in kinds and "PDFStream" not in kinds
    canvas.save()
    assert len(pypdf.PdfReader(tmp_path / "m.pdf").pages) == 25


def test_a_failed_job_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "f.pdf"
    with pytest.raises(RuntimeError):
        _draw(out, 10, fail_at=5)
    gc.collect()
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_an_existing_file_is_replaced_only_when_complete(tmp_path: Path) -> None:
    out = tmp_path / "keep.pdf"
    _draw(out, 3)
    before = out.read_bytes()
    with pytest.raises(RuntimeError):
        _draw(out, 10, fail_at=4)
    gc.collect()
    assert out.read_bytes() == before
