"""The window program: parse arguments, open the database, build the object graph, run Qt."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QTimer,
    QTranslator,
)
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from app import __version__
from app.cli import area_modules, build_parser
from app.config import DatabaseTarget, log_dir, private_files, resolve_target
from app.errors import AppError, Cancelled, DatabaseDamaged
from app.instance_lock import WindowLock
from app.logging_setup import setup_logging
from ui import collector, dialogs, screen_fit, settings
from ui.errors import install_excepthook, show_failure
from ui.fonts import ui_font
from ui.import_hook import spare_source_reading
from ui.main_window import ATTACH_MODULES
from ui.settings import APPLICATION, ORGANIZATION, Settings
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.audit import Actor
    from app.database import Database
    from app.jobs import IsCancelled, Progress
    from app.services import Services
    from ui.main_window import MainWindow

logger = logging.getLogger(__name__)

BACKUP_CHECK_MS = 60 * 60 * 1000  # how often a long-running window checks for a due backup
AFTER_START_MS = 500  # the integrity check and the daily backup start this long after

# What the window opens with (the database, sign-in, the registry page's services): loaded in
# the background by `open_for_window` while the window's frame shows.
DATA_LAYER = (
    "sqlalchemy.orm",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "db.models",
    "db.engine",
    "db.migrate",
    "app.database",
    "app.services",
    "app.signin",
    "app.users.service",
    "app.registry.compounds",
    "app.registry.households",
    "app.search",
    "app.backup",
)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The launcher's options (`--db`, `--demo`); Qt's own options are left to Qt."""
    args, _qt_args = build_parser(area_modules("gui")).parse_known_args(list(argv))
    return args


def make_application(argv: Sequence[str]) -> QApplication:
    spare_source_reading()  # (the launcher did already, before importing this module)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "louyuan", *argv])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(QCoreApplication.translate("app", "楼院通"))
    app.setApplicationVersion(__version__)
    install_qt_translations(app)
    if getattr(app, "_louyuan_fitter", None) is None:
        app._louyuan_fitter = screen_fit.install(app)  # type: ignore[attr-defined]
    collector.install(app)  # cyclic garbage is collected on the GUI thread only
    return app


def install_qt_translations(app: QApplication) -> None:
    """Qt's own texts (standard buttons, file dialogs, context menus) in Simplified Chinese."""
    if getattr(app, "_louyuan_translator", None) is not None:
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(
        QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder
    ):
        app.installTranslator(translator)
        app._louyuan_translator = translator  # type: ignore[attr-defined]
    else:
        logger.info("Qt's Chinese translations not found in %s", folder)


def check_integrity(db: Database) -> None:
    """SQLite's quick_check (app.database's, loaded when the check runs)."""
    from app.database import check_integrity as quick_check

    quick_check(db)


def fill_demo(db: Database, progress: Progress, cancelled: IsCancelled) -> object:
    """The first-start job of `--demo`: generate the demo data in one transaction."""
    from app.audit import SYSTEM
    from app.config import data_dir
    from app.demo import generate
    from app.services import Services
    from app.surveys.scan_sample import write_demo_sample

    figures = generate(db, progress=progress, cancelled=cancelled)
    # A scanned stack of the demo's open survey to try 文件 → 导入扫描问卷… with.
    write_demo_sample(Services.build(db, SYSTEM), data_dir() / "samples")
    return figures


class QuitOnFirstPaint(QObject):
    """Quits the application after the watched window's first paint (LOUYUAN_SMOKE=1)."""

    def __init__(self, app: QApplication, window: QWidget) -> None:
        super().__init__(window)
        self._app = app
        window.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self._app.quit)
        return False


def open_for_window(target: DatabaseTarget, _progress: Progress, _cancelled: IsCancelled) -> Opened:
    """The start-up job, run while the window's frame shows: load the database layer and what
    the first page needs, open the database (upgrading an older schema, the integrity check
    left for later) and say whether the demo has to be generated."""
    import importlib

    for name in (*DATA_LAYER, *ATTACH_MODULES):
        importlib.import_module(name)
    from sqlalchemy.orm import configure_mappers

    from app.database import is_empty, open_database

    configure_mappers()  # what the first query would do on the GUI thread (~15 ms)
    db = open_database(target, create=True, check=False)
    try:
        needs_demo = target.demo and is_empty(db)
    except BaseException:
        db.close()
        raise
    return Opened(db, needs_demo)


class Opened(NamedTuple):
    db: Database
    needs_demo: bool


class Startup:
    """Shows the main window's frame at once, then opens the database in the background
    (filling the demo on its first start), signs the clerk in and fills the window.

    Every way out before the window is filled (a damaged or unusable database, the demo's
    generation cancelled, sign-in given up) quits the event loop with `exit_code` set."""

    def __init__(self, app: QApplication, target: DatabaseTarget, prefs: Settings) -> None:
        self.app = app
        self.target = target
        self.prefs = prefs
        self.runner = TaskRunner(parent=app)
        self.collector = collector.install(app)
        self._collector_held = False
        self.window: MainWindow | None = None
        self.db: Database | None = None
        self.services: Services | None = None
        self.exit_code = 0
        self._integrity_checked = False
        self._backup_timer: QTimer | None = None
        self.window_lock: WindowLock | None = None

    def start(self) -> None:
        """Show the frame and start opening the database; the rest happens in the event loop
        (`ready` once the window is filled)."""
        # Start-up makes objects that live as long as the program (modules, mappers, widgets):
        # no collections while it runs (they would find nothing to free); see _fill_window.
        self.collector.hold()
        self._collector_held = True
        self._show_frame()
        self._open()

    @property
    def ready(self) -> bool:
        """The window is filled: the clerk is signed in and the pages are there."""
        return self.window is not None and self.window.attached

    def _show_frame(self) -> None:
        from ui.main_window import MainWindow

        self.window = MainWindow(None, self.prefs, runner=self.runner, target=self.target)
        self.window.restart_requested.connect(self._on_restart_requested)
        self.window.show()

    def _open(self) -> None:
        task = self.runner.run(partial(open_for_window, self.target), writes=True)
        task.finished.connect(self._on_opened)
        task.failed.connect(self._on_open_failed)

    def _on_opened(self, opened: Opened) -> None:
        self.db = opened.db
        self.warn_second_window()
        if not opened.needs_demo:
            self.sign_in_and_fill()
            return
        self._release_collector()  # the demo's generation makes (and drops) a lot
        task = self.runner.run(
            partial(fill_demo, opened.db),
            writes=True,
            title=QCoreApplication.translate("app", "楼院通"),
            label=QCoreApplication.translate("app", "正在生成演示数据，首次启动约需几秒……"),
            parent_widget=self.window,
        )
        task.finished.connect(lambda _figures: self.sign_in_and_fill())
        task.failed.connect(self._on_demo_failed)

    def _on_open_failed(self, exc: object) -> None:
        if isinstance(exc, DatabaseDamaged):
            logger.warning("cannot start: %s", exc.message)
            if self.offer_restore(exc.message):
                self._open()
                return
        elif isinstance(exc, AppError):
            logger.warning("cannot start: %s", exc.message)
            dialogs.error(self.window, exc.message)
        else:
            show_failure(self.window, exc)
        self._give_up(1)

    def _give_up(self, code: int) -> None:
        """The window cannot be filled: close it and end the event loop with `code`."""
        self.exit_code = code
        self._release_collector()
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
        QTimer.singleShot(0, self.app.quit)

    def _release_collector(self) -> None:
        if self._collector_held:
            self._collector_held = False
            self.collector.release()

    def warn_second_window(self) -> None:
        """Another window on the same SQLite file: say so (both may go on)."""
        path = self.target.path
        if path is None or self.window_lock is not None:
            return
        self.window_lock = WindowLock(path)
        message = self.window_lock.warning()
        if message:
            logger.warning("another window holds %s: %s", path, self.window_lock.holder)
            dialogs.error(
                self.window, message, QCoreApplication.translate("app", "数据库已在另一窗口打开")
            )

    def offer_restore(self, message: str) -> bool:
        """A damaged database: offer to restore a backup file; True when restored."""
        from app.program_settings import load_settings

        title = QCoreApplication.translate("app", "数据库已损坏")
        question = QCoreApplication.translate("app", "现在选择一个备份文件来恢复数据库吗？")
        if not dialogs.confirm(self.window, title, f"{message}\n\n{question}"):
            return False
        path = dialogs.open_file(
            self.window,
            QCoreApplication.translate("app", "选择备份文件"),
            str(load_settings().backup_dir()),
            QCoreApplication.translate("app", "楼院通数据库 (*.sqlite3);;所有文件 (*)"),
        )
        if not path:
            return False
        from app.backup import restore_unopened
        from app.signin import local_actor

        try:
            result = restore_unopened(self.target, Path(path), local_actor())
        except AppError as exc:
            dialogs.error(self.window, exc.message)
            return False
        dialogs.info(
            self.window,
            QCoreApplication.translate("app", "已从备份恢复：{0}").format(result.restored.path),
        )
        return True

    def sign_in(self) -> Actor | None:
        """The demo signs in as its administrator; otherwise the login dialog asks."""
        assert self.db is not None
        from app.audit import SYSTEM
        from app.program_settings import load_settings
        from app.users.demo import DEMO_ADMIN, DEMO_PASSWORD
        from app.users.service import UserService
        from ui.login_dialog import LoginDialog

        users = UserService(self.db.sessions, SYSTEM, load_settings().login_policy())
        if self.target.demo:
            try:
                return users.login(DEMO_ADMIN, DEMO_PASSWORD)
            except AppError:
                logger.info("demo administrator's password was changed: asking")
        dialog = LoginDialog(
            users,
            first_start=not users.has_users(),
            database=self.target.display,
            parent=self.window,
        )
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.actor if accepted else None

    def sign_in_and_fill(self) -> None:
        """Sign in, then fill the window (in the next turn of the event loop, so the window
        answers between the two); giving up signing in ends the program."""
        assert self.db is not None
        actor = self.sign_in()
        if actor is None:
            self._give_up(0)
            return
        from app.services import Services

        self.services = Services.build(self.db, actor)
        # A timer, not a posted call: the window answers its own events between the two.
        QTimer.singleShot(1, self._fill_window)

    def _fill_window(self) -> None:
        window, services = self.window, self.services
        if window is None or services is None or window.attached:
            return
        window.attach(services, load=False)
        QTimer.singleShot(1, self._load_first_page)

    def _load_first_page(self) -> None:
        window = self.window
        if window is None or window.attached:
            return
        window.load_first_page()
        if os.environ.get("LOUYUAN_SMOKE") == "1":
            # Bundle smoke test: quit (exit 0) once the filled window has painted.
            self._smoke = QuitOnFirstPaint(self.app, window)
        # What start-up made (modules, mappers, the window) lives as long as the program: out
        # of the collector's sight, a full collection no longer stalls the window for ~30 ms.
        gc.freeze()
        self._release_collector()
        from ui import warm_up

        warm_up.start_when_idle(self.app)
        # The background checks start once the filled window has painted and settled.
        # (Timed on the window: they go with it when it closes first.)
        QTimer.singleShot(AFTER_START_MS, window, self.check_integrity)
        QTimer.singleShot(AFTER_START_MS, window, partial(self.automatic_backup, "daily"))
        if self._backup_timer is None:
            # An office PC may stay on for days: look again every hour whether one is due.
            self._backup_timer = QTimer(self.app)
            self._backup_timer.setInterval(BACKUP_CHECK_MS)
            self._backup_timer.timeout.connect(partial(self.automatic_backup, "daily"))
            self._backup_timer.start()

    def check_integrity(self) -> None:
        """SQLite's quick_check off the GUI thread; a damaged file is reported with the way
        out (restore a backup), the window stays open for reading what can be read."""
        db = self.db
        if db is None or not db.target.is_sqlite or self._integrity_checked:
            return

        self._integrity_checked = True
        task = self.runner.run(lambda _progress, _cancelled: check_integrity(db))
        task.failed.connect(self._on_integrity_failed)

    def _on_integrity_failed(self, exc: object) -> None:
        if isinstance(exc, AppError):
            logger.error("integrity check failed: %s", exc.message)
        show_failure(self.window, exc)

    def automatic_backup(self, kind: str) -> None:
        """The daily backup (when due) and the one on exit; never for the demo."""
        services = self.services
        if services is None or self.target.demo or not services.backups.supported:
            return
        from app.program_settings import load_settings

        settings = load_settings()
        if kind == "daily" and not services.backups.daily_due():
            return
        if kind == "exit" and not settings.backup_on_exit:
            return
        if kind == "daily":
            # The window stays usable while the copy is made (seconds for a large street).
            backups = services.backups
            task = self.runner.run(lambda _progress, _cancelled: backups.automatic("daily"))
            task.finished.connect(self._on_backup_done)
            task.failed.connect(self._on_daily_backup_failed)
            return
        try:
            self._on_backup_done(services.backups.automatic(kind))
        except AppError as exc:
            logger.warning("%s backup failed: %s", kind, exc.message)

    def _on_daily_backup_failed(self, exc: object) -> None:
        if isinstance(exc, AppError):
            logger.warning("daily backup failed: %s", exc.message)
            if self.window is None:
                return
        show_failure(self.window, exc)

    def _on_backup_done(self, path: object) -> None:
        if self.window is not None and path is not None:
            self.window.statusBar().showMessage(
                QCoreApplication.translate("app", "已自动备份到 {0}").format(path), 8000
            )

    def _on_restart_requested(self) -> None:
        """After a restore the data changed under the window: sign in again, fresh window."""
        old = self.window
        self.services = None
        # The new frame first: closing the last window would end the program.
        self._show_frame()
        if old is not None:
            old.close()
            old.deleteLater()
        self.sign_in_and_fill()

    def _on_demo_failed(self, exc: object) -> None:
        if isinstance(exc, Cancelled):
            dialogs.info(
                self.window,
                QCoreApplication.translate(
                    "app", "已取消生成演示数据。下次以 --demo 启动时会重新生成。"
                ),
            )
        else:
            show_failure(self.window, exc)
        self._give_up(1)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the window; returns the process exit status."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    private_files()
    setup_logging()
    app = make_application([])
    install_excepthook(log_dir() / "louyuan.log")
    prefs = Settings()
    app.setFont(ui_font(prefs.get(settings.UI_FONT_FAMILY), prefs.get(settings.UI_FONT_POINT_SIZE)))
    target = resolve_target(args.db, demo=args.demo)
    logger.info("louyuan %s starting on %s", __version__, target.display)
    startup = Startup(app, target, prefs)
    startup.start()
    code = app.exec()
    if not startup.ready:
        # Closed while opening (the demo's generation, say): stop, nothing half-written.
        startup.runner.cancel_all()
    startup.runner.wait()
    startup.automatic_backup("exit")
    if startup.db is not None:
        startup.db.close()
    if startup.window_lock is not None:
        startup.window_lock.release()
    return startup.exit_code or code
