"""Failures, shown one way: `show_failure(parent, exc)` for everything a job or an action
raises. An expected failure (AppError) shows its Chinese message; a Cancel shows nothing; a
bug is logged and goes to the crash dialog with the details and the log path (the
`sys.excepthook` installed at start)."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.errors import AppError, Cancelled, friendly_error
from ui import dialogs

logger = logging.getLogger(__name__)


class CrashHandler:
    """A sys.excepthook that shows one dialog at a time instead of losing the traceback."""

    def __init__(self, log_file: Path) -> None:
        self._log_file = log_file
        self._showing = False

    def __call__(
        self, kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        friendly = friendly_error(value)
        if friendly is not None and QApplication.instance() is not None:
            # The environment's fault (the database is busy or gone), not a bug.
            logger.warning("database unavailable: %s", value)
            dialogs.error(None, friendly.message)
            return
        logger.critical("unexpected error", exc_info=(kind, value, tb))
        if self._showing or QApplication.instance() is None:
            sys.__excepthook__(kind, value, tb)
            return
        self._showing = True
        try:
            self._show(kind, value, tb)
        finally:
            self._showing = False

    def _show(
        self, kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        tr = QCoreApplication.translate
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            tr("errors", "程序错误"),
            tr("errors", "程序遇到了意外错误。刚才的操作可能没有完成，已保存的数据不受影响。"),
        )
        box.setInformativeText(
            tr("errors", "请把以下日志文件发给技术支持：\n{0}").format(self._log_file)
        )
        box.setDetailedText("".join(traceback.format_exception(kind, value, tb)))
        box.exec()


def install_excepthook(log_file: Path) -> CrashHandler:
    handler = CrashHandler(log_file)
    sys.excepthook = handler
    return handler


def expected_message(exc: object) -> str | None:
    """The Chinese message of an expected failure (an AppError, or a busy or lost database);
    None for a bug."""
    if isinstance(exc, AppError):
        return exc.message
    if isinstance(exc, Exception):
        friendly = friendly_error(exc)
        if friendly is not None:
            return friendly.message
    return None


def show_failure(parent: QWidget | None, exc: object, title: str = "") -> None:
    """Show what went wrong: an AppError's message in a warning box (with `title`), nothing
    for a Cancel (the clerk asked for it), anything else to the crash dialog
    (`sys.excepthook`)."""
    if isinstance(exc, Cancelled):
        return
    message = expected_message(exc)
    if message is None:
        report_bug(exc)
    elif title:
        dialogs.error(parent, message, title)
    else:
        dialogs.error(parent, message)


def unexpected_text() -> str:
    """What a page says in place of a bug's raw text (the crash dialog has the details)."""
    return QCoreApplication.translate("errors", "程序遇到了意外错误，详情见错误报告和日志。")


def report_bug(exc: object) -> None:
    """An unexpected exception that reached the GUI thread by a signal: to the crash dialog
    (in the program, the CrashHandler: logged, details and the log path)."""
    if not isinstance(exc, BaseException):
        exc = RuntimeError(repr(exc))
    sys.excepthook(type(exc), exc, exc.__traceback__)
