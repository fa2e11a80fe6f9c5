"""工作简报: draft from the data, edit, then preview and print one page."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.documents.governance_brief import write_brief
from app.errors import AppError
from app.services import Services
from ui import dialogs
from ui.governance.forms import date_edit, date_of
from ui.governance.pdf import show_pdf
from ui.widgets import line_edit, make_form


class BriefDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("工作简报"))
        self._services = services
        today = services.governance.problems.today()
        self.start_edit = date_edit(today.replace(month=1, day=1), self)
        self.end_edit = date_edit(today, self)
        self.community_combo = QComboBox(self)
        self.community_combo.addItem(self.tr("全部社区"), None)
        for c in services.compounds.communities():
            self.community_combo.addItem(c.name, c.id)
        self.office_edit = line_edit(placeholder=self.tr("落款，如 中心路街道办事处"))
        self.draft_button = QPushButton(self.tr("按数据生成草稿"), self)
        self.draft_button.clicked.connect(self._on_draft_button_clicked)
        self.title_edit = line_edit(max_length=64)
        self.header_edit = line_edit(max_length=128)
        self.body_edit = QPlainTextEdit(self)
        self.preview_button = QPushButton(self.tr("预览/打印…"), self)
        self.preview_button.clicked.connect(self._on_preview_button_clicked)
        period = QHBoxLayout()
        period.addWidget(self.start_edit)
        period.addWidget(QLabel(self.tr("至"), self))
        period.addWidget(self.end_edit)
        period.addWidget(self.community_combo)
        period.addWidget(self.draft_button)
        form = make_form()
        form.addRow(self.tr("统计期间"), period)
        form.addRow(self.tr("落款单位"), self.office_edit)
        form.addRow(self.tr("标题"), self.title_edit)
        form.addRow(self.tr("报头"), self.header_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("正文（可修改，每段一行）"), self))
        layout.addWidget(self.body_edit, 1)
        layout.addWidget(buttons)
        self.resize(760, 640)
        self._on_draft_button_clicked()

    def _on_draft_button_clicked(self) -> None:
        try:
            draft = self._services.governance.brief.draft(
                date_of(self.start_edit),
                date_of(self.end_edit),
                self.community_combo.currentData(),
                self.office_edit.text().strip(),
            )
        except AppError as exc:
            dialogs.error(self, exc.message)
            return
        self.title_edit.setText(draft.title)
        self.header_edit.setText(draft.header)
        self.body_edit.setPlainText(draft.body)

    def write(self, path: Path) -> None:
        write_brief(
            path, self.title_edit.text(), self.header_edit.text(), self.body_edit.toPlainText()
        )

    def _on_preview_button_clicked(self) -> None:
        if not self.body_edit.toPlainText().strip():
            dialogs.error(self, self.tr("简报正文为空"))
            return
        path = Path(tempfile.mkdtemp(prefix="louyuan-")) / f"工作简报-{dt.date.today():%Y%m%d}.pdf"
        self.write(path)
        show_pdf(path, self.tr("工作简报"), self)
