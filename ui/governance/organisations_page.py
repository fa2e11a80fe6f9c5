"""组织: 三类组织 per compound, coverage per community, the compounds missing a kind, 楼院公约."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.governance.dto import KINDS, CommunityCoverage, CompoundCoverage, OrganisationRow
from app.services import Services
from ui import dialogs
from ui.governance.forms import date_edit, date_of, qdate
from ui.governance.members_dialog import MembersDialog
from ui.governance.organisation_dialog import OrganisationDialog
from ui.governance.rows_model import Column, RowsModel
from ui.table_views import make_table


def _with_kind(kind: str) -> Callable[[CommunityCoverage], int]:
    return lambda r: r.by_kind.get(kind, 0)


COVERAGE_COLUMNS: list[Column[CommunityCoverage]] = [
    Column("社区", lambda r: r.community_name),
    Column("楼院数", lambda r: r.compounds, True),
    Column("三类组织全覆盖", lambda r: r.complete, True),
    Column("覆盖率(%)", lambda r: r.rate, True),
    *[Column(f"有{k}", _with_kind(k), True) for k in KINDS],
]
COMPOUND_COLUMNS: list[Column[CompoundCoverage]] = [
    Column("楼院", lambda r: r.compound_name),
    Column("社区", lambda r: r.community_name),
    Column("缺少", lambda r: "、".join(r.missing) or "—"),
]
ORG_COLUMNS: list[Column[OrganisationRow]] = [
    Column("类别", lambda r: r.kind),
    Column("名称", lambda r: r.name),
    Column("负责人", lambda r: r.leader),
    Column("联系电话", lambda r: r.contact),
    Column("成员人数", lambda r: r.members, True),
    Column("成立日期", lambda r: r.founded),
]


class OrganisationsPage(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._orgs = services.governance.organisations
        self.coverage_model: RowsModel[CommunityCoverage] = RowsModel(COVERAGE_COLUMNS, parent=self)
        self.coverage_table = make_table(self)
        self.coverage_table.setModel(self.coverage_model)
        self.coverage_table.setMaximumHeight(130)
        self.missing_check = QCheckBox(self.tr("只看未全覆盖的楼院"), self)
        self.missing_check.toggled.connect(self.reload)
        self.compound_model: RowsModel[CompoundCoverage] = RowsModel(
            COMPOUND_COLUMNS, lambda r: not r.complete, self
        )
        self.compound_table = make_table(self)
        self.compound_table.setModel(self.compound_model)
        self.compound_table.setColumnWidth(0, 140)
        self.compound_table.setColumnWidth(1, 90)
        self.compound_table.selectionModel().selectionChanged.connect(self._on_compound_changed)
        self.org_model: RowsModel[OrganisationRow] = RowsModel(ORG_COLUMNS, parent=self)
        self.org_table = make_table(self)
        self.org_table.setModel(self.org_model)
        self.org_table.setColumnWidth(1, 180)
        self.org_table.doubleClicked.connect(self._on_edit_button_clicked)
        self.add_button = QPushButton(self.tr("新增组织"), self)
        self.edit_button = QPushButton(self.tr("修改"), self)
        self.delete_button = QPushButton(self.tr("删除"), self)
        self.members_button = QPushButton(self.tr("成员…"), self)
        self.members_button.clicked.connect(self._on_members_button_clicked)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.convention_edit = QPlainTextEdit(self)
        self.convention_edit.setPlaceholderText(self.tr("楼院公约全文"))
        self.convention_date = date_edit(dt.date.today(), self)
        self.save_convention_button = QPushButton(self.tr("保存公约"), self)
        self.save_convention_button.clicked.connect(self._on_save_convention_button_clicked)
        self.title_label = QLabel(self)
        self._layout()
        self.reload()

    def _layout(self) -> None:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.missing_check)
        left_layout.addWidget(self.compound_table)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.title_label)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button, self.members_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.org_table, 2)
        box = QGroupBox(self.tr("楼院公约"), self)
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.convention_edit)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("通过日期"), self))
        row.addWidget(self.convention_date)
        row.addStretch(1)
        row.addWidget(self.save_convention_button)
        box_layout.addLayout(row)
        right_layout.addWidget(box, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        split.setSizes([430, 870])
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("三类组织覆盖情况（党组织、自治组织、志愿服务组织）"), self)
        )
        layout.addWidget(self.coverage_table)
        layout.addWidget(split, 1)

    def reload(self) -> None:
        keep = self.selected_compound()
        self.coverage_model.set_rows(self._orgs.coverage())
        rows = self._orgs.compound_coverage()
        if self.missing_check.isChecked():
            rows = [r for r in rows if not r.complete]
        self.compound_model.set_rows(rows)
        target = next((n for n, r in enumerate(rows) if keep and r.compound_id == keep), 0)
        if rows:
            self.compound_table.selectRow(target)
        self._on_compound_changed()

    def selected_compound(self) -> int | None:
        rows = self.compound_table.selectionModel().selectedRows()
        row = self.compound_model.row_at(rows[0].row()) if rows else None
        return row.compound_id if row else None

    def _selected_org(self) -> OrganisationRow | None:
        rows = self.org_table.selectionModel().selectedRows()
        return self.org_model.row_at(rows[0].row()) if rows else None

    def _on_compound_changed(self) -> None:
        cid = self.selected_compound()
        for w in (self.add_button, self.edit_button, self.delete_button, self.members_button):
            w.setEnabled(cid is not None)
        self.save_convention_button.setEnabled(cid is not None)
        if cid is None:
            self.org_model.set_rows([])
            self.title_label.clear()
            return
        orgs = self._orgs.list_organisations(cid)
        self.org_model.set_rows(orgs)
        cov = next(r for r in self.compound_model.rows() if r.compound_id == cid)
        missing = "、".join(cov.missing)
        self.title_label.setText(
            f"<b>{cov.compound_name}</b>　"
            + (self.tr("缺少：{0}").format(missing) if missing else self.tr("三类组织齐全"))
        )
        convention = self._orgs.convention(cid)
        self.convention_edit.setPlainText(convention.text)
        if convention.adopted_on:
            self.convention_date.setDate(qdate(convention.adopted_on))

    def _on_add_button_clicked(self) -> None:
        cid = self.selected_compound()
        if cid is None:
            return
        cov = next(r for r in self.compound_model.rows() if r.compound_id == cid)
        kind = cov.missing[0] if cov.missing else ""
        if OrganisationDialog(self._services, cid, None, self, kind).exec():
            self.reload()

    def _on_edit_button_clicked(self) -> None:
        cid, org = self.selected_compound(), self._selected_org()
        if (
            cid is not None
            and org is not None
            and OrganisationDialog(self._services, cid, org, self).exec()
        ):
            self.reload()

    def _on_members_button_clicked(self) -> None:
        org = self._selected_org()
        if org is not None:
            MembersDialog(self._services, org.id, org.name, self).exec()

    def _on_delete_button_clicked(self) -> None:
        org = self._selected_org()
        if org is None or not dialogs.confirm(
            self, self.tr("删除组织"), self.tr("删除“{0}”？").format(org.name)
        ):
            return
        try:
            self._orgs.delete_organisation(org.id)
        except AppError as exc:
            dialogs.error(self, exc.message)
        self.reload()

    def _on_save_convention_button_clicked(self) -> None:
        cid = self.selected_compound()
        if cid is None:
            return
        text = self.convention_edit.toPlainText()
        try:
            self._orgs.save_convention(
                cid, text, date_of(self.convention_date) if text.strip() else None
            )
        except AppError as exc:
            dialogs.error(self, exc.message)
            return
        dialogs.info(self, self.tr("楼院公约已保存"))
