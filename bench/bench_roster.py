"""Roster import and export against the raw libraries doing only the reading or writing.

Import: a 30,000-household roster over 60 compounds (.xlsx); parse, validate, preview and commit
into an empty SQLite database, against python-calamine reading the same file. Budget ≤ 3×.
Export: 200,000 households (the bench database), against xlsxwriter in constant-memory mode
writing the same cells with the same formats. Budget ≤ 1.5×.

Run: PYTHONPATH=. .venv/bin/python bench/bench_roster.py
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from app.audit import Actor
from app.config import DatabaseTarget, to_url
from app.database import open_database
from app.registry.validation import id_check_digit
from app.roster.columns import MappingStore
from app.roster.dto import Fate, ImportOptions
from app.roster.export import COLUMNS, export_query
from app.roster.service import RosterService
from bench.common import BENCH_DIR, bench_database, rss_mb

HEADERS = ["序号", "楼院名称", "楼号", "单元", "房号", "户主姓名", "身份证号码", "联系电话"]
HEADERS += ["建筑面积（㎡）", "居住人数", "房屋状态", "备注"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰"


def make_roster(
    path: Path, households: int = 30_000, compounds: int = 60, *, messy: bool = False
) -> None:
    """The bench roster; `messy` as offices keep them: each compound's name merged down over
    its rows, a landline or a phone with spaces in a third of the rows (normalised), and a 小计
    row after every building (skipped)."""
    import xlsxwriter  # type: ignore[import-untyped]

    rng = random.Random(7)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": not messy})
    ws = book.add_worksheet("花名册")
    ws.write_row(0, 0, ["全街道住户花名册"])
    ws.write_row(1, 0, HEADERS)
    per = households // compounds
    row = 2
    for c in range(compounds):
        top = row
        for i in range(per):
            building, unit = i // 100 + 1, (i // 20) % 5 + 1
            room = f"{(i % 20) // 2 + 1}{i % 2 + 1:02d}"
            first = f"4101{rng.randint(2, 99):02d}{rng.randint(1940, 2005)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}{rng.randint(100, 999)}"  # noqa: E501
            phone = f"13{rng.randint(0, 999_999_999):09d}"
            if messy and i % 3 == 0:
                phone = (
                    f"0371-6{rng.randint(0, 9_999_999):07d}"
                    if i % 2
                    else " ".join((phone[:3], phone[3:7], phone[7:]))
                )
            ws.write_row(
                row, 0,
                [row - 1, f"第{c + 1}楼院", f"{building}号楼", f"{unit}单元", room,
                 rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                 first + id_check_digit(first), phone,
                 f"{rng.randint(4000, 14000) / 100}", rng.randint(1, 5), "自住", ""],
            )  # fmt: skip
            row += 1
            if messy and i % 100 == 99:
                ws.write_row(row, 0, ["小计", "", "", "", "", "", "", "", 100 * 85])
                row += 1
        if messy:
            ws.merge_range(top, 1, row - 1, 1, f"第{c + 1}楼院")
    book.close()


def raw_read(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    cells = 0
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        cells += sum(len(r) for r in rows)
    book.close()
    return cells


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = _clock()
    return wall - start[0], cpu - start[1]


def bench_import(runs: int = 5, *, messy: bool = False) -> None:
    """Wall and CPU seconds (CPU is steadier on a busy machine); the best of `runs` each."""
    name = "roster30000messy.xlsx" if messy else "roster30000.xlsx"
    path = BENCH_DIR / name
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        make_roster(path, messy=messy)
    raw, totals, plans = [], [], []
    for _ in range(runs):
        start = _clock()
        raw_read(path)
        raw.append(_since(start))
        with tempfile.TemporaryDirectory() as tmp:
            db = open_database(DatabaseTarget(to_url(Path(tmp) / "i.sqlite3")))
            service = RosterService(db.sessions, Actor("bench"), MappingStore(None))
            start = _clock()
            plan = service.plan([path], ImportOptions(community="基准社区"))
            plans.append(_since(start))
            result = service.commit(plan)
            totals.append(_since(start))
            db.close()
        assert result.created == 30_000, result
        assert plan.preview.counts[Fate.NEW] == 30_000
    what = "messy roster (merged 楼院名称, landlines, 小计 rows)" if messy else "import"
    for label, i in (("wall", 0), ("cpu", 1)):
        r, p, t = (min(x[i] for x in xs) for xs in (raw, plans, totals))
        print(
            f"{what} 30,000 households / 60 compounds ({label}): raw calamine read {r:.2f} s; "
            f"plan (parse, validate, preview) {p:.2f} s; with commit {t:.2f} s; "
            f"ratio {t / r:.2f}x (budget 3x)"
        )
    # Each run's import against the raw read just before it: a slow spell of the machine
    # hits both sides of a pair, not just one side of the best-of figures.
    pairs = sorted(t[0] / r[0] for r, t in zip(raw, totals, strict=True))
    print(
        f"{what}: run-by-run ratios (wall) median {statistics.median(pairs):.2f}x, "
        f"range {pairs[0]:.2f}x-{pairs[-1]:.2f}x over {len(pairs)} runs"
    )
    if not messy:
        _import_memory(path)


def _import_memory(path: Path) -> None:
    """Peak Python memory of the raw read and of our plan + commit (tracemalloc, untimed)."""
    import tracemalloc

    tracemalloc.start()
    raw_read(path)
    raw_peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.reset_peak()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(DatabaseTarget(to_url(Path(tmp) / "i.sqlite3")))
        service = RosterService(db.sessions, Actor("bench"), MappingStore(None))
        base = tracemalloc.get_traced_memory()[0]
        service.commit(service.plan([path], ImportOptions(community="基准社区")))
        ours = (tracemalloc.get_traced_memory()[1] - base) / 1e6
        db.close()
    tracemalloc.stop()
    print(
        f"import peak Python memory: raw calamine read {raw_peak:.0f} MB; "
        f"ours (plan with its preview rows, then commit) {ours:.0f} MB"
    )


def bench_export() -> None:
    """Raw write first (its rows fetched beforehand, not timed), then ours; wall and CPU."""
    db = bench_database(200_000)
    service = RosterService(db.sessions, Actor("bench"), MappingStore(None))
    with db.sessions() as s:
        rows = list(s.execute(export_query(None)))
    start = _clock()
    raw_write(rows, BENCH_DIR / "raw200000.xlsx")
    raw = _since(start)
    del rows
    before = rss_mb()
    start = _clock()
    result = service.export(BENCH_DIR / "export200000.xlsx", unmasked=False)
    ours = _since(start)
    grown = rss_mb() - before
    db.close()
    for label, i in (("wall", 0), ("cpu", 1)):
        print(
            f"export {result.households} households / {result.compounds} compounds ({label}): "
            f"raw xlsxwriter {raw[i]:.2f} s; ours (query, mask, write) {ours[i]:.2f} s; "
            f"ratio {ours[i] / raw[i]:.2f}x (budget 1.5x)"
        )
    print(f"export peak RSS grew {grown:.0f} MB beyond the raw run's peak")


def raw_write(rows: list, path: Path) -> float:  # type: ignore[type-arg]
    """The same cells (title, header, rows, totals) with the same formats, nothing else."""
    import xlsxwriter

    start = time.perf_counter()
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    text = book.add_format({"num_format": "@"})
    area = book.add_format({"num_format": "0.00"})
    ws, current, r = None, None, 0
    for row in rows:
        if row[0] != current:
            current = row[0]
            ws = book.add_worksheet(str(row[1])[:31])
            ws.write_string(0, 0, str(row[1]))
            for col, f in enumerate(COLUMNS):
                ws.write_string(1, col, f.label, text)
            r = 2
        assert ws is not None
        for col in range(7):
            ws.write_string(r, col, str(row[col + 1] or ""), text)
        ws.write_number(r, 7, row[8] / 100, area)
        ws.write_number(r, 8, row[9] or 0)
        ws.write_string(r, 9, row[10], text)
        ws.write_string(r, 10, row[11] or "", text)
        r += 1
    book.close()
    return time.perf_counter() - start


if __name__ == "__main__":
    bench_import()
    bench_import(messy=True)
    bench_export()
