"""新增/修改组织: one of a compound's 三类组织."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QSpinBox, QWidget

from app.governance.dto import KINDS, OrganisationInput, OrganisationRow
from app.services import Services
from ui.governance.forms import ServiceDialog, date_edit, date_of, qdate
from ui.widgets import line_edit, make_form, select_data


class OrganisationDialog(ServiceDialog):
    def __init__(
        self,
        services: Services,
        compound_id: int,
        row: OrganisationRow | None = None,
        parent: QWidget | None = None,
        kind: str = "",
    ) -> None:
        super().__init__(self.tr("修改组织") if row else self.tr("新增组织"), parent)
        self._orgs = services.governance.organisations
        self._compound_id = compound_id
        self._row = row
        self.kind_combo = QComboBox(self)
        for k in KINDS:
            self.kind_combo.addItem(k, k)
        self.name_edit = line_edit(placeholder=self.tr("如 幸福里党支部、楼院自管会"))
        self.leader_edit = line_edit(max_length=32)
        self.contact_edit = line_edit(max_length=32)
        self.members_spin = QSpinBox(self)
        self.members_spin.setRange(0, 100_000)
        self.founded_check = QCheckBox(self.tr("成立日期"), self)
        self.founded_edit = date_edit(dt.date.today(), self)
        self.founded_edit.setEnabled(False)
        self.founded_check.toggled.connect(self.founded_edit.setEnabled)
        founded = QHBoxLayout()
        founded.addWidget(self.founded_check)
        founded.addWidget(self.founded_edit, 1)
        form = make_form()
        form.addRow(self.tr("组织类别"), self.kind_combo)
        form.addRow(self.tr("组织名称"), self.name_edit)
        form.addRow(self.tr("负责人"), self.leader_edit)
        form.addRow(self.tr("联系电话"), self.contact_edit)
        form.addRow(self.tr("成员人数"), self.members_spin)
        form.addRow(founded)
        self.body.addLayout(form)
        select_data(self.kind_combo, kind or (row.kind if row else KINDS[0]))
        if row is not None:
            self.name_edit.setText(row.name)
            self.leader_edit.setText(row.leader)
            self.contact_edit.setText(row.contact)
            self.members_spin.setValue(row.members)
            if row.founded:
                self.founded_check.setChecked(True)
                self.founded_edit.setDate(qdate(row.founded))
        self.finish_layout(self._save)
        self.resize(420, self.sizeHint().height())

    def value(self) -> OrganisationInput:
        return OrganisationInput(
            self.kind_combo.currentData(),
            self.name_edit.text(),
            self.leader_edit.text(),
            self.contact_edit.text(),
            self.members_spin.value(),
            date_of(self.founded_edit) if self.founded_check.isChecked() else None,
        )

    def _save(self) -> None:
        if self._row is None:
            self._orgs.add_organisation(self._compound_id, self.value())
        else:
            self._orgs.update_organisation(self._row.id, self.value())
