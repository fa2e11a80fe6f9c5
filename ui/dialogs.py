"""Modal message boxes and confirmations: the one place tests patch."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def _tr(text: str) -> str:
    return QCoreApplication.translate("dialogs", text)


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask a yes/no question; No is the default so Enter never deletes by accident."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton(_tr("确定"), QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(_tr("取消"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def offer_reload(parent: QWidget | None, message: str) -> bool:
    """Someone saved the record since the form showed it: offer to load what is saved now.
    True when the clerk chose 重新载入 (the form then shows the saved record)."""
    box = QMessageBox(QMessageBox.Icon.Warning, _tr("已被他人修改"), message, parent=parent)
    box.setInformativeText(_tr("重新载入会显示现在保存的内容，您在本窗口的修改将被放弃。"))
    reload = box.addButton(_tr("重新载入"), QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton(_tr("暂不载入"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(reload)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is reload


def error(parent: QWidget | None, message: str, title: str = "") -> None:
    """Show an expected failure (an AppError's Chinese message)."""
    QMessageBox.warning(parent, title or _tr("楼院通"), message)


def info(parent: QWidget | None, message: str, title: str = "") -> None:
    QMessageBox.information(parent, title or _tr("楼院通"), message)


def open_file(parent: QWidget | None, title: str, directory: str = "", filter_: str = "") -> str:
    """Ask for an existing file; empty when cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, title, directory, filter_)
    return path


def open_files(
    parent: QWidget | None, title: str, directory: str = "", filter_: str = ""
) -> list[str]:
    """Ask for one or more existing files; empty when cancelled."""
    paths, _ = QFileDialog.getOpenFileNames(parent, title, directory, filter_)
    return list(paths)


def save_file(parent: QWidget | None, title: str, suggested: str = "", filter_: str = "") -> str:
    """Ask where to write a file; empty when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter_)
    return path
