"""Window tests: offscreen Qt, settings in a temporary folder, a small demo database."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
import pytestqt.qtbot  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.audit import Actor  # noqa: E402
from app.config import DatabaseTarget, to_url  # noqa: E402
from app.database import open_database  # noqa: E402
from app.services import Services  # noqa: E402
from ui import collector  # noqa: E402
from ui.settings import Settings  # noqa: E402
from ui.tasks import TaskRunner  # noqa: E402

DEMO_HOUSEHOLDS = 600


@pytest.fixture(scope="session", autouse=True)
def _gui_thread_collector(qapp: QApplication) -> Iterator[None]:
    """As in the program: cyclic garbage is collected on the GUI thread only, never on a
    worker where it could destroy a window's Qt objects (ui/collector.py)."""
    gui_collector = collector.install(qapp)
    yield
    gui_collector.uninstall()


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path: Path) -> Iterator[None]:
    """QSettings of every test goes to a temporary INI file, never the user's."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(tmp_path / "qsettings"))
    yield


@pytest.fixture(autouse=True)
def _test_widgets_deleted_by_qt(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A test's widgets live until pytest-qt closes them after the test, and are then deleted
    by Qt, never by the garbage collector.

    pytest-qt keeps only a weak reference to them: a page whose last reference is the test's
    local variable, caught in a cycle through its own slots, was destroyed by a collection
    while still alive, which crashes PySide6 (a segmentation fault in QWidget::destroy). And
    the deleteLater() pytest-qt posts outside any event loop is not carried out by processing
    events. The program always deletes through Qt: its windows and dialogs have owners, and it
    runs inside its event loop, where deleteLater() is carried out at once.
    """
    kept: list[QWidget] = []
    add_widget = pytestqt.qtbot._add_widget

    def keeping(item: pytest.Item, widget: QWidget, **kwargs: Any) -> None:
        kept.append(widget)
        add_widget(item, widget, **kwargs)

    monkeypatch.setattr(pytestqt.qtbot, "_add_widget", keeping)
    yield
    # pytest-qt has closed them (close, deleteLater) before the fixtures are torn down.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    kept.clear()


@pytest.fixture
def prefs(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One generated demo file per test session; each test gets a copy."""
    from app.demo import generate

    path = tmp_path_factory.mktemp("demo") / "template.sqlite3"
    db = open_database(DatabaseTarget(to_url(path)))
    try:
        generate(db, households=DEMO_HOUSEHOLDS)
    finally:
        db.close()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture
def demo_services(_demo_template: Path, tmp_path: Path) -> Iterator[Services]:
    """Services on a temporary SQLite copy of the small demo database."""
    path = tmp_path / "t.sqlite3"
    shutil.copyfile(_demo_template, path)
    db = open_database(DatabaseTarget(to_url(path), demo=True))
    try:
        yield Services.build(db, Actor("tester", "admin"))
    finally:
        db.close()


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    """The program's one task runner, as ui/app.py hands it to pages."""
    r = TaskRunner()
    yield r
    r.wait()
