"""Scanned questionnaire benchmark.

    .venv/bin/python bench/bench_scan.py [--sheets N] [--repeat N]

A stack of N filled-in questionnaires (the 物业服务满意度调查 template, one page each), made
by the scan generator as an office scanner delivers it: 200 dpi grey JPEG pages in one PDF,
rotated, skewed, noisy, some binarised or upside down, blank backs mixed in. Measured, in
interleaved runs on a fresh copy of the database each time:

- raw: only decoding every page's image (the least any reader must do);
- end to end: `ScanService.read` (decode, find the code, register, measure every box, crop
  handwriting) and `commit` (every sheet saved through answer entry, one transaction).

Pages per second (budget ≥ 5 on this 2-core machine), and memory: the peak traced by
tracemalloc while reading a quarter of the stack and the whole stack (flat in pages: the
pages are read one at a time; the run keeps answers and the handwriting crops).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.audit import Actor  # noqa: E402
from app.config import DatabaseTarget, to_url  # noqa: E402
from app.database import open_database  # noqa: E402
from app.services import Services  # noqa: E402
from app.surveys import layout as layouts  # noqa: E402
from app.surveys import paper, scan  # noqa: E402
from app.surveys.dto import ScopeItem  # noqa: E402
from app.surveys.scan_sample import Degrade, make_scans  # noqa: E402
from app.surveys.scanning import ScanService  # noqa: E402
from bench.common import BENCH_DIR  # noqa: E402

ACTOR = Actor("bench", "admin", None)


def prepare(sheets: int) -> tuple[Path, Path, int]:
    """A demo database with an open survey, and the scanned stack (made once, reused)."""
    base = BENCH_DIR / f"scan{sheets}.sqlite3"
    pdf = BENCH_DIR / f"scan{sheets}.pdf"
    sid_file = BENCH_DIR / f"scan{sheets}.sid"
    if base.exists() and pdf.exists() and sid_file.exists():
        return base, pdf, int(sid_file.read_text())
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    base.unlink(missing_ok=True)
    db = open_database(DatabaseTarget(to_url(base)))
    from app.demo import generate

    generate(db, households=max(600, sheets * 2))
    services = Services.build(db, ACTOR)
    scope = tuple(ScopeItem(c.id) for c in services.compounds.list_compounds())
    sid = services.surveys.create_survey(services.surveys.template("物业服务满意度调查", scope))
    services.surveys.open_survey(sid)
    homes = [h.id for h in services.survey_entry.households(sid)][:sheets]
    printed = BENCH_DIR / f"printed{sheets}.pdf"
    paper.print_questionnaires(services, sid, printed, household_ids=homes)
    with db.sessions() as s:
        layout = layouts.load(s, sid, 1)
    assert layout is not None
    start = time.perf_counter()
    make_scans(printed, layout, homes, pdf, seed=2026, how=Degrade(dpi=200))
    print(f"generated the stack in {time.perf_counter() - start:.0f} s -> {pdf}")
    db.close()
    sid_file.write_text(str(sid))
    return base, pdf, sid


def raw_read(pdf: Path) -> int:
    pages = 0
    for _name, _n, grey in scan.iter_pages([pdf]):
        pages += grey.shape[0] > 0
    return pages


def end_to_end(base: Path, pdf: Path, sid: int) -> tuple[int, int, dict[str, int]]:
    work = base.with_name("scan-run.sqlite3")
    shutil.copyfile(base, work)
    db = open_database(DatabaseTarget(to_url(work)))
    try:
        services = Services.build(db, ACTOR)
        scanner = ScanService(services.survey_entry, services.surveys)
        run = scanner.read(sid, [pdf])
        result = scanner.commit(run)
        return len(run.pages), result.saved, run.totals()
    finally:
        db.close()
        work.unlink(missing_ok=True)


def memory(base: Path, pdf: Path, sid: int, quarter: Path) -> tuple[float, float]:
    """Peak traced memory (MB) reading a quarter of the stack, then all of it."""
    db = open_database(DatabaseTarget(to_url(base)))
    try:
        services = Services.build(db, ACTOR)
        scanner = ScanService(services.survey_entry, services.surveys)
        peaks = []
        for stack in (quarter, pdf):
            tracemalloc.start()
            scanner.read(sid, [stack])
            peaks.append(tracemalloc.get_traced_memory()[1] / 1e6)
            tracemalloc.stop()
        return peaks[0], peaks[1]
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sheets", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    base, pdf, sid = prepare(args.sheets)
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    quarter_doc = pdfium.PdfDocument.new()
    quarter_doc.import_pages(doc, list(range(len(doc) // 4)))
    quarter = BENCH_DIR / f"scan{args.sheets}-quarter.pdf"
    quarter_doc.save(str(quarter))
    doc.close()
    raw_s: list[float] = []
    full_s: list[float] = []
    pages = saved = 0
    totals: dict[str, int] = {}
    for _ in range(args.repeat):  # interleaved: a slow spell of the machine hits both
        start = time.perf_counter()
        raw_read(pdf)
        raw_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        pages, saved, totals = end_to_end(base, pdf, sid)
        full_s.append(time.perf_counter() - start)
    raw, full = statistics.median(raw_s), statistics.median(full_s)
    print(f"stack: {pages} pages (200 dpi grey JPEG in PDF), {totals}; sheets saved {saved}")
    print(f"raw page decoding:  median {raw:.2f} s  ({pages / raw:.1f} pages/s)")
    print(
        f"end to end into the database: median {full:.2f} s  ({pages / full:.1f} pages/s, "
        f"budget >= 5; runs {', '.join(f'{t:.1f}' for t in full_s)} s; "
        f"{full / raw:.1f}x the raw decoding)"
    )
    low, high = memory(base, pdf, sid, quarter)
    print(
        f"peak traced memory reading {len(pdfium.PdfDocument(str(quarter)))} pages: "
        f"{low:.1f} MB; {pages} pages: {high:.1f} MB"
    )
    print(f"load average: {os.getloadavg()} (a 2-core machine shared with other jobs)")


if __name__ == "__main__":
    main()
