"""张贴通知: title, body, the compounds it is for, date and office → A4 large type."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.documents.governance_notice import Notice, write_notice
from app.errors import AppError
from app.services import Services
from ui.governance.forms import date_edit, date_of
from ui.governance.pdf import show_pdf
from ui.widgets import ErrorLabel, line_edit, make_form


class NoticeDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("张贴通知"))
        self.title_edit = line_edit(placeholder=self.tr("如 关于清理楼道杂物的通知"))
        self.body_edit = QPlainTextEdit(self)
        self.compound_list = QListWidget(self)
        for c in services.compounds.choices():
            item = QListWidgetItem(c.name, self.compound_list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.compound_list.setMaximumHeight(140)
        self.date_edit = date_edit(services.governance.problems.today(), self)
        self.office_edit = line_edit(placeholder=self.tr("如 幸福里社区居民委员会"))
        self.error_label = ErrorLabel(self, reserve=True)
        self.preview_button = QPushButton(self.tr("预览/打印…"), self)
        self.preview_button.clicked.connect(self._on_preview_button_clicked)
        form = make_form()
        form.addRow(self.tr("标题"), self.title_edit)
        form.addRow(self.tr("正文"), self.body_edit)
        form.addRow(self.tr("张贴楼院\n（每院一张）"), self.compound_list)
        form.addRow(self.tr("日期"), self.date_edit)
        form.addRow(self.tr("落款单位"), self.office_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(600, 600)

    def notice(self) -> Notice:
        chosen = tuple(
            self.compound_list.item(n).text()
            for n in range(self.compound_list.count())
            if self.compound_list.item(n).checkState() == Qt.CheckState.Checked
        )
        return Notice(
            self.title_edit.text().strip(),
            self.body_edit.toPlainText(),
            chosen,
            date_of(self.date_edit),
            self.office_edit.text().strip(),
        )

    def write(self, path: Path) -> int:
        return write_notice(path, self.notice())

    def _on_preview_button_clicked(self) -> None:
        path = Path(tempfile.mkdtemp(prefix="louyuan-")) / "张贴通知.pdf"
        try:
            self.write(path)
        except AppError as exc:
            self.error_label.show_message(exc.message)
            return
        self.error_label.show_message("")
        show_pdf(path, self.tr("张贴通知"), self)
