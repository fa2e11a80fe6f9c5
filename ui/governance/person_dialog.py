"""新增/修改治理力量: a person (a resident of the area or standalone) and their roles."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.governance.forces_dto import (
    FORCE_KINDS,
    FORCE_SUBKINDS,
    PersonInput,
    PersonRow,
    RoleInput,
    kind_label,
)
from app.services import Services
from ui.governance.forms import ServiceDialog, date_edit, date_of, qdate
from ui.widgets import line_edit, make_form, select_data


class RoleDialog(ServiceDialog):
    """One role: kind, sub-kind, where (grid, compound, building, company), post, dates."""

    def __init__(
        self, services: Services, role: RoleInput | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("身份"), parent)
        self._services = services
        self.result_role: RoleInput | None = None
        self.kind_combo = QComboBox(self)
        for k in FORCE_KINDS:
            self.kind_combo.addItem(k, k)
        self.subkind_combo = QComboBox(self)
        self.grid_combo = QComboBox(self)
        self.grid_combo.addItem(self.tr("（无）"), None)
        for g in services.compounds.grids():
            self.grid_combo.addItem(g.path, g.id)
        self.compound_combo = QComboBox(self)
        self.compound_combo.addItem(self.tr("（无）"), None)
        for c in services.compounds.choices():
            self.compound_combo.addItem(c.name, c.id)
        self.building_combo = QComboBox(self)
        self.company_combo = QComboBox(self)
        self.company_combo.addItem(self.tr("（无）"), None)
        for co in services.governance.forces.list_companies():
            self.company_combo.addItem(co.name, co.id)
        self.post_edit = line_edit(placeholder=self.tr("如 副经理、3单元"), max_length=32)
        self.start_check = QCheckBox(self.tr("开始日期"), self)
        self.start_edit = date_edit(dt.date.today(), self)
        self.end_check = QCheckBox(self.tr("结束日期"), self)
        self.end_edit = date_edit(dt.date.today(), self)
        for check, edit in ((self.start_check, self.start_edit), (self.end_check, self.end_edit)):
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.compound_combo.currentIndexChanged.connect(self._on_compound_changed)
        form = make_form()
        form.addRow(self.tr("身份类别"), self.kind_combo)
        form.addRow(self.tr("细分"), self.subkind_combo)
        form.addRow(self.tr("所在网格"), self.grid_combo)
        form.addRow(self.tr("所在楼院"), self.compound_combo)
        form.addRow(self.tr("楼栋"), self.building_combo)
        form.addRow(self.tr("物业公司"), self.company_combo)
        form.addRow(self.tr("职务"), self.post_edit)
        for check, edit in ((self.start_check, self.start_edit), (self.end_check, self.end_edit)):
            row = QHBoxLayout()
            row.addWidget(check)
            row.addWidget(edit, 1)
            form.addRow(row)
        self.body.addLayout(form)
        self._on_kind_changed()
        self._on_compound_changed()
        if role is not None:
            self._load(role)
        self.finish_layout(self._save)
        self.resize(460, self.sizeHint().height())

    def _load(self, role: RoleInput) -> None:
        select_data(self.kind_combo, role.kind)
        select_data(self.subkind_combo, role.subkind)
        select_data(self.grid_combo, role.grid_id)
        select_data(self.compound_combo, role.compound_id)
        select_data(self.building_combo, role.building_id)
        select_data(self.company_combo, role.company_id)
        self.post_edit.setText(role.post)
        for check, edit, value in (
            (self.start_check, self.start_edit, role.start_on),
            (self.end_check, self.end_edit, role.end_on),
        ):
            if value is not None:
                check.setChecked(True)
                edit.setDate(qdate(value))

    def _on_kind_changed(self) -> None:
        self.subkind_combo.clear()
        subkinds = FORCE_SUBKINDS.get(self.kind_combo.currentData(), ())
        if self.kind_combo.currentData() != "新就业群体":
            self.subkind_combo.addItem(self.tr("（不区分）"), "")
        for sub in subkinds:
            self.subkind_combo.addItem(sub, sub)
        self.subkind_combo.setEnabled(bool(subkinds))

    def _on_compound_changed(self) -> None:
        self.building_combo.clear()
        self.building_combo.addItem(self.tr("（整个楼院）"), None)
        cid = self.compound_combo.currentData()
        if cid is not None:
            for b in self._services.compounds.list_buildings(cid):
                self.building_combo.addItem(f"{b.name}号楼", b.id)
        self.building_combo.setEnabled(cid is not None)

    def value(self) -> RoleInput:
        return RoleInput(
            self.kind_combo.currentData(),
            self.subkind_combo.currentData() or "",
            self.post_edit.text(),
            self.grid_combo.currentData(),
            self.compound_combo.currentData(),
            self.building_combo.currentData(),
            self.company_combo.currentData(),
            date_of(self.start_edit) if self.start_check.isChecked() else None,
            date_of(self.end_edit) if self.end_check.isChecked() else None,
        )

    def _save(self) -> None:
        self.result_role = self.value()


class PersonDialog(ServiceDialog):
    """A person with their roles; the phone is shown in full only while editing it."""

    def __init__(
        self, services: Services, row: PersonRow | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("修改治理力量") if row else self.tr("新增治理力量"), parent)
        self._services = services
        self._forces = services.governance.forces
        self._row = row
        self.roles: list[RoleInput] = list(row.as_input().roles) if row else []
        self.saved_id: int | None = row.id if row else None
        self.name_edit = line_edit(max_length=32)
        self.phone_edit = line_edit(placeholder=self.tr("手机11位或固话"), max_length=20)
        self.resident_search = line_edit(placeholder=self.tr("输入姓名查找本辖区居民"))
        self.resident_combo = QComboBox(self)
        self.resident_combo.addItem(self.tr("（不关联居民）"), None)
        self.resident_search.textEdited.connect(self._on_resident_search_edited)
        self.resident_combo.activated.connect(self._on_resident_combo_activated)
        self.notes_edit = line_edit(max_length=200)
        self.role_list = QListWidget(self)
        self.role_list.itemDoubleClicked.connect(lambda _i: self._on_edit_role_clicked())
        self.add_role_button = QPushButton(self.tr("添加身份…"), self)
        self.edit_role_button = QPushButton(self.tr("修改身份…"), self)
        self.remove_role_button = QPushButton(self.tr("移除身份"), self)
        self.add_role_button.clicked.connect(self._on_add_role_clicked)
        self.edit_role_button.clicked.connect(self._on_edit_role_clicked)
        self.remove_role_button.clicked.connect(self._on_remove_role_clicked)
        form = make_form()
        form.addRow(self.tr("姓名"), self.name_edit)
        form.addRow(self.tr("联系电话"), self.phone_edit)
        resident = QHBoxLayout()
        resident.addWidget(self.resident_search, 1)
        resident.addWidget(self.resident_combo, 2)
        form.addRow(self.tr("本辖区居民"), resident)
        form.addRow(self.tr("备注"), self.notes_edit)
        self.body.addLayout(form)
        roles = QVBoxLayout()
        buttons = QHBoxLayout()
        for b in (self.add_role_button, self.edit_role_button, self.remove_role_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        roles.addLayout(buttons)
        roles.addWidget(self.role_list)
        self.body.addLayout(roles, 1)
        if row is not None:
            self.name_edit.setText(row.name)
            self.phone_edit.setText(row.phone)
            self.notes_edit.setText(row.notes)
            if row.resident_id is not None:
                self.resident_combo.addItem(f"{row.name} · {row.home}", row.resident_id)
                self.resident_combo.setCurrentIndex(1)
        self._show_roles()
        self.finish_layout(self._save)
        self.resize(620, 480)

    def _role_text(self, r: RoleInput) -> str:
        where = self._place(r)
        dates = ""
        if r.start_on or r.end_on:
            dates = f"（{r.start_on or ''}～{r.end_on or '至今'}）"
        post = f" {r.post}" if r.post else ""
        return f"{kind_label(r.kind, r.subkind)}{post} · {where}{dates}"

    def _place(self, r: RoleInput) -> str:
        names = self._place_names()
        parts = []
        if r.company_id is not None:
            parts.append(names["company"].get(r.company_id, ""))
        if r.compound_id is not None:
            parts.append(names["compound"].get(r.compound_id, ""))
        if r.building_id is not None:
            parts.append(self.tr("楼栋"))
        if r.grid_id is not None:
            parts.append(names["grid"].get(r.grid_id, ""))
        return "·".join(p for p in parts if p)

    def _place_names(self) -> dict[str, dict[int, str]]:
        if not hasattr(self, "_names"):
            self._names = {
                "grid": {g.id: g.name for g in self._services.compounds.grids()},
                "compound": {c.id: c.name for c in self._services.compounds.choices()},
                "company": {c.id: c.name for c in self._forces.list_companies()},
            }
        return self._names

    def _show_roles(self) -> None:
        self.role_list.clear()
        for r in self.roles:
            self.role_list.addItem(QListWidgetItem(self._role_text(r)))
        has = bool(self.roles)
        self.edit_role_button.setEnabled(has)
        self.remove_role_button.setEnabled(has)
        if has:
            self.role_list.setCurrentRow(0)

    def _on_add_role_clicked(self) -> None:
        dialog = RoleDialog(self._services, None, self)
        if dialog.exec() and dialog.result_role is not None:
            self.roles.append(dialog.result_role)
            self._show_roles()
            self.role_list.setCurrentRow(len(self.roles) - 1)

    def _on_edit_role_clicked(self) -> None:
        n = self.role_list.currentRow()
        if not 0 <= n < len(self.roles):
            return
        dialog = RoleDialog(self._services, self.roles[n], self)
        if dialog.exec() and dialog.result_role is not None:
            self.roles[n] = dialog.result_role
            self._show_roles()

    def _on_remove_role_clicked(self) -> None:
        n = self.role_list.currentRow()
        if 0 <= n < len(self.roles):
            del self.roles[n]
            self._show_roles()

    def _on_resident_search_edited(self, text: str) -> None:
        self.resident_combo.clear()
        self.resident_combo.addItem(self.tr("（不关联居民）"), None)
        for rid, label in self._forces.resident_choices(text):
            self.resident_combo.addItem(label, rid)

    def _on_resident_combo_activated(self) -> None:
        rid = self.resident_combo.currentData()
        if rid is None:
            return
        label = self.resident_combo.currentText()
        if not self.name_edit.text():
            self.name_edit.setText(label.split(" · ")[0])
        if not self.phone_edit.text():
            self.phone_edit.setText(self._forces.resident_phone(rid))

    def value(self) -> PersonInput:
        return PersonInput(
            self.name_edit.text(),
            self.phone_edit.text(),
            self.resident_combo.currentData(),
            self.notes_edit.text(),
            tuple(self.roles),
        )

    def _save(self) -> None:
        if self._row is None:
            self.saved_id = self._forces.add_person(self.value())
        else:
            self._forces.update_person(self._row.id, self.value())
