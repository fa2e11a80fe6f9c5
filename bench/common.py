"""Helpers for the benchmarks: a cached generated database and a timer."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from app.config import DatabaseTarget, to_url
from app.database import Database, open_database

BENCH_DIR = Path(os.environ.get("LOUYUAN_BENCH_DIR", "/tmp/louyuan-bench"))


def bench_database(households: int = 200_000) -> Database:
    """The generated benchmark database (made once, then reused)."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"bench{households}.sqlite3"
    fresh = not path.exists()
    db = open_database(DatabaseTarget(to_url(path)))
    if fresh:
        from app.demo import generate

        start = time.perf_counter()
        try:
            figures = generate(db, households=households)
        except BaseException:
            db.close()
            path.unlink(missing_ok=True)
            raise
        print(f"generated {figures} in {time.perf_counter() - start:.1f} s -> {path}")
    return db


def timed(fn: Callable[[], object], repeat: int = 7) -> tuple[float, float, float]:
    """Median, min and max wall time in milliseconds over `repeat` runs (after one warm-up)."""
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), min(runs), max(runs)


def rss_mb() -> float:
    """Peak resident memory of this process in MB."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
