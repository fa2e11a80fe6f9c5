"""Small shared widgets for forms: a field with its inline error, Enter-to-next navigation."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

ERROR_STYLE = "color: #c62828;"
INVALID_BASE = "#fdecea"
FIELD_MIN_WIDTH = 200


class ErrorLabel(QLabel):
    """A red message beside a field; hidden while there is nothing to say.

    With `reserve` (a dialog's message line) its line keeps its room while hidden, so the
    dialog's buttons do not jump when a message appears.
    """

    def __init__(self, parent: QWidget | None = None, *, reserve: bool = False) -> None:
        super().__init__(parent)
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        if reserve:
            policy.setRetainSizeWhenHidden(True)
            self.setMinimumHeight(self.fontMetrics().lineSpacing())
        self.setSizePolicy(policy)
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))


class FieldRow(QWidget):
    """An editor with its error label right below it, to put in a QFormLayout."""

    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.error_label = ErrorLabel(self)
        self._message = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(editor)
        layout.addWidget(self.error_label)
        editor.setMinimumWidth(FIELD_MIN_WIDTH)
        self.setFocusProxy(editor)

    def set_error(self, message: str) -> None:
        if message == self._message:
            return
        self._message = message
        self.error_label.show_message(message)
        palette = QPalette(self.editor.palette())
        base = QApplication.palette(self.editor).color(QPalette.ColorRole.Base)
        palette.setColor(QPalette.ColorRole.Base, QColor(INVALID_BASE) if message else base)
        self.editor.setPalette(palette)

    def error(self) -> str:
        return self._message


class FieldErrors:
    """The inline errors of one form: field name → FieldRow, plus a catch-all label."""

    def __init__(self, rows: Mapping[str, FieldRow], other: ErrorLabel) -> None:
        self.rows = dict(rows)
        self.other = other

    def label(self, name: str) -> ErrorLabel:
        """The red label beside a field ("other" for messages that belong to no field)."""
        return self.rows[name].error_label if name in self.rows else self.other

    def show(
        self,
        errors: Mapping[str, str],
        visible: Callable[[str], bool] = lambda _: True,
    ) -> None:
        """Show each message beside its field; messages of unknown fields go to `other`."""
        for name, row in self.rows.items():
            row.set_error(errors.get(name, "") if visible(name) else "")
        rest = [msg for key, msg in errors.items() if key not in self.rows]
        self.other.show_message("\n".join(rest))


def add_field(form: QFormLayout, label: str, editor: QWidget) -> FieldRow:
    """Add a labelled row whose field carries an inline error label."""
    row = FieldRow(editor)
    caption = QLabel(label)
    # Same height as the editor so that the caption lines up with it, not with the error.
    caption.setFixedHeight(editor.sizeHint().height())
    caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    caption.setBuddy(editor)
    form.addRow(caption, row)
    return row


def is_alive(obj: QObject) -> bool:
    """False once Qt has deleted the C++ object (editingFinished fires during teardown)."""
    return bool(shiboken6.isValid(obj))


def make_form() -> QFormLayout:
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setHorizontalSpacing(10)
    form.setVerticalSpacing(8)
    return form


def line_edit(text: str = "", placeholder: str = "", max_length: int = 64) -> QLineEdit:
    edit = QLineEdit(text)
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(max_length)
    edit.setClearButtonEnabled(False)
    return edit


def select_data(combo: QComboBox, value: object) -> None:
    """Select the item whose user data is `value` (first item when none matches)."""
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


def _is_plain_enter(event: QEvent) -> bool:
    return (
        event.type() == QEvent.Type.KeyPress
        and isinstance(event, QKeyEvent)
        and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    )


class EnterNavigator(QObject):
    """Enter in a field moves to the next field; Enter in the last one calls `on_last`.

    Without this, QDialog would press its default button on Enter in any line edit.
    """

    def __init__(
        self, editors: Sequence[QWidget], on_last: Callable[[], None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._editors = list(editors)
        self._on_last = on_last
        for editor in self._editors:
            editor.installEventFilter(self)
            inner = editor.lineEdit() if isinstance(editor, QComboBox) else None
            if inner is not None:
                inner.installEventFilter(self)

    def _owner(self, watched: QObject) -> QWidget | None:
        for editor in self._editors:
            if watched is editor or (
                isinstance(editor, QComboBox) and watched is editor.lineEdit()
            ):
                return editor
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        editor = self._owner(watched) if _is_plain_enter(event) else None
        if editor is None:
            return False
        if isinstance(editor, QComboBox) and editor.view().isVisible():
            return False  # Enter picks the item in an open popup
        index = self._editors.index(editor)
        for following in self._editors[index + 1 :]:
            if following.isEnabled():
                following.setFocus(Qt.FocusReason.TabFocusReason)
                return True
        self._on_last()
        return True
