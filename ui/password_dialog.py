"""Change one's own password, or (for an administrator) set someone else's."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from app.errors import AppError
from ui.widgets import ErrorLabel, add_field, line_edit, make_form


def _secret() -> QLineEdit:
    edit = line_edit(max_length=128)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class PasswordDialog(QDialog):
    """New password twice (and the old one when changing one's own); calls `save`."""

    def __init__(
        self,
        title: str,
        save: Callable[[str, str], None],
        *,
        ask_old: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle(title)
        self.setMinimumWidth(360)
        layout = QVBoxLayout(self)
        form = make_form()
        self.old = _secret()
        if ask_old:
            add_field(form, self.tr("原密码"), self.old)
        self.new = _secret()
        add_field(form, self.tr("新密码"), self.new)
        self.again = _secret()
        add_field(form, self.tr("再输入一次"), self.again)
        layout.addLayout(form)
        self.message = ErrorLabel(self, reserve=True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.old if ask_old else self.new).setFocus()

    def _on_buttons_accepted(self) -> None:
        if self.new.text() != self.again.text():
            self.message.show_message(self.tr("两次输入的新密码不一致"))
            return
        try:
            self._save(self.old.text(), self.new.text())
        except AppError as exc:
            self.message.show_message(exc.message)
            return
        self.accept()
