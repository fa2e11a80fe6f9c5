"""Form helpers of the governance dialogs: dates, OK/Cancel with an inline error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from ui.widgets import ErrorLabel


def qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def date_edit(value: dt.date, parent: QWidget | None = None) -> QDateEdit:
    edit = QDateEdit(qdate(value), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def date_of(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


class ServiceDialog(QDialog):
    """A dialog whose OK runs a service call; an AppError stays in the dialog, in red."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.body = QVBoxLayout(self)
        self.error_label = ErrorLabel(self, reserve=True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.rejected.connect(self.reject)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self._action: Callable[[], None] = lambda: None

    def finish_layout(self, action: Callable[[], None]) -> None:
        """Add the error line and buttons below the caller's fields; OK runs `action`."""
        self._action = action
        self.body.addWidget(self.error_label)
        self.body.addWidget(self.buttons)

    def _on_buttons_accepted(self) -> None:
        try:
            self._action()
        except AppError as exc:
            self.error_label.show_message(exc.message)
            return
        self.accept()
