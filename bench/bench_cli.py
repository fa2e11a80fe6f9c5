"""Command-line start-up: `louyuan --version` and `stats --json` on the demo database.

    .venv/bin/python bench/bench_cli.py [--runs 7]

Each figure is the wall time of a fresh process (`python -m ui.launcher ...` from this
checkout), the median of interleaved runs, next to two baselines measured in the same
rounds: `python -c pass` (the interpreter alone) and `python -c "import sqlalchemy"`.
The demo database is made once in a temporary data folder before the rounds.
Budgets (issue 13): `--version` ≤ 0.3 s, `stats --json` ≤ 1.0 s.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BUDGETS = {"--version": 0.3, "stats --json": 1.0}


def commands() -> dict[str, list[str]]:
    py = sys.executable
    return {
        "python -c pass": [py, "-c", "pass"],
        "python -c 'import sqlalchemy'": [py, "-c", "import sqlalchemy"],
        "--version": [py, "-m", "ui.launcher", "--version"],
        "stats --json": [py, "-m", "ui.launcher", "--demo", "stats", "--json"],
    }


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    for package in ("app", "ui", "db"):  # as an install does (see bench_window.py)
        compileall.compile_dir(ROOT / package, quiet=1)
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        LOUYUAN_DATA_DIR=os.environ.get("LOUYUAN_DATA_DIR")
        or tempfile.mkdtemp(prefix="louyuan-bench-cli-"),
    )
    env.pop("LOUYUAN_DB", None)
    cmds = commands()
    timed(cmds["stats --json"], env)  # makes the demo database once
    load = os.getloadavg()[0]
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(args.runs):  # interleaved: every command sees the same load
        for name, argv in cmds.items():
            times[name].append(timed(argv, env))
    base = statistics.median(times["python -c pass"])
    print(f"{args.runs} interleaved runs; load average {load:.2f} at start, "
          f"{os.getloadavg()[0]:.2f} at end ({os.cpu_count()} cores)")  # fmt: skip
    ok = True
    for name, values in times.items():
        med = statistics.median(values)
        line = f"  {name:32s} median {med:6.3f} s  (min {min(values):.3f}, max {max(values):.3f})"
        if name in BUDGETS:
            within = med <= BUDGETS[name]
            ok = ok and within
            line += f"  {med / base:4.1f}x python; budget {BUDGETS[name]} s: "
            line += "ok" if within else "OVER"
        print(line)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
