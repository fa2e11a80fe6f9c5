"""Answer entry: scan a questionnaire's QR code (a USB scanner types it into the focused
field and presses Enter) or choose the household, then key the answers: digits pick, Enter
moves on, Enter after the last question saves. A second entry edits the first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractListModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.services import Services
from app.surveys.dto import (
    CHANNELS,
    OUTCOME_LABELS,
    OUTCOMES,
    AnswerValue,
    HouseholdRef,
    ResponseInput,
    SurveyDetail,
)
from app.surveys.errors import ResponseInvalid
from ui import dialogs
from ui.surveys.questions import QuestionWidget, make_question
from ui.widgets import ErrorLabel

SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1  # a household's text for the chooser's filter
ID_ROLE = Qt.ItemDataRole.UserRole  # what QComboBox.addItem(text, data) would store


@dataclass(frozen=True)
class EntryData:
    """What the entry tab shows of one survey, read in one go (on a worker thread): the
    survey and the households of its scope, with their labels and search texts made."""

    survey: SurveyDetail | None
    homes: list[HouseholdRef] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    search: list[str] = field(default_factory=list)


def load_entry(services: Services, survey_id: int | None) -> EntryData:
    if survey_id is None:
        return EntryData(None)
    survey = services.surveys.get_survey(survey_id)
    homes = services.survey_entry.households(survey_id)
    return EntryData(survey, homes, [h.label for h in homes], [h.search_text for h in homes])


class HomesModel(QAbstractListModel):
    """The chooser's households: one model reset for thousands of them (a QComboBox's
    addItem one by one takes a tenth of a second for a compound of 3,000)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data = EntryData(None)

    def set_data(self, data: EntryData) -> None:
        self.beginResetModel()
        self._data = data
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._data.homes)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._data.homes):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._data.labels[row]
        if role == ID_ROLE:
            return self._data.homes[row].id
        if role == SEARCH_ROLE:
            return self._data.search[row]
        return None


class EntryForm(QWidget):
    """The entry tab of one survey."""

    saved = Signal(int)  # household id

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.survey: SurveyDetail | None = None
        self.household: HouseholdRef | None = None
        self.homes: list[HouseholdRef] = []
        self.questions: list[QuestionWidget] = []
        self.loading = False  # the page reads the survey in the background
        self.scan_edit = QLineEdit(self)
        self.scan_edit.setPlaceholderText(
            self.tr("扫描问卷二维码，或输入“楼号-单元-房号”（如 3-1-101）后按回车")
        )
        self.scan_edit.setClearButtonEnabled(True)
        self.scan_edit.returnPressed.connect(self._on_scan_edit_return_pressed)
        self.home_combo = QComboBox(self)
        self.home_combo.setMinimumWidth(260)
        self.homes_model = HomesModel(self.home_combo)
        self.home_combo.setModel(self.homes_model)
        # Not the widest of thousands of labels, measured on every survey shown.
        self.home_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.home_combo.setMinimumContentsLength(24)
        self._make_searchable(self.home_combo)
        self.home_combo.activated.connect(self._on_home_combo_activated)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.household_label = QLabel(self.tr("请先扫码或选择住户"), self)
        self.household_label.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.state_label = QLabel(self)
        self.collector_edit = QLineEdit(self)
        self.date_edit = QDateEdit(QDate.currentDate(), self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(QDate.currentDate())
        self.channel_combo = QComboBox(self)
        self.channel_combo.addItems(list(CHANNELS))
        self.outcome_combo = QComboBox(self)
        for code in OUTCOMES:
            self.outcome_combo.addItem(self.tr(OUTCOME_LABELS[code]), code)
        self.outcome_combo.currentIndexChanged.connect(self._on_outcome_combo_changed)
        self.error_label = ErrorLabel(self)
        self.save_button = QPushButton(self.tr("保存答卷 (Ctrl+S)"), self)
        self.save_button.clicked.connect(self.save)
        self.save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        self.save_shortcut.activated.connect(self.save)
        self.questions_box = QWidget(self)
        self.questions_layout = QVBoxLayout(self.questions_box)
        self.questions_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.questions_box)
        self.scroll_area = scroll
        self._layout(scroll)
        self._set_editing(False)

    def _make_searchable(self, combo: QComboBox) -> None:
        """Typing filters the households: any part of the name, room (3-1-101) or pinyin."""
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = combo.lineEdit()
        assert line is not None
        line.setPlaceholderText(self.tr("输入户主姓名、拼音首字母或房号"))
        completer = QCompleter(combo.model(), combo)
        completer.setCompletionRole(SEARCH_ROLE)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(12)
        combo.setCompleter(completer)

    def _layout(self, scroll: QScrollArea) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("扫码/房号："), self))
        top.addWidget(self.scan_edit, 2)
        top.addWidget(QLabel(self.tr("或选择住户："), self))
        top.addWidget(self.home_combo, 1)
        visit = QFormLayout()
        visit.addRow(self.tr("调查人"), self.collector_edit)
        visit.addRow(self.tr("调查日期"), self.date_edit)
        visit.addRow(self.tr("调查方式"), self.channel_combo)
        visit.addRow(self.tr("走访结果"), self.outcome_combo)
        head = QHBoxLayout()
        who = QVBoxLayout()
        who.addWidget(self.household_label)
        who.addWidget(self.state_label)
        who.addStretch(1)
        head.addLayout(who, 1)
        head.addLayout(visit)
        bottom = QHBoxLayout()
        bottom.addWidget(self.error_label, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)

    # -- loading ---------------------------------------------------------------------------

    def set_survey(self, survey_id: int | None) -> None:
        """Show the entry form of a survey (None: nothing selected), read at once (the page
        reads in the background and calls `show_loaded`)."""
        self.show_loaded(load_entry(self._services, survey_id))

    def show_busy(self) -> None:
        """The survey is being read: no questions, no households, nothing to enter."""
        self.loading = True
        self.show_loaded(EntryData(None))
        self.loading = True
        self.banner.setText(self.tr("正在载入……"))

    def show_failed(self, message: str) -> None:
        self.loading = False
        self.banner.setText(message)

    def show_loaded(self, data: EntryData) -> None:
        self.loading = False
        for w in self.questions:
            self.questions_layout.removeWidget(w)
            w.hide()  # gone from the form now; Qt deletes it when the event loop runs
            w.deleteLater()
        self.questions = []
        self.household = None
        self.survey = data.survey
        self.homes = data.homes
        self.homes_model.set_data(data)
        self.home_combo.setCurrentIndex(-1)
        for q in self.survey.questions if self.survey else ():
            w = make_question(q, self.questions_box)
            w.advance.connect(lambda w=w: self._on_question_advance(w))
            self.questions_layout.insertWidget(self.questions_layout.count() - 1, w)
            w.show()  # at once, so that focus can move to it before the next event loop pass
            self.questions.append(w)
        is_open = self.survey is not None and self.survey.status == "open"
        if self.survey is None:
            self.banner.setText(self.tr("请在左侧选择一项调查。"))
        elif not is_open:
            self.banner.setText(
                self.tr("该调查不在进行中（草稿或已结束），只能查看，不能录入答卷。")
            )
        else:
            self.banner.setText(
                self.tr("数字键选择选项，0 清除，回车进入下一题；最后一题回车即保存。")
            )
        self.scan_edit.setEnabled(is_open)
        self.home_combo.setEnabled(bool(self.survey))
        self._clear_household()

    def _clear_household(self) -> None:
        self.household = None
        self.household_label.setText(self.tr("请先扫码或选择住户"))
        self.state_label.clear()
        for w in self.questions:
            w.set_value(None)
            w.show_error("")
        self.error_label.show_message("")
        self._set_editing(False)

    def _set_editing(self, on: bool) -> None:
        can = on and self.survey is not None and self.survey.status == "open"
        for w in (self.collector_edit, self.date_edit, self.channel_combo, self.outcome_combo):
            w.setEnabled(can)
        self.save_button.setEnabled(can)
        self._enable_questions()

    def _enable_questions(self) -> None:
        answering = self.save_button.isEnabled() and self.outcome() == "answered"
        for w in self.questions:
            w.setEnabled(answering)

    def outcome(self) -> str:
        return str(self.outcome_combo.currentData() or "answered")

    def open_household(self, home: HouseholdRef) -> None:
        """Load a household's sheet (empty, or what was entered before)."""
        assert self.survey is not None
        self._clear_household()
        self.household = home
        self.household_label.setText(home.label)
        index = self.home_combo.findData(home.id)
        self.home_combo.setCurrentIndex(index)
        sheet = self._services.survey_entry.response(self.survey.id, home.id)
        if sheet is None:
            self.state_label.setText(self.tr("新答卷"))
            self.outcome_combo.setCurrentIndex(0)
        else:
            self.state_label.setText(
                self.tr("已录入（{0}，{1}）：再次保存将修改原答卷").format(
                    self.tr(OUTCOME_LABELS[sheet.data.outcome]), sheet.data.collected_by or "—"
                )
            )
            self.outcome_combo.setCurrentIndex(OUTCOMES.index(sheet.data.outcome))
            self.channel_combo.setCurrentText(sheet.data.channel)
            self.collector_edit.setText(sheet.data.collected_by)
            d = sheet.data.collected_on
            self.date_edit.setDate(QDate(d.year, d.month, d.day))
            for w in self.questions:
                w.set_value(sheet.data.answers.get(w.question.id))
        self._set_editing(True)
        self._focus_first()

    def _focus_first(self) -> None:
        if self.outcome() == "answered" and self.questions:
            self.questions[0].setFocus()
            self.scroll_area.ensureWidgetVisible(self.questions[0])
        else:
            self.save_button.setFocus()

    # -- slots -----------------------------------------------------------------------------

    def _on_scan_edit_return_pressed(self) -> None:
        if self.survey is None:
            return
        text = self.scan_edit.text()
        if not text.strip():
            return
        try:
            home = self._services.survey_entry.locate(self.survey.id, text)
        except AppError as exc:
            self.error_label.show_message(exc.message)
            self.scan_edit.selectAll()
            return
        self.scan_edit.clear()
        self.open_household(home)

    def _on_home_combo_activated(self, index: int) -> None:
        if 0 <= index < len(self.homes) and self.survey is not None:
            if self.survey.status == "open":
                self.open_household(self.homes[index])
            else:
                self.household_label.setText(self.homes[index].label)

    def _on_outcome_combo_changed(self, _index: int) -> None:
        self._enable_questions()

    def _on_question_advance(self, w: QuestionWidget) -> None:
        i = self.questions.index(w)
        if i + 1 < len(self.questions):
            nxt = self.questions[i + 1]
            nxt.setFocus()
            self.scroll_area.ensureWidgetVisible(nxt)
        else:
            self.save()

    # -- saving ----------------------------------------------------------------------------

    def sheet(self) -> ResponseInput:
        assert self.survey is not None and self.household is not None
        answers: dict[int, AnswerValue] = {}
        for w in self.questions:
            value = w.value()
            if value is not None:
                answers[w.question.id] = value
        d = self.date_edit.date()
        return ResponseInput(
            survey_id=self.survey.id,
            household_id=self.household.id,
            outcome=self.outcome(),
            channel=self.channel_combo.currentText(),
            collected_by=self.collector_edit.text(),
            collected_on=dt.date(d.year(), d.month(), d.day()),
            answers=answers if self.outcome() == "answered" else {},
        )

    def save(self) -> None:
        if self.household is None or not self.save_button.isEnabled():
            return
        home = self.household
        try:
            result = self._services.survey_entry.save(self.sheet())
        except ResponseInvalid as exc:
            self._show_errors(exc.errors)
            return
        except AppError as exc:
            dialogs.error(self, exc.message)
            return
        done = self.tr("已保存") if result.created else self.tr("已修改原答卷")
        collector, channel, date = (
            self.collector_edit.text(),
            self.channel_combo.currentText(),
            self.date_edit.date(),
        )
        self._clear_household()
        # The next sheet is usually the same collector, channel and day.
        self.collector_edit.setText(collector)
        self.channel_combo.setCurrentText(channel)
        self.date_edit.setDate(date)
        self.state_label.setText(f"{done}：{home.label}")
        self.saved.emit(home.id)
        self.scan_edit.setFocus()

    def _show_errors(self, errors: dict[str, str]) -> None:
        first: QWidget | None = None
        for w in self.questions:
            message = errors.get(f"q{w.question.id}", "")
            w.show_error(message.split("：", 1)[-1])
            if message and first is None:
                first = w
        others = [m for k, m in errors.items() if not k.startswith("q")]
        self.error_label.show_message("；".join(others) or self.tr("请补全标红的题目"))
        if first is not None:
            first.setFocus()
            self.scroll_area.ensureWidgetVisible(first)
