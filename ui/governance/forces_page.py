"""治理力量: the roster (filters by role, grid, compound, name), property companies and the
compounds they serve, cross-appointments, 支部建在网格上, recognitions."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.auth import Permission, allowed
from app.errors import AppError
from app.governance.dto import OrganisationInput
from app.governance.forces_dto import (
    FORCE_KINDS,
    FORCE_SUBKINDS,
    RECOGNITION_KINDS,
    CompanyRow,
    CrossAppointment,
    GridPartyCoverage,
    PersonFilter,
    PersonRow,
    RecognitionInput,
    RecognitionRow,
    ServedCompound,
)
from app.governance.forces_io import PeoplePlan
from app.services import Services
from ui import dialogs
from ui.errors import show_failure
from ui.governance.forms import ServiceDialog, date_edit, date_of
from ui.governance.members_dialog import MembersDialog
from ui.governance.person_dialog import PersonDialog
from ui.governance.rows_model import Column, RowsModel
from ui.table_views import make_table
from ui.tasks import TaskRunner
from ui.widgets import line_edit, make_form


def _today() -> dt.date:
    return dt.date.today()


PERSON_COLUMNS: list[Column[PersonRow]] = [
    Column("姓名", lambda r: r.name),
    Column("身份", lambda r: r.kinds_text(_today())),
    Column("所在网格/楼院", lambda r: r.places_text(_today())),
    Column("联系电话", lambda r: r.phone_masked),
    Column("本辖区住址", lambda r: r.home),
    Column("所在组织", lambda r: "、".join(r.memberships)),
]
COMPANY_COLUMNS: list[Column[CompanyRow]] = [
    Column("公司", lambda r: r.name),
    Column("性质", lambda r: r.kind),
    Column("服务楼院", lambda r: len(r.current), True),
    Column("最高收费(元/㎡·月)", lambda r: f"{r.max_price:.2f}" if r.max_price else "", True),
    Column("联系人", lambda r: r.contact),
    Column("人员", lambda r: "、".join(r.staff)),
]
SERVED_COLUMNS: list[Column[ServedCompound]] = [
    Column("楼院", lambda r: r.compound_name),
    Column("入驻日期", lambda r: r.since),
    Column("结束日期", lambda r: r.until_on),
    Column("入驻前无主管", lambda r: r.was_ownerless),
    Column("执行中的收费方案", lambda r: r.scheme_name),
    Column("单价(元/㎡·月)", lambda r: f"{r.price:.2f}" if r.price is not None else "", True),
]
CROSS_COLUMNS: list[Column[CrossAppointment]] = [
    Column("姓名", lambda r: r.name),
    Column("社区职务", lambda r: "、".join(r.community_posts)),
    Column("物业公司任职", lambda r: "、".join(r.company_posts)),
    Column("自治组织任职", lambda r: "、".join(r.organisation_posts)),
]
PARTY_COLUMNS: list[Column[GridPartyCoverage]] = [
    Column("社区", lambda r: r.community_name),
    Column("网格", lambda r: r.path),
    Column("网格党组织", lambda r: "、".join(r.organisations) or "未建立"),
]
RECOGNITION_COLUMNS: list[Column[RecognitionRow]] = [
    Column("年度", lambda r: r.year),
    Column("类别", lambda r: r.kind),
    Column("名称", lambda r: r.title),
    Column("备注", lambda r: r.notes),
]


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    return row


class ForcesPage(QWidget):
    """The 治理力量 page; each tab reads its list when the page is (re)shown."""

    def __init__(
        self, services: Services, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._forces = services.governance.forces
        self.runner = runner
        self.import_dialog: QWidget | None = None  # the preview of the last import
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._roster_tab(), self.tr("治理力量名册"))
        self.tabs.addTab(self._companies_tab(), self.tr("物业公司"))
        self.tabs.addTab(self._cross_tab(), self.tr("交叉任职"))
        self.tabs.addTab(self._party_tab(), self.tr("支部建在网格上"))
        self.tabs.addTab(self._recognition_tab(), self.tr("评选表彰"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.reload()

    # -- roster ----------------------------------------------------------------------------

    def _roster_tab(self) -> QWidget:
        tab = QWidget(self)
        self.kind_combo = QComboBox(tab)
        self.kind_combo.addItem(self.tr("全部身份"), "|")
        for k in FORCE_KINDS:
            self.kind_combo.addItem(k, f"{k}|")
            for sub in FORCE_SUBKINDS.get(k, ()):
                self.kind_combo.addItem(f"　{k}·{sub}", f"{k}|{sub}")
        self.grid_combo = QComboBox(tab)
        self.grid_combo.addItem(self.tr("全部网格"), None)
        for g in self._services.compounds.grids():
            self.grid_combo.addItem(g.path, g.id)
        self.grid_combo.setMinimumContentsLength(16)
        self.compound_combo = QComboBox(tab)
        self.compound_combo.addItem(self.tr("全部楼院"), None)
        for c in self._services.compounds.choices():
            self.compound_combo.addItem(c.name, c.id)
        self.search_edit = line_edit(placeholder=self.tr("姓名或电话"))
        self.ended_check = QCheckBox(self.tr("含已离任"), tab)
        for combo in (self.kind_combo, self.grid_combo, self.compound_combo):
            combo.currentIndexChanged.connect(self.reload_people)
        self.search_edit.textChanged.connect(self.reload_people)
        self.ended_check.toggled.connect(self.reload_people)
        self.person_model: RowsModel[PersonRow] = RowsModel(PERSON_COLUMNS, parent=self)
        self.person_table = make_table(tab)
        self.person_table.setModel(self.person_model)
        for n, width in enumerate((90, 220, 260, 110, 170)):
            self.person_table.setColumnWidth(n, width)
        self.person_table.doubleClicked.connect(self._on_edit_person_clicked)
        self.count_label = QLabel(tab)
        self.add_person_button = QPushButton(self.tr("新增人员…"), tab)
        self.edit_person_button = QPushButton(self.tr("修改…"), tab)
        self.delete_person_button = QPushButton(self.tr("删除"), tab)
        self.add_person_button.clicked.connect(self._on_add_person_clicked)
        self.edit_person_button.clicked.connect(self._on_edit_person_clicked)
        self.delete_person_button.clicked.connect(self._on_delete_person_clicked)
        self.import_button = QPushButton(self.tr("导入…"), tab)
        self.import_button.setToolTip(
            self.tr("从 Excel 或 CSV 导入人员和身份（每个身份一行；同名同电话的人员合并）")
        )
        self.export_button = QPushButton(self.tr("导出…"), tab)
        self.export_button.setToolTip(
            self.tr("把当前列出的人员导出为 Excel（每个身份一行，可改后再导入）")
        )
        self.unmasked_check = QCheckBox(self.tr("导出完整电话"), tab)
        self.unmasked_check.setToolTip(self.tr("不脱敏导出，将记入审计日志（仅管理员）"))
        self.unmasked_check.setVisible(allowed(self._services.actor, Permission.UNMASKED_OUTPUT))
        self.import_button.clicked.connect(self._on_import_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        filters = QHBoxLayout()
        for w in (
            self.kind_combo,
            self.grid_combo,
            self.compound_combo,
            self.search_edit,
            self.ended_check,
        ):
            filters.addWidget(w)
        filters.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.addLayout(filters)
        buttons = _buttons(
            self.add_person_button, self.edit_person_button, self.delete_person_button
        )
        buttons.addWidget(self.count_label)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.unmasked_check)
        layout.addLayout(buttons)
        layout.addWidget(self.person_table, 1)
        return tab

    def person_filter(self) -> PersonFilter:
        kind, _, sub = (self.kind_combo.currentData() or "|").partition("|")
        return PersonFilter(
            kind,
            sub,
            self.grid_combo.currentData(),
            self.compound_combo.currentData(),
            self.search_edit.text(),
            self.ended_check.isChecked(),
        )

    def reload_people(self) -> None:
        rows = self._forces.list_people(self.person_filter())
        self.person_model.set_rows(rows)
        self.count_label.setText(self.tr("共 {0} 人").format(len(rows)))
        can_edit = allowed(self._services.actor, Permission.EDIT_GOVERNANCE)
        self.add_person_button.setEnabled(can_edit)
        self.import_button.setEnabled(can_edit)
        self.export_button.setEnabled(bool(rows))
        self.edit_person_button.setEnabled(can_edit and bool(rows))
        self.delete_person_button.setEnabled(can_edit and bool(rows))
        if rows:
            self.person_table.selectRow(0)

    def selected_person(self) -> PersonRow | None:
        rows = self.person_table.selectionModel().selectedRows()
        return self.person_model.row_at(rows[0].row()) if rows else None

    def _on_add_person_clicked(self) -> None:
        if PersonDialog(self._services, None, self).exec():
            self.reload()

    def _on_edit_person_clicked(self) -> None:
        row = self.selected_person()
        if row is None or not allowed(self._services.actor, Permission.EDIT_GOVERNANCE):
            return
        if PersonDialog(self._services, self._forces.get_person(row.id), self).exec():
            self.reload()

    def _on_delete_person_clicked(self) -> None:
        row = self.selected_person()
        if row is None or not dialogs.confirm(
            self, self.tr("删除人员"), self.tr("从治理力量名册中删除“{0}”？").format(row.name)
        ):
            return
        try:
            self._forces.delete_person(row.id)
        except AppError as exc:
            dialogs.error(self, exc.message)
        self.reload()

    def _on_export_clicked(self) -> None:
        path = dialogs.save_file(
            self, self.tr("导出治理力量名册"), self.tr("治理力量名册.xlsx"), "Excel (*.xlsx)"
        )
        if not path:
            return
        out = path if path.lower().endswith(".xlsx") else path + ".xlsx"
        forces, flt = self._forces, self.person_filter()
        unmasked = self.unmasked_check.isChecked() and allowed(
            self._services.actor, Permission.UNMASKED_OUTPUT
        )
        task = self.runner.run(
            lambda progress, cancelled: forces.export_people(
                out, flt, unmasked=unmasked, progress=progress, cancelled=cancelled
            ),
            title=self.tr("导出治理力量名册"),
            label=self.tr("正在导出治理力量名册…"),
            parent_widget=self,
        )
        task.finished.connect(
            lambda count: dialogs.info(
                self, self.tr("已导出 {0} 行（每个身份一行）到 {1}").format(count, out)
            )
        )
        task.failed.connect(lambda exc: show_failure(self, exc))

    def _on_import_clicked(self) -> None:
        path = dialogs.open_file(
            self,
            self.tr("导入治理力量名册"),
            "",
            self.tr("名册文件 (*.xlsx *.xls *.csv);;所有文件 (*)"),
        )
        if not path:
            return
        forces = self._forces
        task = self.runner.run(
            lambda progress, cancelled: forces.plan_import(path, progress, cancelled),
            title=self.tr("导入治理力量名册"),
            label=self.tr("正在读取名册…"),
            parent_widget=self,
        )
        task.finished.connect(self._show_preview)
        task.failed.connect(lambda exc: show_failure(self, exc))

    def _show_preview(self, plan: PeoplePlan) -> None:
        from ui.governance.forces_import_dialog import ForcesImportDialog

        dialog = ForcesImportDialog(self._forces, self.runner, plan, self)
        dialog.imported.connect(lambda _result: self.reload())
        self.import_dialog = dialog
        dialog.open()

    # -- companies -------------------------------------------------------------------------

    def _companies_tab(self) -> QWidget:
        tab = QWidget(self)
        self.company_model: RowsModel[CompanyRow] = RowsModel(COMPANY_COLUMNS, parent=self)
        self.company_table = make_table(tab)
        self.company_table.setModel(self.company_model)
        self.company_table.setColumnWidth(0, 220)
        self.company_table.selectionModel().selectionChanged.connect(self._on_company_changed)
        self.served_model: RowsModel[ServedCompound] = RowsModel(SERVED_COLUMNS, parent=self)
        self.served_table = make_table(tab)
        self.served_table.setModel(self.served_model)
        self.served_table.setColumnWidth(4, 200)
        self.add_company_button = QPushButton(self.tr("新增公司…"), tab)
        self.serve_button = QPushButton(self.tr("入驻楼院…"), tab)
        self.end_service_button = QPushButton(self.tr("结束服务…"), tab)
        self.add_company_button.clicked.connect(self._on_add_company_clicked)
        self.serve_button.clicked.connect(self._on_serve_clicked)
        self.end_service_button.clicked.connect(self._on_end_service_clicked)
        self.company_summary = QLabel(tab)
        self.company_summary.setWordWrap(True)
        split = QSplitter(Qt.Orientation.Vertical, tab)
        split.addWidget(self.company_table)
        split.addWidget(self.served_table)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.company_summary)
        layout.addLayout(
            _buttons(self.add_company_button, self.serve_button, self.end_service_button)
        )
        layout.addWidget(split, 1)
        return tab

    def _selected_company(self) -> CompanyRow | None:
        rows = self.company_table.selectionModel().selectedRows()
        return self.company_model.row_at(rows[0].row()) if rows else None

    def _on_company_changed(self) -> None:
        company = self._selected_company()
        self.served_model.set_rows(company.compounds if company else [])
        can_edit = allowed(self._services.actor, Permission.EDIT_GOVERNANCE)
        self.serve_button.setEnabled(can_edit and company is not None)
        self.end_service_button.setEnabled(can_edit and company is not None)

    def _on_add_company_clicked(self) -> None:
        if CompanyDialog(self._services, self).exec():
            self.reload()

    def _on_serve_clicked(self) -> None:
        company = self._selected_company()
        if company is not None and ServeDialog(self._services, company, self).exec():
            self.reload()

    def _on_end_service_clicked(self) -> None:
        rows = self.served_table.selectionModel().selectedRows()
        link = self.served_model.row_at(rows[0].row()) if rows else None
        if link is None:
            dialogs.error(self, self.tr("请先在下方选择一个楼院"))
            return
        text, ok = QInputDialog.getText(
            self,
            self.tr("结束服务"),
            self.tr("“{0}”的服务结束日期（YYYY-MM-DD）").format(link.compound_name),
            text=f"{dt.date.today():%Y-%m-%d}",
        )
        if not ok:
            return
        try:
            self._forces.end_service(link.id, dt.date.fromisoformat(text.strip()))
        except ValueError:
            dialogs.error(self, self.tr("日期格式不正确，应为 YYYY-MM-DD"))
            return
        except AppError as exc:
            dialogs.error(self, exc.message)
            return
        self.reload()

    # -- cross-appointments, grid party coverage, recognitions -----------------------------

    def _cross_tab(self) -> QWidget:
        tab = QWidget(self)
        self.cross_label = QLabel(tab)
        self.cross_model: RowsModel[CrossAppointment] = RowsModel(CROSS_COLUMNS, parent=self)
        self.cross_table = make_table(tab)
        self.cross_table.setModel(self.cross_model)
        for n, width in enumerate((90, 200, 260)):
            self.cross_table.setColumnWidth(n, width)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.cross_label)
        layout.addWidget(self.cross_table, 1)
        return tab

    def _party_tab(self) -> QWidget:
        tab = QWidget(self)
        self.party_label = QLabel(tab)
        self.party_label.setWordWrap(True)
        self.party_model: RowsModel[GridPartyCoverage] = RowsModel(
            PARTY_COLUMNS, lambda r: not r.covered, self
        )
        self.party_table = make_table(tab)
        self.party_table.setModel(self.party_model)
        self.party_table.setColumnWidth(1, 420)
        self.add_branch_button = QPushButton(self.tr("为所选网格建立党组织…"), tab)
        self.branch_members_button = QPushButton(self.tr("党组织成员…"), tab)
        self.add_branch_button.clicked.connect(self._on_add_branch_clicked)
        self.branch_members_button.clicked.connect(self._on_branch_members_clicked)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.party_label)
        layout.addLayout(_buttons(self.add_branch_button, self.branch_members_button))
        layout.addWidget(self.party_table, 1)
        return tab

    def _selected_grid(self) -> GridPartyCoverage | None:
        rows = self.party_table.selectionModel().selectedRows()
        return self.party_model.row_at(rows[0].row()) if rows else None

    def _on_add_branch_clicked(self) -> None:
        grid = self._selected_grid()
        if grid is None:
            dialogs.error(self, self.tr("请先选择一个网格"))
            return
        name, ok = QInputDialog.getText(
            self,
            self.tr("建立网格党组织"),
            self.tr("“{0}”的党组织名称").format(grid.path),
            text=f"{grid.path.rsplit(' / ', 1)[-1]}党支部",
        )
        if not ok:
            return
        try:
            self._services.governance.organisations.add_grid_organisation(
                grid.grid_id, OrganisationInput("党组织", name)
            )
        except AppError as exc:
            dialogs.error(self, exc.message)
            return
        self.reload()

    def _on_branch_members_clicked(self) -> None:
        grid = self._selected_grid()
        if grid is None or not grid.covered:
            dialogs.error(self, self.tr("请先选择一个已建立党组织的网格"))
            return
        org = self._services.governance.organisations.list_organisations(grid_id=grid.grid_id)[0]
        MembersDialog(self._services, org.id, org.name, self).exec()
        self.reload()

    def _recognition_tab(self) -> QWidget:
        tab = QWidget(self)
        self.recognition_model: RowsModel[RecognitionRow] = RowsModel(
            RECOGNITION_COLUMNS, parent=self
        )
        self.recognition_table = make_table(tab)
        self.recognition_table.setModel(self.recognition_model)
        self.recognition_table.setColumnWidth(2, 260)
        self.add_recognition_button = QPushButton(self.tr("新增…"), tab)
        self.delete_recognition_button = QPushButton(self.tr("删除"), tab)
        self.add_recognition_button.clicked.connect(self._on_add_recognition_clicked)
        self.delete_recognition_button.clicked.connect(self._on_delete_recognition_clicked)
        layout = QVBoxLayout(tab)
        layout.addLayout(_buttons(self.add_recognition_button, self.delete_recognition_button))
        layout.addWidget(self.recognition_table, 1)
        return tab

    def _on_add_recognition_clicked(self) -> None:
        if RecognitionDialog(self._services, self).exec():
            self.reload()

    def _on_delete_recognition_clicked(self) -> None:
        rows = self.recognition_table.selectionModel().selectedRows()
        row = self.recognition_model.row_at(rows[0].row()) if rows else None
        if row is None or not dialogs.confirm(
            self, self.tr("删除"), self.tr("删除“{0}”？").format(row.title)
        ):
            return
        try:
            self._forces.delete_recognition(row.id)
        except AppError as exc:
            dialogs.error(self, exc.message)
        self.reload()

    # -- all -------------------------------------------------------------------------------

    def reload(self) -> None:
        self.reload_people()
        companies = self._forces.list_companies()
        self.company_model.set_rows(companies)
        if companies:
            self.company_table.selectRow(0)
        self._on_company_changed()
        self.add_company_button.setEnabled(
            allowed(self._services.actor, Permission.EDIT_GOVERNANCE)
        )
        public = [c for c in companies if c.kind == "公办"]
        served = sum(len(c.current) for c in public)
        ownerless = sum(1 for c in public for s in c.current if s.was_ownerless)
        prices = [c.max_price for c in public if c.max_price is not None]
        text = self.tr("公办物业公司 {0} 家，入驻楼院 {1} 个（其中无主管楼院 {2} 个）").format(
            len(public), served, ownerless
        )
        if prices:
            text += self.tr("，收费标准不高于 {0} 元/㎡·月").format(f"{max(prices):.2f}")
        self.company_summary.setText(
            text + self.tr("；市场化物业公司 {0} 家。").format(len(companies) - len(public))
        )
        cross = self._forces.cross_appointments()
        self.cross_model.set_rows(cross)
        self.cross_label.setText(
            self.tr("社区干部以“双向引入、交叉任职”方式进入物业公司和自治组织：{0} 人").format(
                len(cross)
            )
        )
        party = self._forces.grid_party_coverage()
        self.party_model.set_rows(party)
        covered = sum(1 for g in party if g.covered)
        members, in_covered = self._forces.party_members()
        self.party_label.setText(
            self.tr(
                "{0} 个网格中 {1} 个建有党组织，{2} 个未建立（红色）；党员 {3} 名，"
                "其中 {4} 名居住在已建党组织的网格内。"
            ).format(len(party), covered, len(party) - covered, members, in_covered)
        )
        self.recognition_model.set_rows(self._forces.list_recognitions())
        can_edit = allowed(self._services.actor, Permission.EDIT_GOVERNANCE)
        self.add_branch_button.setEnabled(can_edit)
        self.add_recognition_button.setEnabled(can_edit)
        self.delete_recognition_button.setEnabled(can_edit)


class CompanyDialog(ServiceDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("新增物业公司"), parent)
        self._forces = services.governance.forces
        self.name_edit = line_edit(placeholder=self.tr("如 中心路公办物业服务有限公司"))
        self.kind_combo = QComboBox(self)
        for k in ("公办", "市场化"):
            self.kind_combo.addItem(k, k)
        self.contact_edit = line_edit(max_length=32)
        self.phone_edit = line_edit(max_length=20)
        form = make_form()
        form.addRow(self.tr("公司名称"), self.name_edit)
        form.addRow(self.tr("性质"), self.kind_combo)
        form.addRow(self.tr("联系人"), self.contact_edit)
        form.addRow(self.tr("联系电话"), self.phone_edit)
        self.body.addLayout(form)
        self.finish_layout(self._save)
        self.resize(420, self.sizeHint().height())

    def _save(self) -> None:
        from app.governance.forces_dto import CompanyInput

        self._forces.add_company(
            CompanyInput(
                self.name_edit.text(),
                self.kind_combo.currentData(),
                self.contact_edit.text(),
                self.phone_edit.text(),
            )
        )


class ServeDialog(ServiceDialog):
    """The company takes a compound over from a date."""

    def __init__(self, services: Services, company: CompanyRow, parent: QWidget | None) -> None:
        super().__init__(self.tr("入驻楼院"), parent)
        self._forces = services.governance.forces
        self._company = company
        self.compound_combo = QComboBox(self)
        for c in services.compounds.choices():
            self.compound_combo.addItem(f"{c.name}（{c.management_mode}）", c.id)
        self.since_edit = date_edit(dt.date.today(), self)
        form = make_form()
        form.addRow(self.tr("物业公司"), QLabel(company.name, self))
        form.addRow(self.tr("楼院"), self.compound_combo)
        form.addRow(self.tr("入驻日期"), self.since_edit)
        self.body.addLayout(form)
        self.finish_layout(self._save)

    def _save(self) -> None:
        self._forces.serve(
            self._company.id, self.compound_combo.currentData(), date_of(self.since_edit)
        )


class RecognitionDialog(ServiceDialog):
    """服务之星 (a person of the roster) or 优秀服务项目 (a project), with its year."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("新增评选表彰"), parent)
        self._forces = services.governance.forces
        self.kind_combo = QComboBox(self)
        for k in RECOGNITION_KINDS:
            self.kind_combo.addItem(k, k)
        self.year_edit = line_edit(str(dt.date.today().year), max_length=4)
        self.person_combo = QComboBox(self)
        self.person_combo.addItem(self.tr("（不是名册中的人员）"), None)
        for p in self._forces.list_people():
            self.person_combo.addItem(p.name, p.id)
        self.title_edit = line_edit(placeholder=self.tr("服务之星可留空（取所选人员姓名）"))
        form = make_form()
        form.addRow(self.tr("类别"), self.kind_combo)
        form.addRow(self.tr("年度"), self.year_edit)
        form.addRow(self.tr("人员"), self.person_combo)
        form.addRow(self.tr("名称"), self.title_edit)
        self.body.addLayout(form)
        self.finish_layout(self._save)

    def _save(self) -> None:
        from app.governance.errors import GovernanceError

        year = self.year_edit.text().strip()
        if not (year.isascii() and year.isdigit()):
            raise GovernanceError("请填写正确的年度")
        self._forces.add_recognition(
            RecognitionInput(
                int(year),
                self.kind_combo.currentData(),
                self.title_edit.text(),
                self.person_combo.currentData(),
            )
        )
