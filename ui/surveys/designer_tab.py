"""The survey designer: title, introduction, scope (compounds or single buildings) and the
questions (kind, text, required, options, order). Questions lock once answers exist."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.registry.dto import BuildingRow, CompoundRow
from app.services import Services
from app.surveys.dto import (
    KIND_LABELS,
    QUESTION_KINDS,
    QuestionInput,
    ScopeItem,
    SurveyDetail,
    SurveyInput,
)
from app.surveys.errors import SurveyInvalid
from ui import dialogs
from ui.widgets import ErrorLabel

ID_ROLE = Qt.ItemDataRole.UserRole + 1
FILLED_ROLE = Qt.ItemDataRole.UserRole + 2  # a compound row whose buildings are added


@dataclass(frozen=True)
class DesignerData:
    """What the designer shows of one survey, read in one go (on a worker thread)."""

    detail: SurveyDetail
    compounds: list[CompoundRow]
    buildings: dict[int, list[BuildingRow]] = field(default_factory=dict)  # partly chosen


def load_designer(services: Services, survey_id: int) -> DesignerData:
    """The survey, the compounds for the scope tree (their household counts take a while on
    a district) and the buildings of the compounds only partly in the scope."""
    detail = services.surveys.get_survey(survey_id)
    partly = {i.compound_id for i in detail.data.scope if i.building_id is not None}
    return DesignerData(
        detail,
        services.compounds.list_compounds(),
        {cid: services.compounds.list_buildings(cid) for cid in sorted(partly)},
    )


class DesignerTab(QWidget):
    """Edits one survey; `saved` carries its id after a successful save."""

    saved = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.survey_id: int | None = None
        self.locked = False
        self.questions: list[QuestionInput] = []
        self._loading = False
        self.loading = False  # the page reads the survey in the background
        self._scope_parts: set[int | None] = set()  # buildings in the scope shown
        self.title_edit = QLineEdit(self)
        self.intro_edit = QPlainTextEdit(self)
        self.intro_edit.setMaximumHeight(70)
        self.scope_tree = QTreeWidget(self)
        self.scope_tree.setHeaderLabels([self.tr("调查范围（勾选楼院或楼栋）"), self.tr("住户")])
        self.scope_tree.setColumnWidth(0, 220)
        self.scope_tree.itemExpanded.connect(self._on_scope_tree_item_expanded)
        self.question_list = QListWidget(self)
        self.question_list.currentRowChanged.connect(self._on_question_list_row_changed)
        self.add_button = QPushButton(self.tr("添加题目"), self)
        self.remove_button = QPushButton(self.tr("删除"), self)
        self.up_button = QPushButton(self.tr("上移"), self)
        self.down_button = QPushButton(self.tr("下移"), self)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.kind_combo = QComboBox(self)
        for kind in QUESTION_KINDS:
            self.kind_combo.addItem(self.tr(KIND_LABELS[kind]), kind)
        self.text_edit = QLineEdit(self)
        self.required_check = QCheckBox(self.tr("必答"), self)
        self.options_edit = QPlainTextEdit(self)
        self.options_edit.setPlaceholderText(self.tr("每行一个选项（单选、多选题用，最多 9 个）"))
        for signal in (
            self.kind_combo.currentIndexChanged,
            self.text_edit.textEdited,
            self.required_check.toggled,
            self.options_edit.textChanged,
        ):
            signal.connect(self._on_question_edited)
        self.lock_label = QLabel(self)
        self.lock_label.setStyleSheet("color: #a15c00;")
        self.lock_label.setWordWrap(True)
        self.error_label = ErrorLabel(self)
        self.save_button = QPushButton(self.tr("保存问卷"), self)
        self.save_button.clicked.connect(self.save)
        self._layout()
        self.setEnabled(False)

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("标题"), self.title_edit)
        form.addRow(self.tr("说明"), self.intro_edit)
        move = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            move.addWidget(b)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.question_list, 1)
        ll.addLayout(move)
        editor = QWidget(self)
        el = QFormLayout(editor)
        el.addRow(self.tr("题型"), self.kind_combo)
        el.addRow(self.tr("题目"), self.text_edit)
        el.addRow("", self.required_check)
        el.addRow(self.tr("选项"), self.options_edit)
        split = QSplitter(self)
        split.addWidget(self.scope_tree)
        split.addWidget(left)
        split.addWidget(editor)
        split.setSizes([260, 360, 360])
        bottom = QHBoxLayout()
        bottom.addWidget(self.error_label, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.lock_label)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)

    # -- loading ---------------------------------------------------------------------------

    def set_survey(self, survey_id: int | None) -> None:
        """Read and show a survey at once (the page reads in the background and calls
        `show_loaded`)."""
        data = load_designer(self._services, survey_id) if survey_id is not None else None
        self.show_loaded(survey_id, data)

    def show_busy(self, survey_id: int | None) -> None:
        """The survey is being read: nothing of the one before stays, nothing can be
        edited or saved until `show_loaded`."""
        self.loading = True
        self.survey_id = survey_id
        self.setEnabled(False)
        self.error_label.show_message("")
        self._fill(SurveyInput(""), locked=False, compounds=[])
        self.lock_label.setText(self.tr("正在载入……"))

    def show_loaded(self, survey_id: int | None, data: DesignerData | None) -> None:
        self.loading = False
        self.survey_id = survey_id
        self.setEnabled(survey_id is not None)
        self.error_label.show_message("")
        if survey_id is None or data is None:
            self._fill(SurveyInput(""), locked=False, compounds=[])
            return
        detail = data.detail
        self._fill(
            detail.data,
            locked=detail.questions_locked,
            compounds=data.compounds,
            buildings=data.buildings,
        )
        if detail.questions_locked:
            self.lock_label.setText(
                self.tr("已录入 {0} 份答卷，题目已锁定；标题、说明和范围仍可修改。").format(
                    detail.answered
                )
            )

    def show_failed(self, message: str) -> None:
        """The survey could not be read: say so; nothing can be saved."""
        self.loading = False
        self.setEnabled(False)
        self.lock_label.setText(message)

    def _fill(
        self,
        data: SurveyInput,
        *,
        locked: bool,
        compounds: list[CompoundRow] | None = None,
        buildings: dict[int, list[BuildingRow]] | None = None,
    ) -> None:
        self._loading = True
        self.locked = locked
        self.lock_label.setText("")
        self.title_edit.setText(data.title)
        self.intro_edit.setPlainText(data.intro)
        self._fill_scope(data.scope, compounds, buildings)
        self.questions = list(data.questions)
        self._fill_questions(0)
        editors: tuple[QWidget, ...] = (
            self.add_button,
            self.remove_button,
            self.up_button,
            self.down_button,
            self.kind_combo,
            self.text_edit,
            self.required_check,
            self.options_edit,
        )
        for w in editors:
            w.setEnabled(not locked)
        self._loading = False

    def _fill_scope(
        self,
        scope: tuple[ScopeItem, ...],
        compounds: list[CompoundRow] | None = None,
        buildings: dict[int, list[BuildingRow]] | None = None,
    ) -> None:
        """One row per compound; its buildings are added when it is opened (a district
        has ~10,000 buildings: filling them all would block the window for seconds).
        A compound with only some buildings in the scope shows them at once.
        `compounds` and `buildings` are what `load_designer` read (read here if not given)."""
        self.scope_tree.clear()
        whole = {i.compound_id for i in scope if i.building_id is None}
        parts: set[int | None] = {i.building_id for i in scope if i.building_id is not None}
        partly = {i.compound_id for i in scope if i.building_id is not None}
        self._scope_parts = parts
        if compounds is None:
            compounds = self._services.compounds.list_compounds()
        for c in compounds:
            top = QTreeWidgetItem(self.scope_tree, [c.name, str(c.households)])
            top.setData(0, ID_ROLE, c.id)
            top.setFlags(
                top.flags() | Qt.ItemFlag.ItemIsAutoTristate | Qt.ItemFlag.ItemIsUserCheckable
            )
            top.setCheckState(
                0, Qt.CheckState.Checked if c.id in whole else Qt.CheckState.Unchecked
            )
            if c.buildings:
                top.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            if c.id in partly:
                self._add_buildings(top, (buildings or {}).get(c.id))
                top.setExpanded(True)

    def _add_buildings(self, top: QTreeWidgetItem, rows: list[BuildingRow] | None = None) -> None:
        """The compound's buildings, checked as the compound is (or as the scope says)."""
        if top.data(0, FILLED_ROLE):
            return
        top.setData(0, FILLED_ROLE, True)
        cid = int(top.data(0, ID_ROLE))
        whole = top.checkState(0) == Qt.CheckState.Checked
        parts: set[int | None] = self._scope_parts
        if rows is None:
            rows = self._services.compounds.list_buildings(cid)
        children = []
        for b in rows:
            child = QTreeWidgetItem([self.tr("{0}号楼").format(b.name), str(b.households)])
            child.setData(0, ID_ROLE, b.id)
            child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            on = whole or b.id in parts
            child.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            children.append(child)
        top.addChildren(children)

    def _on_scope_tree_item_expanded(self, item: QTreeWidgetItem) -> None:
        if item.parent() is None:
            self._add_buildings(item)

    def _fill_questions(self, current: int) -> None:
        self.question_list.blockSignals(True)
        self.question_list.clear()
        for n, q in enumerate(self.questions, start=1):
            mark = "" if q.required else self.tr("（选答）")
            self.question_list.addItem(f"{n}. [{self.tr(KIND_LABELS[q.kind])}] {q.text}{mark}")
        self.question_list.blockSignals(False)
        self.question_list.setCurrentRow(min(current, len(self.questions) - 1))
        self._show_question()

    def _show_question(self) -> None:
        row = self.question_list.currentRow()
        q = self.questions[row] if 0 <= row < len(self.questions) else None
        loading, self._loading = self._loading, True
        self.kind_combo.setCurrentIndex(QUESTION_KINDS.index(q.kind) if q else 0)
        self.text_edit.setText(q.text if q else "")
        self.required_check.setChecked(q.required if q else True)
        self.options_edit.setPlainText("\n".join(q.options) if q else "")
        self.options_edit.setEnabled(
            not self.locked and q is not None and q.kind in ("single", "multiple")
        )
        self._loading = loading

    # -- editing ---------------------------------------------------------------------------

    def scope(self) -> tuple[ScopeItem, ...]:
        items: list[ScopeItem] = []
        for i in range(self.scope_tree.topLevelItemCount()):
            top = self.scope_tree.topLevelItem(i)
            assert top is not None
            cid = int(top.data(0, ID_ROLE))
            if top.checkState(0) == Qt.CheckState.Checked:
                items.append(ScopeItem(cid))
                continue
            for j in range(top.childCount()):
                child = top.child(j)
                if child is not None and child.checkState(0) == Qt.CheckState.Checked:
                    items.append(ScopeItem(cid, int(child.data(0, ID_ROLE))))
        return tuple(items)

    def data(self) -> SurveyInput:
        return SurveyInput(
            self.title_edit.text(),
            self.intro_edit.toPlainText(),
            self.scope(),
            tuple(self.questions),
        )

    def _on_question_list_row_changed(self, _row: int) -> None:
        self._show_question()

    def _on_question_edited(self, *_args: object) -> None:
        row = self.question_list.currentRow()
        if self._loading or not 0 <= row < len(self.questions):
            return
        kind = str(self.kind_combo.currentData())
        choice = kind in ("single", "multiple")
        options = tuple(o.strip() for o in self.options_edit.toPlainText().split("\n") if o.strip())
        self.options_edit.setEnabled(choice)
        q = QuestionInput(
            kind, self.text_edit.text(), self.required_check.isChecked(), options if choice else ()
        )
        self.questions[row] = q
        mark = "" if q.required else self.tr("（选答）")
        item = self.question_list.item(row)
        item.setText(f"{row + 1}. [{self.tr(KIND_LABELS[q.kind])}] {q.text}{mark}")

    def _on_add_button_clicked(self) -> None:
        self.questions.append(QuestionInput("satisfaction5", self.tr("新题目")))
        self._fill_questions(len(self.questions) - 1)
        self.text_edit.setFocus()
        self.text_edit.selectAll()

    def _on_remove_button_clicked(self) -> None:
        row = self.question_list.currentRow()
        if 0 <= row < len(self.questions):
            del self.questions[row]
            self._fill_questions(row)

    def _move(self, step: int) -> None:
        row = self.question_list.currentRow()
        to = row + step
        if 0 <= row < len(self.questions) and 0 <= to < len(self.questions):
            self.questions[row], self.questions[to] = self.questions[to], self.questions[row]
            self._fill_questions(to)

    def save(self) -> None:
        if self.survey_id is None:
            return
        try:
            self._services.surveys.update_survey(self.survey_id, self.data())
        except SurveyInvalid as exc:
            self.error_label.show_message(exc.message)
            return
        except AppError as exc:
            self.error_label.show_message(exc.message)
            dialogs.error(self, exc.message)
            return
        self.error_label.show_message("")
        self.saved.emit(self.survey_id)
