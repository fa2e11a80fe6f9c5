"""治理力量 roster files on the 200,000-household database: the export, the import's preview and
its commit (a re-import of the export: every row matched, none written), each against the raw
library doing the core work alone (xlsxwriter writing the same cells, python-calamine reading
the file).

Run: PYTHONPATH=. .venv/bin/python bench/bench_forces_io.py
(uses $LOUYUAN_BENCH_DIR/district200000.sqlite3, copied: the original is never written)
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from app.audit import Actor
from app.config import DatabaseTarget, to_url
from app.database import open_database
from app.governance.forces import ForceService


def _clock(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def _raw_write(path: Path, rows: list[tuple[object, ...]]) -> None:
    import xlsxwriter  # type: ignore[import-untyped]

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    book.close()


def _raw_read(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    try:
        return len(book.get_sheet_by_index(0).to_python())
    finally:
        book.close()


def main() -> None:
    source = Path(os.environ.get("LOUYUAN_BENCH_DIR", "/tmp/louyuan-bench"))
    source /= "district200000.sqlite3"
    folder = Path(tempfile.mkdtemp(prefix="bench-forces-"))
    copy = folder / "district.sqlite3"
    shutil.copyfile(source, copy)
    db = open_database(DatabaseTarget(to_url(copy)), check=False)
    try:
        forces = ForceService(db.sessions, Actor("bench", "admin"))
        out = folder / "people.xlsx"
        rows, export_s = _clock(lambda: forces.export_people(out))
        cells = [("姓名", "13800000000", "志愿者", "", "", "社区", "网格", "楼院", "1", "", "", "")]
        _, raw_write_s = _clock(lambda: _raw_write(folder / "raw.xlsx", cells * rows))
        plan, plan_s = _clock(lambda: forces.plan_import(out))
        _, raw_read_s = _clock(lambda: _raw_read(out))
        result, commit_s = _clock(lambda: forces.commit_import(plan))
    finally:
        db.close()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"load: {os.getloadavg()[0]:.2f} (1 min)")
    print(f"rows (one per role): {rows}; re-import: {plan.preview.summary()}")
    print(f"export   {export_s:6.2f} s   raw xlsxwriter {raw_write_s:5.2f} s   "
          f"ratio {export_s / raw_write_s:4.1f}x")  # fmt: skip
    print(f"preview  {plan_s:6.2f} s   raw calamine   {raw_read_s:5.2f} s   "
          f"ratio {plan_s / raw_read_s:4.1f}x")  # fmt: skip
    print(f"commit   {commit_s:6.2f} s   ({result.summary()})")


if __name__ == "__main__":
    main()
