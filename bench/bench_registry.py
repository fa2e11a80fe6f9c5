"""Registry benchmarks on a generated database of 200,000 households.

    .venv/bin/python bench/bench_registry.py [--households N]

Service level: the household list of the largest compound, a search over all households, a
sort by name; each is "ids in SQL + the first page of rows" (what the table shows first),
measured against raw sqlite3 doing the same query. Window level (bench/bench_window.py):
process start to main window painted and the same three actions through the Qt model.
Budgets (issue 2): list page, search or sort ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.audit import SYSTEM  # noqa: E402
from app.registry.dto import HouseholdFilter, HouseholdSort  # noqa: E402
from app.services import Services  # noqa: E402
from bench.common import bench_database, rss_mb, timed  # noqa: E402

PAGE = 200
BUDGET_MS = 100.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=200_000)
    args = parser.parse_args()
    db = bench_database(args.households)
    services = Services.build(db, SYSTEM)
    hs = services.households
    largest = max(services.compounds.list_compounds(), key=lambda c: c.households)
    raw = sqlite3.connect(db.target.url.removeprefix("sqlite:///"))
    sample = hs.household_rows(hs.household_ids(HouseholdFilter(compound_id=largest.id))[:1])[0]
    query = sample.householder_name[0]  # a surname: many hits across all households

    def page(ids: list[int]) -> None:
        hs.household_rows(ids[:PAGE])

    cases = {
        f"open largest compound ({largest.households} households)": (
            lambda: page(hs.household_ids(HouseholdFilter(compound_id=largest.id))),
            lambda: raw.execute(
                "SELECT h.id FROM household h JOIN building b ON b.id = h.building_id "
                "WHERE h.compound_id = ? ORDER BY h.compound_id, b.sort_key, b.name, h.unit, "
                "h.floor, h.room, h.id",
                (largest.id,),
            ).fetchall(),
        ),
        f"search all households for {query!r}": (
            lambda: page(hs.household_ids(HouseholdFilter(text=query))),
            lambda: raw.execute(
                "SELECT id FROM household WHERE householder_name LIKE ? OR phone LIKE ? "
                "OR room LIKE ? ORDER BY compound_id, id",
                (f"%{query}%", f"%{query}%", f"{query}%"),
            ).fetchall(),
        ),
        "search all households by pinyin 'zh'": (
            lambda: page(hs.household_ids(HouseholdFilter(text="zh"))),
            lambda: raw.execute(
                "SELECT id FROM household WHERE householder_initials LIKE 'zh%' "
                "OR householder_pinyin LIKE 'zh%' ORDER BY id"
            ).fetchall(),
        ),
        "sort all households by name": (
            lambda: page(hs.household_ids(sort=HouseholdSort.NAME)),
            lambda: raw.execute(
                "SELECT id FROM household ORDER BY householder_pinyin, id"
            ).fetchall(),
        ),
        "sort all households by area, descending": (
            lambda: page(hs.household_ids(sort=HouseholdSort.AREA, descending=True)),
            lambda: raw.execute(
                "SELECT id FROM household ORDER BY area_centi DESC, id DESC"
            ).fetchall(),
        ),
    }
    total = sum(c.households for c in services.compounds.list_compounds())
    print(f"database: {total} households; page size {PAGE}; budget {BUDGET_MS:.0f} ms")
    print(f"{'case':58s} {'app ms':>8s} {'raw ms':>8s} {'ratio':>6s}  verdict")
    worst = 0.0
    for name, (app_fn, raw_fn) in cases.items():
        app_ms, _, _ = timed(app_fn)
        raw_ms, _, _ = timed(raw_fn)
        worst = max(worst, app_ms)
        verdict = "ok" if app_ms <= BUDGET_MS else "OVER BUDGET"
        print(f"{name:58s} {app_ms:8.1f} {raw_ms:8.1f} {app_ms / raw_ms:6.2f}  {verdict}")
    print(f"peak RSS {rss_mb():.0f} MB")
    db.close()
    return 0 if worst <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
