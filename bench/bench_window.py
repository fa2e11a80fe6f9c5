"""Window benchmarks on the generated 200,000-household database.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_window.py [--runs 5]

Each run is a fresh process: the time from process start to the main window's first paint
is compared with a bare PySide6 window (QMainWindow + QTableView) started the same way.
Then, in the window, the clerk's actions are timed up to the repaint that shows their
result: opening the household list of the largest compound, a search over all households,
sorting that list by name. Peak resident memory is reported at the end.
Budgets (issue 2): painted ≤ 1.5 s, any list page, search or sort ≤ 100 ms, RSS ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def child_bare(t0: float) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication([])
    window = QMainWindow()
    window.setCentralWidget(QTableView())
    window.resize(1280, 800)

    class Painted(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and not hasattr(self, "done"):
                self.done = time.time() - t0
                QTimer.singleShot(0, app.quit)
            return False

    spy = Painted()
    window.installEventFilter(spy)
    window.show()
    app.exec()
    print(json.dumps({"painted": spy.done}))


def run_actions(startup: Any, result: dict[str, float]) -> None:
    """The clerk's actions in the open window, each timed up to its repaint."""
    import resource

    from PySide6.QtCore import Qt

    window = startup.window
    assert window is not None
    page = window.registry_page

    def timed(name: str, action: Callable[[], object]) -> None:
        start = time.perf_counter()
        action()
        window.repaint()  # the result painted, with its first page of rows loaded
        result[name] = (time.perf_counter() - start) * 1000

    compounds = page.compound_model
    sizes = []
    for r in range(compounds.rowCount()):
        row = compounds.compound_at(r)
        assert row is not None
        sizes.append((row.households, r))
    households, largest_row = max(sizes)
    result["largest_households"] = households
    timed("open_largest", lambda: page._select_compound_row(largest_row))
    timed("sort_by_name", lambda: page.household_view.sortByColumn(3, Qt.SortOrder.AscendingOrder))
    bar = page.filter_bar
    bar.scope_combo.setCurrentIndex(1)  # 查住户: search every compound's households

    def search() -> None:
        bar.search_edit.setText("王")
        bar.search_edit.returnPressed.emit()  # Enter: search now, without the debounce

    timed("search_all", search)
    result["search_hits"] = page.household_model.rowCount()
    timed(
        "sort_search_by_name_desc",
        lambda: page.household_view.sortByColumn(3, Qt.SortOrder.DescendingOrder),
    )
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_app(t0: float, db: str) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer

    from app.audit import Actor
    from app.config import resolve_target
    from ui import app as ui_app
    from ui.settings import Settings

    qt = ui_app.make_application([])
    startup = ui_app.Startup(qt, resolve_target(db), Settings())
    # Signed in as an administrator without the login dialog (a person types there), and
    # no daily backup copy while the actions are timed.
    startup.sign_in = lambda: Actor("bench", "admin")  # type: ignore[method-assign]
    startup.automatic_backup = lambda kind: None  # type: ignore[method-assign]
    result: dict[str, float] = {}

    class Painted(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and "painted" not in result:
                result["painted"] = time.time() - t0
                QTimer.singleShot(0, actions)
            return False

    spy = Painted()
    qt.installEventFilter(spy)  # catches the first paint of any of the window's widgets

    def actions() -> None:
        try:
            run_actions(startup, result)
        except BaseException:
            import traceback

            traceback.print_exc()
            qt.exit(1)
            return
        qt.quit()

    if not startup.start():
        raise SystemExit("cannot open the benchmark database")
    qt.exec()
    print(json.dumps(result))


def run_child(mode: str, db: str) -> dict[str, float]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=tempfile.mkdtemp(prefix="louyuan-bench-cfg-"),
    )
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--t0", repr(t0), "--db", db],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=300,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _compile_like_an_install() -> None:
    """Byte-compile app/, ui/ and db/ as pip does when it installs a wheel and PyInstaller
    does for the bundle. A development checkout run with PYTHONDONTWRITEBYTECODE (as here
    and in CI) has no .pyc files, and would compile ~130 modules at every start."""
    import compileall

    root = Path(__file__).resolve().parent.parent
    for package in ("app", "ui", "db"):
        compileall.compile_dir(root / package, quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", choices=("bare", "app"))
    parser.add_argument("--t0", type=float)
    parser.add_argument("--db", default="")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument(
        "--from-source",
        action="store_true",
        help="leave the program's modules uncompiled (each start compiles them again)",
    )
    args = parser.parse_args()
    if args.child == "bare":
        child_bare(args.t0)
        return 0
    if args.child == "app":
        child_app(args.t0, args.db)
        return 0
    from bench.common import bench_database

    db = bench_database(args.households)
    path = db.target.url.removeprefix("sqlite:///")
    db.close()
    if not args.from_source:
        _compile_like_an_install()
    bare = [run_child("bare", path)["painted"] for _ in range(args.runs)]
    runs = [run_child("app", path) for _ in range(args.runs)]

    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    bare_s, app_s = statistics.median(bare), med("painted")
    print(f"database: {path} ({args.households} households); {args.runs} runs each, medians")
    print(
        f"process start → window painted: app {app_s:.3f} s, bare PySide6 window "
        f"{bare_s:.3f} s, ratio {app_s / bare_s:.1f}  (budget 1.5 s: "
        f"{'ok' if app_s <= 1.5 else 'OVER'})"
    )
    labels = {
        "open_largest": f"open largest compound ({int(med('largest_households'))} households)",
        "sort_by_name": "sort that list by householder name",
        "search_all": f"search all households for 王 ({int(med('search_hits'))} hits)",
        "sort_search_by_name_desc": "sort the search result by name, descending",
    }
    worst = 0.0
    for key, label in labels.items():
        ms = med(key)
        worst = max(worst, ms)
        spread = f"{min(r[key] for r in runs):.0f}–{max(r[key] for r in runs):.0f}"
        print(f"  {label:52s} {ms:7.1f} ms ({spread})  {'ok' if ms <= 100 else 'OVER'}")
    rss = max(r["rss_mb"] for r in runs)
    print(f"peak RSS {rss:.0f} MB (budget 300 MB: {'ok' if rss <= 300 else 'OVER'})")
    return 0 if app_s <= 1.5 and worst <= 100 and rss <= 300 else 1


if __name__ == "__main__":
    sys.exit(main())
