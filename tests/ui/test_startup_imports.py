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

SCRIPT = """
import sys
from app.cli import main as cli
assert cli(["--db", sys.argv[1], "init"]) == 0
from PySide6.QtWidgets import QApplication
from app.config import resolve_target
from ui import app as ui_app
from ui.settings import Settings

qt = ui_app.make_application([])
startup = ui_app.Startup(qt, resolve_target(sys.argv[1]), Settings())
from app.signin import local_actor
startup.sign_in = local_actor  # a new database has no accounts: no login dialog
assert startup.start(), "the window did not open"
assert startup.window is not None and startup.window.isVisible()
qt.processEvents()
print(" ".join(sorted(name for name in sys.argv[2:] if name in sys.modules)) or "-")
"""


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


WARM_UP = """
import sys
from app.cli import main as cli
assert cli(["--db", sys.argv[1], "init"]) == 0
from PySide6.QtCore import QEventLoop, QTimer
from app.config import resolve_target
from app.signin import local_actor
from ui import app as ui_app, warm_up
from ui.settings import Settings

qt = ui_app.make_application([])
startup = ui_app.Startup(qt, resolve_target(sys.argv[1]), Settings())
startup.sign_in = local_actor
assert startup.start()
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


ORDER = """
import sys

seen = []


class Recorder:
    def find_spec(self, name, path=None, target=None):
        seen.append(name)
        return None


sys.meta_path.insert(0, Recorder())
from ui.launcher import DATA_LAYER, main

assert main(["--demo"]) == 0
qt = seen.index("PySide6")  # importing the package installs its hook
print(all(seen.index(name) < qt for name in DATA_LAYER))
"""


def test_the_window_loads_its_data_layer_before_qt(tmp_path: Path) -> None:
    """`louyuan` (the window) imports the database, sign-in and registry services before
    PySide6, whose import hook would read every later module's source."""
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
        [sys.executable, "-c", ORDER],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=90,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-1] == "True"
