"""Governance benchmarks on the 200,000-household database: the full problem ledger, the
figures of `stats --json`, the grid roll-ups, the .xlsx export and the ledger PDF, against the
raw library doing the same core work.

Run: PYTHONPATH=. .venv/bin/python bench/bench_governance.py [households] [problems per compound]
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import insert, select

from app.audit import Actor
from app.config import DatabaseTarget, to_url
from app.database import open_database
from app.demo import REFERENCE_DAY
from app.governance.demo import _problem
from app.governance.service import GovernanceService
from bench.common import BENCH_DIR, bench_database, timed
from db.models import Compound, Problem, ProblemCategory


def _database(households: int, per_compound: int) -> Path:
    """A copy of the bench database with `per_compound` more problems in each compound."""
    bench_database(households).close()
    path = BENCH_DIR / f"governance{households}_{per_compound}.sqlite3"
    if path.exists():
        return path
    shutil.copyfile(BENCH_DIR / f"bench{households}.sqlite3", path)
    db = open_database(DatabaseTarget(to_url(path)))
    rng = random.Random(7)
    try:
        with db.sessions.begin() as s:
            compounds = s.execute(select(Compound.id, Compound.grid_id)).all()
            categories = list(s.execute(select(ProblemCategory.id, ProblemCategory.name)).all())
            rows = [
                _problem(rng, cid, grid, categories, REFERENCE_DAY)
                for cid, grid in compounds
                for _ in range(per_compound)
            ]
            s.execute(insert(Problem), rows)
    finally:
        db.close()
    return path


def main() -> None:
    households = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    per_compound = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    path = _database(households, per_compound)
    db = open_database(DatabaseTarget(to_url(path)))
    gov = GovernanceService(db.sessions, Actor("bench", "admin"), lambda: REFERENCE_DAY)
    rows = gov.problems.list_problems()
    print(f"{households} households, {len(rows)} problems")
    raw = sqlite3.connect(str(path))
    sql = (
        "SELECT p.id, k.name, c.name, p.location, p.description, p.status, p.reported_on, "
        "p.deadline, p.closed_on, (SELECT fp.name FROM force_role r JOIN force_person fp "
        "ON fp.id = r.person_id WHERE r.grid_id = g.id AND r.kind = '网格员' LIMIT 1) "
        "FROM problem p "
        "JOIN compound c ON c.id = p.compound_id JOIN problem_category k ON k.id = p.category_id "
        "LEFT JOIN grid g ON g.id = p.grid_id ORDER BY p.deadline, p.id"
    )
    raw_list = timed(lambda: raw.execute(sql).fetchall(), 5)[0]
    ours = timed(gov.problems.list_problems, 5)[0]
    print(
        f"problem ledger (all rows as DTOs): {ours:.0f} ms vs raw sqlite3 {raw_list:.0f} ms "
        f"({ours / raw_list:.1f}x)"
    )
    summary = timed(gov.figures.summary, 5)[0]
    raw_sum = timed(
        lambda: raw.execute(
            "SELECT category_id, status, count(*) FROM problem GROUP BY category_id, status"
        ).fetchall(),
        5,
    )[0]
    print(
        f"stats figures (organisations, grids, problems): {summary:.0f} ms "
        f"vs one raw GROUP BY {raw_sum:.1f} ms ({summary / raw_sum:.0f}x)"
    )
    print(f"grid roll-ups: {timed(gov.figures.grid_rollups, 5)[0]:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        gov.export_problems(Path(tmp) / "p.xlsx")
        export = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        for r in rows:
            ws.append([r.category, r.compound_name, r.location, r.description, r.reported_on])
        wb.save(str(Path(tmp) / "raw.xlsx"))
        raw_xlsx = (time.perf_counter() - start) * 1000
        print(
            f"export .xlsx: {export:.0f} ms vs bare openpyxl rows {raw_xlsx:.0f} ms "
            f"({export / raw_xlsx:.1f}x)"
        )
        start = time.perf_counter()
        pages = gov.print_ledger(Path(tmp) / "p.pdf")
        print(f"ledger PDF: {pages} pages in {(time.perf_counter() - start) * 1000:.0f} ms")
    raw.close()
    db.close()


if __name__ == "__main__":
    main()
