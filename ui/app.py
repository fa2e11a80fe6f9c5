"""The window program: parse arguments, open the database, build the object graph, run Qt."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QTimer,
    QTranslator,
)
from PySide6.QtWidgets import QApplication, QWidget

from app import __version__
from app.audit import Actor
from app.cli import build_parser
from app.config import DatabaseTarget, log_dir, resolve_target
from app.database import Database, is_empty, open_database
from app.errors import AppError, Cancelled
from app.jobs import IsCancelled, Progress
from app.logging_setup import setup_logging
from app.services import Services
from ui import dialogs, settings
from ui.errors import install_excepthook
from ui.fonts import ui_font
from ui.main_window import MainWindow
from ui.settings import APPLICATION, ORGANIZATION, Settings
from ui.tasks import TaskRunner

logger = logging.getLogger(__name__)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The launcher's options (`--db`, `--demo`); Qt's own options are left to Qt."""
    args, _qt_args = build_parser().parse_known_args(list(argv))
    return args


def make_application(argv: Sequence[str]) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "louyuan", *argv])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(QCoreApplication.translate("app", "楼院通"))
    app.setApplicationVersion(__version__)
    install_qt_translations(app)
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


def fill_demo(db: Database, progress: Progress, cancelled: IsCancelled) -> object:
    """The first-start job of `--demo`: generate the demo data in one transaction."""
    from app.demo import generate

    return generate(db, progress=progress, cancelled=cancelled)


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


class Startup:
    """Opens the database and shows the main window, filling the demo in the background."""

    def __init__(self, app: QApplication, target: DatabaseTarget, prefs: Settings) -> None:
        self.app = app
        self.target = target
        self.prefs = prefs
        self.runner = TaskRunner(parent=app)
        self.window: MainWindow | None = None
        self.db: Database | None = None
        self.exit_code = 0

    def start(self) -> bool:
        """Open the database; False (after telling the user) when it cannot be used."""
        try:
            self.db = open_database(self.target, create=True)
            needs_demo = self.target.demo and is_empty(self.db)
        except AppError as exc:
            logger.warning("cannot start: %s", exc.message)
            dialogs.error(None, exc.message)
            return False
        if needs_demo:
            task = self.runner.run(
                partial(fill_demo, self.db),
                writes=True,
                title=QCoreApplication.translate("app", "楼院通"),
                label=QCoreApplication.translate("app", "正在生成演示数据，首次启动约需几秒……"),
            )
            task.finished.connect(self._on_demo_finished)
            task.failed.connect(self._on_demo_failed)
            return True
        self.show_window()
        return True

    def show_window(self) -> None:
        assert self.db is not None
        services = Services.build(self.db, Actor("admin"))
        self.window = MainWindow(services, self.prefs)
        if os.environ.get("LOUYUAN_SMOKE") == "1":
            # Bundle smoke test: quit (exit 0) once the main window has painted.
            self._smoke = QuitOnFirstPaint(self.app, self.window)
        self.window.show()

    def _on_demo_finished(self, _figures: object) -> None:
        self.show_window()

    def _on_demo_failed(self, exc: object) -> None:
        if isinstance(exc, Cancelled):
            dialogs.info(
                None,
                QCoreApplication.translate(
                    "app", "已取消生成演示数据。下次以 --demo 启动时会重新生成。"
                ),
            )
        elif isinstance(exc, AppError):
            dialogs.error(None, exc.message)
        else:
            assert isinstance(exc, BaseException)
            sys.excepthook(type(exc), exc, exc.__traceback__)
        self.exit_code = 1
        self.app.quit()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the window; returns the process exit status."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    setup_logging()
    app = make_application([])
    install_excepthook(log_dir() / "louyuan.log")
    prefs = Settings()
    app.setFont(ui_font(prefs.get(settings.UI_FONT_FAMILY), prefs.get(settings.UI_FONT_POINT_SIZE)))
    target = resolve_target(args.db, demo=args.demo)
    logger.info("louyuan %s starting on %s", __version__, target.display)
    startup = Startup(app, target, prefs)
    if not startup.start():
        return 1
    code = app.exec()
    startup.runner.wait()
    if startup.db is not None:
        startup.db.close()
    return startup.exit_code or code
