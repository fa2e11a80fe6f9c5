"""Modal message boxes and confirmations: the one place tests patch."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


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


def error(parent: QWidget | None, message: str, title: str = "") -> None:
    """Show an expected failure (an AppError's Chinese message)."""
    QMessageBox.warning(parent, title or _tr("楼院通"), message)


def info(parent: QWidget | None, message: str, title: str = "") -> None:
    QMessageBox.information(parent, title or _tr("楼院通"), message)
