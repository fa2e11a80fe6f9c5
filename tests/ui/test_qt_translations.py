"""Qt's own texts (standard buttons) appear in Chinese."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QDialogButtonBox  # noqa: E402

from ui.app import install_qt_translations  # noqa: E402


def test_standard_buttons_are_chinese(qapp: QApplication) -> None:
    install_qt_translations(qapp)
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    assert sorted(b.text() for b in box.buttons()) == sorted(["确定", "取消"])
