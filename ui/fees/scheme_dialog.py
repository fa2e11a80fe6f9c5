"""The fee-scheme editor: price (with the cap), months, exemptions, who collects, the
approving 议事决议 and the satisfaction survey that gates billing."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.fees.dto import BILLING_CYCLES, ExemptionRule, SchemeInput, SchemeRow
from app.fees.errors import OverCapError
from app.fees.schemes import FeeSchemeService
from app.governance.dto import ResolutionRow
from app.surveys.dto import SurveyRow
from ui import dialogs, screen_fit
from ui.fees.exemptions_editor import ExemptionsEditor

# A new scheme starts with the seeds' usual rules: vacant homes pay half, 低保 households none.
DEFAULT_RULES = (
    ExemptionRule("status", "空置", "percent", 50),
    ExemptionRule("tag", "低保", "percent", 100),
)


class SchemeDialog(QDialog):
    """Create a draft scheme for a compound (or edit a draft)."""

    def __init__(
        self,
        schemes: FeeSchemeService,
        compound_id: int,
        compound_name: str,
        scheme: SchemeRow | None = None,
        parent: QWidget | None = None,
        *,
        surveys: Sequence[SurveyRow] = (),
        resolutions: Sequence[ResolutionRow] = (),
    ) -> None:
        super().__init__(parent)
        self._schemes = schemes
        self._compound_id = compound_id
        self._scheme = scheme
        self.saved: SchemeRow | None = None
        self.setWindowTitle(self.tr("收费方案 — {0}").format(compound_name))
        self.price_edit = QLineEdit(scheme.price_text if scheme else "0.45", self)
        self.cap_label = QLabel(
            self.tr("上限 {0} 元/㎡·月").format(f"{schemes.cap_milli / 1000:.2f}"), self
        )
        self.start_edit = QLineEdit(scheme.start_month if scheme else "", self)
        self.start_edit.setPlaceholderText("YYYY-MM")
        self.cycle_combo = QComboBox(self)
        self.cycle_combo.addItems(list(BILLING_CYCLES))
        self.transition_spin = QSpinBox(self)
        self.transition_spin.setRange(0, 12)
        self.transition_spin.setValue(scheme.transition_months if scheme else 1)
        self.due_spin = QSpinBox(self)
        self.due_spin.setRange(1, 180)
        self.due_spin.setValue(scheme.due_days if scheme else 30)
        self.exemptions = ExemptionsEditor(scheme.exemptions if scheme else DEFAULT_RULES, self)
        self.manager_edit = QLineEdit(scheme.manager_name if scheme else "", self)
        self.contact_edit = QLineEdit(scheme.manager_contact if scheme else "", self)
        self.office_edit = QLineEdit(scheme.office if scheme else "", self)
        self.basis_edit = QPlainTextEdit(scheme.service_basis if scheme else "", self)
        self.resolution_edit = QPlainTextEdit(scheme.resolution_note if scheme else "", self)
        for edit in (self.basis_edit, self.resolution_edit):
            edit.setMaximumHeight(60)
        self._links(scheme, surveys, resolutions)
        if scheme:
            self._fill(scheme)
        form = self._form()
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        # The form scrolls where the screen is short (a 1366x768 laptop); the message line
        # keeps its room, so the buttons do not move when a message appears.
        content = QWidget(self)
        content.setLayout(form)
        self.error_label.setMinimumHeight(self.error_label.fontMetrics().lineSpacing() * 2)
        layout = QVBoxLayout(self)
        layout.addWidget(screen_fit.scrolling(content, self), 1)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        # At least 680 px wide, and never narrower than the form needs in the UI font (an
        # explicit minimum width would otherwise override the layout's own minimum).
        self.setMinimumWidth(max(680, layout.totalMinimumSize().width()))

    def _links(
        self,
        scheme: SchemeRow | None,
        surveys: Sequence[SurveyRow],
        resolutions: Sequence[ResolutionRow],
    ) -> None:
        """The 议事决议 and 满意度调查 pickers with the gate's levels."""
        self.resolution_combo = QComboBox(self)
        self.resolution_combo.addItem(self.tr("无"), None)
        for r in resolutions:
            self.resolution_combo.addItem(r.label, r.id)
        self.survey_combo = QComboBox(self)
        self.survey_combo.addItem(self.tr("不设调查门槛"), None)
        for sv in surveys:
            self.survey_combo.addItem(
                self.tr("{0}（{1}，已走访 {2}/{3} 户）").format(
                    sv.title, sv.status_label, sv.reached, sv.households
                ),
                sv.id,
            )
        self.threshold_spin = QSpinBox(self)
        self.threshold_spin.setRange(0, 100)
        self.threshold_spin.setSuffix("%")
        self.threshold_spin.setSpecialValueText(self.tr("2/3（默认）"))
        self.coverage_spin = QSpinBox(self)
        self.coverage_spin.setRange(0, 100)
        self.coverage_spin.setSuffix("%")
        self.coverage_spin.setSpecialValueText(self.tr("50%（默认）"))
        if scheme is not None:
            _select(self.resolution_combo, scheme.resolution_id, self.tr("原决议记录已删除"))
            _select(self.survey_combo, scheme.survey_id, self.tr("原调查已删除"))
            self.threshold_spin.setValue(scheme.satisfaction_threshold or 0)
            self.coverage_spin.setValue(scheme.min_coverage or 0)
        self.survey_combo.currentIndexChanged.connect(self._on_survey_combo_changed)
        self._on_survey_combo_changed()

    def _on_survey_combo_changed(self, *_args: object) -> None:
        gated = self.survey_combo.currentData() is not None
        self.threshold_spin.setEnabled(gated)
        self.coverage_spin.setEnabled(gated)

    def _fill(self, scheme: SchemeRow) -> None:
        self.cycle_combo.setCurrentText(scheme.cycle)

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        form.addRow(self.tr("单价(元/㎡·月)"), self.price_edit)
        form.addRow("", self.cap_label)
        form.addRow(self.tr("起始月份"), self.start_edit)
        form.addRow(self.tr("计费周期"), self.cycle_combo)
        form.addRow(self.tr("免费过渡期(月)"), self.transition_spin)
        form.addRow(self.tr("缴费期限(天)"), self.due_spin)
        form.addRow(self.tr("减免"), self.exemptions)
        form.addRow(self.tr("收费单位"), self.manager_edit)
        form.addRow(self.tr("联系电话"), self.contact_edit)
        form.addRow(self.tr("缴费地点"), self.office_edit)
        form.addRow(self.tr("服务内容与标准"), self.basis_edit)
        form.addRow(self.tr("议事决议"), self.resolution_combo)
        form.addRow(self.tr("议定依据（说明）"), self.resolution_edit)
        form.addRow(self.tr("满意度调查"), self.survey_combo)
        form.addRow(self.tr("满意率不低于"), self.threshold_spin)
        form.addRow(self.tr("覆盖率不低于"), self.coverage_spin)
        return form

    def input(self, over_cap_reason: str = "") -> SchemeInput:  # noqa: A003
        """What the form holds.

        Raises:
            FeeError: an exemption row whose amount is not right.
        """
        return SchemeInput(
            compound_id=self._compound_id,
            price=self.price_edit.text(),
            start_month=self.start_edit.text(),
            cycle=self.cycle_combo.currentText(),
            transition_months=self.transition_spin.value(),
            due_days=self.due_spin.value(),
            manager_name=self.manager_edit.text(),
            manager_contact=self.contact_edit.text(),
            office=self.office_edit.text(),
            service_basis=self.basis_edit.toPlainText(),
            resolution_note=self.resolution_edit.toPlainText(),
            exemptions=self.exemptions.rules(),
            over_cap_reason=over_cap_reason,
            resolution_id=self.resolution_combo.currentData(),
            survey_id=self.survey_combo.currentData(),
            satisfaction_threshold=self.threshold_spin.value() or None,
            min_coverage=self.coverage_spin.value() or None,
        )

    def _on_buttons_accepted(self) -> None:
        sid = self._scheme.id if self._scheme else None
        version = self._scheme.version if self._scheme else None
        try:
            self.saved = self._schemes.save_scheme(self.input(), sid, expected_version=version)
        except OverCapError as exc:
            reason = dialogs.ask_text(
                self,
                self.tr("超出收费上限"),
                exc.message + "\n" + self.tr("理由（记入操作日志）："),
            )
            if reason is None or not reason.strip():
                self.error_label.setText(exc.message)
                return
            try:
                self.saved = self._schemes.save_scheme(
                    self.input(reason), sid, expected_version=version
                )
            except AppError as again:
                self.error_label.setText(again.message)
                return
        except AppError as exc:
            self.error_label.setText(exc.message)
            return
        dialogs.info(self, self.tr("方案已保存为草稿；公示后进入过渡期，满意后启用收费。"))
        self.accept()


def _select(combo: QComboBox, value: int | None, missing: str) -> None:
    """Select the item holding `value`; a value no longer listed is kept as its own item."""
    if value is None:
        return
    index = combo.findData(value)
    if index < 0:
        combo.addItem(f"{missing}（#{value}）", value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)
