"""Record tables: one look for every QTableView, and Enter to open a row."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def make_table(parent: QWidget) -> QTableView:
    """A read-only, row-selecting table view for records."""
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    vheader = view.verticalHeader()
    vheader.setVisible(False)
    vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring
    vheader.setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class EnterFilter(QObject):
    """Calls `action` when Enter or Return is pressed in a view."""

    def __init__(self, view: QTableView, action: Callable[[], None]) -> None:
        super().__init__(view)
        self._action = action
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._action()
            return True
        return super().eventFilter(watched, event)
