"""楼院信息: create or edit a compound, every field checked inline as it is typed."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, StaleWrite
from app.registry.dto import MANAGEMENT_MODES, CompoundInput
from app.registry.errors import ValidationError
from app.services import Services
from ui import dialogs
from ui.widgets import (
    EnterNavigator,
    ErrorLabel,
    FieldErrors,
    FieldRow,
    add_field,
    is_alive,
    line_edit,
    make_form,
    select_data,
)

logger = logging.getLogger(__name__)

ALL_TOUCHED = "*"


class CompoundDialog(QDialog):
    """One compound: name, community and grid, address, management, head; create or update."""

    saved = Signal(int)  # the compound id, after a successful save

    def __init__(
        self, services: Services, compound_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self.compound_id = compound_id
        self._communities = services.compounds.communities()
        self._version: int | None = None
        if compound_id is None:
            first = self._communities[0].id if self._communities else 0
            self._original = CompoundInput(name="", community_id=first)
            self._touched: set[str] = set()
            self.setWindowTitle(self.tr("新建楼院"))
        else:
            detail = services.compounds.get_compound(compound_id)
            self._original = detail.data
            self._version = detail.version
            self._touched = {ALL_TOUCHED}
            self.setWindowTitle(self.tr("楼院信息 — {0}").format(detail.data.name))
        self._rows: dict[str, FieldRow] = {}
        self._build()
        self._load(self._original)
        self._connect()
        self._validate()

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        self._build_fields()
        left = QVBoxLayout()
        left.addWidget(
            self._group(
                self.tr("基本信息"),
                [
                    ("name", self.tr("名称"), self.name_edit),
                    ("community_id", self.tr("所属社区"), self.community_combo),
                    ("grid_id", self.tr("网格"), self.grid_combo),
                    ("address", self.tr("地址"), self.address_edit),
                ],
            )
        )
        left.addWidget(
            self._group(
                self.tr("楼院长"),
                [
                    ("head_name", self.tr("楼院长"), self.head_name_edit),
                    ("head_phone", self.tr("电话"), self.head_phone_edit),
                ],
            )
        )
        right = QVBoxLayout()
        right.addWidget(
            self._group(
                self.tr("管理"),
                [
                    ("management_mode", self.tr("管理模式"), self.mode_combo),
                    ("manager_name", self.tr("管理方"), self.manager_name_edit),
                    ("manager_contact", self.tr("联系方式"), self.manager_contact_edit),
                    ("build_year", self.tr("建成年份"), self.build_year_edit),
                ],
            )
        )
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        notes = make_form()
        self._rows["notes"] = add_field(notes, self.tr("备注"), self.notes_edit)
        self.other_error = ErrorLabel()
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            self.tr("保存"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(
            self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole
        )
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addLayout(notes)
        layout.addWidget(self.other_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._errors = FieldErrors(self._rows, self.other_error)
        order = [*self._editors(), self.save_button, self.cancel_button]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self._navigator = EnterNavigator(self._editors(), self._on_save_button_clicked, self)
        self.resize(820, 0)

    def _build_fields(self) -> None:
        self.name_edit = line_edit(placeholder=self.tr("如 建设路12号院"), max_length=64)
        self.community_combo = QComboBox()
        for community in self._communities:
            self.community_combo.addItem(community.name, community.id)
        self.grid_combo = QComboBox()
        self.grid_combo.setMinimumContentsLength(16)
        self.grid_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.address_edit = line_edit(placeholder=self.tr("如 建设路12号"), max_length=128)
        self.mode_combo = QComboBox()
        for mode in MANAGEMENT_MODES:
            self.mode_combo.addItem(self.tr(mode), mode)
        self.manager_name_edit = line_edit(placeholder=self.tr("物业公司或管理单位"))
        self.manager_contact_edit = line_edit(placeholder=self.tr("电话"), max_length=20)
        self.build_year_edit = line_edit(placeholder=self.tr("如 1998"), max_length=4)
        self.build_year_edit.setValidator(QIntValidator(0, 9999, self.build_year_edit))
        self.head_name_edit = line_edit(placeholder=self.tr("楼院长姓名"), max_length=32)
        self.head_phone_edit = line_edit(placeholder=self.tr("手机或固话"), max_length=20)
        self.notes_edit = line_edit(max_length=200)

    def _group(self, title: str, fields: list[tuple[str, str, QWidget]]) -> QGroupBox:
        form = make_form()
        for key, label, editor in fields:
            self._rows[key] = add_field(form, label, editor)
        box = QGroupBox(title)
        box.setLayout(form)
        return box

    def _editors(self) -> list[QWidget]:
        return [
            self.name_edit,
            self.community_combo,
            self.grid_combo,
            self.address_edit,
            self.mode_combo,
            self.manager_name_edit,
            self.manager_contact_edit,
            self.build_year_edit,
            self.head_name_edit,
            self.head_phone_edit,
            self.notes_edit,
        ]

    def _load(self, data: CompoundInput) -> None:
        self.name_edit.setText(data.name)
        select_data(self.community_combo, data.community_id)
        self._fill_grids(data.community_id, data.grid_id)
        self.address_edit.setText(data.address)
        select_data(self.mode_combo, data.management_mode)
        self.manager_name_edit.setText(data.manager_name)
        self.manager_contact_edit.setText(data.manager_contact)
        self.build_year_edit.setText(str(data.build_year) if data.build_year else "")
        self.head_name_edit.setText(data.head_name)
        self.head_phone_edit.setText(data.head_phone)
        self.notes_edit.setText(data.notes)

    def _fill_grids(self, community_id: int | None, grid_id: int | None) -> None:
        self.grid_combo.blockSignals(True)
        self.grid_combo.clear()
        self.grid_combo.addItem(self.tr("未划分"), None)
        if community_id is not None:
            for grid in self._services.compounds.grids(community_id):
                self.grid_combo.addItem(grid.path, grid.id)
        select_data(self.grid_combo, grid_id)
        self.grid_combo.blockSignals(False)

    def _connect(self) -> None:
        edits = {
            "name": self.name_edit,
            "address": self.address_edit,
            "manager_name": self.manager_name_edit,
            "manager_contact": self.manager_contact_edit,
            "build_year": self.build_year_edit,
            "head_name": self.head_name_edit,
            "head_phone": self.head_phone_edit,
            "notes": self.notes_edit,
        }
        for key, edit in edits.items():
            edit.textEdited.connect(lambda _t, k=key: self._on_field_edited(k))
            edit.editingFinished.connect(lambda k=key: self._on_field_edited(k))
        self.community_combo.currentIndexChanged.connect(self._on_community_combo_changed)
        self.grid_combo.currentIndexChanged.connect(lambda _i: self._on_field_edited("grid_id"))
        self.mode_combo.currentIndexChanged.connect(
            lambda _i: self._on_field_edited("management_mode")
        )
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.cancel_button.clicked.connect(self.reject)

    # -- values ----------------------------------------------------------------------------

    def value(self) -> CompoundInput:
        """The compound as typed (the service folds and cleans the text)."""
        year = self.build_year_edit.text().strip()
        community = self.community_combo.currentData()
        return CompoundInput(
            name=self.name_edit.text(),
            community_id=int(community) if community is not None else 0,
            address=self.address_edit.text(),
            grid_id=self.grid_combo.currentData(),
            management_mode=str(self.mode_combo.currentData()),
            manager_name=self.manager_name_edit.text(),
            manager_contact=self.manager_contact_edit.text(),
            build_year=int(year) if year.isdigit() else None,
            head_name=self.head_name_edit.text(),
            head_phone=self.head_phone_edit.text(),
            notes=self.notes_edit.text(),
        )

    def error_label(self, field: str) -> ErrorLabel:
        """The inline message label of a field, as the clerk sees it."""
        return self._errors.label(field)

    def is_changed(self) -> bool:
        now, was = self.value(), self._original
        text = (
            "name",
            "address",
            "manager_name",
            "manager_contact",
            "head_name",
            "head_phone",
            "notes",
        )
        return any(getattr(now, k).strip() != getattr(was, k) for k in text) or (
            now.community_id,
            now.grid_id,
            now.management_mode,
            now.build_year,
        ) != (was.community_id, was.grid_id, was.management_mode, was.build_year)

    # -- slots -----------------------------------------------------------------------------

    def _on_community_combo_changed(self, _index: int) -> None:
        current = self.grid_combo.currentData()
        self._fill_grids(self.community_combo.currentData(), current)
        self._on_field_edited("community_id")

    def _on_field_edited(self, key: str) -> None:
        if not is_alive(self.save_button):
            return
        self._touched.add(key)
        self._validate()

    def _validate(self) -> bool:
        errors = self._services.compounds.validate_compound(self.value())
        self._show_errors(errors)
        self.save_button.setEnabled(not errors)
        return not errors

    def _show_errors(self, errors: dict[str, str]) -> None:
        self._errors.show(errors, lambda k: ALL_TOUCHED in self._touched or k in self._touched)

    def _on_save_button_clicked(self) -> None:
        self._touched.add(ALL_TOUCHED)
        if not self._validate():
            return
        data = self.value()
        try:
            if self.compound_id is None:
                self.compound_id = self._services.compounds.create_compound(data)
            else:
                self._services.compounds.update_compound(
                    self.compound_id, data, expected_version=self._version
                )
        except StaleWrite as exc:
            if dialogs.offer_reload(self, exc.message):
                self.reload()
            return
        except ValidationError as exc:
            self._show_errors(exc.errors)
            self.save_button.setEnabled(False)
            return
        except AppError as exc:
            dialogs.error(self, exc.message, self.tr("无法保存"))
            return
        logger.info("compound %s saved", self.compound_id)
        self.saved.emit(self.compound_id)
        self.accept()

    def reload(self) -> None:
        """Show the compound as it is saved now (after someone else's save)."""
        assert self.compound_id is not None
        detail = self._services.compounds.get_compound(self.compound_id)
        self._original, self._version = detail.data, detail.version
        self._load(detail.data)
        self._validate()

    def reject(self) -> None:
        if self.is_changed() and not dialogs.confirm(
            self, self.tr("放弃修改"), self.tr("所做的修改尚未保存，确定放弃吗？")
        ):
            return
        super().reject()
