"""居民信息: add or edit one resident of a household (kept in memory until the household saves)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.registry.dto import RESIDENT_TAGS, ResidentInput
from app.registry.households import resident_errors
from app.registry.validation import FieldError, birth_date_of, clean_id_number, gender_of
from ui import dialogs
from ui.widgets import (
    EnterNavigator,
    ErrorLabel,
    FieldErrors,
    add_field,
    is_alive,
    line_edit,
    make_form,
)

RELATIONS = ("本人", "配偶", "子女", "父母", "孙子女", "兄弟姐妹", "租户", "其他")
GENDERS = ("", "男", "女")


class ResidentDialog(QDialog):
    """One resident: name, ID number (gender and birth date derived live), phone, relation, tags."""

    def __init__(
        self, resident: ResidentInput | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._original = resident or ResidentInput(name="")
        self._touched: set[str] = set() if resident is None else {"*"}
        self.setWindowTitle(self.tr("居民信息") if resident else self.tr("添加居民"))
        self._build()
        self._load(self._original)
        self._connect()
        self._on_id_edit_text_changed(self.id_edit.text())
        self._validate()

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.name_edit = line_edit(placeholder=self.tr("如 张三"), max_length=32)
        self.id_edit = line_edit(placeholder=self.tr("18位身份证号，可不填"), max_length=22)
        self.gender_combo = QComboBox()
        self.gender_combo.addItems([g or self.tr("未填") for g in GENDERS])
        self.birth_label = QLabel()
        self.phone_edit = line_edit(placeholder=self.tr("手机或固话，可不填"), max_length=20)
        self.relation_combo = QComboBox()
        self.relation_combo.setEditable(True)
        self.relation_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.relation_combo.addItems([self.tr(r) for r in RELATIONS])
        self.tag_boxes = {tag: QCheckBox(self.tr(tag)) for tag in RESIDENT_TAGS}

        form = make_form()
        rows = {
            "name": add_field(form, self.tr("姓名"), self.name_edit),
            "id_number": add_field(form, self.tr("身份证号"), self.id_edit),
            "gender": add_field(form, self.tr("性别"), self.gender_combo),
        }
        form.addRow(self.tr("出生日期"), self.birth_label)
        rows["phone"] = add_field(form, self.tr("联系电话"), self.phone_edit)
        rows["relation"] = add_field(form, self.tr("与户主关系"), self.relation_combo)
        person = QGroupBox(self.tr("基本信息"))
        person.setLayout(form)

        tags = QGroupBox(self.tr("标签"))
        grid = QGridLayout(tags)
        for n, box in enumerate(self.tag_boxes.values()):
            grid.addWidget(box, n // 4, n % 4)

        self.other_error = ErrorLabel(reserve=True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))

        layout = QVBoxLayout(self)
        layout.addWidget(person)
        layout.addWidget(tags)
        layout.addWidget(self.other_error)
        layout.addWidget(self.buttons)
        self._errors = FieldErrors(rows, self.other_error)
        self.setMinimumWidth(440)

        order: list[QWidget] = [
            self.name_edit,
            self.id_edit,
            self.gender_combo,
            self.phone_edit,
            self.relation_combo,
            *self.tag_boxes.values(),
            self.ok_button,
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel),
        ]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self._navigator = EnterNavigator(
            [self.name_edit, self.id_edit, self.gender_combo, self.phone_edit, self.relation_combo],
            self._on_ok_clicked,
            self,
        )

    def _load(self, r: ResidentInput) -> None:
        self.name_edit.setText(r.name)
        self.id_edit.setText(r.id_number)
        self.gender_combo.setCurrentIndex(GENDERS.index(r.gender) if r.gender in GENDERS else 0)
        self.phone_edit.setText(r.phone)
        self.relation_combo.setEditText(r.relation)
        for tag, box in self.tag_boxes.items():
            box.setChecked(tag in r.tags)

    def _connect(self) -> None:
        for key, edit in (
            ("name", self.name_edit),
            ("id_number", self.id_edit),
            ("phone", self.phone_edit),
        ):
            edit.textEdited.connect(lambda _t, k=key: self._on_field_edited(k))
            edit.editingFinished.connect(lambda k=key: self._on_field_edited(k))
        self.id_edit.textChanged.connect(self._on_id_edit_text_changed)
        self.gender_combo.currentIndexChanged.connect(lambda _i: self._on_field_edited("gender"))
        self.relation_combo.editTextChanged.connect(lambda _t: self._on_field_edited("relation"))
        for box in self.tag_boxes.values():
            box.toggled.connect(lambda _c: self._validate())
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)

    # -- values ----------------------------------------------------------------------------

    def value(self) -> ResidentInput:
        """The resident as entered; gender comes from the ID number when it is valid."""
        id_number = self.id_edit.text().strip()
        derived = self._derived_gender(id_number)
        return ResidentInput(
            id=self._original.id,
            name=self.name_edit.text().strip(),
            id_number=id_number,
            gender=derived or GENDERS[self.gender_combo.currentIndex()],
            phone=self.phone_edit.text().strip(),
            relation=self.relation_combo.currentText().strip(),
            tags=tuple(t for t, box in self.tag_boxes.items() if box.isChecked()),
        )

    @staticmethod
    def _derived_gender(id_number: str) -> str:
        try:
            return gender_of(clean_id_number(id_number))
        except FieldError:
            return ""

    def error_label(self, field: str) -> ErrorLabel:
        """The inline message label of a field, as the clerk sees it."""
        return self._errors.label(field)

    def is_changed(self) -> bool:
        return self.value() != self._original

    # -- slots -----------------------------------------------------------------------------

    def _on_field_edited(self, key: str) -> None:
        if not is_alive(self.ok_button):
            return
        self._touched.add(key)
        self._validate()

    def _on_id_edit_text_changed(self, text: str) -> None:
        try:
            id_number = clean_id_number(text)
        except FieldError:
            self.birth_label.setText(self.tr("（由身份证号自动识别）"))
            self.birth_label.setStyleSheet("color: #777;")
            self.gender_combo.setEnabled(True)
            return
        birth = birth_date_of(id_number)
        self.birth_label.setText(birth.isoformat() if birth else "")
        self.birth_label.setStyleSheet("")
        self.gender_combo.setCurrentIndex(GENDERS.index(gender_of(id_number)))
        self.gender_combo.setEnabled(False)

    def _validate(self) -> bool:
        errors = resident_errors(self.value())
        self._errors.show(errors, lambda k: "*" in self._touched or k in self._touched)
        self.ok_button.setEnabled(not errors)
        return not errors

    def _on_ok_clicked(self) -> None:
        self._touched.add("*")
        if self._validate():
            self.accept()

    def reject(self) -> None:
        if self.is_changed() and not dialogs.confirm(
            self, self.tr("放弃修改"), self.tr("所做的修改尚未保存，确定放弃吗？")
        ):
            return
        super().reject()
