"""Window benchmark on a district-sized database: start-up and a scripted tour.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_window.py [--runs 3]

The database is `louyuan init --demo --households N` (made once, cached in
/tmp/louyuan-bench/). Each run is a fresh process, and runs alternate between a bare PySide6
window (QMainWindow + QTableView) and the program, so both see the same machine load.

The program starts as a clerk's does: `ui.app` sets up logging, Qt's translations and the
font, opens the database, signs in (the real password check of the demo's `admin`, without
the dialog a person types into) and shows the main window. Start-up is the time from process
start to the window's first paint.

Then a tour: every section, the registry's sort, filters and household search, the one
search box, a survey, the household dialog typed into. A 5 ms QTimer heartbeat runs all the
time; a gap between two beats longer than 5 ms is the GUI thread being blocked (a stall).
The longest stall of each step, the overall maximum and p99 are reported, with the step.
Budgets (issue 13): window painted ≤ 1.0 s and ≤ 4x the bare window; no stall > 100 ms.
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

BEAT_MS = 5
SETTLE_MS = 400  # after a step: time for debounced searches and background work to land


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


class Heartbeat:
    """Beats every 5 ms on the GUI thread and keeps the longest gap per step."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.step = "start"
        self.worst: dict[str, float] = {}
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(BEAT_MS)
        self.timer.timeout.connect(self.beat)
        self.timer.start()

    def beat(self) -> None:
        now = time.perf_counter()
        stall = max(0.0, (now - self._last) * 1000 - BEAT_MS)
        self._last = now
        self.gaps.append(stall)
        self.worst[self.step] = max(self.worst.get(self.step, 0.0), stall)

    def enter(self, step: str) -> None:
        self.beat()  # the gap before the step belongs to the step before
        self.step = step


def wait(ms: int) -> None:
    """Let the event loop run for `ms` (QTest.qWait holds Python's GIL while it sleeps between
    events, so the program's background reads would hardly progress during the tour)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def tour(window: Any) -> list[tuple[str, Callable[[], object]]]:  # noqa: C901
    """The clerk's actions, in order; each returns at once (Qt does the rest)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    page = window.registry_page
    bar = page.filter_bar

    def nav(title: str) -> Callable[[], object]:
        def go() -> None:
            for row in range(window.nav.count()):
                if window.nav.item(row).text() == title:
                    window.nav.setCurrentRow(row)

        return go

    def largest() -> None:
        model = page.compound_model
        sizes = [(model.compound_at(r).households, r) for r in range(model.rowCount())]
        page._select_compound_row(max(sizes)[1])

    def type_into(widget: Any, text: str) -> Callable[[], object]:
        def typing() -> None:
            widget.setFocus()
            widget.selectAll() if hasattr(widget, "selectAll") else None
            for ch in text:
                if ch.isascii():
                    QTest.keyClicks(widget, ch)
                else:  # what an input method commits
                    widget.insert(ch)
                    widget.textEdited.emit(widget.text())
                wait(60)  # a clerk's pace: the debounce sees every pause

        return typing

    def household_dialog() -> None:
        from ui.household_dialog import HouseholdDialog

        hid = page.selected_household_id()
        if hid is None:
            page.household_view.selectRow(0)
            hid = page.selected_household_id()
        dialog = HouseholdDialog(window._services, page.selected_compound_id(), hid, window)
        dialog.show()
        wait(100)
        for ch in "张三丰":
            dialog.name_edit.insert(ch)
            wait(60)
        for ch in "13912345678":
            QTest.keyClicks(dialog.phone_edit, ch)
            wait(40)
        dialog.done(0)  # closed without the "discard changes?" question
        dialog.deleteLater()

    def first_survey() -> None:
        rows = window._services.surveys.list_surveys()
        if rows:
            window.surveys_page.select_survey(rows[0].id)

    def last_survey() -> None:
        rows = window._services.surveys.list_surveys()
        if rows:
            window.surveys_page.select_survey(rows[-1].id)

    return [
        ("楼院台账: open the largest compound", largest),
        (
            "楼院台账: sort by householder",
            lambda: page.household_view.sortByColumn(3, Qt.SortOrder.AscendingOrder),
        ),  # noqa: E501
        ("楼院台账: filter by community", lambda: bar.community_combo.setCurrentIndex(1)),
        ("楼院台账: filter by mode", lambda: bar.mode_combo.setCurrentIndex(2)),
        (
            "楼院台账: all again",
            lambda: (bar.community_combo.setCurrentIndex(0), bar.mode_combo.setCurrentIndex(0)),
        ),  # noqa: E501
        ("楼院台账: 查住户", lambda: bar.scope_combo.setCurrentIndex(1)),
        ("楼院台账: search 王", type_into(bar.search_edit, "王")),
        ("楼院台账: search 1", type_into(bar.search_edit, "1")),
        (
            "楼院台账: sort result desc",
            lambda: page.household_view.sortByColumn(3, Qt.SortOrder.DescendingOrder),
        ),  # noqa: E501
        ("楼院台账: 查楼院", lambda: (bar.search_edit.clear(), bar.scope_combo.setCurrentIndex(0))),
        ("search box: zs", type_into(window.search_box, "zs")),
        ("search box: 3-1-101", type_into(window.search_box, "3-1-101")),
        ("search box: 1381", type_into(window.search_box, "1381")),
        (
            "search box: 王建国",
            lambda: (
                window.search_box.clear(),
                window.search_box.insert("王建国"),
                window.search_box.run_search(),
            ),
        ),  # noqa: E501
        ("household dialog: typing", household_dialog),
        ("组织", nav("组织")),
        ("网格", nav("网格")),
        ("议事", nav("议事")),
        ("问题台账", nav("问题台账")),
        ("统计", nav("统计")),
        ("物业收费", nav("物业收费")),
        ("入户调查", nav("入户调查")),
        ("入户调查: a survey", first_survey),
        ("入户调查: another survey", last_survey),
        ("统计 again", nav("统计")),
        ("楼院台账 again", nav("楼院台账")),
    ]


def child_app(t0: float, db: str, startup_only: bool = False) -> None:  # noqa: C901, PLR0915
    from ui.qt_modules import missing_qt_modules

    assert not missing_qt_modules()  # as ui.launcher.main does, then:
    from ui.import_hook import spare_source_reading

    spare_source_reading()
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QWidget

    from app.config import log_dir, resolve_target
    from app.logging_setup import setup_logging
    from ui import app as ui_app
    from ui import settings
    from ui.errors import install_excepthook
    from ui.fonts import ui_font
    from ui.settings import Settings

    # As ui.app.main does, without the argument parsing.
    setup_logging()
    qt = ui_app.make_application([])
    install_excepthook(log_dir() / "louyuan.log")
    prefs = Settings()
    qt.setFont(ui_font(prefs.get(settings.UI_FONT_FAMILY), prefs.get(settings.UI_FONT_POINT_SIZE)))
    startup = ui_app.Startup(qt, resolve_target(db), prefs)

    def sign_in() -> Any:
        # The login dialog's own call, with what a clerk types into it.
        assert startup.db is not None
        from app.audit import SYSTEM
        from app.program_settings import load_settings
        from app.users.service import UserService

        users = UserService(startup.db.sessions, SYSTEM, load_settings().login_policy())
        return users.login("admin", "demo1234")

    startup.sign_in = sign_in  # type: ignore[method-assign]
    result: dict[str, Any] = {}
    heart: list[Heartbeat] = []

    class Painted(QObject):
        """The main window's first paint (its frame: not a dialog's or a splash's), and its
        first paint once filled (the clerk is signed in and the registry shows: ready)."""

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if (
                event.type() != QEvent.Type.Paint
                or "ready" in result
                or startup.window is None
                or not isinstance(obj, QWidget)
                or obj.window() is not startup.window
            ):
                return False
            if "painted" not in result:
                result["painted"] = time.time() - t0
                heart.append(Heartbeat())  # stalls between the frame and ready count too
                heart[0].enter("start: frame to ready")
            if startup.ready:
                result["ready"] = time.time() - t0
                if startup_only:
                    QTimer.singleShot(0, qt.quit)
                    return False
                heart[0].enter("start: settling after ready")
                QTimer.singleShot(SETTLE_MS, run_tour)
            return False

    spy = Painted()
    qt.installEventFilter(spy)

    def close_modal() -> None:
        # A message box would wait for a person: note it and close it.
        modal = qt.activeModalWidget()
        if modal is not None and modal is not startup.window:
            text = getattr(modal, "text", lambda: "")()
            sys.stderr.write(f"closed a modal window: {modal.windowTitle()} {text}\n")
            result.setdefault("modals", []).append(f"{modal.windowTitle()} {text}")
            modal.close()

    watchdog = QTimer()
    watchdog.setInterval(1000)
    watchdog.timeout.connect(close_modal)
    watchdog.start()

    def run_tour() -> None:
        from ui.tasks import TaskRunner

        try:
            window = startup.window
            assert window is not None
            for name, action in tour(window):
                heart[0].enter(name)
                action()
                wait(SETTLE_MS)
                deadline = time.perf_counter() + 20
                # the program's one runner (a child of the application, not of the window)
                runners = [window.runner, *window.findChildren(TaskRunner)]
                while any(r.busy() for r in runners) and time.perf_counter() < deadline:
                    wait(20)
            heart[0].enter("end")
            gaps = sorted(heart[0].gaps)
            result["worst"] = heart[0].worst
            result["p99"] = gaps[int(len(gaps) * 0.99)] if gaps else 0.0
            import resource

            result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        except BaseException:
            import traceback

            traceback.print_exc()
            qt.exit(1)
            return
        qt.quit()

    startup.start()
    qt.exec()
    print(json.dumps(result, ensure_ascii=False))


def run_child(mode: str, db: str, data_dir: str, *extra: str) -> dict[str, Any]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        XDG_CONFIG_HOME=tempfile.mkdtemp(prefix="louyuan-bench-cfg-"),
        LOUYUAN_DATA_DIR=data_dir,
    )
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--t0", repr(t0), "--db", db, *extra],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=900,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{mode} run failed")
    figures: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def district_database(households: int) -> Path:
    """`louyuan init --demo --households N`, made once and cached (the time is printed)."""
    folder = Path(os.environ.get("LOUYUAN_BENCH_DIR", "/tmp/louyuan-bench"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"district{households}.sqlite3"
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "ui.launcher", "--db", str(partial), "init", "--demo",
             "--households", str(households)],
            check=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
        )  # fmt: skip
        partial.rename(path)
        print(f"built {path} in {time.perf_counter() - start:.1f} s")
    return path


def _compile_like_an_install() -> None:
    """Byte-compile app/, ui/ and db/ as pip does when it installs a wheel and PyInstaller
    does for the bundle (a checkout run with PYTHONDONTWRITEBYTECODE has no .pyc files)."""
    import compileall

    for package in ("app", "ui", "db"):
        compileall.compile_dir(ROOT / package, quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", choices=("bare", "app"))
    parser.add_argument("--t0", type=float)
    parser.add_argument("--db", default="")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument(
        "--startup-only", action="store_true", help="measure start-up only, without the tour"
    )
    args = parser.parse_args()
    if args.child == "bare":
        child_bare(args.t0)
        return 0
    if args.child == "app":
        child_app(args.t0, args.db, args.startup_only)
        return 0
    db = str(district_database(args.households))
    _compile_like_an_install()
    data_dir = tempfile.mkdtemp(prefix="louyuan-bench-data-")
    # A clerk's office PC: the daily backup copy is made once a day, not in this tour.
    Path(data_dir, "settings.json").write_text('{"backup_daily": false, "backup_on_exit": false}')
    load = os.getloadavg()[0]
    bare, runs = [], []
    for _ in range(args.runs):  # interleaved: both see the same load
        bare.append(run_child("bare", db, data_dir)["painted"])
        runs.append(run_child("app", db, data_dir, *(["--startup-only"] * args.startup_only)))
    bare_s = statistics.median(bare)
    app_s = statistics.median(r["painted"] for r in runs)
    ratio = statistics.median(r["painted"] / b for r, b in zip(runs, bare, strict=True))
    ready_s = statistics.median(r["ready"] for r in runs)
    ready_ratio = statistics.median(r["ready"] / b for r, b in zip(runs, bare, strict=True))
    print(f"database: {db} ({args.households} households); {args.runs} interleaved runs")
    print(f"load average at start {load:.2f}, at end {os.getloadavg()[0]:.2f} (2 cores)")
    print(
        f"process start → window painted (its frame): app {app_s:.3f} s (runs "
        + ", ".join(f"{r['painted']:.2f}" for r in runs)
        + f"), bare PySide6 window {bare_s:.3f} s (runs "
        + ", ".join(f"{b:.2f}" for b in bare)
        + f"); ratio {ratio:.1f}  (budget 1.0 s and 4x: "
        + ("ok" if app_s <= 1.0 and ratio <= 4 else "OVER")
        + ")"
    )
    print(
        f"process start → window filled and painted (signed in, 楼院台账 showing): {ready_s:.3f} s"
        " (runs " + ", ".join(f"{r['ready']:.2f}" for r in runs) + f"); ratio {ready_ratio:.1f}"
    )
    if args.startup_only:
        return 0 if app_s <= 1.0 and ratio <= 4 else 1
    steps = list(runs[0]["worst"])
    print("longest event-loop stall per step (median of runs, max of runs), ms:")
    worst_step, worst_ms = "", 0.0
    for step in steps:
        values = [r["worst"].get(step, 0.0) for r in runs]
        med = statistics.median(values)
        if med > worst_ms:
            worst_step, worst_ms = step, med
        flag = "ok" if med <= 100 else "OVER"
        print(f"  {step:40s} {med:7.1f}  {max(values):7.1f}  {flag}")
    p99 = statistics.median(r["p99"] for r in runs)
    print(
        f"max stall {worst_ms:.0f} ms ({worst_step}); p99 of 5 ms beats {p99:.1f} ms; "
        f"budget 100 ms: {'ok' if worst_ms <= 100 else 'OVER'}"
    )
    print(f"peak RSS {max(r['rss_mb'] for r in runs):.0f} MB")
    return 0 if worst_ms <= 100 and app_s <= 1.0 and ratio <= 4 else 1


if __name__ == "__main__":
    sys.exit(main())
