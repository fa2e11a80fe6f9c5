"""Typing like a clerk in widget tests (imported by the tests of this folder)."""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget


def type_text(qtbot: Any, edit: QWidget, text: str) -> None:
    """Type like a clerk: ASCII as key presses, Chinese as input-method commits.

    (QTest can only synthesise ASCII key presses; Chinese arrives through the input method.)
    """
    for ascii_run, run in itertools.groupby(text, key=str.isascii):
        chunk = "".join(run)
        if ascii_run:
            qtbot.keyClicks(edit, chunk)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(chunk)
            QApplication.sendEvent(edit, event)


def retype(qtbot: Any, edit: QLineEdit, text: str) -> None:
    """Select everything in a field and type over it."""
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    type_text(qtbot, edit, text)
