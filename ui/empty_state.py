"""The way forward on a database with no compounds yet: shown above every section."""

from __future__ import annotations

import sys

from PySide6.QtCore import QProcess, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


def demo_command() -> tuple[str, list[str]]:
    """The program started again on the demo database (a bundle or a checkout)."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--demo"]
    return sys.executable, ["-m", "ui.launcher", "--demo"]


class EmptyState(QFrame):
    """ "还没有楼院" with the three next steps: import a roster, create a compound, or try
    the demo (opened in a window of its own; this database stays as it is)."""

    import_requested = Signal()
    new_compound_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.setStyleSheet("#emptyState { background: #fff8e1; border-bottom: 1px solid #e0c060; }")
        self.label = QLabel(
            self.tr(
                "<b>数据库里还没有楼院。</b>下一步：导入社区的住户花名册（Excel），"
                "或逐个新建楼院；想先看看程序怎么用，可以打开演示数据。"
            ),
            self,
        )
        self.label.setWordWrap(True)
        self.import_button = QPushButton(self.tr("导入花名册…"), self)
        self.new_button = QPushButton(self.tr("新建楼院…"), self)
        self.demo_button = QPushButton(self.tr("打开演示数据"), self)
        self.demo_button.setToolTip(self.tr("在新窗口中打开演示数据库（全部为虚构数据）"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.label, 1)
        for button in (self.import_button, self.new_button, self.demo_button):
            layout.addWidget(button)
        self.import_button.clicked.connect(self.import_requested)
        self.new_button.clicked.connect(self.new_compound_requested)
        self.demo_button.clicked.connect(self._on_demo_button_clicked)

    def _on_demo_button_clicked(self) -> None:
        program, args = demo_command()
        self.demo_started = QProcess.startDetached(program, args)
