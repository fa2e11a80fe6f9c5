"""The window starts after loading what its first page needs: a fresh interpreter that
opens a database, signs in and shows the main window has not loaded the other areas'
services, the lazily built pages or the dialogs of the menus."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

NOT_AT_START = (
    "app.fees.service",
    "app.surveys.designer",
    "app.governance.service",
    "app.dashboard",
    "app.roster.service",
    "ui.fees.fees_page",
    "ui.surveys.page",
    "ui.governance.dashboard_page",
    "ui.import_wizard",
    "ui.export_dialog",
    "ui.audit_page",
    "ui.users_dialog",
    "ui.backup_dialog",
)

# A new database, the window started on it and filled (run in a fresh interpreter).
STARTED = """
import sys
from app.cli import main as cli
assert cli(["--db", sys.argv[1], "init"]) == 0
from PySide6.QtCore import QEventLoop, QTimer
from app.config import resolve_target
from app.signin import local_actor
from ui import app as ui_app
from ui.settings import Settings

qt = ui_app.make_application([])
startup = ui_app.Startup(qt, resolve_target(sys.argv[1]), Settings())
startup.sign_in = local_actor  # a new database has no accounts: no login dialog
startup.start()
loop = QEventLoop()
timer = QTimer(); timer.timeout.connect(lambda: startup.ready and loop.quit()); timer.start(20)
QTimer.singleShot(30000, loop.quit)
loop.exec()
assert startup.ready, "the window was not filled"
assert startup.window is not None and startup.window.isVisible()
"""

SCRIPT = (
    STARTED
    + """
qt.processEvents()
print(" ".join(sorted(name for name in sys.argv[2:] if name in sys.modules)) or "-")
"""
)


def test_the_window_opens_without_loading_other_areas(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        LOUYUAN_DATA_DIR=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "x.sqlite3"), *NOT_AT_START],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-1] == "-", f"loaded at start: {out.stdout}"


WARM_UP = (
    STARTED
    + """
from ui import warm_up

first = warm_up.missing()
loop = QEventLoop()
def done():
    if not warm_up.missing():
        loop.quit()
timer = QTimer(); timer.timeout.connect(done); timer.start(50)
QTimer.singleShot(30000, loop.quit)
loop.exec()  # the window's event loop runs while the modules load
print(len(first), len(warm_up.missing()))
"""
)


def test_the_other_pages_modules_load_in_the_background_after_start(tmp_path: Path) -> None:
    """At first paint the other pages' modules are not loaded; a few seconds later they are
    (loaded by the warm-up thread while the window's event loop runs), so a first visit does
    not pay for them on the GUI thread."""
    from ui import warm_up

    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        LOUYUAN_DATA_DIR=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    out = subprocess.run(
        [sys.executable, "-c", WARM_UP, str(tmp_path / "x.sqlite3")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=90,
    )
    assert out.returncode == 0, out.stderr
    first, left = map(int, out.stdout.split()[-2:])
    assert first >= len(warm_up.MODULES) - 2 and left == 0


FRAME_FIRST = """
import sys

from ui.main_window import MainWindow

shown = []
show_event = MainWindow.showEvent


def on_show(self, event):
    shown.append(("sqlalchemy" in sys.modules, "app.services" in sys.modules, self.attached))
    show_event(self, event)


MainWindow.showEvent = on_show
from ui.launcher import main

assert main(["--demo"]) == 0  # LOUYUAN_SMOKE: quits once the filled window has painted
print(shown[0], "sqlalchemy" in sys.modules)
"""


def test_the_window_shows_its_frame_before_the_database_layer_loads(tmp_path: Path) -> None:
    """`louyuan` (the window) shows its main window (the sections, menus, the database named)
    before SQLAlchemy and the services load; they load in the background, then the demo's
    administrator is signed in and the window filled (the smoke run quits on that paint)."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        LOUYUAN_SMOKE="1",
        LOUYUAN_DATA_DIR=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    made = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--demo", "init"],
        capture_output=True, text=True, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    out = subprocess.run(
        [sys.executable, "-c", FRAME_FIRST],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=90,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[-2] == "(False, False, False) True"


def test_pyside_hook_gets_the_answer_it_would_read(qapp: object) -> None:
    """The import hook's question (does this module use PySide6?) answered without reading
    the sources of the Qt-free packages: the same answers as reading them."""
    import importlib

    from ui.import_hook import known_without_qt, spare_source_reading

    feature = sys.modules.get("shibokensupport.feature")
    spare_source_reading()
    uses = getattr(feature, "_mod_uses_pyside", None)
    if uses is None:  # a PySide6 without the hook: nothing to spare
        return
    reads = uses.original
    for name in ("sqlalchemy.orm", "app.database", "db.models", "json", "openpyxl", "numpy"):
        module = importlib.import_module(name)
        assert known_without_qt(name)
        assert uses(module) is False and reads(module) is False
    for name in ("ui.main_window", "ui.registry_page", "ui.app"):
        module = importlib.import_module(name)
        assert not known_without_qt(name)
        assert uses(module) is True and reads(module) is True
