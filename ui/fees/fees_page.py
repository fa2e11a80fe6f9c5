"""The 物业收费 section: a compound picker over tabs for schemes, ledger, payments, arrears,
expenses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, StaleWrite
from app.fees.dto import ChargeFilter, ChargeRow, CompoundFees, SchemeRow
from app.fees.service import FeeServices
from app.jobs import IsCancelled, Progress
from app.money import format_yuan
from app.services import Services
from app.surveys.dto import GateStatus
from ui import dialogs
from ui.errors import show_failure
from ui.fees.common import pdf_path, table
from ui.fees.scheme_dialog import SchemeDialog
from ui.fees.scheme_status import SchemeStatus
from ui.fees.tabs import ArrearsTab, ExpensesTab, FeeTab, PaymentsTab, failed_text, loading_text
from ui.latest_read import LatestRead
from ui.models.fee_models import PagedModel, charge_model, scheme_model
from ui.tasks import TaskRunner

STATE_ACTIONS = (
    ("posted", "公示"),
    ("transition", "开始过渡期"),
    ("active", "启用收费"),
    ("ended", "结束方案"),
)


@dataclass(frozen=True)
class _Figures:
    """What the page reads for a compound in the background (besides the tables)."""

    compound_id: int | None
    buildings: list[tuple[int, str]]
    schemes: list[SchemeRow]
    gates: dict[int, GateStatus | AppError | None]  # by scheme id; the AppError reading it
    fees: CompoundFees | None


def _read_figures(fees: FeeServices, compound_id: int | None) -> _Figures:
    if compound_id is None:
        return _Figures(None, [], [], {}, None)
    schemes = fees.schemes.list_schemes(compound_id)
    gates: dict[int, GateStatus | AppError | None] = {}
    for scheme in schemes:
        if scheme.survey_id is not None:
            try:
                gates[scheme.id] = fees.schemes.gate_status(scheme.id)
            except AppError as exc:
                gates[scheme.id] = exc
    rows = fees.ledger.compound_fees(compound_id)
    return _Figures(
        compound_id, fees.ledger.buildings(compound_id), schemes, gates, rows[0] if rows else None
    )


def _read_charges(fees: FeeServices, flt: ChargeFilter) -> tuple[list[int], int, int]:
    ids = fees.ledger.charge_ids(flt) if flt.compound_id is not None else []
    charged, paid = fees.ledger.totals(ids)
    return ids, charged, paid


class FeesPage(QWidget):
    """Everything about property fees for one compound at a time."""

    def __init__(
        self, services: Services, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.fees = services.fees
        self.runner = runner
        self._gates: dict[int, GateStatus | AppError | None] = {}
        self._buildings_of: int | None = None
        self._pending = False  # reads asked for, to start when the event loop runs next
        self._figures_read = LatestRead(runner, self)
        self._figures_read.landed.connect(self._on_figures_landed)
        self._figures_read.failed.connect(self._on_read_failed)
        self._figures_read.busy_changed.connect(self._update_actions)
        self._charges_read = LatestRead(runner, self)
        self._charges_read.landed.connect(self._on_charges_landed)
        self._charges_read.failed.connect(self._on_read_failed)
        self._charges_read.busy_changed.connect(self._update_actions)
        self.compound_combo = QComboBox(self)
        for cid, name in self.fees.ledger.compounds():
            self.compound_combo.addItem(name, cid)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("楼院"), self))
        top.addWidget(self.compound_combo, 1)
        self.summary_label = QLabel(self)
        top.addWidget(self.summary_label, 2)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._schemes_tab(), self.tr("收费方案"))
        self.tabs.addTab(self._ledger_tab(), self.tr("收费台账"))
        self.payments_tab = PaymentsTab(self.fees, runner, self)
        self.arrears_tab = ArrearsTab(self.fees, runner, self)
        self.expenses_tab = ExpensesTab(self.fees, runner, self)
        for tab in (self.payments_tab, self.arrears_tab, self.expenses_tab):
            tab.pdf_ready.connect(self.show_pdf)
            tab.data_changed.connect(self.refresh)
        self.tabs.addTab(self.payments_tab, self.tr("缴费记录"))
        self.tabs.addTab(self.arrears_tab, self.tr("欠费"))
        self.tabs.addTab(self.expenses_tab, self.tr("运行成本"))
        self.tabs.currentChanged.connect(self._on_tab_changed)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence("F2"), self, self.payments_tab.open_payment_dialog)
        self.compound_combo.currentIndexChanged.connect(self._on_compound_combo_changed)
        self._on_compound_combo_changed()

    # -- the compound ---------------------------------------------------------------------

    @property
    def compound_id(self) -> int | None:
        data = self.compound_combo.currentData()
        return int(data) if data is not None else None

    @property
    def compound_name(self) -> str:
        return self.compound_combo.currentText()

    def follow_compound(self, compound_id: int) -> None:
        """Show the compound the clerk chose elsewhere (楼院台账, the search box)."""
        index = self.compound_combo.findData(compound_id)
        if index >= 0:
            self.compound_combo.setCurrentIndex(index)

    def show_compound_arrears(self, compound_id: int) -> None:
        """Select the compound (reloading the picker first) and open its 欠费 tab."""
        if self.compound_combo.findData(compound_id) < 0:
            self.compound_combo.clear()
            for cid, name in self.fees.ledger.compounds():
                self.compound_combo.addItem(name, cid)
        index = self.compound_combo.findData(compound_id)
        if index == self.compound_combo.currentIndex():
            self.refresh()  # the figures may have changed since the page was last shown
        else:
            self.compound_combo.setCurrentIndex(max(index, 0))
        self.tabs.setCurrentWidget(self.arrears_tab)

    def _on_compound_combo_changed(self, *_args: object) -> None:
        """Another compound: nothing of the last one stays on screen while this one loads."""
        self.building_combo.blockSignals(True)
        self.building_combo.clear()
        self.building_combo.addItem(self.tr("全部楼栋"), None)
        self.building_combo.blockSignals(False)
        self._buildings_of = None
        self._gates = {}
        self.scheme_model.set_rows([])
        self.charge_model.set_ids([])
        self.refresh()

    def refresh(self) -> None:
        """Reload the compound's figures, schemes, charges and the tab shown, in the
        background (the page says 正在载入 meanwhile); the other tabs load when shown."""
        self.summary_label.setText(loading_text())
        self.charge_total_label.setText(loading_text())
        if not self._pending:
            # Started once control is back in the event loop: a page built and at once told
            # to follow the clerk's compound (or a compound picked twice) reads only the last.
            self._pending = True
            QTimer.singleShot(0, self, self._start_reads)
        self._update_actions()

    def _start_reads(self) -> None:
        self._pending = False
        cid, fees = self.compound_id, self.fees
        self._figures_read.start(lambda: _read_figures(fees, cid))
        self._load_charges()
        for tab in self._fee_tabs():
            tab.set_compound(cid, self.compound_name, now=tab is self.tabs.currentWidget())

    def _fee_tabs(self) -> tuple[FeeTab, ...]:
        return (self.payments_tab, self.arrears_tab, self.expenses_tab)

    def _on_tab_changed(self, _index: int) -> None:
        current = self.tabs.currentWidget()
        if isinstance(current, FeeTab):
            current.load_if_stale()

    def busy(self) -> bool:
        """True while any of the page's reads is under way."""
        return (
            self._pending
            or self._figures_read.busy()
            or self._charges_read.busy()
            or any(tab.busy() for tab in self._fee_tabs())
        )

    def _on_read_failed(self, exc: object) -> None:
        for label in (self.summary_label, self.charge_total_label):
            if label.text() == loading_text():
                label.setText(failed_text())
        self._update_actions()
        show_failure(self, exc)

    def _on_figures_landed(self, data: object) -> None:
        assert isinstance(data, _Figures)
        if data.compound_id != self.compound_id:
            return  # read for a compound the picker has left (a newer read is under way)
        if self._buildings_of != data.compound_id:
            self._buildings_of = data.compound_id
            self.building_combo.blockSignals(True)
            for bid, name in data.buildings:
                self.building_combo.addItem(self.tr("{0}号楼").format(name), bid)
            self.building_combo.blockSignals(False)
        self._gates = data.gates
        self.scheme_model.set_rows(data.schemes)
        self.scheme_table.resizeColumnsToContents()
        self._on_scheme_selected()
        r = data.fees
        if r is not None:
            rate = f"{r.collection_rate:.1%}" if r.collection_rate is not None else "—"
            self.summary_label.setText(
                self.tr("应收 {0} 元，实收 {1} 元，欠费 {2} 元（{3} 户），收缴率 {4}").format(
                    format_yuan(r.charged_fen),
                    format_yuan(r.paid_fen),
                    format_yuan(r.due_fen),
                    r.households_in_arrears,
                    rate,
                )
            )
        else:
            self.summary_label.setText(self.tr("尚未计费"))
        self._update_actions()

    def _update_actions(self, *_args: object) -> None:
        """What acts on the compound's schemes or charges waits until they are loaded."""
        ready = self.compound_id is not None and not (
            self._pending or self._figures_read.busy() or self._charges_read.busy()
        )
        for button in (
            self.new_scheme_button,
            self.posting_button,
            *self.state_buttons.values(),
            self.bill_button,
            self.notices_button,
            self.export_charges_button,
        ):
            button.setEnabled(ready)
        scheme = self.selected_scheme()
        self.edit_scheme_button.setEnabled(ready and scheme is not None and scheme.state == "draft")

    def show_pdf(self, path: Path, title: str) -> None:
        from ui.pdf_preview import preview  # Qt's PDF module loads when first needed

        self.last_preview = preview(path, title, self)

    # -- schemes --------------------------------------------------------------------------

    def _schemes_tab(self) -> QWidget:
        tab = QWidget(self)
        self.scheme_model = scheme_model(self)
        self.scheme_table = table(tab)
        self.scheme_table.setModel(self.scheme_model)
        buttons = QHBoxLayout()
        self.new_scheme_button = QPushButton(self.tr("新建方案(&N)…"), tab)
        self.new_scheme_button.clicked.connect(self._on_new_scheme_button_clicked)
        buttons.addWidget(self.new_scheme_button)
        self.edit_scheme_button = QPushButton(self.tr("修改草稿(&E)…"), tab)
        self.edit_scheme_button.clicked.connect(self._on_edit_scheme_button_clicked)
        buttons.addWidget(self.edit_scheme_button)
        self.state_buttons: dict[str, QPushButton] = {}
        for state, label in STATE_ACTIONS:
            button = QPushButton(self.tr(label), tab)
            button.clicked.connect(lambda _c=False, st=state: self._change_state(st))
            buttons.addWidget(button)
            self.state_buttons[state] = button
        self.posting_button = QPushButton(self.tr("打印收费公示…"), tab)
        self.posting_button.clicked.connect(self._on_posting_button_clicked)
        buttons.addStretch(1)
        buttons.addWidget(self.posting_button)
        self.scheme_status = SchemeStatus(tab)
        self.scheme_table.selectionModel().selectionChanged.connect(self._on_scheme_selected)
        layout = QVBoxLayout(tab)
        layout.addLayout(buttons)
        layout.addWidget(self.scheme_table, 1)
        layout.addWidget(self.scheme_status)
        return tab

    def _on_scheme_selected(self, *_args: object) -> None:
        """Show where the selected scheme stands; the activate button says why not yet."""
        scheme = self.selected_scheme()
        gate: GateStatus | None = None
        if scheme is not None and scheme.survey_id is not None:
            # Read with the schemes, in the background (the GUI thread reads it only for a
            # scheme it has not seen).
            known = self._gates.get(scheme.id)
            try:
                if isinstance(known, AppError):
                    raise known
                gate = (
                    known if scheme.id in self._gates else self.fees.schemes.gate_status(scheme.id)
                )
            except AppError as exc:
                dialogs.error(self, exc.message)
        self.scheme_status.show_scheme(scheme, gate)
        activate = self.state_buttons["active"]
        activate.setToolTip(gate.message if gate is not None else "")
        self._update_actions()

    def selected_scheme(self) -> SchemeRow | None:
        rows = self.scheme_table.selectionModel().selectedRows()
        if not rows and self.scheme_model.rowCount():
            return self.scheme_model.row_at(0)
        return self.scheme_model.row_at(rows[0].row()) if rows else None

    def _on_new_scheme_button_clicked(self) -> None:
        if self.compound_id is not None:
            self.scheme_dialog(None)

    def _on_edit_scheme_button_clicked(self) -> None:
        scheme = self.selected_scheme()
        if scheme is not None and scheme.state == "draft":
            self.scheme_dialog(scheme)

    def scheme_dialog(self, scheme: SchemeRow | None) -> None:
        """The scheme editor with the compound's surveys and 议事决议 to pick from."""
        cid = self.compound_id
        if cid is None:
            return
        dialog = SchemeDialog(
            self.fees.schemes,
            cid,
            self.compound_name,
            scheme,
            parent=self,
            surveys=self.services.surveys.list_surveys(cid),
            resolutions=self.services.governance.resolutions_for_compound(cid),
        )
        self.last_scheme_dialog = dialog
        dialog.accepted.connect(self.refresh)
        dialog.open()

    def _change_state(self, state: str) -> None:
        scheme = self.selected_scheme()
        if scheme is None:
            return
        if state == "active":
            try:
                gate = self.fees.schemes.gate_status(scheme.id)
            except AppError as exc:
                dialogs.error(self, exc.message)
                return
            if gate is not None and not gate.met:
                dialogs.error(self, gate.message)
                return
        reason = ""
        if state in ("active", "ended"):
            answer = dialogs.ask_text(
                self, self.tr("理由"), self.tr("请填写理由（如：入户调查满意度 92%，议事会同意）：")
            )
            if answer is None:
                return
            reason = answer
        try:
            self.fees.schemes.change_state(
                scheme.id, state, reason, expected_version=scheme.version
            )
        except StaleWrite as exc:  # changed since the list showed it: show what is saved now
            dialogs.error(self, exc.message)
            self.refresh()
            return
        except AppError as exc:
            dialogs.error(self, exc.message)
            return
        self.refresh()

    def _on_posting_button_clicked(self) -> None:
        from app.documents.fees_postings import write_scheme_posting

        scheme = self.selected_scheme()
        if scheme is None:
            dialogs.error(self, self.tr("该楼院还没有收费方案"))
            return
        path = pdf_path("收费公示")
        write_scheme_posting(path, scheme)
        self.show_pdf(path, self.tr("收费公示"))

    # -- the charge ledger ----------------------------------------------------------------

    def _ledger_tab(self) -> QWidget:
        tab = QWidget(self)
        self.building_combo = QComboBox(tab)
        self.period_edit = QLineEdit(tab)
        self.period_edit.setPlaceholderText(self.tr("月份 YYYY-MM"))
        self.unpaid_check = QCheckBox(self.tr("只看未缴清"), tab)
        self.unpaid_check.setToolTip(
            self.tr("勾选后打印通知单时不含已缴清的住户；不勾选则已缴清的住户印“已缴清”")
        )
        self.bill_button = QPushButton(self.tr("生成账单(&B)…"), tab)
        self.notices_button = QPushButton(self.tr("打印通知单…"), tab)
        self.per_page_combo = QComboBox(tab)
        for n in (3, 2, 1):
            self.per_page_combo.addItem(self.tr("每页 {0} 张").format(n), n)
        self.masked_check = QCheckBox(self.tr("姓名打码"), tab)
        self.export_charges_button = QPushButton(self.tr("导出 Excel…"), tab)
        filters = QHBoxLayout()
        for w in (self.building_combo, self.period_edit, self.unpaid_check):
            filters.addWidget(w)
        filters.addStretch(1)
        for widget in (
            self.bill_button,
            self.notices_button,
            self.per_page_combo,
            self.masked_check,
            self.export_charges_button,
        ):
            filters.addWidget(widget)
        self.charge_model: PagedModel[ChargeRow] = charge_model(self.fees.ledger.charge_rows, self)
        self.charge_table = table(tab)
        self.charge_table.setModel(self.charge_model)
        self.charge_total_label = QLabel(tab)
        layout = QVBoxLayout(tab)
        layout.addLayout(filters)
        layout.addWidget(self.charge_table, 1)
        layout.addWidget(self.charge_total_label)
        self.building_combo.currentIndexChanged.connect(self._load_charges)
        self.period_edit.editingFinished.connect(self._load_charges)
        self.unpaid_check.toggled.connect(self._load_charges)
        self.bill_button.clicked.connect(self._on_bill_button_clicked)
        self.notices_button.clicked.connect(self._on_notices_button_clicked)
        self.export_charges_button.clicked.connect(self._on_export_charges_button_clicked)
        return tab

    def charge_filter(self) -> ChargeFilter:
        period = self.period_edit.text().strip()
        try:
            from app.fees.arithmetic import parse_period

            period = parse_period(period) if period else ""
        except AppError:
            period = ""
        return ChargeFilter(
            compound_id=self.compound_id,
            building_id=self.building_combo.currentData(),
            period=period,
            unpaid_only=self.unpaid_check.isChecked(),
        )

    def _load_charges(self, *_args: object) -> None:
        """Read the charges the filter shows in the background (正在载入 meanwhile)."""
        flt, fees = self.charge_filter(), self.fees
        self.charge_total_label.setText(loading_text())
        self._charges_read.start(lambda: _read_charges(fees, flt))

    def _on_charges_landed(self, data: object) -> None:
        ids, charged, paid = cast("tuple[list[int], int, int]", data)
        self.charge_model.set_ids(ids)
        self.charge_total_label.setText(
            self.tr("共 {0} 笔，应收 {1} 元，已收 {2} 元，欠费 {3} 元").format(
                len(ids), format_yuan(charged), format_yuan(paid), format_yuan(charged - paid)
            )
        )
        self._update_actions()

    def _on_bill_button_clicked(self) -> None:
        from ui.fees.billing_dialog import BillingDialog

        if self.compound_id is None:
            return
        dialog = BillingDialog(
            self.fees.billing, self.runner, self.compound_id, self.compound_name, self
        )
        self.billing_dialog = dialog
        dialog.accepted.connect(self.refresh)
        dialog.open()

    def _on_notices_button_clicked(self) -> None:
        from app.documents.fees_notices import write_notices

        if not self.period_edit.text().strip():
            # The month not typed: this month's notices (the month shows in the filter).
            self.period_edit.setText(dt.date.today().strftime("%Y-%m"))
            self._load_charges()
        flt = self.charge_filter()
        if self.compound_id is None or not flt.period:
            dialogs.error(self, self.tr("请在“月份”中填写要打印的月份，如 2026-11"))
            return
        docs, cid, masked = self.fees.documents, self.compound_id, self.masked_check.isChecked()
        per_page = int(self.per_page_combo.currentData())
        ids = docs.notice_ids(cid, flt.period, unpaid_only=flt.unpaid_only)
        if flt.building_id is not None:
            keep = set(self.fees.ledger.charge_ids(flt))
            ids = [i for i in ids if i in keep]
        if not ids:
            dialogs.info(
                self,
                self.tr(
                    "{0} {1} 没有需要打印的通知单（这个月还没有生成账单，或都已缴清）。"
                ).format(self.compound_name, flt.period),
            )
            return
        path = pdf_path("缴费通知单")

        def job(progress: Progress, cancelled: IsCancelled) -> object:
            write_notices(
                path,
                docs.notices(ids, masked),
                len(ids),
                per_page=per_page,
                progress=progress,
                cancelled=cancelled,
            )
            return path

        task = self.runner.run(
            job, title=self.tr("缴费通知单"), label=self.tr("正在生成通知单…"), parent_widget=self
        )
        task.finished.connect(lambda p: self.show_pdf(p, self.tr("缴费通知单")))
        task.failed.connect(lambda e: show_failure(self, e))

    def _on_export_charges_button_clicked(self) -> None:
        from app.fees.export import export_charges

        target = dialogs.save_file(
            self, self.tr("导出收费台账"), "收费台账.xlsx", self.tr("Excel 文件 (*.xlsx)")
        )
        if not target:
            return
        ids, ledger = list(self.charge_model.ids), self.fees.ledger
        task = self.runner.run(
            lambda progress, cancelled: export_charges(
                target, ledger.charge_rows(ids), progress, cancelled
            ),
            title=self.tr("导出收费台账"),
            label=self.tr("正在导出收费台账…"),
            parent_widget=self,
        )
        task.finished.connect(lambda _n: dialogs.info(self, self.tr("已导出：{0}").format(target)))
        task.failed.connect(lambda e: show_failure(self, e))
