"""One answer widget per question kind, all driven from the keyboard: digits pick options,
0 or Backspace clears, Enter moves on to the next question."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.surveys.dto import AnswerValue, QuestionRow
from app.surveys.entry import parse_number
from ui.widgets import ErrorLabel

FOCUS_STYLE = "QFrame#question { border: 2px solid palette(highlight); border-radius: 4px; }"
IDLE_STYLE = "QFrame#question { border: 2px solid transparent; }"
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class QuestionWidget(QFrame):
    """Base: the question's title, its editor and an inline error."""

    advance = Signal()

    def __init__(self, question: QuestionRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.setObjectName("question")
        self.setStyleSheet(IDLE_STYLE)
        mark = "" if question.data.required else self.tr("（选答）")
        self.title = QLabel(f"{question.number}. {question.data.text}{mark}", self)
        self.title.setWordWrap(True)
        self.error = ErrorLabel(self)
        self.body = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addLayout(self.body)
        layout.addWidget(self.error)

    def value(self) -> AnswerValue | None:
        raise NotImplementedError

    def set_value(self, value: AnswerValue | None) -> None:
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        self.error.show_message(message)

    def highlight(self, on: bool) -> None:
        self.setStyleSheet(FOCUS_STYLE if on else IDLE_STYLE)


class ChoiceQuestion(QuestionWidget):
    """Single, multiple, satisfaction and yes/no: the options as numbered buttons."""

    def __init__(self, question: QuestionRow, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.multiple = question.data.kind == "multiple"
        self.buttons: list[QAbstractButton] = []
        for n, label in enumerate(question.choices, start=1):
            kind = QCheckBox if self.multiple else QRadioButton
            button = kind(f"{n} {label}", self)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoExclusive(False)
            button.clicked.connect(lambda _c=False, i=n - 1: self._pick(i, from_click=True))
            self.buttons.append(button)
            self.body.addWidget(button)
        self.body.addStretch(1)

    def _pick(self, index: int, *, from_click: bool = False) -> None:
        self.show_error("")
        if self.multiple:
            if not from_click:
                self.buttons[index].setChecked(not self.buttons[index].isChecked())
            return
        for i, b in enumerate(self.buttons):
            b.setChecked(i == index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9 and key - Qt.Key.Key_1 < len(self.buttons):
            self._pick(key - Qt.Key.Key_1)
        elif key in (Qt.Key.Key_0, Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.set_value(None)
        elif key in ENTER_KEYS:
            self.advance.emit()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.highlight(True)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.highlight(False)
        super().focusOutEvent(event)

    def value(self) -> AnswerValue | None:
        picked = tuple(i for i, b in enumerate(self.buttons) if b.isChecked())
        return AnswerValue(picked) if picked else None

    def set_value(self, value: AnswerValue | None) -> None:
        chosen = set(value.choices) if value else set()
        for i, b in enumerate(self.buttons):
            b.setChecked(i in chosen)


class LineQuestion(QuestionWidget):
    """Number and free text: a line editor; Enter moves on."""

    def __init__(self, question: QuestionRow, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.edit = QLineEdit(self)
        self.number = question.data.kind == "number"
        self.edit.setPlaceholderText(self.tr("填数字") if self.number else self.tr("填写意见"))
        if self.number:
            self.edit.setMaximumWidth(160)
        self.setFocusProxy(self.edit)
        self.edit.returnPressed.connect(self.advance.emit)
        self.edit.textEdited.connect(lambda _t: self.show_error(""))
        self.body.addWidget(self.edit)
        if self.number:
            self.body.addStretch(1)

    def value(self) -> AnswerValue | None:
        text = self.edit.text().strip()
        if not text:
            return None
        if not self.number:
            return AnswerValue(text=text)
        try:
            return AnswerValue(number=parse_number(text))
        except ValueError as exc:
            self.show_error(str(exc))
            return AnswerValue(text=text)  # rejected by the service as "请填写数字"

    def set_value(self, value: AnswerValue | None) -> None:
        if value is None:
            self.edit.clear()
        elif self.number and value.number is not None:
            self.edit.setText(_plain(value.number))
        else:
            self.edit.setText(value.text)


def _plain(number: Decimal) -> str:
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def make_question(question: QuestionRow, parent: QWidget | None = None) -> QuestionWidget:
    if question.data.kind in ("number", "text"):
        return LineQuestion(question, parent)
    return ChoiceQuestion(question, parent)
