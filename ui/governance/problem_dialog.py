"""登记/修改问题, and the 办结 (销号) dialog."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QPlainTextEdit, QWidget

from app.governance.dto import ProblemInput, ProblemRow
from app.services import Services
from ui.governance.forms import ServiceDialog, date_edit, date_of, qdate
from ui.widgets import line_edit, make_form, select_data

DEFAULT_DAYS = 15


class ProblemDialog(ServiceDialog):
    """Enter a new problem or correct one; OK saves through the problem service."""

    def __init__(
        self, services: Services, row: ProblemRow | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("修改问题") if row else self.tr("登记问题"), parent)
        self._services = services
        self._row = row
        gov = services.governance
        today = gov.problems.today()
        self.category_combo = QComboBox(self)
        for cat in gov.problems.categories():
            self.category_combo.addItem(cat.name, cat.id)
        self.compound_combo = QComboBox(self)
        for c in services.compounds.choices():
            self.compound_combo.addItem(f"{c.name}（{c.community_name}）", c.id)
        self.grid_combo = QComboBox(self)
        self.grid_combo.addItem(self.tr("（楼院所在网格）"), None)
        for g in services.compounds.grids():
            worker = f" — {g.worker_name}" if g.worker_name else ""
            self.grid_combo.addItem(f"{g.path}{worker}", g.id)
        self.handler_combo = QComboBox(self)
        self.handler_combo.setMinimumContentsLength(24)
        self.compound_combo.currentIndexChanged.connect(self._fill_handlers)
        self.location_edit = line_edit(placeholder=self.tr("如 3号楼2单元楼道"))
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setFixedHeight(80)
        self.reporter_edit = line_edit(max_length=32)
        self.reported_edit = date_edit(today, self)
        self.deadline_check = QCheckBox(self.tr("办理时限"), self)
        self.deadline_check.setChecked(True)
        self.deadline_edit = date_edit(today + dt.timedelta(days=DEFAULT_DAYS), self)
        self.deadline_check.toggled.connect(self.deadline_edit.setEnabled)
        deadline_row = QHBoxLayout()
        deadline_row.addWidget(self.deadline_check)
        deadline_row.addWidget(self.deadline_edit, 1)
        form = make_form()
        form.addRow(self.tr("问题类别"), self.category_combo)
        form.addRow(self.tr("楼院"), self.compound_combo)
        form.addRow(self.tr("位置"), self.location_edit)
        form.addRow(self.tr("问题描述"), self.description_edit)
        form.addRow(self.tr("上报人"), self.reporter_edit)
        form.addRow(self.tr("上报日期"), self.reported_edit)
        form.addRow(self.tr("经办网格员"), self.grid_combo)
        form.addRow(self.tr("经办人"), self.handler_combo)
        form.addRow(deadline_row)
        self.body.addLayout(form)
        self._fill_handlers()
        if row is not None:
            self._load(row)
        self.finish_layout(self._save)
        self.resize(520, self.sizeHint().height())

    def _load(self, row: ProblemRow) -> None:
        select_data(self.category_combo, row.category_id)
        select_data(self.compound_combo, row.compound_id)
        select_data(self.grid_combo, row.grid_id)
        if row.handler_person_id is not None:
            key = f"{row.handler_person_id}|{row.handler_kind}"
            if self.handler_combo.findData(key) < 0:  # a role held no longer
                self.handler_combo.addItem(f"{row.handler} · {row.handler_kind}", key)
            select_data(self.handler_combo, key)
        self.location_edit.setText(row.location)
        self.description_edit.setPlainText(row.description)
        self.reporter_edit.setText(row.reporter)
        self.reported_edit.setDate(qdate(row.reported_on))
        self.deadline_check.setChecked(row.deadline is not None)
        if row.deadline:
            self.deadline_edit.setDate(qdate(row.deadline))

    def value(self) -> ProblemInput:
        key = self.handler_combo.currentData()
        handler = (int(key.split("|")[0]), key.split("|")[1]) if key else None
        return ProblemInput(
            category_id=self.category_combo.currentData(),
            compound_id=self.compound_combo.currentData(),
            reported_on=date_of(self.reported_edit),
            location=self.location_edit.text(),
            description=self.description_edit.toPlainText(),
            reporter=self.reporter_edit.text(),
            grid_id=self.grid_combo.currentData(),
            deadline=date_of(self.deadline_edit) if self.deadline_check.isChecked() else None,
            handler_person_id=handler[0] if handler else None,
            handler_kind=handler[1] if handler else "",
        )

    def _fill_handlers(self) -> None:
        """People of the 治理力量 roster in each role they hold, those working in the chosen
        compound's grid first."""
        keep = self.handler_combo.currentData()
        self.handler_combo.clear()
        self.handler_combo.addItem(self.tr("（未指定，由网格员经办）"), None)
        forces = self._services.governance.forces
        for c in forces.handler_choices(self.compound_combo.currentData()):
            self.handler_combo.addItem(c.label, f"{c.person_id}|{c.kind}")
        if keep is not None:
            select_data(self.handler_combo, keep)

    def _save(self) -> None:
        problems = self._services.governance.problems
        if self._row is None:
            self.saved_id = problems.report(self.value())
        else:
            problems.update(self._row.id, self.value())
            self.saved_id = self._row.id


class CloseDialog(ServiceDialog):
    """办结: what was done and on which day."""

    def __init__(self, services: Services, row: ProblemRow, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("办结问题"), parent)
        self._services = services
        self._row = row
        self.resolution_edit = QPlainTextEdit(self)
        self.resolution_edit.setPlaceholderText(
            self.tr("办理结果，如：已拆除飞线，引导至充电桩充电")
        )
        self.resolution_edit.setFixedHeight(90)
        self.closed_edit = date_edit(services.governance.problems.today(), self)
        form = make_form()
        summary = line_edit(f"{row.category}：{row.description}", max_length=500)
        summary.setReadOnly(True)
        form.addRow(self.tr("问题"), summary)
        form.addRow(self.tr("办理结果"), self.resolution_edit)
        form.addRow(self.tr("办结日期"), self.closed_edit)
        self.body.addLayout(form)
        self.finish_layout(self._save)
        self.resize(480, self.sizeHint().height())

    def _save(self) -> None:
        self._services.governance.problems.close(
            self._row.id, self.resolution_edit.toPlainText(), date_of(self.closed_edit)
        )
