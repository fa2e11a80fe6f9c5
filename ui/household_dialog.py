"""住户信息: edit one household and its residents, every field checked inline as it is typed.

The field rules need no database and run on every keystroke; whether another household has
the room is asked once typing pauses (and the building, unit or room changed), and again on
save."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, StaleWrite
from app.registry.dto import HOUSEHOLD_STATUSES, CompoundDetail, HouseholdInput, ResidentInput
from app.registry.errors import ValidationError
from app.registry.households import household_errors
from app.services import Services
from ui import dialogs
from ui.models.resident_model import ResidentColumn, ResidentModel
from ui.resident_dialog import ResidentDialog
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
ROOM_CHECK_DELAY_MS = 250  # the database is asked about a room once typing pauses
COLUMN_WIDTHS = {
    ResidentColumn.NAME: 80,
    ResidentColumn.GENDER: 48,
    ResidentColumn.ID_NUMBER: 165,
    ResidentColumn.BIRTH_DATE: 96,
    ResidentColumn.PHONE: 110,
    ResidentColumn.RELATION: 90,
}
TEXT_FIELDS = (
    "building",
    "unit",
    "room",
    "area",
    "status",
    "householder_name",
    "id_number",
    "phone",
    "notes",
)


class HouseholdDialog(QDialog):
    """One household of a compound: its rooms, householder and residents; saved as one unit."""

    saved = Signal(int)  # the household id, after a successful save

    def __init__(
        self,
        services: Services,
        compound_id: int,
        household_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self.compound_id = compound_id
        self.household_id = household_id
        compound = services.compounds.get_compound(compound_id)
        self._version: int | None = None
        if household_id is None:
            self._original = HouseholdInput(compound_id=compound_id, building="", room="", area="")
            residents: list[ResidentInput] = []
            self._touched: set[str] = set()
        else:
            detail = services.households.get_household(household_id)
            self._original = detail.data
            self._version = detail.version
            residents = [r.as_input() for r in detail.residents]
            self._touched = {ALL_TOUCHED}
        self._original_residents = residents
        # (building, unit, room) last asked about, and the answer ("" when free)
        self._room_checked: tuple[tuple[str, str, str], str] | None = None
        self._room_timer = QTimer(self, singleShot=True, interval=ROOM_CHECK_DELAY_MS)
        self._room_timer.timeout.connect(self._on_room_timer_timeout)
        self.model = ResidentModel(residents, self)
        self._build(compound)
        self._load(self._original)
        self._connect()
        self._validate()  # the saved room is asked about once the dialog is open

    # -- layout ----------------------------------------------------------------------------

    def _build(self, compound: CompoundDetail) -> None:
        self._build_fields()
        layout = QVBoxLayout(self)
        layout.addWidget(self._header(compound))
        top = QHBoxLayout()
        top.addWidget(self._house_box(), 1)
        top.addWidget(self._householder_box(), 1)
        layout.addLayout(top)
        layout.addWidget(self._residents_box(), 1)
        notes_form = make_form()
        self._rows["notes"] = add_field(notes_form, self.tr("备注"), self.notes_edit)
        layout.addLayout(notes_form)
        self.other_error = ErrorLabel(reserve=True)
        layout.addWidget(self.other_error)
        layout.addWidget(self._button_box())
        self._errors = FieldErrors(self._rows, self.other_error)
        self._set_tab_order()
        self.resize(860, 600)

    def _build_fields(self) -> None:
        self.building_combo = QComboBox()
        self.building_combo.setEditable(True)
        self.building_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for b in self._services.compounds.list_buildings(self.compound_id):
            self.building_combo.addItem(b.name)
        building_edit = self.building_combo.lineEdit()
        if building_edit is not None:
            building_edit.setPlaceholderText(self.tr("如 3 或 3号楼"))
        self.unit_edit = line_edit(placeholder=self.tr("无单元可不填"), max_length=8)
        self.room_edit = line_edit(placeholder=self.tr("如 1102"), max_length=16)
        self.area_edit = line_edit(placeholder=self.tr("如 85.60"), max_length=12)
        self.status_combo = QComboBox()
        for status in HOUSEHOLD_STATUSES:
            self.status_combo.addItem(self.tr(status), status)
        self.name_edit = line_edit(placeholder=self.tr("户主姓名"), max_length=32)
        self.id_edit = line_edit(placeholder=self.tr("18位身份证号"), max_length=22)
        self.phone_edit = line_edit(placeholder=self.tr("手机或固话"), max_length=20)
        self.notes_edit = line_edit(max_length=200)
        self._rows: dict[str, FieldRow] = {}

    def _header(self, compound: CompoundDetail) -> QWidget:
        location = " · ".join(
            p
            for p in (
                compound.community_name,
                compound.data.address,
                compound.grid_path.split(" / ")[-1],
            )
            if p
        )
        name = QLabel(compound.data.name)
        font = name.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        name.setFont(font)
        where = QLabel(location)
        where.setStyleSheet("color: #555;")
        self.title_label = QLabel()
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(2, 0, 2, 4)
        row.addWidget(name)
        row.addWidget(where)
        row.addStretch(1)
        row.addWidget(self.title_label)
        self.setWindowTitle(self.tr("住户信息 — {0}").format(compound.data.name))
        return box

    def _house_box(self) -> QGroupBox:
        form = make_form()
        self._rows["building"] = add_field(form, self.tr("楼号"), self.building_combo)
        self._rows["unit"] = add_field(form, self.tr("单元"), self.unit_edit)
        self._rows["room"] = add_field(form, self.tr("房号"), self.room_edit)
        self._rows["area"] = add_field(form, self.tr("建筑面积(㎡)"), self.area_edit)
        self._rows["status"] = add_field(form, self.tr("房屋状态"), self.status_combo)
        box = QGroupBox(self.tr("房屋"))
        box.setLayout(form)
        return box

    def _householder_box(self) -> QGroupBox:
        form = make_form()
        self._rows["householder_name"] = add_field(form, self.tr("户主姓名"), self.name_edit)
        self._rows["id_number"] = add_field(form, self.tr("身份证号"), self.id_edit)
        self._rows["phone"] = add_field(form, self.tr("联系电话"), self.phone_edit)
        box = QGroupBox(self.tr("户主"))
        outer = QVBoxLayout(box)
        outer.addLayout(form)
        outer.addStretch(1)
        return box

    def _residents_box(self) -> QGroupBox:
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.table.setMinimumHeight(150)
        self.add_button = QPushButton(self.tr("添加居民"))
        self.edit_button = QPushButton(self.tr("编辑"))
        self.delete_button = QPushButton(self.tr("删除"))
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        self.residents_error = ErrorLabel(reserve=True)
        grid = QVBoxLayout()
        grid.addWidget(self.table)
        grid.addWidget(self.residents_error)
        row = QHBoxLayout()
        row.addLayout(grid, 1)
        row.addLayout(buttons)
        self.residents_box = QGroupBox()
        self.residents_box.setLayout(row)
        return self.residents_box

    def _button_box(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            self.tr("保存"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(
            self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole
        )
        return self.buttons

    def _editors(self) -> list[QWidget]:
        return [
            self.building_combo,
            self.unit_edit,
            self.room_edit,
            self.area_edit,
            self.status_combo,
            self.name_edit,
            self.id_edit,
            self.phone_edit,
        ]

    def _set_tab_order(self) -> None:
        order = [
            *self._editors(),
            self.table,
            self.add_button,
            self.edit_button,
            self.delete_button,
            self.notes_edit,
            self.save_button,
            self.cancel_button,
        ]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self._navigator = EnterNavigator(
            [*self._editors(), self.notes_edit], self._on_save_button_clicked, self
        )

    def _load(self, data: HouseholdInput) -> None:
        self.building_combo.setEditText(data.building)
        self.unit_edit.setText(data.unit)
        self.room_edit.setText(data.room)
        self.area_edit.setText(str(data.area))
        select_data(self.status_combo, data.status)
        self.name_edit.setText(data.householder_name)
        self.id_edit.setText(data.id_number)
        self.phone_edit.setText(data.phone)
        self.notes_edit.setText(data.notes)
        self._update_titles()

    def _connect(self) -> None:
        edits = {
            "unit": self.unit_edit,
            "room": self.room_edit,
            "area": self.area_edit,
            "householder_name": self.name_edit,
            "id_number": self.id_edit,
            "phone": self.phone_edit,
            "notes": self.notes_edit,
        }
        for key, edit in edits.items():
            edit.textEdited.connect(lambda _t, k=key: self._on_field_edited(k))
            edit.editingFinished.connect(lambda k=key: self._on_field_edited(k))
        self.building_combo.editTextChanged.connect(lambda _t: self._on_field_edited("building"))
        self.status_combo.currentIndexChanged.connect(lambda _i: self._on_field_edited("status"))
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.table.doubleClicked.connect(self._on_table_activated)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.rowsInserted.connect(lambda *_: self._update_titles())
        self.model.rowsRemoved.connect(lambda *_: self._update_titles())
        # Enter on the table edits the resident (the dialog would otherwise press 保存).
        self.table.installEventFilter(self)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.cancel_button.clicked.connect(self.reject)

    # -- values ----------------------------------------------------------------------------

    def value(self) -> HouseholdInput:
        """The household as typed (raw text; the service cleans it)."""
        return HouseholdInput(
            compound_id=self.compound_id,
            building=self.building_combo.currentText(),
            unit=self.unit_edit.text(),
            room=self.room_edit.text(),
            area=self.area_edit.text(),
            status=str(self.status_combo.currentData()),
            householder_name=self.name_edit.text(),
            id_number=self.id_edit.text(),
            phone=self.phone_edit.text(),
            notes=self.notes_edit.text(),
        )

    def error_label(self, field: str) -> ErrorLabel:
        """The inline message label of a field, as the clerk sees it."""
        return self._errors.label(field)

    def is_changed(self) -> bool:
        def texts(data: HouseholdInput) -> tuple[str, ...]:
            return tuple(str(getattr(data, f)).strip() for f in TEXT_FIELDS)

        return (
            texts(self.value()) != texts(self._original)
            or self.model.residents() != self._original_residents
        )

    # -- inline validation ---------------------------------------------------------------

    def _on_field_edited(self, key: str) -> None:
        if not is_alive(self.save_button):
            return
        self._touched.add(key)
        self._validate()
        self._update_titles()

    def _validate(self) -> bool:
        """Show the field rules' messages, and the room's as last asked (a changed room is
        asked about when typing pauses)."""
        data = self.value()
        errors = household_errors(data)
        if not ({"building", "unit", "room"} & errors.keys()):
            checked = self._room_checked
            if checked is not None and checked[0] == _room_key(data):
                if checked[1]:
                    errors["room"] = checked[1]
            else:
                self._room_timer.start()
        self._show_errors(errors)
        self.save_button.setEnabled(not errors)
        return not errors

    def _check_room(self) -> None:
        """Ask the database whether another household has the room typed (now)."""
        self._room_timer.stop()
        data = self.value()
        clash = self._services.households.room_clash(data, self.household_id)
        self._room_checked = (_room_key(data), clash)

    def _on_room_timer_timeout(self) -> None:
        if is_alive(self.save_button):
            self._check_room()
            self._validate()

    def _show_errors(self, errors: dict[str, str]) -> None:
        own = {k: v for k, v in errors.items() if not k.startswith("resident")}
        self._errors.show(own, lambda k: ALL_TOUCHED in self._touched or k in self._touched)
        self.residents_error.show_message(
            "\n".join(v for k, v in errors.items() if k.startswith("resident"))
        )

    def _update_titles(self) -> None:
        data = self.value()
        building, unit, room = data.building.strip(), data.unit.strip(), data.room.strip()
        if building and room:
            place = self.tr("{0}号楼").format(building.removesuffix("号楼"))
            place += self.tr("{0}单元").format(unit.removesuffix("单元")) if unit else ""
            place += room
        else:
            place = self.tr("新增住户") if self.household_id is None else ""
        self.title_label.setText(place)
        self.residents_box.setTitle(self.tr("居民（{0}人）").format(self.model.rowCount()))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_row = self.table.selectionModel().hasSelection()
        self.edit_button.setEnabled(has_row)
        self.delete_button.setEnabled(has_row)

    # -- residents -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._on_edit_button_clicked()
                return True
            if event.key() == Qt.Key.Key_Delete:
                self._on_delete_button_clicked()
                return True
        return super().eventFilter(watched, event)

    def _current_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _open_resident(self, row: int | None) -> None:
        resident = self.model.resident(row) if row is not None else None
        dialog = ResidentDialog(resident, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_resident_accepted(row, dialog.value()))
        dialog.open()

    def _on_resident_accepted(self, row: int | None, resident: ResidentInput) -> None:
        if row is None:
            row = self.model.append(resident)
        else:
            self.model.replace(row, resident)
        self.table.selectRow(row)
        self.residents_error.show_message("")
        self.table.setFocus()

    def _on_add_button_clicked(self) -> None:
        self._open_resident(None)

    def _on_edit_button_clicked(self) -> None:
        row = self._current_row()
        if row is not None:
            self._open_resident(row)

    def _on_table_activated(self, index: QModelIndex) -> None:
        self._open_resident(index.row())

    def _on_delete_button_clicked(self) -> None:
        row = self._current_row()
        if row is None:
            return
        self.model.remove(row)
        if self.model.rowCount():
            self.table.selectRow(min(row, self.model.rowCount() - 1))

    # -- save / close ----------------------------------------------------------------------

    def _on_save_button_clicked(self) -> None:
        self._touched.add(ALL_TOUCHED)
        self._check_room()
        if not self._validate():
            return
        try:
            self.household_id = self._services.households.save_household(
                self.household_id,
                self.value(),
                self.model.residents(),
                expected_version=self._version,
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
        logger.info("household %s saved", self.household_id)
        self.saved.emit(self.household_id)
        self.accept()

    def reload(self) -> None:
        """Show the household as it is saved now (after someone else's save)."""
        assert self.household_id is not None
        detail = self._services.households.get_household(self.household_id)
        self._original, self._version = detail.data, detail.version
        self._original_residents = [r.as_input() for r in detail.residents]
        self.model.set_residents(self._original_residents)
        self._load(detail.data)
        self._check_room()
        self._validate()

    def reject(self) -> None:
        if self.is_changed() and not dialogs.confirm(
            self, self.tr("放弃修改"), self.tr("所做的修改尚未保存，确定放弃吗？")
        ):
            return
        super().reject()


def _room_key(data: HouseholdInput) -> tuple[str, str, str]:
    return data.building.strip(), data.unit.strip(), data.room.strip()
